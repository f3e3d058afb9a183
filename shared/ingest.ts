/** What importing a file does (or would do): ingest/pipeline.ts plans it, the admin API reports it, the admin page shows it. */
import type { CategoryCode, DocumentKind, EntryStatus, Level } from './domain.js';

/**
 * What a row-level import did with a row it could not take as it is. `rejected`: not imported (it goes into the sheet
 * of rejected rows for the editor to fix); `gap`: its question went to the gap queue (查遗补缺); `note`: imported, in
 * the way the message says.
 */
export type RowOutcome = 'rejected' | 'gap' | 'note';

export type RowProblemKind =
  | 'blank_question' | 'blank_answer' | 'bad_value' | 'bad_date' | 'too_long'
  | 'duplicate_merged' | 'duplicate_kept_apart' | 'duplicate_conflict' | 'long_question';

export interface RowProblem {
  /** Row number as a spreadsheet program shows it: the header is row 1, the first data record row 2. */
  rowNumber: number;
  /** The column the problem is in, as the editor knows it (e.g. 答案). */
  column: string;
  kind: RowProblemKind;
  outcome: RowOutcome;
  /** A sentence in Chinese the editor can act on, without the row number. */
  message: string;
}

/**
 * A question of an imported sheet that had no answer, and the gap it is (or would be) in: a row whose question an
 * open or filled gap already asks joins that gap; the first row of a question new to the KB opens a gap (created,
 * gapId null until written); a later row of the same question joins the gap that row opens.
 */
export interface ImportGapPlan {
  rowNumber: number;
  question: string;
  gapId: number | null;
  /** false: an open or filled gap already asked this question (re-import, a citizen asked it first, or an earlier row). */
  created: boolean;
}

/** What a row-level sheet import did with the sheet's rows. */
export interface SheetSummary {
  /** Data rows read (empty rows not counted). */
  rows: number;
  /** Rows that became (or were merged into) entries. */
  imported: number;
  /** Rows not imported: they are in the rejected-rows sheet. */
  rejected: number;
  /** Rows without an answer, and the gaps (查遗补缺) they are in; gapId is null for a gap a preview would open. */
  gaps: ImportGapPlan[];
  /** Every row problem, in row order; numbers are rows as a spreadsheet program shows them (header = row 1). */
  problems: RowProblem[];
  byKind: Partial<Record<RowProblemKind, number>>;
  /** The same counts with their Chinese names, in the order people read them (CLI summary, admin preview). */
  kinds: Array<{ kind: RowProblemKind; label: string; rows: number }>;
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

export type FileStatus = 'new' | 'changed' | 'unchanged' | 'failed';

/** POST /admin/documents/preview and /import: one page of what the file does; the counts cover the whole file. */
export interface ImportReport {
  file: string;
  status: FileStatus;
  kind?: DocumentKind;
  documentId: number | null;
  title: string | null;
  docNumber: string | null;
  /** Entries by what the import does to them. */
  counts: Record<PlanAction, number>;
  /** Drafts published by the import (publish: true). */
  published: number;
  /** Changes to published entries waiting for a reviewer: citizens still get the published text. */
  revisions: number;
  /** One page of the entries, created, updated and archived ones first (the counts above cover all of them). */
  entries: PlannedEntry[];
  /** The pages in this response and the length of each whole list. */
  page: { offset: number; problemOffset: number; limit: number };
  totals: { entries: number; problems: number; gaps: number; dropped: number };
  /** Q&A sheets: rows read, imported, rejected, counts per kind; one page of the problem rows and of the gaps. */
  sheet: SheetSummary | null;
  /** Policy documents: generated entries the quality gate dropped (never shown to citizens), with the reason. */
  dropped: Array<{ question: string; sourceSection: string; reason: string }>;
}

/** What a policy document says about itself (ingest/metadata.ts reads it from the text); the admin page lists it per document. */
export interface DocumentMetadata {
  title: string;
  /** 文号 such as 普府办〔2021〕39号, normalised to 〔〕 brackets and no spaces; null when the text states none. */
  docNumber: string | null;
  issuer: string | null;
  /** YYYY-MM-DD */
  issueDate: string | null;
  /** YYYY-MM-DD; the issue date when the text says 自印发之日起施行/实施. */
  effectiveDate: string | null;
  expiryDate: string | null;
  /** Other documents this one cites: titles (inside 《》) with the 文号 given next to them, if any. */
  citations: Array<{ title: string; docNumber: string | null }>;
  /** 市 (city) or 区 (district) level, from the issuer. */
  level: Level;
  /** 上海市 or the district, e.g. 普陀区. */
  region: string;
}
