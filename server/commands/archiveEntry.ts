import type { KnowledgeBase, Entry } from '../kb/index.js';
import { ConflictError } from '../kb/errors.js';
import { expectVersion, indexChanged, withRevision, type CommandContext, type EntryWithRevision, type ExpectedVersion } from './context.js';
import { named } from './selection.js';

export interface ArchiveEntryInput {
  id: number;
  actor: string;
  reason: string;
  expectedVersion?: ExpectedVersion;
  /**
   * The caller's permission check of the entry as it is in the transaction (throws ForbiddenError): archiving a
   * published entry takes an answer away from citizens — a publishing decision; a draft is an editor's.
   */
  mayArchive?: (entry: Entry) => void;
}

/**
 * Archives an entry: citizens no longer get it, a change waiting for review is closed with it, its review flag is
 * cleared. The entry's state is checked (already archived: 409) before its version, as in the bulk actions.
 */
export function archiveEntryTx(kb: KnowledgeBase, input: ArchiveEntryInput): Entry {
  return kb.transaction(() => {
    const entry = kb.entries.require(input.id);
    archiveChecks(entry, input.mayArchive);
    expectVersion(kb, entry, input.expectedVersion);
    return kb.entries.archive(entry.id, input.actor, input.reason);
  });
}

export async function archiveEntry(ctx: CommandContext, input: ArchiveEntryInput): Promise<EntryWithRevision> {
  const entry = archiveEntryTx(ctx.kb, input);
  await indexChanged(ctx);
  return withRevision(ctx.kb, entry);
}

/** What refuses an archive before its version is looked at: already archived (409), not the caller's to archive (403). */
export function archiveChecks(entry: Entry, mayArchive?: (entry: Entry) => void): void {
  if (entry.status === 'archived') throw new ConflictError(`${named(entry)}已归档：请刷新后重新选择`);
  mayArchive?.(entry);
}
