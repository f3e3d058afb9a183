import { describe, it, expect, afterAll } from 'vitest';
import { normalizeText } from '../server/search/normalize.js';
import { smallKb, OFFICIAL_ENTRIES } from './helpers/small-kb.js';

describe('繁体字折叠为简体', () => {
  it('繁体段落与其简体写法规范化后相同', () => {
    const traditional = '各鎮政府、街道辦事處：區政務服務辦制訂的《2023年金山區全面深化落實“一網通辦”改革工作要點》，現轉發給你們。';
    const simplified = '各镇政府、街道办事处：区政务服务办制订的《2023年金山区全面深化落实“一网通办”改革工作要点》，现转发给你们。';
    expect(normalizeText(traditional)).toBe(normalizeText(simplified));
    expect(normalizeText('後臺裏面的頭髮')).toBe('后台里面的头发');
  });

  it('简体文字不受影响', () => {
    const text = '持有效居住证并在本市连续缴纳职工社会保险满6个月的，可申请居住证积分（著作权、乾隆、干部）';
    expect(normalizeText(text)).toBe(text.replace(/[，（）、]/g, ' ').replace(/\s+/g, ' ').trim());
  });

  describe('端到端', () => {
    const TRADITIONAL = { category: 'guide' as const, question: '藥店申請醫保定點需要哪些條件？', answer: '申請醫保定點的藥店須取得藥品經營許可證並正常營業滿3個月。' };
    let s: Awaited<ReturnType<typeof smallKb>>;
    afterAll(() => s?.cleanup());

    it('简体提问找到繁体条目，答复仍显示条目原文', async () => {
      s = await smallKb([...OFFICIAL_ENTRIES, TRADITIONAL]);
      const id = s.ids[s.ids.length - 1];
      const res = await s.answers.answer({ question: '药店申请医保定点需要什么条件' });
      expect(res.outcome).toBe('answered');
      expect(res.answer?.entryId).toBe(id);
      expect(res.answer?.question).toBe(TRADITIONAL.question);
      expect(res.answer?.answer).toContain('藥品經營許可證');
    });
  });
});
