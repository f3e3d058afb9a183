import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import request from 'supertest';
import { createApp } from '../../app.js';
import type { EntryInput } from '../../kb/validate.js';
import { servicesFor } from '../../../test/helpers/services.js';

/** Bulk archive and “send to review” from the admin lists: one transaction each, permission- and version-checked like the single actions. */

const ENTRY = (n: number): EntryInput => ({ category: 'faq', question: `示例问题第${n}号怎么办理？`, answer: `示例答复第${n}号：在“一网通办”在线办理。` });

describe('bulk archive and send to review', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let auth: Record<'editor' | 'reviewer' | 'agent', { Authorization: string }>;
  let published: number[];
  let drafts: number[];

  beforeEach(async () => {
    s = await servicesFor();
    app = createApp(s);
    const token = (name: string, role: 'editor' | 'reviewer' | 'agent') => ({ Authorization: `Bearer ${s.tokens.create(name, role, 'test').token}` });
    auth = { editor: token('张编辑', 'editor'), reviewer: token('李审核', 'reviewer'), agent: token('王坐席', 'agent') };
    published = [1, 2, 3].map((n) => s.kb.entries.publish(s.kb.entries.create(ENTRY(n), 'test').id, 'test').id);
    drafts = [4, 5].map((n) => s.kb.entries.create(ENTRY(n), 'test').id);
    await s.engine.sync();
  });
  afterEach(() => s.cleanup());

  const items = (ids: number[]) => ids.map((id) => ({ id, version: s.kb.entries.require(id).version }));
  const status = (ids: number[]) => ids.map((id) => s.kb.entries.require(id).status);

  it('a reviewer archives published entries in one go; citizens no longer get them', async () => {
    const before = (await request(app).post('/api/v1/answer').send({ question: '示例问题第1号怎么办理？' }).expect(200)).body;
    expect(before.outcome).toBe('answered');
    const out = await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.reviewer).send({ items: items([published[0], published[1]]), reason: '事项已取消' }).expect(200);
    expect(out.body.message).toBe('已归档 2 条，智能客服不再用它们作答');
    expect(status([published[0], published[1], published[2], drafts[0]])).toEqual(['archived', 'archived', 'published', 'draft']);
    expect(s.kb.entries.history(published[0]).find((v) => v.action === 'archive')).toMatchObject({ changedBy: '李审核', reason: '事项已取消' });
    const after = (await request(app).post('/api/v1/answer').send({ question: '示例问题第1号怎么办理？' }).expect(200)).body;
    expect(after.answer?.entryId).not.toBe(published[0]);
    // the audit log has the editor action
    expect(s.audit.list({ actor: '李审核' }).items.map((a: { path: string; status: number }) => [a.path, a.status])).toContainEqual(['/api/v1/admin/entries/archive-selected', 200]);
  });

  it('an editor may archive drafts but not published ones: one published entry in the selection refuses the lot', async () => {
    const refused = await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.editor).send({ items: items([drafts[0], published[0]]), reason: '重复' }).expect(403);
    expect(refused.body.message).toContain('已发布条目的归档由审核人员决定');
    expect(status([drafts[0], published[0]])).toEqual(['draft', 'published']); // nothing done
    await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.editor).send({ items: items(drafts), reason: '重复' }).expect(200);
    expect(status(drafts)).toEqual(['archived', 'archived']);
    // like the single action: archiving a draft is an editor's (a reviewer does not write)
    const draft = s.kb.entries.create(ENTRY(6), 'test').id;
    await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.reviewer).send({ items: items([published[2], draft]), reason: '重复' }).expect(403);
    expect(status([published[2], draft])).toEqual(['published', 'draft']);
    await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.agent).send({ items: items([published[2]]), reason: 'x' }).expect(403);
  });

  it('a stale version refuses the whole selection with 409; a reason is required', async () => {
    const stale = items(published);
    s.kb.entries.flagForReview(published[1], '半年度复核：2026H2', 'system'); // someone else changed it meanwhile
    const conflict = await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.reviewer).send({ items: stale, reason: '取消' }).expect(409);
    expect(conflict.body.current.id).toBe(published[1]);
    expect(status(published)).toEqual(['published', 'published', 'published']);
    const noReason = await request(app).post('/api/v1/admin/entries/archive-selected').set(auth.reviewer).send({ items: items(published) }).expect(400);
    expect(noReason.body.message).toContain('归档需要说明原因');
  });

  it('editors and reviewers send published entries to review: 待复核 in the queue, still answering', async () => {
    s.kb.entries.flagForReview(published[2], '源文件已更新', 'system');
    const out = await request(app).post('/api/v1/admin/entries/flag-selected').set(auth.editor).send({ items: items(published), reason: '办理地点调整' }).expect(200);
    expect(out.body).toMatchObject({ flagged: [published[0], published[1]], alreadyDue: [published[2]] });
    expect(out.body.message).toBe('已把 2 条送复核，1 条原已在复核队列（保留原因）；复核前照常作答');
    const queue = (await request(app).get('/api/v1/admin/reviews/queue').set(auth.reviewer).expect(200)).body;
    expect(queue.items.map((i: { entryId: number; reason: string }) => [i.entryId, i.reason])).toEqual(expect.arrayContaining([
      [published[0], '送复核：办理地点调整'], [published[1], '送复核：办理地点调整'], [published[2], '源文件已更新'],
    ]));
    expect((await request(app).post('/api/v1/answer').send({ question: '示例问题第1号怎么办理？' }).expect(200)).body.answer.entryId).toBe(published[0]);
    // a draft cannot be sent to review (it does not answer yet); the agent role may not send at all
    const draft = await request(app).post('/api/v1/admin/entries/flag-selected').set(auth.reviewer).send({ items: items([drafts[0]]), reason: 'x' }).expect(409);
    expect(draft.body.message).toContain('是草稿，复核只针对已发布的条目');
    await request(app).post('/api/v1/admin/entries/flag-selected').set(auth.agent).send({ items: items([published[0]]), reason: 'x' }).expect(403);
  });
});
