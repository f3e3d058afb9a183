import { ConflictError } from '../kb/errors.js';
import { indexChanged, type CommandContext } from './context.js';
import { eachSelected, named, type SelectedItem } from './selection.js';
import { publishEntryTx } from './publishEntry.js';
import { approveRevisionTx } from './approveRevision.js';

/**
 * A reviewer's “publish / approve the selected”: drafts are published (publishEntry: their gaps filled), pending
 * revisions approved (approveRevision) — all or nothing, in one transaction. Any stale version or entry with nothing
 * to publish refuses the lot.
 */
export async function publishSelected(ctx: CommandContext, input: { items: SelectedItem[]; actor: string; reason: string | null }): Promise<{ published: number[]; approved: number[] }> {
  const { kb } = ctx;
  const out = { published: [] as number[], approved: [] as number[] };
  eachSelected(kb, input.items, (entry) => {
    if (entry.status === 'draft' || (entry.status === 'published' && kb.revisions.pending(entry.id))) return;
    throw new ConflictError(`${named(entry)}${entry.status === 'archived' ? '已归档' : '已发布且没有待审核的修改'}，没有可发布的内容：请刷新后重新选择`);
  }, (entry) => {
    if (entry.status === 'draft') {
      publishEntryTx(kb, { id: entry.id, actor: input.actor, reason: input.reason ?? '批量发布' });
      out.published.push(entry.id);
    } else {
      approveRevisionTx(kb, { id: entry.id, actor: input.actor, note: input.reason ?? '批量批准' });
      out.approved.push(entry.id);
    }
  });
  await indexChanged(ctx);
  return out;
}
