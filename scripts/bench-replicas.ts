#!/usr/bin/env node
/**
 * npm run bench:replicas -- [--entries 10000] [--large 100000] [--seconds 10] [--connections 32] [--warmup 3] [--catch-up 10]
 *
 * One run, side by side, on this machine: the answer API's throughput and latency on SQLite with 1 and 2 worker
 * processes (KB_WORKERS) and on PostgreSQL with 1 and 2 replicas (each its own process, data directory and
 * indexes, one shared schema), at --entries synthetic published entries; how long a replica takes from a publish
 * through another replica to answering it (--catch-up publishes); how long a replica takes to start on an empty
 * data directory (build its FTS and HNSW indexes from the KB) at --entries and --large entries. Needs a PostgreSQL
 * server: KB_TEST_DATABASE_URL or KB_DATABASE_URL (a temporary schema is created and dropped).
 *
 * The load client (autocannon) runs in this process on the same cores as the servers: figures compare the set-ups
 * with each other within one run, they are not the capacity of a dedicated server.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs, UsageError } from '../server/cli/args.js';
import { autocannon, intFlag } from './load-client.js';
import { ProgressBar } from '../server/cli/progress.js';
import { kbLocation } from '../server/config.js';
import { KnowledgeBase, openKbDatabase } from '../server/kb/index.js';
import type { KbLocation } from '../server/kb/db.js';
import { copyKb } from '../server/kb/transfer.js';
import { fillSyntheticKb, syntheticQuestions } from './synthetic-kb.js';
import { rssOfTree, startServer, stop, type StartedServer } from './server-process.js';

const USAGE = '用法: npm run bench:replicas -- [--entries 10000] [--large 100000] [--seconds 10] [--connections 32] [--warmup 3] [--catch-up 10]';

interface LoadFigures { label: string; answersPerS: number; p50: number; p99: number; failures: number; rssMb: number }

/** Loads every server at once for `seconds`, the connections shared out between them; figures summed / worst of. */
async function load(label: string, servers: StartedServer[], bodies: string[], opts: { seconds: number; warmup: number; connections: number }): Promise<LoadFigures> {
  let next = 0;
  const run = (duration: number) =>
    Promise.all(
      servers.map((s) =>
        autocannon({
          url: s.base,
          connections: Math.max(1, Math.round(opts.connections / servers.length)),
          duration,
          pipelining: 1,
          requests: [{ method: 'POST', path: '/api/v1/answer', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
        }),
      ),
    );
  if (opts.warmup) await run(opts.warmup);
  process.stderr.write(`  ${label}：压测 ${opts.seconds} s…\n`);
  const results = await run(opts.seconds);
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  return {
    label,
    answersPerS: total / opts.seconds,
    // the p50 of the busier half and the worse p99 of the two: no histogram merge, so the conservative reading
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    failures: results.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0),
    rssMb: servers.reduce((n, s) => n + (rssOfTree(s.child.pid!) ?? 0), 0) / 1024 / 1024,
  };
}

/** ms from a publish through `writer` until `reader` answers the new entry (polled every 5 ms). */
async function catchUp(writer: StartedServer, reader: StartedServer, token: string, i: number): Promise<number> {
  const question = `第${i}号测试窗口的延时服务怎么预约`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const created = await fetch(`${writer.base}/api/v1/admin/entries`, {
    method: 'POST', headers, body: JSON.stringify({ category: 'faq', question, answer: `第${i}号窗口工作日延时服务，可在“随申办”预约。` }),
  });
  if (!created.ok) throw new Error(`新建条目失败：${created.status} ${await created.text()}`);
  const entry = (await created.json()) as { id: number; version: number };
  const t = performance.now();
  const published = await fetch(`${writer.base}/api/v1/admin/entries/${entry.id}/publish`, { method: 'POST', headers, body: JSON.stringify({ version: entry.version }) });
  if (!published.ok) throw new Error(`发布失败：${published.status} ${await published.text()}`);
  for (;;) {
    const res = await fetch(`${reader.base}/api/v1/answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, channel: 'api' }) });
    const body = (await res.json()) as { answer?: { entryId: number } | null };
    if (body.answer?.entryId === entry.id) return performance.now() - t;
    if (performance.now() - t > 30_000) throw new Error('副本 30 s 内没有追上发布');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function syntheticSqlite(dir: string, entries: number): void {
  const kb = KnowledgeBase.open(dir, undefined, kbLocation(dir, {}));
  const bar = new ProgressBar(`生成 ${entries} 条`, entries);
  fillSyntheticKb(kb, entries, (done) => bar.update(done));
  bar.done();
  kb.close();
}

function copyToPostgres(dir: string, to: KbLocation, label: string): void {
  const source = openKbDatabase(kbLocation(dir, {})); // the data directory's kb.db, whatever KB_DATABASE_URL says
  const target = openKbDatabase(to);
  try {
    let bar: ProgressBar | null = null;
    copyKb(source, target, {
      replace: true,
      onProgress: (p) => {
        bar ??= new ProgressBar(`复制到 PostgreSQL（${label}）`, p.total);
        bar.update(p.copied, p.table);
      },
    });
    (bar as ProgressBar | null)?.done();
  } finally {
    source.close();
    target.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      entries: { type: 'string' }, large: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' },
      warmup: { type: 'string' }, 'catch-up': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  const { help, ...flags } = values;
  if (help) {
    console.log(USAGE);
    return 0;
  }
  const entries = intFlag(flags, 'entries', 10_000, 10);
  const large = intFlag(flags, 'large', 100_000, 0);
  const opts = { seconds: intFlag(flags, 'seconds', 10, 1), warmup: intFlag(flags, 'warmup', 3, 0), connections: intFlag(flags, 'connections', 32, 1) };
  const catchUps = intFlag(flags, 'catch-up', 10, 1);
  const url = process.env.KB_TEST_DATABASE_URL || process.env.KB_DATABASE_URL;
  if (!url) throw new UsageError('需要一个 PostgreSQL：设置 KB_TEST_DATABASE_URL（或 KB_DATABASE_URL），如 postgres://postgres@127.0.0.1:55432/postgres');

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-replicas-'));
  const schema = `t_kb_bench_${crypto.randomBytes(4).toString('hex')}`;
  const pg: KbLocation = { kind: 'postgres', url, schema };
  const pgEnv = (dir: string) => ({ KB_DATA_DIR: dir, KB_DATABASE_URL: url, KB_DATABASE_SCHEMA: schema });
  const running: StartedServer[] = [];
  const start = async (env: NodeJS.ProcessEnv) => {
    const s = await startServer(env);
    running.push(s);
    return s;
  };
  const stopAll = async () => {
    for (const s of running.splice(0)) await stop(s.child);
  };
  try {
    const sqliteDir = path.join(root, 'sqlite');
    syntheticSqlite(sqliteDir, entries);
    copyToPostgres(sqliteDir, pg, `${entries} 条`);
    const bodies = syntheticQuestions(entries, 2000).map((q) => JSON.stringify({ question: q.question, channel: 'api' }));
    const rows: LoadFigures[] = [];
    const builds: Array<{ label: string; s: number }> = [];

    for (const workers of [1, 2]) {
      await start({ KB_DATA_DIR: sqliteDir, KB_WORKERS: String(workers) });
      rows.push(await load(`SQLite，${workers} 个工作进程`, running, bodies, opts));
      await stopAll();
    }
    const token = crypto.randomBytes(18).toString('base64url');
    const a = await start({ ...pgEnv(path.join(root, 'replica-a')), KB_ADMIN_TOKEN: token });
    builds.push({ label: `PostgreSQL 副本冷启动（空数据目录，建 FTS + HNSW），${entries} 条`, s: a.readyS });
    rows.push(await load('PostgreSQL，1 个副本', [a], bodies, opts));
    const b = await start(pgEnv(path.join(root, 'replica-b')));
    rows.push(await load('PostgreSQL，2 个副本', [a, b], bodies, opts));
    const lags: number[] = [];
    for (let i = 0; i < catchUps; i++) lags.push(await catchUp(a, b, token, i + 1));
    await stopAll();

    if (large > 0) {
      const largeDir = path.join(root, 'large');
      syntheticSqlite(largeDir, large);
      const big: KbLocation = { ...pg, schema: `${schema}_l` };
      copyToPostgres(largeDir, big, `${large} 条`);
      const s = await start({ KB_DATA_DIR: path.join(root, 'replica-large'), KB_DATABASE_URL: url, KB_DATABASE_SCHEMA: big.schema });
      builds.push({ label: `PostgreSQL 副本冷启动（空数据目录，建 FTS + HNSW），${large} 条`, s: s.readyS });
      await stopAll();
    }

    lags.sort((x, y) => x - y);
    console.log(`bangban-kb 多副本测试 — node ${process.version}，${os.cpus().length} 核，${os.cpus()[0]?.model ?? ''}`);
    console.log(`知识库 ${entries} 条（合成），内置向量，POST /api/v1/answer，${opts.connections} 个 keep-alive 连接，${opts.seconds} s（预热 ${opts.warmup} s 不计），压测端与服务同机\n`);
    console.log('| 部署 | 答问/秒 | p50 ms | p99 ms | 失败 | 常驻内存合计（全部进程）MB |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.label} | ${r.answersPerS.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.failures} | ${r.rssMb.toFixed(0)} |`);
    console.log(`\n副本追平（经副本 A 发布 → 副本 B 答出新条目），${lags.length} 次：中位 ${lags[Math.floor(lags.length / 2)].toFixed(0)} ms，最长 ${lags[lags.length - 1].toFixed(0)} ms`);
    for (const b of builds) console.log(`${b.label}：${b.s.toFixed(1)} s`);
    return rows.some((r) => r.failures > 0) ? 1 : 0;
  } finally {
    await stopAll();
    fs.rmSync(root, { recursive: true, force: true });
    await dropSchemas(url, [schema, `${schema}_l`]);
  }
}

async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? `${err.message}\n${USAGE}` : `基准失败：${(err as Error).message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
