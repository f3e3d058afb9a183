import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import request from 'supertest';
import { spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../server/app.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { smallKb, OFFICIAL_ENTRIES } from './helpers/small-kb.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { freePort } from '../scripts/server-process.js';

/** What an operator's Prometheus scrapes from /metrics: every metric, well-formed, and with KB_WORKERS > 1 the whole service. */

const METRICS = [
  ['bangban_answer_latency_seconds', 'histogram'],
  ['bangban_answers_total', 'counter'],
  ['bangban_index_entries', 'gauge'],
  ['bangban_kb_version', 'gauge'],
  ['bangban_gaps_open', 'gauge'],
  ['bangban_gaps_overdue', 'gauge'],
  ['bangban_gap_asks_over_client_limit_total', 'counter'],
  ['bangban_job_runs_total', 'counter'],
] as const;

/** A line of the Prometheus text format: a comment, or a sample `name{labels} value` with every label value quoted and escaped. */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?\d+(\.\d+)?(e[+-]?\d+)?|[+-]Inf|NaN)$/;
const wellFormed = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('# ') && !SAMPLE.test(l));

describe('/metrics', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  beforeAll(async () => {
    s = await smallKb(OFFICIAL_ENTRIES);
  });
  afterAll(() => s.cleanup());

  it('keeps every metric name and type, in the Prometheus text format', async () => {
    const app = createApp(s);
    await request(app).post('/api/v1/answer').send({ question: '营业执照丢了怎么补' }).expect(200);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, type] of METRICS) {
      expect(res.text).toContain(`# HELP ${name} `);
      expect(res.text).toContain(`# TYPE ${name} ${type}`);
    }
    expect(res.text).toMatch(/^bangban_answer_latency_seconds_bucket\{le="\+Inf"\} 1$/m);
    expect(res.text).toMatch(/^bangban_index_entries 6$/m);
    expect(wellFormed(res.text)).toEqual([]);
  });

  it('reads the knowledge-base figures once per scrape, not once per metric', async () => {
    const app = createApp(s);
    const engineStatus = s.engine.status;
    const jobCounts = s.kb.jobRuns.countsByJobAndStatus;
    let statusCalls = 0;
    let jobCountCalls = 0;
    s.engine.status = function (this: typeof s.engine) {
      statusCalls++;
      return engineStatus.call(this);
    };
    s.kb.jobRuns.countsByJobAndStatus = function (this: typeof s.kb.jobRuns) {
      jobCountCalls++;
      return jobCounts.call(this);
    };
    try {
      const text = (await request(app).get('/metrics').expect(200)).text;
      expect({ statusCalls, jobCountCalls }).toEqual({ statusCalls: 1, jobCountCalls: 1 });
      expect(text).toMatch(/^bangban_index_entries 6$/m);
      expect(text).toMatch(/^bangban_gap_asks_over_client_limit_total 0$/m);
      await request(app).get('/metrics').expect(200);
      expect({ statusCalls, jobCountCalls }).toEqual({ statusCalls: 2, jobCountCalls: 2 });
    } finally {
      s.engine.status = engineStatus;
      s.kb.jobRuns.countsByJobAndStatus = jobCounts;
    }
  });

  it('escapes label values: a job name with quotes, a newline and a backslash stays one well-formed sample', async () => {
    s.kb.db
      .prepare(`INSERT INTO job_runs (job, started_at, now, status) VALUES (?, ?, ?, 'ok')`)
      .run('gap-sla"夜间\n\\补跑', '2026-07-01T00:00:00Z', '2026-07-01T00:00:00Z');
    const text = (await request(createApp(s)).get('/metrics').expect(200)).text;
    expect(text).toContain('bangban_job_runs_total{job="gap-sla\\"夜间\\n\\\\补跑",status="ok"} 1');
    expect(wellFormed(text)).toEqual([]);
  });
});

/** One request on its own connection: the cluster primary hands connections to the workers in turn. */
function call(port: number, method: string, p: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { host: '127.0.0.1', port, method, path: p, agent: false, headers: { Connection: 'close', ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}


describe('/metrics with KB_WORKERS=2', () => {
  it('counts the answers served by both worker processes, whichever worker is scraped', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    for (const e of OFFICIAL_ENTRIES) kb.entries.publish(kb.entries.create(e, 'test').id, 'test');
    kb.close();
    const port = await freePort();
    const server = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/server/index.js')], {
      env: { ...process.env, KB_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', KB_WORKERS: '2', KB_CRON: 'off', KB_EMBEDDER: 'builtin', KB_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    server.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    try {
      // both workers listening: two health checks answered (connections alternate between the workers)
      let up = 0;
      for (let i = 0; i < 1200 && up < 2; i++) {
        up = (await call(port, 'GET', '/healthz').then((r) => r.status === 200, () => false)) ? up + 1 : 0;
        if (up < 2) await new Promise((r) => setTimeout(r, 50));
      }
      expect(up, out).toBe(2);
      // two health checks can both reach the worker that came up first: the cluster is whole once a scrape (which
      // asks every worker) succeeds; until then a scrape says 503, not 500
      let whole = false;
      for (let i = 0; i < 600 && !whole; i++) {
        const scrape = await call(port, 'GET', '/metrics');
        expect([200, 503], scrape.text).toContain(scrape.status);
        whole = scrape.status === 200;
        if (!whole) await new Promise((r) => setTimeout(r, 100));
      }
      expect(whole, out).toBe(true);

      const ANSWERS = 10;
      for (let i = 0; i < ANSWERS; i++) expect((await call(port, 'POST', '/api/v1/answer', { question: '营业执照丢了怎么补' })).status).toBe(200);
      // each scrape lands on a different worker; each shows the whole service (one process alone would show about half)
      for (let i = 0; i < 4; i++) {
        const text = (await call(port, 'GET', '/metrics')).text;
        const total = [...text.matchAll(/^bangban_answers_total\{outcome="\w+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
        expect(total, text).toBe(ANSWERS);
        expect(text).toMatch(new RegExp(`^bangban_answer_latency_seconds_count ${ANSWERS}$`, 'm'));
        // knowledge-base figures are the same in every worker: taken once, not added up
        expect(text).toMatch(/^bangban_index_entries 6$/m);
        expect(wellFormed(text)).toEqual([]);
      }
    } finally {
      server.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
