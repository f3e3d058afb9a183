import { ConflictError } from '../kb/errors.js';
import { indexChanged, type CommandContext } from './context.js';
import { eachSelected, named, type SelectedItem } from './selection.js';

/**
 * Marks the selected published entries 待复核 (they keep answering until a reviewer confirms, changes or archives
 * them), all or none in one transaction. An entry already due keeps its reason: the more urgent one stays.
 */
export async function flagSelected(ctx: CommandContext, input: { items: SelectedItem[]; actor: string; reason: string }): Promise<{ flagged: number[]; alreadyDue: number[] }> {
  const { kb } = ctx;
  const out = { flagged: [] as number[], alreadyDue: [] as number[] };
  eachSelected(kb, input.items, (entry) => {
    if (entry.status !== 'published') {
      throw new ConflictError(`${named(entry)}${entry.status === 'archived' ? '已归档' : '是草稿'}，复核只针对已发布的条目：请刷新后重新选择`);
    }
  }, (entry) => {
    if (entry.reviewDue) out.alreadyDue.push(entry.id);
    else {
      kb.entries.flagForReview(entry.id, input.reason, input.actor);
      out.flagged.push(entry.id);
    }
  });
  await indexChanged(ctx);
  return out;
}
