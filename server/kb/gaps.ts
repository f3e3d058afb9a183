import { inList, lastIssuedId, stmt, type Db } from './db.js';
import type { ListsAll } from '../../shared/domain.js';
import type { CitizenReason, FillMode, Gap, GapReason, GapStatus } from '../../shared/admin.js';

/**
 * The 查遗补缺 queue's tables: gaps and the asks gathered in them (gap_questions). Only storage: which gap an ask
 * joins, the SLA, priorities and merging are rules of server/ops/gaps.ts, which calls these methods inside its own
 * kb.transaction(...). Statements are prepared once per connection (stmt): recordAsk runs on the answer path.
 */

export const GAP_STATES = ['open', 'filled', 'dismissed'] as const satisfies readonly GapStatus[];
true satisfies ListsAll<GapStatus, typeof GAP_STATES>;
export type { Gap, GapStatus, GapReason, FillMode, CitizenReason };

export interface GapAsk {
  askId: string;
  question: string;
  askedAt: string;
  channel: string;
  audience: string;
  reason: GapReason;
}

/** One question text of a gap with how often and when it was asked (identical texts collapsed). */
export interface GapQuestionGroup {
  question: string;
  n: number;
  first: string;
  last: string;
}

/** Which gaps GapStore.list returns (the ordering is fixed: priority, overdue first, due date, most asked, id). */
export interface GapQuery {
  state?: GapStatus;
  /** Open gaps only. */
  openOnly?: boolean;
  /** Due date before this day (YYYY-MM-DD). */
  dueBefore?: string;
  /** Due date on or after this day. */
  dueFrom?: string;
}

/** The counters of a gap recomputed from its asks. */
export interface GapSummary {
  question: string;
  askCount: number;
  enterpriseCount: number;
  individualCount: number;
  channels: Record<string, number>;
  firstAskedAt: string;
  lastAskedAt: string;
  dueDate: string;
  priority: 1 | 2;
  updatedAt: string;
}

interface GapRow {
  id: number; status: string; question: string; first_asked_at: string; last_asked_at: string; due_date: string;
  ask_count: number; enterprise_count: number; individual_count: number; channels: string; priority: number;
  entry_id: number | null; fill_mode: string | null; resolved_at: string | null; resolved_by: string | null;
  dismiss_reason: string | null; created_at: string; updated_at: string;
}

function toGap(r: GapRow): Gap {
  return {
    id: r.id, status: r.status as GapStatus, question: r.question, priority: r.priority === 1 ? 1 : 2,
    firstAskedAt: r.first_asked_at, lastAskedAt: r.last_asked_at, dueDate: r.due_date, askCount: r.ask_count,
    enterpriseCount: r.enterprise_count, individualCount: r.individual_count, channels: JSON.parse(r.channels),
    entryId: r.entry_id, fillMode: r.fill_mode as FillMode | null, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by,
    dismissReason: r.dismiss_reason, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export class GapStore {
  constructor(private readonly db: Db) {}

  // ---- gaps

  get(id: number): Gap | null {
    const row = stmt(this.db, 'SELECT * FROM gaps WHERE id = ?').get(id) as GapRow | undefined;
    return row ? toGap(row) : null;
  }

  /** The gap an ask was gathered in, if any. */
  ofAsk(askId: string): Gap | null {
    const row = stmt(this.db, 'SELECT g.* FROM gaps g JOIN gap_questions q ON q.gap_id = g.id WHERE q.ask_id = ?').get(askId) as GapRow | undefined;
    return row ? toGap(row) : null;
  }

  /** Ordered: priority, overdue (as of today) first, due date, most asked, id. */
  list(query: GapQuery, today: string): Gap[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (query.state) {
      where.push('status = ?');
      args.push(query.state);
    }
    if (query.openOnly) where.push(`status = 'open'`);
    if (query.dueBefore !== undefined) {
      where.push('due_date < ?');
      args.push(query.dueBefore);
    } else if (query.dueFrom !== undefined) {
      where.push('due_date >= ?');
      args.push(query.dueFrom);
    }
    const rows = stmt(this.db,
        `SELECT * FROM gaps ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY priority, (status = 'open' AND due_date < ?) DESC, due_date, ask_count DESC, id`,
      )
      .all(...args, today) as GapRow[];
    return rows.map(toGap);
  }

  /** Every gap, by id (the audit report). */
  all(): Gap[] {
    return (stmt(this.db, 'SELECT * FROM gaps ORDER BY id').all() as GapRow[]).map(toGap);
  }

  /** Open gaps answered by a published entry: the gap it links to, or the gaps it is the pending fill of. */
  openFilledBy(gapId: number | null, entryId: number): Gap[] {
    const rows = stmt(this.db, `SELECT * FROM gaps WHERE status = 'open' AND (id = ? OR entry_id = ?) ORDER BY id`)
      .all(gapId ?? -1, entryId) as GapRow[];
    return rows.map(toGap);
  }

  /** Ids of the gaps in a state, oldest first ask first. */
  idsByStatus(status: GapStatus): number[] {
    return (stmt(this.db, `SELECT id FROM gaps WHERE status = ? ORDER BY first_asked_at, id`).all(status) as Array<{ id: number }>).map((r) => r.id);
  }

  /** Open gaps with their due dates, earliest due first. */
  openDueDates(): Array<{ id: number; dueDate: string }> {
    return stmt(this.db, `SELECT id, due_date AS dueDate FROM gaps WHERE status = 'open' ORDER BY due_date, id`).all() as Array<{ id: number; dueDate: string }>;
  }

  /** Of these gap ids, the ones still open. */
  openAmong(ids: number[]): number[] {
    if (!ids.length) return [];
    const list = inList(ids);
    return (stmt(this.db, `SELECT id FROM gaps WHERE status = 'open' AND id IN (${list.sql}) ORDER BY id`).all(...list.params) as Array<{ id: number }>).map(
      (r) => r.id,
    );
  }

  /** Every gap not dismissed with its question, by id. */
  undismissedQuestions(): Array<{ id: number; question: string }> {
    return stmt(this.db, `SELECT id, question FROM gaps WHERE status != 'dismissed' ORDER BY id`).all() as Array<{ id: number; question: string }>;
  }

  /** How many asks a dismissed gap had when it was dismissed (null: not recorded). */
  asksAtDismissal(id: number): number | null {
    return (stmt(this.db, 'SELECT asks_at_dismissal AS n FROM gaps WHERE id = ?').get(id) as { n: number | null }).n;
  }

  /** A new open gap; priority left out keeps the column default (2). Returns its id. */
  create(gap: { question: string; firstAskedAt: string; lastAskedAt: string; dueDate: string; priority?: 1 | 2; now: string }): number {
    const info = gap.priority === undefined
      ? stmt(this.db, `INSERT INTO gaps (status, question, first_asked_at, last_asked_at, due_date, created_at, updated_at) VALUES ('open', ?, ?, ?, ?, ?, ?) RETURNING id`)
          .get(gap.question, gap.firstAskedAt, gap.lastAskedAt, gap.dueDate, gap.now, gap.now)
      : stmt(this.db, `INSERT INTO gaps (status, question, first_asked_at, last_asked_at, due_date, priority, created_at, updated_at) VALUES ('open', ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
          .get(gap.question, gap.firstAskedAt, gap.lastAskedAt, gap.dueDate, gap.priority, gap.now, gap.now);
    return (info as { id: number }).id;
  }

  /** Writes the counters recomputed from the gap's asks. */
  saveSummary(id: number, s: GapSummary): void {
    stmt(this.db,
        `UPDATE gaps SET question = ?, ask_count = ?, enterprise_count = ?, individual_count = ?, channels = ?, first_asked_at = ?,
                last_asked_at = ?, due_date = ?, priority = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        s.question, s.askCount, s.enterpriseCount, s.individualCount, JSON.stringify(s.channels), s.firstAskedAt, s.lastAskedAt, s.dueDate,
        s.priority, s.updatedAt, id,
      );
  }

  /** A draft entry is being written for the open gap. */
  setPendingFill(id: number, entryId: number, now: string): void {
    stmt(this.db, `UPDATE gaps SET entry_id = ?, fill_mode = 'new_entry', updated_at = ? WHERE id = ?`).run(entryId, now, id);
  }

  /** Takes over another gap's fill link (merging), without touching updated_at. */
  setFill(id: number, entryId: number | null, fillMode: FillMode | null): void {
    stmt(this.db, 'UPDATE gaps SET entry_id = ?, fill_mode = ? WHERE id = ?').run(entryId, fillMode, id);
  }

  markFilled(id: number, fill: { entryId: number; fillMode: FillMode; resolvedAt: string; resolvedBy: string; updatedAt: string }): void {
    stmt(this.db, `UPDATE gaps SET status = 'filled', entry_id = ?, fill_mode = ?, resolved_at = ?, resolved_by = ?, updated_at = ? WHERE id = ?`)
      .run(fill.entryId, fill.fillMode, fill.resolvedAt, fill.resolvedBy, fill.updatedAt, id);
  }

  /** Dismissed, remembering how many asks it had then. */
  markDismissed(id: number, reason: string, actor: string, now: string): void {
    stmt(this.db, `UPDATE gaps SET status = 'dismissed', dismiss_reason = ?, resolved_at = ?, resolved_by = ?, asks_at_dismissal = ask_count, updated_at = ? WHERE id = ?`)
      .run(reason, now, actor, now, id);
  }

  markReopened(id: number, now: string): void {
    stmt(this.db, `UPDATE gaps SET status = 'open', resolved_at = NULL, resolved_by = NULL, updated_at = ? WHERE id = ?`).run(now, id);
  }

  delete(id: number): void {
    stmt(this.db, 'DELETE FROM gaps WHERE id = ?').run(id);
  }

  // ---- gap_questions (the asks gathered in a gap)

  addAsk(gapId: number, ask: { id: string; question: string; askedAt: string; channel: string; audience: string }, reason: GapReason): void {
    stmt(this.db, 'INSERT INTO gap_questions (gap_id, ask_id, question, asked_at, channel, audience, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(gapId, ask.id, ask.question, ask.askedAt, ask.channel, ask.audience, reason);
  }

  /** The ask is in its gap because the citizen said 未解决. */
  markAskUnresolved(askId: string): void {
    stmt(this.db, `UPDATE gap_questions SET reason = 'unresolved' WHERE ask_id = ?`).run(askId);
  }

  removeAsk(askId: string): void {
    stmt(this.db, 'DELETE FROM gap_questions WHERE ask_id = ?').run(askId);
  }

  /** Moves every ask of one gap into another. */
  moveAsks(fromId: number, intoId: number): void {
    stmt(this.db, 'UPDATE gap_questions SET gap_id = ? WHERE gap_id = ?').run(intoId, fromId);
  }

  asksOf(gapId: number): GapAsk[] {
    const rows = stmt(this.db, 'SELECT ask_id, question, asked_at, channel, audience, reason FROM gap_questions WHERE gap_id = ? ORDER BY asked_at, id')
      .all(gapId) as Array<{ ask_id: string; question: string; asked_at: string; channel: string; audience: string; reason: GapReason }>;
    return rows.map((r) => ({ askId: r.ask_id, question: r.question, askedAt: r.asked_at, channel: r.channel, audience: r.audience, reason: r.reason }));
  }

  /** How many of the gap's asks there are besides this one. */
  countOtherAsks(gapId: number, askId: string): number {
    return (stmt(this.db, 'SELECT count(*) AS n FROM gap_questions WHERE gap_id = ? AND ask_id != ?').get(gapId, askId) as { n: number }).n;
  }

  reasonCounts(gapId: number): Record<GapReason, number> {
    const reasons = { no_answer: 0, unresolved: 0 };
    for (const r of stmt(this.db, 'SELECT reason, count(*) AS n FROM gap_questions WHERE gap_id = ? GROUP BY reason').all(gapId) as Array<{ reason: GapReason; n: number }>) {
      reasons[r.reason] = r.n;
    }
    return reasons;
  }

  /** The citizens' own words on 未解决 for the gap's asks, newest first (at most 20). */
  citizenReasons(gapId: number): CitizenReason[] {
    return stmt(this.db,
      `SELECT q.question, a.feedback_reason AS reason, a.feedback_at AS at FROM gap_questions q JOIN asks a ON a.id = q.ask_id
       WHERE q.gap_id = ? AND a.resolved = 0 AND a.feedback_reason IS NOT NULL AND a.feedback_reason != '' ORDER BY a.feedback_at DESC LIMIT 20`,
    ).all(gapId) as CitizenReason[];
  }

  /** The gap's identical question texts collapsed (a popular question is asked thousands of times), first asked first. */
  questionGroups(gapId: number): GapQuestionGroup[] {
    return stmt(
      this.db,
      `SELECT question, count(*) AS n, min(asked_at) AS first, max(asked_at) AS last, min(id) AS seq
       FROM gap_questions WHERE gap_id = ? GROUP BY question ORDER BY first, seq`,
    ).all(gapId) as GapQuestionGroup[];
  }

  /** Counts over the gap's asks: all, first and last asked, per channel. */
  askStats(gapId: number): { n: number; first: string; last: string; channels: Record<string, number> } {
    const agg = stmt(this.db, 'SELECT count(*) AS n, min(asked_at) AS first, max(asked_at) AS last FROM gap_questions WHERE gap_id = ?')
      .get(gapId) as { n: number; first: string; last: string };
    const channels = Object.fromEntries(
      (stmt(this.db, 'SELECT channel, count(*) AS n FROM gap_questions WHERE gap_id = ? GROUP BY channel ORDER BY channel').all(gapId) as Array<{ channel: string; n: number }>).map(
        (r) => [r.channel, r.n],
      ),
    );
    return { n: agg.n, first: agg.first, last: agg.last, channels };
  }

  /** The gap's asks collapsed by question text and declared audience, with how many asks each: who asked what. */
  questionAudiences(gapId: number): Array<{ question: string; audience: string; n: number }> {
    return stmt(this.db, 'SELECT question, audience, count(*) AS n FROM gap_questions WHERE gap_id = ? GROUP BY question, audience')
      .all(gapId) as Array<{ question: string; audience: string; n: number }>;
  }

  /** When each gathered ask was asked, in which gap and by which audience (the audit report). */
  allAskTimes(): Array<{ gapId: number; askedAt: string; audience: string }> {
    return stmt(this.db, 'SELECT gap_id AS gapId, asked_at AS askedAt, audience FROM gap_questions').all() as Array<{ gapId: number; askedAt: string; audience: string }>;
  }

  /**
   * The highest gap_questions id ever given (0 before the first): ids are never reused (AUTOINCREMENT), so it only
   * grows, also when asks leave their gap, and every ask added later has a higher id.
   */
  lastQuestionId(): number {
    return lastIssuedId(this.db, 'gap_questions');
  }

  /** Distinct (gap, question) pairs of open gaps among the gap_questions rows with id in (after, upTo]. */
  openQuestionsBetween(after: number, upTo: number): Array<{ gapId: number; question: string }> {
    return stmt(
      this.db,
      // CROSS JOIN keeps SQLite from walking every open gap: only the new rows are read (by id range)
      `SELECT q.gap_id AS gapId, q.question FROM gap_questions q CROSS JOIN gaps g ON g.id = q.gap_id
       WHERE q.id > ? AND q.id <= ? AND g.status = 'open' GROUP BY q.gap_id, q.question`,
    ).all(after, upTo) as Array<{ gapId: number; question: string }>;
  }
}
