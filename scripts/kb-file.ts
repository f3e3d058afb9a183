/**
 * Inspecting a knowledge-base database file on its own (backups, files to restore): is it a bangban-kb database,
 * is it intact, which schema, how much does it hold. Shared by scripts/backup.ts and scripts/restore.ts.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../server/kb/migrations.js';

export type Db = Database.Database;

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

export function formatCounts(c: KbCounts): string {
  const e = c.entries;
  return [
    `结构版本 ${c.schemaVersion}，知识库版本 ${c.kbVersion}`,
    `条目：已发布 ${e.published}，草稿 ${e.draft}，已归档 ${e.archived}（合计 ${e.total}）`,
    `文件 ${c.documents}，咨询记录 ${c.asks}，缺口 ${c.gaps}，有效令牌 ${c.tokens}`,
  ].join('\n');
}

/**
 * Throws KbFileError when another connection (a running server) has the database open. Leaving WAL mode needs the
 * only connection to the file, and folds the WAL into the main file; openDatabase() turns WAL on again. A file
 * SQLite cannot read at all is no one's open database: that is left to the caller.
 */
export function assertNotInUse(dbFile: string, what: string): void {
  let db: Db | null = null;
  try {
    db = new Database(dbFile, { fileMustExist: true });
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = DELETE');
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new KbFileError(`${dbFile} 正被其他进程（运行中的服务？）打开：请先停止服务再${what}`);
    }
  } finally {
    db?.close();
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** Removes a database file with its WAL, shared-memory and journal companions. */
export function removeDbFiles(file: string, { keepMain = false } = {}): void {
  for (const f of [...(keepMain ? [] : [file]), `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}
