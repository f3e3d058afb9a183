import { mulberry32 } from '../server/cli/prng.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import { KnowledgeBase } from '../server/kb/index.js';
import type { Db } from '../server/kb/db.js';
import { createServices } from '../server/services.js';
import { passageText, PASSAGE_ID_BASE } from '../server/search/engine.js';
import { collectFiles, ingestFile } from '../ingest/pipeline.js';
import { REPO_ROOT, SEEDS_DIR, tempDir } from './helpers/paths.js';
import { ON_POSTGRES } from './helpers/database.js';

/*
 * Issue 6, crash safety: a child process ingests the seeds and makes admin writes (scripts/crash-worker.ts, run
 * from dist/), acknowledging each write on stdout after it committed; it is killed with SIGKILL at 20 moments
 * spread over its work. After each kill the data directory must be sound, hold every acknowledged write and no
 * half of any transaction, and the search index must agree with the KB once the services open it again.
 */

const WORKER = path.join(REPO_ROOT, 'dist/scripts/crash-worker.js');
const WRITES = 150;
const KILLS = 20;
const STARTUP_KILLS = 3;
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

interface Acks {
  ready: boolean;
  done: boolean;
  docs: string[];
  entries: Array<{ id: number; version: number; status: string }>;
}

/** What the ingested part of the KB looks like after the first j seed files (ingestion is per-file atomic). */
interface IngestState {
  documents: string;
  entries: string;
}

function ingestState(db: Pick<Db, 'prepare'>): IngestState {
  const documents = db.prepare('SELECT source_key, sha256, version, doc_number FROM documents ORDER BY source_key').all();
  const entries = db
    .prepare(`SELECT source_key, status, version, source_hash, review_due FROM entries WHERE source_key IS NOT NULL ORDER BY source_key`)
    .all();
  return { documents: JSON.stringify(documents), entries: JSON.stringify(entries) };
}

/**
 * When to SIGKILL the worker: so many ms after it started, or a few ms after its n-th write acknowledgement (so
 * that kills spread over the work however fast this machine runs it; the worker goes on writing meanwhile).
 */
type KillAt = { afterSpawn: number } | { afterAck: number; ms: number } | null;

interface WorkerRun {
  acks: Acks;
  /** ms from spawn to the ready ack and to the done ack (or to the end, when killed). */
  readyMs: number;
  ms: number;
  stderr: string;
  code: number | null;
}

function runWorker(dir: string, seed: number, kill: KillAt): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [WORKER, dir, SEEDS_DIR, String(seed), String(WRITES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt = 0;
    let doneAt = 0;
    let writeAcks = 0;
    let timer: NodeJS.Timeout | null = null;
    const killIn = (ms: number) => (timer = setTimeout(() => child.kill('SIGKILL'), ms));
    if (kill && 'afterSpawn' in kill) killIn(kill.afterSpawn);
    child.stdout.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      out += text;
      if (!readyAt && out.startsWith('ready\n')) readyAt = performance.now();
      if (kill && 'afterAck' in kill && !timer) {
        writeAcks += (text.match(/^(doc|entry) /gm) ?? []).length;
        if (writeAcks >= kill.afterAck) killIn(kill.ms);
      }
      if (!doneAt && out.includes('\ndone\n')) doneAt = performance.now();
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', reject);
    // 'close': the pipes are drained, so every ack written before the kill has been read.
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      const acks: Acks = { ready: false, done: false, docs: [], entries: [] };
      for (const line of out.split('\n')) {
        const [kind, a, b, c] = line.split(' ');
        if (kind === 'ready') acks.ready = true;
        else if (kind === 'done') acks.done = true;
        else if (kind === 'doc') acks.docs.push(b);
        else if (kind === 'entry') acks.entries.push({ id: Number(a), version: Number(b), status: c });
      }
      resolve({ acks, readyMs: readyAt - started, ms: (doneAt || performance.now()) - started, stderr: err, code });
    });
  });
}


// SIGKILLs a writer of a SQLite file and checks the file; on PostgreSQL the same promise (no acknowledged write lost)
// is tested with two replicas in test/replicas.test.ts.
describe.skipIf(ON_POSTGRES)('crash safety: SIGKILL during ingestion and admin writes', () => {
  const dirs: string[] = [];
  /** reference[j]: the ingested documents and entries after the first j seed files, ingested alone. */
  const reference: IngestState[] = [];
  let seedFiles: string[];

  beforeAll(async () => {
    if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: build first (npx tsc -p tsconfig.json)`);
    seedFiles = collectFiles([SEEDS_DIR]).files.map((f) => path.basename(f));
    const dir = tempDir();
    dirs.push(dir);
    const kb = KnowledgeBase.open(dir);
    reference.push(ingestState(kb.db));
    for (const file of collectFiles([SEEDS_DIR]).files) {
      const r = await ingestFile(kb, file, { publish: true, actor: 'crash-ingest' });
      expect(r.status).toBe('new');
      reference.push(ingestState(kb.db));
    }
    kb.close();
  });
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Everything the issue asks of a data directory after a crash; label names the kill in failure messages. */
  async function checkAfterCrash(dir: string, acks: Acks, label: string): Promise<void> {
    const dbFile = path.join(dir, 'kb.db');
    if (!fs.existsSync(dbFile)) {
      expect(acks.entries.length + acks.docs.length, `${label}: acknowledged writes but no database`).toBe(0);
      return;
    }
    // Opened raw first: SQLite recovers the WAL here, before any of our code touches the file.
    const db = new Database(dbFile);
    try {
      expect(db.pragma('integrity_check', { simple: true }), label).toBe('ok');
      expect(db.pragma('foreign_key_check'), label).toEqual([]);
      const migrated = (db.pragma('user_version', { simple: true }) as number) > 0;
      if (migrated) {
        // Every acknowledged write is there, at its version or a later one.
        const row = db.prepare('SELECT version, status FROM entries WHERE id = ?');
        for (const a of acks.entries) {
          const r = row.get(a.id) as { version: number; status: string } | undefined;
          expect(r, `${label}: acknowledged entry ${a.id} v${a.version} is missing`).toBeDefined();
          expect(r!.version, `${label}: entry ${a.id}`).toBeGreaterThanOrEqual(a.version);
          if (r!.version === a.version) expect(r!.status, `${label}: entry ${a.id} v${a.version}`).toBe(a.status);
        }
        // No half-written entry write: each row has its whole history, the last version's snapshot is the row.
        const entries = db.prepare('SELECT * FROM entries').all() as Array<Record<string, unknown> & { id: number; version: number }>;
        const versions = db.prepare('SELECT entry_id, version, snapshot FROM entry_versions ORDER BY entry_id, version').all() as Array<{
          entry_id: number;
          version: number;
          snapshot: string;
        }>;
        const byEntry = new Map<number, typeof versions>();
        for (const v of versions) byEntry.set(v.entry_id, [...(byEntry.get(v.entry_id) ?? []), v]);
        for (const e of entries) {
          const history = byEntry.get(e.id) ?? [];
          expect(history.map((h) => h.version), `${label}: history of entry ${e.id}`).toEqual(Array.from({ length: e.version }, (_, i) => i + 1));
          const snap = JSON.parse(history[history.length - 1].snapshot);
          expect({ status: snap.status, question: snap.question, answer: snap.answer }, `${label}: snapshot of entry ${e.id}`).toEqual({
            status: e.status,
            question: e.question,
            answer: e.answer,
          });
        }
        expect(versions.every((v) => entries.some((e) => e.id === v.entry_id)), `${label}: versions without entry`).toBe(true);
        const kbVersion = Number((db.prepare(`SELECT value FROM meta WHERE key = 'kb_version'`).get() as { value: string }).value);
        expect(kbVersion, `${label}: kb_version counts every committed version`).toBe(versions.length);

        // Ingestion is one transaction per file: the KB holds exactly the first j files, each whole.
        const state = ingestState(db);
        const j = (db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
        expect(j, `${label}: acknowledged documents`).toBeGreaterThanOrEqual(acks.docs.length);
        expect(state, `${label}: ingested documents and entries after ${j} files`).toEqual(reference[j]);
      }
    } finally {
      db.close();
    }

    // Restart: the services open the directory and the index must agree with the KB (rebuilt where it did not).
    const s = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    let published: Array<{ id: number; version: number; question: string; origin: string }>;
    let sample: Array<{ id: number; vector: Float32Array }>;
    try {
      published = s.kb.db.prepare(`SELECT id, version, question, origin FROM entries WHERE status = 'published' ORDER BY id`).all() as typeof published;
      const st = s.engine.status();
      expect(st.entries, `${label}: index entries`).toBe(published.length);
      expect(st.kbVersion, `${label}: index stamp`).toBe(s.kb.version());
      const fts = new Database(path.join(dir, 'index', 'fts.db'), { readonly: true });
      // Entries only: source passages (ids from PASSAGE_ID_BASE up) are indexed beside them.
      const indexed = fts.prepare('SELECT entry_id AS id, version FROM indexed WHERE entry_id < ? ORDER BY entry_id').all(PASSAGE_ID_BASE);
      fts.close();
      expect(indexed, `${label}: full-text index versions`).toEqual(published.map((p) => ({ id: p.id, version: p.version })));
      // A published entry's exact question finds it first (the admin-made ones have distinct questions).
      const rng = mulberry32(published.length);
      const manual = published.filter((p) => p.origin === 'manual');
      const pool = manual.length ? manual : published;
      for (let k = 0; k < Math.min(3, pool.length); k++) {
        const e = pool[Math.floor(rng() * pool.length)];
        const top = (await s.engine.search(e.question)).candidates[0];
        expect(top?.question, `${label}: searching “${e.question}”`).toBe(e.question);
      }
      // What the vectors of a sample of entries must be (the builtin embedder is deterministic).
      const picked = published.filter((_, i) => i % Math.max(1, Math.ceil(published.length / 25)) === 0);
      const vectors = await s.engine.embedder.embedPassages(picked.map((p) => passageText(s.kb.entries.require(p.id))));
      sample = picked.map((p, i) => ({ id: p.id, vector: vectors[i] }));
    } finally {
      s.close(); // writes the vector files
    }

    // The saved vector index holds the current version of every published entry, and only those.
    const stamp = JSON.parse(fs.readFileSync(path.join(dir, 'index', 'hnsw.json'), 'utf8')) as { versions: Record<string, number>; dimensions: number };
    const entryVersions = Object.fromEntries(Object.entries(stamp.versions).filter(([id]) => Number(id) < PASSAGE_ID_BASE));
    expect(entryVersions, `${label}: vector index versions`).toEqual(Object.fromEntries(published.map((p) => [String(p.id), p.version])));
    if (sample.length) {
      const index = new hnswlib.HierarchicalNSW('cosine', stamp.dimensions);
      index.readIndexSync(path.join(dir, 'index', 'hnsw.bin'));
      for (const { id, vector } of sample) {
        const stored = index.getPoint(id);
        const cos = stored.reduce((acc: number, x: number, d: number) => acc + x * vector[d], 0);
        expect(cos, `${label}: stored vector of entry ${id}`).toBeGreaterThan(0.999);
      }
    }
  }

  it(`every acknowledged write survives ${KILLS} SIGKILLs, nothing half-written does, and the index agrees after restart`, async () => {
    const label0 = `uninterrupted run (CRASH_SEED=${SEED})`;
    const control = tempDir();
    dirs.push(control);
    const full = await runWorker(control, SEED, null);
    expect(full.code, `${label0}: ${full.stderr}`).toBe(0);
    expect(full.acks.done).toBe(true);
    expect(full.acks.docs).toEqual(seedFiles);
    expect(full.acks.entries).toHaveLength(WRITES);
    await checkAfterCrash(control, full.acks, label0);

    const rng = mulberry32(SEED);
    const phases = { startup: 0, ingesting: 0, adminOnly: 0, finished: 0 };
    const work = full.ms - full.readyMs;
    const writes = full.acks.docs.length + full.acks.entries.length;
    for (let i = 0; i < KILLS; i++) {
      // A few kills during start-up (opening and migrating the KB, loading the index); the rest stratified over
      // the work, alternately by time since the ready ack (ingestion takes most of it) and by write count (most
      // acks are admin writes): after the n-th write plus up to about two writes' time.
      const w = (i - STARTUP_KILLS + rng()) / (KILLS - STARTUP_KILLS);
      const at: KillAt =
        i < STARTUP_KILLS
          ? { afterSpawn: Math.round(((i + rng()) / STARTUP_KILLS) * full.readyMs) }
          : i % 2
            ? { afterAck: 1, ms: Math.round(w * work * 0.75) }
            : { afterAck: Math.floor(w * writes), ms: Math.round(rng() * 2 * (work / writes)) };
      const dir = tempDir();
      dirs.push(dir);
      const run = await runWorker(dir, SEED + i + 1, at);
      const label = `kill #${i + 1} ${JSON.stringify(at)} (CRASH_SEED=${SEED})`;
      expect(run.code === null || run.code === 0, `${label}: worker failed: ${run.stderr}`).toBe(true);
      if (run.acks.done) phases.finished++;
      else if (!run.acks.ready) phases.startup++;
      else if (run.acks.docs.length < seedFiles.length) phases.ingesting++;
      else phases.adminOnly++;
      await checkAfterCrash(dir, run.acks, label);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(`crash test (CRASH_SEED=${SEED}): start-up ${Math.round(full.readyMs)} ms, work ${Math.round(work)} ms; kills landed in start-up ${phases.startup}, ingestion ${phases.ingesting}, admin writes only ${phases.adminOnly}, after the end ${phases.finished}`);
    // Kills must interrupt real work, or the test proves little (those placed by write count always do).
    expect(phases.ingesting + phases.adminOnly).toBeGreaterThanOrEqual(KILLS * 0.4);
  // 20 worker runs, each a fresh KB: bounded by count; the limit only guards against a hang (a loaded 2-core machine needs ~3 min).
  }, 420_000);
});

describe('graceful shutdown', () => {
  it('on SIGTERM the server stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    const dir = tempDir();
    try {
      const kb = KnowledgeBase.open(dir);
      kb.entries.publish(kb.entries.create({ category: 'faq', question: '帮办制度是什么？', answer: '帮办制度是……' }, 'test').id, 'test');
      kb.close();
      const port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (probe.address() as net.AddressInfo).port;
          probe.close(() => resolve(p));
        });
      });
      const server = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/server/index.js')], {
        env: { ...process.env, KB_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', KB_CRON: 'off', KB_EMBEDDER: 'builtin' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      server.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      server.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      const until = async (cond: () => boolean, what: string, probe?: () => Promise<void>) => {
        for (let i = 0; i < 600 && !cond(); i++) {
          await probe?.();
          if (!cond()) await new Promise((r) => setTimeout(r, 50));
        }
        if (!cond()) throw new Error(`timed out waiting for ${what}:\n${out}`);
      };
      const healthy = async () => {
        for (let i = 0; i < 600; i++) {
          if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`the server did not start:\n${out}`);
      };
      await healthy();

      // A request in flight: headers and half the body sent, the rest only after the SIGTERM.
      const body = Buffer.from(JSON.stringify({ question: '帮办制度是什么？', channel: 'api' }));
      const socket = net.connect(port, '127.0.0.1');
      let reply = '';
      socket.on('data', (c) => (reply += c.toString('utf8')));
      const replied = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /api/v1/answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      socket.write(body.subarray(0, 10));
      await new Promise((r) => setTimeout(r, 100));

      server.kill('SIGTERM');
      // New connections are refused while the request in flight is still waiting for the rest of its body.
      const connect = () =>
        new Promise<string>((resolve) => {
          const c = net.connect(port, '127.0.0.1');
          c.once('connect', () => {
            c.destroy();
            resolve('connected');
          });
          c.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        });
      let refused = false;
      await until(() => refused, 'the listening socket to close', async () => {
        refused = (await connect()) === 'ECONNREFUSED';
      });
      expect(server.exitCode).toBeNull();

      socket.end(body.subarray(10));
      await replied;
      expect(reply).toMatch(/^HTTP\/1\.1 200/);
      expect(reply).toContain('"outcome":"answered"');
      expect(await exited).toBe(0);
      // Closed cleanly: SQLite folded the WAL into kb.db and removed it.
      expect(fs.existsSync(path.join(dir, 'kb.db-wal'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
