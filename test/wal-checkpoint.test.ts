import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { createServices } from '../server/services.js';
import { DB_FILE_NAME } from '../server/config.js';
import { FALLBACK_CHECKPOINT_PAGES } from '../server/kb/wal-checkpointer.js';
import { tempDir } from './helpers/paths.js';
import { ON_POSTGRES } from './helpers/database.js';

/** Asks in the database file alone, as a copy without its write-ahead log reads it (-1 while a copy is torn). */
function asksInFileAlone(dir: string): number {
  const copy = path.join(tempDir(), 'copy.db');
  fs.copyFileSync(path.join(dir, DB_FILE_NAME), copy);
  try {
    const db = new Database(copy, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM asks').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return -1;
  }
}

// Every answer logs its ask. SQLite's own checkpoint would make one ask in about two hundred wait for the disk on the
// answer path; a background thread does it instead (server/kb/wal-checkpointer.ts). Timing is not asserted here
// (npm run eval prints the answer latencies): what is, is that the log rows reach the database file without any
// write on the answer path doing it, and that closing leaves no log behind. A SQLite matter: PostgreSQL has its own.
describe.skipIf(ON_POSTGRES)('checkpoints off the answer path', () => {
  it('asks logged while answering reach the database file through the background thread, and closing folds in the rest', async () => {
    const dir = tempDir();
    const s = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    let closed = false;
    try {
      const db = s.kb.db as unknown as Database.Database;
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_CHECKPOINT_PAGES);
      for (let i = 0; i < 40; i++) await s.answers.answer({ question: `住房公积金怎么提取 第${i}次`, channel: 'api' });
      // Far below SQLite's default threshold (1 000 pages): without the thread the file alone would hold no ask yet.
      let inFile = -1;
      for (let waited = 0; waited < 8000 && inFile !== 40; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        inFile = asksInFileAlone(dir);
      }
      expect(inFile).toBe(40);
      await s.answers.answer({ question: '最后一问', channel: 'api' });
      s.close();
      closed = true;
      expect(fs.existsSync(path.join(dir, `${DB_FILE_NAME}-wal`))).toBe(false);
      expect(asksInFileAlone(dir)).toBe(41);
    } finally {
      if (!closed) s.close();
    }
  });
});
