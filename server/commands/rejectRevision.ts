import type { Entry } from '../kb/index.js';
import { expectVersion, indexChanged, type CommandContext, type ExpectedVersion } from './context.js';

/**
 * Sends an entry's pending revision back with a reason: the published text stays. The entry's history gains the
 * decision (a new version), so the search index is told like after any other write: its KB version stays current.
 */
export async function rejectRevision(ctx: CommandContext, input: { id: number; actor: string; note: string; expectedVersion?: ExpectedVersion }): Promise<Entry> {
  const { kb } = ctx;
  const entry = kb.transaction(() => {
    expectVersion(kb, kb.entries.require(input.id), input.expectedVersion);
    return kb.revisions.reject(input.id, input.actor, input.note);
  });
  await indexChanged(ctx);
  return entry;
}
