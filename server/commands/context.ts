import type { EntryWithRevision } from '../../shared/entries.js';
import type { KnowledgeBase, Entry } from '../kb/index.js';
import type { WorkingCalendar } from '../ops/calendar.js';
import { VersionConflictError } from '../kb/errors.js';

/**
 * What a command works with. Each command (one write operation per file in this folder) opens its own
 * `kb.transaction(...)`, carries out every side effect of the write inside it (gaps the entry answers, review flags,
 * history), and after the commit tells the search index: `engine.sync()` reads what changed since the index's
 * KB version. Routes, the ingest CLI, the start-up sample import, the jobs and the tests all call the same commands.
 *
 * The audit log is not written here: it records each authenticated HTTP write, refused ones too
 * (server/http/audit.ts); a command run from the CLI is recorded in the entries' history with its actor.
 *
 * `Services` (server/services.ts) is a CommandContext; the ingest CLI passes one without a search engine (the
 * server brings its index up to the KB's version when it starts).
 */
export interface CommandContext {
  kb: KnowledgeBase;
  /** The search index; absent where none is open (the ingest CLI). */
  engine?: { sync(): Promise<void> } | null;
  /** Working days for due dates (gaps opened by an import); default the built-in calendar. */
  calendar?: WorkingCalendar;
  /** The gap queue's in-memory lookup of open gaps: told when a gap comes back to the queue. */
  gaps?: { forgetOpenGaps(): void } | null;
}

/** After a command's commit: the search index follows the KB (published entries, versions, lexicon). */
export async function indexChanged(ctx: CommandContext): Promise<void> {
  await ctx.engine?.sync();
}

/** An entry as the admin API shows it: with the change waiting for review, if any (shared/entries.ts). */
export type { EntryWithRevision };

export function withRevision(kb: KnowledgeBase, entry: Entry): EntryWithRevision {
  return { ...entry, pendingRevision: entry.status === 'published' ? kb.revisions.pending(entry.id) : null };
}

/**
 * The version a change was made on: a number, or (a route reading the request) a function called once the entry is
 * found — so a missing entry is a 404 before a missing version is a 428. Omitted by system writes.
 */
export type ExpectedVersion = number | (() => number) | undefined;

/**
 * 409 with the entry as it is now when the caller's version is not the current one. Commands check it inside their
 * transaction (`expectedVersion` in their input): nothing can change the entry between the check and the write.
 */
export function expectVersion(kb: KnowledgeBase, entry: Entry, expectedVersion: ExpectedVersion): void {
  const expected = typeof expectedVersion === 'function' ? expectedVersion() : expectedVersion;
  if (expected === undefined || entry.version === expected) return;
  throw new VersionConflictError(entry.id, expected, withRevision(kb, entry), entry.version, entry.updatedBy);
}
