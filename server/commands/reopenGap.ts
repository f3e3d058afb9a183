import type { Gap } from '../kb/gaps.js';
import { ConflictError, NotFoundError } from '../kb/errors.js';
import type { CommandContext } from './context.js';

/**
 * A dismissed gap back in the queue (the editor changed their mind, or it keeps being asked); the due date still
 * counts from the first ask. The gap queue's in-memory lookup of open gaps (it dropped the gap when it was
 * dismissed) is told to rebuild.
 */
export function reopenGap(ctx: CommandContext, input: { gapId: number }): Gap {
  const { kb } = ctx;
  const gap = kb.transaction(() => {
    const gap = kb.gaps.get(input.gapId);
    if (!gap) throw new NotFoundError('缺口', input.gapId);
    if (gap.status !== 'dismissed') throw new ConflictError(`缺口 ${input.gapId} 不是已驳回的缺口，不能重新打开`);
    kb.gaps.markReopened(input.gapId, kb.clock.nowIso());
    return kb.gaps.get(input.gapId)!;
  });
  ctx.gaps?.forgetOpenGaps();
  return gap;
}
