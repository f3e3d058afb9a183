import { stmt, type Db } from './db.js';
import type { JobRun } from '../../shared/admin.js';

/** One run of a scheduled (or manually started) job, as recorded in job_runs (declared in shared/: the admin page lists them). */
export type { JobRun };

interface JobRunRow {
  id: number; job: string; started_at: string; finished_at: string | null; now: string; status: JobRun['status']; summary: string; error: string | null;
}

function toRun(r: JobRunRow): JobRun {
  return { id: r.id, job: r.job, startedAt: r.started_at, finishedAt: r.finished_at, now: r.now, status: r.status, summary: JSON.parse(r.summary), error: r.error };
}

/** The job_runs table: which job ran when, with what result. What the jobs do is server/ops/jobs.ts. */
export class JobRunStore {
  constructor(private readonly db: Db) {}

  /** Records a run as started; returns its id. */
  start(job: string, startedAt: string, now: string): number {
    return (stmt(this.db, `INSERT INTO job_runs (job, started_at, now, status) VALUES (?, ?, ?, 'running') RETURNING id`).get(job, startedAt, now) as { id: number }).id;
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
