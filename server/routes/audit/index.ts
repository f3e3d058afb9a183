import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission } from '../../auth/middleware.js';
import { auditQuery } from './schema.js';

/** The audit log of admin and agent API writes (server/http/audit.ts records them), newest first. Mounted at /api/v1/admin/audit. */
export function auditRoutes(s: Services): Router {
  const r = Router();
  r.get('/', requirePermission('audit:read'), (req, res) => {
    const { actor, limit, offset } = parseOrThrow(auditQuery, req.query);
    res.json(s.audit.list({ actor, limit, offset }));
  });
  return r;
}
