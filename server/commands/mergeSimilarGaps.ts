import type { KnowledgeBase } from '../kb/index.js';
import { WorkingCalendar } from '../ops/calendar.js';
import { gapSummary, planGapMerges, type ClusterSummary, type GapService } from '../ops/gaps.js';
import { NotFoundError } from '../kb/errors.js';
import { indexChanged, type CommandContext } from './context.js';

export type { ClusterSummary };

/** The gap queue as this command needs it: the open gaps with their questions' features, and its lookup to reset. */
export interface MergeSimilarGapsContext extends CommandContext {
  gaps: Pick<GapService, 'openGapsWithFeatures' | 'forgetOpenGaps'>;
}

/**
 * The gap-cluster job (every few minutes): merges open gaps that ask the same thing — opened at the same moment, or
 * before a synonym or a bridging question showed it. Which gaps are alike is ops/gaps.ts planGapMerges' rule, on
 * features computed before the transaction; inside it, gaps filled or dismissed meanwhile take no part, and each
 * younger gap moves into the older one (its asks, its pending fill, the entries linked to it), which keeps the
 * earliest first ask (and so its due date). Idempotent: a second run finds nothing to merge. After the commit the
 * gap lookup of new asks is rebuilt (questions moved between gaps) and the index learns the relinked entries' versions.
 */
export async function mergeSimilarGaps(ctx: MergeSimilarGapsContext): Promise<ClusterSummary> {
  const { kb } = ctx;
  const calendar = ctx.calendar ?? new WorkingCalendar();
  const { gaps, featuresOf } = await ctx.gaps.openGapsWithFeatures();
  const summary = kb.transaction(() => {
    const stillOpen = new Set(kb.gaps.idsByStatus('open'));
    const plan = planGapMerges(gaps.filter((g) => stillOpen.has(g.id)), featuresOf);
    for (const { from, into } of plan.merges) mergeGapTx(kb, calendar, from, into);
    return plan;
  });
  if (summary.merged) ctx.gaps.forgetOpenGaps();
  await indexChanged(ctx);
  return summary;
}

/**
 * Moves an open gap's asks into another open gap, with its pending fill (when the other has none) and the entries
 * linked to it (their history says so, by `system`), deletes it and recomputes the other's counts, dates and
 * priority. Runs in the caller's transaction.
 */
function mergeGapTx(kb: KnowledgeBase, calendar: WorkingCalendar, fromId: number, intoId: number): void {
  kb.transaction(() => {
    const from = kb.gaps.get(fromId);
    const into = kb.gaps.get(intoId);
    if (!from) throw new NotFoundError('缺口', fromId);
    if (!into) throw new NotFoundError('缺口', intoId);
    kb.gaps.moveAsks(fromId, intoId);
    if (!into.entryId && from.entryId) kb.gaps.setFill(intoId, from.entryId, from.fillMode);
    for (const id of kb.entries.idsLinkedToGap(fromId)) kb.entries.linkOrigin(id, { gapId: intoId }, 'system', `缺口 ${fromId} 并入缺口 ${intoId}`);
    kb.gaps.delete(fromId);
    kb.gaps.saveSummary(intoId, gapSummary(kb, calendar, intoId));
  });
}
