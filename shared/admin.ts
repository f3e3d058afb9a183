/** What the admin API sends the admin page (web/admin): who is signed in, the dashboard, gaps, reviews, documents, 命中测试. */
import type { AskOutcome, DocumentKind, Role } from './domain.js';
import type { DocumentMetadata } from './ingest.js';

/** GET /admin/me */
export interface Me {
  name: string;
  role: Role;
  roleLabel: string;
  /** The role's permissions (server/auth/tokens.ts PERMISSIONS): the page offers only what they allow. */
  permissions: string[];
}

export type Verdict = '达标' | '未达标' | '无数据';

/** A ratio measured against a target: a floor (≥) or a ceiling (≤). */
export interface RateFigure {
  numerator: number;
  denominator: number;
  /** numerator / denominator; null when the denominator is 0. */
  rate: number | null;
  target: number;
  direction: 'atLeast' | 'atMost';
  verdict: Verdict;
}

export interface WatchedDocument {
  documentId: number;
  title: string;
  docNumber: string | null;
  effectiveDate: string;
  /** Last day to publish: the working day before the effective date. */
  publishBy: string;
  /** Working days from today to the effective date (negative once it has passed). */
  workingDaysLeft: number;
  publishedEntries: number;
  draftEntries: number;
  draftEntryIds: number[];
}

export interface PolicyWatchStatus {
  today: string;
  /** Takes effect within 2 working days with Q&A still unpublished (or none at all). */
  atRisk: WatchedDocument[];
  /** In effect with Q&A still unpublished. */
  late: WatchedDocument[];
  /** Not yet in effect, every entry published. */
  onTime: WatchedDocument[];
  /** Not yet in effect, unpublished Q&A, but more than 2 working days left. */
  pending: WatchedDocument[];
}

// ---- 查遗补缺 ----

export type GapStatus = 'open' | 'filled' | 'dismissed';
export type GapReason = 'no_answer' | 'unresolved';
export type FillMode = 'new_entry' | 'linked';

export interface Gap {
  id: number;
  status: GapStatus;
  /** The question editors see: the gap's most asked question (masked as logged), the first one on a tie. */
  question: string;
  /** 1: enterprise 办事 / 求助 / 热点政策 (004 §二(二)1), handled first; 2: the rest. */
  priority: 1 | 2;
  firstAskedAt: string;
  lastAskedAt: string;
  /** YYYY-MM-DD, 5 working days after the first ask (Shanghai calendar date). */
  dueDate: string;
  askCount: number;
  enterpriseCount: number;
  individualCount: number;
  channels: Record<string, number>;
  /** The entry that fills (or, as a draft, will fill) the gap. */
  entryId: number | null;
  fillMode: FillMode | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  dismissReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a citizen wrote when they said 未解决 (masked), on one of the gap's asks. */
export interface CitizenReason {
  question: string;
  reason: string;
  at: string;
}

export interface GapQuestion {
  question: string;
  count: number;
  lastAskedAt: string;
}

/** A gap as the admin API shows it, with its deadline seen from today. */
export interface GapView extends Gap {
  questions: GapQuestion[];
  reasons: Record<GapReason, number>;
  /** The citizens' own words on 未解决, newest first (at most 20). */
  citizenReasons: CitizenReason[];
  /** Dismissed gaps: asks gathered after the dismissal (the same question asked again). */
  askedSinceDismissal: number;
  /** Who the question is about, from its words: the fill form's default audience. */
  suggestedAudience: 'enterprise' | 'individual' | 'all';
  /** Open gaps: working days from today to the due date (0 = due today, negative = overdue). */
  workingDaysLeft: number | null;
  overdue: boolean;
  dueSoon: boolean;
  /** Filled gaps: filled on or before the due date. */
  filledOnTime: boolean | null;
}

/** A gap as the dashboard lists it. */
export type GapBrief = Pick<GapView, 'id' | 'question' | 'dueDate' | 'askCount' | 'enterpriseCount' | 'workingDaysLeft'>;

/** GET /admin/stats: the dashboard, with the audit report's definitions for the half-year so far. */
export interface Stats {
  today: string;
  period: { id: string; label: string };
  targets: Record<'resolution' | 'enterpriseResolution' | 'hotlineShare' | 'gapOnTime' | 'policyOnTime' | 'reviewCoverage', number>;
  entries: { published: number; draft: number; archived: number };
  asks: { total: number; byOutcome: Record<AskOutcome, number>; outcomeLabels: Record<AskOutcome, string> };
  resolution: RateFigure;
  enterpriseResolution: RateFigure;
  hotlineShare: RateFigure;
  gaps: { open: number; dueSoon: GapBrief[]; overdue: GapBrief[] };
  review: { coverage: RateFigure; due: number };
  policyWatch: { atRisk: WatchedDocument[]; late: WatchedDocument[]; pending: number; onTime: number };
}

// ---- 从使用中学习 ----

export type ProposalStatus = 'proposed' | 'accepted' | 'rejected';

/** A citizen's phrasing proposed as a similar question of the entry they chose among 猜你想问. */
export interface PhrasingProposal {
  id: number;
  entryId: number;
  entryQuestion: string;
  question: string;
  status: ProposalStatus;
  /** How many times a citizen asking this (punctuation, width and case ignored) chose this entry. */
  choiceCount: number;
  firstAt: string;
  lastAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

// ---- 复核 ----

/** Why an entry is due, most severe first: the queue is worked in this order. */
export type ReasonKind = 'sourceReplaced' | 'sourceExpired' | 'sourceChanged' | 'other' | 'expired' | 'halfYear';

export interface ReviewQueueItem {
  entryId: number;
  question: string;
  category: string;
  department: string | null;
  documentId: number | null;
  reason: string | null;
  reasonKind: ReasonKind;
  lastReviewedAt: string | null;
  publishedAt: string | null;
  /** When the flag was raised (or the entry last changed since). */
  updatedAt: string;
}

/** 半年复核: what a reviewer did with a published entry. */
export type ReviewAction = 'confirm' | 'update' | 'archive';

export interface ReviewRecord {
  id: number;
  entryId: number;
  action: ReviewAction;
  note: string;
  reviewer: string;
  halfYear: string;
  reviewedAt: string;
}

/** GET /admin/reviews: review actions of a half-year, with each entry's question and 责任单位. */
export interface ReviewList {
  halfYear: string;
  total: number;
  byAction: Record<ReviewAction, number>;
  items: Array<ReviewRecord & { question: string; department: string | null }>;
}

// ---- 文件 ----

/** GET /admin/documents: a source file with its entries and where it stands in 政策时效. */
export interface DocumentRow extends Omit<DocumentMetadata, 'citations'> {
  id: number;
  kind: DocumentKind;
  fileName: string;
  version: number;
  replacedBy: number | null;
  updatedAt: string;
  entries: { published: number; draft: number; archived: number };
  watch: { state: string; publishBy?: string; workingDaysLeft?: number } | null;
}

// ---- 命中测试 ----

export interface HitCandidate {
  entryId: number;
  question: string;
  category: string;
  lexicalRank: number | null;
  bm25: number | null;
  lexical: number;
  vectorRank: number | null;
  /** Rank in the bigram list; a candidate found by it alone (both ranks above null) is never the answer. */
  bigramRank: number | null;
  cosine: number;
  coverage: number;
  questionCoverage: number;
  questionSimilarity: number;
  fused: number;
  score: number;
}

/** POST /admin/hit-test: every candidate with its scores and the decision that would be taken. */
export interface HitTest {
  normalized: string;
  /** Words corrected by pinyin (设保 → 社保). */
  corrections: Array<{ from: string; to: string }>;
  outcome: AskOutcome;
  entryId: number | null;
  unknownShare: number;
  thresholds: Record<string, number>;
  concepts: Array<{ text: string; weight: number; forms: string[]; unknown: boolean }>;
  candidates: HitCandidate[];
}

// ---- 定时任务、词表 ----

/** One run of a scheduled (or manually started) job, as recorded in job_runs. */
export interface JobRun {
  id: number;
  job: string;
  startedAt: string;
  finishedAt: string | null;
  /** The instant the job took as "now" (the clock, or --now when replaying). */
  now: string;
  status: 'running' | 'ok' | 'failed';
  summary: Record<string, unknown>;
  error: string | null;
}

/** GET /admin/jobs: each job with its schedule (null: cron is off) and last run, and the recent runs. */
export interface JobsOverview {
  jobs: Array<{ name: string; description: string; schedule: string | null; lastRun: JobRun | null }>;
  runs: JobRun[];
}

/** The word lists editors maintain: 同义词, 领域词典, 口语词典. */
export type LexiconName = 'synonyms' | 'dictionary' | 'colloquial';

/** One save of a word list (synonyms, dictionary, colloquial), newest first in GET /admin/lexicon/:name/history. */
export interface LexiconSave {
  id: number;
  editedAt: string;
  editedBy: string;
  /** Lines that are not blank or comments. */
  lines: number;
}
