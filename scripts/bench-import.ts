#!/usr/bin/env node
/**
 * npm run bench:import -- [--rows 20000] [--sheet FILE] [--database-url URL]
 *
 * Method: each measurement runs the real CLI (`node dist/ingest/cli.js --data-dir <fresh dir> --publish FILE`) in its
 * own process under /usr/bin/time, end to end: start-up, reading, row checks, one transaction writing every entry
 * with its history, gaps, the summary and the rejected-rows sheet. Figures: wall time and the process's peak RSS.
 * Sheets: the real 2,081-row FAQ sheet (../shared/eval/external-faq/faq.csv, or --sheet), and a generated sheet of
 * --rows rows as CSV and as XLSX (deterministic; 1 in 500 rows without an answer, 1 in 700 a repeated question with
 * another answer, 1 in 1,000 a question over 500 characters, HTML entities and line breaks in answers).
 * With --database-url (or KB_DATABASE_URL) each sheet is also imported into PostgreSQL, into a fresh schema dropped
 * afterwards, so the two databases are timed in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { parseCliArgs, UsageError, isMainModule } from '../server/cli/args.js';
import { REPO_ROOT } from '../server/config.js';

const ITEMS = ['营业执照', '居住证', '公积金', '社会保险', '医疗保险', '不动产登记', '出生医学证明', '结婚登记', '食品经营许可', '养老服务补贴', '人才引进落户', '异地就医备案'];
const ACTIONS = ['怎么办理', '需要哪些材料', '要多长时间', '收费吗', '可以网上办吗', '进度怎么查', '遗失了怎么补办', '信息变更怎么办'];
const DEPARTMENTS = ['市场监管局', '公安局', '公积金中心', '人社局', '医保局', '规划资源局', '卫健委', '民政局'];

/** Rows of a department-style sheet: question, answer, department — with the problems real sheets have. */
export function generatedSheet(rows: number): string[][] {
  const out = [['问题', '答案', '责任单位']];
  for (let n = 1; n <= rows; n++) {
    const item = ITEMS[n % ITEMS.length];
    const action = ACTIONS[Math.floor(n / ITEMS.length) % ACTIONS.length];
    const department = DEPARTMENTS[n % DEPARTMENTS.length];
    let question = `${item}${action}？（第 ${n} 号）`;
    let answer = `办理${item}请登录“一网通办”搜索&lt;${item}&gt;，按提示提交。\n承诺时限 ${(n % 10) + 1} 个工作日&nbsp;（${department}）。`;
    if (n % 500 === 0) answer = '';
    if (n % 700 === 0) question = `${ITEMS[(n - 1) % ITEMS.length]}${ACTIONS[Math.floor((n - 1) / ITEMS.length) % ACTIONS.length]}？（第 ${n - 1} 号）`;
    if (n % 1000 === 0) question = `${item}的办理条件是什么？${'申请人应当符合本市相关规定，提交的材料真实有效。'.repeat(25)}`;
    if (n % 700 === 0) answer = `另一种口径：${answer || '请咨询 12345。'}`;
    out.push([question, answer, n % 700 === 0 ? DEPARTMENTS[(n - 1) % DEPARTMENTS.length] : department]);
  }
  return out;
}

interface Run {
  database: 'SQLite' | 'PostgreSQL';
  sheet: string;
  rows: number;
  seconds: number;
  maxRssMb: number;
  exitCode: number | null;
  summary: string;
}

function runCli(file: string, rows: number, postgres?: { url: string; schema: string }): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-bench-import-'));
  const { KB_DATABASE_URL: _url, KB_DATABASE_SCHEMA: _schema, ...env } = process.env;
  if (postgres) Object.assign(env, { KB_DATABASE_URL: postgres.url, KB_DATABASE_SCHEMA: postgres.schema });
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, path.join(REPO_ROOT, 'dist/ingest/cli.js'), '--data-dir', dir, '--publish', file], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const kb = Number(r.stderr.trim().split('\n').pop());
    const summary = r.stdout.split('\n').filter((l) => /条目：|行：共/.test(l)).map((l) => l.trim()).join(' / ');
    return { database: postgres ? 'PostgreSQL' : 'SQLite', sheet: path.basename(file), rows, seconds, maxRssMb: kb / 1024, exitCode: r.status, summary };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs({ args: argv, options: { rows: { type: 'string' }, sheet: { type: 'string' }, 'database-url': { type: 'string' } } });
  } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n用法: npm run bench:import -- [--rows 20000] [--sheet FILE] [--database-url URL]`); return 2; }
    throw err;
  }
  if (!fs.existsSync('/usr/bin/time')) { console.error('需要 /usr/bin/time（Debian：apt-get install time）来测量峰值内存'); return 1; }
  const rows = Number(args.values.rows ?? 20_000);
  const faq = args.values.sheet ?? path.resolve(REPO_ROOT, '../shared/eval/external-faq/faq.csv');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-bench-sheets-'));
  try {
    const sheet = generatedSheet(rows);
    const csv = path.join(work, `generated-${rows}.csv`);
    fs.writeFileSync(csv, stringify(sheet));
    const xlsx = path.join(work, `generated-${rows}.xlsx`);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('问答').addRows(sheet);
    await wb.xlsx.writeFile(xlsx);

    console.log(`方法：每次新建数据目录，在独立进程中运行 node dist/ingest/cli.js --publish（/usr/bin/time 测峰值 RSS），计端到端墙钟时间。机器：${os.cpus().length} 核 ${os.cpus()[0]?.model ?? ''}，Node ${process.version}`);
    const sheets: Array<[string, number]> = [];
    if (fs.existsSync(faq)) sheets.push([faq, 2081]);
    else console.error(`跳过真实表格：找不到 ${faq}`);
    sheets.push([csv, rows], [xlsx, rows]);
    const url = args.values['database-url'] ?? process.env.KB_DATABASE_URL;
    const runs: Run[] = [];
    for (const [file, n] of sheets) {
      runs.push(runCli(file, n));
      if (url) runs.push(await runPostgres(url, file, n));
    }
    console.log('\n| 数据库 | 表格 | 行数 | 端到端 | 峰值 RSS | 退出码 | 汇总 |\n| --- | --- | --- | --- | --- | --- | --- |');
    for (const r of runs) console.log(`| ${r.database} | ${r.sheet} | ${r.rows.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${r.maxRssMb.toFixed(0)} MB | ${r.exitCode} | ${r.summary} |`);
    if (!url) console.log('\n未给出 --database-url（或 KB_DATABASE_URL）：只测了 SQLite。');
    return runs.every((r) => r.exitCode === 0) ? 0 : 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** One import into a fresh PostgreSQL schema, dropped afterwards (the timing includes creating the schema). */
async function runPostgres(url: string, file: string, rows: number): Promise<Run> {
  const schema = `bench_import_${process.pid}_${Date.now()}`;
  try {
    return runCli(file, rows, { url, schema });
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
