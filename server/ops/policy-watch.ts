import type { KnowledgeBase } from '../kb/index.js';
import { shanghaiDate, type WorkingCalendar } from './calendar.js';
import { REASON_PREFIX } from './review.js';
import type { PolicyWatchStatus, WatchedDocument } from '../../shared/admin.js';

/**
 * Policy Q&A must be published ≥ 1 working day before the policy takes effect (001 §二(一)3); expired entries stop
 * answering (the search engine filters them) and are flagged for review here.
 */

/** A document takes effect within this many working days: its unpublished Q&A is at risk. */
export const AT_RISK_WORKING_DAYS = 2;
export const EXPIRED_REASON = REASON_PREFIX.expired;

export type { WatchedDocument, PolicyWatchStatus };

export interface PolicyWatchSummary extends PolicyWatchStatus {
  /** Entries past their expiry date flagged by this run. */
  expiredFlagged: number;
  /** Expired entries that were already flagged (or reviewed since they expired). */
  expiredAlreadyDue: number;
  expiredEntryIds: number[];
}

export class PolicyWatch {
  constructor(
    readonly kb: KnowledgeBase,
    readonly calendar: WorkingCalendar,
  ) {}

  /**
   * Read-only: documents in force or upcoming (not replaced, not expired) with an effective date, classified.
   * A document without any entry counts as unpublished (its Q&A has not been written yet); one whose entries were
   * all archived has been dealt with.
   */
  status(now: Date): PolicyWatchStatus {
    const today = shanghaiDate(now);
    const rows = this.kb.documents.inForceWithEntryCounts(today);
    const out: PolicyWatchStatus = { today, atRisk: [], late: [], onTime: [], pending: [] };
    for (const r of rows) {
      const unpublished = r.drafts > 0 || (r.published === 0 && r.archived === 0);
      const doc: WatchedDocument = {
        documentId: r.id, title: r.title, docNumber: r.docNumber, effectiveDate: r.effectiveDate,
        publishBy: this.calendar.addWorkingDays(r.effectiveDate, -1),
        workingDaysLeft: this.calendar.workingDaysBetween(today, r.effectiveDate),
        publishedEntries: r.published, draftEntries: r.drafts,
        draftEntryIds: r.draftIds,
      };
      if (r.effectiveDate <= today) {
        if (unpublished) out.late.push(doc);
      } else if (!unpublished) {
        out.onTime.push(doc);
      } else if (doc.workingDaysLeft <= AT_RISK_WORKING_DAYS) {
        out.atRisk.push(doc);
      } else {
        out.pending.push(doc);
      }
    }
    return out;
  }
}

/**
 * An entry past its expiry date that a reviewer confirmed after it expired has been decided on: the daily run does
 * not raise its flag again (read-only; the command runPolicyWatch raises the flags).
 */
export function reviewedSinceExpiry(e: { lastReviewedAt: string | null; expiresAt: string }): boolean {
  return e.lastReviewedAt !== null && shanghaiDate(new Date(e.lastReviewedAt)) > e.expiresAt;
}
