import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/** One entry as the full-text index stores it: space-joined tokens per field. */
export interface FtsDoc {
  id: number;
  version: number;
  question: string;
  similar: string;
  keywords: string;
  answer: string;
  grams: string;
}

/**
 * Field weights for bm25: a question asked nearly verbatim, or one of its similar questions, must outrank a long
 * answer that merely mentions the words.
 */
export const FIELD_WEIGHTS = { question: 10, similar: 8, keywords: 5, answer: 1, grams: 2 };

/**
 * The SQLite FTS5 index (derived, in index/fts.db): contentless, rowid = entry id, with the entry versions it
 * holds and a stamp, so that it can be brought up to date incrementally or rebuilt.
 */
export class FtsIndex {
  private readonly db: Database.Database;
  private readonly searchStmt: Database.Statement;

  constructor(file: string) {
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
      CREATE TABLE IF NOT EXISTS indexed (entry_id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS stamp (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    const w = FIELD_WEIGHTS;
    this.searchStmt = this.db.prepare(
      `SELECT rowid AS id, bm25(fts, ${w.question}, ${w.similar}, ${w.keywords}, ${w.answer}, ${w.grams}) AS rank
       FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?`,
    );
  }

  stamp(): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM stamp').all() as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  indexedVersions(): Map<number, number> {
    const rows = this.db.prepare('SELECT entry_id, version FROM indexed').all() as Array<{ entry_id: number; version: number }>;
    return new Map(rows.map((r) => [r.entry_id, r.version]));
  }

  /** Applies a batch of changes and the new stamp in one transaction. */
  apply(upserts: FtsDoc[], deletes: number[], stamp: Record<string, string>): void {
    const del = this.db.prepare('DELETE FROM fts WHERE rowid = ?');
    const delIndexed = this.db.prepare('DELETE FROM indexed WHERE entry_id = ?');
    const ins = this.db.prepare('INSERT INTO fts (rowid, question, similar, keywords, answer, grams) VALUES (?, ?, ?, ?, ?, ?)');
    const setIndexed = this.db.prepare('INSERT OR REPLACE INTO indexed (entry_id, version) VALUES (?, ?)');
    const setStamp = this.db.prepare('INSERT OR REPLACE INTO stamp (key, value) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const id of deletes) {
        del.run(id);
        delIndexed.run(id);
      }
      for (const d of upserts) {
        del.run(d.id);
        ins.run(d.id, d.question, d.similar, d.keywords, d.answer, d.grams);
        setIndexed.run(d.id, d.version);
      }
      for (const [k, v] of Object.entries(stamp)) setStamp.run(k, v);
    })();
  }

  clear(): void {
    this.db.transaction(() => {
      this.db.exec(`DELETE FROM fts; DELETE FROM indexed; DELETE FROM stamp;`);
    })();
  }

  /** Best-matching entry ids for OR-ed terms (bm25 rank: lower is better). */
  search(terms: string[], limit: number): Array<{ id: number; rank: number }> {
    const unique = [...new Set(terms.filter((t) => t && !/["]/.test(t)))];
    if (!unique.length) return [];
    const match = unique.map((t) => `"${t}"`).join(' OR ');
    return this.searchStmt.all(match, limit) as Array<{ id: number; rank: number }>;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
