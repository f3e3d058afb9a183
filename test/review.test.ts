import { SteppingClock } from './helpers/clock.js';
import { addPolicyDocument } from './helpers/documents.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import type { EntryInput } from '../server/kb/validate.js';
import type { DocumentMetadata } from '../ingest/types.js';
import { halfYearOf, halfYearRange } from '../server/ops/review.js';
import { servicesFor } from './helpers/services.js';
import { reviewEntry } from '../server/commands/reviewEntry.js';
import { flagEntriesDueForReview } from '../server/commands/flagEntriesDueForReview.js';


const clock = new SteppingClock();
let s: Awaited<ReturnType<typeof servicesFor>>;

const addDocument = (key: string, meta: Partial<DocumentMetadata>) => addPolicyDocument(s.kb, key, meta);

function publishAt(iso: string, input: EntryInput): number {
  clock.set(iso);
  const e = s.kb.entries.create(input, '张编辑');
  return s.kb.entries.publish(e.id, '张编辑').id;
}

function flagDueAt(iso: string) {
  clock.set(iso);
  return flagEntriesDueForReview(s, clock.now());
}

const entry = (question: string, answer: string, department: string, extra: Partial<EntryInput> = {}): EntryInput => ({
  category: 'faq', question, answer, department, ...extra,
});

describe('half-years', () => {
  it('are Jan–Jun and Jul–Dec in Shanghai time', () => {
    expect(halfYearOf(new Date('2026-06-30T15:59:59Z'))).toBe('2026H1'); // 23:59:59 on 30 June in Shanghai
    expect(halfYearOf(new Date('2026-06-30T16:00:00Z'))).toBe('2026H2'); // 00:00 on 1 July in Shanghai
    expect(halfYearOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027H1');
    expect(halfYearRange('2026H2')).toEqual({ start: '2026-07-01', end: '2026-12-31' });
    expect(() => halfYearRange('2026H3')).toThrow(/halfYear/);
  });
});

describe('half-yearly review', () => {
  const ids: Record<string, number> = {};
  let app: ReturnType<typeof createApp>;
  let reviewer: string;
  let editor: string;
  let admin: string;
  let docExpiring: number;
  let docReplaced: number;

  beforeAll(async () => {
    s = await servicesFor([], { clock });
    docExpiring = addDocument('expiring.txt', { title: '临时性扶持办法', expiryDate: '2026-09-30' });
    docReplaced = addDocument('old-rules.txt', { title: '旧版实施细则' });

    // H1 2026: published in March; A and B confirmed by a reviewer in March, C and E never reviewed.
    ids.A = publishAt('2026-03-02T10:00:00+08:00', entry('营业执照遗失了怎么补办？', '登录一网通办搜索营业执照补领，在线提交申请。', '区市场监管局'));
    ids.B = publishAt('2026-03-02T10:00:00+08:00', entry('居住证怎么办理？', '在随申办提交居住登记后申领居住证。', '区公安分局'));
    ids.C = publishAt('2026-03-03T10:00:00+08:00', entry('社会保险缴费记录怎么查询？', '在随申办搜索社会保险缴费记录即可查询。', '区人社局'));
    ids.E = publishAt('2026-03-04T10:00:00+08:00', entry('免申即享是什么意思？', '符合条件的企业和个人无需申请即可直接享受政策。', '区发展改革委'));
    clock.set('2026-03-20T15:00:00+08:00');
    await reviewEntry(s, { entryId: ids.A, action: 'confirm', note: '一季度抽查', reviewer: '王审核' });
    await reviewEntry(s, { entryId: ids.B, action: 'confirm', note: '一季度抽查', reviewer: '王审核' });
    await s.engine.sync();

    app = createApp(s);
    reviewer = s.tokens.create('王审核', 'reviewer', 'test').token;
    editor = s.tokens.create('张编辑', 'editor', 'test').token;
    admin = s.tokens.create('李管理', 'admin', 'test').token;
  });
  afterAll(() => s.cleanup());

  const versions = () => (s.kb.db.prepare('SELECT count(*) AS n FROM entry_versions').get() as { n: number }).n;
  const get = (id: number) => s.kb.entries.require(id);

  it('nothing is due on the last evening of H1 for entries published or reviewed in H1', async () => {
    const r = await flagDueAt('2026-06-30T23:59:00+08:00');
    expect(r).toMatchObject({ halfYear: '2026H1', flagged: 0 });
    expect(get(ids.A).reviewDue).toBe(false);
  });

  it('on 1 July (Shanghai, still 30 June in UTC) entries not reviewed since H1 become due, with the half-year as reason', async () => {
    const r = await flagDueAt('2026-07-01T00:05:00+08:00');
    expect(r.halfYear).toBe('2026H2');
    expect(r.today).toBe('2026-07-01');
    // A, B reviewed in March, C published in March and never reviewed, E published in March (reviewed only in August, later).
    expect(r.flaggedEntryIds.sort((a, b) => a - b)).toEqual([ids.A, ids.B, ids.C, ids.E].sort((a, b) => a - b));
    expect(r.reasons.halfYear).toBe(4);
    expect(get(ids.C)).toMatchObject({ reviewDue: true, reviewReason: '半年度复核：2026H2', status: 'published' });
  });

  it('a second run the same day flags nothing and writes no new version', async () => {
    const before = versions();
    const r = await flagDueAt('2026-07-01T08:05:00+08:00');
    expect(r).toMatchObject({ flagged: 0, alreadyDue: 4 });
    expect(versions()).toBe(before);
  });

  it('a flagged entry keeps answering until a person acts', async () => {
    await s.engine.sync();
    const hit = await s.answers.hitTest('社会保险缴费记录怎么查询？', {});
    expect(hit).toMatchObject({ outcome: 'answered', entryId: ids.C });
  });

  it('entries published or reviewed within H2 are not due in H2', async () => {
    ids.F = publishAt('2026-07-02T10:00:00+08:00', entry('临时扶持补贴怎么申请？', '按临时性扶持办法在线申报。', '区商务委', { documentId: docExpiring }));
    ids.G = publishAt('2026-07-02T10:00:00+08:00', entry('旧版细则规定的办理时限是多少？', '办理时限为10个工作日。', '区行政服务中心', { documentId: docReplaced }));
    ids.D = publishAt('2026-07-15T10:00:00+08:00', entry('企业开办需要哪些材料？', '企业开办需要章程、股东身份证明等材料。', '区市场监管局'));
    clock.set('2026-08-10T15:00:00+08:00');
    await reviewEntry(s, { entryId: ids.E, action: 'confirm', note: '政策仍有效', reviewer: '王审核' });
    const r = await flagDueAt('2026-08-15T08:05:00+08:00');
    expect(r).toMatchObject({ flagged: 0, alreadyDue: 3 }); // A, B, C still waiting
    for (const id of [ids.D, ids.E, ids.F, ids.G]) expect(get(id).reviewDue).toBe(false);
  });

  it('a source document that expired makes its entries due at once', async () => {
    expect((await flagDueAt('2026-09-30T08:05:00+08:00')).flaggedEntryIds).toEqual([]); // its last day in force
    const r = await flagDueAt('2026-10-01T08:05:00+08:00');
    expect(r.flaggedEntryIds).toEqual([ids.F]);
    expect(r.reasons.sourceExpired).toBe(1);
    expect(get(ids.F).reviewReason).toBe('源文件已失效：临时性扶持办法（失效日期 2026-09-30）');
  });

  it('a source document that was replaced makes its entries due at once', async () => {
    clock.set('2026-10-12T09:00:00+08:00');
    const newer = addDocument('new-rules.txt', { title: '新版实施细则' });
    s.kb.db.prepare('UPDATE documents SET replaced_by = ?, updated_at = ? WHERE id = ?').run(newer, clock.nowIso(), docReplaced);
    const r = await flagDueAt('2026-10-12T10:00:00+08:00');
    expect(r.flaggedEntryIds).toEqual([ids.G]);
    expect(get(ids.G).reviewReason).toBe('源文件已被替代：旧版实施细则（新文件：新版实施细则）');
  });

  it('a changed source (flagged by ingest) stays due, and a more severe reason replaces the half-yearly one', async () => {
    clock.set('2026-10-13T09:00:00+08:00');
    s.kb.entries.flagForReview(ids.B, '源文件已更新：sample.xlsx', 'ingest'); // what ingest does when a source changes
    s.kb.entries.update(ids.A, { documentId: docReplaced }, '张编辑', '关联到细则'); // A now cites the replaced document
    const r = await flagDueAt('2026-10-13T10:00:00+08:00');
    expect(r.flaggedEntryIds).toEqual([ids.A]); // 半年度复核 → 源文件已被替代
    expect(get(ids.A).reviewReason).toMatch(/^源文件已被替代/);
    expect(get(ids.B).reviewReason).toBe('源文件已更新：sample.xlsx'); // not downgraded to the half-yearly reason
    expect(r.dueByReason).toMatchObject({ sourceReplaced: 2, sourceExpired: 1, sourceChanged: 1, halfYear: 1 });
  });

  describe('review API', () => {
    const post = (id: number | string, body: object, token = reviewer) =>
      // based on the entry's current version, as the admin page sends it
      request(app).post(`/api/v1/admin/reviews/${id}`).set('Authorization', `Bearer ${token}`).send({ version: (typeof id === 'number' && s.kb.entries.get(id)?.version) || 1, ...body });

    it('lists the queue by severity of reason, then 责任单位', async () => {
      clock.set('2026-10-14T09:00:00+08:00');
      const res = await request(app).get('/api/v1/admin/reviews/queue').set('Authorization', `Bearer ${editor}`).expect(200);
      expect(res.body.total).toBe(5);
      expect(res.body.items.map((i: { entryId: number }) => i.entryId)).toEqual(expectedOrder());
      expect(res.body.items[0]).toMatchObject({ reasonKind: 'sourceReplaced', department: expect.any(String), reason: expect.stringMatching(/^源文件已被替代/) });
    });

    // Replaced (A 区市场监管局, G 区行政服务中心, ordered by department), expired (F), changed (B), half-year (C).
    function expectedOrder(): number[] {
      const replaced = [ids.A, ids.G].sort((x, y) => get(x).department!.localeCompare(get(y).department!, 'zh-Hans-CN'));
      return [...replaced, ids.F, ids.B, ids.C];
    }

    it('confirm clears the flag, stamps the review and keeps it in history and in the half-year’s list', async () => {
      clock.set('2026-10-15T10:00:00+08:00');
      const res = await post(ids.C, { action: 'confirm', note: '口径与现行政策一致' }).expect(201);
      expect(res.body.review).toMatchObject({ entryId: ids.C, action: 'confirm', note: '口径与现行政策一致', reviewer: '王审核', halfYear: '2026H2' });
      expect(res.body.entry).toMatchObject({ reviewDue: false, reviewReason: null, lastReviewedAt: '2026-10-15T02:00:00.000Z', status: 'published' });
      const history = await request(app).get(`/api/v1/admin/entries/${ids.C}/history`).set('Authorization', `Bearer ${reviewer}`).expect(200);
      expect(history.body.versions.at(-1)).toMatchObject({ action: 'review', changedBy: '王审核', reason: '复核确认：口径与现行政策一致' });
      expect((await flagDueAt('2026-10-16T08:05:00+08:00')).flaggedEntryIds).not.toContain(ids.C);
    });

    it('update (by an administrator) edits the entry and marks it reviewed; a reviewer does not write content', async () => {
      clock.set('2026-10-15T11:00:00+08:00');
      const refused = await post(ids.B, { action: 'update', note: '随申办入口已调整', changes: { answer: '审核员写的新答复。' } }).expect(403);
      expect(refused.body.message).toContain('由编辑修改后提交审核');
      const res = await post(ids.B, { action: 'update', note: '随申办入口已调整', changes: { answer: '在随申办“居住证”专栏提交居住登记后申领居住证。' } }, admin).expect(201);
      expect(res.body.entry).toMatchObject({ answer: '在随申办“居住证”专栏提交居住登记后申领居住证。', reviewDue: false });
      const actions = s.kb.entries.history(ids.B).slice(-2).map((v) => [v.action, v.reason]);
      expect(actions).toEqual([['update', '复核修改：随申办入口已调整'], ['review', '复核修改：随申办入口已调整']]);
      const hit = await s.answers.hitTest('居住证怎么办理？', {});
      expect(hit.entryId).toBe(ids.B);
    });

    it('archive takes the entry out of answering', async () => {
      clock.set('2026-10-15T14:00:00+08:00');
      const res = await post(ids.G, { action: 'archive', note: '细则已被新版替代' }).expect(201);
      expect(res.body.entry).toMatchObject({ status: 'archived', reviewDue: false });
      expect(s.kb.entries.history(ids.G).at(-1)).toMatchObject({ action: 'archive', reason: '复核归档：细则已被新版替代' });
      const hit = await s.answers.hitTest('旧版细则规定的办理时限是多少？', {});
      expect(hit.entryId).not.toBe(ids.G);
    });

    it('lists the actions of a half-year', async () => {
      const res = await request(app).get('/api/v1/admin/reviews?halfYear=2026H2').set('Authorization', `Bearer ${editor}`).expect(200);
      expect(res.body.byAction).toEqual({ confirm: 2, update: 1, archive: 1 }); // E (August), C, B, G
      expect(res.body.items.map((i: { entryId: number; action: string }) => [i.entryId, i.action])).toEqual([
        [ids.E, 'confirm'], [ids.C, 'confirm'], [ids.B, 'update'], [ids.G, 'archive'],
      ]);
      const h1 = await request(app).get('/api/v1/admin/reviews?halfYear=2026H1').set('Authorization', `Bearer ${editor}`).expect(200);
      expect(h1.body.total).toBe(2); // A and B in March
      const current = await request(app).get('/api/v1/admin/reviews').set('Authorization', `Bearer ${editor}`).expect(200);
      expect(current.body.halfYear).toBe('2026H2');
    });

    it('rejects bad input with 400 naming the field', async () => {
      const cases: Array<[object, string]> = [
        [{ action: 'confirm' }, 'note'],
        [{ action: 'confirm', note: '   ' }, 'note'],
        [{ action: 'approve', note: '好' }, 'action'],
        [{ note: '好' }, 'action'],
        [{ action: 'update', note: '改' }, 'changes'],
        [{ action: 'update', note: '改', changes: {} }, 'changes'],
        [{ action: 'confirm', note: '好', changes: { answer: '新' } }, 'changes'],
        [{ action: 'update', note: '改', changes: { answer: '' } }, 'changes.answer'],
        [{ action: 'update', note: '改', changes: { status: 'draft' } }, 'changes'],
        [{ action: 'confirm', note: '好', extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const res = await post(ids.A, body, admin).expect(400);
        expect(res.body.field, JSON.stringify(body)).toBe(field);
        expect(res.body.message).toContain(field);
      }
      const bad = await post('abc', { action: 'confirm', note: '好' }).expect(400);
      expect(bad.body.field).toBe('entryId');
      const q = await request(app).get('/api/v1/admin/reviews?halfYear=2026H3').set('Authorization', `Bearer ${editor}`).expect(400);
      expect(q.body.field).toBe('halfYear');
    });

    it('a failing update leaves no review behind (one transaction)', async () => {
      const before = (s.kb.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n;
      const res = await post(ids.A, { action: 'update', note: '改日期', changes: { effectiveFrom: '2026-01-01', expiresAt: '2025-01-01' } }, admin).expect(400);
      expect(res.body.field).toBe('expiresAt');
      expect((s.kb.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n).toBe(before);
      expect(get(ids.A)).toMatchObject({ reviewDue: true, effectiveFrom: null });
    });

    it('403 for an editor, 401 without a token, 404 for an unknown entry, 409 for an archived one', async () => {
      const forbidden = await post(ids.A, { action: 'confirm', note: '好' }, editor).expect(403);
      expect(forbidden.body.message).toBe('编辑角色无权复核条目');
      await request(app).post(`/api/v1/admin/reviews/${ids.A}`).send({ action: 'confirm', note: '好' }).expect(401);
      const missing = await post(999_999, { action: 'confirm', note: '好' }).expect(404);
      expect(missing.body.message).toContain('999999');
      const archived = await post(ids.G, { action: 'confirm', note: '好' }).expect(409);
      expect(archived.body.message).toContain('已归档');
      expect(get(ids.A).reviewDue).toBe(true);
    });
  });

  it('when 2027H1 begins, everything reviewed or published in 2026H2 is due again', async () => {
    const r = await flagDueAt('2027-01-01T08:05:00+08:00');
    expect(r.halfYear).toBe('2027H1');
    expect(r.flaggedEntryIds.sort((x, y) => x - y)).toEqual([ids.B, ids.C, ids.D, ids.E].sort((x, y) => x - y));
    expect(get(ids.D).reviewReason).toBe('半年度复核：2027H1');
    expect(r.alreadyDue).toBe(2); // A (source replaced) and F (source expired) keep their more severe reason
  });
});
