import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express, { Router, type Request, type Response, type NextFunction } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { ValidationError } from '../../kb/errors.js';
import { requirePermission, principalOf, authorize } from '../../auth/middleware.js';
import { planFile, sheetReportOf, type FilePlan, type PlannedEntry, type SheetReport } from '../../../ingest/pipeline.js';
import { IngestError, IngestLimitError } from '../../../ingest/types.js';
import { readLimitsFromEnv, megabytes, type ReadLimits } from '../../../ingest/limits.js';
import { rejectedSheetCsv, rejectedSheetName, rejectedSheetXlsx } from '../../../ingest/rejected-sheet.js';
import { SUPPORTED_EXTENSIONS, MAX_FILE_BYTES } from '../../../ingest/readers/index.js';
import { importFile } from '../../commands/importFile.js';
import type { ImportReport } from '../../../shared/ingest.js';
import type { DocumentRow } from '../../../shared/admin.js';
import { DEFAULT_PAGE, uploadQuery } from './schema.js';

/** The uploaded file's name: just a base name with a supported extension (it is the source's identity). */
function uploadName(req: Request): string {
  const q = parseOrThrow(uploadQuery, req.query);
  let name = q.name;
  const header = req.get('x-file-name');
  if (name === undefined && header !== undefined) {
    try {
      name = decodeURIComponent(header);
    } catch {
      throw new ValidationError('name', '请求头 X-File-Name 应为 URL 编码的文件名');
    }
  }
  name = name?.trim();
  if (!name) throw new ValidationError('name', '需要文件名（查询参数 name 或请求头 X-File-Name）');
  if (name.length > 200) throw new ValidationError('name', '文件名不能超过 200 个字符');
  if (/[\\/\u0000-\u001f]/.test(name) || name === '.' || name === '..') throw new ValidationError('name', '文件名不能包含路径或控制字符');
  const ext = path.extname(name).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(ext)) {
    throw new ValidationError('name', `不支持的文件类型${ext ? ` ${ext}` : '（没有扩展名）'}，支持 ${SUPPORTED_EXTENSIONS.join(' ')}`);
  }
  return name;
}

const rawBody = express.raw({ type: () => true, limit: MAX_FILE_BYTES });

/** The file bytes as the request body; size errors in Chinese naming the limit. */
function readUpload(req: Request, res: Response, next: NextFunction): void {
  rawBody(req, res, (err?: unknown) => {
    const e = err as { type?: string } | undefined;
    if (e?.type === 'entity.too.large') {
      res.status(413).json({ error: 'too_large', field: 'file', message: `file：文件过大（上限 ${megabytes(MAX_FILE_BYTES)}）` });
      return;
    }
    if (err) return next(err);
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) return next(new ValidationError('file', '请求体应为文件内容（Content-Type: application/octet-stream），不能为空'));
    next();
  });
}

/**
 * Runs fn on the upload saved in a private temporary folder, removed afterwards. The file on disk is named by its
 * extension only: the upload's own name (its identity in the KB) is passed along separately, so a name of any length
 * or script the file system would not take (100 CJK characters are 300 bytes, past the 255-byte limit) still works.
 */
async function withUploadedFile<T>(name: string, bytes: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-upload-'));
  try {
    const file = path.join(dir, `upload${path.extname(name).toLowerCase()}`);
    fs.writeFileSync(file, bytes);
    return await fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export type { ImportReport };

const ACTION_ORDER: PlannedEntry['action'][] = ['create', 'update', 'archive', 'unchanged'];

/** The report of a plan, its lists cut to one page: a 100,000-row sheet gives a response of a few hundred rows. */
function report(name: string, plan: FilePlan, page: ImportReport['page']): ImportReport {
  if (plan.status === 'failed') throw new ValidationError('file', plan.error ?? `${name}: 无法导入`);
  const { created: create, updated: update, unchanged, archived: archive } = plan.entries;
  const counts = { create, update, unchanged, archive };
  const cut = <T>(list: T[], from = page.offset) => list.slice(from, from + page.limit);
  const entries = [...plan.plan].sort((a, b) => ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action));
  const dropped = plan.rejected ?? [];
  const sheet = plan.sheet ? (({ rejectedSheet: _rows, ...rest }) => rest)(plan.sheet) : null;
  return {
    file: name, status: plan.status, kind: plan.kind, documentId: plan.documentId ?? null, title: plan.title ?? null,
    docNumber: plan.docNumber ?? null, counts, published: plan.entries.published, revisions: plan.entries.revisions, entries: cut(entries), page,
    totals: { entries: entries.length, problems: sheet?.problems.length ?? 0, gaps: sheet?.gaps.length ?? 0, dropped: dropped.length },
    sheet: sheet ? { ...sheet, problems: cut(sheet.problems, page.problemOffset), gaps: cut(sheet.gaps, 0) } : null,
    dropped: cut(dropped, 0),
  };
}

/**
 * Admin: documents (policy watch list) and upload → preview → import of a policy document or Q&A sheet (the export
 * of entries in the columns the import reads is the entries': GET /entries/export). Mounted at /api/v1/admin/documents.
 */
export function documentRoutes(s: Services, limits: ReadLimits = readLimitsFromEnv()): Router {
  const r = Router();

  r.get('/', requirePermission('entries:read'), (_req, res) => {
    const watch = s.policyWatch.status(s.kb.clock.now());
    const state = new Map<number, { state: string; publishBy: string; workingDaysLeft: number }>();
    for (const [key, label] of [['late', 'late'], ['atRisk', 'at_risk'], ['pending', 'pending'], ['onTime', 'on_time']] as const) {
      for (const d of watch[key]) state.set(d.documentId, { state: label, publishBy: d.publishBy, workingDaysLeft: d.workingDaysLeft });
    }
    const counts = s.kb.entries.countsByDocumentAndStatus();
    const byDoc = new Map<number, Record<string, number>>();
    for (const c of counts) byDoc.set(c.id, { ...(byDoc.get(c.id) ?? {}), [c.status]: c.n });
    const documents = s.kb.documents.list().map((d): DocumentRow => {
      const n = byDoc.get(d.id) ?? {};
      const expired = d.expiryDate !== null && d.expiryDate < watch.today;
      return {
        id: d.id, kind: d.kind, title: d.title, docNumber: d.docNumber, issuer: d.issuer, issueDate: d.issueDate,
        effectiveDate: d.effectiveDate, expiryDate: d.expiryDate, level: d.level, region: d.region, fileName: d.fileName,
        version: d.version, replacedBy: d.replacedBy, updatedAt: d.updatedAt,
        entries: { published: n.published ?? 0, draft: n.draft ?? 0, archived: n.archived ?? 0 },
        watch: d.replacedBy !== null ? { state: 'replaced' } : expired ? { state: 'expired' } : state.get(d.id) ?? null,
      };
    });
    res.json({ today: watch.today, documents, watch });
  });

  const upload = (commit: boolean) => async (req: Request, res: Response) => {
    const name = uploadName(req);
    const q = parseOrThrow(uploadQuery, req.query);
    const publish = q.publish ?? false;
    const page = { offset: q.offset ?? 0, problemOffset: q.problemOffset ?? 0, limit: q.limit ?? DEFAULT_PAGE };
    const principal = principalOf(res);
    // publish=true makes the importer the approver too: drafts go live and changes to published entries apply at once
    if (publish) authorize(principal, 'entries:publish', '：不勾选“导入后直接发布”，导入的新条目为草稿、已发布条目的修改等待审核');
    const options = { publish, actor: principal.name, matchQuestions: true, fileName: name, limits };
    const plan = await withUploadedFile(name, req.body as Buffer, (file) =>
      commit ? importFile(s, { file, ...options }) : planFile(s.kb, file, { ...options, calendar: s.calendar }));
    res.status(commit ? 201 : 200).json(report(name, plan, page));
  };

  // The rejected rows of an uploaded sheet as a sheet to fix and import again (same reading as the preview; nothing written).
  r.post('/rejected', requirePermission('entries:write'), readUpload, async (req, res) => {
    const name = uploadName(req);
    const format = parseOrThrow(uploadQuery, req.query).format ?? 'xlsx';
    const sheet = await withUploadedFile(name, req.body as Buffer, (file) => sheetReportOf(s.kb, file, { matchQuestions: true, fileName: name, limits })).catch((err: unknown) => {
      // a file past a reading limit is refused with its status (the app's error handler); any other problem is the file's
      throw err instanceof IngestError && !(err instanceof IngestLimitError) ? new ValidationError('file', err.message) : err;
    });
    if (!sheet) throw new ValidationError('file', `${name}: 不是问答表（xlsx、csv），没有未导入的行`);
    const out = rejectedSheetName(name, format);
    res.set('Content-Disposition', `attachment; filename="rejected-rows.${format}"; filename*=UTF-8''${encodeURIComponent(out)}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(rejectedSheetCsv(sheet.rejectedSheet));
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await rejectedSheetXlsx(sheet.rejectedSheet));
  });

  r.post('/preview', requirePermission('entries:write'), readUpload, upload(false));
  r.post('/import', requirePermission('entries:write'), readUpload, upload(true));

  return r;
}
