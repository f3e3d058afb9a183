/**
 * Domain types of the knowledge base, shared by every layer above it (ingest, search, ops, routes).
 * They live here so that server/kb imports nothing from the layers that use it.
 */

// the API's vocabulary is declared once, in shared/ (the browser code uses it too)
export type { CategoryCode, Audience } from '../../shared/domain.js';
export type { DocumentMetadata } from '../../shared/ingest.js';

/** A node of a document's outline: 一、 （一） 1. （1） and 附件. */
export interface Section {
  /** Path of markers from the root, e.g. "二、（一）5" or "附件1"; "" for the preamble. */
  path: string;
  /** The marker of this node alone, e.g. "二、", "（一）", "5", "（1）", "附件1". */
  marker: string;
  /** 1 = 一、, 2 = （一）, 3 = 1., 4 = （1）; 附件 are level 1. */
  level: number;
  /** Heading text after the marker, without trailing 。; may be "" when a section has none. */
  heading: string;
  /** The body of this node (text up to the first child), as repaired paragraphs. */
  paragraphs: string[];
  /** Table rows found in the body, each as its cells (header row first when present). */
  tables: string[][][];
  children: Section[];
}
