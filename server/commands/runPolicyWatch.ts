import { shanghaiDate, WorkingCalendar } from '../ops/calendar.js';
import { EXPIRED_REASON, PolicyWatch, reviewedSinceExpiry, type PolicyWatchSummary } from '../ops/policy-watch.js';
import { flagIfMoreSevereTx } from './flagEntriesDueForReview.js';
import { indexChanged, type CommandContext } from './context.js';

export type { PolicyWatchSummary };

/**
 * The daily policy-watch job (政策生效前发布检查): in one transaction, the documents whose Q&A is at risk or late
 * (ops/policy-watch.ts status, read-only, working days from `ctx.calendar`) and the published entries past their
 * expiry date flagged for review (已过失效日期) — unless a reviewer confirmed them after they expired, or they carry
 * a more severe flag. They already stopped answering (the search engine filters them); the flag puts them in the
 * review queue. A second run at the same `now` flags nothing. The index learns the new entry versions after the commit.
 */
export async function runPolicyWatch(ctx: CommandContext, now: Date): Promise<PolicyWatchSummary> {
  const { kb } = ctx;
  const today = shanghaiDate(now);
  const watch = new PolicyWatch(kb, ctx.calendar ?? new WorkingCalendar());
  const summary = kb.transaction(() => {
    const out: PolicyWatchSummary = { ...watch.status(now), expiredFlagged: 0, expiredAlreadyDue: 0, expiredEntryIds: [] };
    for (const e of kb.entries.publishedExpiredBefore(today)) {
      if (!reviewedSinceExpiry(e) && flagIfMoreSevereTx(kb, e, EXPIRED_REASON)) {
        out.expiredFlagged++;
        out.expiredEntryIds.push(e.id);
      } else if (e.reviewDue) {
        out.expiredAlreadyDue++;
      }
    }
    return out;
  });
  await indexChanged(ctx);
  return summary;
}
