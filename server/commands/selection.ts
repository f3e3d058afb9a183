import type { KnowledgeBase, Entry } from '../kb/index.js';
import { ValidationError } from '../kb/errors.js';
import { expectVersion } from './context.js';

/** An entry chosen in a list, with the version the list showed. */
export interface SelectedItem {
  id: number;
  version: number;
}

/**
 * The bulk commands' one loop: no entry chosen twice; all or none, in one transaction; each entry's state checked
 * (`check` throws what is wrong with it) before its version, so a stale selection reads alike whatever the action.
 */
export function eachSelected(kb: KnowledgeBase, items: SelectedItem[], check: (entry: Entry) => void, act: (entry: Entry) => void): void {
  const ids = new Set<number>();
  for (const it of items) {
    if (ids.has(it.id)) throw new ValidationError('items', `条目 ${it.id} 重复选择`);
    ids.add(it.id);
  }
  kb.transaction(() => {
    for (const it of items) {
      const entry = kb.entries.require(it.id);
      check(entry);
      expectVersion(kb, entry, it.version);
      act(entry);
    }
  });
}

export const named = (entry: Entry) => `条目 ${entry.id}（${entry.question}）`;
