import type { KnowledgeBase, Entry } from '../kb/index.js';
import type { Gap } from '../kb/gaps.js';
import { ConflictError } from '../kb/errors.js';
import { gapQuestions, mergeSimilarQuestions, requireOpenGap } from '../ops/gaps.js';
import { updateEntryTx } from './updateEntry.js';
import { indexChanged, type CommandContext } from './context.js';

export interface LinkGapInput {
  gapId: number;
  /** A published entry that already answers the gap's question. */
  entryId: number;
  actor: string;
  /** The actor may publish: the gap's questions join the entry's similar questions at once, else as its pending revision. */
  live: boolean;
}

/**
 * 查遗补缺 “关联已有条目”: the gap is filled by a published entry, whose similar questions gain the gap's
 * questions — at once when the actor may publish, otherwise as the entry's pending revision (the gap is filled
 * either way: the entry answers it already).
 */
export async function linkGap(ctx: CommandContext, input: LinkGapInput): Promise<{ gap: Gap; entry: Entry; waitingForReview: boolean }> {
  const { kb } = ctx;
  const out = kb.transaction(() => {
    requireOpenGap(kb, input.gapId);
    const target = kb.entries.require(input.entryId);
    if (target.status !== 'published') throw new ConflictError(`条目 ${input.entryId} 未发布（${target.status}）：只能关联已发布的条目`);
    const edit = addGapQuestionsTx(kb, target, input.gapId, input.actor, input.live);
    const now = kb.clock.nowIso();
    kb.gaps.markFilled(input.gapId, { entryId: input.entryId, fillMode: 'linked', resolvedAt: now, resolvedBy: input.actor, updatedAt: now });
    return { gap: kb.gaps.get(input.gapId)!, ...edit };
  });
  await indexChanged(ctx);
  return out;
}

/** The entry's similar questions gain the gap's questions, through updateEntry (live, or pending for a reviewer). */
export function addGapQuestionsTx(kb: KnowledgeBase, entry: Entry, gapId: number, actor: string, live: boolean): { entry: Entry; waitingForReview: boolean } {
  const merged = mergeSimilarQuestions(entry.question, entry.similarQuestions, gapQuestions(kb, gapId).map((q) => q.question));
  if (merged.length === entry.similarQuestions.length && merged.every((q, i) => q === entry.similarQuestions[i])) return { entry, waitingForReview: false };
  return updateEntryTx(kb, { id: entry.id, patch: { similarQuestions: merged }, actor, reason: `查遗补缺：并入缺口 ${gapId} 的问法`, live });
}
