import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { fixedClock } from '../server/kb/clock.js';
import type { EntryInput } from '../server/kb/validate.js';
import { servicesFor } from './helpers/services.js';

// 2026-07-01 is a Wednesday: 10:00 in Shanghai is within the online agents' hours.
const WORKDAY_10AM = '2026-07-01T02:00:00Z';

const ENTRIES: EntryInput[] = [
  {
    category: 'guide', question: '营业执照遗失了怎么补办？', similarQuestions: ['执照丢了怎么补', '营业执照丢失补领'],
    answer: '登录“一网通办”，搜索“营业执照补领”，在线提交申请，审核通过后可领取新执照。', keywords: ['营业执照', '补领'], audience: 'enterprise',
  },
  {
    category: 'faq', question: '未能解答的咨询多久补充到知识库？', similarQuestions: ['没答上来的问题几天内补进知识库'],
    answer: '未能解答的咨询，应当在 **5个工作日内** 将答复口径补充到知识库。',
  },
  {
    category: 'glossary', question: '什么是一网通办？', similarQuestions: ['一网通办是什么意思'],
    answer: '“一网通办”是本市政务服务的总门户。企业可以办理营业执照、营业执照补办、营业执照变更、营业执照注销等事项，个人可以办理居住证等事项。' +
      '营业执照相关事项均可全程网办，营业执照补办也不例外。',
  },
  { category: 'hotline', question: '12345是什么热线？', similarQuestions: ['市民热线电话是多少'], answer: '12345 是上海市民服务热线，24 小时受理咨询。' },
  {
    category: 'guide', question: '居住证怎么办理？', similarQuestions: ['怎么申请居住证'], answer: '在“随申办”提交居住登记后申领居住证。',
    audience: 'individual', level: 'district', region: '示例区',
  },
  { category: 'guide', question: '社会保险缴费记录怎么查询？', similarQuestions: ['缴费记录在哪看'], answer: '在“随申办”搜索“社会保险缴费记录”即可查询。', keywords: ['社会保险'] },
  { category: 'guide', question: '企业开办需要哪些材料？', similarQuestions: ['开办企业要准备什么'], answer: '企业开办需要章程、股东身份证明等材料。' },
  { category: 'guide', question: '企业注销需要哪些材料？', similarQuestions: ['注销企业要准备什么'], answer: '企业注销需要清算报告、注销申请书等材料。' },
  { category: 'glossary', question: '免申即享是什么意思？', similarQuestions: ['什么叫免申即享'], answer: '符合条件的企业和个人无需申请，即可直接享受政策。' },
];

describe('answer API', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let ids: number[];
  let admin: string;
  let editor: string;
  let agent: string;
  let reviewer: string;

  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock(WORKDAY_10AM) });
    ids = ENTRIES.map((e) => {
      const created = s.kb.entries.create(e, 'test');
      return s.kb.entries.publish(created.id, 'test').id;
    });
    await s.engine.sync();
    // one client walks every route without a token: the failed-token limit has its own test (http-hardening)
    app = createApp(s, { tokenFailures: { limit: 1_000_000, windowMs: 60_000 } });
    admin = s.tokens.create('管理员', 'admin', 'test').token;
    editor = s.tokens.create('张三', 'editor', 'test').token;
    agent = s.tokens.create('李四', 'agent', 'test').token;
    reviewer = s.tokens.create('王五', 'reviewer', 'test').token;
  });
  afterAll(() => s.cleanup());

  const ask = (body: object) => request(app).post('/api/v1/answer').send(body);

  describe('outcomes', () => {
    it('answers a matching question with the entry, its sanitised HTML and its score', async () => {
      const res = await ask({ question: '营业执照丢了怎么补办？', channel: 'pc' }).expect(200);
      expect(res.body).toMatchObject({ outcome: 'answered', answer: { entryId: ids[0], category: 'guide' }, handoff: { offered: false } });
      expect(res.body.askId).toMatch(/^a_/);
      expect(res.body.answer.html).toContain('营业执照补领');
    });

    it('a question asked via a similar question wins over a long answer that merely mentions the words', async () => {
      const res = await ask({ question: '执照丢了怎么补' }).expect(200);
      expect(res.body.outcome).toBe('answered');
      expect(res.body.answer.entryId).toBe(ids[0]);
      const verbatim = await ask({ question: '未能解答的咨询多久补充到知识库' }).expect(200);
      expect(verbatim.body.answer.entryId).toBe(ids[1]);
      expect(verbatim.body.answer.html).toContain('<strong>5个工作日内</strong>');
    });

    it('offers 猜你想问 when two entries fit equally well', async () => {
      const res = await ask({ question: '企业需要哪些材料' }).expect(200);
      expect(res.body.outcome).toBe('suggest');
      expect(res.body.answer).toBeNull();
      expect(res.body.suggestions.map((x: { entryId: number }) => x.entryId).sort()).toEqual(expect.arrayContaining([ids[6], ids[7]]));
      expect(res.body.handoff.offered).toBe(true);
    });

    it('says it does not know, and offers 转人工, when nothing fits', async () => {
      const res = await ask({ question: '上海迪士尼门票多少钱' }).expect(200);
      expect(res.body).toMatchObject({ outcome: 'no_answer', answer: null, suggestions: [], handoff: { offered: true, channel: 'online_agent' } });
      expect(res.body.message).toContain('暂时没有');
    });

    it('routes complaints to 12345 and legal matters to courts, arbitration, reconsideration and legal aid', async () => {
      const complaint = await ask({ question: '我要投诉窗口工作人员态度差' }).expect(200);
      expect(complaint.body).toMatchObject({ outcome: 'out_of_scope', answer: null, route: { kind: 'complaint', channel: '12345' } });
      expect(complaint.body.message).toContain('12345');
      const legal = await ask({ question: '我想起诉我的老板拖欠工资' }).expect(200);
      expect(legal.body).toMatchObject({ outcome: 'out_of_scope', route: { kind: 'legal' } });
      expect(legal.body.message).toMatch(/法院.*仲裁.*行政复议.*法律援助/);
      const about = await ask({ question: '怎么给帮办服务打差评' }).expect(200);
      expect(about.body.outcome).not.toBe('out_of_scope');
    });
  });

  describe('filters', () => {
    it('audience is a preference, not a filter: an individual still finds the only entry, meant for enterprises', async () => {
      const res = await ask({ question: '营业执照遗失了怎么补办？', audience: 'individual' }).expect(200);
      expect(res.body.outcome).toBe('answered');
      expect(res.body.answer.entryId).toBe(ids[0]);
    });

    it('a district entry ranks first in its region and still answers, with less confidence, elsewhere', async () => {
      const here = await ask({ question: '居住证怎么办理', region: '示例区' }).expect(200);
      expect(here.body.answer.entryId).toBe(ids[4]);
      const elsewhere = await ask({ question: '居住证怎么办理', region: '黄浦区' }).expect(200);
      const shown = elsewhere.body.answer ?? elsewhere.body.suggestions[0];
      expect(shown.entryId).toBe(ids[4]);
      expect(shown.score).toBeLessThan(here.body.answer.score);
    });

    it('choosing a suggestion shows exactly that entry, whatever a new search would rank first', async () => {
      const res = await ask({ question: '企业需要哪些材料', pick: ids[7] }).expect(200);
      expect(res.body.outcome).toBe('answered');
      expect(res.body.answer.entryId).toBe(ids[7]);
      expect(res.body.answer.question).toBe('企业注销需要哪些材料？');
    });

    it('a category filter keeps other columns out', async () => {
      const res = await ask({ question: '12345是什么热线', category: 'faq' }).expect(200);
      expect(res.body.answer?.entryId).not.toBe(ids[3]);
    });
  });

  describe('ask log, feedback and hand-off', () => {
    it('logs every ask with personal data masked', async () => {
      const res = await ask({ question: '我的手机13812345678，身份证310101199001011234，营业执照丢了怎么补办', channel: 'mobile', audience: 'enterprise' }).expect(200);
      const logged = s.answers.asks.get(res.body.askId)!;
      expect(logged.question).not.toMatch(/13812345678|310101199001011234/);
      expect(logged.question).toContain('营业执照丢了怎么补办');
      expect(logged).toMatchObject({ channel: 'mobile', audience: 'enterprise', outcome: res.body.outcome });
      expect(logged.results[0].entryId).toBe(ids[0]);
      expect(logged.latencyMs).toBeGreaterThan(0);
    });

    it('records 好差评 feedback, the last word counting', async () => {
      const { body } = await ask({ question: '12345是什么热线' }).expect(200);
      await request(app).post('/api/v1/feedback').send({ askId: body.askId, resolved: true }).expect(204);
      await request(app).post('/api/v1/feedback').send({ askId: body.askId, resolved: false, reason: '没说怎么拨打' }).expect(204);
      expect(s.answers.asks.get(body.askId)).toMatchObject({ resolved: false, feedbackReason: '没说怎么拨打' });
      const unknown = await request(app).post('/api/v1/feedback').send({ askId: 'a_nope', resolved: true }).expect(404);
      expect(unknown.body.message).toContain('a_nope');
    });

    it('hands off to the online agents in working hours', async () => {
      const { body } = await ask({ question: '上海迪士尼门票多少钱' }).expect(200);
      const res = await request(app).post('/api/v1/handoff').send({ askId: body.askId }).expect(201);
      expect(res.body).toMatchObject({ askId: body.askId, channel: 'online_agent' });
      expect(s.answers.asks.get(body.askId)!.handoffChannel).toBe('online_agent');
      await request(app).post('/api/v1/handoff').send({ askId: 'a_missing' }).expect(404);
    });

    it('hands off to 12345 outside working hours (a Saturday)', () => {
      expect(s.answers.handoffChannel(new Date('2026-07-04T02:00:00Z'))).toBe('12345');
      expect(s.answers.handoffChannel(new Date('2026-07-01T12:00:00Z'))).toBe('12345'); // 20:00 in Shanghai
    });
  });

  describe('typeahead, entries, categories, health, metrics', () => {
    it('suggests up to 8 questions while typing', async () => {
      const res = await request(app).get('/api/v1/suggest').query({ q: '营业执照' }).expect(200);
      expect(res.body.suggestions.length).toBeLessThanOrEqual(8);
      expect(res.body.suggestions[0].question).toContain('营业执照');
      await request(app).get('/api/v1/suggest').expect(400);
    });

    it('reports database, index and embedder in /healthz and answer metrics in /metrics', async () => {
      const health = await request(app).get('/healthz').expect(200);
      expect(health.body.index).toMatchObject({ entries: ENTRIES.length, upToDate: true });
      const metrics = await request(app).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/bangban_answer_latency_seconds_bucket\{le="0.05"\} \d+/);
      expect(metrics.text).toMatch(/bangban_answers_total\{outcome="answered"\} [1-9]/);
      expect(metrics.text).toMatch(/^bangban_gaps_open \d+$/m);
      expect(metrics.text).toMatch(/^bangban_gaps_overdue \d+$/m);
      expect(metrics.text).toMatch(/^bangban_index_entries \d+$/m);
    });
  });

  describe('admin API', () => {
    const routes: Array<[string, string, object?]> = [
      ['get', '/api/v1/admin/entries'],
      ['get', '/api/v1/admin/entries/1'],
      ['get', '/api/v1/admin/entries/1/history'],
      ['post', '/api/v1/admin/entries', { category: 'faq', question: 'q', answer: 'a' }],
      ['patch', '/api/v1/admin/entries/1', { answer: 'x' }],
      ['post', '/api/v1/admin/entries/1/publish', {}],
      ['post', '/api/v1/admin/entries/1/archive', { reason: 'x' }],
      ['post', '/api/v1/admin/hit-test', { question: '营业执照' }],
      ['get', '/api/v1/admin/synonyms'],
      ['put', '/api/v1/admin/synonyms', { groups: [] }],
      ['get', '/api/v1/admin/dictionary'],
      ['put', '/api/v1/admin/dictionary', { words: [] }],
    ];

    it('refuses every admin route without a valid token (401)', async () => {
      for (const [method, url, body] of routes) {
        const plain = await (request(app) as never as Record<string, (u: string) => request.Test>)[method](url).send(body ?? {});
        expect(plain.status, `${method} ${url}`).toBe(401);
        const forged = await (request(app) as never as Record<string, (u: string) => request.Test>)[method](url).set('Authorization', 'Bearer bbk_forged').send(body ?? {});
        expect(forged.status, `${method} ${url} forged`).toBe(401);
      }
    });

    it('refuses what the role may not do (403)', async () => {
      const as = (token: string) => ({ Authorization: `Bearer ${token}` });
      await request(app).post('/api/v1/admin/entries').set(as(agent)).send({ category: 'faq', question: 'q', answer: 'a' }).expect(403);
      await request(app).post('/api/v1/admin/entries/1/archive').set(as(agent)).send({ reason: 'x', version: 2 }).expect(403);
      // archiving a published entry takes an answer away from citizens: a reviewer's decision, not an editor's
      const archive = await request(app).post('/api/v1/admin/entries/1/archive').set(as(editor)).send({ reason: 'x', version: 2 }).expect(403);
      expect(archive.body.message).toContain('审核');
      await request(app).put('/api/v1/admin/synonyms').set(as(reviewer)).send({ groups: [] }).expect(403);
      await request(app).put('/api/v1/admin/dictionary').set(as(agent)).send({ words: [] }).expect(403);
      const res = await request(app).patch('/api/v1/admin/entries/1').set(as(agent)).send({ answer: 'x' }).expect(403);
      expect(res.body.message).toBe('坐席/智能体角色无权编写条目');
    });

    it('an editor\'s change to a published entry is not served until a reviewer approves it', async () => {
      const byEditor = { Authorization: `Bearer ${editor}` };
      const byReviewer = { Authorization: `Bearer ${reviewer}` };
      const created = await request(app)
        .post('/api/v1/admin/entries').set(byEditor)
        .send({ category: 'guide', question: '公积金怎么提取？', similarQuestions: ['怎么取公积金'], answer: '在“随申办”申请公积金提取。' })
        .expect(201);
      const id = created.body.id;
      expect(created.body).toMatchObject({ status: 'draft', createdBy: '张三', origin: 'manual' });
      expect((await ask({ question: '公积金怎么提取' })).body.answer?.entryId).not.toBe(id); // drafts never answer
      // the editor cannot publish what they wrote; the reviewer can
      await request(app).post(`/api/v1/admin/entries/${id}/publish`).set(byEditor).send({ version: created.body.version }).expect(403);
      const published = await request(app).post(`/api/v1/admin/entries/${id}/publish`).set(byReviewer).send({ version: created.body.version }).expect(200);
      expect((await ask({ question: '公积金怎么提取' })).body.answer.entryId).toBe(id);

      const saved = await request(app).patch(`/api/v1/admin/entries/${id}`).set(byEditor)
        .send({ answer: '登录“一网通办”或“随申办”在线申请公积金提取。', reason: '补充渠道', version: published.body.version }).expect(200);
      expect(saved.body).toMatchObject({ waitingForReview: true, answer: '在“随申办”申请公积金提取。' });
      expect(saved.body.pendingRevision).toMatchObject({ proposedBy: '张三', changes: { answer: '登录“一网通办”或“随申办”在线申请公积金提取。' } });
      // citizens still get the published text, by search and by id
      const before = (await ask({ question: '公积金怎么提取' })).body.answer;
      expect(before.answer).toBe('在“随申办”申请公积金提取。');
      expect((await request(app).get(`/api/v1/entries/${id}`).expect(200)).body.answer).toBe('在“随申办”申请公积金提取。');
      // the editor cannot approve it either
      await request(app).post(`/api/v1/admin/entries/${id}/revision/approve`).set(byEditor).send({ version: saved.body.version }).expect(403);

      const approved = await request(app).post(`/api/v1/admin/entries/${id}/revision/approve`).set(byReviewer).send({ version: saved.body.version }).expect(200);
      expect(approved.body).toMatchObject({ answer: '登录“一网通办”或“随申办”在线申请公积金提取。', pendingRevision: null, updatedBy: '王五' });
      expect((await ask({ question: '公积金怎么提取' })).body.answer.answer).toContain('一网通办');
      const history = await request(app).get(`/api/v1/admin/entries/${id}/history`).set(byEditor).expect(200);
      expect(history.body.versions.map((v: { action: string }) => v.action)).toEqual(['create', 'publish', 'propose', 'update']);

      await request(app).post(`/api/v1/admin/entries/${id}/archive`).set(byReviewer).send({ reason: '政策调整', version: approved.body.version }).expect(200);
      expect((await ask({ question: '公积金怎么提取' })).body.answer?.entryId).not.toBe(id);
    });

    it('an expired entry is not served by id', async () => {
      // today is 2026-07-01 (Shanghai); the entry expired the day before
      const created = s.kb.entries.create({ category: 'notice', question: '2026 年上半年申报通知', answer: '6 月 30 日前申报。', expiresAt: '2026-06-30' }, 'test');
      const entry = s.kb.entries.publish(created.id, 'test');
      const res = await request(app).get(`/api/v1/entries/${entry.id}`).expect(410);
      expect(res.body.message).toContain('已于 2026-06-30 失效');
      expect(res.body.message).not.toContain('6 月 30 日前申报');
      const lastDay = s.kb.entries.create({ category: 'notice', question: '下半年申报通知', answer: '7 月 1 日截止。', expiresAt: '2026-07-01' }, 'test');
      s.kb.entries.publish(lastDay.id, 'test');
      expect((await request(app).get(`/api/v1/entries/${lastDay.id}`).expect(200)).body.answer).toBe('7 月 1 日截止。'); // valid through its last day
    });

    it('rejecting a change keeps the published text', async () => {
      const byEditor = { Authorization: `Bearer ${editor}` };
      const byReviewer = { Authorization: `Bearer ${reviewer}` };
      const entry = (await request(app).get(`/api/v1/admin/entries/${ids[3]}`).set(byEditor).expect(200)).body;
      const saved = await request(app).patch(`/api/v1/admin/entries/${ids[3]}`).set(byEditor).set('If-Match', `"${entry.version}"`).send({ answer: '12345 热线只在工作日受理。' }).expect(200);
      expect(saved.body.waitingForReview).toBe(true);
      const missingReason = await request(app).post(`/api/v1/admin/entries/${ids[3]}/revision/reject`).set(byReviewer).send({ version: saved.body.version }).expect(400);
      expect(missingReason.body.message).toContain('原因');
      const rejected = await request(app).post(`/api/v1/admin/entries/${ids[3]}/revision/reject`).set(byReviewer).send({ reason: '热线 24 小时受理，口径有误', version: saved.body.version }).expect(200);
      expect(rejected.body).toMatchObject({ answer: entry.answer, pendingRevision: null });
      expect((await ask({ question: '12345是什么热线' })).body.answer.answer).toBe(entry.answer);
      // archiving an entry closes the change that waited for it
      const spare = s.kb.entries.publish(s.kb.entries.create({ category: 'hotline', question: '12319是什么热线？', answer: '城建服务热线。' }, 'test').id, 'test');
      const again = await request(app).patch(`/api/v1/admin/entries/${spare.id}`).set(byEditor).send({ answer: '又一次修改。', version: spare.version }).expect(200);
      const pendingIds = async () => (await request(app).get('/api/v1/admin/revisions').set(byReviewer).expect(200)).body.items.map((i: { entry: { id: number } }) => i.entry.id);
      expect(await pendingIds()).toContain(spare.id);
      await request(app).post(`/api/v1/admin/entries/${spare.id}/archive`).set(byReviewer).send({ reason: '已并入 12345', version: again.body.version }).expect(200);
      expect(await pendingIds()).not.toContain(spare.id);
    });

    it('an editor cannot make an entry cite a 文号', async () => {
      const byEditor = { Authorization: `Bearer ${editor}` };
      const docId = (s.kb.db.prepare(`INSERT INTO documents (source_key, kind, title, doc_number, level, region, file_name, format, sha256, text, created_at, updated_at) VALUES ('real.txt', 'policy', '真实文件', '沪府办〔2026〕1号', 'city', '上海市', 'real.txt', 'txt', 'x', '', '2026-01-01', '2026-01-01') RETURNING id`).get() as { id: number }).id;
      const create = await request(app).post('/api/v1/admin/entries').set(byEditor)
        .send({ category: 'faq', question: '补贴标准是多少？', answer: '每人 100000 元。', documentId: docId, sourceSection: '二、（一）', origin: 'ingest' }).expect(400);
      expect(create.body.message).toContain('只由系统在导入文件时设置');
      const entry = (await request(app).get(`/api/v1/admin/entries/${ids[6]}`).set(byEditor).expect(200)).body;
      for (const field of ['documentId', 'sourceSection', 'origin'] as const) {
        const value = { documentId: docId, sourceSection: '二、（一）', origin: 'ingest' }[field];
        const r = await request(app).patch(`/api/v1/admin/entries/${ids[6]}`).set(byEditor).send({ [field]: value, version: entry.version }).expect(400);
        expect(r.body.field).toBe(field);
      }
      expect(s.kb.entries.get(ids[6])).toMatchObject({ documentId: null, sourceSection: null, origin: 'manual' });
      expect(s.kb.revisions.pending(ids[6])).toBeNull();
    });

    it('two editors saving the same entry: the second gets 409 with the current text', async () => {
      const first = s.tokens.create('赵六', 'editor', 'test').token;
      const entry = (await request(app).get(`/api/v1/admin/entries/${ids[4]}`).set('Authorization', `Bearer ${editor}`).expect(200)).body;
      const noVersion = await request(app).patch(`/api/v1/admin/entries/${ids[4]}`).set('Authorization', `Bearer ${editor}`).send({ answer: '无版本' }).expect(428);
      expect(noVersion.body.message).toContain('version');
      await request(app).patch(`/api/v1/admin/entries/${ids[4]}`).set('Authorization', `Bearer ${first}`).send({ answer: '在“随申办”提交居住登记，审核通过后领取居住证。', version: entry.version }).expect(200);
      const second = await request(app).patch(`/api/v1/admin/entries/${ids[4]}`).set('Authorization', `Bearer ${editor}`).set('If-Match', `"${entry.version}"`).send({ answer: '到社区事务受理服务中心办理居住证。' }).expect(409);
      expect(second.body).toMatchObject({ error: 'version_conflict', currentVersion: entry.version + 1 });
      expect(second.body.message).toContain('赵六');
      expect(second.body.current.pendingRevision.changes.answer).toBe('在“随申办”提交居住登记，审核通过后领取居住证。');
      expect(s.kb.revisions.pending(ids[4])!.changes.answer).toBe('在“随申办”提交居住登记，审核通过后领取居住证。');
      // a stale version is refused for publish, archive and review too
      const reviewerAuth = { Authorization: `Bearer ${reviewer}` };
      await request(app).post(`/api/v1/admin/entries/${ids[4]}/revision/approve`).set(reviewerAuth).send({ version: entry.version }).expect(409);
      await request(app).post(`/api/v1/admin/entries/${ids[4]}/archive`).set(reviewerAuth).send({ reason: '重复', version: entry.version }).expect(409);
      await request(app).post(`/api/v1/admin/reviews/${ids[4]}`).set(reviewerAuth).send({ action: 'confirm', note: '好', version: entry.version }).expect(409);
    });

    it('lists and filters entries for editors', async () => {
      const res = await request(app).get('/api/v1/admin/entries').query({ category: 'hotline', status: 'published' }).set('Authorization', `Bearer ${reviewer}`).expect(200);
      expect(res.body.total).toBe(1);
      const bad = await request(app).get('/api/v1/admin/entries').query({ category: 'nope' }).set('Authorization', `Bearer ${reviewer}`).expect(400);
      expect(bad.body.field).toBe('category');
    });

    it('hit test shows every candidate with lexical, vector and fused scores and the decision', async () => {
      const res = await request(app).post('/api/v1/admin/hit-test').set('Authorization', `Bearer ${agent}`).send({ question: '执照丢了怎么补' }).expect(200);
      expect(res.body.outcome).toBe('answered');
      expect(res.body.entryId).toBe(ids[0]);
      const top = res.body.candidates[0];
      expect(top).toMatchObject({ entryId: ids[0] });
      for (const k of ['bm25', 'lexicalRank', 'vectorRank', 'bigramRank', 'cosine', 'fused', 'score']) expect(top).toHaveProperty(k);
      expect(res.body.candidates.length).toBeGreaterThan(1);
    });

    it('synonyms change results: 社保 finds 社会保险 only while the group exists', async () => {
      const auth = { Authorization: `Bearer ${editor}` };
      const withGroup = await ask({ question: '社保缴费记录怎么查' }).expect(200);
      expect(withGroup.body.answer?.entryId).toBe(ids[5]);
      const before = (await request(app).get('/api/v1/admin/synonyms').set(auth).expect(200)).body.groups;
      await request(app).put('/api/v1/admin/synonyms').set(auth).send({ groups: before.filter((g: string[]) => !g.includes('社保')) }).expect(200);
      const without = await request(app).post('/api/v1/admin/hit-test').set(auth).send({ question: '社保缴费记录怎么查' }).expect(200);
      const score = (r: { body: { candidates: Array<{ entryId: number; score: number }> } }) => r.body.candidates.find((c) => c.entryId === ids[5])?.score ?? 0;
      const withScore = await (async () => {
        await request(app).put('/api/v1/admin/synonyms').set(auth).send({ groups: before }).expect(200);
        return request(app).post('/api/v1/admin/hit-test').set(auth).send({ question: '社保缴费记录怎么查' });
      })();
      expect(score(withScore)).toBeGreaterThan(score(without));
    });

    it('the domain dictionary changes how a question is cut', async () => {
      const auth = { Authorization: `Bearer ${editor}` };
      const words = (await request(app).get('/api/v1/admin/dictionary').set(auth).expect(200)).body.words as string[];
      await request(app).put('/api/v1/admin/dictionary').set(auth).send({ words: words.filter((w) => w !== '免申即享') }).expect(200);
      const without = await request(app).post('/api/v1/admin/hit-test').set(auth).send({ question: '免申即享怎么享受' }).expect(200);
      await request(app).put('/api/v1/admin/dictionary').set(auth).send({ words: [...words.filter((w) => w !== '免申即享'), '免申即享'] }).expect(200);
      const withWord = await request(app).post('/api/v1/admin/hit-test').set(auth).send({ question: '免申即享怎么享受' }).expect(200);
      const texts = (r: { body: { concepts: Array<{ text: string }> } }) => r.body.concepts.map((c) => c.text);
      expect(texts(without)).not.toContain('免申即享');
      expect(texts(withWord)).toContain('免申即享');
      expect(withWord.body.entryId).toBe(ids[8]);
    });

    it('validates admin input with a message naming the field', async () => {
      const auth = { Authorization: `Bearer ${admin}` };
      const r1 = await request(app).post('/api/v1/admin/entries').set(auth).send({ category: 'faq', question: '', answer: 'a' }).expect(400);
      expect(r1.body.field).toBe('question');
      const r2 = await request(app).post('/api/v1/admin/entries/1/archive').set(auth).send({ version: 2 }).expect(400);
      expect(r2.body.field).toBe('reason');
      await request(app).get('/api/v1/admin/entries/999999').set(auth).expect(404);
      await request(app).get('/api/v1/admin/entries/abc').set(auth).expect(400);
      const r3 = await request(app).put('/api/v1/admin/synonyms').set(auth).send({ groups: [['孤词']] }).expect(400);
      expect(r3.body.field).toMatch(/^groups/);
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, unknown, string]> = [
      ['empty question', { question: '' }, 'question'],
      ['whitespace-only question', { question: '   \n\t ' }, 'question'],
      ['question over 500 characters', { question: '营'.repeat(501) }, 'question'],
      ['question not a string', { question: 42 }, 'question'],
      ['missing question', {}, 'question'],
      ['only emoji', { question: '😀😀🙏' }, 'question'],
      ['only control characters', { question: '\u0001\u0002\u0007' }, 'question'],
      ['unknown channel', { question: '营业执照', channel: 'fax' }, 'channel'],
      ['unknown category', { question: '营业执照', category: 'misc' }, 'category'],
      ['unknown audience', { question: '营业执照', audience: 'aliens' }, 'audience'],
    ];
    for (const [name, body, field] of cases) {
      it(`${name}: 400 naming ${field}, nothing logged`, async () => {
        const before = s.answers.asks.count();
        const res = await ask(body as object).expect(400);
        expect(res.body.field).toBe(field);
        expect(res.body.message).toContain(field);
        expect(s.answers.asks.count()).toBe(before);
      });
    }

    it('malformed JSON is 400 and a body over the size limit 413, naming the body', async () => {
      const bad = await request(app).post('/api/v1/answer').set('Content-Type', 'application/json').send('{"question": "营业').expect(400);
      expect(bad.body.field).toBe('body');
      const big = await request(app).post('/api/v1/answer').send({ question: '营业执照', sessionId: 'x'.repeat(70_000) }).expect(413);
      expect(big.body.field).toBe('body');
    });

    it('feedback with a wrong type is 400, for an unknown ask 404', async () => {
      const res = await request(app).post('/api/v1/feedback').send({ askId: 'a_x', resolved: 'yes' }).expect(400);
      expect(res.body.field).toBe('resolved');
    });
  });
});
