import { Router, type Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { THRESHOLDS } from '../../search/decide.js';
import { answerRequest, feedbackRequest, handoffRequest, suggestQuery } from './schema.js';
import type { SuggestResponse } from '../../../shared/answer.js';

/**
 * The chat widget's asking loop (public, no token): each router is mounted at its own path in server/app.ts,
 * behind the widget CORS and the per-client limit.
 */

/** The client an ask counts against for the daily new-gap share: its address, an IPv6 one by its /56 (as the rate limit counts it). */
const clientOf = (req: Request): string | undefined => (req.ip ? ipKeyGenerator(req.ip) : undefined);

/** POST /api/v1/answer: a question answered (or 猜你想问, no answer, out of scope). */
export function answerRoutes(s: Services): Router {
  const r = Router();
  r.post('/', async (req, res) => {
    const input = parseOrThrow(answerRequest, req.body);
    const started = performance.now();
    const out = await s.answers.answer({ ...input, client: clientOf(req) });
    s.metrics.answerLatency.observe((performance.now() - started) / 1000);
    s.metrics.answers.inc({ outcome: out.outcome });
    res.json(out);
  });
  return r;
}

/** POST /api/v1/feedback: 好差评 on a reply. */
export function feedbackRoutes(s: Services): Router {
  const r = Router();
  r.post('/', async (req, res) => {
    const { askId, resolved, reason } = parseOrThrow(feedbackRequest, req.body);
    await s.answers.feedback(askId, resolved, reason ?? null, clientOf(req));
    res.status(204).end();
  });
  return r;
}

/** POST /api/v1/handoff: 转人工 (the online agents in working hours, else 12345). */
export function handoffRoutes(s: Services): Router {
  const r = Router();
  r.post('/', (req, res) => {
    const { askId } = parseOrThrow(handoffRequest, req.body);
    const channel = s.answers.handoffChannel();
    const record = s.answers.asks.handoff(askId, channel);
    res.status(201).json({
      ...record,
      hours: s.answers.hoursText(),
      message: channel === 'online_agent' ? '正在为您转接线上人工帮办，请稍候。' : `现在不在线上人工帮办服务时间（${s.answers.hoursText()}），请拨打 12345 市民服务热线。`,
    });
  });
  return r;
}

/** GET /api/v1/suggest: typeahead. */
export function suggestRoutes(s: Services): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { q } = parseOrThrow(suggestQuery, req.query);
    const result = await s.engine.search(q, {}, 8);
    // Typeahead offers questions: entries only (a source passage's heading is not something a citizen would ask).
    const questions = result.candidates.filter((c) => !c.passage && c.score >= THRESHOLDS.typeahead);
    res.json({ suggestions: questions.map((c) => ({ unitId: c.entryId, entryId: c.entryId, question: c.question })) } satisfies SuggestResponse);
  });
  return r;
}
