/**
 * The character features (`FeatureWeights.chars`, and `grams` beside it): BM25 of the question's single Han
 * characters and of its bigrams over each unit. A colloquial question often shortens an official name (芦城体校 for
 * 芦城体育运动技术学校) or shares characters, not words, with the answer's wording. Checked on the real 2,081-row FAQ
 * sheet (../shared/eval/external-faq), with the features and without them (with the learned weights, either one alone
 * already finds the school).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { KnowledgeBase } from '../server/kb/index.js';
import { createServices, type Services } from '../server/services.js';
import { rankingWith } from '../server/search/ranking.js';
import { ingestFile } from '../ingest/pipeline.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const FAQ = path.resolve(REPO_ROOT, '../shared/eval/external-faq/faq.csv');

describe('matching single characters on the real FAQ sheet', () => {
  let dir: string;
  let withChars: Services;
  let without: Services;

  beforeAll(async () => {
    dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    await ingestFile(kb, FAQ, { publish: true, actor: 'test' });
    kb.close();
    withChars = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    without = await createServices({ dataDir: dir, embedderMode: 'builtin', ranking: rankingWith({ weights: { chars: 0, grams: 0 } }) });
  }, 120_000);
  afterAll(() => {
    withChars?.close();
    without?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a school named by its short form (芦城体校) finds the entry with its full name first, not another 体校', async () => {
    const question = '芦城体校都有哪些项目 有射箭吗';
    const [top] = (await withChars.engine.search(question)).candidates;
    expect(top.question).toContain('芦城体育运动技术学校');
    expect(top.chars).toBe(1); // the most of the question's characters, weighed by rarity, against its length
    const [before] = (await without.engine.search(question)).candidates;
    expect(before.question).not.toContain('芦城');
  });

  it('what the citizen is shown, the answer or the first of 猜你想问, is that entry', async () => {
    const res = await withChars.answers.answer({ question: '芦城体校都有哪些项目 有射箭吗' });
    const first = res.outcome === 'answered' ? res.answer?.question : res.suggestions[0]?.question;
    expect(first).toContain('芦城体育运动技术学校');
  });
});
