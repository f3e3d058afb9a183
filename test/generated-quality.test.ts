import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import { KnowledgeBase } from '../server/kb/index.js';
import { ingestPaths, type FileResult } from '../ingest/pipeline.js';
import { entryQualityProblems } from '../ingest/generate.js';
import { SAMPLE_DOCS_DIR, SEEDS_DIR, tempDir } from './helpers/paths.js';

describe('every published entry of the seeds and the sample documents passes the quality gate', () => {
  let dir: string;
  let kb: KnowledgeBase;
  let results: FileResult[];

  beforeAll(async () => {
    dir = tempDir();
    kb = KnowledgeBase.open(dir);
    ({ results } = await ingestPaths(kb, [SEEDS_DIR, SAMPLE_DOCS_DIR], { publish: true, actor: 'test' }));
  });
  afterAll(() => {
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds no problem in any published question and answer', () => {
    expect(results.every((r) => r.status === 'new')).toBe(true);
    const { items, total } = kb.entries.list({ status: 'published', limit: 10_000 });
    expect(items.length).toBe(total);
    expect(total).toBeGreaterThan(300);
    const problems = items.flatMap((e) => entryQualityProblems(e).map((p) => `${e.question} — ${p}`));
    expect(problems).toEqual([]);
  });

  it('reports what the gate dropped for each policy document, with a reason in Chinese', () => {
    const policies = results.filter((r) => r.kind === 'policy');
    expect(policies.every((r) => Array.isArray(r.rejected))).toBe(true);
    const rejected = policies.flatMap((r) => r.rejected!);
    for (const r of rejected) expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
    // the sample guide lists its application materials one per line: those items only repeat themselves
    expect(rejected.some((r) => r.reason.includes('答案只是重复问题'))).toBe(true);
  });
});
