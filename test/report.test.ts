import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeBase } from '../server/kb/index.js';
import { AskLog, type AskOutcome, type Channel } from '../server/kb/asks.js';
import type { KbClock } from '../server/kb/clock.js';
import type { EntryInput } from '../server/kb/validate.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { computeAuditReport, parsePeriod, periodOf, rateFigure, type AuditReport } from '../server/ops/report.js';
import { renderHtml, renderMarkdown } from '../server/ops/report-render.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

/** A clock the scenario moves forward by hand; every KB write and ask takes its time from it. */
function movableClock(start: string): KbClock & { set(at: string): void } {
  let at = new Date(start);
  return {
    now: () => new Date(at),
    nowIso: () => at.toISOString(),
    set(next: string) {
      at = new Date(next);
    },
  };
}

const at = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

/**
 * A half-year (2026H2) of a small KB, written through the real APIs with the clock set before each step, plus plain
 * SQL for gaps and reviews. The expected figures in the tests below are worked out by hand from this story.
 */
function buildScenario(dir: string): { ids: Record<string, number>; asks: Record<string, string> } {
  const clock = movableClock(at('2025-06-01'));
  const kb = KnowledgeBase.open(dir, clock);
  const log = new AskLog(kb.db, clock);
  const ids: Record<string, number> = {};
  const asks: Record<string, string> = {};
  const entry = (name: string, when: string, input: EntryInput, publishAt?: string) => {
    clock.set(when);
    ids[name] = kb.entries.create(input, 'editor').id;
    if (publishAt) {
      clock.set(publishAt);
      kb.entries.publish(ids[name], 'editor');
    }
  };
  const doc = (name: string, title: string, effectiveDate: string) => {
    ids[name] = kb.transaction(() =>
      kb.documents.upsert({
        sourceKey: `${name}.txt`, kind: 'policy', fileName: `${name}.txt`, format: 'txt', sha256: name, text: title, outline: [],
        metadata: { title, docNumber: null, issuer: '上海市人民政府办公厅', issueDate: null, effectiveDate, expiryDate: null, citations: [], level: 'city', region: '上海市' },
      }).id,
    );
  };
  const ask = (name: string, when: string, channel: Channel, audience: string, outcome: AskOutcome, entryName?: string) => {
    clock.set(when);
    asks[name] = log.record({
      channel, audience, region: null, sessionId: null, question: `问题 ${name}`, outcome, entryId: entryName ? ids[entryName] : null,
      score: null, results: [], latencyMs: 1,
    }).id;
  };
  const feedback = (name: string, when: string, resolved: boolean) => {
    clock.set(when);
    log.feedback(asks[name], resolved, null);
  };
  const handoff = (name: string, when: string, channel: 'online_agent' | '12345') => {
    clock.set(when);
    log.handoff(asks[name], channel);
  };
  // The gap and review services are written separately: their rows go in as plain SQL here.
  const gap = (
    name: string, question: string, firstAsk: string, dueDate: string,
    end: { status: 'open' } | { status: 'filled' | 'dismissed'; at: string },
    askNames: string[],
  ) => {
    const first = kb.db.prepare('SELECT asked_at FROM asks WHERE id = ?').get(asks[firstAsk]) as { asked_at: string };
    const info = kb.db
      .prepare(
        `INSERT INTO gaps (status, question, first_asked_at, last_asked_at, due_date, ask_count, resolved_at, dismiss_reason, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(
        end.status, question, first.asked_at, first.asked_at, dueDate, askNames.length, end.status === 'open' ? null : new Date(end.at).toISOString(),
        end.status === 'dismissed' ? '超出受理范围' : null, first.asked_at, first.asked_at,
      );
    ids[name] = (info as { id: number }).id;
    for (const a of askNames) {
      const row = kb.db.prepare('SELECT question, asked_at, channel, audience FROM asks WHERE id = ?').get(asks[a]) as { question: string; asked_at: string; channel: string; audience: string };
      kb.db
        .prepare('INSERT INTO gap_questions (gap_id, ask_id, question, asked_at, channel, audience, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(ids[name], asks[a], row.question, row.asked_at, row.channel, row.audience, 'no_answer');
    }
  };
  const review = (entryName: string, when: string, action: 'confirm' | 'archive') => {
    kb.db
      .prepare('INSERT INTO reviews (entry_id, action, note, reviewer, half_year, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(ids[entryName], action, '已核对', 'reviewer', when.slice(0, 4) + (Number(when.slice(5, 7)) <= 6 ? 'H1' : 'H2'), new Date(when).toISOString());
  };

  // ---- Before the period
  entry('E3', at('2025-06-01'), { category: 'glossary', question: '什么是一网通办', answer: '……' }, at('2025-06-01'));
  entry('E1', at('2026-03-10'), { category: 'faq', question: '如何办理营业执照', answer: '……', department: '市市场监管局' }, at('2026-03-10'));
  entry('E2', at('2026-03-10'), { category: 'guide', question: '网上申报指引', answer: '……', department: '市市场监管局', level: 'district', region: '普陀区' }, at('2026-03-10'));
  entry('E4', at('2026-03-10'), { category: 'hotline', question: '咨询电话是多少', answer: '……', department: '区行政服务中心', level: 'district', region: '普陀区', expiresAt: '2026-11-30' }, at('2026-03-10'));
  entry('E5', at('2026-03-10'), { category: 'notice', question: '系统维护通知', answer: '……', department: '区行政服务中心' }, at('2026-03-10'));
  doc('D0', '上半年生效的政策', '2026-06-15');
  doc('D1', '政策甲', '2026-09-01'); // Tue: deadline Mon 08-31
  doc('D2', '政策乙', '2026-10-08'); // after the National Day holiday: deadline Wed 09-30
  doc('D3', '政策丙', '2026-11-16'); // no entries at all
  doc('D4', '明年生效的政策', '2027-03-01');
  ask('A0', at('2026-06-20'), 'pc', 'individual', 'no_answer');
  ask('A14', at('2026-06-30', '23:00'), 'pc', 'individual', 'answered', 'E1');
  ask('A15', at('2026-05-10'), 'pc', 'individual', 'no_answer');

  // ---- 2026H2
  ask('A1', at('2026-07-10'), 'pc', 'individual', 'answered', 'E1');
  feedback('A1', at('2026-07-10', '10:05'), true);
  ask('A2', at('2026-07-11'), 'pc', 'enterprise', 'answered', 'E1');
  feedback('A2', at('2026-07-11', '10:05'), false);
  entry('E6', at('2026-07-15'), { category: 'faq', question: '草稿问题', answer: '……', department: '市市场监管局' });
  entry('E7', at('2026-07-20'), { category: 'department', question: '市市场监管局联系方式', answer: '……', department: '市市场监管局' }, at('2026-07-21'));
  ask('A3', at('2026-08-01'), 'mobile', 'enterprise', 'answered', 'E2');
  feedback('A3', at('2026-08-01', '10:05'), true);
  ask('A4', at('2026-08-02'), 'mobile', 'individual', 'no_answer');
  handoff('A4', at('2026-08-02', '10:01'), 'online_agent');
  ask('A5', at('2026-08-03'), 'mobile', 'enterprise', 'no_answer');
  handoff('A5', at('2026-08-03', '10:01'), '12345');
  clock.set(at('2026-08-05'));
  kb.entries.update(ids.E1, { answer: '更新后的答案' }, 'editor', '口径调整');
  clock.set(at('2026-08-10'));
  kb.entries.archive(ids.E5, 'reviewer', '复核归档：通知已过时');
  review('E5', at('2026-08-10'), 'archive');
  entry('E8', at('2026-08-20'), { category: 'policy', question: '政策甲全文', answer: '……', department: '市发展改革委', documentId: ids.D1 }, at('2026-08-28'));
  entry('E9', at('2026-08-20'), { category: 'faq', question: '政策甲申报条件', answer: '……', department: '市发展改革委', documentId: ids.D1 }, at('2026-08-31', '18:00'));
  entry('E10', at('2026-08-20'), { category: 'faq', question: '政策甲旧稿', answer: '……', documentId: ids.D1 });
  clock.set(at('2026-08-25'));
  kb.entries.archive(ids.E10, 'editor', '重复');
  ask('A6', at('2026-09-01'), 'miniprogram', 'individual', 'suggest');
  handoff('A6', at('2026-09-01', '10:01'), 'online_agent');
  ask('A7', at('2026-09-02'), 'pc', 'individual', 'out_of_scope');
  clock.set(at('2026-09-10'));
  kb.entries.update(ids.E7, { answer: '新地址' }, 'editor', '搬迁');
  review('E1', at('2026-09-15'), 'confirm');
  entry('E11', at('2026-09-20'), { category: 'policy', question: '政策乙全文', answer: '……', documentId: ids.D2 }, at('2026-09-25'));
  entry('E12', at('2026-09-20'), { category: 'faq', question: '政策乙办理流程', answer: '……', documentId: ids.D2 }, at('2026-10-05'));
  ask('A8', at('2026-09-30'), 'pc', 'enterprise', 'no_answer');
  ask('A8b', at('2026-10-09'), 'pc', 'enterprise', 'no_answer');
  ask('A9', at('2026-10-10'), 'pc', 'enterprise', 'answered', 'E1');
  feedback('A9', at('2026-10-10', '10:05'), true);
  feedback('A9', at('2026-10-20'), false); // the last word counts
  clock.set(at('2026-10-20'));
  kb.entries.markReviewed(ids.E4, 'reviewer', '复核确认'); // a review known only from last_reviewed_at
  ask('A10', at('2026-11-05'), 'app', 'enterprise', 'answered', 'E7');
  feedback('A10', at('2026-11-05', '10:05'), true);
  clock.set(at('2026-12-01'));
  kb.entries.flagForReview(ids.E7, '来源已更新', 'job');
  ask('A11', at('2026-12-20'), 'kiosk', 'individual', 'no_answer');
  ask('A12', at('2026-12-31', '23:30'), 'kiosk', 'individual', 'no_answer');

  // ---- After the period: none of this may change the 2026H2 figures
  handoff('A12', at('2027-01-01', '09:00'), '12345');
  feedback('A12', at('2027-01-02'), true);
  ask('A13', at('2027-01-01', '00:00'), 'pc', 'individual', 'answered', 'E1');
  review('E2', at('2027-01-02'), 'confirm');
  clock.set(at('2027-01-03'));
  kb.entries.archive(ids.E2, 'editor', '下线');

  // ---- Gaps (due dates as the calendar gives them: 5 working days after the first ask)
  gap('G1', '营业执照丢了怎么补', 'A4', '2026-08-07', { status: 'filled', at: at('2026-08-06', '15:00') }, ['A4', 'A5']);
  gap('G2', '公积金提取需要什么材料', 'A2', '2026-07-17', { status: 'filled', at: at('2026-07-21') }, ['A2']);
  gap('G3', '国庆期间不动产登记窗口开放吗', 'A8', '2026-10-13', { status: 'filled', at: at('2026-10-13', '17:00') }, ['A8', 'A8b']);
  gap('G4', '如何投诉窗口工作人员', 'A0', '2026-06-26', { status: 'dismissed', at: at('2026-07-02') }, ['A0']);
  gap('G5', '社保卡补办进度', 'A12', '2027-01-08', { status: 'open' }, ['A12']);
  gap('G6', '自助终端打印失败怎么办', 'A11', '2026-12-25', { status: 'filled', at: at('2027-01-03') }, ['A11']);
  gap('G7', '旧的未补问题', 'A15', '2026-05-15', { status: 'open' }, ['A15']);
  kb.close();
  return { ids, asks };
}

const calendar = new WorkingCalendar();
const NOW = new Date(at('2027-01-05', '09:00'));

function reportFor(dir: string, period: string, now: Date): AuditReport {
  const kb = KnowledgeBase.open(dir);
  try {
    return computeAuditReport(kb, calendar, parsePeriod(period), now);
  } finally {
    kb.close();
  }
}

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/report.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('report periods and targets', () => {
  it('parses YYYYH1 / YYYYH2 into Shanghai half-years and rejects anything else naming the field', () => {
    expect(parsePeriod('2026H1')).toEqual({
      id: '2026H1', label: '2026年上半年', startDate: '2026-01-01', endDate: '2026-06-30',
      startIso: '2025-12-31T16:00:00.000Z', endIso: '2026-06-30T16:00:00.000Z',
    });
    expect(periodOf(new Date('2026-06-30T16:30:00Z')).id).toBe('2026H2'); // 07-01 00:30 in Shanghai
    for (const bad of ['2026H3', '2026-H2', 'H2', '26H1', '']) expect(() => parsePeriod(bad)).toThrow(/period：.*YYYYH1/);
  });

  it('the policy deadline is the last working day before the effective date (holidays and 调休 included)', () => {
    expect(calendar.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30'); // National Day holiday in between
    expect(calendar.addWorkingDays('2026-10-12', -1)).toBe('2026-10-10'); // Saturday 10-10 is a make-up working day
    expect(calendar.addWorkingDays('2026-09-28', -1)).toBe('2026-09-24'); // 09-25 Mid-Autumn, 09-26/27 weekend
  });

  it('compares rates with targets exactly at the boundary', () => {
    expect(rateFigure(3, 30, 0.1, 'atMost').verdict).toBe('达标'); // 0.1 × 30 is not 3 in floating point
    expect(rateFigure(4, 30, 0.1, 'atMost').verdict).toBe('未达标');
    expect(rateFigure(3, 5, 0.6, 'atLeast').verdict).toBe('达标');
    expect(rateFigure(0, 0, 0.5, 'atLeast')).toMatchObject({ rate: null, verdict: '无数据' });
  });
});

describe('audit report figures (2026H2, generated 2027-01-05)', () => {
  let dir: string;
  let ids: Record<string, number>;
  let r: AuditReport;
  beforeAll(() => {
    dir = tempDir();
    ({ ids } = buildScenario(dir));
    r = reportFor(dir, '2026H2', NOW);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is as of the last instant of the period, final', () => {
    expect(r.period).toMatchObject({ id: '2026H2', startDate: '2026-07-01', endDate: '2026-12-31' });
    expect(r.asOf).toBe('2026-12-31T15:59:59.999Z');
    expect(r.asOfDate).toBe('2026-12-31');
    expect(r.complete).toBe(true);
    expect(r.hasData).toBe(true);
  });

  it('KB size by category, level and 责任单位, as of the period end (E2 archived in January still counts)', () => {
    expect(r.kb).toMatchObject({ published: 9, draft: 1, archived: 2, added: 7, updated: 2, publishedInPeriod: 5, archivedInPeriod: 2 });
    const cat = Object.fromEntries(r.kb.byCategory.map((c) => [c.label, [c.published, c.added, c.updated, c.publishedInPeriod, c.archived]]));
    expect(cat).toEqual({
      网上办事指引: [1, 0, 0, 0, 0],
      常见问题: [3, 4, 1, 2, 1],
      政务百科词条: [1, 0, 0, 0, 0],
      政策文件: [2, 2, 0, 2, 0],
      通知公告: [0, 0, 0, 0, 1],
      热线电话: [1, 0, 0, 0, 0],
      部门信息: [1, 1, 1, 1, 0],
    });
    expect(r.kb.byLevel.map((l) => [l.label, l.published])).toEqual([['市级', 7], ['区级', 2]]);
    expect(r.kb.byDepartment.map((d) => [d.department, d.published])).toEqual([
      ['市市场监管局', 3], ['未填写', 3], ['市发展改革委', 2], ['区行政服务中心', 1],
    ]);
  });

  it('review coverage by 责任单位: due, reviewed, unreviewed, expired, stale, flagged', () => {
    const rows = r.reviews.byDepartment.map((u) => [u.department, u.due, u.reviewed, u.unreviewed, u.expired, u.stale, u.flagged]);
    expect(rows).toEqual([
      ['市市场监管局', 3, 1, 2, 0, 0, 1], // E1 reviewed; E2's review is in January; E7 new this half-year but flagged 待复核: due
      ['区行政服务中心', 2, 2, 0, 1, 0, 0], // E4 reviewed (last_reviewed_at) but expired 11-30; E5 archived by review
      ['未填写', 1, 0, 1, 0, 1, 0], // E3 published 2025-06-01, never reviewed: stale
      ['市发展改革委', 0, 0, 0, 0, 0, 0], // E8, E9 first published this half-year: not due yet
    ]);
    expect(r.reviews.total).toMatchObject({ due: 6, reviewed: 3, unreviewed: 3, expired: 1, stale: 1, flagged: 1 });
    expect(r.reviews.coverage).toMatchObject({ numerator: 3, denominator: 6, rate: 0.5, verdict: '未达标' });
  });

  it('gaps: opened, on time (across the National Day holiday), late, overdue, dismissed, median working days', () => {
    expect(r.gaps).toMatchObject({ opened: 5, filledOnTime: 2, filledLate: 1, openOverdue: 2, openNotDue: 1, dismissed: 1 });
    // G1 08-02→08-06: 4; G2 07-11→07-21: 7; G3 09-30→10-13: 5 (Oct 1–7 off, Sat 10-10 a 调休 working day)
    expect(r.gaps.medianWorkingDaysToFill).toBe(5);
    expect(r.gaps.onTime).toMatchObject({ numerator: 2, denominator: 5, rate: 0.4, verdict: '未达标' });
    expect(r.gaps.overdue.map((g) => [g.gapId, g.dueDate])).toEqual([[ids.G7, '2026-05-15'], [ids.G6, '2026-12-25']]);
    expect(r.gaps.overdue[1].workingDaysOverdue).toBe(4); // 12-28, 29, 30, 31
  });

  it('policy timeliness: published by the working day before the effective date', () => {
    expect(r.policies.documents.map((d) => [d.title, d.deadline, d.entries, d.publishedOnTime, d.lastPublishedDate, d.status])).toEqual([
      ['政策甲', '2026-08-31', 2, 2, '2026-08-31', 'on_time'], // the archived draft E10 does not count
      ['政策乙', '2026-09-30', 2, 1, '2026-10-05', 'late'], // E12 published during the holiday, after the deadline
      ['政策丙', '2026-11-13', 0, 0, null, 'no_entries'],
    ]);
    expect(r.policies.pending).toBe(0);
    expect(r.policies.onTime).toMatchObject({ numerator: 1, denominator: 3, verdict: '未达标' });
  });

  it('asks by outcome and channel; resolution rates and the 12345 share against their targets', () => {
    expect(r.asks.total).toBe(13);
    expect(r.asks.byOutcome).toEqual({ answered: 5, suggest: 1, no_answer: 6, out_of_scope: 1 });
    expect(r.asks.byChannel.map((c) => [c.label, c.total, c.byOutcome.answered, c.byOutcome.suggest, c.byOutcome.no_answer, c.byOutcome.out_of_scope])).toEqual([
      ['电脑端', 6, 3, 0, 2, 1],
      ['移动端', 3, 1, 0, 2, 0],
      ['随申办App', 1, 1, 0, 0, 0],
      ['小程序', 1, 0, 1, 0, 0],
      ['自助终端', 2, 0, 0, 2, 0],
    ]);
    expect(r.asks.resolution).toMatchObject({ numerator: 3, denominator: 5, rate: 0.6, target: 0.5, verdict: '达标' });
    expect(r.asks.enterpriseResolution).toMatchObject({ numerator: 2, denominator: 4, rate: 0.5, target: 0.6, verdict: '未达标' });
    expect(r.asks.handoffs).toEqual({ onlineAgent: 2, hotline: 1, needingPerson: 7 });
    expect(r.asks.hotlineShare).toMatchObject({ numerator: 1, denominator: 7, target: 0.1, direction: 'atMost', verdict: '未达标' });
    expect(r.asks.hotlineShareOfAll).toBeCloseTo(1 / 13, 10);
  });

  it('top unanswered clusters by asks in the period, and the most asked entries', () => {
    expect(r.asks.topUnanswered.map((c) => [c.gapId, c.asks, c.enterpriseAsks, c.state])).toEqual([
      [ids.G1, 2, 1, 'filled'], [ids.G3, 2, 2, 'filled'], [ids.G2, 1, 1, 'filled'], [ids.G5, 1, 0, 'open'], [ids.G6, 1, 0, 'overdue'],
    ]);
    expect(r.asks.topEntries.map((e) => [e.entryId, e.asks, e.category, e.department])).toEqual([
      [ids.E1, 3, '常见问题', '市市场监管局'], [ids.E2, 1, '网上办事指引', '市市场监管局'], [ids.E7, 1, '部门信息', '市市场监管局'],
    ]);
  });

  it('gives the same figures whenever it is generated after the period', () => {
    const later = reportFor(dir, '2026H2', new Date(at('2027-06-01')));
    expect({ ...later, generatedAt: r.generatedAt }).toEqual(r);
  });

  it('mid-period: figures as of now, later feedback and gaps not yet known, later policies pending', () => {
    const mid = reportFor(dir, '2026H2', new Date(at('2026-10-15', '12:00')));
    expect(mid.complete).toBe(false);
    expect(mid.asOfDate).toBe('2026-10-15');
    expect(mid.asks.total).toBe(10);
    expect(mid.asks.resolution).toMatchObject({ numerator: 3, denominator: 4, verdict: '达标' }); // A9 still 解决 on 10-15
    expect(mid.asks.enterpriseResolution).toMatchObject({ numerator: 2, denominator: 3, verdict: '达标' });
    expect(mid.gaps).toMatchObject({ opened: 3, filledOnTime: 2, filledLate: 1, openOverdue: 1, openNotDue: 0, dismissed: 1 });
    expect(mid.policies.pending).toBe(1);
    expect(mid.policies.onTime).toMatchObject({ numerator: 1, denominator: 2 });
    expect(mid.reviews.total).toMatchObject({ due: 5, reviewed: 2, expired: 0 }); // E4 reviewed on 10-20, expires 11-30
  });

  it('a period without activity says so; a period not yet started too', () => {
    const empty = reportFor(dir, '2025H2', NOW);
    expect(empty.hasData).toBe(false);
    expect(empty.kb.published).toBe(1); // E3, published 2025-06-01
    const md = renderMarkdown(empty);
    expect(md).toContain('本期无数据');
    expect(md).toContain('## 一、知识库规模');
    const future = reportFor(dir, '2027H2', NOW);
    expect(future).toMatchObject({ notStarted: true, hasData: false });
    expect(renderMarkdown(future)).toContain('本期尚未开始');
  });

  it('renders Markdown tables with verdicts and definitions, and self-contained HTML with SVG charts', () => {
    const md = renderMarkdown(r);
    expect(md).toContain('| 栏目 | 已发布 | 本期新增 | 本期修改 | 本期发布 | 本期归档 |');
    expect(md).toContain('| 常见问题 | 3 | 4 | 1 | 2 | 1 |');
    expect(md).toContain('| 区行政服务中心 | 2 | 2 | 100.0% | 0 | 1 | 0 | 0 |');
    expect(md).toContain('| 智能客服解决率（好差评） | 60.0%（3/5） | ≥ 50% | **达标** |');
    expect(md).toContain('| 企业解决率（好差评） | 50.0%（2/4） | ≥ 60% | **未达标** |');
    expect(md).toContain('| 转 12345 派单率 | 14.3%（1/7） | ≤ 10% | **未达标** |');
    expect(md).toMatch(/结论：\*\*未达标\*\* — 按时率 40\.0%（2\/5），目标 100%；补齐用时中位数 5 个工作日/);
    expect(md).toContain('## 定义');
    expect(md).not.toContain('<!-- chart:');
    const html = renderHtml(r);
    expect(html).not.toMatch(/src="http|<link|<script|@import|url\(/);
    expect(html.match(/<svg /g)?.length).toBe(5);
    expect(html).toContain('<title id="c-resolution-t">');
    expect(html).toContain('<strong class="bad">未达标</strong>');
    expect(html).toContain('<table>');
  });

  it('escapes user text in tables and charts', () => {
    const evil = { ...r, kb: { ...r.kb, byDepartment: [{ department: '<img src=x onerror=alert(1)>|单位', published: 1 }] } };
    const html = renderHtml(evil);
    expect(html).not.toContain('<img');
    expect(renderMarkdown(evil)).toContain('&lt;img src=x onerror=alert(1)&gt;\\|单位');
  });
});

describe('npm run report', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = tempDir();
    out = tempDir();
    buildScenario(dir);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('writes audit-2026H2.md and .html and prints the paths and headline figures', () => {
    const res = runCli(['--period', '2026H2', '--data-dir', dir, '--out', out, '--now', '2027-01-05T09:00:00+08:00']);
    expect(res.code).toBe(0);
    const md = path.join(out, 'audit-2026H2.md');
    const html = path.join(out, 'audit-2026H2.html');
    expect(res.stdout).toContain(md);
    expect(res.stdout).toContain(html);
    expect(res.stdout).toContain('智能客服解决率 60.0%（3/5，目标 ≥ 50%，达标）');
    expect(res.stdout).toContain('企业解决率 50.0%（2/4，目标 ≥ 60%，未达标）');
    expect(fs.readFileSync(md, 'utf8')).toContain('| 栏目 | 已发布 |');
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/src="http|<link/);
  });

  it('writes into <data dir>/reports by default', () => {
    const res = runCli(['--period', '2026h2', '--data-dir', dir, '--now', '2027-01-05T09:00:00+08:00']);
    expect(res.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'reports', 'audit-2026H2.html'))).toBe(true);
  });

  it('a period with no data still writes a report that says so', () => {
    const res = runCli(['--period', '2024H1', '--data-dir', dir, '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('本期无数据');
    expect(fs.readFileSync(path.join(out, 'audit-2024H1.md'), 'utf8')).toContain('本期无数据');
    expect(fs.readFileSync(path.join(out, 'audit-2024H1.html'), 'utf8')).toContain('本期无数据');
  });

  it('rejects an invalid or missing period with exit 2 and says what is expected', () => {
    for (const args of [['--period', '2026H3'], ['--period', '2026-H2'], []]) {
      const res = runCli([...args, '--data-dir', dir, '--out', out]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/YYYYH1|--period/);
    }
    expect(runCli(['--period', '2026H2', '--data-dir', dir, '--now', 'yesterday']).code).toBe(2);
  });

  it('names a data directory without a knowledge base', () => {
    const empty = tempDir();
    const res = runCli(['--period', '2026H2', '--data-dir', empty]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('没有知识库');
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
