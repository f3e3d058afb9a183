import type { KnowledgeBase, Entry } from '../kb/index.js';
import type { PhrasingProposal } from '../kb/phrasings.js';
import { ConflictError, NotFoundError, ValidationError } from '../kb/errors.js';
import { questionKey } from '../ops/gap-similarity.js';
import { mergeSimilarQuestions, MAX_SIMILAR_QUESTIONS } from '../ops/gaps.js';
import { updateEntryTx } from './updateEntry.js';
import { indexChanged, type CommandContext } from './context.js';

/** A proposal still waiting for a decision. */
export function requireProposed(kb: KnowledgeBase, id: number): PhrasingProposal {
  const p = kb.phrasings.get(id);
  if (!p) throw new NotFoundError('建议问法', id);
  if (p.status !== 'proposed') throw new ConflictError(`建议问法 ${id} 已${p.status === 'accepted' ? '采纳' : '不采纳'}，不能再处理`);
  return p;
}

/**
 * 市民问法建议 “采纳”: the phrasing (as edited, when given) joins the entry's similar questions through updateEntry —
 * at once when the actor may publish (`live`), otherwise as the entry's pending revision for a reviewer.
 */
export async function acceptPhrasing(
  ctx: CommandContext, input: { id: number; actor: string; question?: string; live: boolean },
): Promise<{ proposal: PhrasingProposal; entry: Entry; waitingForReview: boolean }> {
  const { kb } = ctx;
  const out = kb.transaction(() => {
    const p = requireProposed(kb, input.id);
    const entry = kb.entries.require(p.entryId);
    if (entry.status !== 'published') throw new ConflictError(`条目 ${entry.id} 已不是发布状态，不能再加入问法`);
    const question = (input.question ?? p.question).trim();
    if (!questionKey(question)) throw new ValidationError('question', '问法不能为空');
    const merged = mergeSimilarQuestions(entry.question, entry.similarQuestions, [question]);
    if (merged.length === entry.similarQuestions.length && entry.similarQuestions.length >= MAX_SIMILAR_QUESTIONS) {
      throw new ConflictError(`条目 ${entry.id} 已有 ${MAX_SIMILAR_QUESTIONS} 个相似问法，请先在条目中删去不需要的问法`);
    }
    const reason = `采纳市民问法“${question}”（${p.choiceCount} 次从猜你想问选中此条）`;
    // the entry may already say it this way
    const { entry: updated, waitingForReview } = merged.length === entry.similarQuestions.length
      ? { entry, waitingForReview: false }
      : updateEntryTx(kb, { id: entry.id, patch: { similarQuestions: merged }, actor: input.actor, reason, live: input.live });
    kb.phrasings.decide(input.id, 'accepted', kb.clock.nowIso(), input.actor);
    return { proposal: kb.phrasings.get(input.id)!, entry: updated, waitingForReview };
  });
  await indexChanged(ctx);
  return out;
}
