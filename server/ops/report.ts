import type { KnowledgeBase } from '../kb/index.js';
import type { Entry } from '../kb/entries.js';
import type { CategoryCode } from '../kb/types.js';
import type { Gap } from '../kb/gaps.js';
import { CATEGORIES, LEVEL_LABELS, LEVELS, type Level } from '../kb/categories.js';
import { CHANNELS, type AskOutcome } from '../kb/asks.js';
import { shanghaiDate, shiftDate, type WorkingCalendar } from './calendar.js';
import { parsePeriod, periodOf, type ReportPeriod } from './half-year.js';
import type { RateFigure, Stats, Verdict } from '../../shared/admin.js';

export { parsePeriod, periodOf, type ReportPeriod };

/**
 * The half-yearly audit report's figures, computed from the KB alone. Every figure is "as of" one instant: the end of
 * the period, or now when the period is not over yet. Events recorded after that instant are ignored, so a report for
 * a finished period gives the same figures whenever it is generated. The definitions (定义) the rendered report
 * prints are in DEFINITIONS below; keep them and the code in step.
 */

export type { Verdict, RateFigure };

export const TARGETS = {
  /** 小申 resolution rate ≥ 50% (001 §一(四)). */
  resolution: 0.5,
  /** Enterprise (涉企) resolution rate ≥ 60% (004 §一(三)). */
  enterpriseResolution: 0.6,
  /** Share dispatched to 12345 ≤ 10% (001 §二(一)4, 002 §三(一)2). */
  hotlineShare: 0.1,
  /** Every unanswered question in the KB within 5 working days (000 §二(一)5). */
  gapOnTime: 1,
  /** Every new policy's Q&A in the KB ≥ 1 working day before it takes effect. */
  policyOnTime: 1,
  /** Every entry reviewed each half-year. */
  reviewCoverage: 1,
} as const satisfies Stats['targets'];

export const UNSET_DEPARTMENT = '未填写';

export const OUTCOME_LABELS: Record<AskOutcome, string> = {
  answered: '直接作答',
  suggest: '猜你想问',
  no_answer: '未能作答',
  out_of_scope: '超出范围',
};
export const OUTCOMES = Object.keys(OUTCOME_LABELS) as AskOutcome[];

export const CHANNEL_LABELS: Record<string, string> = {
  pc: '电脑端',
  mobile: '移动端',
  app: '随申办App',
  miniprogram: '小程序',
  kiosk: '自助终端',
  api: '接口',
};

export interface CategoryFigures {
  category: CategoryCode;
  label: string;
  /** Published at the as-of instant. */
  published: number;
  /** Distinct entries with a create / update / publish / archive version in the period. */
  added: number;
  updated: number;
  publishedInPeriod: number;
  archived: number;
}

export interface ReviewUnitFigures {
  department: string;
  due: number;
  reviewed: number;
  unreviewed: number;
  expired: number;
  stale: number;
  flagged: number;
  /** reviewed / due; null when nothing is due. */
  coverage: number | null;
}

export interface GapListItem {
  gapId: number;
  question: string;
  firstAskedDate: string;
  dueDate: string;
  /** Working days past the due date, as of the report. */
  workingDaysOverdue: number;
  askCount: number;
}

export interface GapCluster {
  gapId: number;
  question: string;
  /** Asks of this gap in the period (gap_questions). */
  asks: number;
  enterpriseAsks: number;
  /** State as of the report: open, open and overdue, filled or dismissed. */
  state: 'open' | 'overdue' | 'filled' | 'dismissed';
  dueDate: string;
}

export interface PolicyTimeliness {
  documentId: number;
  title: string;
  docNumber: string | null;
  effectiveDate: string;
  /** The last working day before the effective date: Q&A must be published by its end. */
  deadline: string;
  /** Entries of the document that existed (not archived) at the end of the effective date. */
  entries: number;
  /** Of those, first published on or before the deadline. */
  publishedOnTime: number;
  /** Latest first-publish date among them (null when one is still unpublished or there are none). */
  lastPublishedDate: string | null;
  status: 'on_time' | 'late' | 'no_entries';
}

export interface ChannelFigures {
  channel: string;
  label: string;
  total: number;
  byOutcome: Record<AskOutcome, number>;
}

export interface TopEntry {
  entryId: number;
  question: string;
  category: string;
  department: string;
  asks: number;
}

export interface AuditReport {
  period: ReportPeriod;
  /** When the report was computed (the `now` passed in). */
  generatedAt: string;
  /** Figures are as of this instant (inclusive): min(now, last instant of the period). */
  asOf: string;
  /** Shanghai date of asOf. */
  asOfDate: string;
  /** The period is over: figures are final. */
  complete: boolean;
  /** The period starts after now. */
  notStarted: boolean;
  /** Anything happened in the period (asks, entry changes, gaps, reviews, policies taking effect). */
  hasData: boolean;
  kb: {
    published: number;
    draft: number;
    archived: number;
    byCategory: CategoryFigures[];
    byLevel: Array<{ level: Level; label: string; published: number }>;
    byDepartment: Array<{ department: string; published: number }>;
    added: number;
    updated: number;
    publishedInPeriod: number;
    archivedInPeriod: number;
  };
  reviews: {
    byDepartment: ReviewUnitFigures[];
    total: ReviewUnitFigures;
    coverage: RateFigure;
  };
  gaps: {
    opened: number;
    filledOnTime: number;
    filledLate: number;
    openOverdue: number;
    openNotDue: number;
    dismissed: number;
    /** Median working days from first ask to fill, over gaps filled in the period; null when none. */
    medianWorkingDaysToFill: number | null;
    onTime: RateFigure;
    overdue: GapListItem[];
  };
  policies: {
    documents: PolicyTimeliness[];
    /** Policies effective later in the period than the as-of date (not judged yet). */
    pending: number;
    onTime: RateFigure;
  };
  asks: {
    total: number;
    byOutcome: Record<AskOutcome, number>;
    byChannel: ChannelFigures[];
    resolution: RateFigure;
    enterpriseResolution: RateFigure;
    handoffs: { onlineAgent: number; hotline: number; needingPerson: number };
    hotlineShare: RateFigure;
    /** Asks handed to 12345 ÷ all asks (context, no target). */
    hotlineShareOfAll: number | null;
    topUnanswered: GapCluster[];
    topEntries: TopEntry[];
  };
}

export interface ComputeOptions {
  /** How many rows the top lists keep (default 10). */
  topN?: number;
  /** Called between steps, for a progress display. */
  onProgress?: (step: string, done: number, total: number) => void;
}

/** Integer-safe comparison against a percentage target (0.1 × 30 is not 3 in floating point). */
export function rateFigure(numerator: number, denominator: number, target: number, direction: RateFigure['direction']): RateFigure {
  const pct = Math.round(target * 100);
  const verdict: Verdict =
    denominator === 0 ? '无数据'
    : (direction === 'atLeast' ? numerator * 100 >= pct * denominator : numerator * 100 <= pct * denominator) ? '达标'
    : '未达标';
  return { numerator, denominator, rate: denominator ? numerator / denominator : null, target, direction, verdict };
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const collator = new Intl.Collator('zh-Hans-CN');
/** Bigger first, then by name in pinyin order; 未填写 last among equals. */
function byCountThenName<T>(count: (x: T) => number, name: (x: T) => string) {
  return (a: T, b: T) =>
    count(b) - count(a) ||
    Number(name(a) === UNSET_DEPARTMENT) - Number(name(b) === UNSET_DEPARTMENT) ||
    collator.compare(name(a), name(b));
}

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : NaN);
const departmentOf = (e: Entry): string => e.department?.trim() || UNSET_DEPARTMENT;

/**
 * Every entry as it stood at `asOfIso`: the current row when it has not changed since, else the latest recorded
 * version at or before that instant. Entries created later are absent.
 */
function entriesAsOf(kb: KnowledgeBase, asOfIso: string): Entry[] {
  const out: Entry[] = [];
  const changedSince: number[] = [];
  for (let offset = 0; ; offset += 1000) {
    const { items } = kb.entries.list({ limit: 1000, offset });
    for (const e of items) {
      if (e.updatedAt <= asOfIso) out.push(e);
      else changedSince.push(e.id);
    }
    if (items.length < 1000) break;
  }
  for (const id of changedSince) {
    const then = kb.entries.snapshotAt(id, asOfIso);
    if (then) out.push(then);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** What every section's computation shares: the window, the as-of instant and the entries as they stood then. */
interface Context {
  kb: KnowledgeBase;
  calendar: WorkingCalendar;
  period: ReportPeriod;
  topN: number;
  startMs: number;
  asOfMs: number;
  asOf: string;
  asOfDate: string;
  notStarted: boolean;
  /** In [period start, asOf]. */
  inPeriod(iso: string | null | undefined): boolean;
  entries: Entry[];
  byId: Map<number, Entry>;
  /** First publish instant (ms) from the entry's history, else its published_at; NaN when never published. */
  firstPublishOf(e: Entry): number;
}

/**
 * Computes every figure of the audit report for one half-year. Reads only; `now` decides how far the period has run.
 * `calendar` gives working days (gap fill times, the policy deadline, overdue days).
 */
export function computeAuditReport(
  kb: KnowledgeBase,
  calendar: WorkingCalendar,
  period: ReportPeriod,
  now: Date,
  options: ComputeOptions = {},
): AuditReport {
  const steps = 6;
  const progress = (step: string, done: number) => options.onProgress?.(step, done, steps);
  const endMs = Date.parse(period.endIso) - 1;
  const asOfMs = Math.min(now.getTime(), endMs);
  const asOf = new Date(asOfMs).toISOString();
  const startMs = Date.parse(period.startIso);
  const notStarted = asOfMs < startMs;

  progress('条目', 0);
  const entries = notStarted ? [] : entriesAsOf(kb, asOf);
  const firstPublish = new Map<number, number>();
  for (const r of kb.entries.firstPublishTimes()) firstPublish.set(r.entryId, ms(r.at));
  const ctx: Context = {
    kb, calendar, period, topN: options.topN ?? 10, startMs, asOfMs, asOf, asOfDate: shanghaiDate(new Date(asOfMs)), notStarted,
    inPeriod: (iso) => {
      const t = ms(iso);
      return t >= startMs && t <= asOfMs;
    },
    entries,
    byId: new Map(entries.map((e) => [e.id, e])),
    firstPublishOf: (e) => firstPublish.get(e.id) ?? ms(e.publishedAt),
  };

  const kbFigures = kbSize(ctx);
  progress('复核', 1);
  const review = reviewCoverage(ctx);
  progress('查遗补缺', 2);
  const gaps = gapFigures(ctx);
  progress('政策时效', 3);
  const policies = policyTimeliness(ctx);
  progress('提问', 4);
  const asks = askFigures(ctx);
  progress('热点问题', 5);
  const topUnanswered = topGapClusters(ctx, gaps.rows, gaps.stateAt);
  progress('完成', 6);

  const hasData =
    !notStarted &&
    (asks.total > 0 || kbFigures.versions > 0 || gaps.figures.opened > 0 || gaps.figures.filledOnTime + gaps.figures.filledLate + gaps.figures.dismissed > 0 ||
      review.reviewedInPeriod > 0 || policies.documents.length > 0);

  return {
    period,
    generatedAt: now.toISOString(),
    asOf,
    asOfDate: ctx.asOfDate,
    complete: now.getTime() > endMs,
    notStarted,
    hasData,
    kb: kbFigures.figures,
    reviews: review.figures,
    gaps: gaps.figures,
    policies,
    asks: { ...asks, topUnanswered },
  };
}

/** Published entries by category, level and 责任单位 as of the report; entries created / changed in the period. */
function kbSize(ctx: Context): { figures: AuditReport['kb']; versions: number } {
  const { entries, byId } = ctx;
  const published = entries.filter((e) => e.status === 'published');
  const versions = ctx.kb.entries.versionActionsBetween(ctx.period.startIso, ctx.asOf);
  const touched = (action: string) => new Set(versions.filter((v) => v.action === action).map((v) => v.entryId));
  const added = touched('create');
  const updated = touched('update');
  const publishedIn = touched('publish');
  const archivedIn = touched('archive');
  const countIn = (ids: Set<number>, category: CategoryCode) => [...ids].filter((id) => byId.get(id)?.category === category).length;

  const byCategory: CategoryFigures[] = CATEGORIES.map(({ code, label }) => ({
    category: code,
    label,
    published: published.filter((e) => e.category === code).length,
    added: countIn(added, code),
    updated: countIn(updated, code),
    publishedInPeriod: countIn(publishedIn, code),
    archived: countIn(archivedIn, code),
  }));
  const byLevel = LEVELS.map((level) => ({ level, label: LEVEL_LABELS[level], published: published.filter((e) => e.level === level).length }));
  const deptCounts = new Map<string, number>();
  for (const e of published) deptCounts.set(departmentOf(e), (deptCounts.get(departmentOf(e)) ?? 0) + 1);
  const byDepartment = [...deptCounts]
    .map(([department, n]) => ({ department, published: n }))
    .sort(byCountThenName((x) => x.published, (x) => x.department));
  return {
    versions: versions.length,
    figures: {
      published: published.length,
      draft: entries.filter((e) => e.status === 'draft').length,
      archived: entries.filter((e) => e.status === 'archived').length,
      byCategory,
      byLevel,
      byDepartment,
      added: added.size,
      updated: updated.size,
      publishedInPeriod: publishedIn.size,
      archivedInPeriod: archivedIn.size,
    },
  };
}

/** Half-yearly review coverage by 责任单位, with the unreviewed, expired, stale and flagged entries. */
function reviewCoverage(ctx: Context): { figures: AuditReport['reviews']; reviewedInPeriod: number } {
  const { entries, startMs, asOfMs, asOfDate } = ctx;
  const lastReview = new Map<number, number>();
  const reviewedInPeriod = new Set<number>();
  const noteReview = (entryId: number, t: number) => {
    if (!(t <= asOfMs)) return;
    if (t >= startMs) reviewedInPeriod.add(entryId);
    lastReview.set(entryId, Math.max(lastReview.get(entryId) ?? -Infinity, t));
  };
  for (const r of ctx.kb.reviews.allReviewTimes()) noteReview(r.entryId, ms(r.reviewedAt));
  for (const e of entries) noteReview(e.id, ms(e.lastReviewedAt));

  const staleBefore = `${Number(asOfDate.slice(0, 4)) - 1}${asOfDate.slice(4)}`;
  const units = new Map<string, ReviewUnitFigures>();
  const unit = (department: string) => {
    let u = units.get(department);
    if (!u) units.set(department, (u = { department, due: 0, reviewed: 0, unreviewed: 0, expired: 0, stale: 0, flagged: 0, coverage: null }));
    return u;
  };
  for (const e of entries) {
    const isPublished = e.status === 'published';
    // An entry marked 待复核 at the cut-off (source changed, replaced, expired …) still waits for its review,
    // whatever review it had earlier in the period: it is due and not reviewed.
    const flagged = isPublished && e.reviewDue;
    const reviewed = reviewedInPeriod.has(e.id) && !flagged;
    if (!isPublished && !reviewed) continue;
    const u = unit(departmentOf(e));
    // As the review job sees it: publishing counts as a check, so an entry published in this half-year is not due
    // yet — unless it is marked 待复核.
    const due = reviewed || flagged || ms(e.publishedAt ?? e.createdAt) < startMs;
    if (due) u.due++;
    if (reviewed) u.reviewed++;
    if (!isPublished) continue;
    if (due && !reviewed) u.unreviewed++;
    if (e.expiresAt && e.expiresAt < asOfDate) u.expired++;
    const since = lastReview.get(e.id) ?? ctx.firstPublishOf(e);
    if (Number.isFinite(since) && shanghaiDate(new Date(since)) < staleBefore) u.stale++;
    if (e.reviewDue) u.flagged++;
  }
  const byDepartment = [...units.values()]
    .map((u) => ({ ...u, coverage: u.due ? u.reviewed / u.due : null }))
    .sort(byCountThenName((x) => x.due, (x) => x.department));
  const total: ReviewUnitFigures = { department: '合计', due: 0, reviewed: 0, unreviewed: 0, expired: 0, stale: 0, flagged: 0, coverage: null };
  for (const u of byDepartment) {
    for (const k of ['due', 'reviewed', 'unreviewed', 'expired', 'stale', 'flagged'] as const) total[k] += u[k];
  }
  total.coverage = total.due ? total.reviewed / total.due : null;
  return {
    reviewedInPeriod: reviewedInPeriod.size,
    figures: { byDepartment, total, coverage: rateFigure(total.reviewed, total.due, TARGETS.reviewCoverage, 'atLeast') },
  };
}

type GapState = GapCluster['state'];

/** 查遗补缺: gaps opened, filled on time or late, dismissed in the period; open and overdue as of the report. */
function gapFigures(ctx: Context): { figures: AuditReport['gaps']; stateAt: (g: Gap) => GapState | null; rows: Gap[] } {
  const { asOfMs, asOfDate, startMs, calendar } = ctx;
  const rows = ctx.kb.gaps.all();
  const resolvedMs = (g: Gap) => ms(g.resolvedAt ?? g.updatedAt);
  const firstAskDate = (g: Gap) => shanghaiDate(new Date(ms(g.firstAskedAt)));
  const stateAt = (g: Gap): GapState | null => {
    if (!(ms(g.firstAskedAt) <= asOfMs)) return null;
    if (g.status !== 'open' && resolvedMs(g) <= asOfMs) return g.status as 'filled' | 'dismissed';
    return g.dueDate < asOfDate ? 'overdue' : 'open';
  };
  const f = { filledOnTime: 0, filledLate: 0, dismissed: 0, openOverdue: 0, openNotDue: 0 };
  const fillDays: number[] = [];
  const overdue: GapListItem[] = [];
  for (const g of rows) {
    const state = stateAt(g);
    if (state === 'overdue') {
      f.openOverdue++;
      overdue.push({
        gapId: g.id, question: g.question, firstAskedDate: firstAskDate(g), dueDate: g.dueDate,
        workingDaysOverdue: calendar.workingDaysBetween(g.dueDate, asOfDate), askCount: g.askCount,
      });
    } else if (state === 'open') f.openNotDue++;
    if ((state !== 'filled' && state !== 'dismissed') || resolvedMs(g) < startMs) continue;
    if (state === 'dismissed') {
      f.dismissed++;
      continue;
    }
    const filledDate = shanghaiDate(new Date(resolvedMs(g)));
    if (filledDate <= g.dueDate) f.filledOnTime++;
    else f.filledLate++;
    fillDays.push(calendar.workingDaysBetween(firstAskDate(g), filledDate));
  }
  overdue.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.gapId - b.gapId));
  return {
    rows,
    stateAt,
    figures: {
      opened: rows.filter((g) => ctx.inPeriod(g.firstAskedAt)).length,
      ...f,
      medianWorkingDaysToFill: median(fillDays),
      onTime: rateFigure(f.filledOnTime, f.filledOnTime + f.filledLate + f.openOverdue, TARGETS.gapOnTime, 'atLeast'),
      overdue,
    },
  };
}

/** Policies taking effect in the period: were all their entries published by the working day before? */
function policyTimeliness(ctx: Context): AuditReport['policies'] {
  const { kb, period, asOfMs, asOfDate } = ctx;
  const inPeriod = kb.documents
    .list('policy')
    .filter((d) => d.effectiveDate && d.effectiveDate >= period.startDate && d.effectiveDate <= period.endDate);
  const judged = ctx.notStarted ? [] : inPeriod.filter((d) => d.effectiveDate! <= asOfDate);
  const documents: PolicyTimeliness[] = judged.map((d) => {
    const effectiveDate = d.effectiveDate!;
    const deadline = ctx.calendar.addWorkingDays(effectiveDate, -1);
    const effectiveEndMs = Math.min(new Date(`${shiftDate(effectiveDate, 1)}T00:00:00+08:00`).getTime() - 1, asOfMs);
    const effectiveEnd = new Date(effectiveEndMs).toISOString();
    let count = 0;
    let onTime = 0;
    let last: string | null = null;
    let unpublished = false;
    for (const current of kb.entries.ofDocument(d.id)) {
      const then: Entry | null = current.updatedAt <= effectiveEnd ? current : kb.entries.snapshotAt(current.id, effectiveEnd);
      if (!then || then.status === 'archived') continue;
      count++;
      const first = ctx.firstPublishOf(current);
      if (!(first <= effectiveEndMs)) {
        unpublished = true;
        continue;
      }
      const date = shanghaiDate(new Date(first));
      if (date <= deadline) onTime++;
      if (!last || date > last) last = date;
    }
    return {
      documentId: d.id, title: d.title, docNumber: d.docNumber, effectiveDate, deadline, entries: count, publishedOnTime: onTime,
      lastPublishedDate: unpublished ? null : last,
      status: count === 0 ? 'no_entries' : onTime === count ? 'on_time' : 'late',
    };
  });
  documents.sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.documentId - b.documentId));
  return {
    documents,
    pending: ctx.notStarted ? inPeriod.length : inPeriod.length - judged.length,
    onTime: rateFigure(documents.filter((d) => d.status === 'on_time').length, documents.length, TARGETS.policyOnTime, 'atLeast'),
  };
}

/** Asks of the period by outcome and channel; 好差评 resolution; hand-offs; the most answered entries. */
function askFigures(ctx: Context): Omit<AuditReport['asks'], 'topUnanswered'> {
  const zeroOutcomes = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<AskOutcome, number>;
  const byOutcome = zeroOutcomes();
  const channels = new Map<string, ChannelFigures>();
  const channel = (c: string) => {
    let f = channels.get(c);
    if (!f) channels.set(c, (f = { channel: c, label: CHANNEL_LABELS[c] ?? c, total: 0, byOutcome: zeroOutcomes() }));
    return f;
  };
  const n = { total: 0, withFeedback: 0, resolved: 0, entWithFeedback: 0, entResolved: 0, toAgent: 0, toHotline: 0, needingPerson: 0 };
  const entryHits = new Map<number, number>();
  // Feedback and hand-offs count as they stood at the as-of instant: the last verdict given by then. Read in bulk and
  // joined here (feedback and handoffs have no index on ask_id: a correlated subquery per ask would be quadratic).
  const range = { start: ctx.period.startIso, asOf: ctx.asOf };
  const verdicts = new Map<string, number>();
  const hotline = new Set<string>();
  const agent = new Set<string>();
  if (!ctx.notStarted) {
    for (const f of ctx.kb.asks.feedbackOfAsksBetween(range.start, range.asOf)) verdicts.set(f.askId, f.resolved);
    for (const h of ctx.kb.asks.handoffsOfAsksBetween(range.start, range.asOf)) (h.channel === '12345' ? hotline : agent).add(h.askId);
  }
  type Row = { id: string; channel: string; audience: string; outcome: AskOutcome; entryId: number | null; resolved: number | null; feedbackAt: string | null };
  const iterate: Iterable<Row> = ctx.notStarted ? [] : ctx.kb.asks.asksBetween(range.start, range.asOf);
  for (const a of iterate) {
    n.total++;
    const outcome = a.outcome in byOutcome ? a.outcome : 'no_answer';
    byOutcome[outcome]++;
    const c = channel(a.channel);
    c.total++;
    c.byOutcome[outcome]++;
    // The ask row's own verdict only stands in for data written without feedback rows.
    const verdict = verdicts.get(a.id) ?? (a.feedbackAt && a.feedbackAt <= ctx.asOf ? a.resolved : null);
    if (verdict !== null && verdict !== undefined) {
      n.withFeedback++;
      if (verdict === 1) n.resolved++;
      if (a.audience === 'enterprise') {
        n.entWithFeedback++;
        if (verdict === 1) n.entResolved++;
      }
    }
    const toAgent = agent.has(a.id);
    const toHotline = hotline.has(a.id);
    if (toAgent) n.toAgent++;
    if (toHotline) n.toHotline++;
    if (toAgent || toHotline || a.outcome === 'no_answer') n.needingPerson++;
    if (a.entryId !== null) entryHits.set(a.entryId, (entryHits.get(a.entryId) ?? 0) + 1);
  }
  const knownOrder = (c: string) => {
    const i = (CHANNELS as readonly string[]).indexOf(c);
    return i < 0 ? CHANNELS.length : i;
  };
  const topEntries: TopEntry[] = [...entryHits]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, ctx.topN)
    .map(([entryId, hits]) => {
      const e = ctx.byId.get(entryId) ?? ctx.kb.entries.get(entryId);
      return {
        entryId,
        question: e?.question ?? `条目 ${entryId}`,
        category: e ? CATEGORIES.find((c) => c.code === e.category)!.label : '',
        department: e ? departmentOf(e) : UNSET_DEPARTMENT,
        asks: hits,
      };
    });
  return {
    total: n.total,
    byOutcome,
    byChannel: [...channels.values()].sort((a, b) => knownOrder(a.channel) - knownOrder(b.channel) || a.channel.localeCompare(b.channel)),
    resolution: rateFigure(n.resolved, n.withFeedback, TARGETS.resolution, 'atLeast'),
    enterpriseResolution: rateFigure(n.entResolved, n.entWithFeedback, TARGETS.enterpriseResolution, 'atLeast'),
    handoffs: { onlineAgent: n.toAgent, hotline: n.toHotline, needingPerson: n.needingPerson },
    hotlineShare: rateFigure(n.toHotline, n.needingPerson, TARGETS.hotlineShare, 'atMost'),
    hotlineShareOfAll: n.total ? n.toHotline / n.total : null,
    topEntries,
  };
}

/** The gaps most asked in the period (their gap_questions), whatever their state. */
function topGapClusters(ctx: Context, rows: Gap[], stateAt: (g: Gap) => GapState | null): GapCluster[] {
  const gapById = new Map(rows.map((g) => [g.id, g]));
  const counts = new Map<number, { asks: number; enterprise: number }>();
  for (const q of ctx.kb.gaps.allAskTimes()) {
    if (!ctx.inPeriod(q.askedAt) || !gapById.has(q.gapId)) continue;
    const c = counts.get(q.gapId) ?? { asks: 0, enterprise: 0 };
    c.asks++;
    if (q.audience === 'enterprise') c.enterprise++;
    counts.set(q.gapId, c);
  }
  return [...counts]
    .sort((a, b) => b[1].asks - a[1].asks || a[0] - b[0])
    .slice(0, ctx.topN)
    .map(([id, c]) => {
      const g = gapById.get(id)!;
      return { gapId: id, question: g.question, asks: c.asks, enterpriseAsks: c.enterprise, state: stateAt(g) ?? 'open', dueDate: g.dueDate };
    });
}

/** What each figure means, printed as the report's 定义 section. */
export const DEFINITIONS: ReadonlyArray<{ term: string; text: string }> = [
  { term: '统计期与截止时点', text: 'H1 为 1 月 1 日至 6 月 30 日，H2 为 7 月 1 日至 12 月 31 日，均按北京时间（Asia/Shanghai）。所有数字截至“数据截至”时点：期末最后一刻，或期未结束时的生成时刻；此后记录的事件（补记的评价、转人工、复核等）不计入，因此期满后任何时候生成的同一期报告数字相同。' },
  { term: '知识库规模', text: '截止时点处于“已发布”状态的条目数，按栏目（七个栏目）、层级（市级/区级）、责任单位（条目未填责任单位的记为“未填写”）统计。条目状态取截止时点时的版本（条目历史）。' },
  { term: '新增 / 修改 / 发布 / 归档', text: '期内（开始至截止时点）条目历史中有“创建”“修改”“发布”“归档”记录的不同条目数；同一条目多次修改只计一次，栏目按截止时点的版本归类。' },
  { term: '应复核', text: '截止时点仍为已发布、且在本期开始前已发布的条目（发布即视为一次核对，本期新发布的条目下一期才到期，与每日复核任务一致），截止时点带“待复核”标记的已发布条目（来源文件变化、被替代、过期等，不论何时发布），加上期内复核过（含复核后归档）的条目。' },
  { term: '已复核', text: '期内（开始至截止时点）有复核记录、且截止时点没有“待复核”标记的条目：reviews 表中有一条复核时间在期内的记录，或条目的最近复核时间落在期内。复核后又被标记待复核的条目算未复核。复核覆盖率 = 已复核 ÷ 应复核，目标 100%（每半年复核一次）。' },
  { term: '未复核', text: '应复核而未复核的条目：截止时点已发布、本期开始前已发布且期内没有复核记录的条目，以及截止时点带“待复核”标记的条目。' },
  { term: '已过期', text: '截止时点已发布、失效日期早于截止日期的条目（应停止作答并复核）；与下两项一样，按责任单位统计其全部已发布条目，不论是否应复核。' },
  { term: '超一年未复核', text: '截止时点已发布、最近一次复核（从未复核的，取首次发布）早于截止日期前一年同日的条目。' },
  { term: '待复核标记', text: '截止时点条目带有“待复核”标记的已发布条目数（标记不影响作答）。' },
  { term: '查遗补缺新增', text: '首次提问时间在期内的缺口数。' },
  { term: '按时补齐 / 逾期补齐', text: '期内补齐（补齐时间在期内）的缺口中，补齐日期（北京时间）不晚于应补日期（首次提问后第 5 个工作日）的为按时，晚于的为逾期。' },
  { term: '逾期未补', text: '截止时点仍未补齐、未驳回，且应补日期早于截止日期的缺口（不论何时产生）。“未到期”为截止时点仍待补但未过应补日期的缺口。' },
  { term: '已驳回', text: '期内驳回（如超出受理范围）的缺口数，不计入按时率。' },
  { term: '查遗补缺按时率', text: '按时补齐 ÷（按时补齐 + 逾期补齐 + 逾期未补），目标 100%（5 个工作日内补充至知识库）。' },
  { term: '补齐用时中位数', text: '期内补齐的缺口，从首次提问日到补齐日之间的工作日数（不含首次提问当日，按法定节假日与调休计算）的中位数；偶数个时取中间两个的平均。' },
  { term: '政策问答时效', text: '生效日期在期内且不晚于截止日期的政策文件。最迟发布日为生效日期前的最后一个工作日。文件按时 = 生效日当天结束时存在（未归档）的该文件全部条目，首次发布日期均不晚于最迟发布日；没有条目的文件记为未按时。按时率 = 按时文件数 ÷ 文件数，目标 100%。生效日期晚于截止日期的文件记为“待生效”，不计入。' },
  { term: '提问', text: '提问时间在期内（至截止时点）的全部提问，按结果（直接作答、猜你想问、未能作答、超出范围）和渠道统计。' },
  { term: '解决率（好差评）', text: '期内提问中，截止时点已有好差评评价的提问里，最后一次评价为“已解决”的占比：已解决 ÷ 有评价的提问。整体目标 ≥ 50%（智能客服），企业（提问对象为企业）目标 ≥ 60%。' },
  { term: '转 12345 派单率', text: '期内提问中截止时点已转 12345 的提问数 ÷ 需人工帮办的提问数（已转人工——线上人工帮办或 12345——或结果为“未能作答”的提问），上限 10%。另列转 12345 占全部提问的比例，仅供参考。' },
  { term: '未能解答的热点问题', text: '按期内归入各缺口的提问数（gap_questions）排列的缺口，不论其截止时点的状态；状态为截止时点的状态。' },
  { term: '最常命中的条目', text: '期内直接作答的提问按所答条目计数，取前十。' },
];
