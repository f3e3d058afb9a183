#!/usr/bin/env node
/**
 * npm run jobs -- <name> [--now 2026-12-31T09:00:00+08:00] [--data-dir DIR]
 * npm run jobs -- list [--data-dir DIR]
 * Runs one KB operations job once (recorded in job_runs like a scheduled run) and prints what it flagged; --now
 * replays a day: the job and every write it makes use that instant instead of the clock.
 */
import { dataDir } from '../server/config.js';
import { parseCliArgs, UsageError, parseNow } from '../server/cli/args.js';
import { fixedClock, systemClock } from '../server/kb/clock.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { JOBS, JobRunner } from '../server/ops/jobs.js';
import { cronDisabled, jobSchedule } from '../server/ops/scheduler.js';
import { shanghaiDate, shanghaiDateTime } from '../server/ops/calendar.js';

const USAGE = [
  '用法: npm run jobs -- <任务> [--now 2026-12-31T09:00:00+08:00] [--data-dir DIR]',
  '      npm run jobs -- list [--data-dir DIR]',
  `任务: ${JOBS.map((j) => j.name).join('、')}`,
  '--now 可写 YYYY-MM-DD（上海时间 0 点）、YYYY-MM-DDTHH:MM[:SS]（上海时间）或带时区的 ISO 时间',
].join('\n');

function listJobs(dir: string): void {
  const kb = KnowledgeBase.open(dir);
  try {
    const out = [`知识库：${dir}`, `定时任务（Asia/Shanghai）${cronDisabled() ? '：KB_CRON=off，服务内不运行' : ''}`];
    for (const j of JOBS) out.push(`  ${j.name.padEnd(13)} ${(jobSchedule(j) ?? '已停用').padEnd(13)} ${j.envVar.padEnd(21)} ${j.description}`);
    const runs = kb.jobRuns.recent({ limit: 20 });
    out.push('', runs.length ? '最近运行：' : '尚无运行记录。');
    for (const r of runs) {
      const what = r.status === 'failed' ? `错误：${r.error}` : r.status === 'running' ? '运行中' : JSON.stringify(r.summary).slice(0, 160);
      out.push(`  #${r.id} ${r.job.padEnd(13)} ${r.status.padEnd(7)} 开始 ${shanghaiDateTime(r.startedAt)}  按 ${shanghaiDateTime(r.now)} 运行  ${what}`);
    }
    console.log(out.join('\n'));
  } finally {
    kb.close();
  }
}

async function main(): Promise<number> {
  let args;
  let now: Date | undefined;
  try {
    args = parseCliArgs({
      args: process.argv.slice(2),
      options: { 'data-dir': { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (args.values.help) { console.log(USAGE); return 0; }
    if (args.positionals.length !== 1) throw new UsageError(args.positionals.length ? `只能给出一个任务，收到：${args.positionals.join(' ')}` : '没有给出任务名。');
    const name = args.positionals[0];
    if (name !== 'list' && !JOBS.some((j) => j.name === name)) throw new UsageError(`没有名为 ${name} 的任务。`);
    if (name === 'list' && args.values.now !== undefined) throw new UsageError('list 不接受 --now');
    if (args.values.now !== undefined) now = parseNow(args.values.now);
  } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n${USAGE}`); return 2; }
    throw err;
  }
  const dir = dataDir(args.values['data-dir']);
  const name = args.positionals[0];
  if (name === 'list') { listJobs(dir); return 0; }

  // Loaded only to run a job: usage errors and list answer without the search stack.
  const { createServices, envEmbedderMode } = await import('../server/services.js');
  const s = await createServices({ dataDir: dir, embedderMode: envEmbedderMode(), clock: now ? fixedClock(now) : systemClock });
  try {
    const run = await new JobRunner(s).run(name, now ?? s.kb.clock.now());
    const when = `${shanghaiDate(new Date(run.now))}（按上海时间 ${shanghaiDateTime(run.now)} 运行）`;
    if (run.status === 'failed') {
      console.error(`任务 ${name} 失败 ${when}：${run.error}`);
      return 1;
    }
    console.log(`任务 ${name} 完成 ${when}，运行记录 #${run.id}`);
    console.log(JSON.stringify(run.summary, null, 2));
    return 0;
  } finally {
    s.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
