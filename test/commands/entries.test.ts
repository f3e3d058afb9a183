import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { smallKb, SERVICE_ENTRIES } from '../helpers/small-kb.js';
import { ConflictError, ForbiddenError, VersionConflictError } from '../../server/kb/errors.js';
import { createEntry } from '../../server/commands/createEntry.js';
import { updateEntry } from '../../server/commands/updateEntry.js';
import { publishEntry } from '../../server/commands/publishEntry.js';
import { archiveEntry } from '../../server/commands/archiveEntry.js';
import { approveRevision } from '../../server/commands/approveRevision.js';
import { rejectRevision } from '../../server/commands/rejectRevision.js';
import { publishSelected } from '../../server/commands/publishSelected.js';
import { archiveSelected } from '../../server/commands/archiveSelected.js';
import { flagSelected } from '../../server/commands/flagSelected.js';

/** The entry commands: each one transaction with its side effects, the search index told after the commit. */
describe('entry commands', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  beforeEach(async () => {
    s = await smallKb(SERVICE_ENTRIES);
  });
  afterEach(() => s.cleanup());

  const indexInStep = () => expect(s.engine.status().kbVersion).toBe(s.kb.version());
  const answerOf = async (q: string) => (await s.answers.hitTest(q, {})).entryId;
  const draft = (question: string, answer: string) => createEntry(s, { fields: { category: 'faq', question, answer }, actor: '张编辑', reason: null });

  it('createEntry makes a draft, not searchable; publishEntry makes it answer and fills the gap it is linked to', async () => {
    const e = await draft('电动自行车牌照怎么办理？', '在“随申办”预约后到登记点上牌。');
    expect(e).toMatchObject({ status: 'draft', origin: 'manual', pendingRevision: null });
    indexInStep();
    const now = s.kb.clock.nowIso();
    const gapId = s.kb.transaction(() => s.kb.gaps.create({ question: '电瓶车怎么上牌', firstAskedAt: now, lastAskedAt: now, dueDate: '2099-01-01', now }));
    s.kb.entries.linkOrigin(e.id, { gapId }, '张编辑', '补缺');
    const published = await publishEntry(s, { id: e.id, actor: '李审核', reason: null, expectedVersion: s.kb.entries.require(e.id).version });
    expect(published.status).toBe('published');
    expect(s.kb.gaps.get(gapId)).toMatchObject({ status: 'filled', entryId: e.id, resolvedBy: '李审核' });
    indexInStep();
    expect(await answerOf('电动自行车牌照怎么办理？')).toBe(e.id);
  });

  it('updateEntry: a draft changes in place, a published entry gets a pending revision unless live; a stale version writes nothing', async () => {
    const id = s.ids[0];
    const before = s.kb.entries.require(id);
    const pending = await updateEntry(s, { id, patch: { answer: '在“随申办”办理居住登记，满半年后申领居住证。' }, actor: '张编辑', reason: '补充', expectedVersion: before.version });
    expect(pending.waitingForReview).toBe(true);
    expect(pending.entry.answer).toBe(before.answer);
    expect(pending.entry.pendingRevision?.changes.answer).toBe('在“随申办”办理居住登记，满半年后申领居住证。');
    indexInStep();

    await expect(updateEntry(s, { id, patch: { answer: 'x' }, actor: '张编辑', reason: null, expectedVersion: before.version })).rejects.toBeInstanceOf(VersionConflictError);
    expect(s.kb.revisions.pending(id)?.changes.answer).toBe('在“随申办”办理居住登记，满半年后申领居住证。');

    const live = await updateEntry(s, { id: s.ids[1], patch: { department: '市人社局' }, actor: '李管理', reason: null, live: true });
    expect(live).toMatchObject({ waitingForReview: false, entry: { department: '市人社局', status: 'published' } });

    const d = await draft('草稿问题怎么写？', '草稿答复。');
    expect((await updateEntry(s, { id: d.id, patch: { answer: '改过的草稿答复。' }, actor: '张编辑', reason: null })).entry.answer).toBe('改过的草稿答复。');
  });

  it('approveRevision puts the change live and in the index; rejectRevision keeps the published text and the index in step', async () => {
    const [a, b] = s.ids;
    await updateEntry(s, { id: a, patch: { answer: '新的居住证办理说明。' }, actor: '张编辑', reason: null });
    await updateEntry(s, { id: b, patch: { answer: '新的缴费记录查询说明。' }, actor: '张编辑', reason: null });
    const approved = await approveRevision(s, { id: a, actor: '李审核', note: null, expectedVersion: s.kb.entries.require(a).version });
    expect(approved.answer).toBe('新的居住证办理说明。');
    indexInStep();
    const rejected = await rejectRevision(s, { id: b, actor: '李审核', note: '口径未定' });
    expect(rejected.answer).toBe(SERVICE_ENTRIES[1].answer);
    expect(s.kb.revisions.pending(b)).toBeNull();
    indexInStep(); // the rejection is a new version of the entry: /healthz must not report the index behind
  });

  it('archiveEntry closes the pending revision and the review flag, asks the caller’s permission first, and drops the entry from answers', async () => {
    const id = s.ids[3];
    await updateEntry(s, { id, patch: { answer: '改过的热线说明。' }, actor: '张编辑', reason: null });
    s.kb.entries.flagForReview(id, '半年度复核：2026H2', 'system');
    const refuse = () => { throw new ForbiddenError('不能归档'); };
    await expect(archiveEntry(s, { id, actor: '张编辑', reason: '合并', mayArchive: refuse })).rejects.toBeInstanceOf(ForbiddenError);
    expect(s.kb.entries.require(id).status).toBe('published');
    const archived = await archiveEntry(s, { id, actor: '李审核', reason: '合并到另一条', expectedVersion: s.kb.entries.require(id).version });
    expect(archived).toMatchObject({ status: 'archived', reviewDue: false, pendingRevision: null });
    expect(s.kb.revisions.pending(id)).toBeNull();
    indexInStep();
    expect(await answerOf('12345是什么热线？')).not.toBe(id);
    await expect(archiveEntry(s, { id, actor: '李审核', reason: '再归档' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('bulk publish / archive / flag: all or none, with each single command’s side effects', async () => {
    const d = await draft('新生儿落户怎么办理？', '在“随申办”申请新生儿户口登记。');
    await updateEntry(s, { id: s.ids[0], patch: { answer: '批量批准的说明。' }, actor: '张编辑', reason: null });
    const item = (id: number) => ({ id, version: s.kb.entries.require(id).version });
    // one entry with nothing to publish refuses the lot
    await expect(publishSelected(s, { items: [item(d.id), item(s.ids[1])], actor: '李审核', reason: null })).rejects.toBeInstanceOf(ConflictError);
    expect(s.kb.entries.require(d.id).status).toBe('draft');
    const out = await publishSelected(s, { items: [item(d.id), item(s.ids[0])], actor: '李审核', reason: null });
    expect(out).toEqual({ published: [d.id], approved: [s.ids[0]] });
    expect(s.kb.entries.require(s.ids[0]).answer).toBe('批量批准的说明。');
    indexInStep();

    const flagged = await flagSelected(s, { items: [item(s.ids[1]), item(s.ids[2])], actor: '张编辑', reason: '送复核：口径变化' });
    expect(flagged.flagged).toEqual([s.ids[1], s.ids[2]]);
    expect(s.kb.entries.require(s.ids[1]).reviewDue).toBe(true);

    const archived = await archiveSelected(s, { items: [item(s.ids[1]), item(d.id)], actor: '李审核', reason: '事项取消', mayArchive: () => {} });
    expect(archived.archived).toEqual([s.ids[1], d.id]);
    expect(s.kb.entries.require(s.ids[1])).toMatchObject({ status: 'archived', reviewDue: false });
    indexInStep();
  });
});
