/** Shapes of the admin API's answers, as the page uses them. */

export interface Me {
  name: string;
  role: 'editor' | 'reviewer' | 'agent' | 'admin';
  roleLabel: string;
  permissions: string[];
}

export interface Category {
  code: string;
  label: string;
  count: number;
}

/** A change to a published entry waiting for a reviewer (the published text is still served). */
export interface Revision {
  id: number;
  entryId: number;
  baseVersion: number;
  changes: Partial<Entry>;
  reason: string | null;
  proposedBy: string;
  proposedAt: string;
}

export interface Entry {
  /** Admin API only: the pending revision of a published entry. */
  pendingRevision?: Revision | null;
  /** PATCH responses: the change waits for review (the entry was published). */
  waitingForReview?: boolean;
  id: number;
  category: string;
  question: string;
  similarQuestions: string[];
  answer: string;
  keywords: string[];
  serviceItem: string | null;
  department: string | null;
  level: 'city' | 'district';
  region: string;
  audience: 'enterprise' | 'individual' | 'all';
  documentId: number | null;
  sourceSection: string | null;
  effectiveFrom: string | null;
  expiresAt: string | null;
  status: 'draft' | 'published' | 'archived';
  reviewDue: boolean;
  reviewReason: string | null;
  origin: string;
  version: number;
  lastReviewedAt: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  publishedAt: string | null;
  gapId: number | null;
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

export interface RateFigure {
  numerator: number;
  denominator: number;
  rate: number | null;
  target: number;
  direction: 'atLeast' | 'atMost';
  verdict: string;
}

export interface WatchedDocument {
  documentId: number;
  title: string;
  docNumber: string | null;
  effectiveDate: string;
  publishBy: string;
  workingDaysLeft: number;
  publishedEntries: number;
  draftEntries: number;
}

export interface GapBrief {
  id: number;
  question: string;
  dueDate: string;
  askCount: number;
  workingDaysLeft: number;
}

export interface Stats {
  today: string;
  period: { id: string; label: string };
  entries: { published: number; draft: number; archived: number };
  asks: { total: number; byOutcome: Record<string, number>; outcomeLabels: Record<string, string> };
  resolution: RateFigure;
  enterpriseResolution: RateFigure;
  hotlineShare: RateFigure;
  gaps: { open: number; dueSoon: GapBrief[]; overdue: GapBrief[] };
  review: { coverage: RateFigure; due: number };
  policyWatch: { atRisk: WatchedDocument[]; late: WatchedDocument[]; pending: number; onTime: number };
}

export interface GapView {
  id: number;
  status: 'open' | 'filled' | 'dismissed';
  question: string;
  priority: 1 | 2;
  firstAskedAt: string;
  lastAskedAt: string;
  dueDate: string;
  askCount: number;
  enterpriseCount: number;
  individualCount: number;
  channels: Record<string, number>;
  entryId: number | null;
  fillMode: 'new_entry' | 'linked' | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  dismissReason: string | null;
  questions: Array<{ question: string; count: number; lastAskedAt: string }>;
  workingDaysLeft: number | null;
  overdue: boolean;
  dueSoon: boolean;
  filledOnTime: boolean | null;
  citizenReasons: Array<{ question: string; reason: string; at: string }>;
  askedSinceDismissal: number;
  suggestedAudience: 'enterprise' | 'individual' | 'all';
}

export interface PhrasingProposal {
  id: number;
  entryId: number;
  entryQuestion: string;
  question: string;
  status: 'proposed' | 'accepted' | 'rejected';
  choiceCount: number;
  firstAt: string;
  lastAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

export interface ReviewQueueItem {
  entryId: number;
  question: string;
  category: string;
  department: string | null;
  reason: string | null;
  lastReviewedAt: string | null;
  publishedAt: string | null;
}

export interface ReviewRecord {
  id: number;
  entryId: number;
  action: 'confirm' | 'update' | 'archive';
  note: string;
  reviewer: string;
  reviewedAt: string;
  question: string;
  department: string | null;
}

export interface DocumentRow {
  id: number;
  kind: 'policy' | 'qa_sheet';
  title: string;
  docNumber: string | null;
  effectiveDate: string | null;
  expiryDate: string | null;
  fileName: string;
  version: number;
  updatedAt: string;
  entries: { published: number; draft: number; archived: number };
  watch: { state: string; publishBy?: string; workingDaysLeft?: number } | null;
}

export interface PlannedEntry {
  action: 'create' | 'update' | 'unchanged' | 'archive';
  entryId: number | null;
  category: string;
  question: string;
  status: string | null;
  changed?: string[];
  /** A published entry's change that waits for review. */
  pending?: boolean;
}

export interface ImportReport {
  file: string;
  status: 'new' | 'changed' | 'unchanged';
  kind: 'policy' | 'qa_sheet';
  documentId: number | null;
  title: string | null;
  docNumber: string | null;
  counts: Record<PlannedEntry['action'], number>;
  published: number;
  /** Changes to published entries waiting for review. */
  revisions: number;
  /** One page of the entries (created, updated, archived first); `totals` gives each whole list's length. */
  entries: PlannedEntry[];
  page: { offset: number; problemOffset: number; limit: number };
  totals: { entries: number; problems: number; gaps: number; dropped: number };
  sheet: SheetReport | null;
  /** Generated entries the quality gate dropped, with the reason. */
  dropped: Array<{ question: string; sourceSection: string; reason: string }>;
}

export type RowProblemKind =
  | 'blank_question' | 'blank_answer' | 'bad_value' | 'bad_date' | 'too_long'
  | 'duplicate_merged' | 'duplicate_kept_apart' | 'duplicate_conflict' | 'long_question';

export interface RowProblem {
  rowNumber: number;
  column: string;
  kind: RowProblemKind;
  outcome: 'rejected' | 'gap' | 'note';
  message: string;
}

export interface SheetReport {
  rows: number;
  imported: number;
  rejected: number;
  gaps: Array<{ rowNumber: number; question: string; gapId: number | null; created: boolean }>;
  problems: RowProblem[];
  byKind: Partial<Record<RowProblemKind, number>>;
  /** Counts per kind with their Chinese names, as the server words them. */
  kinds: Array<{ kind: RowProblemKind; label: string; rows: number }>;
}

export interface HitCandidate {
  entryId: number;
  question: string;
  category: string;
  lexicalRank: number | null;
  bm25: number | null;
  vectorRank: number | null;
  cosine: number;
  coverage: number;
  questionCoverage: number;
  questionSimilarity: number;
  fused: number;
  score: number;
}

export interface HitTest {
  normalized: string;
  outcome: string;
  entryId: number | null;
  unknownShare: number;
  thresholds: Record<string, number>;
  concepts: Array<{ text: string; weight: number; forms: string[]; unknown: boolean }>;
  candidates: HitCandidate[];
}
