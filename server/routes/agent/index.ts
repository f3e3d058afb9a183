import { Router } from 'express';
import type { Services } from '../../services.js';
import type { Entry } from '../../kb/entries.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission, principalOf } from '../../auth/middleware.js';
import { recordAgentAnswer } from '../../commands/recordAgentAnswer.js';
import { agentAnswerBody, agentListQuery } from './schema.js';

/** 线上人工帮办 → KB: agents push good answers back as draft entries. Mounted at /api/v1/agent/answers. */
export function agentAnswerRoutes(s: Services): Router {
  const r = Router();

  /** A draft entry for the review queue, linked to the ask it answers and its gap (recordAgentAnswer). */
  r.post('/', requirePermission('agent:answer'), async (req, res) => {
    const body = parseOrThrow(agentAnswerBody, req.body ?? {});
    res.status(201).json(await recordAgentAnswer(s, { ...body, actor: principalOf(res).name }));
  });

  /** The caller's agent answers (an admin sees everyone's), newest first. */
  r.get('/', requirePermission('agent:answer'), (req, res) => {
    const { status } = parseOrThrow(agentListQuery, req.query);
    const principal = principalOf(res);
    const ids = s.kb.entries.idsByOrigin('agent', { createdBy: principal.role !== 'admin' ? principal.name : undefined, status, limit: 500 });
    const items: Entry[] = ids.map((id) => s.kb.entries.get(id)!);
    res.json({ total: items.length, items });
  });

  return r;
}
