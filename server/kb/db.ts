import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';

/** What a statement returns from run(): the rows it changed (a new row's id comes from `RETURNING id`, on both databases). */
export interface RunResult {
  changes: number;
}

/** A prepared statement: the part of better-sqlite3's Statement the KB layer uses. */
export interface SqlStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): RunResult;
  iterate(...params: unknown[]): Iterable<unknown>;
}

/**
 * A knowledge-base database connection, SQLite (better-sqlite3, the embedded default) or PostgreSQL
 * (server/kb/postgres/): synchronous, so the stores and commands are the same code on both. SQL is written in the
 * subset both understand, with `?` placeholders; the PostgreSQL connection translates what differs (postgres/sql.ts).
 */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  readonly open: boolean;
  prepare(sql: string): SqlStatement;
  /**
   * Wraps fn in a transaction (a nested call becomes a savepoint); the wrapper commits, or rolls back and rethrows.
   * A write's error may surface later than its run() — on PostgreSQL writes are sent with the next statement that
   * reads, or when their scope ends (never after it commits) — so code inside a transaction must not catch a run()
   * error to carry on: let it end the scope, and catch it outside.
   */
  transaction<F extends (...args: never[]) => unknown>(fn: F): F;
  exec(sql: string): void;
  close(): void;
}

/** Where a knowledge base lives: a SQLite file, or a schema of a PostgreSQL database. */
export type KbLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };

/** The database was written by a newer bangban-kb than this one. */
export class SchemaTooNewError extends Error {
  constructor(where: string, found: number, supported: number) {
    super(
      `知识库数据库 ${where} 的结构版本为 ${found}，高于本程序支持的 ${supported}：` +
        `它由更新版本的 bangban-kb 写入。请升级 bangban-kb 后再打开，不要用旧版本改写它。`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Opens (creating if needed) a SQLite knowledge-base database: WAL, foreign keys on, migrated to the latest schema. */
export function openDatabase(file: string, migrations: Migration[] = MIGRATIONS): Db & Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = Object.defineProperty(new Database(file), 'dialect', { value: 'sqlite' as const }) as Database.Database & { dialect: 'sqlite' };
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // WAL + NORMAL: committed transactions survive a process crash
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, file, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db as unknown as Db & Database.Database;
}

function migrate(db: Database.Database, file: string, migrations: Migration[]): void {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new SchemaTooNewError(file, current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

type Preparer = Pick<Db, 'prepare'>;
const statements = new WeakMap<Preparer, Map<string, SqlStatement>>();

/**
 * A prepared statement for this SQL, compiled once per connection: preparing costs more than running most of
 * the project's queries, and the answer path runs several per question.
 */
export function stmt(db: Preparer, sql: string): SqlStatement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    if (cache.size > 500) cache.clear(); // dynamic SQL (filters) stays bounded
    cache.set(sql, s);
  }
  return s;
}

/**
 * The highest id a table's never-reused counter has given (0 before the first): SQLite's AUTOINCREMENT sequence,
 * PostgreSQL's identity sequence. Rows deleted since keep their ids spent.
 */
export function lastIssuedId(db: Db, table: string): number {
  const sql =
    db.dialect === 'sqlite'
      ? `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0) AS n`
      : `SELECT coalesce((SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = ?), 0) AS n`;
  return Number((stmt(db, sql).get(db.dialect === 'sqlite' ? table : `${table}_id_seq`) as { n: number }).n);
}

/**
 * An IN list both databases understand: `?, ?, …` and its values, padded with NULLs (which match nothing) to a
 * power of two, so that lists of any length share a few prepared statements instead of one each.
 */
export function inList(values: ReadonlyArray<number | string>): { sql: string; params: Array<number | string | null> } {
  let n = 1;
  while (n < values.length) n *= 2;
  const params: Array<number | string | null> = [...values, ...Array<null>(n - values.length).fill(null)];
  return { sql: params.map(() => '?').join(', '), params };
}
