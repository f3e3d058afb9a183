import type express from 'express';

/** A route the express app serves, found by walking its router stack (mounted routers included). */
export interface Served {
  method: string;
  /** Full express path, e.g. /api/v1/admin/entries/:id */
  path: string;
  /** The permissions requirePermission() checks on it. */
  permissions: string[];
  /** Where the router holding the route is mounted ('' for the app itself). */
  mount: string;
  /** The router holding the route (its layer stack). */
  router: unknown;
  /** Position in the order express tries the routes. */
  order: number;
}

export function servedRoutes(app: express.Express): Served[] {
  const out: Served[] = [];
  const join = (prefix: string, p: string) => `${prefix}/${p}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths: string[] = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        const permissions = layer.route.stack.map((l: any) => l.handle.permission).filter(Boolean);
        for (const p of paths) {
          for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
            out.push({ method, path: join(prefix, p), permissions, mount: prefix, router: stack, order: out.length });
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, join(prefix, typeof layer.rawPath === 'string' ? layer.rawPath : '/'));
      }
    }
  };
  walk((app as any).router.stack, '');
  // /admin and /admin/ are one page
  return out.filter((r, i) => out.findIndex((o) => o.method === r.method && o.path === r.path) === i);
}
