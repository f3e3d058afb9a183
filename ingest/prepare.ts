import { repairText } from './repair.js';
import { parseOutline } from './outline.js';
import { extractMetadata } from './metadata.js';
import { foldSameLength, mapStrings, traditionalShare, TRADITIONAL_DOCUMENT, unfolderFor } from './script.js';
import { generateDocumentEntries, type RejectedEntry } from './generate.js';
import { IngestError, type DocumentMetadata, type GeneratedEntry, type ReadResult, type Section } from './types.js';

/**
 * A policy document made ready for storing: repaired text, outline, metadata, and the entries generated from them.
 * Everything here is a pure function of the file, so it runs in the reading worker (ingest/read-bounded.ts) under the
 * same time and memory limits as the reader; only the database writes are left to the main thread.
 */
export interface PreparedDocument {
  text: string;
  outline: Section[];
  metadata: DocumentMetadata;
  /** Generated from the metadata above; regenerated if storing changes the metadata (a 文号 taken from a citer). */
  generated: { entries: GeneratedEntry[]; rejected: RejectedEntry[] };
}

export function prepareDocument(read: Extract<ReadResult, { kind: 'document' }>, fileName: string): PreparedDocument {
  const keepLines = read.format === 'md' || read.format === 'html' || read.format === 'docx';
  // A document in traditional characters is repaired and outlined through its simplified folding (the patterns of
  // 文号 lines, headers and headings are written in simplified characters) and kept in its own characters.
  const folded = foldSameLength(read.text);
  const traditional = traditionalShare(read.text, folded) >= TRADITIONAL_DOCUMENT;
  const back = traditional ? unfolderFor(read.text, folded) : null;
  const repaired = repairText(traditional ? folded : read.text, { keepLines });
  const text = back ? back(repaired) : repaired;
  if (!text.trim()) throw new IngestError(fileName, '修复后没有正文内容');
  const outline = back ? mapStrings(parseOutline(repaired), back) : parseOutline(repaired);
  const metadata = extractMetadata(text, fileName, read.title);
  const generated = generateDocumentEntries({ fileName, format: read.format, text, metadata, outline });
  return { text, outline, metadata, generated };
}

const METADATA_KEYS: ReadonlyArray<keyof DocumentMetadata> = [
  'title', 'docNumber', 'issuer', 'issueDate', 'effectiveDate', 'expiryDate', 'citations', 'level', 'region',
];

/** Whether two metadata records say the same thing (entries generated from one fit the other). */
export function sameMetadata(a: DocumentMetadata, b: DocumentMetadata): boolean {
  return METADATA_KEYS.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}
