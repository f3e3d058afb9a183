import type { Entry } from '../kb/index.js';
import { indexChanged, type CommandContext } from './context.js';
import { eachSelected, type SelectedItem } from './selection.js';
import { archiveChecks, archiveEntryTx } from './archiveEntry.js';

/**
 * Archives the selected entries (archiveEntry each), all or none in one transaction. `mayArchive` is the caller's
 * permission check of one entry (a published entry takes an answer away from citizens: a publishing decision; a
 * draft is an editor's).
 */
export async function archiveSelected(
  ctx: CommandContext, input: { items: SelectedItem[]; actor: string; reason: string; mayArchive: (entry: Entry) => void },
): Promise<{ archived: number[] }> {
  const archived: number[] = [];
  // the state and permission before the version, as archiveEntry checks one entry (so archiveEntryTx needs no second check)
  eachSelected(ctx.kb, input.items, (entry) => archiveChecks(entry, input.mayArchive), (entry) => {
    archiveEntryTx(ctx.kb, { id: entry.id, actor: input.actor, reason: input.reason });
    archived.push(entry.id);
  });
  await indexChanged(ctx);
  return { archived };
}
