import express, { type Request, type Response, type NextFunction } from 'express';
import { PostgresError } from './kb/postgres/postgres-db.js';
import type { Services } from './services.js';
import { NotFoundError, ValidationError, ConflictError, ForbiddenError, VersionConflictError, VersionRequiredError } from './kb/errors.js';
import { authenticate } from './auth/middleware.js';
import { answerRoutes, feedbackRoutes, handoffRoutes, suggestRoutes } from './routes/answer/index.js';
import { categoryRoutes, publishedEntryRoutes } from './routes/published/index.js';
import { entryRoutes } from './routes/entries/index.js';
import { bulkRoutes } from './routes/bulk/index.js';
import { revisionRoutes } from './routes/revisions/index.js';
import { documentRoutes } from './routes/documents/index.js';
import { gapRoutes } from './routes/gaps/index.js';
import { phrasingRoutes } from './routes/phrasings/index.js';
import { reviewRoutes } from './routes/reviews/index.js';
import { policyWatchRoutes } from './routes/policy-watch/index.js';
import { colloquialRoutes, dictionaryRoutes, lexiconRoutes, synonymsRoutes } from './routes/lexicon/index.js';
import { entryFacetRoutes, hitTestRoutes, meRoutes, statsRoutes } from './routes/admin-page/index.js';
import { auditRoutes } from './routes/audit/index.js';
import { jobRoutes } from './routes/jobs/index.js';
import { agentAnswerRoutes } from './routes/agent/index.js';
import { webRoutes } from './routes/pages/index.js';
import { apiDocumentRoutes, healthRoutes, metricsRoutes } from './routes/service/index.js';
import { IngestLimitError } from '../ingest/types.js';
import { widgetCors, widgetOrigins } from './http/widget-cors.js';
import {
  securityHeaders, publicRateLimit, rateLimitOptionsFromEnv, tokenFailureLimit, TOKEN_FAILURE_LIMIT, type RateLimitOptions, type TokenFailureLimitOptions,
} from './http/security.js';
import { requestLogging, logger } from './http/logging.js';
import { trustProxyFromEnv, type TrustProxy } from './config.js';
import type { Logger } from 'pino';
import { auditWrites } from './http/audit.js';

export interface AppOptions {
  /** Public API rate limit per client (default from KB_RATE_LIMIT / KB_RATE_WINDOW_MS). */
  rateLimit?: RateLimitOptions;
  /** Which proxies to trust for the client address (default from KB_TRUST_PROXY, see trustProxyFromEnv). */
  trustProxy?: TrustProxy;
  /** Failed token attempts per client on the admin and agent APIs (default 10 per 15 minutes). */
  tokenFailures?: TokenFailureLimitOptions;
  /** How long /metrics reuses the gap SLA figures (default 15 s): a scrape must not recompute them. */
  metricsTtlMs?: number;
  /** The request log (default: the service's pino logger). */
  logger?: Logger;
}

/** Where the JSON APIs live. */
const API = '/api/v1';

/** Builds the express app from its dependencies without listening (tests drive it with supertest). */
export function createApp(s: Services, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // behind a load balancer: the client's IP for limits and audit
  app.set('trust proxy', options.trustProxy ?? trustProxyFromEnv());
  app.use(requestLogging(options.logger));
  app.use(securityHeaders());
  // JSON bodies are read only by the APIs that take them, after their per-client limits: a request refused with 429
  // (the public API's rate, or too many failed tokens) is never parsed.
  const json = express.json({ limit: '64kb', strict: true });
  // One per-client budget for the public API and the health/metrics endpoints.
  const limited = publicRateLimit(options.rateLimit ?? rateLimitOptionsFromEnv());
  const withLimit = (routes: express.Router) => express.Router().use(limited, routes);

  // Every resource is mounted at its own path (server/routes/<resource>/), with what guards it in front in the same
  // mount: no router serves another's requests, so the order of the mounts does not matter (test/routes.test.ts).
  // The pages router is the exception in what it sees: mounted at /, every request passes through it (it serves
  // only its page paths, none under /api/).
  app.use('/healthz', withLimit(healthRoutes(s)));
  app.use('/metrics', withLimit(metricsRoutes(s, options.metricsTtlMs)));
  const apiDocument = apiDocumentRoutes();
  app.use(`${API}/openapi.json`, withLimit(apiDocument.json));
  app.use('/admin/api', apiDocument.page);
  app.use('/', webRoutes());

  // Public API for the chat widget (no token): CORS for the configured portal origins, rate-limited per client.
  const cors = widgetCors(widgetOrigins());
  const widgetApi = (routes: express.Router) => express.Router().use(cors, limited, json, routes);
  app.use(`${API}/answer`, widgetApi(answerRoutes(s)));
  app.use(`${API}/feedback`, widgetApi(feedbackRoutes(s)));
  app.use(`${API}/handoff`, widgetApi(handoffRoutes(s)));
  app.use(`${API}/suggest`, widgetApi(suggestRoutes(s)));
  app.use(`${API}/entries`, widgetApi(publishedEntryRoutes(s)));
  app.use(`${API}/categories`, widgetApi(categoryRoutes(s)));

  // Admin and agent APIs: a bearer token with a role; every write is recorded in the audit log.
  // Token guessing is slowed per client (only 401s count).
  const failedTokens = tokenFailureLimit(options.tokenFailures ?? TOKEN_FAILURE_LIMIT);
  const admin = express.Router();
  admin.use(failedTokens, authenticate(s.tokens), json, auditWrites(s.audit));
  admin.use('/entries', entryRoutes(s), bulkRoutes(s)); // the bulk actions' paths (…-selected) are none an entry route takes
  admin.use('/revisions', revisionRoutes(s));
  admin.use('/documents', documentRoutes(s));
  admin.use('/gaps', gapRoutes(s));
  admin.use('/phrasings', phrasingRoutes(s));
  admin.use('/reviews', reviewRoutes(s));
  admin.use('/policy-watch', policyWatchRoutes(s));
  admin.use('/synonyms', synonymsRoutes(s));
  admin.use('/dictionary', dictionaryRoutes(s));
  admin.use('/colloquial', colloquialRoutes(s));
  admin.use('/lexicon', lexiconRoutes(s));
  admin.use('/me', meRoutes());
  admin.use('/stats', statsRoutes(s));
  admin.use('/entry-facets', entryFacetRoutes(s));
  admin.use('/hit-test', hitTestRoutes(s));
  admin.use('/audit', auditRoutes(s));
  admin.use('/jobs', jobRoutes(s));
  app.use(`${API}/admin`, admin);

  const agent = express.Router();
  agent.use(failedTokens, authenticate(s.tokens), json, auditWrites(s.audit));
  agent.use('/answers', agentAnswerRoutes(s));
  app.use(`${API}/agent`, agent);

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: '没有这个接口' });
  });

  // Known errors become 4xx with their message; anything else is a 500 without internals.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ValidationError) return res.status(400).json({ error: 'invalid', field: err.field, message: err.message });
    if (err instanceof NotFoundError) return res.status(404).json({ error: 'not_found', message: err.message });
    if (err instanceof VersionConflictError) {
      return res.status(409).json({ error: 'version_conflict', message: err.message, currentVersion: err.currentVersion, current: err.current });
    }
    if (err instanceof ConflictError) return res.status(409).json({ error: 'conflict', message: err.message });
    if (err instanceof ForbiddenError) return res.status(403).json({ error: 'forbidden', message: err.message });
    if (err instanceof VersionRequiredError) return res.status(428).json({ error: 'version_required', field: 'version', message: err.message });
    if (err instanceof IngestLimitError) return res.status(err.status).json({ error: err.status === 413 ? 'too_large' : 'unprocessable', field: 'file', message: err.message });
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed') return res.status(400).json({ error: 'invalid_json', field: 'body', message: 'body：请求体不是有效的 JSON' });
    if (e.type === 'entity.too.large') return res.status(413).json({ error: 'too_large', field: 'body', message: 'body：请求体过大（上限 64 KB），请缩短内容后再提交' });
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return res.status(415).json({ error: 'unsupported', message: '只接受 UTF-8 编码的 JSON' });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return res.status(e.status).json({ error: 'bad_request', message: '请求无效' });
    if (err instanceof PostgresError) {
      logger.error({ reqId: res.locals.requestId, err }, 'database error');
      // a value PostgreSQL cannot take (out of range, bad encoding) is the request's fault; a lost connection is not
      if (err.code?.startsWith('22')) return res.status(400).json({ error: 'invalid', message: '请求中有无法保存的值（超出范围或格式不对），请检查后再提交' });
      if (!err.code || /^(08|57|E)/.test(err.code)) {
        return res.status(503).set('Retry-After', '5').json({ error: 'unavailable', message: '知识库数据库暂时无法访问，请稍后再试', requestId: res.locals.requestId });
      }
    }
    logger.error({ reqId: res.locals.requestId, err }, 'unhandled error');
    return res.status(500).json({ error: 'internal', message: '服务内部错误', requestId: res.locals.requestId });
  });

  return app;
}
