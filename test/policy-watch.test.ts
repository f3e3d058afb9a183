import { SteppingClock } from './helpers/clock.js';
import { addPolicyDocument } from './helpers/documents.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import type { EntryInput } from '../server/kb/validate.js';
import type { DocumentMetadata } from '../ingest/types.js';
import type { WatchedDocument } from '../server/ops/policy-watch.js';
import { servicesFor } from './helpers/services.js';
import { reviewEntry } from '../server/commands/reviewEntry.js';
import { runPolicyWatch } from '../server/commands/runPolicyWatch.js';


const clock = new SteppingClock();
let s: Awaited<ReturnType<typeof servicesFor>>;

const addDocument = (key: string, meta: Partial<DocumentMetadata>) => addPolicyDocument(s.kb, key, meta);

function addEntry(input: Partial<EntryInput> & { question: string }, publish: boolean): number {
  const e = s.kb.entries.create({ category: 'policy', answer: `${input.question}的答复口径。`, ...input }, '张编辑');
  return publish ? s.kb.entries.publish(e.id, '张编辑').id : e.id;
}

const ids = (docs: WatchedDocument[]) => docs.map((d) => d.documentId);

describe('policy watch (Q&A published ≥ 1 working day before the policy takes effect)', () => {
  const doc: Record<string, number> = {};
  const entry: Record<string, number> = {};

  beforeAll(async () => {
    s = await servicesFor([], { clock });
    clock.set('2026-02-02T10:00:00+08:00');
    // Takes effect on Tue 24 Feb 2026, the first working day after the Spring Festival holiday (15–23 Feb).
    doc.afterFestival = addDocument('after-festival.txt', { title: '节后施行的补贴办法', docNumber: '沪府办发〔2026〕1号', effectiveDate: '2026-02-24' });
    entry.afterFestivalPublished = addEntry({ question: '节后补贴办法适用于哪些企业？', documentId: doc.afterFestival }, true);
    entry.afterFestivalDraft = addEntry({ question: '节后补贴怎么申请？', documentId: doc.afterFestival }, false);
    doc.noQa = addDocument('no-qa.txt', { title: '尚未编写问答的通知', effectiveDate: '2026-02-24' });
    doc.alreadyEffective = addDocument('effective.txt', { title: '已施行的服务规范', effectiveDate: '2026-02-10' });
    entry.alreadyEffectiveDraft = addEntry({ question: '服务规范的适用范围是什么？', documentId: doc.alreadyEffective }, false);
    doc.ready = addDocument('ready.txt', { title: '已备好问答的办法', effectiveDate: '2026-02-25' });
    addEntry({ question: '办法什么时候开始施行？', documentId: doc.ready }, true);
    doc.later = addDocument('later.txt', { title: '三月施行的细则', effectiveDate: '2026-03-10' });
    addEntry({ question: '三月细则有哪些变化？', documentId: doc.later }, false);
    // Not watched: replaced, expired, no effective date, or every entry archived on purpose.
    const replaced = addDocument('replaced.txt', { title: '被替代的办法', effectiveDate: '2026-02-24' });
    s.kb.db.prepare('UPDATE documents SET replaced_by = ? WHERE id = ?').run(doc.ready, replaced);
    addEntry({ question: '被替代的办法怎么办理？', documentId: replaced }, false);
    addDocument('expired.txt', { title: '已失效的办法', effectiveDate: '2025-01-01', expiryDate: '2025-12-31' });
    addDocument('undated.txt', { title: '没有施行日期的说明' });
    const withdrawn = addDocument('withdrawn.txt', { title: '问答已撤下的通知', effectiveDate: '2026-01-05' });
    const w = addEntry({ question: '撤下的通知说了什么？', documentId: withdrawn }, true);
    s.kb.entries.archive(w, '张编辑', '通知内容已并入其他条目');
    // Entries with their own expiry dates.
    entry.expired = addEntry({ category: 'notice', question: '春节前临时服务安排是什么？', answer: '春节前延长窗口服务时间至晚上八点。', expiresAt: '2026-02-12' }, true);
    entry.expiresLater = addEntry({ category: 'notice', question: '元宵节期间窗口开放时间？', answer: '元宵节期间窗口正常开放。', expiresAt: '2026-03-05' }, true);
    await s.engine.sync();
  });
  afterAll(() => s.cleanup());

  it('on Thu 12 Feb, 3 working days before 24 Feb, the document is pending, not yet at risk', () => {
    const r = s.policyWatch.status(clock.set('2026-02-12T09:00:00+08:00'));
    expect(ids(r.atRisk)).toEqual([]);
    expect(ids(r.pending)).toEqual([doc.afterFestival, doc.noQa, doc.later]);
    expect(ids(r.late)).toEqual([doc.alreadyEffective]);
    expect(ids(r.onTime)).toEqual([doc.ready]);
  });

  it('on Fri 13 Feb it is at risk: 2 working days left (the 调休 Saturday and the 24th), publish by Sat 14 Feb', () => {
    const r = s.policyWatch.status(clock.set('2026-02-13T09:00:00+08:00'));
    expect(ids(r.atRisk)).toEqual([doc.afterFestival, doc.noQa]);
    expect(r.atRisk[0]).toMatchObject({
      title: '节后施行的补贴办法', docNumber: '沪府办发〔2026〕1号', effectiveDate: '2026-02-24', publishBy: '2026-02-14', workingDaysLeft: 2,
      publishedEntries: 1, draftEntries: 1, draftEntryIds: [entry.afterFestivalDraft],
    });
    expect(r.atRisk[1]).toMatchObject({ title: '尚未编写问答的通知', publishedEntries: 0, draftEntries: 0 });
    expect(ids(r.late)).toEqual([doc.alreadyEffective]);
    expect(r.late[0]).toMatchObject({ effectiveDate: '2026-02-10', workingDaysLeft: -3, draftEntryIds: [entry.alreadyEffectiveDraft] });
    expect(ids(r.pending)).toEqual([doc.later]);
  });

  it('the run flags entries past their expiry date (they already stopped answering); a second run flags nothing', async () => {
    const now = clock.set('2026-02-13T09:00:00+08:00');
    await s.engine.sync();
    expect((await s.answers.hitTest('春节前临时服务安排是什么？', {})).entryId).not.toBe(entry.expired);
    expect((await s.answers.hitTest('元宵节期间窗口开放时间？', {})).entryId).toBe(entry.expiresLater);

    const r = await runPolicyWatch(s, now);
    expect(r).toMatchObject({ today: '2026-02-13', expiredFlagged: 1, expiredEntryIds: [entry.expired] });
    expect(ids(r.atRisk)).toEqual([doc.afterFestival, doc.noQa]);
    expect(s.kb.entries.require(entry.expired)).toMatchObject({ reviewDue: true, reviewReason: '已过失效日期', status: 'published' });
    expect(s.kb.entries.require(entry.expiresLater).reviewDue).toBe(false);

    const versions = s.kb.entries.history(entry.expired).length;
    const again = await runPolicyWatch(s, now);
    expect(again).toMatchObject({ expiredFlagged: 0, expiredAlreadyDue: 1 });
    expect(s.kb.entries.history(entry.expired)).toHaveLength(versions);
  });

  it('an expired entry a reviewer has confirmed since is not flagged again', async () => {
    clock.set('2026-02-13T10:00:00+08:00');
    await reviewEntry(s, { entryId: entry.expired, action: 'confirm', note: '保留作为历史安排，待节后归档', reviewer: '王审核' });
    const r = await runPolicyWatch(s, clock.set('2026-02-24T09:00:00+08:00'));
    expect(r.expiredEntryIds).toEqual([]);
    expect(s.kb.entries.require(entry.expired).reviewDue).toBe(false);
  });

  it('publishing the draft on the 调休 Saturday puts the document on time', () => {
    clock.set('2026-02-14T11:00:00+08:00');
    s.kb.entries.publish(entry.afterFestivalDraft, '张编辑');
    const r = s.policyWatch.status(clock.now());
    expect(ids(r.onTime)).toEqual([doc.afterFestival, doc.ready]);
    expect(ids(r.atRisk)).toEqual([doc.noQa]);
  });

  it('once in effect with Q&A still missing, a document is late', () => {
    const r = s.policyWatch.status(clock.set('2026-02-24T09:00:00+08:00'));
    expect(ids(r.late)).toEqual([doc.alreadyEffective, doc.noQa]);
    expect(r.late[1]).toMatchObject({ effectiveDate: '2026-02-24', workingDaysLeft: 0 });
    expect(ids(r.atRisk)).toEqual([]);
    expect(ids(r.onTime)).toEqual([doc.ready]); // takes effect tomorrow, all published
  });

  it('GET /api/v1/admin/policy-watch shows the same lists without flagging anything', async () => {
    clock.set('2026-03-06T09:00:00+08:00'); // the 元宵 notice expired yesterday
    const app = createApp(s);
    const editor = s.tokens.create('张编辑', 'editor', 'test').token;
    const versions = (s.kb.db.prepare('SELECT count(*) AS n FROM entry_versions').get() as { n: number }).n;
    const res = await request(app).get('/api/v1/admin/policy-watch').set('Authorization', `Bearer ${editor}`).expect(200);
    expect(res.body.today).toBe('2026-03-06');
    // Fri 6 → Tue 10 March: Mon 9 and Tue 10 are 2 working days, so the March rules are at risk now.
    expect(res.body.atRisk).toMatchObject([{ documentId: doc.later, publishBy: '2026-03-09', workingDaysLeft: 2 }]);
    expect(res.body.pending).toEqual([]);
    expect((s.kb.db.prepare('SELECT count(*) AS n FROM entry_versions').get() as { n: number }).n).toBe(versions);
    expect(s.kb.entries.require(entry.expiresLater).reviewDue).toBe(false);
    await request(app).get('/api/v1/admin/policy-watch').expect(401);
  });
});
