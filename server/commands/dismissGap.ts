import type { Gap } from '../kb/gaps.js';
import { requireOpenGap } from '../ops/gaps.js';
import type { CommandContext } from './context.js';

/**
 * 查遗补缺 “驳回”: an open gap is closed with a reason. The question stays known: asked again, it is counted on this
 * gap (which can be reopened), not opened anew. No entry changes, so the search index has nothing to follow.
 */
export function dismissGap(ctx: CommandContext, input: { gapId: number; reason: string; actor: string }): Gap {
  const { kb } = ctx;
  return kb.transaction(() => {
    requireOpenGap(kb, input.gapId);
    kb.gaps.markDismissed(input.gapId, input.reason, input.actor, kb.clock.nowIso());
    return kb.gaps.get(input.gapId)!;
  });
}
