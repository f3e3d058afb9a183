import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { can, refusal, type Permission, type Principal, type TokenStore } from './tokens.js';
import { ForbiddenError } from '../kb/errors.js';

declare global {
  namespace Express {
    interface Locals {
      /** Set by authenticate() when the request carried a valid, unrevoked token. */
      principal?: Principal;
    }
  }
}

export const UNAUTHORIZED_MESSAGE = '需要有效的访问令牌（Authorization: Bearer …）';

/** The token in `Authorization: Bearer <token>` (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m ? m[1] : null;
}

/**
 * Reads `Authorization: Bearer <token>` and, when the token is valid, puts the principal on
 * res.locals.principal. Never rejects by itself: requirePermission() answers 401 / 403.
 */
export function authenticate(store: TokenStore): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.principal = undefined;
    const token = bearerToken(req.get('authorization'));
    if (token) {
      const principal = store.verify(token);
      if (principal) res.locals.principal = principal;
    }
    next();
  };
}

/** 401 without a valid token, 403 when the token's role lacks the permission. Mount after authenticate(). */
export function requirePermission(permission: Permission): RequestHandler & { permission: Permission } {
  // the permission stays readable on the handler: the API document's test checks it against the routes
  const handler = (_req: Request, res: Response, next: NextFunction) => {
    const principal = res.locals.principal;
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer realm="bangban-kb"');
      res.status(401).json({ error: 'unauthorized', message: UNAUTHORIZED_MESSAGE });
      return;
    }
    if (!can(principal.role, permission)) {
      res.status(403).json({ error: 'forbidden', message: refusal(principal.role, permission) });
      return;
    }
    next();
  };
  return Object.assign(handler, { permission });
}

/** The authenticated principal of a request that passed requirePermission(); throws if there is none. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal;
  if (!p) throw new Error('principalOf() called on an unauthenticated request: mount authenticate() and requirePermission() first');
  return p;
}

/** For rules that depend on the entry (archiving a published one needs entries:publish): throws 403 in Chinese. */
export function authorize(principal: Principal, permission: Permission, detail = ''): void {
  if (!can(principal.role, permission)) throw new ForbiddenError(refusal(principal.role, permission) + detail);
}
