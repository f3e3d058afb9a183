import type { Entry } from '../kb/index.js';
import type { Gap } from '../kb/gaps.js';
import { ConflictError } from '../kb/errors.js';
import { mergeSimilarQuestions, gapQuestions, requireOpenGap, type FillEntryInput } from '../ops/gaps.js';
import { publishEntryTx } from './publishEntry.js';
import { indexChanged, type CommandContext } from './context.js';

export interface FillGapInput {
  gapId: number;
  entry: FillEntryInput;
  actor: string;
  /** Publish at once (the caller checked the actor may): the gap is filled now. Otherwise it is filled when the draft is published. */
  publish: boolean;
}

/**
 * 查遗补缺 “写新条目”: a new entry (origin gap-fill), its question defaulting to the gap's and its similar questions
 * gaining the gap's other questions, linked to the gap and its first ask and recorded as the gap's pending fill.
 * Published at once when asked (publishEntry fills the gap), else a draft that fills the gap when it is published.
 */
export async function fillGap(ctx: CommandContext, input: FillGapInput): Promise<{ gap: Gap; entry: Entry }> {
  const { kb } = ctx;
  const id = input.gapId;
  const out = kb.transaction(() => {
    const gap = requireOpenGap(kb, id);
    if (gap.entryId) {
      const pending = kb.entries.get(gap.entryId);
      if (pending && pending.status === 'draft') throw new ConflictError(`缺口 ${id} 已有待发布的补缺条目 ${pending.id}：发布它，或归档后再补`);
    }
    const question = input.entry.question ?? gap.question;
    const similarQuestions = mergeSimilarQuestions(question, input.entry.similarQuestions ?? [], gapQuestions(kb, id).map((q) => q.question));
    const created = kb.entries.create({ ...input.entry, question, similarQuestions, origin: 'gap-fill' }, input.actor, `查遗补缺：补缺口 ${id}`);
    const firstAsk = kb.gaps.asksOf(id)[0]?.askId ?? null;
    let entry = kb.entries.linkOrigin(created.id, { askId: firstAsk, gapId: id }, input.actor, `补缺口 ${id}`);
    kb.gaps.setPendingFill(id, entry.id, kb.clock.nowIso());
    if (input.publish) entry = publishEntryTx(kb, { id: entry.id, actor: input.actor, reason: `查遗补缺：补缺口 ${id}` });
    return { gap: kb.gaps.get(id)!, entry };
  });
  await indexChanged(ctx);
  return out;
}
