import { onTestFinished, describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { SteppingClock } from './helpers/clock.js';
import { SERVICE_ENTRIES } from './helpers/small-kb.js';
import { QuestionFeaturizer, questionSimilarity, sameGap } from '../server/ops/gap-similarity.js';
import { readSynonymsFile } from '../server/search/synonyms.js';
import { servicesFor } from './helpers/services.js';
import { GapService } from '../server/ops/gaps.js';
import { mergeSimilarGaps } from '../server/commands/mergeSimilarGaps.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';


/** Published entries on other subjects: the questions below are not answered by them. */
const ENTRIES = SERVICE_ENTRIES;

async function setup(start = '2026-07-01T10:00:00+08:00', dir?: string) {
  const clock = new SteppingClock(start);
  const s = await servicesFor([], { clock, dir });
  const ids = ENTRIES.map((e) => s.kb.entries.publish(s.kb.entries.create(e, 'test').id, 'test').id);
  await s.engine.sync();
  const app = createApp(s);
  const token = (name: string, role: 'editor' | 'reviewer' | 'agent' | 'admin') => ({ Authorization: `Bearer ${s.tokens.create(name, role, 'test').token}` });
  const ask = async (question: string, more: object = {}, at?: string) => {
    if (at) clock.set(at);
    const res = await request(app).post('/api/v1/answer').send({ question, ...more }).expect(200);
    await s.answers.settled(); // the gap queue gathers the ask right after the reply
    return res.body as { askId: string; outcome: string; answer: { entryId: number } | null };
  };
  return { s, app, clock, ids, ask, editor: token('张编辑', 'editor'), reviewer: token('王审核', 'reviewer'), agent: token('李坐席', 'agent') };
}

type Env = Awaited<ReturnType<typeof setup>>;

describe('gap queue (查遗补缺)', () => {
  let env: Env;
  beforeEach(async () => {
    env = await setup();
  });
  afterEach(() => env.s.cleanup());

  const gapOf = (askId: string) => env.s.gaps.gapOfAsk(askId)!;
  const list = (query: object = {}) => request(env.app).get('/api/v1/admin/gaps').query(query).set(env.editor);

  describe('clustering', () => {
    it('puts paraphrases in one gap and different questions apart (engine concepts with synonyms + embeddings)', async () => {
      const featurizer = new QuestionFeaturizer(env.s.engine);
      const pairs: Array<[string, string, boolean]> = [
        ['营业执照丢了怎么补', '执照遗失补办', true],
        ['营业执照丢了怎么补', '营业执照遗失了如何补领？', true],
        ['公积金怎么提取', '如何提取住房公积金', true],
        ['营业执照怎么补办', '营业执照丢了怎么补', true],
        ['你好，营业执照丢了怎么补', '营业执照丢了怎么补，谢谢', true],
        ['营业执照丢了怎么补', '公积金怎么提取', false],
        ['营业执照丢了怎么补', '营业执照怎么注销', false],
        ['社保卡丢了怎么补办', '营业执照丢了怎么补', false],
        ['公积金怎么提取', '公积金怎么缴存', false],
        ['企业开办需要哪些材料', '企业注销需要哪些材料', false],
        ['居住证过期了怎么办', '护照过期了怎么办', false],
        ['营业执照怎么补办', '营业执照有补贴吗', false], // 补 = 补办 is a synonym, 补贴 is another word
      ];
      const f = await featurizer.featuresOf(pairs.flat().filter((x): x is string => typeof x === 'string'));
      for (const [a, b, same] of pairs) {
        expect(sameGap(f.get(a)!, f.get(b)!), `${a} / ${b}: ${questionSimilarity(f.get(a)!, f.get(b)!).toFixed(3)}`).toBe(same);
      }
    });

    it('gathers similar unanswered asks in one open gap, counting asks, channels and enterprise vs individual', async () => {
      const a = await env.ask('营业执照丢了怎么补', { channel: 'pc', audience: 'enterprise' }, '2026-07-01T10:00:00+08:00');
      const b = await env.ask('执照遗失补办', { channel: 'mobile', audience: 'individual' }, '2026-07-02T15:00:00+08:00');
      const c = await env.ask('营业执照丢了怎么补？', { channel: 'pc' }, '2026-07-02T16:00:00+08:00');
      const other = await env.ask('公积金怎么提取', { channel: 'app' });
      for (const x of [a, b, c, other]) expect(x.outcome).toBe('no_answer');

      const gap = gapOf(a.askId);
      expect(gapOf(b.askId).id).toBe(gap.id);
      expect(gapOf(c.askId).id).toBe(gap.id);
      expect(gapOf(other.askId).id).not.toBe(gap.id);

      const res = await request(env.app).get(`/api/v1/admin/gaps/${gap.id}`).set(env.editor).expect(200);
      expect(res.body).toMatchObject({
        status: 'open', question: '营业执照丢了怎么补', askCount: 3, enterpriseCount: 2, individualCount: 1, channels: { pc: 2, mobile: 1 },
        firstAskedAt: '2026-07-01T02:00:00.000Z', lastAskedAt: '2026-07-02T08:00:00.000Z', reasons: { no_answer: 3, unresolved: 0 },
      });
      expect(res.body.questions).toEqual([
        { question: '营业执照丢了怎么补', count: 2, lastAskedAt: '2026-07-02T08:00:00.000Z' },
        { question: '执照遗失补办', count: 1, lastAskedAt: '2026-07-02T07:00:00.000Z' },
      ]);
      expect(res.body.asks.map((x: { askId: string }) => x.askId)).toEqual([a.askId, b.askId, c.askId]);
    });

    it('never counts the same ask twice', async () => {
      const a = await env.ask('营业执照丢了怎么补');
      const ask = env.s.answers.asks.get(a.askId)!;
      await env.s.gaps.recordAsk(ask, 'no_answer');
      await env.s.gaps.recordAsk(ask, 'unresolved');
      expect(gapOf(a.askId).askCount).toBe(1);
    });

    it('an answered ask with 未解决 feedback opens a gap (reason unresolved); 已解决 does not', async () => {
      const answered = await env.ask('居住证怎么办理', { audience: 'individual', channel: 'miniprogram' });
      expect(answered.outcome).toBe('answered');
      const fine = await env.ask('12345是什么热线');
      await request(env.app).post('/api/v1/feedback').send({ askId: fine.askId, resolved: true }).expect(204);
      expect(env.s.gaps.gapOfAsk(fine.askId)).toBeNull();

      await request(env.app).post('/api/v1/feedback').send({ askId: answered.askId, resolved: false, reason: '没说要带什么材料' }).expect(204);
      await request(env.app).post('/api/v1/feedback').send({ askId: answered.askId, resolved: false }).expect(204);
      await env.s.answers.settled(); // the gap queue gathers it right after the reply
      const gap = gapOf(answered.askId);
      const res = await request(env.app).get(`/api/v1/admin/gaps/${gap.id}`).set(env.editor).expect(200);
      expect(res.body).toMatchObject({ question: '居住证怎么办理', askCount: 1, individualCount: 1, channels: { miniprogram: 1 }, reasons: { unresolved: 1, no_answer: 0 } });
      expect(res.body.asks[0]).toMatchObject({ askId: answered.askId, reason: 'unresolved' });
    });

    it('未解决 is gathered into the gap queue after the reply to it, like an unanswered ask', async () => {
      const answered = await env.ask('居住证怎么办理');
      expect(answered.outcome).toBe('answered');
      await env.s.answers.feedback(answered.askId, false, '没说要带什么材料');
      expect(env.s.gaps.gapOfAsk(answered.askId)).toBeNull(); // the citizen's request did not wait for it
      await env.s.answers.settled();
      expect(gapOf(answered.askId)).toMatchObject({ askCount: 1 });
      expect(env.s.kb.gaps.reasonCounts(gapOf(answered.askId).id)).toEqual({ no_answer: 0, unresolved: 1 });
    });

    it('shows masked questions only', async () => {
      const a = await env.ask('我手机13812345678，营业执照丢了怎么补');
      const res = await request(env.app).get(`/api/v1/admin/gaps/${gapOf(a.askId).id}`).set(env.editor).expect(200);
      expect(JSON.stringify(res.body)).not.toContain('13812345678');
      expect(res.body.question).toContain('[手机号]');
    });
  });

  describe('due dates (5 working days after the first ask)', () => {
    it('skips the weekend, on the Shanghai calendar date', async () => {
      // Friday 2026-07-03, 01:30 in Shanghai (still Thursday in UTC): Mon 6 … Fri 10.
      const a = await env.ask('营业执照丢了怎么补', {}, '2026-07-03T01:30:00+08:00');
      expect(gapOf(a.askId).dueDate).toBe('2026-07-10');
      // A later ask joins without moving the deadline.
      const b = await env.ask('执照遗失补办', {}, '2026-07-08T09:00:00+08:00');
      expect(gapOf(b.askId)).toMatchObject({ id: gapOf(a.askId).id, dueDate: '2026-07-10' });
    });

    it('skips the 2026 Spring Festival holiday and counts its 调休 Saturday', async () => {
      const cal = env.s.calendar;
      expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday, worked
      for (const d of ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-20', '2026-02-23']) expect(cal.isWorkingDay(d), d).toBe(false);
      // Thursday 12th: Fri 13 (1), Sat 14 调休 (2), 15–23 off, Tue 24 (3), Wed 25 (4), Thu 26 (5).
      const a = await env.ask('营业执照丢了怎么补', {}, '2026-02-12T10:00:00+08:00');
      expect(gapOf(a.askId).dueDate).toBe('2026-02-26');
      env.clock.set('2026-02-14T10:00:00+08:00');
      const onSaturday = await list({ state: 'open' }).expect(200);
      expect(onSaturday.body.items[0]).toMatchObject({ dueDate: '2026-02-26', workingDaysLeft: 3, dueSoon: false, overdue: false });
      env.clock.set('2026-02-23T10:00:00+08:00'); // last day off: one working day (Tue 24) … three left
      expect((await list().expect(200)).body.items[0].workingDaysLeft).toBe(3);
      env.clock.set('2026-02-25T10:00:00+08:00');
      expect((await list({ due: 'soon' }).expect(200)).body.items.map((g: { id: number }) => g.id)).toEqual([gapOf(a.askId).id]);
    });

    it('lists gaps due soon (≤ 1 working day left) and overdue, and the SLA job counts them', async () => {
      const a = await env.ask('营业执照丢了怎么补', {}, '2026-07-01T10:00:00+08:00'); // due Wed 07-08
      const b = await env.ask('公积金怎么提取', {}, '2026-07-06T10:00:00+08:00'); // due Mon 07-13
      const c = await env.ask('上海迪士尼门票多少钱', {}, '2026-07-08T10:00:00+08:00'); // due Wed 07-15
      const [ga, gb, gc] = [a, b, c].map((x) => gapOf(x.askId));
      expect([ga.dueDate, gb.dueDate, gc.dueDate]).toEqual(['2026-07-08', '2026-07-13', '2026-07-15']);

      env.clock.set('2026-07-10T09:00:00+08:00'); // Friday
      const overdue = await list({ due: 'overdue' }).expect(200);
      expect(overdue.body.items.map((g: { id: number }) => g.id)).toEqual([ga.id]);
      expect(overdue.body.items[0]).toMatchObject({ overdue: true, dueSoon: false, workingDaysLeft: -2 });
      const soon = await list({ due: 'soon' }).expect(200);
      expect(soon.body.items.map((g: { id: number }) => g.id)).toEqual([gb.id]);
      expect(soon.body.items[0]).toMatchObject({ overdue: false, dueSoon: true, workingDaysLeft: 1 });
      const all = await list({ state: 'open' }).expect(200);
      expect(all.body).toMatchObject({ today: '2026-07-10', total: 3 });
      expect(all.body.items.find((g: { id: number }) => g.id === gc.id)).toMatchObject({ workingDaysLeft: 3, dueSoon: false, overdue: false });

      expect(env.s.gaps.checkSla(new Date('2026-07-10T09:00:00+08:00'))).toEqual({
        today: '2026-07-10', open: 3, dueSoon: 1, overdue: 1, overdueIds: [ga.id], dueSoonIds: [gb.id],
      });
      // Idempotent, and a dismissed gap is no longer counted.
      await request(env.app).post(`/api/v1/admin/gaps/${ga.id}/dismiss`).set(env.editor).send({ reason: '不属于帮办范围' }).expect(200);
      expect(env.s.gaps.checkSla(new Date('2026-07-10T09:00:00+08:00'))).toMatchObject({ open: 2, overdue: 0, dueSoon: 1 });
      expect(env.s.gaps.checkSla(new Date('2026-07-10T09:00:00+08:00'))).toMatchObject({ open: 2, overdue: 0, dueSoon: 1 });
    });
  });

  describe('priority (enterprise 办事 / 求助 / 热点政策 first)', () => {
    it('takes the audience from the question and the asker’s declaration, never from the widget’s portal default', async () => {
      // an enterprise portal's widget sends its default as portalAudience: 护照 is still nobody's enterprise question
      const passport = await env.ask('护照过期了怎么办', { portalAudience: 'enterprise', channel: 'pc' });
      const g1 = (await request(env.app).get(`/api/v1/admin/gaps/${gapOf(passport.askId).id}`).set(env.editor).expect(200)).body;
      expect(g1).toMatchObject({ priority: 2, enterpriseCount: 0, individualCount: 0, suggestedAudience: 'all' });
      expect(env.s.kb.db.prepare('SELECT audience FROM asks WHERE id = ?').get(passport.askId)).toEqual({ audience: 'all' });
      // the integrator (or a citizen who chose 个人) declares the audience explicitly
      const declared = await env.ask('护照过期了怎么办？', { audience: 'individual' });
      expect(gapOf(declared.askId).id).toBe(g1.id);
      const g1b = (await request(env.app).get(`/api/v1/admin/gaps/${g1.id}`).set(env.editor).expect(200)).body;
      expect(g1b).toMatchObject({ priority: 2, enterpriseCount: 0, individualCount: 1, suggestedAudience: 'individual' });
      // the question's words make it an enterprise's, whatever portal it came from
      const company = await env.ask('公司营业执照年报怎么办理', { portalAudience: 'individual' });
      const g2 = (await request(env.app).get(`/api/v1/admin/gaps/${gapOf(company.askId).id}`).set(env.editor).expect(200)).body;
      expect(g2).toMatchObject({ priority: 1, enterpriseCount: 1, suggestedAudience: 'enterprise' });
      // a declared enterprise asking about a subsidy is an enterprise 热点政策 question
      const subsidy = await env.ask('稳岗补贴怎么申请', { audience: 'enterprise' });
      expect((await request(env.app).get(`/api/v1/admin/gaps/${gapOf(subsidy.askId).id}`).set(env.editor).expect(200)).body).toMatchObject({ priority: 1, enterpriseCount: 1, suggestedAudience: 'enterprise' });
    });

    it('orders by priority, then due date (overdue first), then ask count', async () => {
      const personal = await env.ask('公积金怎么提取', { audience: 'individual' }, '2026-07-01T10:00:00+08:00');
      const enterprise = await env.ask('营业执照丢了怎么补', { audience: 'enterprise' }, '2026-07-03T10:00:00+08:00');
      const subsidy = await env.ask('企业怎么申请稳岗补贴', {}, '2026-07-06T10:00:00+08:00'); // says it is an enterprise
      const quiet = await env.ask('上海迪士尼门票多少钱', {}, '2026-07-06T11:00:00+08:00');
      const busy = await env.ask('外滩灯光秀几点开始', {}, '2026-07-06T12:00:00+08:00');
      await env.ask('外滩灯光秀几点开始？', {}, '2026-07-06T13:00:00+08:00');
      const [p, e, sub, q, b] = [personal, enterprise, subsidy, quiet, busy].map((x) => gapOf(x.askId));
      expect([p, e, sub, q, b].map((g) => g.priority)).toEqual([2, 1, 1, 2, 2]);

      env.clock.set('2026-07-09T10:00:00+08:00'); // the personal gap (due 07-08) is overdue
      const res = await list({ state: 'open' }).expect(200);
      expect(res.body.items.map((g: { id: number }) => g.id)).toEqual([e.id, sub.id, p.id, b.id, q.id]);
      expect(res.body.items[2]).toMatchObject({ overdue: true });
    });
  });

  describe('filling', () => {
    it('in a one-person office (KB_SINGLE_PERSON=1) the editor fills with a new published entry: the gap is filled and its questions are answered from then on', async () => {
      process.env.KB_SINGLE_PERSON = '1';
      onTestFinished(() => void delete process.env.KB_SINGLE_PERSON);
      const a = await env.ask('营业执照丢了怎么补', { audience: 'enterprise' }, '2026-07-01T10:00:00+08:00');
      await env.ask('执照遗失补办', {}, '2026-07-01T11:00:00+08:00');
      const gap = gapOf(a.askId);
      env.clock.set('2026-07-06T10:00:00+08:00');
      const res = await request(env.app)
        .post(`/api/v1/admin/gaps/${gap.id}/fill`)
        .set(env.editor)
        .send({ entry: { category: 'guide', answer: '登录“一网通办”搜索“营业执照补领”，在线申请补领。', audience: 'enterprise', keywords: ['营业执照'] }, publish: true })
        .expect(200);
      expect(res.body.gap).toMatchObject({ status: 'filled', fillMode: 'new_entry', entryId: res.body.entry.id, resolvedBy: '张编辑', resolvedAt: '2026-07-06T02:00:00.000Z', filledOnTime: true });
      expect(res.body.entry).toMatchObject({ status: 'published', origin: 'gap-fill', question: '营业执照丢了怎么补', similarQuestions: ['执照遗失补办'], gapId: gap.id, askId: a.askId });

      for (const q of ['营业执照丢了怎么补', '执照遗失补办']) {
        const again = await env.ask(q, { audience: 'enterprise' });
        expect(again.outcome, q).toBe('answered');
        expect(again.answer!.entryId).toBe(res.body.entry.id);
      }
      const filled = await list({ state: 'filled' }).expect(200);
      expect(filled.body.items.map((g: { id: number }) => g.id)).toEqual([gap.id]);
      expect((await list({ state: 'open' }).expect(200)).body.total).toBe(0);
    });

    it('a draft fill fills the gap when it is published, with the questions asked meanwhile', async () => {
      const a = await env.ask('营业执照丢了怎么补', {}, '2026-07-01T10:00:00+08:00');
      const gap = gapOf(a.askId);
      const draft = await request(env.app)
        .post(`/api/v1/admin/gaps/${gap.id}/fill`)
        .set(env.editor)
        .send({ entry: { category: 'guide', question: '营业执照遗失了怎么补办？', answer: '在线申请补领。' } })
        .expect(200);
      expect(draft.body.entry).toMatchObject({ status: 'draft', similarQuestions: ['营业执照丢了怎么补'] });
      expect(draft.body.gap).toMatchObject({ status: 'open', entryId: draft.body.entry.id });
      // A second fill while the draft waits is a conflict.
      await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.editor).send({ entry: { category: 'guide', answer: 'x' } }).expect(409);

      const meanwhile = await env.ask('执照遗失补办', {}, '2026-07-02T10:00:00+08:00');
      expect(gapOf(meanwhile.askId).id).toBe(gap.id);
      env.clock.set('2026-07-10T10:00:00+08:00'); // after the due date (07-08)
      const published = await request(env.app).post(`/api/v1/admin/entries/${draft.body.entry.id}/publish`).set(env.reviewer).send({ version: draft.body.entry.version }).expect(200);
      expect(published.body.similarQuestions).toEqual(['营业执照丢了怎么补', '执照遗失补办']);
      const after = await request(env.app).get(`/api/v1/admin/gaps/${gap.id}`).set(env.editor).expect(200);
      expect(after.body).toMatchObject({ status: 'filled', resolvedBy: '王审核', resolvedAt: '2026-07-10T02:00:00.000Z', filledOnTime: false });
      expect((await env.ask('执照遗失补办')).answer?.entryId).toBe(draft.body.entry.id);
    });

    it('a reviewer cannot publish text they wrote', async () => {
      const a = await env.ask('营业执照丢了怎么补', {}, '2026-07-01T10:00:00+08:00');
      const gap = gapOf(a.askId);
      const url = `/api/v1/admin/gaps/${gap.id}/fill`;
      const entry = { category: 'guide', answer: '审核员自己写的答复。' };
      const published = await request(env.app).post(url).set(env.reviewer).send({ entry, publish: true }).expect(403);
      expect(published.body.message).toContain('审核角色无权编写条目');
      await request(env.app).post(url).set(env.reviewer).send({ entry }).expect(403); // not even as a draft
      // an editor may not publish their own fill either (outside a one-person office): it is refused, not silently kept as a draft
      const own = await request(env.app).post(url).set(env.editor).send({ entry, publish: true }).expect(403);
      expect(own.body.message).toContain('编辑角色无权发布');
      expect(env.s.kb.entries.list().items.filter((e) => e.origin === 'gap-fill')).toHaveLength(0);
      expect((await env.ask('营业执照丢了怎么补')).outcome).not.toBe('answered');
      expect(env.s.gaps.require(gap.id).status).toBe('open');
    });

    it('a fill draft published by importing a sheet (publish=true) fills its gap too', async () => {
      const a = await env.ask('营业执照丢了怎么补', {}, '2026-07-01T10:00:00+08:00');
      const gap = gapOf(a.askId);
      const draft = await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.editor)
        .send({ entry: { category: 'guide', question: '营业执照遗失了怎么补办？', answer: '在线申请补领。' } }).expect(200);
      const admin = { Authorization: `Bearer ${env.s.tokens.create('李管理', 'admin', 'test').token}` };
      const csv = '问题,答案,分类\r\n营业执照遗失了怎么补办？,在线申请补领。,网上办事指引\r\n';
      const out = await request(env.app).post(`/api/v1/admin/documents/import?name=${encodeURIComponent('补缺.csv')}&publish=true`).set(admin)
        .set('Content-Type', 'application/octet-stream').send(Buffer.from(csv, 'utf8')).expect(201);
      expect(out.body.published).toBe(1);
      expect(env.s.kb.entries.get(draft.body.entry.id)!.status).toBe('published');
      expect(env.s.gaps.require(gap.id)).toMatchObject({ status: 'filled', entryId: draft.body.entry.id });
    });

    it('fills by linking a published entry, whose similar questions gain the gap’s questions in a new version', async () => {
      const a = await env.ask('外地人来上海工作要办什么证', { audience: 'individual' });
      expect(['no_answer', 'suggest']).toContain(a.outcome); // not answered with confidence: it opens a gap
      const gap = gapOf(a.askId);
      const target = env.ids[0]; // 居住证怎么办理？
      const res = await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.reviewer).send({ entryId: target }).expect(200);
      expect(res.body.gap).toMatchObject({ status: 'filled', fillMode: 'linked', entryId: target, resolvedBy: '王审核' });
      expect(res.body.entry.similarQuestions).toEqual(['怎么申请居住证', '外地人来上海工作要办什么证']);
      const history = env.s.kb.entries.history(target);
      expect(history.at(-1)).toMatchObject({ action: 'update', changedBy: '王审核', reason: `查遗补缺：并入缺口 ${gap.id} 的问法` });
      const again = await env.ask('外地人来上海工作要办什么证', { audience: 'individual' });
      expect(again).toMatchObject({ outcome: 'answered', answer: { entryId: target } });
    });

    it('an editor linking a published entry: the gap is filled, the new phrasing waits for a reviewer', async () => {
      const a = await env.ask('外地人来上海工作要办什么证', { audience: 'individual' });
      const gap = gapOf(a.askId);
      const target = env.ids[0]; // 居住证怎么办理？
      const res = await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.editor).send({ entryId: target }).expect(200);
      expect(res.body).toMatchObject({ gap: { status: 'filled', fillMode: 'linked' }, waitingForReview: true });
      expect(env.s.kb.entries.require(target).similarQuestions).toEqual(['怎么申请居住证']); // published text unchanged
      expect(env.s.kb.revisions.pending(target)!.changes.similarQuestions).toContain('外地人来上海工作要办什么证');
    });

    it('a pending revision whose field was changed live meanwhile is not approved over that change', async () => {
      const target = env.ids[0];
      const v = env.s.kb.entries.require(target).version;
      // an editor proposes other similar questions, then a reviewer links a gap to the entry (live)
      await request(env.app).patch(`/api/v1/admin/entries/${target}`).set(env.editor).send({ similarQuestions: ['居住证在哪办'], version: v }).expect(200);
      const a = await env.ask('外地人来上海工作要办什么证', { audience: 'individual' });
      await request(env.app).post(`/api/v1/admin/gaps/${gapOf(a.askId).id}/fill`).set(env.reviewer).send({ entryId: target }).expect(200);
      const linked = env.s.kb.entries.require(target);
      expect(linked.similarQuestions).toContain('外地人来上海工作要办什么证');
      const refused = await request(env.app).post(`/api/v1/admin/entries/${target}/revision/approve`).set(env.reviewer).send({ version: linked.version }).expect(409);
      expect(refused.body.message).toContain('已被直接改过');
      expect(env.s.kb.entries.require(target).similarQuestions).toContain('外地人来上海工作要办什么证'); // nothing lost
      // a revision of another field still applies on top of the live change
      await request(env.app).post(`/api/v1/admin/entries/${target}/revision/reject`).set(env.reviewer).send({ version: linked.version, reason: '已由缺口并入' }).expect(200);
      const now = env.s.kb.entries.require(target);
      await request(env.app).patch(`/api/v1/admin/entries/${target}`).set(env.editor).send({ answer: '在“随申办”申领居住证，可预约窗口领取。', version: now.version }).expect(200);
      const pendingV = env.s.kb.entries.require(target).version;
      await request(env.app).post(`/api/v1/admin/entries/${target}/revision/approve`).set(env.reviewer).send({ version: pendingV }).expect(200);
      expect(env.s.kb.entries.require(target)).toMatchObject({ answer: '在“随申办”申领居住证，可预约窗口领取。', similarQuestions: expect.arrayContaining(['外地人来上海工作要办什么证']) });
    });

    it('refuses to link a draft (409) or an unknown entry (404)', async () => {
      const a = await env.ask('营业执照丢了怎么补');
      const gap = gapOf(a.askId);
      const draft = env.s.kb.entries.create({ category: 'faq', question: '草稿', answer: '草稿' }, 'test');
      const conflict = await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.editor).send({ entryId: draft.id }).expect(409);
      expect(conflict.body.message).toContain('未发布');
      await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.editor).send({ entryId: 99999 }).expect(404);
      expect(env.s.gaps.get(gap.id)!.status).toBe('open');
    });

    it('dismisses with a reason; a closed gap can be neither filled nor dismissed again (409)', async () => {
      const a = await env.ask('上海迪士尼门票多少钱');
      const gap = gapOf(a.askId);
      const missing = await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/dismiss`).set(env.editor).send({}).expect(400);
      expect(missing.body).toMatchObject({ field: 'reason' });
      await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/dismiss`).set(env.editor).send({ reason: '  ' }).expect(400);
      const res = await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/dismiss`).set(env.editor).send({ reason: '不属于政务服务范围' }).expect(200);
      expect(res.body).toMatchObject({ status: 'dismissed', dismissReason: '不属于政务服务范围', resolvedBy: '张编辑' });
      await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/dismiss`).set(env.editor).send({ reason: '再驳回' }).expect(409);
      await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/fill`).set(env.editor).send({ entry: { category: 'faq', answer: 'x' } }).expect(409);
      expect((await list({ state: 'dismissed' }).expect(200)).body.items[0]).toMatchObject({ id: gap.id, workingDaysLeft: null, overdue: false });
      // A new ask of the same question is counted on the dismissed gap, not opened again (issue 12).
      const again = await env.ask('上海迪士尼门票多少钱');
      expect(gapOf(again.askId)).toMatchObject({ id: gap.id, status: 'dismissed' });
    });
  });

  describe('bad requests and roles', () => {
    it('answers 400 naming the field, 404 for unknown gaps, 401 / 403 by role', async () => {
      const a = await env.ask('营业执照丢了怎么补');
      const gap = gapOf(a.askId);
      const url = `/api/v1/admin/gaps/${gap.id}/fill`;
      expect((await list({ state: 'closed' }).expect(400)).body.field).toBe('state');
      expect((await list({ due: 'tomorrow' }).expect(400)).body.field).toBe('due');
      expect((await list({ page: '2' }).expect(400)).body.field).toBe('page');
      expect((await request(env.app).post(url).set(env.editor).send({}).expect(400)).body.field).toBe('entry');
      expect((await request(env.app).post(url).set(env.editor).send({ entryId: env.ids[0], entry: { category: 'faq', answer: 'x' } }).expect(400)).body.field).toBe('entry');
      expect((await request(env.app).post(url).set(env.editor).send({ entry: { answer: 'x' } }).expect(400)).body.field).toBe('entry.category');
      expect((await request(env.app).post(url).set(env.editor).send({ entry: { category: 'faq', answer: ' ' } }).expect(400)).body.field).toBe('entry.answer');
      expect((await request(env.app).post(url).set(env.editor).send({ entry: { category: 'faq', answer: 'x', origin: 'ingest' } }).expect(400)).body.field).toBe('entry.origin');
      expect((await request(env.app).post(url).set(env.editor).send({ entryId: 'one' }).expect(400)).body.field).toBe('entryId');
      expect((await request(env.app).post(url).set(env.editor).send({ entryId: env.ids[0], publish: true }).expect(400)).body.field).toBe('publish');
      expect((await request(env.app).get('/api/v1/admin/gaps/abc').set(env.editor).expect(400)).body.field).toBe('id');

      for (const [method, path] of [['get', '/api/v1/admin/gaps/99999'], ['post', '/api/v1/admin/gaps/99999/fill'], ['post', '/api/v1/admin/gaps/99999/dismiss']] as const) {
        const body = path.endsWith('fill') ? { entry: { category: 'faq', answer: 'x' } } : { reason: '重复' };
        const res = await request(env.app)[method](path).set(env.editor).send(body).expect(404);
        expect(res.body.message).toContain('99999');
      }

      await request(env.app).get('/api/v1/admin/gaps').expect(401);
      await request(env.app).get('/api/v1/admin/gaps').set(env.agent).expect(403);
      await request(env.app).post(url).set(env.agent).send({ entry: { category: 'faq', answer: 'x' } }).expect(403);
      await request(env.app).post(`/api/v1/admin/gaps/${gap.id}/dismiss`).set(env.agent).send({ reason: 'x' }).expect(403);
      await list().set(env.reviewer).expect(200);
      expect(env.s.gaps.get(gap.id)!.status).toBe('open');
    });
  });
});

describe('gap clustering job', () => {
  let env: Env;
  let dir: string;
  beforeEach(async () => {
    // A data directory whose synonyms do not yet know 执照 = 营业执照, 丢了 = 遗失, 补 = 补办.
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'synonyms.txt'), '公司 ↔ 企业\n');
    env = await setup('2026-07-01T10:00:00+08:00', dir);
  });
  afterEach(() => env.s.cleanup());

  it('merges open gaps that turn out to ask the same thing into the older one, once', async () => {
    const first = await env.ask('营业执照丢了怎么补', { channel: 'pc', audience: 'enterprise' }, '2026-07-01T10:00:00+08:00');
    const second = await env.ask('执照遗失补办', { channel: 'mobile' }, '2026-07-03T10:00:00+08:00');
    const other = await env.ask('公积金怎么提取', {}, '2026-07-03T11:00:00+08:00');
    const [older, younger, unrelated] = [first, second, other].map((x) => env.s.gaps.gapOfAsk(x.askId)!);
    expect(new Set([older.id, younger.id, unrelated.id]).size).toBe(3);
    expect(await mergeSimilarGaps(env.s)).toMatchObject({ merged: 0, open: 3 });

    // An agent's draft for the younger gap follows the merge.
    const draft = await request(env.app).post('/api/v1/agent/answers').set(env.agent).send({ question: '执照遗失补办', answer: '在线申请补领。', askId: second.askId }).expect(201);
    expect(draft.body.gapId).toBe(younger.id);

    const groups = readSynonymsFile(path.join(REPO_ROOT, 'kb-data', 'synonyms.txt'));
    await request(env.app).put('/api/v1/admin/synonyms').set(env.editor).send({ groups }).expect(200);
    expect(await mergeSimilarGaps(env.s)).toEqual({ open: 2, merged: 1, merges: [{ from: younger.id, into: older.id }] });
    expect(await mergeSimilarGaps(env.s)).toMatchObject({ merged: 0, open: 2 });

    const merged = await request(env.app).get(`/api/v1/admin/gaps/${older.id}`).set(env.editor).expect(200);
    expect(merged.body).toMatchObject({
      askCount: 2, channels: { pc: 1, mobile: 1 }, enterpriseCount: 2, firstAskedAt: '2026-07-01T02:00:00.000Z', dueDate: '2026-07-08', priority: 1,
    });
    await request(env.app).get(`/api/v1/admin/gaps/${younger.id}`).set(env.editor).expect(404);
    expect(env.s.kb.entries.get(draft.body.id)!.gapId).toBe(older.id);
    expect(env.s.gaps.get(unrelated.id)!.askCount).toBe(1);
  });
});

describe('the open-gap index after asks leave the queue (a citizen picked a suggestion)', () => {
  let env: Env;
  beforeEach(async () => {
    env = await setup();
  });
  afterEach(() => env.s.cleanup());

  const logAsk = (question: string) => env.s.answers.asks.record({
    channel: 'api', audience: 'all', region: null, sessionId: null, question, outcome: 'no_answer', entryId: null, score: null, results: [], latencyMs: 1,
  });

  it('a withdrawn ask does not make the next ask rebuild the index', async () => {
    const reads: number[] = [];
    const store = env.s.kb.gaps;
    const between = store.openQuestionsBetween.bind(store);
    store.openQuestionsBetween = (after: number, upTo: number) => {
      reads.push(after);
      return between(after, upTo);
    };
    await env.s.gaps.recordAsk(logAsk('上海迪士尼门票多少钱'), 'no_answer');
    const picked = [logAsk('外滩灯光秀几点开始'), logAsk('东方明珠几点关门'), logAsk('豫园几点关门')];
    for (const ask of picked) await env.s.gaps.recordAsk(ask, 'no_answer'); // the index has read every row before the last
    // two citizens picked a suggestion: their asks, the newest rows, leave the queue
    env.s.gaps.withdrawAsk(picked[1].id);
    env.s.gaps.withdrawAsk(picked[2].id);
    reads.length = 0;
    await env.s.gaps.recordAsk(logAsk('城隍庙几点开门'), 'no_answer');
    expect(reads).toEqual([expect.any(Number)]);
    expect(reads[0]).toBeGreaterThan(0); // only the rows added since, not all of them again
  });

  it('an ask added after another process withdrew one is found by every process (no duplicate gap)', async () => {
    // two processes on one database: each has its own index
    const one = env.s.gaps;
    const two = new GapService(env.s.kb, env.s.engine, env.s.gaps.calendar);
    await one.recordAsk(logAsk('上海迪士尼门票多少钱'), 'no_answer');
    const b = logAsk('东方明珠门票多少钱');
    await two.recordAsk(b, 'no_answer');
    const x = logAsk('城隍庙几点开门');
    await one.recordAsk(x, 'no_answer'); // process one's index has now read the first two rows
    two.withdrawAsk(b.id);
    two.withdrawAsk(x.id);
    const c = await two.recordAsk(logAsk('外滩灯光秀几点开始'), 'no_answer');
    const d = await one.recordAsk(logAsk('外滩灯光秀几点开始'), 'no_answer');
    expect(d!.id).toBe(c!.id);
    expect(d!.askCount).toBe(2);
  });
});
