import type { KnowledgeBase } from '../kb/index.js';
import type { SearchEngine } from '../search/engine.js';
import type { EntryInput } from '../kb/validate.js';
import { ConflictError, NotFoundError } from '../kb/errors.js';
import { shanghaiDate, type WorkingCalendar } from './calendar.js';
import type { AskRecord } from '../kb/asks.js';
import { maskPersonalData } from '../privacy/mask.js';
import { QuestionFeaturizer, candidateKeys, questionKey, questionSimilarity, GAP_SIMILARITY, type QuestionFeatures, sameGap } from './gap-similarity.js';
import { OpenGapIndex } from './gap-index.js';
import { NewGapQuota } from './gap-quota.js';
import type { Gap, GapAsk, GapReason, GapStatus, CitizenReason, GapSummary } from '../kb/gaps.js';
import type { GapQuestion, GapView } from '../../shared/admin.js';
import type { ImportGapPlan } from '../../shared/ingest.js';

// The gap types are the KB layer's (server/kb/gaps.ts); re-exported for the code that takes them from here.
export { GAP_STATES, type Gap, type GapStatus, type GapReason, type FillMode, type CitizenReason, type GapAsk } from '../kb/gaps.js';

/** Working days from the first ask to the answer in the KB (000 §二(一)5). */
export const GAP_SLA_WORKING_DAYS = 5;
/** A gap with this many working days left (or fewer) is due soon. */
export const DUE_SOON_WORKING_DAYS = 1;
/** Similar questions an entry may carry (the entry schema's limit). */
export const MAX_SIMILAR_QUESTIONS = 30;
/** Distinct questions of a gap compared with a new ask: the most asked ones. */
const MAX_REPRESENTATIVES = 20;

/** A gap as the admin API shows it, and a sheet row's gap (declared in shared/: the admin page reads them). */
export type { GapQuestion, GapView, ImportGapPlan };

export interface GapListFilter {
  state?: GapStatus;
  /** soon: open with ≤ 1 working day left and not overdue; overdue: open past its due date. */
  due?: 'soon' | 'overdue';
  limit?: number;
  offset?: number;
}

/** What checkSla reports (a type, not an interface, so a job runner can store it as a plain record). */
export type SlaSummary = { today: string; open: number; dueSoon: number; overdue: number; overdueIds: number[]; dueSoonIds: number[] };
export type ClusterSummary = { open: number; merged: number; merges: Array<{ from: number; into: number }> };

/** A new entry filling a gap: the entry fields, the question defaulting to the gap's (origin is always gap-fill). */
export type FillEntryInput = Omit<EntryInput, 'question' | 'origin'> & { question?: string };

/**
 * 004 §二(二)1: enterprise 办事, 求助 and 热点政策 questions first. Decided by the question's words (an enterprise
 * — 企业, 公司, 营业执照 … — asking about one of those topics), not by the widget it was asked from: a portal's
 * enterprise widget also gets 护照 and 迪士尼 questions, and those are not enterprise questions.
 */
const ENTERPRISE_SUBJECT = /企业|公司|营业执照|执照|法人|个体工商户|个体户|商户|工商|纳税人|股东|厂/;
const PRIORITY_TOPIC = /办理|申请|材料|流程|手续|补办|补领|怎么补|丢了|遗失|登记|注册|变更|注销|年报|求助|帮忙|怎么办|补贴|减税|降费|减免|退税|免申即享|政策|扶持|奖励|惠企|贷款/;

/**
 * A gap question with the audience its asker declared ('all' when nobody did: the widget's portal default is not a
 * declaration, server/answer/service.ts records it as nobody's). Plain strings are questions without an asker (imports).
 */
export type GapQuestionText = string | { question: string; audience?: string };

const textOf = (q: GapQuestionText) => (typeof q === 'string' ? q : q.question);
const declaredOf = (q: GapQuestionText) => (typeof q === 'string' ? 'all' : q.audience ?? 'all');

/** Who asked: what the asker declared (企业 / 个人); undeclared, 企业 when the question's words speak of one. */
export function askAudience(q: GapQuestionText): 'enterprise' | 'individual' | 'all' {
  const declared = declaredOf(q);
  if (declared === 'enterprise' || declared === 'individual') return declared;
  return ENTERPRISE_SUBJECT.test(textOf(q)) ? 'enterprise' : 'all';
}

/** 1 when a question is an enterprise's (by its words, or its asker declared 企业) and about 办事 / 求助 / 热点政策. */
export function gapPriority(questions: GapQuestionText[]): 1 | 2 {
  const enterprise = (q: GapQuestionText) => declaredOf(q) === 'enterprise' || ENTERPRISE_SUBJECT.test(textOf(q));
  return questions.some((q) => enterprise(q) && PRIORITY_TOPIC.test(textOf(q))) ? 1 : 2;
}

/**
 * The audience a gap's answer is for (the fill form's default): 企业 when a question speaks of one or an asker
 * declared 企业; else 个人 when an asker declared 个人; else 全部.
 */
export function questionAudience(questions: GapQuestionText[]): 'enterprise' | 'individual' | 'all' {
  if (questions.some((q) => ENTERPRISE_SUBJECT.test(textOf(q)))) return 'enterprise';
  const each = questions.map(askAudience);
  if (each.includes('enterprise')) return 'enterprise';
  return each.includes('individual') ? 'individual' : 'all';
}

/**
 * Adds questions to an entry's similar questions: without repeating the entry's question or one another
 * (punctuation, width and case ignored), the existing ones kept first, at most MAX_SIMILAR_QUESTIONS. The added
 * ones are citizens' asks: masked again on the way into the KB (asks logged before masking caught every spelling).
 */
export function mergeSimilarQuestions(question: string, existing: string[], added: string[]): string[] {
  const seen = new Set([questionKey(question)]);
  const out: string[] = [];
  for (const q of [...existing, ...added.map(maskPersonalData)]) {
    const key = questionKey(q);
    if (!key || seen.has(key) || out.length >= MAX_SIMILAR_QUESTIONS) continue;
    seen.add(key);
    out.push(q.trim());
  }
  return out;
}

/** A question of an imported sheet that had no answer, and the gap it is now in (written: it has an id). */
export type ImportGap = ImportGapPlan & { gapId: number };

const importKey = (question: string) => questionKey(question) || question;

/** The plan of openGapsFromImport: reads the KB's gaps, writes nothing. */
export function planImportGaps(kb: KnowledgeBase, rows: Array<{ rowNumber: number; question: string }>): ImportGapPlan[] {
  if (!rows.length) return [];
  const existing = new Map<string, number | null>();
  for (const g of kb.gaps.undismissedQuestions()) {
    const key = importKey(g.question);
    if (!existing.has(key)) existing.set(key, g.id);
  }
  return rows.map(({ rowNumber, question }) => {
    const key = importKey(question);
    if (existing.has(key)) return { rowNumber, question, gapId: existing.get(key)!, created: false };
    existing.set(key, null); // opened by this row: later rows with the question join it
    return { rowNumber, question, gapId: null, created: true };
  });
}

/**
 * Opens gaps for questions a department's sheet left without an answer, due 5 working days after the import: carries
 * out planImportGaps. Runs in the caller's transaction (the import's), needs no search engine (the CLI has none).
 * There is no ask behind such a gap, so it has no gap_questions and does not join citizens' asks; the same question
 * (normalised) already in an open or filled gap is not opened again, so re-importing the sheet adds nothing.
 */
export function openGapsFromImport(
  kb: KnowledgeBase, calendar: WorkingCalendar, rows: Array<{ rowNumber: number; question: string }>,
): ImportGap[] {
  const plan = planImportGaps(kb, rows);
  if (!plan.length) return [];
  const now = kb.clock.nowIso();
  const due = calendar.addWorkingDays(shanghaiDate(new Date(now)), GAP_SLA_WORKING_DAYS);
  const opened = new Map<string, number>();
  return plan.map(({ rowNumber, question, gapId, created }) => {
    const key = importKey(question);
    if (created) {
      const id = kb.gaps.create({ question, firstAskedAt: now, lastAskedAt: now, dueDate: due, priority: gapPriority([question]), now });
      opened.set(key, id);
      return { rowNumber, question, gapId: id, created };
    }
    return { rowNumber, question, gapId: gapId ?? opened.get(key)!, created };
  });
}

/**
 * Open gaps by their question (normalised as planImportGaps compares a sheet's questions): an entry an import creates
 * for exactly that question answers the gap, so it is linked to it and publishing it fills the gap.
 */
export function openGapsByQuestion(kb: KnowledgeBase): { take(question: string): number | undefined } {
  const undismissed = kb.gaps.undismissedQuestions();
  const open = new Set(kb.gaps.openAmong(undismissed.map((g) => g.id)));
  const byKey = new Map<string, number>();
  for (const g of undismissed) if (open.has(g.id) && !byKey.has(importKey(g.question))) byKey.set(importKey(g.question), g.id);
  return {
    /** The open gap asking this question, once (a second entry with the question is not linked to it again). */
    take(question: string) {
      const id = byKey.get(importKey(question));
      byKey.delete(importKey(question));
      return id;
    },
  };
}

/** Where an ask came from, for the per-client bound on new gaps (never stored). */
export interface AskSource {
  /** The client's address (req.ip); asks without one (scripts, imports, tests) are not bounded. */
  client?: string;
}

/** 查遗补缺: questions the KB could not answer, clustered into gaps due 5 working days after the first ask. */
export class GapService {
  private readonly featurizer: QuestionFeaturizer;
  private readonly index: OpenGapIndex;
  /** New gaps per client per Shanghai day (KB_GAP_DAILY_LIMIT). */
  readonly quota: NewGapQuota;

  constructor(
    readonly kb: KnowledgeBase,
    readonly engine: SearchEngine,
    readonly calendar: WorkingCalendar,
    options: { newGapsPerClientPerDay?: number } = {},
  ) {
    this.featurizer = new QuestionFeaturizer(engine);
    this.index = new OpenGapIndex(kb.gaps, this.featurizer);
    this.quota = new NewGapQuota(options.newGapsPerClientPerDay);
  }

  get(id: number): Gap | null {
    return this.kb.gaps.get(id);
  }

  require(id: number): Gap {
    const gap = this.get(id);
    if (!gap) throw new NotFoundError('缺口', id);
    return gap;
  }

  /** The gap an ask was gathered in, if any. */
  gapOfAsk(askId: string): Gap | null {
    return this.kb.gaps.ofAsk(askId);
  }

  /** Distinct questions of a gap, most asked first (then first asked). */
  questionsOf(gapId: number): GapQuestion[] {
    return gapQuestions(this.kb, gapId);
  }

  asksOf(gapId: number): GapAsk[] {
    return this.kb.gaps.asksOf(gapId);
  }

  view(gap: Gap, today: string = shanghaiDate(this.kb.clock.now())): GapView {
    const reasons = this.kb.gaps.reasonCounts(gap.id);
    const citizenReasons: CitizenReason[] = this.kb.gaps.citizenReasons(gap.id);
    const atDismissal = gap.status === 'dismissed' ? this.kb.gaps.asksAtDismissal(gap.id) : null;
    const askedSinceDismissal = atDismissal === null ? 0 : Math.max(gap.askCount - atDismissal, 0);
    const questions = this.questionsOf(gap.id);
    const open = gap.status === 'open';
    const overdue = open && today > gap.dueDate;
    const left = open ? this.calendar.workingDaysBetween(today, gap.dueDate) : null;
    return {
      ...gap,
      questions,
      reasons,
      citizenReasons,
      askedSinceDismissal,
      suggestedAudience: questionAudience(this.kb.gaps.questionAudiences(gap.id)),
      workingDaysLeft: left,
      overdue,
      dueSoon: open && !overdue && left! <= DUE_SOON_WORKING_DAYS,
      filledOnTime: gap.status === 'filled' && gap.resolvedAt ? shanghaiDate(new Date(gap.resolvedAt)) <= gap.dueDate : null,
    };
  }

  /** Ordered: priority, overdue first, due date, most asked, oldest. */
  list(filter: GapListFilter = {}, now: Date = this.kb.clock.now()): { today: string; total: number; items: GapView[] } {
    const today = shanghaiDate(now);
    let gaps = this.kb.gaps.list({
      state: filter.state,
      openOnly: filter.due !== undefined,
      dueBefore: filter.due === 'overdue' ? today : undefined,
      dueFrom: filter.due === 'soon' ? today : undefined,
    }, today);
    if (filter.due === 'soon') gaps = gaps.filter((g) => this.calendar.workingDaysBetween(today, g.dueDate) <= DUE_SOON_WORKING_DAYS);
    const offset = Math.max(filter.offset ?? 0, 0);
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    return { today, total: gaps.length, items: gaps.slice(offset, offset + limit).map((g) => this.view(g, today)) };
  }

  /**
   * Feeds an ask into the gap queue: a no_answer or suggest ask, or one whose feedback was 未解决. It joins the most
   * similar open gap, or opens one. A question an editor dismissed stays dismissed: the ask is counted on the
   * dismissed gap (which an editor can reopen), not opened again. An ask joins once: feeding it again returns its
   * gap (with 未解决 now, the reason it is there becomes 未解决). The open gaps it is compared with come from an index
   * (OpenGapIndex), so the cost does not grow with the queue; dismissed gaps grow only by editors' decisions. A client
   * that has opened its day's share of new gaps (NewGapQuota) opens no more: its ask still joins a matching gap,
   * otherwise it is only counted (null is returned; the ask itself is in the ask log either way). An ask whose
   * citizen has already picked one of its 猜你想问 (the pick came before the ask was gathered) is not added (null).
   */
  async recordAsk(ask: AskRecord, reason: GapReason, source: AskSource = {}): Promise<Gap | null> {
    const known = this.gapOfAsk(ask.id);
    if (known) {
      if (reason === 'unresolved') this.kb.gaps.markAskUnresolved(ask.id);
      return known;
    }
    const own = (await this.featurizer.featuresOf([ask.question])).get(ask.question)!;
    const candidates = [
      ...(await this.index.candidates(own)).map((id) => ({ id, questions: this.representatives(id) })),
      ...this.dismissedRepresentatives(),
    ];
    const features = await this.featurizer.featuresOf(candidates.flatMap((c) => c.questions));
    let best: { id: number; similarity: number } | null = null;
    for (const c of candidates) {
      const similarity = Math.max(0, ...c.questions.map((q) => questionSimilarity(own, features.get(q)!)));
      if (similarity >= GAP_SIMILARITY.threshold && (!best || similarity > best.similarity)) best = { id: c.id, similarity };
    }
    return this.kb.transaction(() => {
      const again = this.gapOfAsk(ask.id); // fed twice at once
      if (again) return again;
      // The citizen picked one of its 猜你想问 while it was being gathered: the pick's withdrawal found nothing to
      // withdraw, so it must not be added now. (A 未解决 said after a pick is newer word from the citizen: it joins.)
      if (reason === 'no_answer' && this.kb.asks.choiceOf(ask.id) !== null) return null;
      const status = best ? this.get(best.id)?.status : undefined;
      let gapId = best && (status === 'open' || status === 'dismissed') ? best.id : null;
      if (gapId === null) {
        if (!this.quota.take(source.client, shanghaiDate(new Date(ask.askedAt)))) return null;
        gapId = this.insertGap(ask);
      }
      this.kb.gaps.addAsk(gapId, ask, reason);
      this.refresh(gapId);
      return this.require(gapId);
    });
  }

  /** Daily job: which open gaps are due soon and overdue (the list shows them; nothing is written). */
  checkSla(now: Date): SlaSummary {
    const today = shanghaiDate(now);
    const open = this.kb.gaps.openDueDates();
    const overdueIds = open.filter((g) => today > g.dueDate).map((g) => g.id);
    const dueSoonIds = open
      .filter((g) => today <= g.dueDate && this.calendar.workingDaysBetween(today, g.dueDate) <= DUE_SOON_WORKING_DAYS)
      .map((g) => g.id);
    return { today, open: open.length, dueSoon: dueSoonIds.length, overdue: overdueIds.length, overdueIds, dueSoonIds };
  }

  /**
   * The open gaps, oldest first, each with its most asked distinct questions and their features, for the
   * gap-cluster job (the command mergeSimilarGaps). Read-only on the KB: the search index is brought up to the KB
   * first (concept weights come from the current corpus) and the features are computed afresh (synonyms may have been
   * edited since the asks came in).
   */
  async openGapsWithFeatures(): Promise<{ gaps: Array<{ id: number; questions: string[] }>; featuresOf: (question: string) => QuestionFeatures }> {
    await this.engine.sync();
    this.featurizer.forget();
    const gaps = this.openRepresentatives();
    const features = await this.featurizer.featuresOf(gaps.flatMap((g) => g.questions));
    return { gaps, featuresOf: (q) => features.get(q) as QuestionFeatures };
  }

  /** The gap lookup of new asks is rebuilt at the next ask (a dismissed gap came back to the queue: reopenGap). */
  forgetOpenGaps(): void {
    this.index.reset();
  }

  /**
   * The citizen chose one of the 猜你想问 suggestions: the ask found its answer, so it leaves its open gap (a gap
   * left without asks is deleted, unless an entry is already being written for it).
   */
  withdrawAsk(askId: string): void {
    this.kb.transaction(() => {
      const gap = this.gapOfAsk(askId);
      if (!gap || gap.status !== 'open') return;
      const others = this.kb.gaps.countOtherAsks(gap.id, askId);
      const linked = gap.entryId !== null || this.kb.entries.hasGapLink(gap.id);
      if (!others && linked) return;
      this.kb.gaps.removeAsk(askId);
      if (others) this.refresh(gap.id);
      else this.kb.gaps.delete(gap.id);
    });
  }

  /** Open gaps, oldest first, each with its most asked distinct questions. */
  private openRepresentatives(): Array<{ id: number; questions: string[] }> {
    return this.kb.gaps.idsByStatus('open').map((id) => ({ id, questions: this.representatives(id) }));
  }

  /** A gap's most asked distinct questions: what a new ask is compared with. */
  private representatives(gapId: number): string[] {
    return this.questionsOf(gapId).slice(0, MAX_REPRESENTATIVES).map((q) => q.question);
  }

  /** Dismissed gaps, each with its most asked distinct questions: a new ask of the same question is counted there. */
  private dismissedRepresentatives(): Array<{ id: number; questions: string[] }> {
    return this.kb.gaps.idsByStatus('dismissed').map((id) => ({ id, questions: this.representatives(id) })).filter((g) => g.questions.length > 0);
  }

  private insertGap(ask: AskRecord): number {
    const now = this.kb.clock.nowIso();
    return this.kb.gaps.create({ question: ask.question, firstAskedAt: ask.askedAt, lastAskedAt: ask.askedAt, dueDate: this.dueDate(ask.askedAt), now });
  }

  private dueDate(firstAskedAt: string): string {
    return gapDueDate(this.calendar, firstAskedAt);
  }

  /** Recomputes a gap's counts, dates, question and priority from its asks. */
  private refresh(gapId: number): void {
    this.kb.gaps.saveSummary(gapId, gapSummary(this.kb, this.calendar, gapId));
  }
}
/** Distinct questions of a gap, most asked first (then first asked). */
export function gapQuestions(kb: KnowledgeBase, gapId: number): GapQuestion[] {
  // SQL collapses the identical asks (a popular question is asked thousands of times); JS then merges the ones
  // that differ only in punctuation or spacing.
  const rows = kb.gaps.questionGroups(gapId);
  const byKey = new Map<string, GapQuestion & { order: number }>();
  for (const r of rows) {
    const key = questionKey(r.question) || r.question;
    const hit = byKey.get(key);
    if (hit) {
      hit.count += r.n;
      if (r.last > hit.lastAskedAt) hit.lastAskedAt = r.last;
    } else {
      byKey.set(key, { question: r.question.trim(), count: r.n, lastAskedAt: r.last, order: byKey.size });
    }
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.order - b.order).map(({ question, count, lastAskedAt }) => ({ question, count, lastAskedAt }));
}

/** The gap, which must be open (not filled or dismissed): the gap queue's actions take only open gaps. */
export function requireOpenGap(kb: KnowledgeBase, id: number): Gap {
  const gap = kb.gaps.get(id);
  if (!gap) throw new NotFoundError('缺口', id);
  if (gap.status !== 'open') throw new ConflictError(`缺口 ${id} 已${gap.status === 'filled' ? '补充' : '驳回'}，不能再处理`);
  return gap;
}

/** A gap is due 5 working days after its first ask (000 §二(一)5). */
export function gapDueDate(calendar: WorkingCalendar, firstAskedAt: string): string {
  return calendar.addWorkingDays(shanghaiDate(new Date(firstAskedAt)), GAP_SLA_WORKING_DAYS);
}

/**
 * A gap's counts, dates, question and priority as its asks make them (read-only; what kb.gaps.saveSummary stores
 * after the gap's asks changed).
 */
export function gapSummary(kb: KnowledgeBase, calendar: WorkingCalendar, gapId: number): GapSummary {
  const stats = kb.gaps.askStats(gapId);
  const questions = gapQuestions(kb, gapId).map((q) => q.question);
  // 企业 / 个人 by the question's words and the asker's declaration, never by the portal's widget: each distinct
  // (question, declared audience) classified once, weighted by how many asks it stands for
  const asked = kb.gaps.questionAudiences(gapId);
  let enterprise = 0;
  let individual = 0;
  for (const q of asked) {
    const audience = askAudience(q);
    if (audience === 'enterprise') enterprise += q.n;
    else if (audience === 'individual') individual += q.n;
  }
  return {
    question: questions[0], askCount: stats.n, enterpriseCount: enterprise, individualCount: individual,
    channels: stats.channels, firstAskedAt: stats.first, lastAskedAt: stats.last, dueDate: gapDueDate(calendar, stats.first),
    priority: gapPriority(asked), updatedAt: kb.clock.nowIso(),
  };
}

/**
 * Which open gaps ask the same thing (the gap-cluster rule, read-only): `gaps` oldest first, each with its
 * questions; a gap whose question is the same gap as one of an older survivor's (sameGap) moves into the oldest such
 * survivor, which keeps the earliest first ask (and so its due date), and its questions count for the younger gaps
 * after it. Only gaps sharing a concept can be one gap: an index keeps the comparisons few when the queue is long.
 * `open` is how many gaps stay open.
 */
export function planGapMerges(
  gaps: Array<{ id: number; questions: string[] }>, featuresOf: (question: string) => QuestionFeatures,
): ClusterSummary {
  const similar = (a: string[], b: string[]) => a.some((x) => b.some((y) => sameGap(featuresOf(x), featuresOf(y))));
  type Survivor = { id: number; order: number; questions: string[] };
  const byKey = new Map<string, Set<Survivor>>();
  const index = (s: Survivor, questions: string[]) => {
    for (const key of questions.flatMap((q) => candidateKeys(featuresOf(q)))) {
      if (!byKey.has(key)) byKey.set(key, new Set());
      byKey.get(key)!.add(s);
    }
  };
  const merges: Array<{ from: number; into: number }> = [];
  let open = 0;
  for (const g of gaps) {
    const candidates = new Set(g.questions.flatMap((q) => candidateKeys(featuresOf(q))).flatMap((k) => [...(byKey.get(k) ?? [])]));
    const into = [...candidates].sort((a, b) => a.order - b.order).find((s) => similar(s.questions, g.questions));
    if (into) {
      into.questions.push(...g.questions);
      index(into, g.questions);
      merges.push({ from: g.id, into: into.id });
    } else {
      const survivor = { id: g.id, order: open++, questions: [...g.questions] };
      index(survivor, g.questions);
    }
  }
  return { open, merged: merges.length, merges };
}
