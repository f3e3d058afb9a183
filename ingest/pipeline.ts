import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeBase } from '../server/kb/index.js';
import type { Entry, SourceLink } from '../server/kb/entries.js';
import { publishEntry } from '../server/ops/publishing.js';
import type { PolicyDocument } from '../server/kb/documents.js';
import type { EntryInput } from '../server/kb/validate.js';
import { ValidationError } from '../server/kb/errors.js';
import { SUPPORTED_EXTENSIONS } from './readers/index.js';
import { readBounded } from './read-bounded.js';
import { sameMetadata, type PreparedDocument } from './prepare.js';
import type { ReadLimits } from './limits.js';
import { generateDocumentEntries } from './generate.js';
import { planSheet, questionKey, countByKind, kindCounts, type SheetPlan } from './sheet-entries.js';
import { rejectedSheetRows, describeProblem } from './rejected-sheet.js';
import { openGapsFromImport, type ImportGap } from '../server/ops/gaps.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { entryPatchSchema, parseOrThrow } from '../server/kb/validate.js';
import type { EntryStatus } from '../server/kb/categories.js';
import { IngestError, IngestLimitError, type CategoryCode, type DocumentMetadata, type QaRow, type RowProblem } from './types.js';

export interface IngestOptions {
  /**
   * Publish what is ingested: drafts are published and changes to published entries go live at once (the importer is
   * also the approver — the CLI's --publish, or an admin page user allowed to publish). Default: new entries stay
   * drafts and changes to published entries wait as pending revisions, the published text still answering.
   */
  publish: boolean;
  /** Who is recorded in the entries' history. */
  actor: string;
  /**
   * Q&A sheets only: a row whose question is already an entry's question (from any other source) keeps or updates
   * that entry instead of creating a duplicate — so an exported sheet imports back as "unchanged" and an edited one
   * changes just the edited entries. Off by default (the CLI keys sheet rows by file name only).
   */
  matchQuestions?: boolean;
  /** Q&A sheets only: a sheet with any rejected row imports nothing (the file fails, naming every problem row). */
  strict?: boolean;
  /** Working calendar for the due dates of gaps opened from unanswered sheet rows (default: the built-in one). */
  calendar?: WorkingCalendar;
  /** Called every few hundred entries while a file's entries are written (a large sheet's progress bar). */
  onEntries?: (done: number, total: number) => void;
  /** The name the file is known by — its identity in the KB (an upload's own name); default the path's basename. */
  fileName?: string;
  /** Limits on reading the file (default: from the environment, ingest/limits.ts). */
  limits?: ReadLimits;
}

/** What a row-level sheet import did with the sheet's rows. */
export interface SheetReport {
  /** Data rows read (empty rows not counted). */
  rows: number;
  /** Rows that became (or were merged into) entries. */
  imported: number;
  /** Rows not imported: they are in the rejected-rows sheet. */
  rejected: number;
  /** Rows without an answer, and the gaps (查遗补缺) they are in; gapId is null for a gap a preview would open. */
  gaps: Array<Omit<ImportGap, 'gapId'> & { gapId: number | null }>;
  /** Every row problem, in row order; numbers are rows as a spreadsheet program shows them (header = row 1). */
  problems: RowProblem[];
  byKind: Partial<Record<RowProblem['kind'], number>>;
  /** The same counts with their Chinese names, in the order people read them (CLI summary, admin preview). */
  kinds: Array<{ kind: RowProblem['kind']; label: string; rows: number }>;
  /** The rejected rows in the file's own columns plus 原行号 and 未导入原因, header first (only a header when none). */
  rejectedSheet: string[][];
}

/** What importing a file does (or would do) to one entry. */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'archive';

export interface PlannedEntry {
  action: PlanAction;
  /** The entry (a created one's only once committed; null in a preview). */
  entryId: number | null;
  category: CategoryCode;
  question: string;
  /** Status before the import (null when created). */
  status: EntryStatus | null;
  /** Fields the import changes (update only). */
  changed?: string[];
  /** A published entry's change that waits for a reviewer (citizens still get the published text). */
  pending?: boolean;
}

export interface FilePlan extends FileResult {
  plan: PlannedEntry[];
}

export type FileStatus = 'new' | 'changed' | 'unchanged' | 'failed';

export interface EntryCounts {
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  published: number;
  /** Changes to published entries now waiting for review (not live). */
  revisions: number;
}

export interface FileResult {
  file: string;
  status: FileStatus;
  kind?: 'policy' | 'qa_sheet';
  documentId?: number;
  title?: string;
  docNumber?: string | null;
  docNumberSource?: 'own' | 'cited' | null;
  entries: EntryCounts;
  /** Q&A sheets: what happened to each problem row. */
  sheet?: SheetReport;
  /** Entries of this file (not archived) by category after the run. */
  byCategory: Partial<Record<CategoryCode, number>>;
  error?: string;
  /** Generated entries the quality gate dropped (policy documents), with the reason. */
  rejected?: Array<{ question: string; sourceSection: string; reason: string }>;
  /** A failed file went past a reading limit: 413 (a size) or 422 (time, memory), what an upload is refused with. */
  refused?: 413 | 422;
}

/** One entry as a source file wants it, with its stable key within that file. */
interface DesiredEntry {
  key: string;
  fields: EntryInput;
}

const emptyCounts = (): EntryCounts => ({ created: 0, updated: 0, unchanged: 0, archived: 0, published: 0, revisions: 0 });

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Hash of the fields a source sets, in a fixed order, to tell "the source changed this entry" apart. */
function fieldsHash(fields: EntryInput): string {
  const keys = Object.keys(fields).sort() as Array<keyof EntryInput>;
  return sha256(JSON.stringify(keys.map((k) => [k, fields[k] ?? null]))).slice(0, 32);
}

/** Files under the given paths (folders recursively, sorted); in folders, unsupported files are skipped. */
export function collectFiles(paths: string[]): { files: string[]; skipped: string[] } {
  const files: string[] = [];
  const skipped: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (SUPPORTED_EXTENSIONS.includes(path.extname(name).toLowerCase())) files.push(full);
      else skipped.push(full);
    }
  };
  for (const p of paths) {
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) walk(p);
    else files.push(p); // a named file is always tried: a missing or unsupported one is reported as failed
  }
  return { files, skipped };
}

/**
 * Ingests one file in its own transaction: a new or changed source creates/updates its entries, archives the
 * ones it no longer contains and flags changed published ones for review; an identical file changes nothing.
 */
export async function ingestFile(kb: KnowledgeBase, file: string, options: IngestOptions): Promise<FileResult> {
  const { plan: _plan, ...result } = await runFile(kb, file, options, false);
  return result;
}

/**
 * What ingestFile would do, entry by entry, without changing the knowledge base: the very same steps run in a
 * transaction that is rolled back at the end (so the preview cannot drift from the import).
 */
export async function planFile(kb: KnowledgeBase, file: string, options: IngestOptions): Promise<FilePlan> {
  return runFile(kb, file, options, true);
}

/** ingestFile, also saying what it did entry by entry (the admin page's import). */
export async function ingestFileWithPlan(kb: KnowledgeBase, file: string, options: IngestOptions): Promise<FilePlan> {
  return runFile(kb, file, options, false);
}

/**
 * How a Q&A sheet's rows would import, without touching the KB — also for a file imported already (the rejected-rows
 * download after an import). Null for a policy document. Throws IngestError for a file that cannot be read.
 */
export async function sheetReportOf(kb: KnowledgeBase, file: string, options: Pick<IngestOptions, 'matchQuestions' | 'fileName' | 'limits'>): Promise<SheetReport | null> {
  const { read } = await readBounded(file, { fileName: options.fileName, limits: options.limits });
  if (read.kind !== 'qa') return null;
  const known = options.matchQuestions ? knownQuestionAnswers(kb) : null;
  const sheet = planSheet(read.rows, read.problems ?? [], { isKnown: known ? (q, a) => known.has(`${questionKey(q)}\n${a.trim()}`) : undefined });
  return sheetReport(read.rows, read.header ?? [], sheet);
}

/** Thrown inside the transaction of a dry run to roll it back. */
class DryRun extends Error {}

async function runFile(kb: KnowledgeBase, file: string, options: IngestOptions, dryRun: boolean): Promise<FilePlan> {
  const fileName = options.fileName ?? path.basename(file);
  const result: FilePlan = { file, status: 'failed', entries: emptyCounts(), byCategory: {}, plan: [] };
  try {
    if (!fs.existsSync(file)) throw new IngestError(fileName, '文件不存在');
    // read (and a policy document prepared) off the main thread, within the reading limits
    const { read, prepared } = await readBounded(file, { fileName, limits: options.limits });
    const digest = sha256(fs.readFileSync(file));
    const existing = kb.documents.getBySourceKey(fileName);
    if (existing && existing.sha256 === digest) {
      result.status = 'unchanged';
      describe(result, existing);
      for (const e of kb.entries.ofDocument(existing.id)) {
        if (e.status !== 'archived') result.plan.push({ action: 'unchanged', entryId: e.id, category: e.category, question: e.question, status: e.status });
      }
      if (options.publish) {
        if (dryRun) result.entries.published = result.plan.filter((p) => p.status === 'draft').length;
        else kb.transaction(() => publishDrafts(kb, existing.id, options, result.entries));
      }
      result.byCategory = countByCategory(kb, existing.id);
      return result;
    }

    try {
      kb.transaction(() => {
        let doc: PolicyDocument;
        if (read.kind === 'document') {
          const { text, outline, metadata } = prepared!;
          doc = kb.documents.upsert({ sourceKey: fileName, kind: 'policy', fileName, format: read.format, sha256: digest, text, outline, metadata });
          // Resolve citations first so a document lacking its 文号 is generated with the one its citers give.
          const renumbered = kb.documents.resolveLinks();
          syncEntries(kb, doc, policyEntries(kb, doc.id, result, prepared!), options, result.entries, Boolean(existing), result.plan);
          for (const other of renumbered) {
            // it only got its 文号 from this document: refresh its entries without flagging them for review
            if (other.id !== doc.id) syncEntries(kb, other, policyEntries(kb, other.id), options, emptyCounts(), false, null);
          }
          doc = kb.documents.get(doc.id)!;
        } else {
          const known = options.matchQuestions ? knownQuestionAnswers(kb) : null;
          const sheet = planSheet(read.rows, read.problems ?? [], { isKnown: known ? (q, a) => known.has(`${questionKey(q)}\n${a.trim()}`) : undefined });
          result.sheet = sheetReport(read.rows, read.header ?? [], sheet);
          const rejected = result.sheet.problems.filter((p) => p.outcome === 'rejected');
          if (options.strict && rejected.length) throw new IngestError(fileName, `按 --strict 不导入有问题的表格：${listProblems(rejected)}`);
          if (!sheet.entries.length && !sheet.unanswered.length) throw new IngestError(fileName, `表格中没有可导入的行：${listProblems(rejected)}`);
          const metadata: DocumentMetadata = {
            title: fileName, docNumber: null, issuer: null, issueDate: null, effectiveDate: null, expiryDate: null,
            citations: [], level: 'city', region: '上海市',
          };
          doc = kb.documents.upsert({ sourceKey: fileName, kind: 'qa_sheet', fileName, format: read.format, sha256: digest, text: '', outline: [], metadata });
          const desired = sheet.entries.map((r): DesiredEntry => ({
            key: r.key,
            fields: {
              category: r.category, question: r.question, similarQuestions: r.similarQuestions, answer: r.answer,
              keywords: r.keywords, serviceItem: r.serviceItem, department: r.department, level: r.level, region: r.region,
              audience: r.audience, documentId: doc.id, sourceSection: null, effectiveFrom: r.effectiveFrom,
              expiresAt: r.expiresAt, origin: 'import',
            },
          }));
          // an entry an earlier import made from a row that is now rejected stays as it was until the row is fixed
          const keep = new Set(sheet.rejectedKeys.map((k) => `${doc.sourceKey}#${k}`));
          syncEntries(kb, doc, desired, options, result.entries, Boolean(existing), result.plan, keep);
          const gaps = openGapsFromImport(kb, options.calendar ?? new WorkingCalendar(), sheet.unanswered);
          result.sheet.gaps = gaps.map((g) => ({ ...g, gapId: dryRun && g.created ? null : g.gapId }));
        }
        result.status = existing ? 'changed' : 'new';
        describe(result, doc);
        result.byCategory = countByCategory(kb, doc.id);
        if (dryRun) throw new DryRun();
      });
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
      // rolled back: a document that did not exist before, and entries that would be created, have no id
      if (!existing) result.documentId = undefined;
      for (const p of result.plan) if (p.action === 'create') p.entryId = null;
    }
    return result;
  } catch (err) {
    result.status = 'failed';
    result.plan = [];
    result.sheet = undefined;
    if (err instanceof IngestLimitError) result.refused = err.status;
    result.error = err instanceof IngestError ? err.message : err instanceof ValidationError ? `${fileName}: ${err.message}` : `${fileName}: ${(err as Error).message}`;
    return result;
  }
}

/** Question key + answer of every non-archived entry: rows that are existing entries (a re-imported export). */
function knownQuestionAnswers(kb: KnowledgeBase): Set<string> {
  const rows = kb.db.prepare(`SELECT question, answer FROM entries WHERE status != 'archived'`).all() as Array<{ question: string; answer: string }>;
  return new Set(rows.map((r) => `${questionKey(r.question)}\n${r.answer.trim()}`));
}

/** Problems in one message (a failed file): the first 20, then how many in all. */
function listProblems(problems: RowProblem[]): string {
  const shown = problems.slice(0, 20).map(describeProblem).join('；');
  return problems.length > 20 ? `${shown}；……共 ${problems.length} 处问题` : shown;
}

function sheetReport(rows: QaRow[], header: string[], sheet: SheetPlan): SheetReport {
  const rejectedRows = new Set(sheet.problems.filter((p) => p.outcome === 'rejected').map((p) => p.rowNumber));
  return {
    rows: rows.length,
    imported: rows.length - rejectedRows.size - sheet.unanswered.length,
    rejected: rejectedRows.size,
    gaps: sheet.unanswered.map((u) => ({ rowNumber: u.rowNumber, question: u.question, gapId: null, created: true })),
    problems: sheet.problems,
    byKind: countByKind(sheet.problems),
    kinds: kindCounts(sheet.problems),
    rejectedSheet: rejectedSheetRows(header, rows, sheet.problems),
  };
}

function describe(result: FileResult, doc: PolicyDocument): void {
  result.kind = doc.kind;
  result.documentId = doc.id;
  result.title = doc.title;
  result.docNumber = doc.docNumber;
  result.docNumberSource = doc.docNumberSource;
}

/**
 * Entries generated from a stored policy document (its text, outline and current metadata). Those the reading worker
 * generated are used when the stored metadata is still what they were generated from.
 */
function policyEntries(kb: KnowledgeBase, documentId: number, report?: { rejected?: FileResult['rejected'] }, prepared?: PreparedDocument): DesiredEntry[] {
  const doc = kb.documents.get(documentId)!;
  const metadata = kb.documents.metadata(documentId)!;
  const reuse = prepared && sameMetadata(prepared.metadata, metadata) ? prepared.generated : null;
  const { entries: generated, rejected } = reuse ?? generateDocumentEntries({
    fileName: doc.fileName,
    format: doc.format as 'txt',
    text: kb.documents.text(documentId)!,
    metadata,
    outline: kb.documents.outline(documentId),
  });
  if (report) report.rejected = rejected;
  // A generated question built from an overlong title or sentence must not fail the whole document: clip it
  // (and drop control characters a PDF may carry) to what an entry accepts.
  const clip = (text: string, max: number) => {
    const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  };
  return generated.map((g) => ({
    key: g.key,
    fields: {
      category: g.category, question: clip(g.question, 200), similarQuestions: g.similarQuestions.map((q) => clip(q, 200)).slice(0, 30),
      answer: clip(g.answer, 20_000),
      keywords: g.keywords, serviceItem: g.serviceItem ?? null, department: g.department ?? null,
      level: metadata.level, region: metadata.region, audience: g.audience, documentId,
      sourceSection: g.sourceSection || null, effectiveFrom: metadata.effectiveDate, expiresAt: metadata.expiryDate,
      origin: 'ingest',
    },
  }));
}

/** The fields a Q&A sheet row sets: what "unchanged" compares for an entry matched by its question. */
const SHEET_FIELDS = [
  'category', 'question', 'similarQuestions', 'answer', 'keywords', 'serviceItem', 'department', 'level', 'region',
  'audience', 'effectiveFrom', 'expiresAt',
] as const;

/** The sheet fields of `fields` that differ from the entry, as a patch (values normalised as the store keeps them). */
function sheetPatch(entry: Entry, fields: EntryInput): Partial<EntryInput> {
  const wanted = parseOrThrow(entryPatchSchema, Object.fromEntries(SHEET_FIELDS.map((k) => [k, fields[k] ?? null]))) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const k of SHEET_FIELDS) {
    if (JSON.stringify(wanted[k] ?? null) !== JSON.stringify(entry[k] ?? null)) patch[k] = wanted[k] ?? null;
  }
  return patch as Partial<EntryInput>;
}

/** Field names whose values differ between two versions of an entry. */
function changedFields(before: Entry, after: Entry): string[] {
  const keys = ['category', 'question', 'similarQuestions', 'answer', 'keywords', 'serviceItem', 'department', 'level', 'region', 'audience', 'sourceSection', 'effectiveFrom', 'expiresAt'] as const;
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

/** Non-archived entries by normalised question (lowest id first); built once per sheet. */
function entriesByQuestion(kb: KnowledgeBase): Map<string, Entry[]> {
  const map = new Map<string, Entry[]>();
  const rows = kb.db.prepare(`SELECT id, question FROM entries WHERE status != 'archived' ORDER BY id`).all() as Array<{ id: number; question: string }>;
  for (const r of rows) {
    const key = questionKey(r.question);
    map.set(key, [...(map.get(key) ?? []), kb.entries.get(r.id)!]);
  }
  return map;
}

/**
 * The entry a sheet row stands for among those asking the same question (each claimed once): one already saying
 * exactly what the row says, else the first unclaimed one.
 */
function claimMatch(candidates: Entry[] | undefined, fields: EntryInput, claimed: Set<number>): Entry | null {
  const free = (candidates ?? []).filter((e) => !claimed.has(e.id));
  const hit = free.find((e) => !Object.keys(sheetPatch(e, fields)).length) ?? free[0] ?? null;
  if (hit) claimed.add(hit.id);
  return hit;
}

/** Makes the KB's entries of one source match what the source now says. Runs inside the caller's transaction. */
function syncEntries(
  kb: KnowledgeBase, doc: PolicyDocument, desired: DesiredEntry[], options: IngestOptions, counts: EntryCounts, sourceChanged: boolean,
  plan: PlannedEntry[] | null, keep: Set<string> = new Set(),
): void {
  const actor = options.actor;
  const wanted = new Set<string>();
  const byQuestion = options.matchQuestions && doc.kind === 'qa_sheet' ? entriesByQuestion(kb) : null;
  // Rows this sheet imported before keep their own entries; the others are matched among the rest.
  const claimed = new Set<number>();
  if (byQuestion) for (const d of desired) {
    const own = kb.entries.getBySourceKey(`${doc.sourceKey}#${d.key}`);
    if (own) claimed.add(own.id);
  }
  const note = (action: PlanAction, entry: Entry | null, fields: { category: CategoryCode; question: string }, status: EntryStatus | null, changed?: string[], pending = false) =>
    plan?.push({ action, entryId: entry?.id ?? null, category: fields.category, question: fields.question, status, ...(changed ? { changed } : {}), ...(pending ? { pending } : {}) });
  /** A published entry's change waits for review unless the importer publishes; true when it became a pending revision. */
  const change = (target: Entry, patch: Partial<EntryInput>, reason: string, link?: SourceLink): { entry: Entry; pending: boolean } => {
    if (target.status !== 'published' || options.publish) return { entry: kb.entries.update(target.id, patch, actor, reason, link), pending: false };
    const revision = kb.revisions.propose(target.id, patch, actor, reason, link);
    // nothing differs from the published text (an editor made the same change): just follow the source from now on
    if (!revision) return { entry: link ? kb.entries.update(target.id, {}, actor, reason, link) : kb.entries.require(target.id), pending: false };
    counts.revisions++;
    return { entry: kb.entries.require(target.id), pending: true };
  };
  for (const [i, d] of desired.entries()) {
    if (i % 250 === 0) options.onEntries?.(i, desired.length);
    const sourceKey = `${doc.sourceKey}#${d.key}`;
    wanted.add(sourceKey);
    const source = { sourceKey, sourceHash: fieldsHash(d.fields) };
    let entry: Entry | null = kb.entries.getBySourceKey(sourceKey);
    const matched = !entry && byQuestion ? claimMatch(byQuestion.get(questionKey(d.fields.question)), d.fields, claimed) : null;
    if (matched) {
      // An entry of another source (or hand-written) asks the same: keep it where it lives, change only what differs.
      const patch = sheetPatch(matched, d.fields);
      entry = matched;
      if (Object.keys(patch).length) {
        const out = change(matched, patch, `由 ${doc.fileName} 导入更新`);
        entry = out.entry;
        counts.updated++;
        note('update', matched, d.fields, matched.status, Object.keys(patch), out.pending);
      } else {
        counts.unchanged++;
        note('unchanged', matched, d.fields, matched.status);
      }
    } else if (!entry) {
      entry = kb.entries.create(d.fields, actor, `由 ${doc.fileName} 生成`, source);
      counts.created++;
      note('create', entry, d.fields, null);
    } else if (entry.sourceHash !== source.sourceHash || entry.status === 'archived') {
      const before = entry;
      const out = change(entry, d.fields, `源文件 ${doc.fileName} 已更新（第 ${doc.version} 版）`, source);
      entry = out.entry;
      if (entry.status === 'archived') entry = kb.entries.unpublish(entry.id, actor, `源文件 ${doc.fileName} 重新包含此条目`);
      const changed = out.pending ? Object.keys(kb.revisions.pending(entry.id)?.changes ?? {}) : changedFields(before, entry);
      // Only an entry whose content the source changed goes to the review queue (its item shows the diff).
      if (before.status === 'published' && sourceChanged && changed.length) entry = kb.entries.flagForReview(entry.id, `源文件已更新：${doc.fileName}`, actor);
      counts.updated++;
      note('update', before, d.fields, before.status, changed.length ? changed : before.status === 'archived' ? ['status'] : [], out.pending);
    } else {
      counts.unchanged++;
      note('unchanged', entry, d.fields, entry.status);
    }
    if (options.publish && entry.status === 'draft') {
      publishEntry(kb, entry.id, actor, '导入时发布');
      counts.published++;
    }
  }
  options.onEntries?.(desired.length, desired.length);
  for (const old of kb.entries.ofDocument(doc.id)) {
    if (old.status === 'archived' || !old.sourceKey || wanted.has(old.sourceKey) || keep.has(old.sourceKey)) continue;
    kb.entries.archive(old.id, actor, `源文件 ${doc.fileName} 已不再包含此条目`);
    counts.archived++;
    note('archive', old, old, old.status);
  }
}

function publishDrafts(kb: KnowledgeBase, documentId: number, options: IngestOptions, counts: EntryCounts): void {
  for (const e of kb.entries.ofDocument(documentId).filter((x) => x.status === 'draft')) {
    publishEntry(kb, e.id, options.actor, '导入时发布');
    counts.published++;
  }
}

function countByCategory(kb: KnowledgeBase, documentId: number): Partial<Record<CategoryCode, number>> {
  const rows = kb.db
    .prepare(`SELECT category, count(*) AS n FROM entries WHERE document_id = ? AND status != 'archived' GROUP BY category`)
    .all(documentId) as Array<{ category: CategoryCode; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.category, r.n]));
}

/** Ingests many files, one transaction each; a failed file does not stop the others. */
export async function ingestPaths(
  kb: KnowledgeBase,
  paths: string[],
  options: IngestOptions,
  onProgress?: (done: number, total: number, file: string) => void,
): Promise<{ results: FileResult[]; skipped: string[] }> {
  const { files, skipped } = collectFiles(paths);
  const results: FileResult[] = [];
  for (const [i, file] of files.entries()) {
    onProgress?.(i, files.length, file);
    results.push(await ingestFile(kb, file, options));
  }
  onProgress?.(files.length, files.length, '');
  // A later file may have supplied an earlier one's 文号 through a citation: report the final state.
  for (const r of results) {
    const doc = r.documentId ? kb.documents.get(r.documentId) : null;
    if (doc) describe(r, doc);
  }
  return { results, skipped };
}
