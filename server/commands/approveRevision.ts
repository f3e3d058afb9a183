import type { KnowledgeBase, Entry } from '../kb/index.js';
import { expectVersion, indexChanged, type CommandContext, type ExpectedVersion } from './context.js';

export interface DecideRevisionInput {
  id: number;
  actor: string;
  note: string | null;
  expectedVersion?: ExpectedVersion;
}

/**
 * Approves an entry's pending revision: the change goes live (refused when a field it changes was changed live
 * since it was proposed: RevisionStore.approve).
 */
export function approveRevisionTx(kb: KnowledgeBase, input: DecideRevisionInput): Entry {
  return kb.transaction(() => {
    expectVersion(kb, kb.entries.require(input.id), input.expectedVersion);
    return kb.revisions.approve(input.id, input.actor, input.note);
  });
}

export async function approveRevision(ctx: CommandContext, input: DecideRevisionInput): Promise<Entry> {
  const entry = approveRevisionTx(ctx.kb, input);
  await indexChanged(ctx);
  return entry;
}
