#!/usr/bin/env node
/**
 * npm run bench -- [--sizes 1000,10000] [--questions 2000] [--http-seconds 5] [--concurrency 16]
 *
 * Method: for each size, a fresh data directory is filled with that many published synthetic entries (scripts/
 * synthetic-kb.ts), then the services start with the builtin embedder (the index is built from scratch: that
 * time is “index build”). In-process latency is measured over the question mix (9 paraphrases of existing
 * entries : 1 question nothing answers) through the same AnswerService the HTTP route uses, after a warm-up;
 * every answer is logged to SQLite as in production. Over HTTP, the real express app listens on 127.0.0.1 and
 * `concurrency` keep-alive clients post /api/v1/answer for a fixed time. Memory is the process RSS after the
 * index is built and after the load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { parseCliArgs, UsageError } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { createServices } from '../server/services.js';
import { createApp } from '../server/app.js';
import { fillSyntheticKb, syntheticQuestions } from './synthetic-kb.js';
import { logger } from '../server/http/logging.js';

const USAGE = '用法: npm run bench -- [--sizes 1000,10000] [--questions 2000] [--http-seconds 5] [--concurrency 16]';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The load runs in a worker thread (its own event loop, the machine's second core) so that the client does not
 * steal the server's event loop, as it would in the same thread.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, questions, seconds, concurrency } = workerData;
(async () => {
  const deadline = Date.now() + seconds * 1000;
  const latencies = [];
  let errors = 0, next = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const question = questions[next++ % questions.length];
      const t = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, channel: 'api' }) });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch { errors++; }
      latencies.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  parentPort.postMessage({ latencies, errors, elapsed: (performance.now() - started) / 1000 });
})();
`;

async function httpLoad(url: string, questions: string[], seconds: number, concurrency: number) {
  const { latencies, errors, elapsed } = await new Promise<{ latencies: number[]; errors: number; elapsed: number }>((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, questions, seconds, concurrency } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, total: latencies.length };
}

async function benchSize(size: number, nQuestions: number, httpSeconds: number, concurrency: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bangban-bench-${size}-`));
  try {
    const kb = KnowledgeBase.open(dir);
    const bar = new ProgressBar(`生成 ${size} 条`, size);
    let t = performance.now();
    fillSyntheticKb(kb, size, (done) => bar.update(done));
    bar.done();
    const fillMs = performance.now() - t;
    kb.close();

    t = performance.now();
    const s = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    const buildMs = performance.now() - t;
    const rssBuilt = process.memoryUsage().rss;

    const questions = syntheticQuestions(size, nQuestions);
    for (const q of questions.slice(0, 200)) await s.answers.answer({ question: q.question });
    const lat: number[] = [];
    let right = 0;
    let asked = 0;
    for (const q of questions) {
      const t0 = performance.now();
      const res = await s.answers.answer({ question: q.question });
      lat.push(performance.now() - t0);
      if (q.entryIndex !== null) {
        asked++;
        if (res.outcome === 'answered' && res.answer?.entryId === q.entryIndex + 1) right++;
      }
    }
    lat.sort((a, b) => a - b);

    // one client sends everything: the per-client rate limit would measure the limiter, not the service
    const server = createApp(s, { rateLimit: { limit: 1_000_000_000, windowMs: 60_000 } }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/answer`;
    // --http-seconds 0 measures in-process answering only.
    const http = httpSeconds > 0 ? await httpLoad(url, questions.map((q) => q.question), httpSeconds, concurrency) : null;
    await new Promise((r) => server.close(r));
    const rssAfter = process.memoryUsage().rss;
    s.close();
    return { size, fillMs, buildMs, p50: percentile(lat, 50), p99: percentile(lat, 99), accuracy: right / Math.max(asked, 1), http, rssBuilt, rssAfter };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  logger.level = process.env.KB_LOG_LEVEL ?? 'warn'; // a line per request would drown the figures
  const { values } = parseCliArgs({
    args: process.argv.slice(2),
    options: { sizes: { type: 'string' }, questions: { type: 'string' }, 'http-seconds': { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const sizes = (values.sizes ?? '1000,10000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new UsageError('--sizes 应为逗号分隔的整数，如 1000,10000');
  const nQuestions = Number(values.questions ?? 2000);
  const httpSeconds = Number(values['http-seconds'] ?? 5);
  if (!Number.isFinite(httpSeconds) || httpSeconds < 0) throw new UsageError('--http-seconds 应为不小于 0 的秒数（0 表示不测 HTTP）');
  const concurrency = Number(values.concurrency ?? 16);
  console.log(`bangban-kb 规模测试 — node ${process.version}，${os.cpus().length} 核，${os.cpus()[0]?.model ?? ''}`);
  console.log('内置向量；进程内 = AnswerService.answer（检索 + 判定 + 脱敏后写提问日志）；HTTP = 127.0.0.1 上的 POST /api/v1/answer');
  const rows = [];
  for (const size of sizes) rows.push(await benchSize(size, nQuestions, httpSeconds, concurrency));
  console.log('');
  console.log('| 条目数 | 写入知识库 | 索引构建 | 进程内 p50 | 进程内 p99 | 首位答中 | HTTP 答复/秒（同进程） | HTTP p50 | HTTP p99 | 错误 | RSS（建好） | RSS（压测后） |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      '| ' + [
        r.size, `${(r.fillMs / 1000).toFixed(1)} s`, `${(r.buildMs / 1000).toFixed(1)} s`, `${r.p50.toFixed(2)} ms`, `${r.p99.toFixed(2)} ms`,
        `${(r.accuracy * 100).toFixed(1)}%`,
        ...(r.http ? [r.http.rps.toFixed(0), `${r.http.p50.toFixed(1)} ms`, `${r.http.p99.toFixed(1)} ms`, `${r.http.errors}/${r.http.total}`] : ['—', '—', '—', '—']),
        mb(r.rssBuilt), mb(r.rssAfter),
      ].join(' | ') + ' |',
    );
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
