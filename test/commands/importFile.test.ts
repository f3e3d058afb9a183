import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { servicesFor } from '../helpers/services.js';
import { tempDir } from '../helpers/paths.js';
import { importFile } from '../../server/commands/importFile.js';
import { fillGap } from '../../server/commands/fillGap.js';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { SteppingClock } from '../helpers/clock.js';

/** importFile: the import's entry changes follow updateEntry's rule, its publishes publishEntry's side effects. */
describe('importFile command', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let dir: string;
  beforeEach(async () => {
    s = await servicesFor();
    dir = tempDir();
  });
  afterEach(() => {
    s.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sheet = (name: string, rows: string[][]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, ['问题,答案,分类', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n');
    return file;
  };
  const indexInStep = () => expect(s.engine.status().kbVersion).toBe(s.kb.version());

  it('a published entry changed by a re-import waits as a pending revision; with publish the change goes live; the index follows', async () => {
    const v1 = sheet('社保.csv', [['社保卡丢了怎么补办？', '在随申办申请补卡。', '常见问题']]);
    const first = await importFile(s, { file: v1, publish: true, actor: '导入员' });
    expect(first.entries).toMatchObject({ created: 1, published: 1 });
    indexInStep();
    const id = s.kb.entries.list({ text: '社保卡丢了' }).items[0].id;
    expect((await s.answers.hitTest('社保卡丢了怎么补办？', {})).entryId).toBe(id);

    sheet('社保.csv', [['社保卡丢了怎么补办？', '在随申办或社区事务受理中心申请补卡。', '常见问题']]);
    const second = await importFile(s, { file: v1, publish: false, actor: '编辑' });
    expect(second.entries).toMatchObject({ updated: 1, revisions: 1 });
    expect(s.kb.entries.require(id).answer).toBe('在随申办申请补卡。'); // citizens still get the published text
    expect(s.kb.revisions.pending(id)?.changes.answer).toBe('在随申办或社区事务受理中心申请补卡。');
    indexInStep();

    sheet('社保.csv', [['社保卡丢了怎么补办？', '在随申办或社区事务受理中心申请补卡，当场制卡。', '常见问题']]);
    const third = await importFile(s, { file: v1, publish: true, actor: '审核员' });
    expect(third.entries).toMatchObject({ updated: 1, revisions: 0 });
    expect(s.kb.entries.require(id).answer).toBe('在随申办或社区事务受理中心申请补卡，当场制卡。');
    indexInStep();
  });

  it('publishing a gap’s fill draft through an import fills the gap', async () => {
    const gapId = s.kb.transaction(() => s.kb.gaps.create({ question: '护照过期了怎么换', firstAskedAt: s.kb.clock.nowIso(), lastAskedAt: s.kb.clock.nowIso(), dueDate: '2099-01-01', now: s.kb.clock.nowIso() }));
    const { entry } = await fillGap(s, { gapId, entry: { category: 'guide', question: '护照过期了怎么换发？', answer: '到出入境窗口申请换发。' }, actor: '编辑', publish: false });
    expect(s.kb.gaps.get(gapId)!.status).toBe('open');
    const file = sheet('出入境.csv', [['护照过期了怎么换发？', '到出入境窗口申请换发。', '网上办事指引']]);
    const out = await importFile(s, { file, publish: true, actor: '审核员', matchQuestions: true });
    expect(out.entries.published).toBe(1);
    expect(s.kb.entries.require(entry.id).status).toBe('published');
    expect(s.kb.gaps.get(gapId)).toMatchObject({ status: 'filled', entryId: entry.id, resolvedBy: '审核员' });
  });

  it('a sheet row without an answer opens a gap; the answer imported later fills it when published', async () => {
    const file = sheet('补缺.csv', [['居住证签注怎么办？', '', '常见问题']]);
    const first = await importFile(s, { file, publish: true, actor: '导入员' });
    const gapId = first.sheet!.gaps[0].gapId!;
    expect(s.kb.gaps.get(gapId)!.status).toBe('open');

    sheet('补缺.csv', [['居住证签注怎么办？', '在随申办申请居住证签注。', '常见问题']]);
    const draft = await importFile(s, { file, publish: false, actor: '编辑' });
    expect(draft.entries.created).toBe(1);
    const id = s.kb.entries.list({ text: '居住证签注' }).items[0].id;
    expect(s.kb.entries.require(id)).toMatchObject({ status: 'draft', gapId });
    expect(s.kb.gaps.get(gapId)!.status).toBe('open'); // a draft answers nobody yet

    const published = await importFile(s, { file, publish: true, actor: '审核员' });
    expect(published.entries.published).toBe(1);
    expect(s.kb.gaps.get(gapId)).toMatchObject({ status: 'filled', entryId: id, resolvedBy: '审核员' });
  });

  it('an upload’s gaps are due by the data directory’s working calendar, as the CLI’s are', async () => {
    const own = tempDir();
    fs.writeFileSync(path.join(own, 'calendar-overrides.json'), JSON.stringify({ holidays: ['2026-07-08'], workdays: [] }));
    const clock = new SteppingClock();
    clock.at('2026-07-06T10:00:00'); // a Monday
    const t = await servicesFor([], { dir: own, clock });
    try {
      const admin = { Authorization: `Bearer ${t.tokens.create('李管理', 'admin', 'test').token}` };
      const csv = '问题,答案,分类\r\n老年卡怎么申请？,,常见问题\r\n';
      const out = await request(createApp(t)).post(`/api/v1/admin/documents/import?name=${encodeURIComponent('老年.csv')}`).set(admin)
        .set('Content-Type', 'application/octet-stream').send(Buffer.from(csv, 'utf8')).expect(201);
      const gapId = out.body.sheet.gaps[0].gapId;
      expect(t.kb.gaps.get(gapId)!.dueDate).toBe('2026-07-14'); // 5 working days, the 8th a holiday in this data directory
    } finally {
      t.cleanup();
    }
  });
});
