import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import request from 'supertest';
import { createApp } from '../../app.js';
import { fixedClock } from '../../kb/clock.js';
import { servicesFor } from '../../../test/helpers/services.js';

// Wednesday 2026-07-01, 10:00 in Shanghai.
const NOW = '2026-07-01T10:00:00+08:00';

describe('agent answers (线上人工帮办 → KB)', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let agent: { Authorization: string };
  let otherAgent: { Authorization: string };
  let reviewer: { Authorization: string };
  let editor: { Authorization: string };
  let residence: number;

  beforeEach(async () => {
    s = await servicesFor([], { clock: fixedClock(NOW) });
    const e = s.kb.entries.create({ category: 'guide', question: '居住证怎么办理？', answer: '在“随申办”提交居住登记后申领居住证。' }, 'test');
    residence = s.kb.entries.publish(e.id, 'test').id;
    await s.engine.sync();
    app = createApp(s);
    const as = (name: string, role: 'agent' | 'reviewer' | 'editor') => ({ Authorization: `Bearer ${s.tokens.create(name, role, 'test').token}` });
    agent = as('李坐席', 'agent');
    otherAgent = as('赵坐席', 'agent');
    reviewer = as('王审核', 'reviewer');
    editor = as('张编辑', 'editor');
  });
  afterEach(() => s.cleanup());

  const ask = async (question: string) => {
    const res = await request(app).post('/api/v1/answer').send({ question, audience: 'enterprise' }).expect(200);
    await s.answers.settled(); // the gap queue gathers the ask right after the reply
    return res.body;
  };
  const answer = (body: object, who = agent) => request(app).post('/api/v1/agent/answers').set(who).send(body);

  it('a good agent answer becomes a draft in the review queue; publishing it fills the gap and answers the question', async () => {
    const first = await ask('营业执照丢了怎么补');
    const second = await ask('执照遗失补办');
    expect([first.outcome, second.outcome]).toEqual(['no_answer', 'no_answer']);
    const gap = s.gaps.gapOfAsk(second.askId)!;
    expect(gap.askCount).toBe(2);

    const res = await answer({
      question: '营业执照遗失了怎么补办？', answer: '登录“一网通办”搜索“营业执照补领”，在线申请即可。', askId: second.askId,
      department: '市场监管局', serviceItem: '营业执照补领', category: 'guide',
    }).expect(201);
    expect(res.body).toMatchObject({
      status: 'draft', origin: 'agent', category: 'guide', question: '营业执照遗失了怎么补办？', department: '市场监管局', serviceItem: '营业执照补领',
      askId: second.askId, gapId: gap.id, createdBy: '李坐席',
    });
    expect(res.body.similarQuestions.sort()).toEqual(['执照遗失补办', '营业执照丢了怎么补'].sort());
    // A draft answers nobody yet, and the gap waits for the review.
    expect((await ask('执照遗失补办')).outcome).toBe('no_answer');
    expect(s.gaps.get(gap.id)!.status).toBe('open');

    const mine = await request(app).get('/api/v1/agent/answers').query({ status: 'draft' }).set(agent).expect(200);
    expect(mine.body.items.map((e: { id: number }) => e.id)).toEqual([res.body.id]);
    expect((await request(app).get('/api/v1/agent/answers').set(otherAgent).expect(200)).body.total).toBe(0);
    const queue = await request(app).get('/api/v1/admin/entries').query({ status: 'draft' }).set(reviewer).expect(200);
    expect(queue.body.items.map((e: { id: number }) => e.id)).toContain(res.body.id);

    await request(app).post(`/api/v1/admin/entries/${res.body.id}/publish`).set(reviewer).send({ reason: '核对无误', version: res.body.version }).expect(200);
    expect(s.gaps.get(gap.id)).toMatchObject({ status: 'filled', entryId: res.body.id, fillMode: 'new_entry', resolvedBy: '王审核' });
    for (const q of ['营业执照丢了怎么补', '执照遗失补办']) {
      const again = await ask(q);
      expect(again.outcome, q).toBe('answered');
      expect(again.answer.entryId).toBe(res.body.id);
    }
    expect((await request(app).get('/api/v1/agent/answers').query({ status: 'draft' }).set(agent).expect(200)).body.total).toBe(0);
  });

  it('links an answered ask without a gap, and takes answers without an ask', async () => {
    const answered = await ask('居住证怎么办理');
    expect(answered.outcome).toBe('answered');
    const linked = await answer({ question: '居住证到期了怎么续办？', answer: '到期前 30 日内在“随申办”申请签注。', askId: answered.askId }).expect(201);
    expect(linked.body).toMatchObject({ askId: answered.askId, gapId: null, category: 'faq', similarQuestions: ['居住证怎么办理'] });
    const free = await answer({ question: '新生儿医保怎么办理？', answer: '出生后在“随申办”办理参保登记。' }).expect(201);
    expect(free.body).toMatchObject({ askId: null, gapId: null, similarQuestions: [], status: 'draft', origin: 'agent' });
    expect(s.kb.entries.get(residence)!.status).toBe('published');
  });

  it('keeps personal data the agent pasted out of the entry question', async () => {
    const res = await answer({ question: '我手机13812345678，营业执照丢了怎么补', answer: '在线申请补领。' }).expect(201);
    expect(res.body.question).not.toContain('13812345678');
    expect(res.body.question).toContain('[手机号]');
  });

  it('answers 400 naming the field, 404 for an unknown ask, 401 / 403 by role', async () => {
    expect((await answer({ answer: 'x' }).expect(400)).body.field).toBe('question');
    expect((await answer({ question: '问', answer: '  ' }).expect(400)).body.field).toBe('answer');
    expect((await answer({ question: '问', answer: '答', category: 'news' }).expect(400)).body.field).toBe('category');
    expect((await answer({ question: '问', answer: '答', origin: 'manual' }).expect(400)).body.field).toBe('origin');
    expect((await answer({ question: '问', answer: '答', askId: 42 }).expect(400)).body.field).toBe('askId');
    expect((await request(app).get('/api/v1/agent/answers').query({ status: 'pending' }).set(agent).expect(400)).body.field).toBe('status');
    const missing = await answer({ question: '问', answer: '答', askId: 'a_nope' }).expect(404);
    expect(missing.body.message).toContain('a_nope');

    await request(app).post('/api/v1/agent/answers').send({ question: '问', answer: '答' }).expect(401);
    await answer({ question: '问', answer: '答' }, editor).expect(403);
    await answer({ question: '问', answer: '答' }, reviewer).expect(403);
    await request(app).get('/api/v1/agent/answers').set(editor).expect(403);
    expect(s.kb.entries.list({ status: 'draft' }).total).toBe(0);
  });
});
