#!/usr/bin/env node
/**
 * npm run load -- [--entries 10000] [--seconds 10] [--connections 32] [--warmup 3] [--workers N]
 *
 * Load test of the real server: a synthetic knowledge base of N published entries (scripts/synthetic-kb.ts) in a
 * temporary data directory; the server started from dist/ in a child process (its own event loop, as in
 * production) on 127.0.0.1 with the builtin embedder and no scheduled jobs, as KB_WORKERS processes (default: one per
 * core); autocannon posts /api/v1/answer with
 * a rotating mix of questions (9 paraphrases of entries : 1 question nothing answers) over keep-alive connections
 * for a fixed time, after a warm-up. The per-client rate limit is lifted (all load comes from one address); request
 * logging stays as configured (KB_LOG_LEVEL, default info), as in production. Every answer is logged to SQLite as in production. Prints answers/s, latency
 * percentiles, errors and non-2xx; exits 1 when there was any. The server is then stopped with SIGTERM (graceful
 * shutdown) and the directory removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs, UsageError } from '../server/cli/args.js';
import { autocannon, intFlag } from './load-client.js';
import { ProgressBar } from '../server/cli/progress.js';
import { REPO_ROOT } from '../server/config.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { fillSyntheticKb, syntheticQuestions } from './synthetic-kb.js';
import { freePort, rssOf, stop, tail, waitHealthy } from './server-process.js';

const USAGE = '用法: npm run load -- [--entries 10000] [--seconds 10] [--connections 32] [--warmup 3] [--workers N]';

async function main(argv: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      entries: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' },
      workers: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  const { help, ...flags } = values;
  if (help) {
    console.log(USAGE);
    return 0;
  }
  const entries = intFlag(flags, 'entries', 10_000, 10);
  const seconds = intFlag(flags, 'seconds', 10, 1);
  const connections = intFlag(flags, 'connections', 32, 1);
  const warmup = intFlag(flags, 'warmup', 3, 0);
  const workers = intFlag(flags, 'workers', os.cpus().length, 1);
  const server = path.join(REPO_ROOT, 'dist', 'server', 'index.js');
  if (!fs.existsSync(server)) throw new Error(`找不到 ${server}：先构建（npm run build）`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-load-'));
  let child: ChildProcess | null = null;
  try {
    let t = performance.now();
    const kb = KnowledgeBase.open(dir);
    const bar = new ProgressBar(`生成 ${entries} 条`, entries);
    fillSyntheticKb(kb, entries, (done) => bar.update(done));
    bar.done();
    kb.close();
    const fillS = (performance.now() - t) / 1000;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    t = performance.now();
    child = spawn(process.execPath, [server], {
      cwd: REPO_ROOT,
      // One client address here: lift the per-client rate limit, which would otherwise answer 429 after 120 requests.
      env: { ...process.env, KB_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', KB_CRON: 'off', KB_EMBEDDER: 'builtin', KB_RATE_LIMIT: '1000000000', KB_WORKERS: String(workers) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = tail(child);
    try {
      await waitHealthy(base, child, 180_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${output()}`);
    }
    const startS = (performance.now() - t) / 1000;
    const rssReady = rssOf(child.pid!);

    // Spot check before timing anything: paraphrases must come back with their own entry (ids follow the fill order).
    const questions = syntheticQuestions(entries, 2000);
    let right = 0;
    const sample = questions.filter((q) => q.entryIndex !== null).slice(0, 20);
    for (const q of sample) {
      const res = await fetch(`${base}/api/v1/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: q.question, channel: 'api' }),
      });
      const body = (await res.json()) as { outcome?: string; answer?: { entryId: number } | null };
      if (body.outcome === 'answered' && body.answer?.entryId === q.entryIndex! + 1) right++;
    }

    const bodies = questions.map((q) => JSON.stringify({ question: q.question, channel: 'api' }));
    let next = 0;
    const run = (duration: number) =>
      autocannon({
        url: base,
        connections,
        duration,
        pipelining: 1,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/answer',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
          },
        ],
      });
    if (warmup) {
      process.stderr.write(`预热 ${warmup} s…\n`);
      await run(warmup);
    }
    process.stderr.write(`压测 ${seconds} s，${connections} 个连接…\n`);
    const r = await run(seconds);
    const rssAfter = rssOf(child.pid!);
    const exitCode = await stop(child);

    const ms = (n: number) => `${n.toFixed(1)} ms`;
    const mb = (n: number | null) => (n === null ? '—' : `${(n / 1024 / 1024).toFixed(0)} MB`);
    const failures = r.errors + r.timeouts + r.non2xx;
    console.log(`bangban-kb 压测 — node ${process.version}，${os.cpus().length} 核，${os.cpus()[0]?.model ?? ''}`);
    console.log(`知识库 ${entries} 条（生成 ${fillS.toFixed(1)} s；服务启动并建索引 ${startS.toFixed(1)} s），内置向量，服务独立进程，127.0.0.1`);
    console.log(`抽查：${right}/${sample.length} 个改写问题答中对应条目`);
    console.log(`POST /api/v1/answer，${connections} 个 keep-alive 连接，${r.duration} s（预热 ${warmup} s 不计）`);
    console.log(`答复/秒     平均 ${r.requests.average.toFixed(0)}（共 ${r.requests.total} 次，2xx ${r['2xx']}）`);
    console.log(`延迟        p50 ${ms(r.latency.p50)}  p97.5 ${ms(r.latency.p97_5)}  p99 ${ms(r.latency.p99)}  最长 ${ms(r.latency.max)}`);
    console.log(`错误        ${r.errors}（超时 ${r.timeouts}），非 2xx ${r.non2xx}`);
    console.log(`服务常驻内存 就绪 ${mb(rssReady)}，压测后 ${mb(rssAfter)}`);
    console.log(`SIGTERM 后服务退出码 ${exitCode}${exitCode === 0 ? '（正常关闭）' : ''}`);
    return failures > 0 || right < sample.length * 0.8 ? 1 : 0;
  } finally {
    if (child) await stop(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : `压测失败：${(err as Error).message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
