import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { requirePermission, principalOf } from '../../auth/middleware.js';
import { publishSelected } from '../../commands/publishSelected.js';
import { archiveSelected } from '../../commands/archiveSelected.js';
import { flagSelected } from '../../commands/flagSelected.js';
import { mayArchive } from '../shared.js';
import { bulkArchiveBody, bulkFlagBody, bulkPublishBody } from './schema.js';

/**
 * The admin lists' bulk actions on selected entries, each one transaction (all or none), checked like the single
 * actions. Mounted at /api/v1/admin/entries beside the entry routes (paths no entry route takes: …-selected).
 */
export function bulkRoutes(s: Services): Router {
  const r = Router();

  /** Publish the selected drafts and approve the selected revisions: all in one transaction, or none. */
  r.post('/publish-selected', requirePermission('entries:publish'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkPublishBody, req.body ?? {});
    const out = await publishSelected(s, { items, actor: principalOf(res).name, reason: reason ?? null });
    res.json({ ...out, message: `已发布 ${out.published.length} 条草稿，批准 ${out.approved.length} 条修改，智能客服即刻按新内容作答` });
  });

  /** Archive the selected entries: each checked like the single archive (published ones need entries:publish); all or none. */
  r.post('/archive-selected', requirePermission('entries:read'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkArchiveBody, req.body ?? {});
    const principal = principalOf(res);
    const out = await archiveSelected(s, { items, actor: principal.name, reason, mayArchive: (entry) => mayArchive(principal, entry) });
    res.json({ ...out, message: `已归档 ${out.archived.length} 条，智能客服不再用它们作答` });
  });

  /** Mark the selected published entries 待复核 (they keep answering until reviewed); all or none. */
  r.post('/flag-selected', requirePermission('entries:flag'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkFlagBody, req.body ?? {});
    const out = await flagSelected(s, { items, actor: principalOf(res).name, reason: `送复核：${reason}` });
    const already = out.alreadyDue.length ? `，${out.alreadyDue.length} 条原已在复核队列（保留原因）` : '';
    res.json({ ...out, message: `已把 ${out.flagged.length} 条送复核${already}；复核前照常作答` });
  });

  return r;
}
