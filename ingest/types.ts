/** Shared shapes of the ingestion pipeline: readers → repair → outline/metadata → entry generation. */

// Domain types live in the KB layer (server/kb/types.ts); re-exported here for the ingest code.
export type { CategoryCode, Audience, Section, DocumentMetadata } from '../server/kb/types.js';
import type { CategoryCode, Audience, Section, DocumentMetadata } from '../server/kb/types.js';
import type { RowOutcome, RowProblem, RowProblemKind } from '../shared/ingest.js';

/** A problem with one input file that a person can act on (bad format, empty, too large ...). */
export class IngestError extends Error {
  constructor(public readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'IngestError';
  }
}

/**
 * A file refused because reading it would go past a configured limit (size, unzipped size, time, memory).
 * `status` is the HTTP status an upload is refused with: 413 for sizes, 422 for time and memory.
 */
export class IngestLimitError extends IngestError {
  constructor(file: string, message: string, public readonly status: 413 | 422) {
    super(file, message);
    this.name = 'IngestLimitError';
  }
}

export type DocumentFormat = 'txt' | 'md' | 'html' | 'docx' | 'pdf';

/** One row of a Q&A spreadsheet, fields already trimmed; optional fields absent when the cell is empty. */
export interface QaRow {
  /** 1-based row number in the sheet (header is row 1), for error messages. */
  rowNumber: number;
  question: string;
  answer: string;
  similarQuestions: string[];
  category?: string; // a category code or its Chinese label, validated later
  serviceItem?: string;
  department?: string;
  level?: string; // 市/区/city/district
  region?: string;
  audience?: string; // 企业/个人/全部/enterprise/individual/all
  keywords: string[];
  effectiveFrom?: string; // YYYY-MM-DD
  expiresAt?: string; // YYYY-MM-DD
  /** The row's cells as text, in the sheet's own column order (for the sheet of rejected rows). */
  cells?: string[];
}

export type { RowOutcome, RowProblemKind, RowProblem };

/** What a reader returns: either a policy document's raw text or Q&A rows. */
export type ReadResult =
  | {
      kind: 'document';
      format: DocumentFormat;
      /** Raw text with paragraphs/lines separated by \n (not yet repaired). */
      text: string;
      /** A title the format itself states (md first heading, html <title>/<h1>), if any. */
      title?: string;
    }
  | {
      kind: 'qa';
      format: 'csv' | 'xlsx';
      /** Every non-empty data row, including those with problems (a row with a rejected problem is not imported). */
      rows: QaRow[];
      /** The header cells as written in the file. */
      header?: string[];
      /** Problems the reader found in single rows (bad dates, blank question); the other rows are fine. */
      problems?: RowProblem[];
    };

/** A parsed policy document ready for entry generation. */
export interface ParsedDocument {
  fileName: string;
  format: DocumentFormat;
  /** Repaired full text. */
  text: string;
  metadata: DocumentMetadata;
  /** Root sections (preamble first, with path ""). */
  outline: Section[];
}

/** An entry proposed by the generator, before it is stored. */
export interface GeneratedEntry {
  /** Stable within the document: same section + same fact → same key across runs (used for idempotency). */
  key: string;
  category: CategoryCode;
  question: string;
  /** Two to five 相似问法. */
  similarQuestions: string[];
  /** Self-contained Markdown answer. */
  answer: string;
  keywords: string[];
  serviceItem?: string;
  department?: string;
  audience: Audience;
  /** Section path such as "二、（一）5", "附件1", or "" for the whole document. */
  sourceSection: string;
}
