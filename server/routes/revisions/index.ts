import { Router } from 'express';
import type { Services } from '../../services.js';
import { requirePermission } from '../../auth/middleware.js';

/**
 * Changes to published entries waiting for a reviewer, each with the published entry it would change.
 * Mounted at /api/v1/admin/revisions (approve and reject are the entry's: /entries/:id/revision/…).
 */
export function revisionRoutes(s: Services): Router {
  const r = Router();
  r.get('/', requirePermission('entries:read'), (_req, res) => {
    const revisions = s.kb.revisions.listPending();
    const entries = new Map(s.kb.entries.getMany(revisions.map((r) => r.entryId)).map((e) => [e.id, e]));
    const items = revisions.map((revision) => ({ revision, entry: entries.get(revision.entryId)! }));
    res.json({ total: items.length, items });
  });
  return r;
}
