import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission } from '../../auth/middleware.js';
import { JOBS } from '../../ops/jobs.js';
import { cronDisabled, jobSchedule } from '../../ops/scheduler.js';
import { jobsQuery } from './schema.js';
import type { JobsOverview } from '../../../shared/admin.js';

/** The scheduled jobs and their recent runs. Job runs are an operations log: administrators only. Mounted at /api/v1/admin/jobs. */
export function jobRoutes(s: Services): Router {
  const r = Router();
  r.get('/', requirePermission('audit:read'), (req, res) => {
    const q = parseOrThrow(jobsQuery, req.query);
    res.json({
      jobs: JOBS.map((j) => ({
        name: j.name, description: j.description, schedule: cronDisabled() ? null : jobSchedule(j),
        lastRun: s.kb.jobRuns.recent({ job: j.name, limit: 1 })[0] ?? null,
      })),
      runs: s.kb.jobRuns.recent({ job: q.job, limit: q.limit ?? 20 }),
    } satisfies JobsOverview);
  });
  return r;
}
