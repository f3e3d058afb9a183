import { stmt, type Db } from './db.js';
import { lockKey, PostgresDb } from './postgres/postgres-db.js';
import type { JobRun } from '../../shared/admin.js';

/** pg_try_advisory_lock(class, key) class of the jobs leadership (the key: the KB's schema, as for the write lock). */
const JOBS_LOCK_CLASS = 0x6a6f; // 'jo'

/** One run of a scheduled (or manually started) job, as recorded in job_runs (declared in shared/: the admin page lists them). */
export type { JobRun };

interface JobRunRow {
  id: number; job: string; started_at: string; finished_at: string | null; now: string; status: JobRun['status']; summary: string; error: string | null;
  slot: string | null; runner: string | null;
}

function toRun(r: JobRunRow): JobRun {
  return { id: r.id, job: r.job, startedAt: r.started_at, finishedAt: r.finished_at, now: r.now, status: r.status, summary: JSON.parse(r.summary), error: r.error };
}

/** The job_runs table: which job ran when, with what result. What the jobs do is server/ops/jobs.ts. */
export class JobRunStore {
  constructor(private readonly db: Db) {}

  /**
   * Records a run as started; returns its id. With a cron slot: only if no run has claimed that slot of this job
   * yet (replicas fire together, one runs it) — null when another did.
   */
  start(job: string, startedAt: string, now: string, claim?: { slot: string; runner: string }): number | null {
    const row = stmt(this.db, `INSERT INTO job_runs (job, started_at, now, status, slot, runner) VALUES (?, ?, ?, 'running', ?, ?) ON CONFLICT (job, slot) DO NOTHING RETURNING id`)
      .get(job, startedAt, now, claim?.slot ?? null, claim?.runner ?? null) as { id: number } | undefined;
    return row?.id ?? null;
  }

  /**
   * Whether this process leads the scheduled jobs. SQLite: yes (one machine; with KB_WORKERS only the first worker
   * runs them). PostgreSQL: the replica holding the jobs advisory lock on its KB connection — taken here if free,
   * kept until that connection ends, so when the leading replica dies another takes over at its next tick.
   */
  lead(): boolean {
    if (!(this.db instanceof PostgresDb)) return true;
    const key = lockKey(this.db.schema);
    const row = stmt(
      this.db,
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND classid = ? AND objid = ?)
              THEN true ELSE pg_try_advisory_lock(?, ?) END AS leader`,
    ).get(JOBS_LOCK_CLASS, key >>> 0, JOBS_LOCK_CLASS, key) as { leader: number };
    return row.leader === 1;
  }

  finish(id: number, finishedAt: string, summary: object): void {
    stmt(this.db, `UPDATE job_runs SET status = 'ok', finished_at = ?, summary = ? WHERE id = ?`).run(finishedAt, JSON.stringify(summary ?? {}), id);
  }

  fail(id: number, finishedAt: string, error: string): void {
    stmt(this.db, `UPDATE job_runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`).run(finishedAt, error, id);
  }

  get(id: number): JobRun | null {
    const row = stmt(this.db, 'SELECT * FROM job_runs WHERE id = ?').get(id) as JobRunRow | undefined;
    return row ? toRun(row) : null;
  }

  /** Recent runs, newest first, optionally of one job. */
  recent(filter: { job?: string; limit?: number } = {}): JobRun[] {
    const rows = stmt(this.db, `SELECT * FROM job_runs ${filter.job ? 'WHERE job = ?' : ''} ORDER BY started_at DESC, id DESC LIMIT ?`)
      .all(...(filter.job ? [filter.job] : []), filter.limit ?? 20) as JobRunRow[];
    return rows.map(toRun);
  }

  /** Runs so far per job and status (for /metrics). */
  countsByJobAndStatus(): Array<{ job: string; status: string; n: number }> {
    return stmt(this.db, `SELECT job, status, count(*) AS n FROM job_runs GROUP BY job, status ORDER BY job, status`).all() as Array<{ job: string; status: string; n: number }>;
  }
}
