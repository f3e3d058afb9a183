import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services.js';
import type { Entry } from '../kb/entries.js';
import { parseOrThrow, entryFields } from '../kb/validate.js';
import { NotFoundError } from '../kb/errors.js';
import { STATUSES } from '../kb/categories.js';
import { requirePermission, principalOf } from '../auth/middleware.js';
import { maskPersonalData } from '../privacy/mask.js';
import { mergeSimilarQuestions } from '../ops/gaps.js';

export const agentAnswerBody = z
  .object({
    question: entryFields.question,
    answer: entryFields.answer,
    askId: z.string({ message: '应为字符串' }).trim().min(1, '不能为空').max(100, '过长').optional(),
    department: entryFields.department,
    serviceItem: entryFields.serviceItem,
    category: entryFields.category.optional(),
  })
  .strict();

export const agentListQuery = z.object({ status: z.enum(STATUSES, { message: `应为 ${STATUSES.join(' / ')} 之一` }).optional() }).strict();

/** 线上人工帮办 → KB: agents push good answers back as draft entries. Mounted at /api/v1/agent. */
export function agentRoutes(s: Services): Router {
  const r = Router();

  /**
   * A draft entry (origin agent) for the review queue, linked to the ask it answers and that ask's gap; its similar
   * questions are the citizen's question(s). Publishing it (the admin publish route) fills the gap.
   */
  r.post('/answers', requirePermission('agent:answer'), (req, res) => {
    const body = parseOrThrow(agentAnswerBody, req.body ?? {});
    const actor = principalOf(res).name;
    const entry = s.kb.transaction(() => {
      const ask = body.askId ? s.answers.asks.get(body.askId) : null;
      if (body.askId && !ask) throw new NotFoundError('提问', body.askId);
      const gap = ask ? s.gaps.gapOfAsk(ask.id) : null;
      // The agent often pastes the citizen's words, in the question and in the reply: no personal data into the KB.
      const question = maskPersonalData(body.question);
      const answer = maskPersonalData(body.answer);
      const asked = [...(ask ? [ask.question] : []), ...(gap ? s.gaps.questionsOf(gap.id).map((q) => q.question) : [])];
      const created = s.kb.entries.create(
        {
          category: body.category ?? 'faq', question, answer, department: body.department, serviceItem: body.serviceItem,
          similarQuestions: mergeSimilarQuestions(question, [], asked), origin: 'agent',
        },
        actor,
        '线上人工帮办答复',
      );
      if (!ask) return created;
      return s.kb.entries.linkOrigin(created.id, { askId: ask.id, gapId: gap?.id ?? null }, actor, gap ? `答复提问 ${ask.id}（缺口 ${gap.id}）` : `答复提问 ${ask.id}`);
    });
    res.status(201).json(entry);
  });

  /** The caller's agent answers (an admin sees everyone's), newest first. */
  r.get('/answers', requirePermission('agent:answer'), (req, res) => {
    const { status } = parseOrThrow(agentListQuery, req.query);
    const principal = principalOf(res);
    const ids = s.kb.entries.idsByOrigin('agent', { createdBy: principal.role !== 'admin' ? principal.name : undefined, status, limit: 500 });
    const items: Entry[] = ids.map((id) => s.kb.entries.get(id)!);
    res.json({ total: items.length, items });
  });

  return r;
}
