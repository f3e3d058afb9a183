import { stmt } from './db.js';
import path from 'node:path';
import { openDatabase, type Db, type KbLocation } from './db.js';
import { PostgresDb } from './postgres/postgres-db.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import type Database from 'better-sqlite3';
import { migratePostgres, postgresSchemaVersion } from './postgres/migrations.js';
import fs from 'node:fs';
import { DB_FILE_NAME, kbLocation } from '../config.js';
import { systemClock, type KbClock } from './clock.js';
import { EntryStore } from './entries.js';
import { DocumentStore } from './documents.js';
import { RevisionStore } from './revisions.js';
import { GapStore } from './gaps.js';
import { JobRunStore } from './job-runs.js';
import { ApiTokenStore } from './tokens.js';
import { AskLog } from './asks.js';
import { AuditLog } from './audit-log.js';
import { ReviewStore } from './reviews.js';
import { PhrasingStore } from './phrasings.js';
import { LexiconEditStore } from './lexicon-edits.js';

export { DB_FILE_NAME };

/** How long a replica following notifications may answer version() from memory. */
const VERSION_MEMORY_MS = 1000;

/**
 * The knowledge base: one database (the single source of truth: a SQLite file, or a PostgreSQL schema shared by
 * replicas) and the typed stores over it.
 * Everything else (search indexes, reports) is derived from it.
 */
export class KnowledgeBase {
  readonly entries: EntryStore;
  readonly documents: DocumentStore;
  readonly revisions: RevisionStore;
  readonly gaps: GapStore;
  readonly jobRuns: JobRunStore;
  /** The api_tokens rows; hashing and verifying are server/auth/tokens.ts (TokenStore). */
  readonly tokens: ApiTokenStore;
  /** Citizens' asks with their 好差评 feedback and 转人工 hand-offs. */
  readonly asks: AskLog;
  readonly audit: AuditLog;
  readonly reviews: ReviewStore;
  /** Citizens' phrasings proposed as similar questions (从使用中学习). */
  readonly phrasings: PhrasingStore;
  /** Admin-page saves of the synonyms, the dictionary and the colloquial lexicon. */
  readonly lexiconEdits: LexiconEditStore;

  constructor(readonly db: Db, readonly clock: KbClock = systemClock) {
    this.entries = new EntryStore(db, clock);
    this.documents = new DocumentStore(db, clock);
    this.revisions = new RevisionStore(db, clock, this.entries);
    this.gaps = new GapStore(db);
    this.jobRuns = new JobRunStore(db);
    this.tokens = new ApiTokenStore(db);
    this.asks = new AskLog(db, clock);
    this.audit = new AuditLog(db, clock);
    this.reviews = new ReviewStore(db);
    this.phrasings = new PhrasingStore(db);
    this.lexiconEdits = new LexiconEditStore(db);
  }

  /**
   * Opens the KB of a data directory: its kb.db (created if missing), or — with KB_DATABASE_URL set — its schema in
   * PostgreSQL (see kbLocation in server/config.ts). Either way migrated to the latest schema.
   */
  static open(dataDir: string, clock: KbClock = systemClock, location: KbLocation = kbLocation(dataDir)): KnowledgeBase {
    return new KnowledgeBase(openKbDatabase(location), clock);
  }

  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Set on a PostgreSQL replica whose change listener is connected (server/kb/postgres/change-listener.ts). */
  private follower: { listening(): boolean } | null = null;
  private remembered: { version: number; at: number; writes: number } | null = null;

  /**
   * A replica following change notifications: version() may answer from memory — until a notification arrives
   * (changed()), this process writes, the listener is disconnected, or a second has passed (a lost notification
   * costs at most that). Every search asks for the version, so this saves a database round trip per question.
   */
  followChanges(follower: { listening(): boolean }): void {
    this.follower = follower;
  }

  /** Another replica committed a write: the next version() reads the database. */
  changed(): void {
    this.remembered = null;
  }

  /** Increases on every committed write: derived indexes are stamped with it. */
  version(): number {
    const writes = this.db instanceof PostgresDb ? this.db.writes : 0;
    const r = this.remembered;
    if (r && this.follower?.listening() && r.writes === writes && performance.now() - r.at < VERSION_MEMORY_MS) return r.version;
    const row = stmt(this.db, `SELECT value FROM meta WHERE key = 'kb_version'`).get() as { value: string };
    const version = Number(row.value);
    if (this.follower) this.remembered = { version, at: performance.now(), writes };
    return version;
  }

  /** Bumped when the domain dictionary or synonyms change, so that every server process reloads them. */
  lexiconVersion(): number {
    const row = stmt(this.db, `SELECT value FROM meta WHERE key = 'lexicon_version'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  bumpLexiconVersion(): void {
    this.transaction(() => {
      stmt(this.db, `INSERT INTO meta (key, value) VALUES ('lexicon_version', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1`).run();
      stmt(this.db, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'kb_version'`).run();
    });
  }

  private checkpointer: WalCheckpointer | null = null;

  /**
   * A SQLite KB's write-ahead log is checkpointed by a background thread from now on, not by whichever write
   * crosses SQLite's threshold (a service's answers each write an ask: see wal-checkpointer.ts). No-op on PostgreSQL.
   */
  checkpointInBackground(): void {
    if (this.db.dialect !== 'sqlite' || this.checkpointer) return;
    const sqlite = this.db as Db & Database.Database;
    if (!sqlite.memory) this.checkpointer = WalCheckpointer.start(sqlite);
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }
}

/** Whether a KB exists at this location (a kb.db file; a PostgreSQL schema holding a migrated KB), without creating one. */
export function kbExists(location: KbLocation): boolean {
  if (location.kind === 'sqlite') return fs.existsSync(location.file);
  const db = new PostgresDb(location.url, location.schema);
  try {
    return postgresSchemaVersion(db) > 0;
  } finally {
    db.close();
  }
}

/** Where a KB is, as a person names it in a message. */
export function describeLocation(location: KbLocation): string {
  return location.kind === 'sqlite' ? location.file : `PostgreSQL 模式 ${location.schema}`;
}

/** A connection to the KB at this location, migrated to the latest schema. */
export function openKbDatabase(location: KbLocation): Db {
  if (location.kind === 'sqlite') return openDatabase(location.file);
  const db = new PostgresDb(location.url, location.schema);
  try {
    migratePostgres(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export { EntryStore, DocumentStore, GapStore, JobRunStore, ApiTokenStore, AskLog, AuditLog, ReviewStore, PhrasingStore, LexiconEditStore };
export type { Entry, EntryFilter, EntryVersion } from './entries.js';
export type { Revision } from './revisions.js';
export type { PolicyDocument, DocumentLink } from './documents.js';
