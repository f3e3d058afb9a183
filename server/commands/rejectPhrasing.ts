import type { PhrasingProposal } from '../kb/phrasings.js';
import type { CommandContext } from './context.js';
import { requireProposed } from './acceptPhrasing.js';

/** 市民问法建议 “不采纳”: the phrasing is not proposed again. No entry changes. */
export function rejectPhrasing(ctx: CommandContext, input: { id: number; actor: string }): PhrasingProposal {
  const { kb } = ctx;
  return kb.transaction(() => {
    requireProposed(kb, input.id);
    kb.phrasings.decide(input.id, 'rejected', kb.clock.nowIso(), input.actor);
    return kb.phrasings.get(input.id)!;
  });
}
