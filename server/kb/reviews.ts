import { stmt, type Db } from './db.js';
import type { ListsAll } from '../../shared/domain.js';
import type { ReviewAction, ReviewRecord } from '../../shared/admin.js';

/** 半年复核: what a reviewer did with a published entry. */
export const REVIEW_ACTIONS = ['confirm', 'update', 'archive'] as const satisfies readonly ReviewAction[];
true satisfies ListsAll<ReviewAction, typeof REVIEW_ACTIONS>;
export type { ReviewAction, ReviewRecord };

/** A published entry with what decides whether it is due for review: its own review dates and its source document's. */
export interface ReviewCandidate {
  id: number;
  reviewDue: boolean;
  reviewReason: string | null;
  lastReviewedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  docTitle: string | null;
  docExpiry: string | null;
  docReplacedBy: number | null;
  docUpdatedAt: string | null;
  replacementCreatedAt: string | null;
  replacementTitle: string | null;
}

interface ReviewRow {
  id: number; entry_id: number; action: ReviewAction; note: string; reviewer: string; half_year: string; reviewed_at: string;
}

function toReview(r: ReviewRow): ReviewRecord {
  return { id: r.id, entryId: r.entry_id, action: r.action, note: r.note, reviewer: r.reviewer, halfYear: r.half_year, reviewedAt: r.reviewed_at };
}

/** The reviews table (one row per review action). When an entry is due and what a review changes is server/ops/review.ts. */
export class ReviewStore {
  constructor(private readonly db: Db) {}

  add(r: Omit<ReviewRecord, 'id'>): ReviewRecord {
    return toReview(
      stmt(this.db, 'INSERT INTO reviews (entry_id, action, note, reviewer, half_year, reviewed_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
        .get(r.entryId, r.action, r.note, r.reviewer, r.halfYear, r.reviewedAt) as ReviewRow,
    );
  }

  /** Review actions of a half-year (optionally of one entry), counted by action. */
  countsByAction(halfYear: string, entryId?: number): Array<{ action: ReviewAction; n: number }> {
    const { clause, args } = where(halfYear, entryId);
    return stmt(this.db, `SELECT action, count(*) AS n FROM reviews r ${clause} GROUP BY action`).all(...args) as Array<{ action: ReviewAction; n: number }>;
  }

  /** Review actions of a half-year, oldest first, with the entry's question and 责任单位. */
  listWithEntries(halfYear: string, filter: { entryId?: number; limit: number; offset: number }): Array<ReviewRecord & { question: string; department: string | null }> {
    const { clause, args } = where(halfYear, filter.entryId);
    const rows = stmt(this.db,
      `SELECT r.*, e.question, e.department FROM reviews r JOIN entries e ON e.id = r.entry_id ${clause}
        ORDER BY r.reviewed_at, r.id LIMIT ? OFFSET ?`,
    ).all(...args, filter.limit, filter.offset) as Array<ReviewRow & { question: string; department: string | null }>;
    return rows.map((r) => ({ ...toReview(r), question: r.question, department: r.department }));
  }

  /** When each review happened, for every entry (the audit report). */
  allReviewTimes(): Array<{ entryId: number; reviewedAt: string }> {
    return stmt(this.db, 'SELECT entry_id AS entryId, reviewed_at AS reviewedAt FROM reviews').all() as Array<{ entryId: number; reviewedAt: string }>;
  }

  /** Every published entry with its source document (and the document replacing it), by id. */
  candidates(): ReviewCandidate[] {
    return stmt(this.db,
      `SELECT e.id, e.review_due = 1 AS reviewDue, e.review_reason AS reviewReason, e.last_reviewed_at AS lastReviewedAt,
              e.published_at AS publishedAt, e.created_at AS createdAt,
              d.title AS docTitle, d.expiry_date AS docExpiry, d.replaced_by AS docReplacedBy, d.updated_at AS docUpdatedAt,
              r.created_at AS replacementCreatedAt, r.title AS replacementTitle
         FROM entries e LEFT JOIN documents d ON d.id = e.document_id LEFT JOIN documents r ON r.id = d.replaced_by
        WHERE e.status = 'published' ORDER BY e.id`,
    ).all().map((r) => ({ ...(r as ReviewCandidate), reviewDue: (r as { reviewDue: number }).reviewDue === 1 }));
  }
}

function where(halfYear: string, entryId: number | undefined): { clause: string; args: unknown[] } {
  const parts = ['r.half_year = ?'];
  const args: unknown[] = [halfYear];
  if (entryId !== undefined) {
    parts.push('r.entry_id = ?');
    args.push(entryId);
  }
  return { clause: `WHERE ${parts.join(' AND ')}`, args };
}
