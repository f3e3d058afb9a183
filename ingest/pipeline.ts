import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeBase } from '../server/kb/index.js';
import type { Entry, SourceLink } from '../server/kb/entries.js';
import { publishEntryTx } from '../server/commands/publishEntry.js';
import { updateEntryTx } from '../server/commands/updateEntry.js';
import type { PolicyDocument } from '../server/kb/documents.js';
import type { EntryInput } from '../server/kb/validate.js';
import { ValidationError } from '../server/kb/errors.js';
import { SUPPORTED_EXTENSIONS, loadSourceFile } from './readers/index.js';
import { readBounded } from './read-bounded.js';
import { sameMetadata, type PreparedDocument } from './prepare.js';
import type { ReadLimits } from './limits.js';
import { generateDocumentEntries } from './generate.js';
import { runNow, runSliced } from './slices.js';
import { planSheetSteps, questionKey, countByKind, kindCounts, type SheetPlan } from './sheet-entries.js';
import { rejectedSheetRows, describeProblem } from './rejected-sheet.js';
import { openGapsByQuestion, openGapsFromImport, planImportGaps, type ImportGapPlan } from '../server/ops/gaps.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { entryPatchSchema, parseOrThrow } from '../server/kb/validate.js';
import type { FileStatus, PlanAction, PlannedEntry, SheetSummary } from '../shared/ingest.js';
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

/** What a row-level sheet import did with the sheet's rows, and the rows it did not import (the sheet to fix). */
export interface SheetReport extends SheetSummary {
  /** The rejected rows in the file's own columns plus 原行号 and 未导入原因, header first (only a header when none). */
  rejectedSheet: string[][];
}

export type { FileStatus, PlanAction, PlannedEntry, SheetSummary };

export interface FilePlan extends FileResult {
  plan: PlannedEntry[];
}

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
  try {
    const { plan: _plan, ...result } = await runFile(kb, file, options, false);
    return result;
  } catch (err) {
    if (!(err instanceof IngestLimitError)) throw err;
    return { file, status: 'failed', entries: emptyCounts(), byCategory: {}, error: err.message };
  }
}

/**
 * What ingestFile would do, entry by entry, without changing the knowledge base: a Q&A sheet's plan is made reading
 * the KB only (runSheet); a policy document's steps run in a transaction that is rolled back at the end. The import
 * carries out the same plan, so the preview cannot drift from it. Like ingestFileWithPlan, throws IngestLimitError
 * for a file past a reading limit (an upload is refused with its status); any other problem is a failed result.
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
  const sheet = await runSliced(planSheetSteps(read.rows, read.problems ?? [], { isKnown: known ? (q, a) => known.has(`${questionKey(q)}\n${a.trim()}`) : undefined }));
  return { ...sheetReport(read.rows, read.header ?? [], sheet), gaps: planImportGaps(kb, sheet.unanswered) };
}

/** Thrown inside the transaction of a dry run to roll it back. */
class DryRun extends Error {}

async function runFile(kb: KnowledgeBase, file: string, options: IngestOptions, dryRun: boolean): Promise<FilePlan> {
  const fileName = options.fileName ?? path.basename(file);
  const result: FilePlan = { file, status: 'failed', entries: emptyCounts(), byCategory: {}, plan: [] };
  try {
    if (!fs.existsSync(file)) throw new IngestError(fileName, '文件不存在');
    // the file is loaded once (its type and size checked first) and hashed: an unchanged file is not parsed at all
    const bytes = await loadSourceFile(file, fileName);
    const digest = sha256(bytes);
    const existing = kb.documents.getBySourceKey(fileName);
    if (existing && existing.sha256 === digest) {
      result.status = 'unchanged';
      describe(result, existing);
      for (const e of kb.entries.ofDocument(existing.id)) {
        if (e.status === 'archived') continue;
        result.plan.push({ action: 'unchanged', entryId: e.id, category: e.category, question: e.question, status: e.status });
        result.entries.unchanged++;
      }
      if (options.publish) {
        if (dryRun) result.entries.published = result.plan.filter((p) => p.status === 'draft').length;
        else kb.transaction(() => publishDrafts(kb, existing.id, options, result.entries));
      }
      result.byCategory = countByCategory(kb, existing.id);
      return result;
    }
    // read (and a policy document prepared) off the main thread, within the reading limits
    const { read, prepared } = await readBounded(file, { fileName, limits: options.limits, bytes });

    if (read.kind === 'qa') {
      await runSheet(kb, read, fileName, digest, existing, options, dryRun, result);
      return result;
    }

    try {
      kb.transaction(() => {
        const { text, outline, metadata } = prepared!;
        let doc = kb.documents.upsert({ sourceKey: fileName, kind: 'policy', fileName, format: read.format, sha256: digest, text, outline, metadata });
        // Resolve citations first so a document lacking its 文号 is generated with the one its citers give.
        const renumbered = kb.documents.resolveLinks();
        syncEntries(kb, doc, policyEntries(kb, doc.id, result, prepared!), options, result.entries, Boolean(existing), result.plan, undefined, dryRun);
        for (const other of renumbered) {
          // it only got its 文号 from this document: refresh its entries without flagging them for review
          if (other.id !== doc.id && !dryRun) syncEntries(kb, other, policyEntries(kb, other.id), options, emptyCounts(), false, null);
        }
        doc = kb.documents.get(doc.id)!;
        result.status = existing ? 'changed' : 'new';
        describe(result, doc);
        result.byCategory = countByCategory(kb, doc.id);
        // a policy document's preview: its document row and links are tried (a few rows) and rolled back; entries only planned
        if (dryRun) throw new DryRun();
      });
    } catch (err) {
      if (!(err instanceof DryRun)) throw err;
      // rolled back: a document that did not exist before has no id
      if (!existing) result.documentId = undefined;
    }
    return result;
  } catch (err) {
    if (err instanceof IngestLimitError) throw err;
    result.status = 'failed';
    result.plan = [];
    result.sheet = undefined;
    result.error = err instanceof IngestError ? err.message : err instanceof ValidationError ? `${fileName}: ${err.message}` : `${fileName}: ${(err as Error).message}`;
    return result;
  }
}

type SheetRead = { format: string; rows: QaRow[]; header?: string[]; problems?: RowProblem[] };

/**
 * A Q&A sheet, which may have 100,000 rows. Its rows are checked and its entries planned reading the KB only, in
 * slices with answers running in between (no transaction is open). A preview reports that plan and writes no entry.
 * An import then writes it in one transaction; if any entry changed meanwhile (the KB version moved) the plan is made
 * again inside the transaction, so what is written is always decided on what the transaction sees.
 */
async function runSheet(
  kb: KnowledgeBase, read: SheetRead, fileName: string, digest: string, existing: PolicyDocument | null,
  options: IngestOptions, dryRun: boolean, result: FilePlan,
): Promise<void> {
  const kbVersion = kb.version();
  const planned = await runSliced(planSheetFile(kb, read, fileName, existing, options, result));
  if (dryRun) {
    reportSteps(planned.steps, result.entries, result.plan);
    result.sheet!.gaps = planImportGaps(kb, planned.sheet.unanswered);
    result.status = existing ? 'changed' : 'new';
    Object.assign(result, { kind: 'qa_sheet', documentId: existing?.id, title: fileName, docNumber: null, docNumberSource: null });
    result.byCategory = plannedCategories(kb, existing?.id ?? null, planned.steps);
    return;
  }
  kb.transaction(() => {
    const now = kb.documents.getBySourceKey(fileName);
    if (now?.sha256 !== existing?.sha256 || now?.version !== existing?.version) {
      throw new IngestError(fileName, '读取期间同名文件已被另一次导入更新：本次未写入任何内容，请重新预览后再导入');
    }
    const stale = kb.version() !== kbVersion;
    const { sheet, desired, steps } = stale ? runNow(planSheetFile(kb, read, fileName, existing, options, result)) : planned;
    const metadata: DocumentMetadata = {
      title: fileName, docNumber: null, issuer: null, issueDate: null, effectiveDate: null, expiryDate: null,
      citations: [], level: 'city', region: '上海市',
    };
    const doc = kb.documents.upsert({ sourceKey: fileName, kind: 'qa_sheet', fileName, format: read.format, sha256: digest, text: '', outline: [], metadata });
    for (const d of desired) d.fields.documentId = doc.id; // a new sheet's document exists only now
    const ids = applySteps(kb, targetOf(doc), steps, options);
    reportSteps(steps, result.entries, result.plan, ids);
    result.sheet!.gaps = openGapsFromImport(kb, options.calendar ?? new WorkingCalendar(), sheet.unanswered);
    result.status = existing ? 'changed' : 'new';
    describe(result, doc);
    result.byCategory = countByCategory(kb, doc.id);
  });
}

interface PlannedSheet {
  sheet: SheetPlan;
  desired: DesiredEntry[];
  steps: EntryStep[];
}

/** A sheet's rows checked (fills result.sheet) and its entries planned, reading the KB only. */
function* planSheetFile(
  kb: KnowledgeBase, read: SheetRead, fileName: string, existing: PolicyDocument | null, options: IngestOptions, result: FilePlan,
): Generator<void, PlannedSheet> {
  const known = options.matchQuestions ? knownQuestionAnswers(kb) : null;
  yield;
  const sheet = yield* planSheetSteps(read.rows, read.problems ?? [], { isKnown: known ? (q, a) => known.has(`${questionKey(q)}\n${a.trim()}`) : undefined });
  result.sheet = sheetReport(read.rows, read.header ?? [], sheet);
  const rejected = result.sheet.problems.filter((p) => p.outcome === 'rejected');
  if (options.strict && rejected.length) throw new IngestError(fileName, `按 --strict 不导入有问题的表格：${listProblems(rejected)}`);
  if (!sheet.entries.length && !sheet.unanswered.length) throw new IngestError(fileName, `表格中没有可导入的行：${listProblems(rejected)}`);
  yield;
  const documentId = existing?.id ?? null; // a new sheet's document is stored by the import
  const desired = sheet.entries.map((r): DesiredEntry => ({
    key: r.key,
    fields: {
      category: r.category, question: r.question, similarQuestions: r.similarQuestions, answer: r.answer,
      keywords: r.keywords, serviceItem: r.serviceItem, department: r.department, level: r.level, region: r.region,
      audience: r.audience, documentId, sourceSection: null, effectiveFrom: r.effectiveFrom,
      expiresAt: r.expiresAt, origin: 'import',
    },
  }));
  // an entry an earlier import made from a row that is now rejected stays as it was until the row is fixed
  const keep = new Set(sheet.rejectedKeys.map((k) => `${fileName}#${k}`));
  const target: SourceTarget = { id: documentId, sourceKey: fileName, kind: 'qa_sheet', fileName, version: (existing?.version ?? 0) + 1 };
  const steps = yield* planEntries(kb, target, desired, options, Boolean(existing), keep);
  return { sheet, desired, steps };
}

/** The sheet's entries (not archived) by category as the plan leaves them. */
function plannedCategories(kb: KnowledgeBase, documentId: number | null, steps: EntryStep[]): Partial<Record<CategoryCode, number>> {
  const counts: Partial<Record<CategoryCode, number>> = documentId === null ? {} : countByCategory(kb, documentId);
  const add = (c: CategoryCode, n: number) => (counts[c] = (counts[c] ?? 0) + n);
  for (const st of steps) {
    const mine = st.before === null || (documentId !== null && st.before.documentId === documentId);
    if (!mine) continue;
    if (st.before && st.before.status !== 'archived') add(st.before.category, -1);
    if (st.action !== 'archive') add(st.pending || st.action === 'unchanged' ? st.before!.category : st.desired!.fields.category, 1);
  }
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** Question key + answer of every non-archived entry: rows that are existing entries (a re-imported export). */
function knownQuestionAnswers(kb: KnowledgeBase): Set<string> {
  const rows = kb.entries.liveQuestionAnswers();
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
function* entriesByQuestion(kb: KnowledgeBase): Generator<void, Map<string, Entry[]>> {
  const map = new Map<string, Entry[]>();
  const rows = kb.entries.liveQuestions();
  for (const r of rows) {
    const key = questionKey(r.question);
    map.set(key, [...(map.get(key) ?? []), kb.entries.get(r.id)!]);
    yield; // a large KB: one entry at a time, so a preview can let answers through
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

/** The source whose entries are planned: a stored document, or (a preview of a new sheet) one not stored yet. */
interface SourceTarget {
  id: number | null;
  sourceKey: string;
  kind: PolicyDocument['kind'];
  fileName: string;
  /** The version the document has once imported (in history reasons). */
  version: number;
}

/**
 * What importing a source does to one entry — decided once, by planEntries, for the preview and the import alike
 * (the import then only carries the decisions out, so the two cannot disagree).
 */
interface EntryStep {
  action: PlanAction;
  /** Category and question the report shows. */
  shown: { category: CategoryCode; question: string };
  /** The row/fact of the source (not for an archive). */
  desired: DesiredEntry | null;
  source: SourceLink | null;
  /** The entry as it is now (null: created). */
  before: Entry | null;
  /** Matched by question (a sheet row standing for an entry of another source): only the differing sheet fields change. */
  matched: boolean;
  /** What the change is made with (update only). */
  patch: Partial<EntryInput> | null;
  /** A published entry's change that waits as a pending revision. */
  pending: boolean;
  changed?: string[];
  /** Raise the review flag (a published entry whose content the changed source changed). */
  flag: boolean;
  /** Published by the import (publish option, the entry a draft afterwards). */
  publish: boolean;
}

/**
 * Decides, reading the KB only, what making the KB's entries of one source match what the source now says does to
 * each entry. A generator that yields after every entry: the import runs it to the end inside its transaction, the
 * preview lets the event loop run between slices (no transaction is open then, so nothing else can end up in one).
 */
function* planEntries(
  kb: KnowledgeBase, doc: SourceTarget, desired: DesiredEntry[], options: IngestOptions, sourceChanged: boolean,
  keep: Set<string> = new Set(),
): Generator<void, EntryStep[]> {
  const steps: EntryStep[] = [];
  const wanted = new Set<string>();
  const byQuestion = options.matchQuestions && doc.kind === 'qa_sheet' ? yield* entriesByQuestion(kb) : null;
  // Rows this sheet imported before keep their own entries; the others are matched among the rest.
  const claimed = new Set<number>();
  if (byQuestion) for (const d of desired) {
    const own = kb.entries.getBySourceKey(`${doc.sourceKey}#${d.key}`);
    if (own) claimed.add(own.id);
    yield;
  }
  /** Entries as the steps so far leave them (an entry matched by a row may also be archived below). */
  const after = new Map<number, Entry>();
  /** How a change to `target` goes: in place (a draft, or the importer publishes) or as a pending revision. */
  const change = (target: Entry, patch: Partial<EntryInput>): { after: Entry; pending: boolean; changed: string[] } => {
    if (target.status !== 'published' || options.publish) {
      const next = kb.entries.predictUpdate(target, patch);
      return { after: next, pending: false, changed: changedFields(target, next) };
    }
    // empty: nothing differs from the published text (an editor made the same change), no revision
    const merged = Object.keys(kb.revisions.wouldPropose(target, patch));
    return { after: target, pending: merged.length > 0, changed: merged };
  };
  const publishes = (entry: Entry) => Boolean(options.publish) && entry.status === 'draft';
  for (const d of desired) {
    const sourceKey = `${doc.sourceKey}#${d.key}`;
    wanted.add(sourceKey);
    const source = { sourceKey, sourceHash: fieldsHash(d.fields) };
    const own = kb.entries.getBySourceKey(sourceKey);
    const matched = !own && byQuestion ? claimMatch(byQuestion.get(questionKey(d.fields.question)), d.fields, claimed) : null;
    const base = { shown: { category: d.fields.category, question: d.fields.question }, desired: d, flag: false };
    if (matched) {
      // An entry of another source (or hand-written) asks the same: keep it where it lives, change only what differs.
      const patch = sheetPatch(matched, d.fields);
      if (Object.keys(patch).length) {
        const out = change(matched, patch);
        after.set(matched.id, out.after);
        steps.push({ ...base, action: 'update', source: null, before: matched, matched: true, patch, pending: out.pending, changed: Object.keys(patch), publish: publishes(out.after) });
      } else {
        steps.push({ ...base, action: 'unchanged', source: null, before: matched, matched: true, patch: null, pending: false, publish: publishes(matched) });
      }
    } else if (!own) {
      kb.entries.checkInput(d.fields);
      steps.push({ ...base, action: 'create', source, before: null, matched: false, patch: null, pending: false, publish: Boolean(options.publish) });
    } else if (own.sourceHash !== source.sourceHash || own.status === 'archived') {
      const out = change(own, d.fields);
      const next: Entry = own.status === 'archived' ? { ...out.after, status: 'draft' } : out.after; // the source brings it back as a draft
      after.set(own.id, next);
      // Only an entry whose content the source changed goes to the review queue (its item shows the diff).
      const flag = own.status === 'published' && sourceChanged && out.changed.length > 0;
      const changed = out.changed.length ? out.changed : own.status === 'archived' ? ['status'] : [];
      steps.push({ ...base, action: 'update', source, before: own, matched: false, patch: d.fields, pending: out.pending, changed, flag, publish: publishes(next) });
    } else {
      steps.push({ ...base, action: 'unchanged', source, before: own, matched: false, patch: null, pending: false, publish: publishes(own) });
    }
    yield;
  }
  if (doc.id !== null) for (const found of kb.entries.ofDocument(doc.id)) {
    const old = after.get(found.id) ?? found;
    if (old.status === 'archived' || !old.sourceKey || wanted.has(old.sourceKey) || keep.has(old.sourceKey)) continue;
    steps.push({ action: 'archive', shown: old, desired: null, source: null, before: old, matched: false, patch: null, pending: false, flag: false, publish: false });
  }
  return steps;
}

/** Counts and the entry-by-entry report of a plan; `ids` gives created entries their ids (an import). */
function reportSteps(steps: EntryStep[], counts: EntryCounts, plan: PlannedEntry[] | null, ids?: Array<number | null>): void {
  const countOf = { create: 'created', update: 'updated', unchanged: 'unchanged', archive: 'archived' } as const;
  for (const [i, st] of steps.entries()) {
    counts[countOf[st.action]]++;
    if (st.pending) counts.revisions++;
    if (st.publish) counts.published++;
    plan?.push({
      action: st.action, entryId: st.before?.id ?? ids?.[i] ?? null, category: st.shown.category, question: st.shown.question,
      status: st.before?.status ?? null, ...(st.changed ? { changed: st.changed } : {}), ...(st.pending ? { pending: true } : {}),
    });
  }
}

/** The source link written with an entry: hashed as written (a new sheet's documentId is set just before). */
const linkOf = (st: EntryStep): SourceLink => ({ sourceKey: st.source!.sourceKey, sourceHash: fieldsHash(st.desired!.fields) });

/** Carries out a plan. Runs inside the caller's transaction; returns the ids of the entries created (by step). */
function applySteps(kb: KnowledgeBase, doc: SourceTarget, steps: EntryStep[], options: IngestOptions): Array<number | null> {
  const actor = options.actor;
  const ids: Array<number | null> = [];
  const total = steps.filter((st) => st.action !== 'archive').length;
  let gapsByQuestion: ReturnType<typeof openGapsByQuestion> | null = null;
  /**
   * The entry-page rule (updateEntry): a published entry's change waits for review unless the importer publishes;
   * true when it became a pending revision. An archived entry the source brings back is changed before it becomes a
   * draft again (below). A published entry whose change says nothing new still takes the source's new hash.
   */
  const change = (target: Entry, patch: Partial<EntryInput>, reason: string, link?: SourceLink): { entry: Entry; pending: boolean } => {
    if (target.status === 'archived') return { entry: kb.entries.update(target.id, patch, actor, reason, link), pending: false };
    const out = updateEntryTx(kb, { id: target.id, patch, actor, reason, source: link, live: options.publish });
    if (out.waitingForReview || target.status !== 'published' || options.publish || !link) return { entry: out.entry, pending: out.waitingForReview };
    return { entry: kb.entries.update(target.id, {}, actor, reason, link), pending: false };
  };
  for (const [i, st] of steps.entries()) {
    if (i % 250 === 0 && i < total) options.onEntries?.(i, total);
    if (i === total) options.onEntries?.(total, total);
    let entry: Entry | null = st.before;
    let pending = false;
    if (st.action === 'create') {
      entry = kb.entries.create(st.desired!.fields, actor, `由 ${doc.fileName} 生成`, linkOf(st));
      // the entry answers a question waiting in the gap queue (a sheet's row left without an answer the last time):
      // linked to the gap, so that publishing it — now or later — fills the gap, as a gap-fill entry would
      gapsByQuestion ??= openGapsByQuestion(kb);
      const gapId = gapsByQuestion.take(entry.question);
      if (gapId !== undefined) entry = kb.entries.linkOrigin(entry.id, { gapId }, actor, `回答查遗补缺缺口 ${gapId} 的问题`);
    } else if (st.action === 'update' && st.matched) {
      ({ entry, pending } = change(st.before!, st.patch!, `由 ${doc.fileName} 导入更新`));
    } else if (st.action === 'update') {
      ({ entry, pending } = change(st.before!, st.patch!, `源文件 ${doc.fileName} 已更新（第 ${doc.version} 版）`, linkOf(st)));
      if (entry.status === 'archived') entry = kb.entries.unpublish(entry.id, actor, `源文件 ${doc.fileName} 重新包含此条目`);
      if (st.flag) entry = kb.entries.flagForReview(entry.id, `源文件已更新：${doc.fileName}`, actor);
    } else if (st.action === 'archive') {
      entry = kb.entries.archive(st.before!.id, actor, `源文件 ${doc.fileName} 已不再包含此条目`);
    }
    // the plan decided this from the same store rules; a difference would make the preview wrong — roll back instead
    if (pending !== st.pending || (st.publish && entry!.status !== 'draft')) {
      throw new Error(`导入计划与写入不一致（条目“${st.shown.question}”），已回滚，未写入任何内容`);
    }
    if (st.publish) entry = publishEntryTx(kb, { id: entry!.id, actor, reason: '导入时发布' });
    ids.push(st.action === 'create' ? entry!.id : null);
  }
  if (total === steps.length) options.onEntries?.(total, total);
  return ids;
}

/** Makes the KB's entries of one source match what the source now says, reporting what it did. Runs inside the caller's transaction. */
function syncEntries(
  kb: KnowledgeBase, doc: PolicyDocument, desired: DesiredEntry[], options: IngestOptions, counts: EntryCounts, sourceChanged: boolean,
  plan: PlannedEntry[] | null, keep: Set<string> = new Set(), dryRun = false,
): void {
  const target = targetOf(doc);
  const steps = runNow(planEntries(kb, target, desired, options, sourceChanged, keep));
  const ids = dryRun ? undefined : applySteps(kb, target, steps, options);
  reportSteps(steps, counts, plan, ids);
}

function targetOf(doc: PolicyDocument): SourceTarget {
  return { id: doc.id, sourceKey: doc.sourceKey, kind: doc.kind, fileName: doc.fileName, version: doc.version };
}

function publishDrafts(kb: KnowledgeBase, documentId: number, options: IngestOptions, counts: EntryCounts): void {
  for (const e of kb.entries.ofDocument(documentId).filter((x) => x.status === 'draft')) {
    publishEntryTx(kb, { id: e.id, actor: options.actor, reason: '导入时发布' });
    counts.published++;
  }
}

function countByCategory(kb: KnowledgeBase, documentId: number): Partial<Record<CategoryCode, number>> {
  return kb.entries.countLiveByCategoryOfDocument(documentId);
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
