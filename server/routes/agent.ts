import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services.js';
import type { Entry } from '../kb/entries.js';
import { parseOrThrow, entryFields } from '../kb/validate.js';
import { STATUSES } from '../kb/categories.js';
import { requirePermission, principalOf } from '../auth/middleware.js';
import { recordAgentAnswer } from '../commands/recordAgentAnswer.js';

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

  /** A draft entry for the review queue, linked to the ask it answers and its gap (recordAgentAnswer). */
  r.post('/answers', requirePermission('agent:answer'), async (req, res) => {
    const body = parseOrThrow(agentAnswerBody, req.body ?? {});
    res.status(201).json(await recordAgentAnswer(s, { ...body, actor: principalOf(res).name }));
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
