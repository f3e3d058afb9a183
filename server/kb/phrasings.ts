import { stmt, type Db } from './db.js';
import type { ListsAll } from '../../shared/domain.js';
import type { PhrasingProposal, ProposalStatus } from '../../shared/admin.js';

export const PROPOSAL_STATES = ['proposed', 'accepted', 'rejected'] as const satisfies readonly ProposalStatus[];
true satisfies ListsAll<ProposalStatus, typeof PROPOSAL_STATES>;
export type { PhrasingProposal, ProposalStatus };

/**
 * 从使用中学习: a citizen asked in their own words, got 猜你想问 and chose one suggestion. That phrasing is proposed
 * as a similar question of the chosen entry; an editor accepts it (a new version of the entry, with history), edits
 * it first, or rejects it. Nothing goes live without an editor: one wrong click must not teach the KB a wrong answer.
 */

interface ProposalRow {
  id: number; entry_id: number; entry_question: string | null; question: string; status: string; choice_count: number;
  first_at: string; last_at: string; decided_at: string | null; decided_by: string | null;
}

const toProposal = (r: ProposalRow): PhrasingProposal => ({
  id: r.id, entryId: r.entry_id, entryQuestion: r.entry_question ?? '', question: r.question, status: r.status as ProposalStatus,
  choiceCount: r.choice_count, firstAt: r.first_at, lastAt: r.last_at, decidedAt: r.decided_at, decidedBy: r.decided_by,
});

const SELECT = `SELECT p.*, e.question AS entry_question FROM phrasing_proposals p LEFT JOIN entries e ON e.id = p.entry_id`;

/** The phrasing_proposals table. Which phrasings are proposed and what accepting one does is server/ops/phrasings.ts. */
export class PhrasingStore {
  constructor(private readonly db: Db) {}

  /** Counts one more choice of this phrasing (by its key) for the entry, proposing it on the first. */
  countChoice(entryId: number, question: string, key: string, now: string): void {
    stmt(this.db,
      `INSERT INTO phrasing_proposals (entry_id, question, question_key, status, choice_count, first_at, last_at)
       VALUES (?, ?, ?, 'proposed', 1, ?, ?)
       ON CONFLICT (entry_id, question_key) DO UPDATE SET choice_count = phrasing_proposals.choice_count + 1, last_at = excluded.last_at`,
    ).run(entryId, question, key, now, now);
  }

  /** Most chosen first, then most recent. */
  list(status: ProposalStatus, limit: number): { total: number; items: PhrasingProposal[] } {
    const total = (stmt(this.db, 'SELECT count(*) AS n FROM phrasing_proposals WHERE status = ?').get(status) as { n: number }).n;
    const rows = stmt(this.db, `${SELECT} WHERE p.status = ? ORDER BY p.choice_count DESC, p.last_at DESC, p.id LIMIT ?`).all(status, limit) as ProposalRow[];
    return { total, items: rows.map(toProposal) };
  }

  get(id: number): PhrasingProposal | null {
    const row = stmt(this.db, `${SELECT} WHERE p.id = ?`).get(id) as ProposalRow | undefined;
    return row ? toProposal(row) : null;
  }

  decide(id: number, status: ProposalStatus, at: string, actor: string): void {
    stmt(this.db, 'UPDATE phrasing_proposals SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?').run(status, at, actor, id);
  }
}
