import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { fixedClock } from '../server/kb/clock.js';
import { matchingView } from '../server/privacy/mask.js';
import { servicesFor } from './helpers/services.js';

// Wednesday 2026-07-01, 10:00 in Shanghai.
const NOW = '2026-07-01T10:00:00+08:00';

const math = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join('');
const arabic = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x0660 + Number(d))).join('');

/** Ways a citizen's phone number 138 1234 5678 arrives. */
const PHONES = [
  '138.1234.5678', '138 - 1234 - 5678', '138\u200b1234\u200b5678', math('13812345678'), arabic('13812345678'), '13812345678元', '１３８－１２３４－５６７８',
];
const ID = '31010119900101123X';

describe('personal data is masked in everything stored', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let agent: { Authorization: string };
  let editor: { Authorization: string };

  beforeEach(async () => {
    s = await servicesFor([], { clock: fixedClock(NOW) });
    const e = s.kb.entries.create({ category: 'guide', question: '居住证怎么办理？', answer: '在“随申办”提交居住登记后申领居住证。' }, 'test');
    s.kb.entries.publish(e.id, 'test');
    await s.engine.sync();
    app = createApp(s);
    agent = { Authorization: `Bearer ${s.tokens.create('李坐席', 'agent', 'test').token}` };
    editor = { Authorization: `Bearer ${s.tokens.create('张编辑', 'editor', 'test').token}` };
  });
  afterEach(() => s.cleanup());

  /** Every free-text column a citizen's or agent's words reach, folded as the masker folds them. */
  const stored = (): string => {
    const cols = [
      'SELECT question, region, session_id, feedback_reason FROM asks',
      'SELECT reason FROM feedback',
      'SELECT question FROM gaps',
      'SELECT question FROM gap_questions',
      'SELECT question, answer, similar_questions FROM entries',
      'SELECT snapshot FROM entry_versions',
    ];
    const text = cols.map((sql) => JSON.stringify(s.kb.db.prepare(sql).all())).join('\n');
    // digits of every script as ASCII, zero-width characters gone, separators between digits dropped
    return matchingView(text).view.replace(/(?<=\d)[\s.·-]+(?=\d)/g, '');
  };
  const leaks = (text: string) => ['1381234', '12345678', '31010119900101', '19900101123', 'zhangsan'].filter((d) => text.includes(d));

  it('a phone number typed as 138.1234.5678 (or any other way) is not stored in asks, gaps or gap questions', async () => {
    for (const phone of PHONES) {
      const res = await request(app).post('/api/v1/answer').send({ question: `我的手机${phone}收不到社保卡的短信怎么办`, channel: 'pc' }).expect(200);
      expect(['no_answer', 'suggest']).toContain(res.body.outcome);
    }
    await s.answers.settled();
    expect((s.kb.db.prepare('SELECT count(*) AS n FROM gap_questions').get() as { n: number }).n).toBe(PHONES.length);
    const text = stored();
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('[手机号]');
  });

  it('a session id, region and feedback reason with personal data are stored masked', async () => {
    const res = await request(app)
      .post('/api/v1/answer')
      .send({ question: '居住证怎么办理', sessionId: `s-${ID}`, region: '138.1234.5678' })
      .expect(200);
    await request(app)
      .post('/api/v1/feedback')
      .send({ askId: res.body.askId, resolved: false, reason: `没解决，请打138 - 1234 - 5678或发邮件zhangsan@example.com，身份证${ID}` })
      .expect(204);
    await s.answers.settled();
    const ask = s.kb.db.prepare('SELECT region, session_id, feedback_reason FROM asks WHERE id = ?').get(res.body.askId) as Record<string, string>;
    expect(ask).toEqual({ region: '[手机号]', session_id: 's-[身份证号]', feedback_reason: '没解决，请打[手机号]或发邮件[邮箱]，身份证[身份证号]' });
    expect((s.kb.db.prepare('SELECT reason FROM feedback').get() as { reason: string }).reason).toBe(ask.feedback_reason);
    expect(leaks(stored())).toEqual([]);
  });

  it("an agent's reply and the citizen questions copied into an entry's similar questions are masked", async () => {
    const res = await request(app).post('/api/v1/answer').send({ question: `营业执照丢了怎么补，我电话${PHONES[0]}` }).expect(200);
    await s.answers.settled();
    const created = await request(app)
      .post('/api/v1/agent/answers')
      .set(agent)
      .send({ question: '营业执照遗失了怎么补办？', answer: `已电话联系市民（138.1234.5678，身份证${ID}），告知登录“一网通办”申请补领。`, askId: res.body.askId })
      .expect(201);
    expect(created.body.answer).toBe('已电话联系市民（[手机号]，身份证[身份证号]），告知登录“一网通办”申请补领。');
    expect(created.body.similarQuestions).toEqual(['营业执照丢了怎么补，我电话[手机号]']);

    // a question logged before masking caught every spelling, filled into an entry by an editor
    const gap = s.gaps.gapOfAsk(res.body.askId)!;
    s.kb.db.prepare(`UPDATE gap_questions SET question = ? WHERE gap_id = ?`).run(`执照补办，联系${arabic('13812345678')}`, gap.id);
    await request(app).post(`/api/v1/admin/entries/${created.body.id}/archive`).set(editor).send({ reason: '改由编辑补缺', version: created.body.version }).expect(200);
    const filled = await request(app)
      .post(`/api/v1/admin/gaps/${gap.id}/fill`)
      .set(editor)
      .send({ entry: { category: 'guide', question: '营业执照遗失怎么补办？', answer: '登录“一网通办”搜索“营业执照补领”。' } })
      .expect(200);
    expect(filled.body.entry.similarQuestions).toEqual(['执照补办，联系[手机号]']);
  });
});
