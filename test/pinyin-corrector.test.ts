import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PinyinCorrector } from '../server/search/pinyin-corrector.js';
import { Tokenizer } from '../server/search/tokenizer.js';
import { smallKb, OFFICIAL_ENTRIES } from './helpers/small-kb.js';

describe('拼音同音字纠错', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  let corrector: PinyinCorrector;
  beforeAll(async () => {
    s = await smallKb([
      ...OFFICIAL_ENTRIES,
      { category: 'faq', question: '社保断缴了怎么办？', answer: '社保断缴后可按规定补缴。' },
      { category: 'faq', question: '随申办怎么充值交通卡？', answer: '在“随申办”交通卡页面充值。' },
      { category: 'faq', question: '公示期多长？', answer: '公示期为5个工作日。' },
    ]);
    corrector = PinyinCorrector.fromVocabulary(s.engine.corpus.vocabulary());
  });
  afterAll(() => s.cleanup());

  it('知识库的词被打成同音字时改回来', () => {
    expect(corrector.correct('设保断交了怎么办')).toEqual({
      text: '社保断缴了怎么办',
      corrections: [{ from: '设保', to: '社保' }, { from: '断交', to: '断缴' }],
    });
    expect(corrector.correct('工积金怎么提').text).toBe('公积金怎么提');
    expect(corrector.correct('营业值照丢了').corrections).toEqual([{ from: '营业值照', to: '营业执照' }]);
    expect(corrector.correct('随申办怎么冲值').text).toBe('随申办怎么充值');
  });

  it('三个字以上的知识库用词整个打成同音字，即使其中两个字碰巧是常用词，也改回来', () => {
    // 随身 is an everyday word, but 随身办 is how 随申办 comes out of a pinyin keyboard.
    expect(corrector.correct('随身办怎么充值').corrections).toEqual([{ from: '随身办', to: '随申办' }]);
    expect(corrector.correct('随身带的证件').corrections).toEqual([]);
  });

  it('分词读成两个词的两个字不是打错的一个词：“上户口要带啥”不改成“要待”，“没人修”不改成“每人”', () => {
    const c = PinyinCorrector.fromVocabulary([['要待', 3], ['外地', 40], ['地胶', 2], ['每人', 5], ['计划', 30]]);
    const boundaries = (run: string) => new Tokenizer().wordBoundaries(run);
    expect(c.correct('去派出所上户口要带啥', boundaries).corrections).toEqual([]);
    expect(c.correct('以前在外地交的养老保险', boundaries).corrections).toEqual([]);
    expect(c.correct('充电桩坏了没人修', boundaries).corrections).toEqual([]);
    // a typo the segmenter keeps as one piece is still corrected
    expect(c.correct('要提前做计化吗', boundaries).corrections).toEqual([{ from: '计化', to: '计划' }]);
  });

  it('也接受分好的词', () => {
    expect(corrector.correct(['工积金', '提取']).text).toBe('公积金 提取');
  });

  it('知识库认识的词、普通词语和虚词都不改', () => {
    const kept = ['社保怎么交', '公积金提取', '公式怎么算', '社保在那里办', '营业执照在哪办'];
    for (const q of kept) expect(corrector.correct(q)).toEqual({ text: q, corrections: [] });
  });

  it('知识库用过的词即使同音词更常见也不改；只出现一次、同音词常见得多的才算笔误', () => {
    const c = PinyinCorrector.fromVocabulary([['社保', 120], ['涉保', 2], ['公积金', 200], ['工积金', 1]]);
    expect(c.correct('涉保').corrections).toEqual([]);
    expect(c.correct('工积金').text).toBe('公积金');
  });

  it('不改成提问里已有的词，一个词只差一个字才改', () => {
    const c = PinyinCorrector.fromVocabulary([['社保', 120], ['营业执照', 50]]);
    expect(c.correct('社保 设保').corrections).toEqual([]);
    expect(c.correct('营叶值照').corrections).toEqual([]);
  });

  it('词表可以增量更新，重建时沿用已算过的拼音', () => {
    const c = PinyinCorrector.fromVocabulary([['社保', 120]]);
    expect(c.correct('冲值').corrections).toEqual([]);
    c.set('充值', 3);
    expect(c.correct('冲值').text).toBe('充值');
    c.set('充值', 0);
    expect(c.correct('冲值').corrections).toEqual([]);
    const rebuilt = PinyinCorrector.fromVocabulary([['社保', 120], ['充值', 3]], c);
    expect(rebuilt.size).toBe(2);
    expect(rebuilt.correct('设保冲值').text).toBe('社保充值');
  });

  it('答问时先纠错：新发布条目的词，不重启也能把同音错字改过来', async () => {
    const before = await s.engine.search('低宝怎么申请');
    expect(before.corrections).toEqual([]);
    const created = s.kb.entries.create({ category: 'guide', question: '低保怎么申请？', answer: '向户籍所在街镇社区事务受理服务中心提出低保申请。' }, 'test');
    s.kb.entries.publish(created.id, 'test');
    const after = await s.engine.search('低宝怎么申请');
    expect(after.corrections).toEqual([{ from: '低宝', to: '低保' }]);
    expect(after.candidates[0].entryId).toBe(created.id);
  });
});
