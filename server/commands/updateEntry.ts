import type { KnowledgeBase } from '../kb/index.js';
import type { EntryPatch } from '../kb/validate.js';
import type { SourceLink } from '../kb/entries.js';
import { ConflictError } from '../kb/errors.js';
import { expectVersion, indexChanged, withRevision, type CommandContext, type EntryWithRevision, type ExpectedVersion } from './context.js';

export interface UpdateEntryInput {
  id: number;
  patch: EntryPatch;
  actor: string;
  reason: string | null;
  /** The version the change was made on (409 when the entry moved since); omitted by system writes. */
  expectedVersion?: ExpectedVersion;
  /** Set only by the import: which row or section of a source file the entry stands for. */
  source?: SourceLink;
  /**
   * The actor may publish (a reviewer, an admin, an editor under KB_SINGLE_PERSON, an import with publish): a change
   * to a published entry goes live at once. Otherwise it waits as the entry's pending revision.
   */
  live?: boolean;
}

export interface UpdateOutcome {
  entry: EntryWithRevision;
  /** True when the change waits for a reviewer: citizens keep getting the published text until it is approved. */
  waitingForReview: boolean;
}

/**
 * Every change to an entry's content — the entry page, a gap link, an accepted phrasing, a review's update, a
 * re-imported source: a draft is changed in place; a published entry changes at once when the actor may publish, or
 * else gets (or extends) its pending revision and keeps answering with the published text. (Approving a revision
 * later refuses if a field it changes was changed live meanwhile: see RevisionStore.approve.) Runs in the caller's
 * transaction, or its own.
 */
export function updateEntryTx(kb: KnowledgeBase, input: UpdateEntryInput): UpdateOutcome {
  return kb.transaction(() => {
    const current = kb.entries.require(input.id);
    expectVersion(kb, current, input.expectedVersion);
    if (current.status === 'archived') throw new ConflictError(`条目 ${input.id} 已归档，不能修改`);
    if (current.status === 'draft' || input.live) {
      return { entry: withRevision(kb, kb.entries.update(input.id, input.patch, input.actor, input.reason, input.source)), waitingForReview: false };
    }
    const revision = kb.revisions.propose(input.id, input.patch, input.actor, input.reason, input.source);
    return { entry: withRevision(kb, kb.entries.require(input.id)), waitingForReview: revision !== null };
  });
}

export async function updateEntry(ctx: CommandContext, input: UpdateEntryInput): Promise<UpdateOutcome> {
  const out = updateEntryTx(ctx.kb, input);
  await indexChanged(ctx);
  return out;
}
