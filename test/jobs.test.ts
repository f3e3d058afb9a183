import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import cron from 'node-cron';
import { createApp } from '../server/app.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { fixedClock } from '../server/kb/clock.js';
import { JOBS, JobRunner, type JobDefinition } from '../server/ops/jobs.js';
import { JobScheduler, scheduleConfig } from '../server/ops/scheduler.js';
import { shanghaiHour } from '../server/ops/calendar.js';
import { servicesFor } from './helpers/services.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const JULY_1 = new Date('2026-07-01T09:00:00+08:00');

/** A KB in a temp directory with entries published in March 2026 (due for the 2026H2 review). */
function marchKb(dir: string, questions: string[]): number[] {
  const kb = KnowledgeBase.open(dir, fixedClock('2026-03-02T02:00:00Z'));
  try {
    return questions.map((q) => kb.entries.publish(kb.entries.create({ category: 'faq', question: q, answer: `${q}的答复口径。` }, '张编辑').id, '张编辑').id);
  } finally {
    kb.close();
  }
}

describe('job runner', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let runner: JobRunner;
  let entryId: number;

  beforeAll(async () => {
    const dir = tempDir();
    [entryId] = marchKb(dir, ['营业执照遗失了怎么补办？']);
    s = await servicesFor([], { dir, clock: fixedClock('2026-07-01T01:00:00Z') });
    runner = new JobRunner(s);
  });
  afterAll(() => s.cleanup());

  const versions = () => (s.kb.db.prepare('SELECT count(*) AS n FROM entry_versions').get() as { n: number }).n;

  it('runs a job with the given now and records the run with what it flagged', async () => {
    const run = await runner.run('review-due', JULY_1);
    expect(run).toMatchObject({ job: 'review-due', status: 'ok', now: '2026-07-01T01:00:00.000Z', error: null });
    expect(run.summary).toMatchObject({ halfYear: '2026H2', flagged: 1, flaggedEntryIds: [entryId] });
    expect(run.finishedAt! >= run.startedAt).toBe(true);
    expect(s.kb.jobRuns.recent({ job: 'review-due' })).toEqual([run]);
    expect(s.kb.entries.require(entryId)).toMatchObject({ reviewDue: true, reviewReason: '半年度复核：2026H2' });
    expect(s.engine.status().kbVersion).toBe(s.kb.version()); // the job's command told the index, not the runner
  });

  it('a second run flags nothing new and writes no entry version', async () => {
    const before = versions();
    const run = await runner.run('review-due', JULY_1);
    expect(run.summary).toMatchObject({ flagged: 0, alreadyDue: 1 });
    expect(versions()).toBe(before);
    expect(s.kb.jobRuns.recent({ job: 'review-due' })).toHaveLength(2);
  });

  it('every registered job runs and records ok (the KB clock when no now is given)', async () => {
    for (const job of JOBS) {
      const run = await runner.run(job.name);
      expect(run.status, `${job.name}: ${run.error}`).toBe('ok');
      expect(run.now).toBe('2026-07-01T01:00:00.000Z');
      expect(typeof run.summary).toBe('object');
    }
    expect((await runner.run('policy-watch', JULY_1)).summary).toMatchObject({ today: '2026-07-01', atRisk: [], late: [], expiredFlagged: 0 });
  });

  it('a failing job is recorded as failed with its error, and does not throw', async () => {
    const failing: JobDefinition = {
      name: 'broken', description: '总是失败', envVar: 'KB_CRON_BROKEN', defaultSchedule: '0 8 * * *',
      run: () => {
        throw new Error('上游数据不可用');
      },
    };
    const run = await new JobRunner(s, [failing]).run('broken', JULY_1);
    expect(run).toMatchObject({ job: 'broken', status: 'failed', error: '上游数据不可用', summary: {} });
    expect(s.kb.jobRuns.recent({ job: 'broken' })[0]).toMatchObject({ status: 'failed', error: '上游数据不可用' });
  });

  it('an unknown job name is an error listing the jobs', async () => {
    await expect(runner.run('nope')).rejects.toThrow(/没有名为 nope 的任务.*gap-sla/);
  });

  it('GET /api/v1/admin/jobs lists jobs with their schedules and recent runs (admins only)', async () => {
    const app = createApp(s);
    const admin = s.tokens.create('管理员', 'admin', 'test').token;
    const editor = s.tokens.create('张编辑', 'editor', 'test').token;
    const res = await request(app).get('/api/v1/admin/jobs?job=review-due').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(res.body.jobs.map((j: { name: string }) => j.name)).toEqual(['gap-sla', 'review-due', 'policy-watch', 'gap-cluster']);
    expect(res.body.jobs.find((j: { name: string }) => j.name === 'review-due').lastRun).toMatchObject({ job: 'review-due', status: 'ok' });
    expect(res.body.runs.every((r: { job: string }) => r.job === 'review-due')).toBe(true);
    expect(res.body.runs[res.body.runs.length - 1].summary).toMatchObject({ flagged: 1 });
    await request(app).get('/api/v1/admin/jobs').set('Authorization', `Bearer ${editor}`).expect(403);
    const bad = await request(app).get('/api/v1/admin/jobs?job=nope').set('Authorization', `Bearer ${admin}`).expect(400);
    expect(bad.body.field).toBe('job');
  });
});

describe('scheduler', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock(JULY_1) });
  });
  afterAll(() => s.cleanup());

  const ours = () => [...cron.getTasks().values()].filter((t) => t.name?.startsWith('bangban-'));

  it('KB_CRON=off registers nothing', async () => {
    const config = scheduleConfig({ KB_CRON: 'off' });
    expect(config).toEqual({ enabled: false, jobs: [] });
    const scheduler = new JobScheduler(new JobRunner(s), config);
    scheduler.start();
    expect(scheduler.scheduled()).toEqual([]);
    expect(ours()).toHaveLength(0);
    await scheduler.stop();
  });

  it('registers every job on its schedule in Asia/Shanghai time, and removes them on stop', async () => {
    const scheduler = new JobScheduler(new JobRunner(s), scheduleConfig({}));
    scheduler.start();
    const tasks = scheduler.scheduled();
    expect(tasks.map((t) => [t.name, t.schedule])).toEqual([
      ['gap-sla', '0 8 * * *'], ['review-due', '5 8 * * *'], ['policy-watch', '10 8 * * *'], ['gap-cluster', '*/5 * * * *'],
    ]);
    expect(shanghaiHour(tasks[0].nextRun!)).toBe(8); // 08:00 in Shanghai whatever the server's zone
    expect(ours().map((t) => t.name)).toEqual(['bangban-gap-sla', 'bangban-review-due', 'bangban-policy-watch', 'bangban-gap-cluster']);
    await scheduler.stop();
    expect(ours()).toHaveLength(0);
  });

  it('schedules come from KB_CRON_* variables; off disables one job; a bad expression names its variable', () => {
    const config = scheduleConfig({ KB_CRON_GAP_CLUSTER: '*/2 * * * *', KB_CRON_REVIEW_DUE: 'off', KB_CRON_GAP_SLA: ' 30 7 * * 1-5 ' });
    expect(config.jobs).toEqual([
      { name: 'gap-sla', schedule: '30 7 * * 1-5' }, { name: 'policy-watch', schedule: '10 8 * * *' }, { name: 'gap-cluster', schedule: '*/2 * * * *' },
    ]);
    expect(() => scheduleConfig({ KB_CRON_GAP_SLA: '0 25 * * *' })).toThrow(/KB_CRON_GAP_SLA=0 25 \* \* \* 不是有效的 cron 表达式.*hour/);
    expect(() => scheduleConfig({ KB_CRON_POLICY_WATCH: 'daily' })).toThrow(/KB_CRON_POLICY_WATCH/);
  });

  it('a scheduled run goes through the runner; a failure is logged and recorded, never thrown', async () => {
    const failing: JobDefinition = {
      name: 'broken', description: '总是失败', envVar: 'KB_CRON_BROKEN', defaultSchedule: '0 8 * * *',
      run: () => {
        throw new Error('上游数据不可用');
      },
    };
    const errors: string[] = [];
    const jobs = [JOBS.find((j) => j.name === 'review-due')!, failing];
    const scheduler = new JobScheduler(new JobRunner(s, jobs), scheduleConfig({}, jobs), { log: () => {}, error: (m) => errors.push(m) });
    scheduler.start();
    for (const task of ours()) await task.execute(); // fire now instead of waiting for 08:00
    await scheduler.stop();
    expect(s.kb.jobRuns.recent({ job: 'review-due' })[0]).toMatchObject({ status: 'ok', now: JULY_1.toISOString() });
    expect(s.kb.jobRuns.recent({ job: 'broken' })[0]).toMatchObject({ status: 'failed', error: '上游数据不可用' });
    expect(errors).toEqual(['定时任务 broken 失败：上游数据不可用']);
  });
});

describe('npm run jobs', () => {
  // Runs the built CLI as an operator would (npm test builds dist/ first).
  const jobs = (args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/jobs.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, KB_EMBEDDER: 'builtin', KB_CRON: '' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  let dir: string;
  let entryIds: number[];
  beforeAll(() => {
    dir = tempDir();
    entryIds = marchKb(dir, ['居住证怎么办理？', '社会保险缴费记录怎么查询？']);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays a day with --now: flags, prints the summary, stamps the writes with that instant', () => {
    const r = jobs(['review-due', '--now', '2026-07-01T09:00:00+08:00', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    // times a person reads are Shanghai time, not UTC ISO strings
    expect(r.stdout).toContain('任务 review-due 完成 2026-07-01（按上海时间 2026-07-01 09:00 运行）');
    expect(JSON.parse(r.stdout.slice(r.stdout.indexOf('{')))).toMatchObject({ halfYear: '2026H2', flagged: 2, flaggedEntryIds: entryIds });
    const kb = KnowledgeBase.open(dir);
    try {
      expect(kb.entries.require(entryIds[0])).toMatchObject({ reviewDue: true, updatedAt: '2026-07-01T01:00:00.000Z', updatedBy: 'system' });
    } finally {
      kb.close();
    }
  });

  it('a second run of the same day flags nothing', () => {
    const r = jobs(['review-due', '--now=2026-07-01', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.slice(r.stdout.indexOf('{')))).toMatchObject({ flagged: 0, alreadyDue: 2 });
  });

  it('list shows the jobs, their schedules and the recent runs', () => {
    const r = jobs(['list', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['gap-sla', 'review-due', 'policy-watch', 'gap-cluster']) expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(/0 8 \* \* \*/);
    expect(r.stdout).toMatch(/#1 review-due\s+ok .*按 2026-07-01 09:00 运行/);
    expect(r.stdout).toMatch(/#2 review-due\s+ok .*按 2026-07-01 00:00 运行/); // --now=2026-07-01 is midnight in Shanghai
    expect(r.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/); // no UTC ISO instants
  });

  it('usage errors exit 2 with a clear message', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /没有给出任务名/],
      [['nope'], /没有名为 nope 的任务/],
      [['review-due', '--now', 'yesterday'], /--now yesterday 无效/],
      [['review-due', '--now', '2026-02-30'], /--now 2026-02-30 不是有效的日期时间/],
      [['review-due', '--now'], /--now 需要一个值/],
      [['review-due', 'policy-watch'], /只能给出一个任务/],
      [['review-due', '--force'], /不认识的选项：--force/],
    ];
    for (const [args, message] of cases) {
      const r = jobs([...args, '--data-dir', dir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('用法');
    }
  });

  it('exits 1 naming the file when the data directory’s calendar overrides are malformed', () => {
    const other = tempDir();
    try {
      fs.writeFileSync(path.join(other, 'calendar-overrides.json'), '{"workdays": ["2027-02-30"]}');
      const r = jobs(['policy-watch', '--data-dir', other]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/calendar-overrides\.json 无效：workdays\[0\] "2027-02-30" 不是有效的日期/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
