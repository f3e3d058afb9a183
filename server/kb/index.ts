import path from 'node:path';
import { openDatabase, type Db } from './db.js';
import { systemClock, type KbClock } from './clock.js';
import { EntryStore } from './entries.js';
import { DocumentStore } from './documents.js';

export const DB_FILE_NAME = 'kb.db';

/**
 * The knowledge base: one SQLite database (the single source of truth) and the typed stores over it.
 * Everything else (search indexes, reports) is derived from it.
 */
export class KnowledgeBase {
  readonly entries: EntryStore;
  readonly documents: DocumentStore;

  constructor(readonly db: Db, readonly clock: KbClock = systemClock) {
    this.entries = new EntryStore(db, clock);
    this.documents = new DocumentStore(db, clock);
  }

  /** Opens the KB in a data directory (created if missing). */
  static open(dataDir: string, clock: KbClock = systemClock): KnowledgeBase {
    return new KnowledgeBase(openDatabase(path.join(dataDir, DB_FILE_NAME)), clock);
  }

  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Increases on every committed write: derived indexes are stamped with it. */
  version(): number {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'kb_version'`).get() as { value: string };
    return Number(row.value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export { EntryStore, DocumentStore };
export type { Entry, EntryFilter, EntryVersion } from './entries.js';
export type { PolicyDocument, DocumentLink } from './documents.js';
