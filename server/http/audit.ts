import type { RequestHandler } from 'express';
import type { AuditLog } from '../kb/audit-log.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Records every authenticated write on the admin and agent APIs once the response is sent (refused ones too:
 * a 403 is worth knowing about). Mount after authenticate().
 */
export function auditWrites(log: AuditLog): RequestHandler {
  return (req, res, next) => {
    if (!WRITE_METHODS.has(req.method)) return next();
    res.on('finish', () => {
      const principal = res.locals.principal;
      if (!principal) return; // unauthenticated: refused with 401 before anything happened
      try {
        log.record({
          actor: principal.name,
          role: principal.role,
          method: req.method,
          path: req.originalUrl.split('?')[0].slice(0, 300),
          status: res.statusCode,
          ip: req.ip ?? null,
          requestId: (res.locals.requestId as string | undefined) ?? null,
        });
      } catch {
        /* the database may be closing during shutdown: the write itself was already answered */
      }
    });
    next();
  };
}
