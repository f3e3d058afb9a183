import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SteppingClock } from './helpers/clock.js';
import { ingestFile } from '../ingest/pipeline.js';
import { JobRunner } from '../server/ops/jobs.js';
import { computeAuditReport, parsePeriod } from '../server/ops/report.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { servicesFor } from './helpers/services.js';
import { reviewEntry } from '../server/commands/reviewEntry.js';
import { fillGap } from '../server/commands/fillGap.js';
import { dismissGap } from '../server/commands/dismissGap.js';

/**
 * A simulated half-year (2026H2) walked with the real working-day calendar: asks → gaps filled on time, late,
 * dismissed and left overdue; one policy's Q&A published on time and one late; entries reviewed and not; then
 * the audit report's figures are asserted exactly.
 */

const policyText = (title: string, number: string, effective: string, signed: string, body: string) =>
  `示例区行政服务中心文件\n\n${number}\n\n${title}\n\n一、办理渠道\n\n${body}\n\n二、施行日期\n\n本指引自${effective}起施行。\n\n示例区行政服务中心\n\n${signed}\n`;

describe('a half-year of KB operations, replayed', () => {
  const clock = new SteppingClock('2026-06-15T01:00:00Z');
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let dir: string;
  let jobs: JobRunner;
  const ids: Record<string, number> = {};

  const ask = async (question: string, shanghai: string, extra: { audience?: 'enterprise' | 'individual'; channel?: 'pc' | 'mobile' } = {}) => {
    clock.at(shanghai);
    const res = await s.answers.answer({ question, channel: extra.channel ?? 'pc', audience: extra.audience });
    await s.answers.settled(); // the gap queue gathers the ask right after the reply, at this moment
    return res;
  };

  beforeAll(async () => {
    dir = tempDir();
    s = await servicesFor([], { clock, dir });
    jobs = new JobRunner(s);

    // Before the half-year: four published entries of two units.
    clock.at('2026-06-15T10:00:00');
    const make = (key: string, question: string, answer: string, department: string) => {
      const e = s.kb.entries.create({ category: 'guide', question, answer, department, similarQuestions: [] }, '编辑');
      ids[key] = s.kb.entries.publish(e.id, '编辑').id;
    };
    make('licence', '营业执照遗失了怎么补办？', '登录“一网通办”，搜索“营业执照补领”在线申请。', '区市场监管局');
    make('fund', '公积金怎么提取？', '在“随申办”搜索“公积金提取”在线申请。', '区公积金中心');
    make('residence', '居住证怎么续签？', '居住证到期前 30 日内可在“随申办”申请续签。', '区公安分局');
    make('social', '社保缴费记录怎么查？', '在“随申办”搜索“社保缴费记录”即可查询。', '区人社局');
    await s.engine.sync();
  });
  afterAll(() => s.cleanup());

  it('walks the half-year', async () => {
    // 07-01: the daily review job flags every entry not yet reviewed this half-year.
    const reviewRun = await jobs.run('review-due', new Date('2026-07-01T09:00:00+08:00'));
    expect(reviewRun.status).toBe('ok');
    expect(s.kb.entries.list({ reviewDue: true }).total).toBe(4);

    // Answered asks with 好差评 feedback; an enterprise and an individual.
    const a1 = await ask('营业执照丢了怎么补办', '2026-07-02T10:00:00', { audience: 'enterprise' });
    const a2 = await ask('公积金怎么提取', '2026-07-02T11:00:00', { audience: 'individual', channel: 'mobile' });
    const a3 = await ask('社保缴费记录怎么查', '2026-07-03T15:00:00', { audience: 'enterprise' });
    for (const a of [a1, a2, a3]) expect(a.outcome).toBe('answered');
    await s.answers.feedback(a1.askId, true, null);
    await s.answers.feedback(a2.askId, true, null);
    await s.answers.feedback(a3.askId, false, '没说怎么打印'); // 未解决 → also a gap
    await s.answers.settled(); // gathered right after the reply, at this moment

    // Gap A: first asked Monday 07-06, due 5 working days later (07-13), filled 07-10: on time.
    const g1 = await ask('迪士尼年卡怎么办理', '2026-07-06T09:30:00');
    expect(g1.outcome).toBe('no_answer');
    const gapA = s.gaps.gapOfAsk(g1.askId)!;
    expect(gapA.dueDate).toBe('2026-07-13');
    const g1b = await ask('迪士尼年卡在哪里办理', '2026-07-07T09:30:00', { channel: 'mobile' }); // joins the same gap
    expect(g1b.outcome).toBe('no_answer');
    expect(s.gaps.gapOfAsk(g1b.askId)?.id).toBe(gapA.id);
    expect(s.gaps.require(gapA.id).askCount).toBe(2);
    clock.at('2026-07-10T16:00:00');
    await fillGap(s, { gapId: gapA.id, entry: { category: 'guide', answer: '迪士尼年卡由上海迪士尼度假区自行办理，不属于政务服务事项。' }, actor: '编辑', publish: true });
    await s.engine.sync();
    expect((await ask('迪士尼年卡怎么办理', '2026-07-13T09:00:00')).outcome).toBe('answered');

    // Gap B: first asked 09-28, due across the National Day holiday (10-01..10-07 off): filled 10-16, late.
    const g2 = await ask('新能源汽车牌照怎么申请', '2026-09-28T10:00:00', { audience: 'enterprise' });
    const gapB = s.gaps.gapOfAsk(g2.askId)!;
    expect(gapB.dueDate).toBe(s.calendar.addWorkingDays('2026-09-28', 5));
    expect(gapB.dueDate > '2026-10-07').toBe(true);
    const sla = await jobs.run('gap-sla', new Date(`${gapB.dueDate}T18:00:00+08:00`));
    expect(sla.status).toBe('ok');
    clock.at('2026-10-16T10:00:00');
    await fillGap(s, { gapId: gapB.id, entry: { category: 'guide', answer: '新能源汽车专用牌照额度由市经济信息化委受理，请在“一网通办”搜索申请。' }, actor: '编辑', publish: true });

    // The 未解决 feedback opened a gap; it is dismissed with a reason.
    const gapC = s.gaps.gapOfAsk(a3.askId)!;
    clock.at('2026-07-08T10:00:00');
    dismissGap(s, { gapId: gapC.id, reason: '条目已覆盖，市民另有打印需求已转窗口', actor: '审核员' });

    // Gap D: asked in December, never filled: open and overdue at the end of the half-year.
    const g4 = await ask('九价疫苗怎么预约', '2026-12-14T10:00:00');
    const gapD = s.gaps.gapOfAsk(g4.askId)!;
    expect(gapD.status).toBe('open');

    // Hand-offs: in working hours to the online agents, on a Saturday to 12345.
    clock.at('2026-12-14T10:05:00');
    expect(s.answers.asks.handoff(g4.askId, s.answers.handoffChannel()).channel).toBe('online_agent');
    const g5 = await ask('九价疫苗如何预约', '2026-12-19T20:00:00'); // the same question again: joins gap D
    expect(s.gaps.gapOfAsk(g5.askId)?.id).toBe(gapD.id);
    clock.at('2026-12-19T20:01:00');
    expect(s.answers.asks.handoff(g5.askId, s.answers.handoffChannel()).channel).toBe('12345');

    // Two policies: Q&A published the working day before (on time), and on the day it takes effect (late).
    const docs = path.join(dir, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'p1.txt'), policyText('示例区居住证办理指引', '示例办〔2026〕5号', '2026年9月1日', '2026年8月20日', '居住证可以通过“一网通办”在线申请，材料齐全的5个工作日内办结。'));
    fs.writeFileSync(path.join(docs, 'p2.txt'), policyText('示例区公积金提取指引', '示例办〔2026〕6号', '2026年10月9日', '2026年9月25日', '公积金提取可以通过“随申办”在线申请，审核通过后3个工作日内到账。'));
    clock.at('2026-08-20T10:00:00');
    const p1 = await ingestFile(s.kb, path.join(docs, 'p1.txt'), { publish: false, actor: '编辑' });
    clock.at('2026-09-25T10:00:00');
    const p2 = await ingestFile(s.kb, path.join(docs, 'p2.txt'), { publish: false, actor: '编辑' });
    expect(s.kb.documents.get(p1.documentId!)!.effectiveDate).toBe('2026-09-01');
    const atRisk = s.policyWatch.status(new Date('2026-08-28T09:00:00+08:00'));
    expect(atRisk.atRisk.map((d: { documentId: number }) => d.documentId)).toContain(p1.documentId);
    const publishAll = (documentId: number) => {
      for (const e of s.kb.entries.ofDocument(documentId)) if (e.status === 'draft') s.kb.entries.publish(e.id, '审核员');
    };
    clock.at('2026-08-31T17:00:00'); // Monday: the last working day before Tuesday 09-01
    publishAll(p1.documentId!);
    clock.at('2026-10-09T09:00:00'); // the day it takes effect: late
    publishAll(p2.documentId!);

    // Reviews: two of the four old entries are confirmed / updated in the half-year, two are not.
    clock.at('2026-11-02T10:00:00');
    await reviewEntry(s, { entryId: ids.licence, action: 'confirm', note: '政策仍有效', reviewer: '审核员' });
    await reviewEntry(s, { entryId: ids.fund, action: 'update', note: '补充渠道', changes: { answer: '在“随申办”或“一网通办”搜索“公积金提取”在线申请。' }, reviewer: '审核员' });

    // The CLI replays the last day of the half-year.
    await s.engine.sync();
    const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/jobs.js'), 'gap-sla', '--now', '2026-12-31T09:00:00+08:00', '--data-dir', dir], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
  });

  it('reports the half-year figures exactly', () => {
    const report = computeAuditReport(s.kb, s.calendar, parsePeriod('2026H2'), new Date('2027-01-05T09:00:00+08:00'));
    expect(report.complete).toBe(true);

    // gaps: A on time, B late, C dismissed, D open and overdue (D's hand-off asks joined it)
    expect(report.gaps).toMatchObject({ opened: 4, filledOnTime: 1, filledLate: 1, dismissed: 1, openOverdue: 1 });
    expect(report.gaps.onTime).toMatchObject({ numerator: 1, denominator: 3 });
    const lateDays = s.calendar.workingDaysBetween('2026-09-28', '2026-10-16');
    expect(report.gaps.medianWorkingDaysToFill).toBe((4 + lateDays) / 2); // A: 07-06 → 07-10 is 4 working days

    // policies: one on time of two
    expect(report.policies.onTime).toMatchObject({ numerator: 1, denominator: 2 });
    expect(report.policies.documents.map((d) => d.status).sort()).toEqual(['late', 'on_time']);

    // asks: 3 answered + the re-ask of gap A answered; no_answer: A×2, B, D×2
    expect(report.asks.total).toBe(9);
    expect(report.asks.byOutcome).toMatchObject({ answered: 4, no_answer: 5, suggest: 0, out_of_scope: 0 });
    expect(report.asks.resolution).toMatchObject({ numerator: 2, denominator: 3 });
    expect(report.asks.enterpriseResolution).toMatchObject({ numerator: 1, denominator: 2 });
    expect(report.asks.handoffs).toMatchObject({ onlineAgent: 1, hotline: 1 });

    // reviews: the four entries published before the half-year were due; two were reviewed
    expect(report.reviews.total).toMatchObject({ due: 4, reviewed: 2, unreviewed: 2 });
  });
});
