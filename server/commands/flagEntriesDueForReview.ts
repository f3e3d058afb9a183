import type { KnowledgeBase } from '../kb/index.js';
import { shanghaiDate } from '../ops/calendar.js';
import { emptyReasonCounts, halfYearOf, raisesFlag, reasonKind, reviewDueReason, type FlagDueSummary } from '../ops/review.js';
import { indexChanged, type CommandContext } from './context.js';

export type { FlagDueSummary };

/**
 * Raises an entry's review flag (by `system`) unless it already carries an equally or more severe reason, so daily
 * jobs do not flip it back and forth. Runs in the caller's transaction. True when it flagged.
 */
export function flagIfMoreSevereTx(kb: KnowledgeBase, entry: { id: number; reviewDue: boolean; reviewReason: string | null }, reason: string): boolean {
  if (!raisesFlag(entry, reason)) return false;
  kb.entries.flagForReview(entry.id, reason, 'system');
  return true;
}

/**
 * The daily review-due job (半年度复核): flags the published entries not reviewed in the current half-year, or whose
 * source document expired, was replaced or changed (ops/review.ts reviewDueReason decides), in one transaction. A
 * flag only gives way to a more severe reason, so a second run at the same `now` flags nothing and writes no version.
 * The flag never hides an entry; the index learns the new entry versions after the commit.
 */
export async function flagEntriesDueForReview(ctx: CommandContext, now: Date): Promise<FlagDueSummary> {
  const { kb } = ctx;
  const today = shanghaiDate(now);
  const halfYear = halfYearOf(now);
  const summary = kb.transaction(() => {
    const out: FlagDueSummary = { today, halfYear, flagged: 0, alreadyDue: 0, reasons: emptyReasonCounts(), dueByReason: emptyReasonCounts(), flaggedEntryIds: [] };
    for (const r of kb.reviews.candidates()) {
      const reason = reviewDueReason(r, today, halfYear);
      const entry = { id: r.id, reviewDue: r.reviewDue, reviewReason: r.reviewReason };
      if (reason && flagIfMoreSevereTx(kb, entry, reason)) {
        out.flagged++;
        out.reasons[reasonKind(reason)]++;
        out.flaggedEntryIds.push(r.id);
        out.dueByReason[reasonKind(reason)]++;
      } else if (entry.reviewDue) {
        out.alreadyDue++;
        out.dueByReason[reasonKind(r.reviewReason)]++;
      }
    }
    return out;
  });
  await indexChanged(ctx);
  return summary;
}
