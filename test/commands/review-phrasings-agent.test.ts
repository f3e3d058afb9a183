import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { smallKb, SERVICE_ENTRIES } from '../helpers/small-kb.js';
import { ConflictError, ValidationError } from '../../server/kb/errors.js';
import { reviewEntry } from '../../server/commands/reviewEntry.js';
import { updateEntry } from '../../server/commands/updateEntry.js';
import { acceptPhrasing } from '../../server/commands/acceptPhrasing.js';
import { rejectPhrasing } from '../../server/commands/rejectPhrasing.js';
import { recordAgentAnswer } from '../../server/commands/recordAgentAnswer.js';
import { publishEntry } from '../../server/commands/publishEntry.js';

describe('reviewEntry, acceptPhrasing / rejectPhrasing, recordAgentAnswer', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  beforeEach(async () => {
    s = await smallKb(SERVICE_ENTRIES);
  });
  afterEach(() => s.cleanup());
  const indexInStep = () => expect(s.engine.status().kbVersion).toBe(s.kb.version());

  it('reviewEntry: confirm clears the flag (approving the pending change first when asked), update is live, archive takes the entry away', async () => {
    const [a, b, c] = s.ids;
    s.kb.entries.flagForReview(a, '半年度复核：2026H2', 'system');
    await updateEntry(s, { id: a, patch: { answer: '复核时批准的新说明。' }, actor: '张编辑', reason: null });
    await expect(reviewEntry(s, { entryId: a, action: 'archive', note: 'x', approvePending: true, reviewer: '李审核' })).rejects.toBeInstanceOf(ValidationError);
    const confirmed = await reviewEntry(s, { entryId: a, action: 'confirm', note: '口径无变化', approvePending: true, reviewer: '李审核' });
    expect(confirmed.entry).toMatchObject({ reviewDue: false, answer: '复核时批准的新说明。' });
    expect(confirmed.review).toMatchObject({ action: 'confirm', reviewer: '李审核' });
    expect(s.kb.entries.require(a).lastReviewedAt).not.toBeNull();

    const updated = await reviewEntry(s, { entryId: b, action: 'update', note: '补充渠道', changes: { answer: '在“随申办”或“一网通办”查询。' }, reviewer: '李管理' });
    expect(updated.entry.answer).toBe('在“随申办”或“一网通办”查询。');
    expect(s.kb.revisions.pending(b)).toBeNull();

    const archived = await reviewEntry(s, { entryId: c, action: 'archive', note: '事项取消', reviewer: '李审核' });
    expect(archived.entry.status).toBe('archived');
    await expect(reviewEntry(s, { entryId: c, action: 'confirm', note: '再复核', reviewer: '李审核' })).rejects.toBeInstanceOf(ConflictError);
    indexInStep();
  });

  it('acceptPhrasing adds the citizen’s phrasing live or as a pending revision; rejectPhrasing decides without touching the entry', async () => {
    const [a, b] = s.ids;
    s.answers.phrasings.recordChoice('居住证在哪里弄', a);
    s.answers.phrasings.recordChoice('缴费明细去哪看', b);
    const [pa, pb] = s.answers.phrasings.list().items.sort((x, y) => x.entryId - y.entryId);
    const live = await acceptPhrasing(s, { id: pa.id, actor: '李审核', live: true });
    expect(live).toMatchObject({ waitingForReview: false, proposal: { status: 'accepted' } });
    expect(s.kb.entries.require(a).similarQuestions).toContain('居住证在哪里弄');
    indexInStep();
    expect((await s.answers.hitTest('居住证在哪里弄', {})).entryId).toBe(a);

    const versionBefore = s.kb.entries.require(b).version;
    expect(rejectPhrasing(s, { id: pb.id, actor: '张编辑' }).status).toBe('rejected');
    expect(s.kb.entries.require(b).version).toBe(versionBefore);
    await expect(acceptPhrasing(s, { id: pb.id, actor: '张编辑', live: false })).rejects.toBeInstanceOf(ConflictError);

    s.answers.phrasings.recordChoice('查社保交了多少钱', b);
    const pc = s.answers.phrasings.list().items.find((p) => p.question === '查社保交了多少钱')!;
    const pending = await acceptPhrasing(s, { id: pc.id, actor: '张编辑', live: false, question: '社保交了多少钱怎么查' });
    expect(pending.waitingForReview).toBe(true);
    expect(s.kb.revisions.pending(b)?.changes.similarQuestions).toContain('社保交了多少钱怎么查');
  });

  it('recordAgentAnswer masks personal data, links the ask and its gap (publishing fills it), and keeps the index in step', async () => {
    const reply = await s.answers.answer({ question: '护照加急办理要多久' });
    await s.answers.settled();
    const gap = s.gaps.gapOfAsk(reply.askId)!;
    const entry = await recordAgentAnswer(s, { question: '护照加急要几天？', answer: '加急 5 个工作日，可致电 13812345678 咨询。', askId: reply.askId, actor: '王坐席' });
    expect(entry).toMatchObject({ status: 'draft', origin: 'agent', askId: reply.askId, gapId: gap.id });
    expect(entry.answer).toContain('[手机号]');
    expect(entry.similarQuestions).toContain('护照加急办理要多久');
    indexInStep();
    await publishEntry(s, { id: entry.id, actor: '李审核', reason: null });
    expect(s.kb.gaps.get(gap.id)!.status).toBe('filled');
    await expect(recordAgentAnswer(s, { question: '问题？', answer: '答复。', askId: 'no-such-ask', actor: '王坐席' })).rejects.toThrow('no-such-ask');
  });

  it('over HTTP too, an agent answer and a rejected revision leave /healthz reporting the index up to date', async () => {
    const app = createApp(s);
    const agent = { Authorization: `Bearer ${s.tokens.create('王坐席', 'agent', 'test').token}` };
    const reviewer = { Authorization: `Bearer ${s.tokens.create('李审核', 'reviewer', 'test').token}` };
    await request(app).post('/api/v1/agent/answers').set(agent).send({ question: '残疾人证怎么补办？', answer: '在“随申办”申请补办。' }).expect(201);
    expect((await request(app).get('/healthz').expect(200)).body.index.upToDate).toBe(true);
    await updateEntry(s, { id: s.ids[3], patch: { answer: '待退回的修改。' }, actor: '张编辑', reason: null });
    const version = s.kb.entries.require(s.ids[3]).version;
    await request(app).post(`/api/v1/admin/entries/${s.ids[3]}/revision/reject`).set(reviewer).send({ reason: '口径未定', version }).expect(200);
    expect((await request(app).get('/healthz').expect(200)).body.index.upToDate).toBe(true);
  });
});
