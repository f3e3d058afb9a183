/**
 * Inspecting a knowledge-base database file on its own (backups, files to restore): is it a bangban-kb database,
 * is it intact, which schema, how much does it hold. Used by scripts/backup.ts and scripts/restore.ts (scripts/kb-file.ts).
 */
import type Database from 'better-sqlite3';

/** A SQLite file opened on its own (better-sqlite3): backups and restores are files. */
type Db = Database.Database;
import { SCHEMA_VERSION } from './migrations.js';

/** Tables every bangban-kb database has had since schema version 1. */
const CORE_TABLES = ['meta', 'documents', 'entries', 'entry_versions'];

export interface KbCounts {
  schemaVersion: number;
  kbVersion: number;
  entries: { published: number; draft: number; archived: number; total: number };
  documents: number;
  /** Tables added by later schema versions count 0 in an older file. */
  asks: number;
  gaps: number;
  tokens: number;
}

/** The file is not a bangban-kb database we can use (not SQLite, damaged, another program's, or too new). */
export class KbFileError extends Error {}

function tables(db: Db): Set<string> {
  const rows = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
  return new Set(rows.map((r) => r.name));
}

/** PRAGMA integrity_check: 'ok', or the first problems it reports. */
export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).slice(0, 5).join('; ');
}

/**
 * Throws KbFileError unless db is an intact bangban-kb database this program can open: SQLite, integrity_check
 * ok, our core tables, a schema version no newer than ours.
 */
export function checkKbFile(db: Db, file: string): void {
  let integrity: string;
  try {
    integrity = integrityCheck(db);
  } catch (err) {
    throw new KbFileError(`${file} 不是可读的 SQLite 数据库：${(err as Error).message}`);
  }
  if (integrity !== 'ok') throw new KbFileError(`${file} 未通过完整性检查（PRAGMA integrity_check）：${integrity}`);
  const have = tables(db);
  const missing = CORE_TABLES.filter((t) => !have.has(t));
  const version = db.pragma('user_version', { simple: true }) as number;
  if (missing.length || version < 1 || !db.prepare(`SELECT 1 FROM meta WHERE key = 'kb_version'`).get()) {
    throw new KbFileError(`${file} 不是 bangban-kb 知识库数据库（缺少 ${missing.length ? missing.join('、') : 'kb_version 或结构版本'}）`);
  }
  if (version > SCHEMA_VERSION) {
    throw new KbFileError(
      `${file} 的结构版本为 ${version}，高于本程序支持的 ${SCHEMA_VERSION}：它由更新版本的 bangban-kb 写入，请升级后再恢复。`,
    );
  }
}

export function kbCounts(db: Db): KbCounts {
  const have = tables(db);
  const count = (table: string, where = '') =>
    have.has(table) ? (db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get() as { n: number }).n : 0;
  const byStatus = Object.fromEntries(
    (db.prepare(`SELECT status, count(*) AS n FROM entries GROUP BY status`).all() as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]),
  );
  const entries = { published: byStatus.published ?? 0, draft: byStatus.draft ?? 0, archived: byStatus.archived ?? 0, total: 0 };
  entries.total = entries.published + entries.draft + entries.archived;
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    kbVersion: Number((db.prepare(`SELECT value FROM meta WHERE key = 'kb_version'`).get() as { value: string }).value),
    entries,
    documents: count('documents'),
    asks: count('asks'),
    gaps: count('gaps'),
    tokens: count('api_tokens', 'WHERE revoked_at IS NULL'),
  };
}
