import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../server/app.js';
import { servicesFor } from './helpers/services.js';
import { servedRoutes, type Served } from './helpers/served-routes.js';

/**
 * Each resource's router (server/routes/<resource>/) is mounted in server/app.ts at its own path, so no router takes
 * another's requests and the order of the mounts does not matter.
 */

const segments = (p: string) => p.split('/').filter(Boolean);
const isParam = (segment: string) => segment.startsWith(':');
/** Some request path both routes match (same method, same length, every segment equal or a parameter in one of them). */
const overlap = (a: Served, b: Served) => {
  const x = segments(a.path);
  const y = segments(b.path);
  return a.method === b.method && x.length === y.length && x.every((s, i) => s === y[i] || isParam(s) || isParam(y[i]));
};
/** A request path of the route: each parameter a number (no literal segment is one). */
const sample = (r: Served) => r.path.replace(/:\w+/g, r.path.includes('/lexicon/') ? 'synonyms' : '1');

/** The app with the routers it mounts, and the routers the admin and agent APIs mount, in reverse order. */
function reversedMounts(app: express.Express): express.Express {
  const reverse = (stack: Array<{ handle: { stack?: unknown } }>) => {
    const at = stack.flatMap((layer, i) => (layer.handle.stack ? [i] : []));
    const routers = at.map((i) => stack[i]).reverse();
    at.forEach((i, k) => (stack[i] = routers[k]));
    for (const layer of routers) reverse(layer.handle.stack as typeof stack);
  };
  reverse((app as unknown as { router: { stack: Array<{ handle: { stack?: unknown } }> } }).router.stack);
  return app;
}

describe('route mounts', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: express.Express;
  let served: Served[];

  beforeAll(async () => {
    s = await servicesFor();
    app = createApp(s);
    served = servedRoutes(app);
  });
  afterAll(() => s.cleanup());

  it('no route shadows another: two routes one request could reach are in the same router, the literal one first', () => {
    const problems: string[] = [];
    let within = 0;
    for (const a of served) {
      for (const b of served) {
        if (a.order >= b.order || !overlap(a, b)) continue;
        // a is tried first
        const key = `${a.method.toUpperCase()} ${a.path} / ${b.path}`;
        if (a.router !== b.router) problems.push(`${key}: in different routers, so the order of their mounts decides`);
        else if (segments(a.path).some((seg, i) => isParam(seg) && !isParam(segments(b.path)[i]))) problems.push(`${key}: the second is declared after the first, which takes its requests`);
        else within++;
      }
    }
    expect(problems).toEqual([]);
    expect(within).toBeGreaterThan(0); // GET /entries/export before GET /entries/:id: the checker sees overlaps
  });

  it('each resource router is mounted at its own path, below /api/v1 (the pages at /)', () => {
    const mounts = new Map<string, Set<string>>();
    for (const r of served) mounts.set(r.mount, (mounts.get(r.mount) ?? new Set()).add(r.path));
    for (const [mount, paths] of mounts) {
      if (mount === '') continue; // the app's own: /healthz, /metrics, /api/v1/openapi.json, /admin/api
      if (mount === '/') expect([...paths].filter((p) => p.startsWith('/api/')), 'the pages router serves no API').toEqual([]);
      else expect(['/api', '/api/v1', '/api/v1/admin', '/api/v1/agent'], `${mount} is a resource's path`).not.toContain(mount);
    }
    expect(mounts.size).toBeGreaterThan(20);
  });

  it('every route answers the same with the mounts in reverse order', async () => {
    const token = s.tokens.create('管理员', 'admin', 'test').token;
    const reversed = reversedMounts(createApp(s));
    const outcome = async (target: express.Express, r: Served) => {
      const req = request(target)[r.method as 'get' | 'post' | 'put' | 'patch'](sample(r)).set('Authorization', `Bearer ${token}`);
      const res = r.method === 'get' ? await req : await req.send({});
      return `${r.method.toUpperCase()} ${sample(r)} → ${res.status}`;
    };
    const routes = served.filter((r) => r.path !== '/metrics'); // Prometheus text has timings
    const inOrder = [];
    const inReverse = [];
    for (const r of routes) inOrder.push(await outcome(app, r));
    for (const r of routes) inReverse.push(await outcome(reversed, r));
    expect(inReverse).toEqual(inOrder);
    // the reversal did reorder: the public entry route is now tried after the admin API
    expect(servedRoutes(reversed).map((r) => r.path)).not.toEqual(served.map((r) => r.path));
    expect(inOrder).toContain('GET /api/v1/admin/entries/export → 200');
    expect(inOrder).toContain('GET /api/v1/admin/entries/1 → 404');
  });
});
