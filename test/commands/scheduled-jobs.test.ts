import { describe, it, expect, afterEach, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { SteppingClock } from '../helpers/clock.js';
import { servicesFor } from '../helpers/services.js';
import { SERVICE_ENTRIES } from '../helpers/small-kb.js';
import { REPO_ROOT, tempDir } from '../helpers/paths.js';
import type { EntryInput } from '../../server/kb/validate.js';
import { flagEntriesDueForReview } from '../../server/commands/flagEntriesDueForReview.js';
import { runPolicyWatch } from '../../server/commands/runPolicyWatch.js';
import { mergeSimilarGaps } from '../../server/commands/mergeSimilarGaps.js';
import { reviewEntry } from '../../server/commands/reviewEntry.js';
import { fillGap } from '../../server/commands/fillGap.js';
import { saveLexicon } from '../../server/commands/saveLexicon.js';
import { formatSynonyms, readSynonymsFile } from '../../server/search/synonyms.js';

/** The scheduled jobs' commands: review-due, policy-watch, gap-cluster (gap-sla only reads). */
describe('scheduled jobs’ commands', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let clock: SteppingClock;
  afterEach(() => s.cleanup());

  async function start(at: string, dir?: string) {
    clock = new SteppingClock(`${at}+08:00`);
    s = await servicesFor([], { clock, dir });
  }
  const publish = (input: EntryInput) => s.kb.entries.publish(s.kb.entries.create(input, '张编辑').id, '张编辑').id;
  const indexInStep = () => expect(s.engine.status().kbVersion).toBe(s.kb.version());
  const last = (id: number) => s.kb.entries.history(id).at(-1)!;

  it('flagEntriesDueForReview flags entries due this half-year by system, keeps a more severe flag, and a second run writes nothing', async () => {
    await start('2026-03-02T10:00:00');
    const due = publish({ category: 'faq', question: '居住证怎么续签？', answer: '到期前 30 日内在“随申办”申请续签。' });
    const changed = publish({ category: 'faq', question: '社保缴费记录怎么查？', answer: '在“随申办”搜索“社保缴费记录”。' });
    s.kb.entries.flagForReview(changed, '源文件已更新：社保.docx', 'ingest');
    const versions = s.kb.entries.history(changed).length;

    const r = await flagEntriesDueForReview(s, clock.at('2026-07-01T08:05:00'));
    expect(r).toMatchObject({ today: '2026-07-01', halfYear: '2026H2', flagged: 1, alreadyDue: 1, flaggedEntryIds: [due] });
    expect(r.dueByReason).toMatchObject({ halfYear: 1, sourceChanged: 1 });
    expect(s.kb.entries.require(due)).toMatchObject({ status: 'published', reviewDue: true, reviewReason: '半年度复核：2026H2' });
    expect(last(due)).toMatchObject({ changedBy: 'system', changedAt: '2026-07-01T00:05:00.000Z' });
    expect(s.kb.entries.require(changed).reviewReason).toBe('源文件已更新：社保.docx');
    expect(s.kb.entries.history(changed)).toHaveLength(versions);
    indexInStep();

    const before = s.kb.version();
    expect(await flagEntriesDueForReview(s, clock.at('2026-07-01T09:00:00'))).toMatchObject({ flagged: 0, alreadyDue: 2 });
    expect(s.kb.version()).toBe(before);
  });

  it('runPolicyWatch flags entries past their expiry date by system, not one a reviewer confirmed since, and reports the watched documents', async () => {
    await start('2026-07-01T10:00:00');
    const expired = publish({ category: 'notice', question: '暑期临时服务安排是什么？', answer: '七月上旬窗口延长服务至晚上八点。', expiresAt: '2026-07-10' });
    const confirmed = publish({ category: 'notice', question: '高温期间窗口开放时间？', answer: '高温期间窗口正常开放。', expiresAt: '2026-07-08' });
    const later = publish({ category: 'notice', question: '国庆期间窗口开放时间？', answer: '国庆期间窗口轮休。', expiresAt: '2026-10-08' });
    clock.at('2026-07-09T10:00:00');
    await reviewEntry(s, { entryId: confirmed, action: 'confirm', note: '保留，待月底归档', reviewer: '王审核' });

    const r = await runPolicyWatch(s, clock.at('2026-07-13T08:10:00'));
    expect(r).toMatchObject({ today: '2026-07-13', atRisk: [], late: [], onTime: [], pending: [], expiredFlagged: 1, expiredEntryIds: [expired] });
    expect(s.kb.entries.require(expired)).toMatchObject({ reviewDue: true, reviewReason: '已过失效日期', status: 'published' });
    expect(last(expired)).toMatchObject({ changedBy: 'system', changedAt: '2026-07-13T00:10:00.000Z' });
    expect(s.kb.entries.require(confirmed).reviewDue).toBe(false);
    expect(s.kb.entries.require(later).reviewDue).toBe(false);
    indexInStep();

    const versions = s.kb.entries.history(expired).length;
    expect(await runPolicyWatch(s, clock.at('2026-07-14T08:10:00'))).toMatchObject({ expiredFlagged: 0, expiredAlreadyDue: 1 });
    expect(s.kb.entries.history(expired)).toHaveLength(versions);
  });

  it('mergeSimilarGaps moves the younger gap (asks, pending fill, linked draft) into the older one and rebuilds the gap lookup', async () => {
    // A data directory whose synonyms do not yet know 执照 = 营业执照, 丢了 = 遗失, 补 = 补办.
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'synonyms.txt'), '公司 ↔ 企业\n');
    await start('2026-07-01T10:00:00', dir);
    for (const e of SERVICE_ENTRIES) publish(e);
    const gapOf = async (question: string, at: string) => {
      clock.at(at);
      const reply = await s.answers.answer({ question, channel: 'pc' });
      await s.answers.settled();
      return s.gaps.gapOfAsk(reply.askId)!;
    };
    const older = await gapOf('营业执照丢了怎么补', '2026-07-01T10:00:00');
    const younger = await gapOf('执照遗失补办', '2026-07-03T10:00:00');
    expect(younger.id).not.toBe(older.id);
    const { entry: draft } = await fillGap(s, { gapId: younger.id, entry: { category: 'guide', answer: '在线申请补领。' }, actor: '张编辑', publish: false });
    expect(await mergeSimilarGaps(s)).toMatchObject({ merged: 0, open: 2 });

    await saveLexicon(s, { name: 'synonyms', content: formatSynonyms(readSynonymsFile(path.join(REPO_ROOT, 'kb-data', 'synonyms.txt'))), actor: '张编辑' });
    const forget = vi.spyOn(s.gaps, 'forgetOpenGaps');
    clock.at('2026-07-03T10:05:00');
    expect(await mergeSimilarGaps(s)).toEqual({ open: 1, merged: 1, merges: [{ from: younger.id, into: older.id }] });
    expect(forget).toHaveBeenCalledTimes(1);
    expect(s.kb.gaps.get(younger.id)).toBeNull();
    expect(s.kb.gaps.get(older.id)).toMatchObject({
      status: 'open', askCount: 2, entryId: draft.id, firstAskedAt: '2026-07-01T02:00:00.000Z', dueDate: '2026-07-08',
    });
    expect(s.kb.entries.require(draft.id).gapId).toBe(older.id);
    expect(last(draft.id)).toMatchObject({ changedBy: 'system', reason: `缺口 ${younger.id} 并入缺口 ${older.id}` });
    indexInStep();

    expect(await mergeSimilarGaps(s)).toEqual({ open: 1, merged: 0, merges: [] });
    expect(forget).toHaveBeenCalledTimes(1);
  });
});
