import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import type { Services } from '../services.js';
import { REPO_ROOT } from '../config.js';
import { requirePermission, UNAUTHORIZED_MESSAGE } from '../auth/middleware.js';
import { ROLE_LABELS, permissionsOf } from '../auth/tokens.js';
import { shanghaiDate } from '../ops/calendar.js';
import { computeAuditReport, periodOf, OUTCOME_LABELS, TARGETS } from '../ops/report.js';
import type { GapView } from '../ops/gaps.js';
import type { GapBrief, Me, Stats } from '../../shared/admin.js';

/** Browser code compiled by `npm run build` (web/ → dist/web/). */
export const WEB_DIR = path.join(REPO_ROOT, 'dist', 'web');

/** Our own pages load only our own scripts and styles. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

function sendPage(res: Response, file: string, frameAncestors: string): void {
  const full = path.join(WEB_DIR, file);
  if (!fs.existsSync(full)) {
    res.status(503).type('text/plain; charset=utf-8').send('页面尚未构建：请先运行 npm run build');
    return;
  }
  res.set('Content-Security-Policy', `${PAGE_CSP}; frame-ancestors ${frameAncestors}`);
  res.set('Cache-Control', 'no-cache');
  res.sendFile(full);
}

/**
 * Pages and browser assets: `/` (a demo portal page embedding the widget), `/admin` (the admin page),
 * `/widget.js` (the chat widget, one file, embeddable from any origin) and `/assets/*` (compiled admin code, CSS, marked).
 */
export function webRoutes(): Router {
  const r = Router();
  r.get('/', (_req, res) => sendPage(res, 'demo/index.html', "'self'"));
  r.get(['/admin', '/admin/'], (_req, res) => sendPage(res, 'admin/index.html', "'none'"));
  r.get('/widget.js', (_req, res) => {
    const file = path.join(WEB_DIR, 'widget.js');
    if (!fs.existsSync(file)) {
      res.status(503).type('text/plain; charset=utf-8').send('聊天组件尚未构建：请先运行 npm run build');
      return;
    }
    // Portal pages on other origins load it with a plain <script src>.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.set('Cache-Control', 'public, max-age=300');
    res.type('text/javascript; charset=utf-8').sendFile(file);
  });
  r.use(
    '/assets',
    express.static(WEB_DIR, {
      index: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return r;
}

/** Who the caller is, for the admin page: it offers only what the role may do. */
function me(_req: Request, res: Response): void {
  const p = res.locals.principal;
  if (!p) {
    res.set('WWW-Authenticate', 'Bearer realm="bangban-kb"');
    res.status(401).json({ error: 'unauthorized', message: UNAUTHORIZED_MESSAGE });
    return;
  }
  res.json({ name: p.name, role: p.role, roleLabel: ROLE_LABELS[p.role], permissions: permissionsOf(p.role) } satisfies Me);
}

/** Admin-page data: /me, the dashboard's /stats and the entry filters' /entry-facets. Mounted at /api/v1/admin. */
export function adminPageRoutes(s: Services): Router {
  const r = Router();

  r.get('/me', me);

  // The audit report reads the whole half-year: computed at most once a minute for the dashboard.
  let cached: { key: string; at: number; report: ReturnType<typeof computeAuditReport> } | null = null;
  const halfYearSoFar = (now: Date) => {
    const period = periodOf(now);
    if (!cached || cached.key !== period.id || now.getTime() - cached.at >= 60_000 || now.getTime() < cached.at) {
      cached = { key: period.id, at: now.getTime(), report: computeAuditReport(s.kb, s.calendar, period, now, { topN: 5 }) };
    }
    return cached.report;
  };

  r.get('/stats', requirePermission('entries:read'), (_req, res) => {
    const now = s.kb.clock.now();
    const today = shanghaiDate(now);
    const period = periodOf(now);
    // Same definitions as the half-yearly audit report, for the half-year so far.
    const report = halfYearSoFar(now);
    const slim = (g: GapView): GapBrief => ({
      id: g.id, question: g.question, dueDate: g.dueDate, askCount: g.askCount, enterpriseCount: g.enterpriseCount, workingDaysLeft: g.workingDaysLeft,
    });
    const overdue = s.gaps.list({ due: 'overdue', limit: 1000 }, now).items.map(slim);
    const dueSoon = s.gaps.list({ due: 'soon', limit: 1000 }, now).items.map(slim);
    const open = { length: s.gaps.checkSla(now).open };
    const reviewDue = s.kb.entries.countReviewDue();
    const watch = s.policyWatch.status(now);
    res.json({
      today,
      period: { id: period.id, label: period.label },
      targets: TARGETS,
      entries: { published: report.kb.published, draft: report.kb.draft, archived: report.kb.archived },
      asks: { total: report.asks.total, byOutcome: report.asks.byOutcome, outcomeLabels: OUTCOME_LABELS },
      resolution: report.asks.resolution,
      enterpriseResolution: report.asks.enterpriseResolution,
      hotlineShare: report.asks.hotlineShare,
      gaps: { open: open.length, dueSoon, overdue },
      review: { coverage: report.reviews.coverage, due: reviewDue },
      policyWatch: { atRisk: watch.atRisk, late: watch.late, pending: watch.pending.length, onTime: watch.onTime.length },
    } satisfies Stats);
  });

  r.get('/entry-facets', requirePermission('entries:read'), (_req, res) => {
    res.json({ departments: s.kb.entries.distinctValues('department'), regions: s.kb.entries.distinctValues('region') });
  });

  return r;
}
