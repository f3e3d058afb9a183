import { FtsStore, type FtsDoc } from '../kb/fts-store.js';

export type { FtsDoc };

/** What the rows hold and how: an index stamped with another layout is rebuilt (the bigram table came with 2). */
export const FTS_LAYOUT = '2';

/**
 * Field weights for bm25: a question asked nearly verbatim, or one of its similar questions, must outrank a long
 * answer that merely mentions the words.
 */
export const FIELD_WEIGHTS = { question: 10, similar: 8, keywords: 5, answer: 1, grams: 2 };

/**
 * The full-text index (derived, in index/fts.db; its tables are server/kb/fts-store.ts): rowid = entry id, with the
 * entry versions it holds and a stamp, so that it can be brought up to date incrementally or rebuilt.
 */
export class FtsIndex {
  private readonly store: FtsStore;

  constructor(file: string) {
    this.store = new FtsStore(file, FIELD_WEIGHTS);
  }

  stamp(): Record<string, string> {
    return this.store.stamp();
  }

  indexedVersions(): Map<number, number> {
    return this.store.indexedVersions();
  }

  /** Applies a batch of changes and the new stamp in one transaction. */
  apply(upserts: FtsDoc[], deletes: number[], stamp: Record<string, string>): void {
    this.store.apply(upserts, deletes, stamp);
  }

  clear(): void {
    this.store.clear();
  }

  /** Best-matching entry ids for OR-ed terms (bm25 rank: lower is better). */
  search(terms: string[], limit: number): Array<{ id: number; rank: number }> {
    const match = orOf(terms);
    return match ? this.store.match(match, limit) : [];
  }

  /** Best-matching entry ids for OR-ed character bigrams over each unit's whole text. */
  searchGrams(grams: string[], limit: number): Array<{ id: number; rank: number }> {
    const match = orOf(grams);
    return match ? this.store.matchGrams(match, limit) : [];
  }

  close(): void {
    this.store.close();
  }
}

/** An FTS5 OR of quoted terms (null when none is usable). */
function orOf(terms: string[]): string | null {
  const unique = [...new Set(terms.filter((t) => t && !/["]/.test(t)))];
  return unique.length ? unique.map((t) => `"${t}"`).join(' OR ') : null;
}
