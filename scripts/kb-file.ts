/**
 * Inspecting a knowledge-base database file on its own (backups, files to restore): is it a bangban-kb database,
 * is it intact, which schema, how much does it hold. Shared by scripts/backup.ts and scripts/restore.ts.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';

// Checking and counting a database file are the KB layer's (server/kb/file-check.ts); re-exported for the scripts.
export { checkKbFile, integrityCheck, kbCounts, KbFileError, type KbCounts } from '../server/kb/file-check.js';
import { checkKbFile, kbCounts, KbFileError, type KbCounts } from '../server/kb/file-check.js';
import { openDatabase, type Db, type KbLocation } from '../server/kb/db.js';
import { describeLocation, openKbDatabase } from '../server/kb/index.js';
import { copyKb, describeRows, TargetNotEmptyError, type TransferOptions, type TransferResult } from '../server/kb/transfer.js';

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
  let db: Database.Database | null = null;
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

/**
 * Copies a KB file (with its WAL, if any) to tmp, checks the copy (an intact bangban-kb database of a schema this
 * program knows) and migrates it to the latest schema: the file itself is never changed. Removes tmp on failure.
 */
export function migratedCopy(source: string, tmp: string): { fromSchema: number; counts: KbCounts } {
  removeDbFiles(tmp);
  try {
    fs.copyFileSync(source, tmp);
    if (fs.existsSync(`${source}-wal`)) fs.copyFileSync(`${source}-wal`, `${tmp}-wal`); // a copy taken with its WAL
    let probe: Database.Database;
    try {
      probe = new Database(tmp, { fileMustExist: true });
    } catch (err) {
      throw new KbFileError(`${source} 不是可读的 SQLite 数据库：${(err as Error).message}`);
    }
    let fromSchema: number;
    try {
      checkKbFile(probe, source);
      fromSchema = probe.pragma('user_version', { simple: true }) as number;
    } finally {
      probe.close();
    }
    const db = openDatabase(tmp); // brings an older schema up to date
    try {
      db.pragma('journal_mode = DELETE');
      return { fromSchema, counts: kbCounts(db) };
    } finally {
      db.close();
    }
  } catch (err) {
    removeDbFiles(tmp);
    throw err;
  }
}

/**
 * Loads a checked, migrated SQLite copy (migratedCopy) into a PostgreSQL KB in one transaction (transfer.ts): the
 * schema holds either what it held or the whole copy. `refusal` is what a person reads when the schema already holds
 * a KB and force was not given; `failure` prefixes any other error (nothing was committed).
 */
export function loadIntoPostgres(
  copyFile: string,
  location: KbLocation & { kind: 'postgres' },
  opts: { force?: boolean; onProgress?: TransferOptions['onProgress'] },
  messages: { refusal: string; failure: string },
): TransferResult {
  const copy = openDatabase(copyFile);
  try {
    const target = openKbDatabase(location);
    try {
      return copyKb(copy, target, { replace: opts.force, onProgress: opts.onProgress });
    } catch (err) {
      if (err instanceof TargetNotEmptyError) throw new KbFileError(`${describeLocation(location)} 已有知识库（${describeRows(err.rows)}）：${messages.refusal}`);
      throw new KbFileError(`${messages.failure}：${(err as Error).message}`);
    } finally {
      target.close();
    }
  } finally {
    copy.close();
  }
}
