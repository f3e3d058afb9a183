import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { smallKb, SERVICE_ENTRIES } from './helpers/small-kb.js';

describe('投诉、举报、仲裁 questions', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  beforeAll(async () => {
    s = await smallKb([
      ...SERVICE_ENTRIES,
      { category: 'faq', question: '发现消防栓、消防通道被杂物堵住，怎么举报？', answer: '拨打 96119 火灾隐患举报电话，或向所在街道的消防站反映，说明具体位置。' },
      { category: 'faq', question: '申请劳动人事争议仲裁的时效是多久？', answer: '仲裁时效为一年，从当事人知道或者应当知道其权利被侵害之日起计算。' },
    ]);
  });
  afterAll(() => s.cleanup());

  it('are answered from the KB when an entry written about that channel answers them with confidence', async () => {
    const hydrant = await s.answers.answer({ question: '小区里的消防栓被杂物挡住了，能举报吗？' });
    expect(hydrant.outcome).toBe('answered');
    expect(hydrant.answer!.answer).toContain('96119');
    const arbitration = await s.answers.answer({ question: '劳动仲裁的申请时效是多久' });
    expect(arbitration.outcome).toBe('answered');
    expect(arbitration.answer!.answer).toContain('一年');
  });

  it('are still routed to 12345 or the legal channels when no such entry answers them', async () => {
    const complaint = await s.answers.answer({ question: '我要投诉窗口工作人员态度差' });
    expect(complaint).toMatchObject({ outcome: 'out_of_scope', answer: null, route: { kind: 'complaint', channel: '12345' } });
    const lawsuit = await s.answers.answer({ question: '我想起诉我的老板拖欠工资' });
    expect(lawsuit).toMatchObject({ outcome: 'out_of_scope', route: { kind: 'legal' } });
    // nothing the KB holds is about a complaint against a clerk: the routing message alone
    expect(complaint.suggestions).toEqual([]);
    // 命中测试 decides the same way
    expect((await s.answers.hitTest('我要投诉窗口工作人员态度差')).outcome).toBe('out_of_scope');
    expect((await s.answers.hitTest('小区里的消防栓被杂物挡住了，能举报吗？')).outcome).toBe('answered');
  });

  it('routed, still shows what the KB says about that channel when the question is not answered with confidence', async () => {
    const routed = await s.answers.answer({ question: '公司一直拖欠我的工资，想去申请劳动仲裁，要准备些什么' });
    expect(routed).toMatchObject({ outcome: 'out_of_scope', answer: null, route: { kind: 'legal' } });
    expect(routed.suggestions.map((x) => x.question)).toEqual(['申请劳动人事争议仲裁的时效是多久？']);
    // choosing it shows that entry
    const picked = await s.answers.answer({ question: routed.suggestions[0].question, pick: routed.suggestions[0].unitId, fromAskId: routed.askId });
    expect(picked.outcome).toBe('answered');
    expect(picked.answer!.answer).toContain('一年');
  });
});
