import type { LexiconName } from '../search/lexicon.js';
import { indexChanged, type CommandContext } from './context.js';

/**
 * Saves the synonyms, the domain dictionary or the colloquial lexicon (content already validated, in its file's
 * format): kept in the history with the lexicon version bumped, in one transaction; the index's sync then reloads
 * the lists, so the next question uses them (the other server processes reload them on their next sync).
 */
export async function saveLexicon(ctx: CommandContext, input: { name: LexiconName; content: string; actor: string }): Promise<void> {
  const { kb } = ctx;
  kb.transaction(() => {
    kb.lexiconEdits.add(input.name, input.content, input.actor, kb.clock.nowIso());
    kb.bumpLexiconVersion();
  });
  await indexChanged(ctx);
}
