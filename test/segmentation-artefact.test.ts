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
    const reply = await s.answers.answer({ question: '区政府那次常务会过的是哪个方案' });
    expect(reply.outcome).toBe('answered');
    expect(reply.answer?.question).toBe('实施方案是哪次会议审议通过的？');
  });

  it('真正的生词仍算生词（奶茶），不因挨着认识的词而被当作切坏的片段', async () => {
    s = await smallKb(ENTRIES);
    const res = await s.engine.search('常务会上喝什么奶茶');
    expect(res.concepts.filter((c) => c.unknown).map((c) => c.text)).toContain('奶茶');
    expect(res.unknownShare).toBeGreaterThan(0.3);
  });

  it('虚字粘上知识库单用的字（想补 = 想 + 补）也不算生词；本身是常用词的（过山车）仍算', async () => {
    s = await smallKb([
      ...OFFICIAL_ENTRIES,
      { category: 'guide', question: '营业执照丢了能补吗？', answer: '能补。登录“一网通办”在线补，也可以到窗口补。' },
      // 车 and 山 are words of this KB on their own (its keywords): 过山车 must still not read as 过 + 山 + 车
      { category: 'faq', question: '游乐设施停在半空怎么办？', answer: '保持冷静，系好安全带，等待工作人员救援。', keywords: ['游乐设施', '车', '山'] },
    ]);
    const fix = await s.engine.search('营业执照丢了想补一个咋办');
    expect(fix.concepts.map((c) => c.text)).toContain('想补');
    expect(fix.concepts.filter((c) => c.unknown).map((c) => c.text)).not.toContain('想补');
    const ride = await s.engine.search('坐过山车停在半空怎么办');
    expect(ride.concepts.filter((c) => c.unknown).map((c) => c.text)).toContain('过山车');
  });
});
