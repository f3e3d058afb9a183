import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { NotFoundError } from '../../kb/errors.js';
import { CATEGORIES, categoryLabel } from '../../kb/categories.js';
import { shanghaiDate } from '../../ops/calendar.js';
import { idParam } from '../shared.js';
import type { CategoryCount } from '../../../shared/entries.js';

/** What the KB publishes, for the chat widget (public, no token): an answer's entry and the seven categories. */

/** GET /api/v1/entries/:id: a published entry (the link in a reply). */
export function publishedEntryRoutes(s: Services): Router {
  const r = Router();
  r.get('/:id', (req, res) => {
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
  return r;
}

/** GET /api/v1/categories: the seven categories with their published entry counts. */
export function categoryRoutes(s: Services): Router {
  const r = Router();
  r.get('/', (_req, res) => {
    const counts = s.kb.entries.countByCategory('published');
    res.json({ categories: CATEGORIES.map((c): CategoryCount => ({ code: c.code, label: c.label, count: counts[c.code] ?? 0 })) });
  });
  return r;
}
