#!/usr/bin/env node
/**
 * npm run restore -- FILE [--data-dir DIR] [--force]
 *
 * Restores a backup (npm run backup) as the knowledge base of a data directory. Stop the server first: a KB that
 * another process holds open is refused, and a server started during the restore would keep the old file open.
 *
 * FILE is copied into the data directory, checked there (an intact SQLite database, our tables, a schema version
 * no newer than this program's; an older one is migrated) and renamed over kb.db in one step, so kb.db is always
 * either the old KB or the restored one. An existing KB is only replaced with --force, and is kept beside it as
 * kb.db.before-restore-<time>. Stale -wal/-shm files go, and so does the derived index/ folder: the search indexes
 * are rebuilt from the restored KB on the next start (their entry versions may coincide with the backup's while
 * their contents differ).
 *
 * With the KB in PostgreSQL (KB_DATABASE_URL) the file is checked and migrated the same way as a temporary copy,
 * then loaded into the KB's schema in one transaction: the schema holds the old KB or the restored one, never a
 * mix. A KB there is only replaced with --force; what it held is printed (back it up first: npm run backup).
 */
import { shanghaiStamp } from '../server/ops/calendar.js';
import fs from 'node:fs';
import path from 'node:path';
import { parseCliArgs, UsageError, isMainModule, reportFailure } from '../server/cli/args.js';
import { dataDir, kbLocation } from '../server/config.js';
import { DB_FILE_NAME, describeLocation } from '../server/kb/index.js';
import type { KbLocation } from '../server/kb/db.js';
import { describeRows, type TransferProgress } from '../server/kb/transfer.js';
import { ProgressBar } from '../server/cli/progress.js';
import { assertNotInUse, formatCounts, KbFileError, type KbCounts, loadIntoPostgres, migratedCopy, removeDbFiles } from './kb-file.js';

const USAGE = '用法: npm run restore -- 备份文件 [--data-dir DIR] [--force]（先停止服务）';

export interface RestoreResult {
  dbFile: string;
  /** Where the replaced KB was kept, if there was one. */
  previous: string | null;
  /** Schema version of FILE before migration (lower than counts.schemaVersion when it was migrated). */
  fromSchema: number;
  counts: KbCounts;
  /** PostgreSQL: the rows the restore replaced (with --force), table by table. */
  replaced?: Array<{ table: string; rows: number }>;
}

export interface RestoreOptions {
  force?: boolean;
  /** Where the KB lives (default: kbLocation of the data directory). */
  location?: KbLocation;
  onProgress?: (p: TransferProgress) => void;
}

export function restoreKb(file: string, dir: string, opts: RestoreOptions = {}): RestoreResult {
  const source = path.resolve(file);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new KbFileError(`找不到备份文件 ${source}`);
  const location = opts.location ?? kbLocation(dir);
  if (location.kind === 'postgres') return restoreIntoPostgres(source, dir, location, opts);
  const dbFile = path.join(dir, DB_FILE_NAME);
  if (path.resolve(dbFile) === source) throw new KbFileError('备份文件就是当前知识库本身');
  if (fs.existsSync(dbFile) && !opts.force) {
    throw new KbFileError(`${dbFile} 已有知识库：确认要用备份替换它时加 --force（原库会保留为 ${DB_FILE_NAME}.before-restore-…）`);
  }
  fs.mkdirSync(dir, { recursive: true });

  // Check and migrate a copy in the data directory, so that the final rename stays on one file system.
  const tmp = path.join(dir, `${DB_FILE_NAME}.restore-${process.pid}.tmp`);
  const { fromSchema, counts } = migratedCopy(source, tmp);

  let previous: string | null = null;
  try {
    if (fs.existsSync(dbFile)) {
      assertNotInUse(dbFile, '恢复'); // also folds its WAL in, so the file kept below is complete
      // named by the Shanghai time a person reads it in: kb.db.before-restore-2026-07-01-100000
      previous = `${dbFile}.before-restore-${shanghaiStamp(new Date())}`;
      try {
        fs.linkSync(dbFile, previous); // a second name for the old KB: the rename below never leaves kb.db missing
      } catch {
        fs.copyFileSync(dbFile, previous); // a file system without hard links
      }
    }
    fs.renameSync(tmp, dbFile);
  } catch (err) {
    removeDbFiles(tmp);
    throw err;
  }
  removeDbFiles(dbFile, { keepMain: true });
  fs.rmSync(path.join(dir, 'index'), { recursive: true, force: true });
  return { dbFile, previous, fromSchema, counts };
}

/**
 * PostgreSQL: the backup file is checked and migrated as a temporary copy, then loaded into the KB's schema in one
 * transaction (transfer.ts): the schema holds either the old KB or the restored one, never half of it. An existing
 * KB is only replaced with --force; what it held is reported (back it up first: npm run backup).
 */
function restoreIntoPostgres(source: string, dir: string, location: KbLocation & { kind: 'postgres' }, opts: RestoreOptions): RestoreResult {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${DB_FILE_NAME}.restore-${process.pid}.tmp`);
  const { fromSchema, counts } = migratedCopy(source, tmp);
  let replaced: Array<{ table: string; rows: number }>;
  try {
    replaced = loadIntoPostgres(tmp, location, opts, {
      refusal: '确认要用备份替换它时加 --force（原有数据会被删除，可先用 npm run backup 备份）',
      failure: '恢复失败，PostgreSQL 中的知识库保持原样',
    }).replaced;
  } finally {
    removeDbFiles(tmp);
  }
  fs.rmSync(path.join(dir, 'index'), { recursive: true, force: true });
  return { dbFile: describeLocation(location), previous: null, fromSchema, counts, replaced };
}

function main(argv: string[]): number {
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
    if (!file || args.positionals.length > 1) throw new UsageError(`需要一个备份文件。\n${USAGE}`);
    const dir = dataDir(args.values['data-dir']);
    let bar: ProgressBar | null = null;
    const res = restoreKb(file, dir, {
      force: args.values.force === true,
      onProgress: (p) => {
        bar ??= new ProgressBar('恢复', p.total);
        bar.update(p.copied, p.table);
      },
    });
    (bar as ProgressBar | null)?.done();
    console.log(`已恢复：${res.dbFile}${res.fromSchema < res.counts.schemaVersion ? `（结构已从版本 ${res.fromSchema} 升级）` : ''}`);
    if (res.previous) console.log(`原知识库保留为：${res.previous}`);
    if (res.replaced?.length) console.log(`已替换原有知识库（${describeRows(res.replaced)}）`);
    console.log('完整性检查：ok');
    console.log(formatCounts(res.counts));
    console.log(res.replaced ? '搜索索引已删除，将在下次启动时从恢复的知识库重建。' : '搜索索引已删除，将在下次启动时（或 npm run reindex）从恢复的知识库重建。');
    return 0;
  } catch (err) {
    return reportFailure(err, USAGE, '恢复失败', [KbFileError]);
  }
}

if (isMainModule(import.meta.url)) process.exitCode = main(process.argv.slice(2));
