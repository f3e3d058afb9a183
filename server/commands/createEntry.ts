import type { EntryInput } from '../kb/validate.js';
import { indexChanged, withRevision, type CommandContext, type EntryWithRevision } from './context.js';

/** A new entry is always a draft (publishing is its own decision, publishEntry). */
export async function createEntry(ctx: CommandContext, input: { fields: EntryInput; actor: string; reason: string | null }): Promise<EntryWithRevision> {
  const entry = ctx.kb.transaction(() => withRevision(ctx.kb, ctx.kb.entries.create(input.fields, input.actor, input.reason)));
  await indexChanged(ctx);
  return entry;
}
