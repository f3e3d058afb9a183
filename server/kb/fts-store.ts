import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { stmt } from './db.js';

/** One entry as the full-text index stores it: space-joined tokens per field. */
export interface FtsDoc {
  id: number;
  version: number;
  question: string;
  similar: string;
  keywords: string;
  answer: string;
  grams: string;
  /** Han bigrams of the whole unit (questions, keywords and answer): the bigram list's text. */
  textGrams: string;
}

/** bm25 weight of each field of an FtsDoc. */
export interface FtsFieldWeights {
  question: number;
  similar: number;
  keywords: number;
  answer: number;
  grams: number;
}

/**
 * The tables of the search layer's SQLite FTS5 index (its own file, index/fts.db — derived from the knowledge base,
 * not part of it): `fts` (contentless, rowid = entry id), `text_grams` (the same rows as character bigrams of the
 * whole text, for the bigram list), `indexed` (the entry version each row holds) and `stamp`
 * (what the index was built with). What goes into a row and how a question becomes a query is server/search.
 */
export class FtsStore {
  private readonly db: Database.Database;
  private readonly searchSql: string;

  constructor(file: string, weights: FtsFieldWeights) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000'); // other server processes may be writing the same index
    this.db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
        question, similar, keywords, answer, grams,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS text_grams USING fts5(
        grams, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TABLE IF NOT EXISTS indexed (entry_id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS stamp (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    const w = weights;
    this.searchSql = `SELECT rowid AS id, bm25(fts, ${Number(w.question)}, ${Number(w.similar)}, ${Number(w.keywords)}, ${Number(w.answer)}, ${Number(w.grams)}) AS rank
       FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?`;
  }

  stamp(): Record<string, string> {
    const rows = stmt(this.db, 'SELECT key, value FROM stamp').all() as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  indexedVersions(): Map<number, number> {
    const rows = stmt(this.db, 'SELECT entry_id, version FROM indexed').all() as Array<{ entry_id: number; version: number }>;
    return new Map(rows.map((r) => [r.entry_id, r.version]));
  }

  /** Applies a batch of changes and the new stamp in one transaction. */
  apply(upserts: FtsDoc[], deletes: number[], stamp: Record<string, string>): void {
    const del = stmt(this.db, 'DELETE FROM fts WHERE rowid = ?');
    const delGrams = stmt(this.db, 'DELETE FROM text_grams WHERE rowid = ?');
    const insGrams = stmt(this.db, 'INSERT INTO text_grams (rowid, grams) VALUES (?, ?)');
    const delIndexed = stmt(this.db, 'DELETE FROM indexed WHERE entry_id = ?');
    const ins = stmt(this.db, 'INSERT INTO fts (rowid, question, similar, keywords, answer, grams) VALUES (?, ?, ?, ?, ?, ?)');
    const setIndexed = stmt(this.db, 'INSERT OR REPLACE INTO indexed (entry_id, version) VALUES (?, ?)');
    const setStamp = stmt(this.db, 'INSERT OR REPLACE INTO stamp (key, value) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const id of deletes) {
        del.run(id);
        delGrams.run(id);
        delIndexed.run(id);
      }
      for (const d of upserts) {
        del.run(d.id);
        delGrams.run(d.id);
        ins.run(d.id, d.question, d.similar, d.keywords, d.answer, d.grams);
        insGrams.run(d.id, d.textGrams);
        setIndexed.run(d.id, d.version);
      }
      for (const [k, v] of Object.entries(stamp)) setStamp.run(k, v);
    })();
  }

  /** Empties the index (rows, versions and stamp). */
  clear(): void {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM fts; DELETE FROM text_grams; DELETE FROM indexed; DELETE FROM stamp;`);
    })();
  }

  /** Entry ids matching an FTS5 query expression, best first (bm25 rank: lower is better). */
  match(expression: string, limit: number): Array<{ id: number; rank: number }> {
    return stmt(this.db, this.searchSql).all(expression, limit) as Array<{ id: number; rank: number }>;
  }

  /** Entry ids whose whole text best matches an FTS5 expression over character bigrams (plain bm25). */
  matchGrams(expression: string, limit: number): Array<{ id: number; rank: number }> {
    return stmt(this.db, 'SELECT rowid AS id, bm25(text_grams) AS rank FROM text_grams WHERE text_grams MATCH ? ORDER BY rank LIMIT ?').all(expression, limit) as Array<{ id: number; rank: number }>;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
