import { describe, it, expect, afterEach } from 'vitest';
import { smallKb, OFFICIAL_ENTRIES } from './helpers/small-kb.js';

/**
 * A piece the segmenter cuts across a word the KB uses (常务会过 → 常务 / 会过, the KB says 常务会) is not a word the
 * KB lacks: it must not make the question look off-topic. A word the KB really lacks still counts as one.
 */
describe('分词切坏的片段不算知识库没有的词', () => {
  let s: Awaited<ReturnType<typeof smallKb>> | null = null;
  afterEach(() => {
    s?.cleanup();
    s = null;
  });

  const ENTRIES = [
    ...OFFICIAL_ENTRIES,
    { category: 'policy' as const, question: '实施方案是哪次会议审议通过的？', answer: '实施方案经区政府第57次常务会审议通过。' },
  ];

  it('“常务会过”切出的“会过”不是生词：整句没有知识库不认识的内容，答出那条', async () => {
    s = await smallKb(ENTRIES);
    const res = await s.engine.search('区政府那次常务会过的是哪个方案');
    expect(res.concepts.map((c) => c.text)).toContain('会过');
    expect(res.concepts.filter((c) => c.unknown)).toEqual([]);
    expect(res.unknownShare).toBe(0);
    expect(res.candidates[0].question).toBe('实施方案是哪次会议审议通过的？');
  });

  it('真正的生词仍算生词（奶茶），不因挨着认识的词而被当作切坏的片段', async () => {
    s = await smallKb(ENTRIES);
    const res = await s.engine.search('常务会上喝什么奶茶');
    expect(res.concepts.filter((c) => c.unknown).map((c) => c.text)).toContain('奶茶');
    expect(res.unknownShare).toBeGreaterThan(0.3);
  });
});
