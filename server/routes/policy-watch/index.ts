import { Router } from 'express';
import type { Services } from '../../services.js';
import { requirePermission } from '../../auth/middleware.js';

/** Policy watch (Q&A published ≥ 1 working day before a policy takes effect): at risk, late, pending, on time. Mounted at /api/v1/admin/policy-watch. */
export function policyWatchRoutes(s: Services): Router {
  const r = Router();
  r.get('/', requirePermission('entries:read'), (_req, res) => {
    res.json(s.policyWatch.status(s.kb.clock.now()));
  });
  return r;
}
