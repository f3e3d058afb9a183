import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission, principalOf, authorize } from '../../auth/middleware.js';
import { ValidationError } from '../../kb/errors.js';
import { reviewEntry } from '../../commands/reviewEntry.js';
import { halfYearOf } from '../../ops/review.js';
import { baseVersion, refuseProvenance } from '../shared.js';
import { entryIdParam, queueQuery, reviewBody, reviewsQuery } from './schema.js';

/** The half-yearly review: the queue of entries due, the records, and a review of one entry. Mounted at /api/v1/admin/reviews. */
export function reviewRoutes(s: Services): Router {
  const r = Router();

  r.get('/queue', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(queueQuery, req.query);
    res.json(s.reviews.queue(q));
  });

  r.get('/', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(reviewsQuery, req.query);
    res.json(s.reviews.list(q.halfYear ?? halfYearOf(s.kb.clock.now()), q));
  });

  r.post('/:entryId', requirePermission('review'), async (req, res) => {
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

  return r;
}
