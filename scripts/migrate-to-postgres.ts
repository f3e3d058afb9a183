#!/usr/bin/env node
/**
 * npm run migrate-to-postgres -- --from kb.db [--data-dir DIR] [--force]
 *
 * One-off move of a SQLite knowledge base into PostgreSQL (KB_DATABASE_URL; the schema is kbLocation's, as the
 * server will use it). Stop the SQLite server first: writes after the copy would not be carried over. The file is
 * copied, checked and migrated to the latest schema as a temporary copy (kb.db itself is left as it is), then
 * loaded into PostgreSQL in one transaction (server/kb/transfer.ts) — ids kept, identity sequences carried on —
 * and checked: rows per table and the KB version must equal the file's, otherwise nothing is committed.
 * A schema that already holds a KB is refused unless --force (which replaces it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs, UsageError, isMainModule, reportFailure } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { dataDir, kbLocation } from '../server/config.js';
import type { KbLocation } from '../server/kb/db.js';
import { describeRows, type TransferProgress, type TransferResult } from '../server/kb/transfer.js';
import { assertNotInUse, KbFileError, loadIntoPostgres, migratedCopy, removeDbFiles } from './kb-file.js';

const USAGE = '用法: npm run migrate-to-postgres -- --from kb.db [--data-dir DIR] [--force]（需设置 KB_DATABASE_URL；先停止服务）';

export interface MigrateOptions {
  force?: boolean;
  onProgress?: (p: TransferProgress) => void;
}

export interface MigrateResult extends TransferResult {
  /** Schema version of the file before its copy was migrated. */
  fromSchema: number;
}

/** Copies the SQLite KB in file into the PostgreSQL location; throws KbFileError when it refuses. */
export function migrateToPostgres(file: string, location: KbLocation, opts: MigrateOptions = {}): MigrateResult {
  if (location.kind !== 'postgres') {
    throw new KbFileError('未设置 KB_DATABASE_URL：请先设置迁移目标，如 KB_DATABASE_URL=postgres://用户:密码@主机:5432/数据库（需要时再设 KB_DATABASE_SCHEMA），再运行本命令。');
  }
  const source = path.resolve(file);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new KbFileError(`找不到 SQLite 知识库 ${source}（用 --from 指定 kb.db）`);
  assertNotInUse(source, '迁移'); // also folds its WAL in
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-migrate-')), 'kb.db');
  try {
    const { fromSchema } = migratedCopy(source, tmp);
    const result = loadIntoPostgres(tmp, location, opts, {
      refusal: `确认要用 ${source} 替换它时加 --force`,
      failure: '迁移失败，PostgreSQL 中没有写入任何数据',
    });
    return { ...result, fromSchema };
  } finally {
    removeDbFiles(tmp);
    fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
  }
}

/** The per-table counts side by side, and the KB version. */
export function formatTransfer(r: TransferResult): string {
  // a Chinese character takes two columns in a terminal
  const columns = (s: string) => [...s].reduce((n, ch) => n + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1), 0);
  const width = Math.max(...r.tables.map((t) => t.table.length), 10);
  const line = (a: string, b: string | number, c: string | number) =>
    `${a}${' '.repeat(Math.max(0, width - columns(a)))}  ${String(b).padStart(8)}  ${String(c).padStart(10)}`;
  return [
    line('表', 'SQLite', 'PostgreSQL'),
    ...r.tables.map((t) => line(t.table, t.source, t.target)),
    line('知识库版本', r.kbVersion.source, r.kbVersion.target),
  ].join('\n');
}

function main(argv: string[]): number {
  try {
    const args = parseCliArgs({
      args: argv,
      options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    if (args.values.help) {
      console.log(USAGE);
      return 0;
    }
    if (!args.values.from) throw new UsageError(`需要用 --from 指定要迁移的 SQLite 知识库文件（kb.db）。\n${USAGE}`);
    const location = kbLocation(dataDir(args.values['data-dir']));
    let bar: ProgressBar | null = null;
    const res = migrateToPostgres(args.values.from, location, {
      force: args.values.force === true,
      onProgress: (p) => {
        bar ??= new ProgressBar('迁移', p.total);
        bar.update(p.copied, p.table);
      },
    });
    (bar as ProgressBar | null)?.done();
    const where = location.kind === 'postgres' ? location.schema : '';
    console.log(`已迁移到 PostgreSQL 模式 ${where}${res.fromSchema < res.schemaVersion ? `（结构已从版本 ${res.fromSchema} 升级）` : ''}`);
    if (res.replaced.length) console.log(`已替换原有知识库（${describeRows(res.replaced)}）`);
    console.log(formatTransfer(res));
    console.log('核对：各表行数与知识库版本一致。设置同样的 KB_DATABASE_URL（和 KB_DATABASE_SCHEMA）启动服务即使用 PostgreSQL。');
    return 0;
  } catch (err) {
    return reportFailure(err, USAGE, '迁移失败', [KbFileError]);
  }
}

if (isMainModule(import.meta.url)) process.exitCode = main(process.argv.slice(2));
