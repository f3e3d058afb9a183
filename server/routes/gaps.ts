import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services.js';
import { parseOrThrow, entryInputSchema, entryFields } from '../kb/validate.js';
import { ValidationError } from '../kb/errors.js';
import { requirePermission, principalOf, authorize } from '../auth/middleware.js';
import { can } from '../auth/tokens.js';
import { GAP_STATES } from '../ops/gaps.js';
import { PROPOSAL_STATES } from '../ops/phrasings.js';
import { idParam, intString, refuseProvenance } from './schemas.js';
import { acceptPhrasing } from '../commands/acceptPhrasing.js';
import { rejectPhrasing } from '../commands/rejectPhrasing.js';
import { fillGap } from '../commands/fillGap.js';
import { linkGap } from '../commands/linkGap.js';
import { dismissGap } from '../commands/dismissGap.js';
import { reopenGap } from '../commands/reopenGap.js';

export const gapListQuery = z
  .object({
    state: z.enum(GAP_STATES, { message: `应为 ${GAP_STATES.join(' / ')} 之一` }).optional(),
    due: z.enum(['soon', 'overdue'], { message: '应为 soon（1 个工作日内到期）或 overdue（已超期）' }).optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();

/** The entry of a fill: the usual entry fields, question optional (the gap's), origin fixed to gap-fill. */
const fillEntry = entryInputSchema.omit({ origin: true }).extend({ question: entryFields.question.optional() });

export const fillBody = z
  .object({
    entry: fillEntry.optional(),
    entryId: z.number({ message: '应为条目编号（正整数）' }).int('应为正整数').positive('应为正整数').optional(),
    publish: z.boolean({ message: '应为 true 或 false' }).optional(),
  })
  .strict();

export const dismissBody = z
  .object({ reason: z.string({ message: '驳回需要说明原因' }).trim().min(1, '驳回需要说明原因').max(500, '不能超过 500 个字符') })
  .strict();

/** Admin gap queue (查遗补缺): list by state / due soon / overdue, fill, dismiss, reopen. Mounted at /api/v1/admin/gaps. */
export const proposalListQuery = z
  .object({ state: z.enum(PROPOSAL_STATES, { message: `应为 ${PROPOSAL_STATES.join(' / ')} 之一` }).optional() })
  .strict();

export const acceptBody = z
  .object({ question: z.string({ message: '应为问法文字' }).trim().min(1, '问法不能为空').max(500, '不能超过 500 个字符').optional() })
  .strict();

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
