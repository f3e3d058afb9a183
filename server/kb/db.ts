import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

/** The database file was written by a newer bangban-kb than this one. */
export class SchemaTooNewError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `知识库数据库 ${file} 的结构版本为 ${found}，高于本程序支持的 ${supported}：` +
        `它由更新版本的 bangban-kb 写入。请升级 bangban-kb 后再打开，不要用旧版本改写它。`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Opens (creating if needed) a knowledge-base database: WAL, foreign keys on, migrated to the latest schema. */
export function openDatabase(file: string, migrations: Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
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
  return db;
}

function migrate(db: Db, file: string, migrations: Migration[]): void {
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

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement for this SQL, compiled once per connection: preparing costs more than running most of
 * the project's queries, and the answer path runs several per question.
 */
export function stmt(db: Db, sql: string): Database.Statement {
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

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
