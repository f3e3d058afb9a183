import os from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { JOBS, type JobDefinition, type JobRunner } from './jobs.js';

/**
 * Runs the KB operation jobs on their cron schedules inside the server, in Asia/Shanghai time.
 * KB_CRON=off disables all of them; KB_CRON_<JOB>=<cron expression> changes one schedule, =off disables one job.
 */

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

/** Which process ran a scheduled job (job_runs.runner): host and pid. */
const RUNNER = `${os.hostname()}:${process.pid}`;

export interface ScheduleConfig {
  enabled: boolean;
  jobs: Array<{ name: string; schedule: string }>;
}

function isOff(value: string | undefined): boolean {
  return value !== undefined && ['off', 'false', '0', 'no'].includes(value.trim().toLowerCase());
}

/** KB_CRON=off (or false / 0 / no): no job runs in the server. */
export function cronDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return isOff(env.KB_CRON);
}

/** The schedule of one job from the environment (its default when unset), or null when disabled. */
export function jobSchedule(job: JobDefinition, env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env[job.envVar];
  if (isOff(value)) return null;
  return value?.trim() || job.defaultSchedule;
}

/** Reads and checks the schedules: an invalid expression is an error naming its variable (the server refuses to start). */
export function scheduleConfig(env: NodeJS.ProcessEnv = process.env, jobs: readonly JobDefinition[] = JOBS): ScheduleConfig {
  if (cronDisabled(env)) return { enabled: false, jobs: [] };
  const out: ScheduleConfig['jobs'] = [];
  for (const job of jobs) {
    const schedule = jobSchedule(job, env);
    if (schedule === null) continue;
    const check = cron.validateDetailed(schedule);
    if (!check.valid) {
      const why = check.errors.map((e) => e.message).join('；') || '格式错误';
      throw new Error(`${job.envVar}=${schedule} 不是有效的 cron 表达式（分 时 日 月 周，如 ${job.defaultSchedule}）：${why}`);
    }
    out.push({ name: job.name, schedule });
  }
  return { enabled: true, jobs: out };
}

export interface Logger {
  log(message: string): void;
  error(message: string): void;
}

export class JobScheduler {
  private readonly tasks: Array<{ name: string; schedule: string; task: ScheduledTask }> = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly runner: JobRunner,
    readonly config: ScheduleConfig,
    private readonly logger: Logger = console,
  ) {}

  /** Registers the cron tasks (nothing when disabled). Each run is recorded by the runner; a failure is logged, never thrown. */
  start(): void {
    if (!this.config.enabled || this.tasks.length) return;
    for (const { name, schedule } of this.config.jobs) {
      const task = cron.createTask(schedule, () => this.fire(name), { timezone: SCHEDULE_TIME_ZONE, name: `bangban-${name}`, noOverlap: true });
      this.tasks.push({ name, schedule, task });
      void task.start();
    }
  }

  /**
   * One cron tick of one job. Every replica's scheduler ticks; only the jobs leader (an advisory lock on PostgreSQL)
   * runs, and the run claims its slot (the tick's second) in job_runs, so a slot is never run twice — not even
   * when leadership changes hands between two replicas' ticks.
   */
  private fire(name: string): Promise<unknown> {
    const slot = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const p = Promise.resolve()
      .then(() => (this.runner.lead() ? this.runner.run(name, undefined, { slot, runner: RUNNER }) : null))
      .then((run) => {
        if (run?.status === 'failed') this.logger.error(`定时任务 ${name} 失败：${run.error}`);
      })
      .catch((err) => this.logger.error(`定时任务 ${name} 未能运行：${err instanceof Error ? err.message : err}`))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  /** The registered tasks with their next run. */
  scheduled(): Array<{ name: string; schedule: string; nextRun: Date | null }> {
    return this.tasks.map((t) => ({ name: t.name, schedule: t.schedule, nextRun: t.task.getNextRun() }));
  }

  /** Removes the tasks and waits for runs in progress, so the database can be closed after. */
  async stop(): Promise<void> {
    for (const t of this.tasks.splice(0)) await t.task.destroy();
    await Promise.all([...this.inFlight]);
  }
}
