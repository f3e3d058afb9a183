import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { migrateToPostgres } from '../scripts/migrate-to-postgres.js';
import { evalSets, type EvalQuestion } from '../scripts/eval/sets.js';
import { createServices } from '../server/services.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { importPaths } from '../server/commands/importFile.js';
import { systemClock } from '../server/kb/clock.js';
import { rowCounts } from '../server/kb/transfer.js';
import type { KbLocation } from '../server/kb/db.js';
import { REPO_ROOT, SEEDS_DIR, tempDir } from './helpers/paths.js';

const url = process.env.KB_TEST_DATABASE_URL ?? '';

/** The built CLI, as a user runs it, with the KB_DATABASE_* variables given. */
function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/migrate-to-postgres.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Reply = { id: string; outcome: string; entryId: number | null };

describe.skipIf(!url)('npm run migrate-to-postgres', () => {
  const sqliteDir = tempDir();
  const pgDir = tempDir();
  const file = path.join(sqliteDir, 'kb.db');
  const sqlite: KbLocation = { kind: 'sqlite', file };
  // t_kb_…: dropped with the other test schemas at the start of the next PostgreSQL run
  const postgres: KbLocation = { kind: 'postgres', url, schema: `t_kb_migrate_${process.pid}` };
  let questions: EvalQuestion[];
  let onSqlite: Reply[];

  async function askAll(location: KbLocation, dataDir: string): Promise<Reply[]> {
    const s = await createServices({ dataDir, embedderMode: 'builtin', location });
    try {
      const replies: Reply[] = [];
      for (const q of questions) {
        const r = await s.answers.answer({ question: q.q });
        replies.push({ id: q.id, outcome: r.outcome, entryId: r.answer?.entryId ?? null });
      }
      await s.answers.settled(); // the asks and gaps are written before the KB closes
      return replies;
    } finally {
      s.close();
    }
  }

  beforeAll(async () => {
    const kb = KnowledgeBase.open(sqliteDir, systemClock, sqlite);
    const { results } = await importPaths({ kb }, [SEEDS_DIR], { publish: true, actor: 'test' });
    kb.close();
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    // the public question sets on the five seeds
    questions = evalSets()
      .filter((s) => s.origin === 'public' && (s.name === 'seeds' || s.name === 'colloquial'))
      .flatMap((s) => s.questions);
    expect(questions.length).toBeGreaterThan(50);
    onSqlite = await askAll(sqlite, sqliteDir);
    expect(onSqlite.filter((r) => r.outcome === 'answered' && r.entryId).length).toBeGreaterThan(questions.length / 3); // a real comparison
  });
  afterAll(() => {
    for (const d of [sqliteDir, pgDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('copies every table with the same row counts and KB version, and answers every question the same on PostgreSQL', async () => {
    const progress: number[] = [];
    const res = migrateToPostgres(file, postgres, { onProgress: (p) => progress.push(p.copied) });
    expect(res.tables.filter((t) => t.source !== t.target)).toEqual([]);
    expect(res.kbVersion.target).toBe(res.kbVersion.source);
    const rows = Object.fromEntries(res.tables.map((t) => [t.table, t.target]));
    expect(rows.asks).toBe(questions.length); // the asks of the run on SQLite came along
    expect(rows.gap_questions).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(1);

    const sqliteKb = KnowledgeBase.open(sqliteDir, systemClock, sqlite);
    const pgKb = KnowledgeBase.open(pgDir, systemClock, postgres);
    try {
      expect(pgKb.version()).toBe(sqliteKb.version());
      expect(pgKb.gaps.lastQuestionId()).toBe(sqliteKb.gaps.lastQuestionId()); // the open-gap index's ids go on
    } finally {
      sqliteKb.close();
      pgKb.close();
    }

    const onPostgres = await askAll(postgres, pgDir);
    expect(onPostgres).toEqual(onSqlite);
  });

  it('refuses a second run into a KB that is no longer empty, and changes nothing', () => {
    const kb = KnowledgeBase.open(pgDir, systemClock, postgres);
    const before = { counts: rowCounts(kb.db), version: kb.version() };
    kb.close();

    expect(() => migrateToPostgres(file, postgres)).toThrow(/已有知识库.*--force/);
    const env = { KB_DATABASE_URL: url, KB_DATABASE_SCHEMA: postgres.kind === 'postgres' ? postgres.schema : '' };
    const refused = cli(['--from', file, '--data-dir', pgDir], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');

    const after = KnowledgeBase.open(pgDir, systemClock, postgres);
    try {
      expect({ counts: rowCounts(after.db), version: after.version() }).toEqual(before);
    } finally {
      after.close();
    }
  });

  it('with --force replaces it and prints the counts side by side; without KB_DATABASE_URL it says what to set', () => {
    const env = { KB_DATABASE_URL: url, KB_DATABASE_SCHEMA: postgres.kind === 'postgres' ? postgres.schema : '' };
    const r = cli(['--from', file, '--data-dir', pgDir, '--force'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已替换原有知识库');
    expect(r.stdout).toMatch(/entries\s+\d+\s+\d+/);
    expect(r.stdout).toContain('知识库版本');
    expect(r.stderr).toMatch(/迁移 .*\d+\/\d+/); // progress

    const unset = cli(['--from', file, '--data-dir', pgDir], { KB_DATABASE_URL: '' });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('未设置 KB_DATABASE_URL');
    expect(cli(['--data-dir', pgDir], env).code).toBe(2); // no --from
  });
});
