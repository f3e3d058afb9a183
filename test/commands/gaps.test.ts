import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { smallKb, SERVICE_ENTRIES } from '../helpers/small-kb.js';
import { ConflictError } from '../../server/kb/errors.js';
import { fillGap } from '../../server/commands/fillGap.js';
import { linkGap } from '../../server/commands/linkGap.js';
import { dismissGap } from '../../server/commands/dismissGap.js';
import { reopenGap } from '../../server/commands/reopenGap.js';
import { publishEntry } from '../../server/commands/publishEntry.js';

/** The gap queue's commands: fill (new entry), link (existing entry), dismiss, reopen. */
describe('gap commands', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  beforeEach(async () => {
    s = await smallKb(SERVICE_ENTRIES);
  });
  afterEach(() => s.cleanup());

  /** A gap opened by citizens' unanswered asks. */
  async function gapOf(...questions: string[]): Promise<number> {
    let id = 0;
    for (const question of questions) {
      const reply = await s.answers.answer({ question });
      await s.answers.settled();
      id = s.gaps.gapOfAsk(reply.askId)?.id ?? id;
    }
    expect(id).toBeGreaterThan(0);
    return id;
  }
  const indexInStep = () => expect(s.engine.status().kbVersion).toBe(s.kb.version());

  it('fillGap writes a draft linked to the gap (gap still open); publishing it fills the gap', async () => {
    const gapId = await gapOf('迪士尼年卡怎么办理');
    const { gap, entry } = await fillGap(s, { gapId, entry: { category: 'guide', answer: '迪士尼年卡由度假区自行办理。' }, actor: '张编辑', publish: false });
    expect(entry).toMatchObject({ status: 'draft', origin: 'gap-fill', gapId, question: '迪士尼年卡怎么办理' });
    expect(gap).toMatchObject({ status: 'open', entryId: entry.id });
    await expect(fillGap(s, { gapId, entry: { category: 'guide', answer: '另一条。' }, actor: '张编辑', publish: false })).rejects.toBeInstanceOf(ConflictError);
    await publishEntry(s, { id: entry.id, actor: '李审核', reason: null });
    expect(s.kb.gaps.get(gapId)).toMatchObject({ status: 'filled', fillMode: 'new_entry', resolvedBy: '李审核' });
    indexInStep();
  });

  it('fillGap with publish fills the gap at once and the entry answers', async () => {
    const gapId = await gapOf('新能源汽车牌照怎么申请');
    const { gap, entry } = await fillGap(s, { gapId, entry: { category: 'guide', answer: '新能源汽车专用牌照额度在“一网通办”申请。' }, actor: '李管理', publish: true });
    expect(entry.status).toBe('published');
    expect(gap.status).toBe('filled');
    indexInStep();
    expect((await s.answers.hitTest('新能源汽车牌照怎么申请', {})).entryId).toBe(entry.id);
  });

  it('linkGap fills the gap; the entry’s similar questions gain the gap’s questions live, or as a pending revision', async () => {
    const target = s.ids[0]; // 居住证怎么办理？
    const live = await gapOf('博物馆年票在哪里买');
    const out = await linkGap(s, { gapId: live, entryId: target, actor: '李审核', live: true });
    expect(out).toMatchObject({ waitingForReview: false, gap: { status: 'filled', fillMode: 'linked', entryId: target } });
    expect(s.kb.entries.require(target).similarQuestions).toContain('博物馆年票在哪里买');

    const pending = await gapOf('游泳馆夏季开放到几点');
    const out2 = await linkGap(s, { gapId: pending, entryId: s.ids[0], actor: '张编辑', live: false });
    expect(out2.waitingForReview).toBe(true);
    expect(s.kb.gaps.get(pending)!.status).toBe('filled');
    expect(s.kb.entries.require(target).similarQuestions).not.toContain('游泳馆夏季开放到几点');
    expect(s.kb.revisions.pending(target)?.changes.similarQuestions).toContain('游泳馆夏季开放到几点');
    indexInStep();
  });

  it('dismissGap closes an open gap with a reason; reopenGap brings it back and the next ask of it joins it', async () => {
    const gapId = await gapOf('九价疫苗怎么预约');
    expect(dismissGap(s, { gapId, reason: '不属于帮办范围', actor: '张编辑' })).toMatchObject({ status: 'dismissed', dismissReason: '不属于帮办范围' });
    expect(() => dismissGap(s, { gapId, reason: '再驳回', actor: '张编辑' })).toThrow(ConflictError);
    expect(reopenGap(s, { gapId }).status).toBe('open');
    expect(() => reopenGap(s, { gapId })).toThrow(ConflictError);
    expect(await gapOf('九价疫苗怎么预约')).toBe(gapId); // the open-gap lookup was told: no duplicate gap
    expect(s.kb.gaps.get(gapId)!.askCount).toBe(2);
  });
});
