import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services.js';
import { entryPatchSchema, parseOrThrow } from '../kb/validate.js';
import { requirePermission, principalOf, authorize } from '../auth/middleware.js';
import { ValidationError } from '../kb/errors.js';
import { reviewEntry } from '../commands/reviewEntry.js';
import { REVIEW_ACTIONS, halfYearOf, isHalfYear } from '../ops/review.js';
import { JOBS, JOB_NAMES } from '../ops/jobs.js';
import { cronDisabled, jobSchedule } from '../ops/scheduler.js';
import { baseVersion, intString, positiveId, refuseProvenance } from './schemas.js';
import type { JobsOverview } from '../../shared/admin.js';

export const entryIdParam = z.object({ entryId: positiveId });

export const reviewBody = z
  .object({
    action: z.enum(REVIEW_ACTIONS, { message: '应为 confirm（确认无误）/ update（修改）/ archive（归档）之一' }),
    note: z.string({ message: '复核需要填写说明' }).trim().min(1, '复核需要填写说明').max(1000, '不能超过 1000 个字符'),
    changes: entryPatchSchema.optional(),
    /** With confirm: approve the entry's pending revision first, in the same transaction (批准修改并确认). */
    approvePending: z.boolean({ message: '应为 true 或 false' }).optional(),
    version: z.number({ message: '应为条目的版本号（正整数）' }).int('应为正整数').positive('应为正整数').optional(),
  })
  .strict();

export const queueQuery = z
  .object({ department: z.string().trim().min(1, '不能为空').max(200, '不能超过 200 个字符').optional(), limit: intString(1000).optional(), offset: intString(10_000_000).optional() })
  .strict();

export const reviewsQuery = z
  .object({
    halfYear: z.string().refine(isHalfYear, '应为 年份+H1/H2，如 2026H2').optional(),
    entryId: positiveId.optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();

export const jobsQuery = z
  .object({ job: z.enum(JOB_NAMES as [string, ...string[]], { message: `应为 ${JOB_NAMES.join(' / ')} 之一` }).optional(), limit: intString(200).optional() })
  .strict();

/** Review queue and actions, policy watch list, job runs. Mounted at /api/v1/admin. */
export function reviewRoutes(s: Services): Router {
  const r = Router();

  r.get('/reviews/queue', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(queueQuery, req.query);
    res.json(s.reviews.queue(q));
  });

  r.get('/reviews', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(reviewsQuery, req.query);
    res.json(s.reviews.list(q.halfYear ?? halfYearOf(s.kb.clock.now()), q));
  });

  r.post('/reviews/:entryId', requirePermission('review'), async (req, res) => {
    const { entryId } = parseOrThrow(entryIdParam, req.params);
    if (req.body && typeof req.body === 'object') refuseProvenance(req.body.changes, 'changes.');
    const { version: _v, approvePending, ...body } = parseOrThrow(reviewBody, req.body ?? {});
    const principal = principalOf(res);
    // Reviewers approve, they do not write: a change of content comes from an editor as a pending revision.
    if (body.action === 'update') authorize(principal, 'entries:write', '：请确认或归档；需要修改内容的，由编辑修改后提交审核');
    if (approvePending) {
      if (body.action !== 'confirm') throw new ValidationError('approvePending', '只有确认（confirm）可以同时批准待审核的修改');
      authorize(principal, 'entries:publish');
    }
    const result = await reviewEntry(s, { entryId, ...body, approvePending, reviewer: principal.name, expectedVersion: () => baseVersion(entryId, req.body, req.get('if-match')) });
    res.status(201).json(result);
  });

  r.get('/policy-watch', requirePermission('entries:read'), (_req, res) => {
    res.json(s.policyWatch.status(s.kb.clock.now()));
  });

  // Job runs are an operations log: administrators only.
  r.get('/jobs', requirePermission('audit:read'), (req, res) => {
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
