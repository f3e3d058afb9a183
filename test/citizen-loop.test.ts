import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { SteppingClock } from './helpers/clock.js';
import { SERVICE_ENTRIES } from './helpers/small-kb.js';
import { servicesFor } from './helpers/services.js';

/** The citizen's loop (issue 12): what a citizen does in the widget reaches an editor, and the KB learns from it. */


const ENTRIES = SERVICE_ENTRIES;

/** A colloquial phrasing the KB only half-answers: 猜你想问 offers the 社保缴费记录 entry. */
const HALF_ANSWERED = '社保交了多少年在哪看';
/** A colloquial phrasing of the 社保缴费记录 entry that only gets 猜你想问 until an editor accepts it. */
const NEW_PHRASING = '我的社保单子哪里打';

async function setup() {
  const clock = new SteppingClock('2026-07-01T10:00:00+08:00'); // a Wednesday, in the agents' hours
  const s = await servicesFor([], { clock });
  const ids = ENTRIES.map((e) => s.kb.entries.publish(s.kb.entries.create(e, 'test').id, 'test').id);
  await s.engine.sync();
  const app = createApp(s);
  const editor = { Authorization: `Bearer ${s.tokens.create('张编辑', 'editor', 'test').token}` };
  const reviewer = { Authorization: `Bearer ${s.tokens.create('李审核', 'reviewer', 'test').token}` };
  const ask = async (question: string, more: object = {}) => {
    const res = await request(app).post('/api/v1/answer').send({ question, ...more }).expect(200);
    await s.answers.settled();
    return res.body;
  };
  return { s, app, clock, ids, editor, reviewer, ask };
}

describe("the citizen's loop", () => {
  let env: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    env = await setup();
  });
  afterEach(() => env.s.cleanup());

  it("a citizen's 未解决 reason on a 猜你想问 reply shows on the gap card (personal data masked)", async () => {
    const reply = await env.ask(HALF_ANSWERED);
    expect(reply.outcome).toBe('suggest');
    await request(env.app).post('/api/v1/feedback')
      .send({ askId: reply.askId, resolved: false, reason: '都不是我要问的：我想知道一共交了几年，电话13812345678' }).expect(204);
    await env.s.answers.settled();
    const gap = env.s.gaps.gapOfAsk(reply.askId)!;
    const card = (await request(env.app).get(`/api/v1/admin/gaps/${gap.id}`).set(env.editor).expect(200)).body;
    expect(card.citizenReasons).toEqual([expect.objectContaining({ question: HALF_ANSWERED, reason: '都不是我要问的：我想知道一共交了几年，电话[手机号]' })]);
    expect(card.reasons).toEqual({ no_answer: 0, unresolved: 1 });
  });

  it('a dismissed question does not come back as a new gap; it is counted there and an editor can reopen it', async () => {
    const first = await env.ask('上海迪士尼门票多少钱');
    const gap = env.s.gaps.gapOfAsk(first.askId)!;
    await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/dismiss`).set(env.editor).send({ reason: '不属于政务服务' }).expect(200);

    env.clock.set('2026-07-02T10:00:00+08:00');
    const again = await env.ask('上海迪士尼门票多少钱？');
    expect(env.s.gaps.gapOfAsk(again.askId)!.id).toBe(gap.id);
    const open = (await request(env.app).get('/api/v1/admin/gaps').query({ state: 'open' }).set(env.editor).expect(200)).body;
    expect(open.total).toBe(0);
    const card = (await request(env.app).get(`/api/v1/admin/gaps/${gap.id}`).set(env.editor).expect(200)).body;
    expect(card).toMatchObject({ status: 'dismissed', askCount: 2, askedSinceDismissal: 1, dismissReason: '不属于政务服务' });

    const reopened = (await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/reopen`).set(env.editor).send({}).expect(200)).body;
    expect(reopened).toMatchObject({ status: 'open', askCount: 2 });
  });

  it('choosing a 猜你想问 suggestion proposes the phrasing to editors; once accepted, the phrasing is answered directly', async () => {
    const socialEntry = env.ids[1];
    // several citizens ask in the same words and choose the same suggestion
    for (let i = 0; i < 3; i++) {
      const reply = await env.ask(NEW_PHRASING);
      expect(reply.outcome).toBe('suggest');
      expect(reply.suggestions.map((x: { unitId: number }) => x.unitId)).toContain(socialEntry);
      const chosen = await env.ask('社会保险缴费记录怎么查询？', { pick: socialEntry, fromAskId: reply.askId });
      expect(chosen.answer.entryId).toBe(socialEntry);
      expect(env.s.gaps.gapOfAsk(reply.askId)).toBeNull(); // the citizen found the answer: not a gap
      expect(env.s.answers.asks.get(reply.askId)).toBeTruthy();
    }
    const proposals = (await request(env.app).get('/api/v1/admin/phrasings').set(env.editor).expect(200)).body;
    expect(proposals.items).toEqual([expect.objectContaining({ entryId: socialEntry, question: NEW_PHRASING, choiceCount: 3, status: 'proposed' })]);

    // not live before an editor accepts it
    expect((await env.ask(NEW_PHRASING)).outcome).toBe('suggest');

    // an editor's acceptance is a change to a published entry: it waits for a reviewer like any other
    const accepted = (await request(env.app).post(`/api/v1/admin/phrasings/${proposals.items[0].id}/accept`).set(env.editor).send({}).expect(200)).body;
    expect(accepted.waitingForReview).toBe(true);
    expect(accepted.entry.pendingRevision).toBeTruthy();
    expect((await env.ask(NEW_PHRASING)).outcome).toBe('suggest');
    await request(env.app).post(`/api/v1/admin/entries/${socialEntry}/revision/approve`).set(env.reviewer).send({ version: accepted.entry.version }).expect(200);
    await env.s.engine.sync();
    const history = env.s.kb.entries.history(socialEntry);
    expect(history.at(-1)).toMatchObject({ action: 'update' });
    expect(env.s.kb.entries.require(socialEntry).similarQuestions).toContain(NEW_PHRASING);

    const now = await env.ask(NEW_PHRASING);
    expect(now.outcome).toBe('answered');
    expect(now.answer.entryId).toBe(socialEntry);
    expect((await request(env.app).get('/api/v1/admin/phrasings').set(env.editor).expect(200)).body.total).toBe(0);
  });

  it('a pick that comes before its ask was gathered keeps the ask out of the gap queue', async () => {
    const socialEntry = env.ids[1];
    const reply = await env.s.answers.answer({ question: NEW_PHRASING });
    expect(reply.outcome).toBe('suggest');
    // the citizen picks before the gap queue got to the ask (gathering runs after the reply)
    await env.s.answers.answer({ question: '社会保险缴费记录怎么查询？', pick: socialEntry, fromAskId: reply.askId });
    await env.s.answers.settled();
    expect(env.s.answers.asks.choiceOf(reply.askId)).toBe(socialEntry);
    expect(env.s.gaps.gapOfAsk(reply.askId)).toBeNull();
    expect(env.s.kb.gaps.list({}, '2026-07-01')).toEqual([]);
  });

  it('learning from a pick runs after the reply to it, and settled() waits for it', async () => {
    const socialEntry = env.ids[1];
    const reply = await env.ask(NEW_PHRASING);
    expect(env.s.gaps.gapOfAsk(reply.askId)).not.toBeNull();
    const chosen = await env.s.answers.answer({ question: '社会保险缴费记录怎么查询？', pick: socialEntry, fromAskId: reply.askId });
    expect(chosen.answer!.entryId).toBe(socialEntry);
    // the reply is out; nothing learned yet
    expect(env.s.answers.asks.choiceOf(reply.askId)).toBeNull();
    expect(env.s.gaps.gapOfAsk(reply.askId)).not.toBeNull();
    await env.s.answers.settled();
    expect(env.s.answers.asks.choiceOf(reply.askId)).toBe(socialEntry);
    expect(env.s.gaps.gapOfAsk(reply.askId)).toBeNull();
    expect(env.s.answers.phrasings.list().items).toEqual([expect.objectContaining({ entryId: socialEntry, question: NEW_PHRASING, choiceCount: 1 })]);
  });

  it('what a reply showed is what it logged as shown, not a rule re-applied to rounded scores', async () => {
    const [shownEntry, notShown] = [env.ids[1], env.ids[2]];
    // decide() showed one suggestion; the runner-up scored 0.1996, under the suggest score, logged rounded to 0.2
    const ask = env.s.answers.asks.record({
      channel: 'api', audience: 'all', region: null, sessionId: null, question: NEW_PHRASING, outcome: 'suggest', entryId: null, score: 0.3,
      results: [{ entryId: shownEntry, score: 0.3, shown: true }, { entryId: notShown, score: 0.2 }], latencyMs: 1,
    });
    await env.ask(ENTRIES[2].question, { pick: notShown, fromAskId: ask.id });
    expect(env.s.answers.asks.choiceOf(ask.id)).toBeNull();
    expect(env.s.answers.phrasings.list().total).toBe(0);
    await env.ask(ENTRIES[1].question, { pick: shownEntry, fromAskId: ask.id });
    expect(env.s.answers.asks.choiceOf(ask.id)).toBe(shownEntry);
  });

  it('a reply logs the suggestions it showed', async () => {
    const reply = await env.ask(NEW_PHRASING);
    const logged = env.s.answers.asks.get(reply.askId)!.results.filter((r) => r.shown).map((r) => r.entryId);
    expect(logged).toEqual(reply.suggestions.map((x: { unitId: number }) => x.unitId));
  });

  it('a choice not offered on that reply teaches nothing', async () => {
    const reply = await env.ask(NEW_PHRASING);
    const offered = new Set(reply.suggestions.map((x: { unitId: number }) => x.unitId));
    const other = env.ids.find((id) => !offered.has(id))!;
    await env.ask(ENTRIES[env.ids.indexOf(other)].question, { pick: other, fromAskId: reply.askId });
    expect((await request(env.app).get('/api/v1/admin/phrasings').set(env.editor).expect(200)).body.total).toBe(0);
    expect(env.s.gaps.gapOfAsk(reply.askId)).not.toBeNull();
  });

  it('转人工 outside working hours does not repeat the 12345 line the no-answer message gave', async () => {
    env.clock.set('2026-07-01T20:00:00+08:00');
    const late = await env.ask('上海迪士尼门票多少钱');
    expect(late.outcome).toBe('no_answer');
    expect(late.message).toContain('12345');
    expect(late.handoff.offered).toBe(false);
    env.clock.set('2026-07-01T10:30:00+08:00');
    const day = await env.ask('外滩灯光秀几点开始');
    expect(day.handoff).toMatchObject({ offered: true, channel: 'online_agent' });
  });

  it('an answer from a policy not yet in force says from when it applies', async () => {
    const e = env.s.kb.entries.create({
      category: 'policy', question: '新能源汽车充电补贴标准是多少？', similarQuestions: ['充电补贴给多少钱'],
      answer: '个人充电设施按每千瓦时 0.2 元给予补贴。', effectiveFrom: '2027-01-01',
    }, 'test');
    env.s.kb.entries.publish(e.id, 'test');
    await env.s.engine.sync();
    const reply = await env.ask('新能源汽车充电补贴标准是多少');
    expect(reply.answer.entryId).toBe(e.id);
    expect(reply.answer.notice).toBe('本政策自2027年1月1日起施行。');
    const current = await env.ask('居住证怎么办理');
    expect(current.answer.notice).toBeUndefined();
  });

  it('gap cards mark 涉企优先 by what is asked, not by the widget it was asked from', async () => {
    // what the widget sends: the portal's default audience, not a declaration by the asker
    const passport = await env.ask('护照过期了怎么换', { portalAudience: 'enterprise' });
    const licence = await env.ask('营业执照丢了怎么补', { portalAudience: 'individual' });
    const p = (await request(env.app).get(`/api/v1/admin/gaps/${env.s.gaps.gapOfAsk(passport.askId)!.id}`).set(env.editor).expect(200)).body;
    const l = (await request(env.app).get(`/api/v1/admin/gaps/${env.s.gaps.gapOfAsk(licence.askId)!.id}`).set(env.editor).expect(200)).body;
    expect([p.priority, p.suggestedAudience]).toEqual([2, 'all']);
    expect([l.priority, l.suggestedAudience]).toEqual([1, 'enterprise']);
  });
});
