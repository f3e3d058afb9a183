import { describe, it, expect, afterEach } from 'vitest';
import { deriveRelatedWords, relatedWords } from '../server/search/related-words.js';
import { rankingWith } from '../server/search/ranking.js';
import type { EntryInput } from '../server/kb/validate.js';
import { smallKb } from './helpers/small-kb.js';

/** A small KB in official words: 问责 and 中暑, not the 追责 and 热射病 of a question. */
const ENTRIES: EntryInput[] = [
  { category: 'faq', question: '窗口推诿扯皮的如何问责？', answer: '对推诿扯皮、不作为的窗口和人员，由纪检部门按规定严肃问责。' },
  { category: 'faq', question: '高温天气如何预防中暑？', answer: '避免正午外出，多喝水，老人和儿童尤其注意。' },
  { category: 'guide', question: '居住证怎么办理？', answer: '在“随申办”提交居住登记后申领居住证。' },
  { category: 'guide', question: '住房公积金如何提取？', answer: '职工购房、租赁住房或退休的，可在“随申办”申请提取住房公积金。' },
  { category: 'faq', question: '电动自行车可以在楼道充电吗？', answer: '不可以。电动自行车应在集中充电场所充电，楼道内禁止停放和充电。' },
];

describe('相关词（CC-CEDICT 英文释义）', () => {
  let s: Awaited<ReturnType<typeof smallKb>> | null = null;
  afterEach(() => {
    s?.cleanup();
    s = null;
  });

  it('提问用知识库没用过的词（热射病），知识库用的是同义的另一个词（中暑）：答出那一条', async () => {
    s = await smallKb(ENTRIES);
    const res = await s.answers.answer({ question: '热射病怎么预防' });
    expect(res.outcome).toBe('answered');
    expect(res.answer?.question).toBe('高温天气如何预防中暑？');
    const concept = (await s.engine.search('热射病怎么预防')).concepts.find((c) => c.text === '热射病');
    expect(concept).toMatchObject({ unknown: false, forms: ['热射病', '中暑'] });
  });

  it('关掉相关词，同一个问题里的“热射病”知识库不认识，不作答', async () => {
    s = await smallKb(ENTRIES, {}, rankingWith({ relatedWords: false }));
    const res = await s.answers.answer({ question: '热射病怎么预防' });
    expect(res.outcome).not.toBe('answered');
    const concept = (await s.engine.search('热射病怎么预防')).concepts.find((c) => c.text === '热射病');
    expect(concept).toMatchObject({ unknown: true, forms: ['热射病'] });
  });

  it('知识库自己用的词不扩展：问“问责”只找“问责”，问“追责”也找“问责”', async () => {
    s = await smallKb(ENTRIES);
    expect((await s.engine.search('窗口推诿扯皮的如何问责')).concepts.find((c) => c.text === '问责')?.forms).toEqual(['问责']);
    expect((await s.engine.search('推诿扯皮会被追责吗')).concepts.find((c) => c.text === '追责')?.forms).toEqual(['追责', '问责']);
  });

  it('构建时从 CC-CEDICT 导出了词表', () => {
    expect(relatedWords().get('热射病')).toContain('中暑');
    expect(relatedWords().get('驾照')).toContain('驾驶证');
    expect(relatedWords().size).toBeGreaterThan(10_000);
  });

  it('只用窄的义项：一个英文释义被太多词共用（company、pension）就不把它们连起来', () => {
    const words = [
      { simplified: '消防栓', english: ['fire hydrant'] },
      { simplified: '消火栓', english: 'fire hydrant' },
      { simplified: '公司', english: ['company', 'firm', 'corporation', 'CL:家[jia1]'] },
      { simplified: '连队', english: 'company (military)/CL:个' },
      { simplified: '商号', english: 'firm/store' },
      { simplified: '坚决', english: 'firm; resolute' },
      { simplified: '企业', english: 'company; firm; enterprise; corporation' },
      { simplified: '刚强', english: 'firm' },
      { simplified: '驾照', english: "driver's license" },
      { simplified: '驾驶证', english: "driver's license" },
      { simplified: '驾驶', english: 'to pilot; to drive; see also 驾车' },
      { simplified: '车', english: 'car' },
    ];
    const table = deriveRelatedWords(words, 3);
    expect(table['消防栓']).toEqual(['消火栓']);
    expect(table['驾照']).toEqual(['驾驶证']);
    // “firm” is shared by four words: too broad; “company” by three (公司, 连队, 企业) — parenthesised notes are dropped
    expect(table['刚强']).toBeUndefined();
    expect(table['公司']).toEqual(['企业', '连队']);
    // single characters and cross-references are not words to relate
    expect(table['车']).toBeUndefined();
    expect(Object.values(table).flat()).not.toContain('驾车');
  });
});
