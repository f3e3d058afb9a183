import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { backupKb } from '../scripts/backup.js';
import { restoreKb } from '../scripts/restore.js';
import { fillSyntheticKb, syntheticEntry } from '../scripts/synthetic-kb.js';
import { createServices } from '../server/services.js';
import { createApp } from '../server/app.js';
import { SCHEMA_VERSION } from '../server/kb/migrations.js';
import { KnowledgeBase, openKbDatabase } from '../server/kb/index.js';
import { openDatabase } from '../server/kb/db.js';
import { GapStore } from '../server/kb/gaps.js';
import { copyKb } from '../server/kb/transfer.js';
import { kbLocation } from '../server/config.js';
import { servicesFor } from './helpers/services.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { ON_POSTGRES } from './helpers/database.js';

const ENTRIES = 3000;

/** The built CLIs, as a user runs them (npm test builds dist/ first). */
function cli(script: 'backup' | 'restore' | 'reindex', args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, `dist/scripts/${script}.js`), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small KB of its own in dir, with a saved index, as a stopped server leaves it (the KB a restore replaces). */
async function oldKbWithIndex(dir: string) {
  const old = await servicesFor([], { dir });
  old.kb.entries.publish(old.kb.entries.create({ category: 'faq', question: '旧知识库的条目？', answer: '旧的。' }, 'test').id, 'test');
  await old.engine.sync();
  old.engine.flush();
  return old;
}

describe('backup, restore and reindex', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let work: string;
  let backupFile: string;
  let before: number[];

  beforeAll(async () => {
    s = await servicesFor();
    fillSyntheticKb(s.kb, ENTRIES);
    await s.engine.sync();
    work = tempDir();
    backupFile = path.join(work, 'kb-backup.db');
  });
  afterAll(() => {
    s.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  // SQLite's online backup: restarts under writes, one self-contained file (the PostgreSQL snapshot is tested below)
  it.skipIf(ON_POSTGRES)('backs up while the KB is being written: the copy is intact and holds every entry committed before it started', async () => {
    before = (s.kb.db.prepare('SELECT id FROM entries ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    let writing = true;
    let written = 0;
    // The service's own connection keeps committing between the backup's steps (one event loop, as in a server).
    const writer = (async () => {
      while (writing) {
        const e = s.kb.entries.create({ ...syntheticEntry(ENTRIES + written), origin: 'manual' }, 'editor');
        s.kb.entries.publish(e.id, 'editor');
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const progress: number[] = [];
    const res = await backupKb(s.dataDir, backupFile, { firstBatchPages: 64, onProgress: (p) => progress.push(p.copiedPages) }).finally(() => {
      writing = false;
    });
    await writer;

    expect(written).toBeGreaterThan(0);
    expect(res.restarts).toBeGreaterThan(0); // writes did land in between, and the copy still finished
    expect(progress.length).toBeGreaterThan(1);
    expect(fs.existsSync(`${backupFile}-wal`)).toBe(false); // one self-contained file
    const copy = new Database(backupFile, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      const ids = new Set((copy.prepare('SELECT id FROM entries').all() as Array<{ id: number }>).map((r) => r.id));
      expect(before.filter((id) => !ids.has(id))).toEqual([]);
      expect(res.counts.entries.total).toBe(ids.size);
    } finally {
      copy.close();
    }
  });

  it.runIf(ON_POSTGRES)('backs up a PostgreSQL KB while a server writes to it: the file holds the KB as it was at one moment', async () => {
    const count = (where = '') => (s.kb.db.prepare(`SELECT count(*) AS n FROM entries ${where}`).get() as { n: number }).n;
    // every state the KB passes through, as (KB version, entries, published): the copy must be one of them
    const states = new Set<string>();
    const record = () => states.add(`${s.kb.version()}:${count()}:${count(`WHERE status = 'published'`)}`);
    record();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/backup.js'), backupFile, '--data-dir', s.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let exited = false;
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => ((exited = true), resolve(c))));
    let written = 0;
    while (!exited) {
      const e = s.kb.entries.create({ ...syntheticEntry(ENTRIES + 10_000 + written), origin: 'manual' }, 'editor');
      record();
      s.kb.entries.publish(e.id, 'editor');
      record();
      written++;
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await code, stderr).toBe(0);
    expect(stderr).toMatch(/备份 .*\d+\/\d+/); // progress

    expect(written).toBeGreaterThan(0);
    const copy = new Database(backupFile, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      const version = Number(copy.prepare(`SELECT value FROM meta WHERE key = 'kb_version'`).pluck().get());
      const total = copy.prepare('SELECT count(*) FROM entries').pluck().get() as number;
      const published = copy.prepare(`SELECT count(*) FROM entries WHERE status = 'published'`).pluck().get() as number;
      expect(states).toContain(`${version}:${total}:${published}`);
      expect(total).toBeLessThan(count()); // the server's later writes are not in it
    } finally {
      copy.close();
    }
  });

  it('npm run backup refuses to overwrite a file without --force, and reports the counts of the copy', () => {
    const refused = cli('backup', [backupFile, '--data-dir', s.dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('已存在');
    expect(refused.stderr).toContain('--force');

    const other = path.join(work, 'second.db');
    const ok = cli('backup', [other, '--data-dir', s.dataDir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('完整性检查：ok');
    expect(ok.stdout).toMatch(new RegExp(`条目：已发布 ${s.kb.entries.list({ status: 'published' }).total}`));
    expect(ok.stderr).toMatch(/备份 .*\d+\/\d+/); // progress

    expect(cli('backup', [other, '--data-dir', s.dataDir, '--force']).code).toBe(0);
    expect(cli('backup', ['--data-dir', s.dataDir]).code).toBe(2);
  });

  it('restore refuses what is not an intact bangban-kb database of a schema it knows', () => {
    const target = tempDir();
    try {
      const text = path.join(work, 'notes.txt');
      fs.writeFileSync(text, 'not a database at all, just text that is long enough to look like a file header');
      expect(() => restoreKb(text, target)).toThrow(/不是可读的 SQLite 数据库/);

      const foreign = path.join(work, 'foreign.db');
      const db = new Database(foreign);
      db.exec('CREATE TABLE t (x)');
      db.close();
      expect(() => restoreKb(foreign, target)).toThrow(/不是 bangban-kb 知识库数据库/);

      const newer = path.join(work, 'newer.db');
      fs.copyFileSync(backupFile, newer);
      const n = new Database(newer);
      n.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      n.close();
      expect(() => restoreKb(newer, target)).toThrow(/高于本程序支持的/);

      expect(fs.existsSync(path.join(target, 'kb.db'))).toBe(false); // nothing was put in place
      expect(fs.readdirSync(target)).toEqual([]);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });

  it('restores into a fresh data directory and serves from it: indexes rebuilt, questions answered', async () => {
    const fresh = tempDir();
    try {
      const res = restoreKb(backupFile, fresh);
      expect(res.previous).toBeNull();
      expect(fs.readdirSync(fresh)).toEqual(ON_POSTGRES ? [] : ['kb.db']); // on PostgreSQL the KB is in its schema
      const restored = await createServices({ dataDir: fresh, embedderMode: 'builtin' });
      try {
        expect(restored.engine.status().entries).toBe(res.counts.entries.published);
        expect(restored.engine.status().kbVersion).toBe(restored.kb.version());
        const q = syntheticEntry(1234);
        const answer = await request(createApp(restored)).post('/api/v1/answer').send({ question: q.similarQuestions![0] }).expect(200);
        expect(answer.body).toMatchObject({ outcome: 'answered', answer: { entryId: 1235, question: q.question } });
      } finally {
        restored.close();
      }
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  // SQLite's file discipline: the old kb.db kept beside, a file a server holds refused
  it.skipIf(ON_POSTGRES)('replaces a KB only with --force and never while a server holds it; keeps the old one; drops the stale index', async () => {
    const dir = tempDir();
    try {
      const old = await oldKbWithIndex(dir);

      expect(() => restoreKb(backupFile, dir)).toThrow(/--force/);
      expect(() => restoreKb(backupFile, dir, { force: true })).toThrow(/请先停止服务/); // still open
      const held = cli('reindex', ['--data-dir', dir]);
      expect(held.code).toBe(1);
      expect(held.stderr).toContain('请先停止服务');
      old.close();
      expect(fs.existsSync(path.join(dir, 'index', 'hnsw.json'))).toBe(true);

      const r = cli('restore', [backupFile, '--data-dir', dir, '--force']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('完整性检查：ok');
      expect(r.stdout).toContain('原知识库保留为');
      expect(fs.existsSync(path.join(dir, 'index'))).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('kb.db'))).toEqual(['kb.db', expect.stringMatching(/^kb\.db\.before-restore-\d{4}-\d{2}-\d{2}-\d{6}$/)]);
      // named by Shanghai time, as a person there reads it
      const stamp = fs.readdirSync(dir).find((f) => f.includes('before-restore'))!.slice(-17);
      expect(Math.abs(Date.parse(`${stamp.slice(0, 10)}T${stamp.slice(11, 13)}:${stamp.slice(13, 15)}:${stamp.slice(15)}+08:00`) - Date.now())).toBeLessThan(120_000);
      const previous = new Database(path.join(dir, fs.readdirSync(dir).find((f) => f.includes('before-restore'))!), { readonly: true });
      expect(previous.prepare('SELECT question FROM entries').pluck().all()).toEqual(['旧知识库的条目？']);
      previous.close();

      const reindex = cli('reindex', ['--data-dir', dir]);
      expect(reindex.code, reindex.stderr).toBe(0);
      const db = new Database(path.join(dir, 'kb.db'));
      const published = db.prepare(`SELECT count(*) FROM entries WHERE status = 'published'`).pluck().get() as number;
      db.close();
      expect(reindex.stdout).toContain(`索引已重建：${published} 条`);
      expect(fs.existsSync(path.join(dir, 'index', 'hnsw.json'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(ON_POSTGRES)('restores into PostgreSQL only with --force: refused, the KB is untouched; forced, the backup replaces it whole and the stale index goes', async () => {
    const dir = tempDir();
    try {
      const old = await oldKbWithIndex(dir);
      const oldVersion = old.kb.version();
      old.close();
      expect(fs.existsSync(path.join(dir, 'index', 'hnsw.json'))).toBe(true);

      const refused = cli('restore', [backupFile, '--data-dir', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('已有知识库');
      expect(refused.stderr).toContain('--force');
      let kb = KnowledgeBase.open(dir);
      expect(kb.entries.list().items.map((e) => e.question)).toEqual(['旧知识库的条目？']);
      expect(kb.version()).toBe(oldVersion);
      kb.close();

      // a backup PostgreSQL rejects partway (text where an integer belongs, which SQLite stores): nothing of it lands
      const bad = path.join(work, 'bad-value.db');
      fs.copyFileSync(backupFile, bad);
      const b = new Database(bad);
      b.prepare(`UPDATE entries SET review_due = 'kaputt' WHERE id = (SELECT max(id) FROM entries)`).run();
      b.close();
      const failed = cli('restore', [bad, '--data-dir', dir, '--force']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('知识库保持原样');
      kb = KnowledgeBase.open(dir);
      expect(kb.entries.list().items.map((e) => e.question)).toEqual(['旧知识库的条目？']);
      expect(kb.version()).toBe(oldVersion);
      kb.close();

      const r = cli('restore', [backupFile, '--data-dir', dir, '--force']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('完整性检查：ok');
      expect(r.stdout).toMatch(/已替换原有知识库（.*entries 1 行/);
      expect(fs.existsSync(path.join(dir, 'index'))).toBe(false);

      const backup = new Database(backupFile, { readonly: true });
      const ids = backup.prepare('SELECT id FROM entries ORDER BY id').pluck().all() as number[];
      const version = Number(backup.prepare(`SELECT value FROM meta WHERE key = 'kb_version'`).pluck().get());
      backup.close();
      kb = KnowledgeBase.open(dir);
      try {
        expect(kb.entries.list().total).toBe(ids.length);
        expect(kb.version()).toBe(version);
        expect(kb.entries.list({ text: '旧知识库的条目' }).total > 0).toBe(false);
        // new rows get ids after the restored ones
        expect(kb.entries.create({ category: 'faq', question: '恢复后的新条目？', answer: '新的。' }, 'test').id).toBeGreaterThan(ids[ids.length - 1]);
      } finally {
        kb.close();
      }

      // the next start rebuilds the search indexes from the restored KB
      const restored = await createServices({ dataDir: dir, embedderMode: 'builtin' });
      try {
        expect(restored.engine.status().entries).toBe(restored.kb.entries.list({ status: 'published' }).total);
      } finally {
        restored.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('copying a whole KB between databases (backup and restore on PostgreSQL, migrate-to-postgres)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stops at a table it does not know, so that a table a new migration adds is never left behind', () => {
    const source = openDatabase(path.join(dir, 'unknown-table.db'));
    source.exec('CREATE TABLE newer_feature (id INTEGER PRIMARY KEY)');
    const target = openKbDatabase(kbLocation(path.join(dir, 'unknown-target')));
    try {
      expect(() => copyKb(source, target)).toThrow(/不认识的表 newer_feature/);
    } finally {
      source.close();
      target.close();
    }
  });

  it('carries the gap questions\' id counter over: an id given before the copy is never given again', () => {
    const source = openDatabase(path.join(dir, 'gaps.db'));
    const at = '2026-07-01T02:00:00.000Z';
    for (const id of ['a1', 'a2']) {
      source.prepare(`INSERT INTO asks (id, asked_at, channel, audience, question, outcome, latency_ms) VALUES (?, ?, 'web', 'individual', '问', 'no_answer', 1)`).run(id, at);
    }
    source.prepare(`INSERT INTO gaps (id, status, question, first_asked_at, last_asked_at, due_date, created_at, updated_at) VALUES (1, 'open', '问', ?, ?, '2026-07-08', ?, ?)`).run(at, at, at, at);
    for (const ask of ['a1', 'a2']) {
      source.prepare(`INSERT INTO gap_questions (gap_id, ask_id, question, asked_at, channel, audience, reason) VALUES (1, ?, '问', ?, 'web', 'individual', 'no_answer')`).run(ask, at);
    }
    source.prepare(`DELETE FROM gap_questions WHERE ask_id = 'a2'`).run(); // the highest id leaves
    const target = openKbDatabase(kbLocation(path.join(dir, 'gaps-target')));
    try {
      const res = copyKb(source, target);
      expect(res.tables.find((t) => t.table === 'gap_questions')).toMatchObject({ source: 1, target: 1 });
      expect(new GapStore(target).lastQuestionId()).toBe(2);
    } finally {
      source.close();
      target.close();
    }
  });
});
