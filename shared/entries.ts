/** Knowledge-base entries, their history and pending revisions, as stored by server/kb and sent by the admin API. */
import type { Audience, CategoryCode, EntryOrigin, EntryStatus, Level } from './domain.js';

export interface Entry {
  id: number;
  category: CategoryCode;
  question: string;
  similarQuestions: string[];
  answer: string;
  keywords: string[];
  serviceItem: string | null;
  department: string | null;
  level: Level;
  region: string;
  audience: Audience;
  documentId: number | null;
  sourceSection: string | null;
  /** Set for entries made from a source file: stable key of the fact within that file. */
  sourceKey: string | null;
  /** Hash of what the source generated last time, to tell a changed source from an editor's edit. */
  sourceHash: string | null;
  effectiveFrom: string | null;
  expiresAt: string | null;
  status: EntryStatus;
  /** A flag, not a status: the entry keeps answering until a reviewer acts. */
  reviewDue: boolean;
  reviewReason: string | null;
  origin: EntryOrigin;
  version: number;
  lastReviewedAt: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  publishedAt: string | null;
  archivedAt: string | null;
  /** The ask an agent answer or gap fill came from, if any. */
  askId: string | null;
  /** The gap (查遗补缺) this entry fills, if any. */
  gapId: number | null;
}

/** The fields a person (or an import) sets; the others are the system's. server/kb/validate.ts checks its schema against this. */
export type EntryFields = Pick<
  Entry,
  | 'category' | 'question' | 'similarQuestions' | 'answer' | 'keywords' | 'serviceItem' | 'department' | 'level' | 'region'
  | 'audience' | 'documentId' | 'sourceSection' | 'effectiveFrom' | 'expiresAt' | 'origin'
>;
/** A change to some of an entry's fields. */
export type EntryPatch = Partial<EntryFields>;

/** An entry as the admin API shows it (list, detail, create): with the change waiting for review, if any. */
export interface EntryWithRevision extends Entry {
  pendingRevision: Revision | null;
}

/** What the admin page reads as an entry: the admin API's entries, and PATCH's answer (waitingForReview: the change waits for a reviewer). */
export interface AdminEntry extends Entry {
  pendingRevision?: Revision | null;
  waitingForReview?: boolean;
}

export interface EntryVersion {
  entryId: number;
  version: number;
  action: string;
  snapshot: Entry;
  changedAt: string;
  changedBy: string;
  reason: string | null;
}

/**
 * A change to a published entry waiting for a reviewer. The entry row keeps the published text (citizens are served
 * it) until the revision is approved; rejecting it leaves the entry as it is. At most one revision of an entry is
 * pending: a further change is merged into it (the earlier one is kept, marked superseded).
 */
export interface Revision {
  id: number;
  entryId: number;
  /** The entry version the revision was proposed on. */
  baseVersion: number;
  /** The fields it changes, with their new values (relative to the published entry). */
  changes: EntryPatch;
  reason: string | null;
  proposedBy: string;
  proposedAt: string;
  state: 'pending' | 'approved' | 'rejected' | 'superseded';
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

/** GET /categories: a column with its number of published entries. */
export interface CategoryCount {
  code: CategoryCode;
  label: string;
  count: number;
}
