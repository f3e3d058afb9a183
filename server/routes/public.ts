import { Router, type Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Services } from '../services.js';
import { parseOrThrow } from '../kb/validate.js';
import { THRESHOLDS } from '../search/decide.js';
import { NotFoundError } from '../kb/errors.js';
import { CATEGORIES, categoryLabel } from '../kb/categories.js';
import { shanghaiDate } from '../ops/calendar.js';
import { answerRequest, feedbackRequest, handoffRequest, idParam, suggestQuery } from './schemas.js';
import type { SuggestResponse } from '../../shared/answer.js';
import type { CategoryCount } from '../../shared/entries.js';

/** The client an ask counts against for the daily new-gap share: its address, an IPv6 one by its /56 (as the rate limit counts it). */
const clientOf = (req: Request): string | undefined => (req.ip ? ipKeyGenerator(req.ip) : undefined);

/** The public API the chat widget calls: /api/v1/answer, feedback, handoff, suggest, entries, categories. */
export function publicRoutes(s: Services): Router {
  const r = Router();

  r.post('/answer', async (req, res) => {
    const input = parseOrThrow(answerRequest, req.body);
    const started = performance.now();
    const out = await s.answers.answer({ ...input, client: clientOf(req) });
    s.metrics.answerLatency.observe((performance.now() - started) / 1000);
    s.metrics.answers.inc({ outcome: out.outcome });
    res.json(out);
  });

  r.post('/feedback', async (req, res) => {
    const { askId, resolved, reason } = parseOrThrow(feedbackRequest, req.body);
    await s.answers.feedback(askId, resolved, reason ?? null, clientOf(req));
    res.status(204).end();
  });

  r.post('/handoff', (req, res) => {
    const { askId } = parseOrThrow(handoffRequest, req.body);
    const channel = s.answers.handoffChannel();
    const record = s.answers.asks.handoff(askId, channel);
    res.status(201).json({
      ...record,
      hours: s.answers.hoursText(),
      message: channel === 'online_agent' ? '正在为您转接线上人工帮办，请稍候。' : `现在不在线上人工帮办服务时间（${s.answers.hoursText()}），请拨打 12345 市民服务热线。`,
    });
  });

  r.get('/suggest', async (req, res) => {
    const { q } = parseOrThrow(suggestQuery, req.query);
    const result = await s.engine.search(q, {}, 8);
    // Typeahead offers questions: entries only (a source passage's heading is not something a citizen would ask).
    const questions = result.candidates.filter((c) => !c.passage && c.score >= THRESHOLDS.typeahead);
    res.json({ suggestions: questions.map((c) => ({ unitId: c.entryId, entryId: c.entryId, question: c.question })) } satisfies SuggestResponse);
  });

  r.get('/entries/:id', (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const entry = s.kb.entries.get(id);
    if (!entry || entry.status !== 'published') throw new NotFoundError('条目', id);
    // Past its expiry date an entry no longer answers (the search stops using it too): the link says so.
    const today = shanghaiDate(s.kb.clock.now());
    if (entry.expiresAt && entry.expiresAt < today) {
      res.status(410).json({ error: 'expired', message: `这条答复已于 ${entry.expiresAt} 失效，不再提供。请重新提问，或拨打 12345 市民服务热线咨询。` });
      return;
    }
    const doc = entry.documentId ? s.kb.documents.get(entry.documentId) : null;
    res.json({
      id: entry.id,
      category: entry.category,
      categoryLabel: categoryLabel(entry.category),
      question: entry.question,
      similarQuestions: entry.similarQuestions,
      answer: entry.answer,
      html: s.answers.html(entry.id, entry.version, entry.answer),
      source: doc && doc.kind === 'policy' ? { documentTitle: doc.title, docNumber: doc.docNumber, section: entry.sourceSection } : null,
      updatedAt: entry.updatedAt,
    });
  });

  r.get('/categories', (_req, res) => {
    const counts = s.kb.entries.countByCategory('published');
    res.json({ categories: CATEGORIES.map((c): CategoryCount => ({ code: c.code, label: c.label, count: counts[c.code] ?? 0 })) });
  });

  return r;
}
