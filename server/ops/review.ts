import type { KnowledgeBase, Entry } from '../kb/index.js';
import type { ListsAll } from '../../shared/domain.js';
import type { ReasonKind, ReviewList, ReviewQueueItem } from '../../shared/admin.js';
import { shanghaiDate } from './calendar.js';
import { isHalfYear, parsePeriod, periodOf } from './half-year.js';

/**
 * Half-yearly review (每半年): which published entries are due, the review queue and the reviews taken (read-only; the
 * reviewer's confirm / update / archive is the reviewEntry command, the daily flagging flagEntriesDueForReview).
 *
 * Due rule: every published entry is checked once per half-year (H1 Jan–Jun, H2 Jul–Dec, Shanghai dates). An entry
 * is due when it was last reviewed — or, never reviewed, published — before the current half-year began; so an
 * entry published this half-year counts as checked at publish time and is next due when the next half-year starts.
 * It is due at once when its source document expired or was replaced after it was last reviewed, or changed (ingest
 * raises that flag itself). The flag never hides an entry: it keeps answering until a reviewer acts.
 */

import { REVIEW_ACTIONS, type ReviewAction, type ReviewRecord, type ReviewCandidate } from '../kb/reviews.js';
export { REVIEW_ACTIONS, type ReviewAction, type ReviewRecord } from '../kb/reviews.js';

/** Why an entry is due, most severe first: the queue is worked in this order. */
export const REASON_KINDS = ['sourceReplaced', 'sourceExpired', 'sourceChanged', 'other', 'expired', 'halfYear'] as const satisfies readonly ReasonKind[];
true satisfies ListsAll<ReasonKind, typeof REASON_KINDS>;
export type { ReasonKind, ReviewList, ReviewQueueItem };

/** Reason texts start with these; ingest writes 源文件已更新 and policy watch 已过失效日期. */
export const REASON_PREFIX: Record<Exclude<ReasonKind, 'other'>, string> = {
  sourceReplaced: '源文件已被替代',
  sourceExpired: '源文件已失效',
  sourceChanged: '源文件已更新',
  expired: '已过失效日期',
  halfYear: '半年度复核',
};

export function reasonKind(reason: string | null): ReasonKind {
  for (const kind of REASON_KINDS) if (kind !== 'other' && reason?.startsWith(REASON_PREFIX[kind])) return kind;
  return 'other';
}

/** 0 = most severe. An entry's flag is only replaced by a more severe reason, so daily jobs do not flip it back and forth. */
export function reasonSeverity(reason: string | null): number {
  return REASON_KINDS.indexOf(reasonKind(reason));
}

/**
 * Whether raising the flag with this reason changes anything: not when the entry already carries an equally or more
 * severe reason (read-only; the commands flagEntriesDueForReview and runPolicyWatch raise it).
 */
export function raisesFlag(entry: { reviewDue: boolean; reviewReason: string | null }, reason: string): boolean {
  return !(entry.reviewDue && reasonSeverity(entry.reviewReason) <= reasonSeverity(reason));
}

/** '2026H2' for an instant in the second half of 2026 (Shanghai time). */
export function halfYearOf(at: Date): string {
  return periodOf(at).id;
}

export { isHalfYear };

/** First and last date (YYYY-MM-DD, inclusive) of a half-year such as '2026H2'. */
export function halfYearRange(halfYear: string): { start: string; end: string } {
  const p = parsePeriod(halfYear, 'halfYear');
  return { start: p.startDate, end: p.endDate };
}

export interface FlagDueSummary {
  today: string;
  halfYear: string;
  /** Entries flagged by this run. */
  flagged: number;
  /** Entries that were already due (with an equal or more severe reason). */
  alreadyDue: number;
  /** The entries flagged by this run, by reason. */
  reasons: Record<ReasonKind, number>;
  /** Every published entry now due, by reason. */
  dueByReason: Record<ReasonKind, number>;
  flaggedEntryIds: number[];
}

/** A count per reason kind, all 0. */
export const emptyReasonCounts = (): Record<ReasonKind, number> => Object.fromEntries(REASON_KINDS.map((k) => [k, 0])) as Record<ReasonKind, number>;

/**
 * The most severe reason a published entry is due for review today (a Shanghai date, in `halfYear`), or null.
 * Read-only: the command flagEntriesDueForReview raises the flags.
 */
export function reviewDueReason(r: ReviewCandidate, today: string, halfYear: string): string | null {
  const reviewedAt = r.lastReviewedAt;
  if (r.docReplacedBy !== null) {
    // The replacement became known when the newer document arrived (or the link was set): a later review settles it.
    const since = [r.replacementCreatedAt, r.docUpdatedAt].filter((x): x is string => !!x).sort().pop() ?? '';
    if (!reviewedAt || reviewedAt < since) return `${REASON_PREFIX.sourceReplaced}：${r.docTitle}（新文件：${r.replacementTitle}）`;
  }
  if (r.docExpiry && r.docExpiry < today && (!reviewedAt || shanghaiDate(new Date(reviewedAt)) <= r.docExpiry)) {
    return `${REASON_PREFIX.sourceExpired}：${r.docTitle}（失效日期 ${r.docExpiry}）`;
  }
  const checkedAt = reviewedAt ?? r.publishedAt ?? r.createdAt;
  if (shanghaiDate(new Date(checkedAt)) < halfYearRange(halfYear).start) return `${REASON_PREFIX.halfYear}：${halfYear}`;
  return null;
}

export class ReviewService {
  constructor(readonly kb: KnowledgeBase) {}

  /** Published entries flagged for review, most severe reason first, then by 责任单位. */
  queue(filter: { department?: string; limit?: number; offset?: number } = {}): { total: number; items: ReviewQueueItem[] } {
    const filterArgs = { status: 'published' as const, reviewDue: true, department: filter.department, limit: 1000 };
    // Sorted here by reason severity, so the whole queue is read (list() pages at 1000).
    const all: Entry[] = [];
    for (let total = Infinity; all.length < total; ) {
      const page = this.kb.entries.list({ ...filterArgs, offset: all.length });
      total = page.total;
      if (!page.items.length) break;
      all.push(...page.items);
    }
    const items = all
      .map((e): ReviewQueueItem => ({
        entryId: e.id, question: e.question, category: e.category, department: e.department, documentId: e.documentId,
        reason: e.reviewReason, reasonKind: reasonKind(e.reviewReason), lastReviewedAt: e.lastReviewedAt, publishedAt: e.publishedAt, updatedAt: e.updatedAt,
      }))
      .sort(
        (a, b) =>
          REASON_KINDS.indexOf(a.reasonKind) - REASON_KINDS.indexOf(b.reasonKind) ||
          (a.department === null ? 1 : 0) - (b.department === null ? 1 : 0) ||
          (a.department ?? '').localeCompare(b.department ?? '', 'zh-Hans-CN') ||
          a.entryId - b.entryId,
      );
    const offset = filter.offset ?? 0;
    return { total: items.length, items: items.slice(offset, offset + (filter.limit ?? 100)) };
  }

  /** Review actions taken in a half-year (oldest first), with the entry's question and 责任单位. */
  list(halfYear: string, filter: { entryId?: number; limit?: number; offset?: number } = {}): ReviewList {
    halfYearRange(halfYear); // validates
    const counts = this.kb.reviews.countsByAction(halfYear, filter.entryId);
    const byAction = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, counts.find((c) => c.action === a)?.n ?? 0])) as Record<ReviewAction, number>;
    const items = this.kb.reviews.listWithEntries(halfYear, { entryId: filter.entryId, limit: filter.limit ?? 100, offset: filter.offset ?? 0 });
    return {
      halfYear,
      total: Object.values(byAction).reduce((a, b) => a + b, 0),
      byAction,
      items,
    };
  }
}
