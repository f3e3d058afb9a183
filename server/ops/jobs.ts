import type { JobRun } from '../kb/job-runs.js';
import type { Services } from '../services.js';
import { flagEntriesDueForReview } from '../commands/flagEntriesDueForReview.js';
import { runPolicyWatch } from '../commands/runPolicyWatch.js';
import { mergeSimilarGaps } from '../commands/mergeSimilarGaps.js';

/**
 * The scheduled jobs of KB operations and the runner that records every run in job_runs. Every job reads the state
 * of the KB at `now` and flags what is due, so running it twice flags nothing new (idempotent), and `now` can be any
 * instant (npm run jobs -- <name> --now … replays a day). A job that writes calls its command (server/commands/), which
 * owns its transaction and tells the search index after its commit; gap-sla only reads.
 */

/** What a job reports (stored as JSON in job_runs.summary). */
export type JobSummary = object;

export interface JobDefinition {
  name: string;
  description: string;
  /** Environment variable holding its cron schedule ('off' disables the job). */
  envVar: string;
  defaultSchedule: string;
  run(s: Services, now: Date): JobSummary | Promise<JobSummary>;
}

export const JOBS: readonly JobDefinition[] = [
  {
    name: 'gap-sla',
    description: '查遗补缺时限：标记即将到期（≤ 1 个工作日）和已逾期（5 个工作日）的缺口',
    envVar: 'KB_CRON_GAP_SLA',
    defaultSchedule: '0 8 * * *',
    run: (s, now) => s.gaps.checkSla(now),
  },
  {
    name: 'review-due',
    description: '半年度复核：标记本半年度未复核、源文件失效或被替代的条目',
    envVar: 'KB_CRON_REVIEW_DUE',
    defaultSchedule: '5 8 * * *',
    run: (s, now) => flagEntriesDueForReview(s, now),
  },
  {
    name: 'policy-watch',
    description: '政策生效前发布检查：临近生效未发布、已生效仍未发布的文件；过失效日期的条目标记复核',
    envVar: 'KB_CRON_POLICY_WATCH',
    defaultSchedule: '10 8 * * *',
    run: (s, now) => runPolicyWatch(s, now),
  },
  {
    name: 'gap-cluster',
    description: '缺口聚类：合并问的是同一件事的未解决缺口',
    envVar: 'KB_CRON_GAP_CLUSTER',
    defaultSchedule: '*/5 * * * *',
    run: (s) => mergeSimilarGaps(s),
  },
];

export const JOB_NAMES = JOBS.map((j) => j.name);

export type { JobRun } from '../kb/job-runs.js';

export class JobRunner {
  constructor(
    private readonly s: Services,
    readonly jobs: readonly JobDefinition[] = JOBS,
    /** Wall clock for started/finished (when the run really happened, also when replaying another `now`). */
    private readonly wallClock: () => Date = () => new Date(),
  ) {}

  find(name: string): JobDefinition | undefined {
    return this.jobs.find((j) => j.name === name);
  }

  /**
   * Runs one job once with `now` (default: the KB clock) and records the run. A failing job is recorded as
   * failed and returned, never thrown: a scheduled job must not take the server down.
   */
  async run(name: string, now?: Date): Promise<JobRun>;
  /** A scheduled run for a cron slot: null when another replica claimed that slot first. */
  async run(name: string, now: Date | undefined, claim: { slot: string; runner: string }): Promise<JobRun | null>;
  async run(name: string, now: Date = this.s.kb.clock.now(), claim?: { slot: string; runner: string }): Promise<JobRun | null> {
    const job = this.find(name);
    if (!job) throw new Error(`没有名为 ${name} 的任务（可用：${this.jobs.map((j) => j.name).join('、')}）`);
    const runs = this.s.kb.jobRuns;
    const startedAt = this.wallClock().toISOString();
    const id = runs.start(job.name, startedAt, now.toISOString(), claim);
    if (id === null) return null;
    try {
      const summary = await job.run(this.s, now);
      runs.finish(id, this.wallClock().toISOString(), summary ?? {});
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const finishedAt = this.wallClock().toISOString();
      // The database may be what failed (closed during shutdown): then the run can only be reported, not recorded.
      if (!this.s.kb.db.open) return { id, job: job.name, startedAt, finishedAt, now: now.toISOString(), status: 'failed', summary: {}, error };
      runs.fail(id, finishedAt, error);
    }
    return runs.get(id)!;
  }

  /** Whether this process leads the scheduled jobs (see JobRunStore.lead). */
  lead(): boolean {
    return this.s.kb.jobRuns.lead();
  }

  recent(filter: { job?: string; limit?: number } = {}): JobRun[] {
    return this.s.kb.jobRuns.recent(filter);
  }
}
