#!/usr/bin/env node
/**
 * npm run bench:preview -- [--rows 100000] [--server dist/server/index.js]
 *
 * Method: starts the real service (`node dist/server/index.js`, or --server: another build's, for a before/after) in
 * its own process on a fresh data directory (sample KB, builtin embedder, KB_CRON=off). This process generates a
 * --rows-row .xlsx (the bench:import sheet), measures 20 answers back to back (baseline), then uploads the sheet to
 * /api/v1/admin/documents/preview and, while it runs, sends POST /api/v1/answer one after another with 100 ms between
 * them, recording each answer's time; then the same for /api/v1/admin/documents/import (publish=false).
 * Figures: the upload's own time, answers during it (count, median, worst) and the worst as a share of the upload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import ExcelJS from 'exceljs';
import { parseCliArgs, UsageError, isMainModule } from '../server/cli/args.js';
import { REPO_ROOT } from '../server/config.js';
import { generatedSheet } from './bench-import.js';

const TOKEN = 'bench-preview-admin-token-0123456789';
const QUESTION = '一网通办帮办服务的时间是什么？';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitHealthy(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`服务已退出（${child.exitCode}）`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('服务 5 分钟内没有就绪');
}

/** One answer on a fresh connection (a pooled one may be closed by the server's keep-alive timer after a stall). */
async function answerMs(base: string): Promise<number> {
  const t = performance.now();
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${base}/api/v1/answer`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ question: QUESTION }));
  });
  if (status !== 200) throw new Error(`答问返回 ${status}`);
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Measured { label: string; status: number; seconds: number; answers: number[]; counts: string }

/** One upload, with answers sent one after another (100 ms apart) until it returns. */
async function during(base: string, kind: 'preview' | 'import', name: string, body: Buffer): Promise<Measured> {
  let done = false;
  const answers: number[] = [];
  const t = performance.now();
  const upload = fetch(`${base}/api/v1/admin/documents/${kind}?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body),
  }).then(async (res) => ({ status: res.status, json: (await res.json()) as { counts?: Record<string, number> } }))
    .finally(() => { done = true; });
  while (!done) {
    answers.push(await answerMs(base));
    await new Promise((r) => setTimeout(r, 100));
  }
  const { status, json } = await upload;
  const seconds = (performance.now() - t) / 1000;
  return { label: kind === 'preview' ? '预览' : '导入', status, seconds, answers, counts: JSON.stringify(json.counts ?? json) };
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs({ args: argv, options: { rows: { type: 'string' }, server: { type: 'string' } } });
  } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n用法: npm run bench:preview -- [--rows 100000] [--server dist/server/index.js]`); return 2; }
    throw err;
  }
  const rows = Number(args.values.rows ?? 100_000);
  const server = path.resolve(args.values.server ?? path.join(REPO_ROOT, 'dist/server/index.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-bench-preview-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [server], {
    env: { ...process.env, KB_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', KB_ADMIN_TOKEN: TOKEN, KB_CRON: 'off', KB_EMBEDDER: 'builtin', KB_LOG_LEVEL: 'warn', KB_RATE_LIMIT: '100000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('问答').addRows(generatedSheet(rows));
    const sheet = Buffer.from(await wb.xlsx.writeBuffer());
    await waitHealthy(base, child);
    console.log(`方法：独立进程中的服务（${path.relative(process.cwd(), server) || server}，示例知识库，内置向量），上传 ${rows.toLocaleString('en-US')} 行 .xlsx（${(sheet.length / 1048576).toFixed(1)} MB）预览、再导入；期间每 100 ms 顺序发一次答问。机器：${os.cpus().length} 核，Node ${process.version}`);
    for (let i = 0; i < 5; i++) await answerMs(base); // warm-up
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push(await answerMs(base));
    const runs = [await during(base, 'preview', `生成-${rows}.xlsx`, sheet), await during(base, 'import', `生成-${rows}.xlsx`, sheet)];
    console.log(`\n基线答问（无上传）：中位 ${median(baseline).toFixed(0)} ms，最长 ${Math.max(...baseline).toFixed(0)} ms\n`);
    console.log('| 上传 | 状态 | 耗时 | 期间答问次数 | 中位 | 最长 | 最长 / 上传耗时 | 计数 |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of runs) {
      const worst = Math.max(...r.answers);
      console.log(`| ${r.label} | ${r.status} | ${r.seconds.toFixed(1)} s | ${r.answers.length} | ${median(r.answers).toFixed(0)} ms | ${worst.toFixed(0)} ms | ${(worst / 1000 / r.seconds * 100).toFixed(0)}% | ${r.counts} |`);
    }
    return runs.every((r) => r.status < 300) ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
