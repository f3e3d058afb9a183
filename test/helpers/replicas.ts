import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { REPO_ROOT, tempDir } from './paths.js';
import { freePort } from '../../scripts/server-process.js';

/**
 * Replicas of the server (dist/server/index.js) sharing one PostgreSQL schema, each with its own data directory
 * (its derived indexes), on loopback. For the replica tests, which run only with KB_TEST_DATABASE_URL.
 */

export const PG_URL = process.env.KB_TEST_DATABASE_URL ?? '';
export const ADMIN_TOKEN = `replicas-admin-${crypto.randomBytes(12).toString('hex')}`;
const SERVER = path.join(REPO_ROOT, 'dist/server/index.js');

/** A schema of its own for one test file; t_kb_… so the suite's global setup drops it if this run could not. */
export function replicaSchema(): string {
  return `t_kb_replicas_${crypto.randomBytes(6).toString('hex')}`;
}

export interface Replica {
  name: string;
  dir: string;
  port: number;
  env: Record<string, string>;
  child: ChildProcess;
  /** stdout and stderr, for failure messages. */
  out: string;
  exited: Promise<void>;
}

export interface Reply {
  status: number;
  body: any;
}

/** One request on its own connection (a killed replica must not leave a pooled socket behind); rejects on network errors. */
export function call(port: number, method: string, p: string, body?: unknown, timeoutMs = 10_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { Connection: 'close' };
    if (data) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': data.length });
    if (p.startsWith('/api/v1/admin/')) headers.Authorization = `Bearer ${ADMIN_TOKEN}`;
    const req = http.request({ host: '127.0.0.1', port, method, path: p, agent: false, headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${p}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}


export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps track of the replicas a test file started, so that afterAll kills every one of them, whatever failed. */
export class ReplicaSet {
  readonly all: Replica[] = [];
  private readonly dirs: string[] = [];

  constructor(readonly schema: string) {}

  /** Starts a replica (a new data directory unless `dir` is given) and waits until its /healthz answers 200. */
  async start(name: string, env: Record<string, string> = {}, dir?: string): Promise<Replica> {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: build first (node scripts/build.mjs)`);
    if (!dir) this.dirs.push((dir = tempDir(`bangban-${name}-`)));
    const port = await freePort();
    const fullEnv: Record<string, string> = {
      KB_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', KB_WORKERS: '1', KB_EMBEDDER: 'builtin', KB_CRON: 'off', KB_LOG_LEVEL: 'silent',
      KB_DATABASE_URL: PG_URL, KB_DATABASE_SCHEMA: this.schema, KB_ADMIN_TOKEN: ADMIN_TOKEN,
      ...env,
    };
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...fullEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const replica: Replica = { name, dir, port, env: fullEnv, child, out: '', exited: new Promise((resolve) => child.once('exit', () => resolve())) };
    child.stdout!.on('data', (c: Buffer) => (replica.out += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (replica.out += c.toString('utf8')));
    this.all.push(replica);
    // the first start fills the KB from the sample documents: allow it time
    for (let i = 0; i < 1200; i++) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`replica ${name} exited during start:\n${replica.out}`);
      const up = await call(port, 'GET', '/healthz', undefined, 2000).then((r) => r.status === 200, () => false);
      if (up) return replica;
      await sleep(100);
    }
    throw new Error(`replica ${name} did not start within 2 minutes:\n${replica.out}`);
  }

  /** SIGKILL, as a crashed machine: no shutdown handler runs. */
  async kill(replica: Replica): Promise<void> {
    if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
    await replica.exited;
  }

  /** Kills every replica still running, removes the data directories and drops the schema. */
  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((r) => this.kill(r)));
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
}

/** Creates a draft entry through a replica's admin API and publishes it; returns its id and published version. */
export async function publishEntry(port: number, question: string, answer: string): Promise<{ id: number; version: number }> {
  const created = await call(port, 'POST', '/api/v1/admin/entries', { category: 'faq', question, answer });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const published = await call(port, 'POST', `/api/v1/admin/entries/${created.body.id}/publish`, { version: created.body.version });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return { id: created.body.id, version: published.body.version };
}

/** The entry a replica answers a question with, or null (猜你想问, no answer). */
export async function answeredEntry(port: number, question: string): Promise<{ status: number; entryId: number | null }> {
  const r = await call(port, 'POST', '/api/v1/answer', { question });
  return { status: r.status, entryId: r.body?.answer?.entryId ?? null };
}
