import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Services } from '../../services.js';
import { REPO_ROOT } from '../../config.js';
import { buildOpenApiDocument } from '../../openapi/document.js';
import { renderApiPage, PAGE_STYLE_HASH } from '../../openapi/page.js';

/** The service's own state and description: health, Prometheus metrics, the API document and its page. */

/** A value computed at most once per ttl. */
function cachedFor<T>(ttlMs: number, compute: () => T): () => T {
  let value: T;
  let at = -Infinity;
  return () => {
    const now = performance.now();
    if (now - at >= ttlMs) {
      value = compute();
      at = now;
    }
    return value;
  };
}

/** GET /healthz: database (kind, KB version), whether the index has caught up with the KB (on PostgreSQL: the replica's lag), the embedder. */
export function healthRoutes(s: Services): Router {
  const r = Router();
  r.get('/', (_req, res) => {
    const engine = s.engine.status();
    let kbVersion: number;
    try {
      kbVersion = s.kb.version();
    } catch {
      // a replica whose database is unreachable is taken out of the load balancer's rotation, not crashed
      res.status(503).json({ status: 'unavailable', database: { ok: false, kind: s.kb.db.dialect, message: '知识库数据库暂时无法访问' } });
      return;
    }
    res.json({
      status: 'ok',
      database: { ok: s.kb.db.open, kind: s.kb.db.dialect, kbVersion },
      ...(s.replica ? { replica: s.replica.status(kbVersion) } : {}),
      index: { entries: engine.entries, kbVersion: engine.kbVersion, upToDate: engine.kbVersion === kbVersion, tokenizer: engine.tokenizer, synonyms: engine.synonyms },
      embedder: { ...engine.embedder, note: s.embedderPublicNote },
    });
  });
  return r;
}

/**
 * GET /metrics (Prometheus). The app serving it supplies the knowledge-base figures, collected at scrape time; the gap
 * SLA figures are reused for `ttlMs` (a scrape must not recompute them).
 */
export function metricsRoutes(s: Services, ttlMs = 15_000): Router {
  const slaFigures = cachedFor(ttlMs, () => s.gaps.checkSla(s.kb.clock.now()));
  s.metrics.setSource(() => {
    const engine = s.engine.status();
    const sla = slaFigures();
    return {
      indexEntries: engine.entries,
      kbVersion: s.kb.version(),
      gapsOpen: sla.open,
      gapsOverdue: sla.overdue,
      asksOverClientLimit: s.gaps.quota.overLimit,
      jobRuns: s.kb.jobRuns.countsByJobAndStatus(),
    };
  });
  const r = Router();
  r.get('/', async (_req, res) => {
    let text: string;
    try {
      text = await s.metrics.text();
    } catch {
      // with KB_WORKERS, a worker still starting (not yet answering the primary) fails the whole scrape: say so, retry later
      res.status(503).set('Retry-After', '5').json({ error: 'unavailable', message: '有工作进程尚未就绪，暂时无法汇总指标，请稍后再取' });
      return;
    }
    res.type(s.metrics.contentType).send(text);
  });
  return r;
}

/**
 * The API document (from the route registry and its zod schemas) as JSON and as a page for people, built once:
 * `json` for GET /api/v1/openapi.json, `page` for GET /admin/api.
 */
export function apiDocumentRoutes(): { json: Router; page: Router } {
  const document = cachedFor(Infinity, () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const doc = buildOpenApiDocument(version);
    return { json: JSON.stringify(doc), html: renderApiPage(doc) };
  });
  const json = Router();
  json.get('/', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/json; charset=utf-8').send(document().json);
  });
  const page = Router();
  page.get('/', (_req, res) => {
    res.set('Content-Security-Policy', `default-src 'none'; style-src ${PAGE_STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
    res.set('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(document().html);
  });
  return { json, page };
}
