import { Router, type Request, type Response } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission, UNAUTHORIZED_MESSAGE } from '../../auth/middleware.js';
import { ROLE_LABELS, permissionsOf } from '../../auth/tokens.js';
import { shanghaiDate } from '../../ops/calendar.js';
import { computeAuditReport, periodOf, OUTCOME_LABELS, TARGETS } from '../../ops/report.js';
import type { GapView } from '../../ops/gaps.js';
import type { GapBrief, Me, Stats } from '../../../shared/admin.js';
import { hitTestRequest } from './schema.js';

/** What the admin page needs besides the resources: who is signed in, the dashboard's figures, the entry filters, the hit test. */

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

/** /api/v1/admin/me: the token's name, role and permissions (any valid token). */
export function meRoutes(): Router {
  const r = Router();
  r.get('/', me);
  return r;
}

/** /api/v1/admin/stats: the dashboard's figures for the half-year so far. */
export function statsRoutes(s: Services): Router {
  const r = Router();

  // The audit report reads the whole half-year: computed at most once a minute for the dashboard.
  let cached: { key: string; at: number; report: ReturnType<typeof computeAuditReport> } | null = null;
  const halfYearSoFar = (now: Date) => {
    const period = periodOf(now);
    if (!cached || cached.key !== period.id || now.getTime() - cached.at >= 60_000 || now.getTime() < cached.at) {
      cached = { key: period.id, at: now.getTime(), report: computeAuditReport(s.kb, s.calendar, period, now, { topN: 5 }) };
    }
    return cached.report;
  };

  r.get('/', requirePermission('entries:read'), (_req, res) => {
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

  return r;
}

/** /api/v1/admin/entry-facets: the entry filters' 责任单位 and regions in use. */
export function entryFacetRoutes(s: Services): Router {
  const r = Router();
  r.get('/', requirePermission('entries:read'), (_req, res) => {
    res.json({ departments: s.kb.entries.distinctValues('department'), regions: s.kb.entries.distinctValues('region') });
  });
  return r;
}

/** /api/v1/admin/hit-test: every candidate's scores and the verdict the answer API would give. */
export function hitTestRoutes(s: Services): Router {
  const r = Router();
  r.post('/', requirePermission('hit-test'), async (req, res) => {
    const { question, ...filters } = parseOrThrow(hitTestRequest, req.body);
    res.json(await s.answers.hitTest(question, filters));
  });
  return r;
}
