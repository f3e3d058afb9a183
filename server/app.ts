import express, { type Request, type Response, type NextFunction } from 'express';
import type { Services } from './services.js';
import { NotFoundError, ValidationError, ConflictError } from './kb/errors.js';
import { authenticate } from './auth/middleware.js';
import { publicRoutes } from './routes/public.js';
import { adminRoutes } from './routes/admin.js';
import { gapRoutes } from './routes/gaps.js';
import { agentRoutes } from './routes/agent.js';
import { reviewRoutes } from './routes/review.js';

/** Builds the express app from its dependencies without listening (tests drive it with supertest). */
export function createApp(s: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '64kb', strict: true }));

  app.get('/healthz', (_req, res) => {
    const engine = s.engine.status();
    const kbVersion = s.kb.version();
    res.json({
      status: 'ok',
      database: { ok: s.kb.db.open, kbVersion },
      index: { entries: engine.entries, kbVersion: engine.kbVersion, upToDate: engine.kbVersion === kbVersion, tokenizer: engine.tokenizer, synonyms: engine.synonyms },
      embedder: { ...engine.embedder, note: s.embedderNote },
    });
  });

  app.get('/metrics', (_req, res) => {
    const engine = s.engine.status();
    res.type('text/plain; version=0.0.4').send(
      s.metrics.render({
        bangban_index_entries: { help: 'Published entries in the search index.', value: engine.entries },
        bangban_kb_version: { help: 'Knowledge-base version (writes so far).', value: s.kb.version() },
      }),
    );
  });

  app.use('/api/v1/admin/gaps', authenticate(s.tokens), gapRoutes(s));
  app.use('/api/v1/admin', authenticate(s.tokens), adminRoutes(s), reviewRoutes(s));
  app.use('/api/v1/agent', authenticate(s.tokens), agentRoutes(s));
  app.use('/api/v1', publicRoutes(s));

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: '没有这个接口' });
  });

  // Known errors become 4xx with their message; anything else is a 500 without internals.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ValidationError) return res.status(400).json({ error: 'invalid', field: err.field, message: err.message });
    if (err instanceof NotFoundError) return res.status(404).json({ error: 'not_found', message: err.message });
    if (err instanceof ConflictError) return res.status(409).json({ error: 'conflict', message: err.message });
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed') return res.status(400).json({ error: 'invalid_json', field: 'body', message: 'body：请求体不是有效的 JSON' });
    if (e.type === 'entity.too.large') return res.status(400).json({ error: 'too_large', field: 'body', message: 'body：请求体过大（上限 64 KB）' });
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return res.status(415).json({ error: 'unsupported', message: '只接受 UTF-8 编码的 JSON' });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return res.status(e.status).json({ error: 'bad_request', message: '请求无效' });
    console.error(err);
    return res.status(500).json({ error: 'internal', message: '服务内部错误' });
  });

  return app;
}
