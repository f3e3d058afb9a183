/** The public answer API (POST /api/v1/answer, GET /suggest) as server/answer/service.ts builds it and the chat widget reads it. */
import type { AskOutcome, CategoryCode, HandoffChannel } from './domain.js';

export interface AnswerBody {
  /** The unit answered with: an entry's id, or a source passage's id. */
  unitId: number;
  /** 'passage': quoted from the source document (no entry says it in Q&A form). */
  kind: 'entry' | 'passage';
  /** The entry answered with; null for a source passage. */
  entryId: number | null;
  category: CategoryCode;
  categoryLabel: string;
  question: string;
  answer: string;
  html: string;
  source: { documentTitle: string; docNumber: string | null; section: string | null } | null;
  /** The answer's policy is not in force yet: from when it applies (YYYY-MM-DD), and the sentence saying so (本政策自2027年1月1日起施行。). */
  effectiveFrom?: string;
  notice?: string;
  score: number;
}

export interface Suggestion {
  unitId: number;
  kind: 'entry' | 'passage';
  entryId: number | null;
  category: CategoryCode;
  question: string;
  score: number;
}

export interface Handoff {
  offered: boolean;
  channel: HandoffChannel;
  hours: string;
}

export interface AnswerResponse {
  askId: string;
  outcome: AskOutcome;
  answer: AnswerBody | null;
  suggestions: Suggestion[];
  message: string;
  handoff: Handoff;
  /** Where out-of-scope questions go instead (12345, or courts / arbitration / reconsideration / legal aid). */
  route?: { kind: string; channel: string };
}

/** GET /suggest: typeahead, at most 8. */
export interface SuggestResponse {
  suggestions: Array<{ unitId: number; entryId: number; question: string }>;
}
