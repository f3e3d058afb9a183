import { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow, entryInputSchema, entryPatchSchema } from '../../kb/validate.js';
import { ValidationError } from '../../kb/errors.js';
import { requirePermission, principalOf } from '../../auth/middleware.js';
import { shanghaiDate } from '../../ops/calendar.js';
import { withRevision } from '../../commands/context.js';
import { createEntry } from '../../commands/createEntry.js';
import { updateEntry } from '../../commands/updateEntry.js';
import { publishEntry } from '../../commands/publishEntry.js';
import { approveRevision } from '../../commands/approveRevision.js';
import { rejectRevision } from '../../commands/rejectRevision.js';
import { archiveEntry } from '../../commands/archiveEntry.js';
import { baseVersion, idParam, mayArchive, refuseProvenance } from '../shared.js';
import { archiveBody, entryListQuery, exportQuery, reasonBody, rejectBody } from './schema.js';
import { SHEET_COLUMNS, sheetRow, toCsv, toXlsx } from './export.js';

/** A body with `version` (and `reason`) taken out: what remains are the fields to change. */
function withoutControl(body: unknown): Record<string, unknown> {
  const { version: _v, reason: _r, ...rest } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return rest;
}

/**
 * Knowledge entries (admin, bearer token): list, export, read, history, create, change, publish, approve or reject a
 * pending revision, archive. Mounted at /api/v1/admin/entries (the bulk actions share the prefix: server/routes/bulk/).
 */
export function entryRoutes(s: Services): Router {
  const r = Router();
  const actor = (res: Parameters<typeof principalOf>[0]) => principalOf(res).name;

  r.get('/', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(entryListQuery, req.query);
    const { items, total } = s.kb.entries.list({ ...q, text: q.q });
    const pending = s.kb.revisions.pendingOf(items.filter((e) => e.status === 'published').map((e) => e.id));
    res.json({ total, items: items.map((e) => ({ ...e, pendingRevision: pending.get(e.id) ?? null })) });
  });

  // Declared before /:id, so that “export” is not taken for an entry id.
  /** XLSX/CSV in the columns the import reads (export → import changes nothing). */
  r.get('/export', requirePermission('entries:read'), async (req, res) => {
    const { format, q, ...filters } = parseOrThrow(exportQuery, req.query);
    const rows: string[][] = [[...SHEET_COLUMNS]];
    // Archived entries are history, not content: exported only when asked for by status.
    for (let offset = 0; ; offset += 1000) {
      const { items } = s.kb.entries.list({ ...filters, text: q, limit: 1000, offset });
      for (const e of items) if (filters.status || e.status !== 'archived') rows.push(sheetRow(e));
      if (items.length < 1000) break;
    }
    const stamp = shanghaiDate(s.kb.clock.now());
    const fileName = `知识库条目-${stamp}.${format}`;
    res.set('Content-Disposition', `attachment; filename="entries-${stamp}.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(rows));
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(rows));
  });

  r.get('/:id', requirePermission('entries:read'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const entry = withRevision(s.kb, s.kb.entries.require(id));
    res.set('ETag', `"${entry.version}"`).json(entry);
  });

  r.get('/:id/history', requirePermission('entries:read'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json({ versions: s.kb.entries.history(id) });
  });

  // A new entry is always a draft; origin is manual (ingest and import set the others).
  r.post('/', requirePermission('entries:write'), async (req, res) => {
    refuseProvenance(req.body);
    const fields = parseOrThrow(entryInputSchema, { ...withoutControl(req.body), origin: 'manual' });
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : null;
    const entry = await createEntry(s, { fields, actor: actor(res), reason });
    res.status(201).set('ETag', `"${entry.version}"`).json(entry);
  });

  // A draft changes in place; a published entry's change waits as a pending revision (published text still served).
  r.patch('/:id', requirePermission('entries:write'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    refuseProvenance(req.body);
    const patch = withoutControl(req.body);
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : null;
    if (!Object.keys(patch).length) throw new ValidationError('body', '没有要修改的字段');
    parseOrThrow(entryPatchSchema, patch);
    const out = await updateEntry(s, { id, patch, actor: actor(res), reason, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${out.entry.version}"`).json({ ...out.entry, waitingForReview: out.waitingForReview });
  });

  r.post('/:id/publish', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    const entry = await publishEntry(s, { id, actor: actor(res), reason: reason ?? null, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  r.post('/:id/revision/approve', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    const entry = await approveRevision(s, { id, actor: actor(res), note: reason ?? null, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  r.post('/:id/revision/reject', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(rejectBody, req.body ?? {});
    const entry = await rejectRevision(s, { id, actor: actor(res), note: reason, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  // Archiving a published entry takes an answer away from citizens: that is a publishing decision.
  r.post('/:id/archive', requirePermission('entries:read'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(archiveBody, req.body ?? {});
    const principal = principalOf(res);
    const expectedVersion = baseVersion(id, req.body, req.get('if-match'));
    res.json(await archiveEntry(s, { id, actor: principal.name, reason, expectedVersion, mayArchive: (entry) => mayArchive(principal, entry) }));
  });

  return r;
}
