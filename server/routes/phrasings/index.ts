import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission, principalOf } from '../../auth/middleware.js';
import { can } from '../../auth/tokens.js';
import { acceptPhrasing } from '../../commands/acceptPhrasing.js';
import { rejectPhrasing } from '../../commands/rejectPhrasing.js';
import { idParam } from '../shared.js';
import { acceptBody, proposalListQuery } from './schema.js';

/**
 * 市民问法建议: phrasings citizens asked before choosing an entry from 猜你想问; accept (optionally edited) or
 * reject. Mounted at /api/v1/admin/phrasings.
 */
export function phrasingRoutes(s: Services): Router {
  const r = Router();
  const manage = requirePermission('gaps:manage');

  r.get('/', manage, (req, res) => {
    const { state } = parseOrThrow(proposalListQuery, req.query);
    res.json(s.answers.phrasings.list(state));
  });

  // whoever works the gap queue decides; an editor's acceptance waits for a reviewer like any change to a published entry
  const decide = manage;
  r.post('/:id/accept', decide, async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { question } = parseOrThrow(acceptBody, req.body ?? {});
    const principal = principalOf(res);
    res.json(await acceptPhrasing(s, { id, actor: principal.name, question, live: can(principal.role, 'entries:publish') }));
  });

  r.post('/:id/reject', decide, (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json(rejectPhrasing(s, { id, actor: principalOf(res).name }));
  });

  return r;
}
