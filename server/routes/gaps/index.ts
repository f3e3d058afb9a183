import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { ValidationError } from '../../kb/errors.js';
import { requirePermission, principalOf, authorize } from '../../auth/middleware.js';
import { can } from '../../auth/tokens.js';
import { fillGap } from '../../commands/fillGap.js';
import { linkGap } from '../../commands/linkGap.js';
import { dismissGap } from '../../commands/dismissGap.js';
import { reopenGap } from '../../commands/reopenGap.js';
import { idParam, refuseProvenance } from '../shared.js';
import { dismissBody, fillBody, gapListQuery } from './schema.js';

/** Admin gap queue (查遗补缺): list by state / due soon / overdue, fill, dismiss, reopen. Mounted at /api/v1/admin/gaps. */
export function gapRoutes(s: Services): Router {
  const r = Router();
  const manage = requirePermission('gaps:manage');

  r.get('/', manage, (req, res) => {
    const q = parseOrThrow(gapListQuery, req.query);
    res.json(s.gaps.list(q));
  });

  r.get('/:id', manage, (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json({ ...s.gaps.view(s.gaps.require(id)), asks: s.gaps.asksOf(id) });
  });

  // Writing a new entry is an editor's work and publishing it a reviewer's: a reviewer may link a published entry
  // (or publish an editor's fill draft from the entry page), never publish text they wrote here.
  r.post('/:id/fill', manage, async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const raw = req.body ?? {};
    if (raw.entry && typeof raw.entry === 'object' && 'origin' in raw.entry) throw new ValidationError('entry.origin', '补缺条目的来源固定为 gap-fill，不能指定');
    refuseProvenance(raw.entry, 'entry.');
    const body = parseOrThrow(fillBody, raw);
    if ((body.entry === undefined) === (body.entryId === undefined)) {
      throw new ValidationError('entry', '需要 entry（新建条目）或 entryId（关联已发布的条目），二者选一');
    }
    if (body.entryId !== undefined && body.publish !== undefined) throw new ValidationError('publish', '关联已有条目时不适用');
    const principal = principalOf(res);
    if (body.entry) {
      authorize(principal, 'entries:write', '：补缺的新条目由编辑撰写，审核人员可以发布编辑写的草稿');
      if (body.publish) authorize(principal, 'entries:publish', '：请去掉“立即发布”保存为草稿，由审核人员发布后补齐缺口');
    }
    const out = body.entry
      ? await fillGap(s, { gapId: id, entry: body.entry, actor: principal.name, publish: Boolean(body.publish) })
      : await linkGap(s, { gapId: id, entryId: body.entryId!, actor: principal.name, live: can(principal.role, 'entries:publish') });
    res.json({ ...out, gap: s.gaps.view(out.gap) });
  });

  r.post('/:id/dismiss', manage, (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(dismissBody, req.body ?? {});
    res.json(s.gaps.view(dismissGap(s, { gapId: id, reason, actor: principalOf(res).name })));
  });

  r.post('/:id/reopen', manage, (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json(s.gaps.view(reopenGap(s, { gapId: id })));
  });

  return r;
}
