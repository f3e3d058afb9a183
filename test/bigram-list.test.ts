import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createServices } from '../server/services.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { rankingWith } from '../server/search/ranking.js';
import type { EntryInput } from '../server/kb/validate.js';
import { smallKb } from './helpers/small-kb.js';
import { tempDir } from './helpers/paths.js';

/**
 * One list per retrieval path, each one long here (candidates: 1), so that what the bigram list adds shows: the FAQ
 * entry whose answer repeats the question's characters is neither the best word match (its question says nothing
 * of 公积金) nor the nearest vector (entries are embedded from their questions).
 */
const ENTRIES: EntryInput[] = [
  { category: 'guide', question: '住房公积金如何提取？', answer: '可在“随申办”申请。' },
  { category: 'faq', question: '办事常见问题解答', answer: '公积金提取要带身份证。公积金提取的材料清单见窗口公示。公积金提取后三个工作日到账。' },
  { category: 'guide', question: '居住证怎么办理？', answer: '在“随申办”提交居住登记后申领居住证。' },
];
const ONE_EACH = rankingWith({ candidates: 1 });
const ASKED = '公积金提取要带什么材料';

describe('二元组候选列表（按字找到的条目）', () => {
  let s: Awaited<ReturnType<typeof smallKb>> | null = null;
  afterEach(() => {
    s?.cleanup();
    s = null;
  });

  it('词和向量都没找到、只按字找到的条目也进候选，出现在“猜你想问”里', async () => {
    s = await smallKb(ENTRIES, {}, ONE_EACH);
    const found = (await s.engine.search(ASKED)).candidates.find((c) => c.question === '办事常见问题解答');
    expect(found).toMatchObject({ lexicalRank: null, vectorRank: null, bigramRank: 1 });
    const res = await s.answers.answer({ question: ASKED });
    expect(res.suggestions.map((x) => x.question)).toContain('办事常见问题解答');
  });

  it('只按字找到的条目不作为确定答案：作答的是词或向量找到的条目', async () => {
    s = await smallKb(ENTRIES, {}, ONE_EACH);
    const [first] = (await s.engine.search(ASKED)).candidates;
    expect(first.question).toBe('办事常见问题解答'); // first by score …
    const res = await s.answers.answer({ question: ASKED });
    expect(res.answer?.question).not.toBe('办事常见问题解答'); // … but never the confident answer
  });

  it('关掉二元组列表，这条就不在候选里', async () => {
    s = await smallKb(ENTRIES, {}, rankingWith({ candidates: 1, bigramList: false }));
    expect((await s.engine.search(ASKED)).candidates.map((c) => c.question)).not.toContain('办事常见问题解答');
  });

  it('旧版全文索引（没有二元组表）在启动时按知识库重建', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    for (const e of ENTRIES) kb.entries.publish(kb.entries.create(e, 'test').id, 'test');
    kb.close();
    let services = await createServices({ dataDir: dir, embedderMode: 'builtin', ranking: ONE_EACH });
    services.close();
    // An index written before the bigram table existed: rows of the word index only, no layout in its stamp.
    const db = new Database(path.join(dir, 'index', 'fts.db'));
    db.exec(`DELETE FROM text_grams; DELETE FROM stamp WHERE key = 'layout';`);
    db.close();
    services = await createServices({ dataDir: dir, embedderMode: 'builtin', ranking: ONE_EACH });
    const found = (await services.engine.search(ASKED)).candidates.find((c) => c.question === '办事常见问题解答');
    expect(found?.bigramRank).toBe(1);
    services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
