#!/usr/bin/env node
/**
 * npm run backup -- FILE [--data-dir DIR] [--force]
 *
 * Online backup of the knowledge base (kb.db in KB_DATA_DIR) while the server keeps serving: SQLite's backup API
 * through better-sqlite3, page batch by page batch. The database is in WAL mode, so the backup only reads: the
 * server's writes never wait for it. A write by the server between two batches makes SQLite start the copy over;
 * each restart makes the batches larger, so the copy finishes even under a steady stream of writes (at worst in
 * one batch, still without blocking a writer). The copy is written beside FILE, checked (integrity_check, our
 * schema), turned into a single self-contained file (journal_mode DELETE) and only then renamed to FILE.
 * The search indexes are not backed up: they are derived and rebuilt from the KB (npm run reindex).
 *
 * With the KB in PostgreSQL (KB_DATABASE_URL) the backup is the same kind of file: a fresh kb.db at the latest
 * schema, filled from one consistent snapshot of the KB's schema (REPEATABLE READ; replicas keep writing, and the
 * copy holds the KB as it was at one moment), checked and renamed into place the same way. `npm run restore` loads
 * it into either database.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { parseCliArgs, UsageError, isMainModule, reportFailure } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { dataDir, kbLocation } from '../server/config.js';
import { describeLocation } from '../server/kb/index.js';
import { openDatabase, type KbLocation } from '../server/kb/db.js';
import { SCHEMA_VERSION } from '../server/kb/migrations.js';
import { PostgresDb } from '../server/kb/postgres/postgres-db.js';
import { copyKb, schemaVersion } from '../server/kb/transfer.js';
import { checkKbFile, formatBytes, formatCounts, kbCounts, KbFileError, type KbCounts, removeDbFiles } from './kb-file.js';

const USAGE = '用法: npm run backup -- 备份文件 [--data-dir DIR] [--force]';

/** Pages copied per step at first (4 MB with 4 KB pages); multiplied by 4 after every restart. */
const FIRST_BATCH_PAGES = 1024;

/** SQLite: pages of the file; PostgreSQL: rows, table by table (table is set). */
export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
  restarts: number;
  table?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  restarts: number;
  ms: number;
  counts: KbCounts;
}

export interface BackupOptions {
  /** Replace FILE when it exists (default: refuse). */
  force?: boolean;
  /** Pages per step at first (default 1024); tests make it small to interleave writes. */
  firstBatchPages?: number;
  onProgress?: (p: BackupProgress) => void;
  /** Where the KB lives (default: kbLocation of the data directory). */
  location?: KbLocation;
}

/** Backs up the KB of dataDir to file; throws KbFileError when it refuses (file exists, no KB, bad copy). */
export async function backupKb(dir: string, file: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const location = opts.location ?? kbLocation(dir);
  if (location.kind === 'postgres') return backupPostgres(location, file, opts);
  const source = location.file;
  if (!fs.existsSync(source)) throw new KbFileError(`找不到知识库 ${source}（用 --data-dir 或 KB_DATA_DIR 指定数据目录）`);
  if (path.resolve(file) === path.resolve(source)) throw new KbFileError('备份文件不能是知识库本身');
  const { target, partial } = prepareTarget(file, opts.force);
  const started = performance.now();
  const db = new Database(source, { fileMustExist: true });
  let restarts = 0;
  try {
    db.pragma('busy_timeout = 5000');
    let batch = opts.firstBatchPages ?? FIRST_BATCH_PAGES;
    let lastRemaining = Infinity;
    const done = await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        // Every step that does not restart copies pages; the same or more left means SQLite started over.
        if (remainingPages >= lastRemaining) {
          restarts++;
          batch = Math.min(batch * 4, 0x7fffffff);
        }
        lastRemaining = remainingPages;
        opts.onProgress?.({ copiedPages: totalPages - remainingPages, totalPages, restarts });
        return batch;
      },
    });
    opts.onProgress?.({ copiedPages: done.totalPages, totalPages: done.totalPages, restarts }); // the last step reports nothing
  } catch (err) {
    removeDbFiles(partial);
    throw err;
  } finally {
    db.close();
  }

  const counts = checkAndPlace(partial, target);
  return { file: target, bytes: fs.statSync(target).size, restarts, ms: performance.now() - started, counts };
}

/** The backup file (refused when it exists, unless forced) and the partial file the copy is written to first. */
function prepareTarget(file: string, force = false): { target: string; partial: string } {
  const target = path.resolve(file);
  if (fs.existsSync(target) && !force) throw new KbFileError(`${target} 已存在：换一个文件名，或加 --force 覆盖`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  removeDbFiles(partial);
  return { target, partial };
}

/** Checks the copy written at partial, makes it one self-contained file and renames it to target; removes it on failure. */
function checkAndPlace(partial: string, target: string): KbCounts {
  try {
    let counts: KbCounts;
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE'); // one self-contained file, whatever mode the source is in
      checkKbFile(copy, target);
      counts = kbCounts(copy);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, target);
    return counts;
  } catch (err) {
    removeDbFiles(partial);
    throw err;
  }
}

/** PostgreSQL: a fresh kb.db filled from one consistent snapshot of the KB's schema (transfer.ts). */
function backupPostgres(location: KbLocation & { kind: 'postgres' }, file: string, opts: BackupOptions): BackupResult {
  const { target, partial } = prepareTarget(file, opts.force);
  const started = performance.now();
  const source = new PostgresDb(location.url, location.schema);
  try {
    const version = schemaVersion(source);
    if (version === 0) throw new KbFileError(`${describeLocation(location)} 中没有知识库：检查 KB_DATABASE_URL、KB_DATABASE_SCHEMA 和 --data-dir`);
    if (version !== SCHEMA_VERSION) {
      throw new KbFileError(`PostgreSQL 中知识库的结构版本为 ${version}，本程序为 ${SCHEMA_VERSION}：请用与服务相同版本的 bangban-kb 备份`);
    }
    const copy = openDatabase(partial);
    try {
      copyKb(source, copy, { onProgress: (p) => opts.onProgress?.({ copiedPages: p.copied, totalPages: p.total, restarts: 0, table: p.table }) });
    } finally {
      copy.close();
    }
  } catch (err) {
    removeDbFiles(partial);
    throw err;
  } finally {
    source.close();
  }
  const counts = checkAndPlace(partial, target);
  return { file: target, bytes: fs.statSync(target).size, restarts: 0, ms: performance.now() - started, counts };
}

async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCliArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (args.values.help) {
      console.log(USAGE);
      return 0;
    }
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new UsageError(`需要一个备份文件名。\n${USAGE}`);
    const dir = dataDir(args.values['data-dir']);
    let bar: ProgressBar | null = null;
    const res = await backupKb(dir, file, {
      force: args.values.force === true,
      onProgress: (p) => {
        bar ??= new ProgressBar('备份', p.totalPages);
        bar.update(p.copiedPages, p.table ?? (p.restarts ? `（写入发生，已重新开始 ${p.restarts} 次）` : ''));
      },
    });
    (bar as ProgressBar | null)?.done();
    console.log(`备份完成：${res.file}（${formatBytes(res.bytes)}，用时 ${(res.ms / 1000).toFixed(1)} s${res.restarts ? `，因并发写入重新开始 ${res.restarts} 次` : ''}）`);
    console.log('完整性检查：ok');
    console.log(formatCounts(res.counts));
    const location = kbLocation(dir);
    console.log(`知识库：${location.kind === 'postgres' ? `PostgreSQL 模式 ${location.schema}（数据目录 ${dir}）` : dir}`);
    return 0;
  } catch (err) {
    return reportFailure(err, USAGE, '备份失败', [KbFileError]);
  }
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
