import type { KnowledgeBase, Entry } from '../kb/index.js';
import { ConflictError } from '../kb/errors.js';
import { expectVersion, indexChanged, type CommandContext, type ExpectedVersion } from './context.js';
import { addGapQuestionsTx } from './linkGap.js';

export interface PublishEntryInput {
  id: number;
  actor: string;
  reason: string | null;
  expectedVersion?: ExpectedVersion;
}

/**
 * Publishes a draft: the only way new content reaches citizens, from the entry page, the gap queue, a bulk publish
 * or an import with publish. In the same transaction the open gaps the entry answers (its gap link, or the gap whose
 * pending fill it is) become filled, and the entry's similar questions gain those gaps' questions. Publishing a
 * published entry changes nothing; an archived one is refused.
 */
export function publishEntryTx(kb: KnowledgeBase, input: PublishEntryInput): Entry {
  return kb.transaction(() => {
    const current = kb.entries.require(input.id);
    expectVersion(kb, current, input.expectedVersion);
    if (current.status === 'archived') throw new ConflictError(`条目 ${input.id} 已归档，不能发布；如需恢复请新建条目`);
    if (current.status === 'published') return current;
    return fillGapsAnsweredBy(kb, kb.entries.publish(input.id, input.actor, input.reason));
  });
}

export async function publishEntry(ctx: CommandContext, input: PublishEntryInput): Promise<Entry> {
  const entry = publishEntryTx(ctx.kb, input);
  await indexChanged(ctx);
  return entry;
}

/**
 * The open gaps a just-published entry answers — by its gap link, or as the gap's pending fill — become filled, by
 * whoever published, at the time of publishing. The entry's similar questions gain the gaps' questions (asked since
 * it was drafted too). Returns the entry as it now is.
 */
export function fillGapsAnsweredBy(kb: KnowledgeBase, entry: Entry): Entry {
  return kb.transaction(() => {
    const gaps = kb.gaps.openFilledBy(entry.gapId, entry.id);
    let current = entry;
    const filledAt = entry.publishedAt ?? kb.clock.nowIso();
    for (const gap of gaps) {
      current = addGapQuestionsTx(kb, current, gap.id, entry.updatedBy, true).entry; // whoever published may publish
      kb.gaps.markFilled(gap.id, { entryId: entry.id, fillMode: 'new_entry', resolvedAt: filledAt, resolvedBy: entry.updatedBy, updatedAt: kb.clock.nowIso() });
    }
    return current;
  });
}
