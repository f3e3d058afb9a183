import { stmt } from '../kb/db.js';
import { editEntry } from './publishing.js';
import type { KnowledgeBase, Entry } from '../kb/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../kb/errors.js';
import { questionKey } from './gap-similarity.js';
import { mergeSimilarQuestions, MAX_SIMILAR_QUESTIONS } from './gaps.js';
import { PLACEHOLDERS } from '../privacy/mask.js';

export const PROPOSAL_STATES = ['proposed', 'accepted', 'rejected'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATES)[number];

/**
 * 从使用中学习: a citizen asked in their own words, got 猜你想问 and chose one suggestion. That phrasing is proposed
 * as a similar question of the chosen entry; an editor accepts it (a new version of the entry, with history), edits
 * it first, or rejects it. Nothing goes live without an editor: one wrong click must not teach the KB a wrong answer.
 */
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

interface ProposalRow {
  id: number; entry_id: number; entry_question: string | null; question: string; status: string; choice_count: number;
  first_at: string; last_at: string; decided_at: string | null; decided_by: string | null;
}

const toProposal = (r: ProposalRow): PhrasingProposal => ({
  id: r.id, entryId: r.entry_id, entryQuestion: r.entry_question ?? '', question: r.question, status: r.status as ProposalStatus,
  choiceCount: r.choice_count, firstAt: r.first_at, lastAt: r.last_at, decidedAt: r.decided_at, decidedBy: r.decided_by,
});

const SELECT = `SELECT p.*, e.question AS entry_question FROM phrasing_proposals p LEFT JOIN entries e ON e.id = p.entry_id`;

export class PhrasingProposals {
  constructor(private readonly kb: KnowledgeBase) {}

  /**
   * A citizen asked `question` (masked as logged) and chose entry `entryId` from its 猜你想问. Counted on the
   * proposal for that phrasing and entry; a phrasing with masked personal data, or one the entry already carries, is
   * not proposed. Returns the proposal, or null when nothing is proposed.
   */
  recordChoice(question: string, entryId: number): PhrasingProposal | null {
    const text = question.trim();
    const key = questionKey(text);
    if (!key || Object.values(PLACEHOLDERS).some((p) => text.includes(p))) return null;
    return this.kb.transaction(() => {
      const entry = this.kb.entries.get(entryId);
      if (!entry || entry.status !== 'published') return null;
      if ([entry.question, ...entry.similarQuestions].some((q) => questionKey(q) === key)) return null;
      const now = this.kb.clock.nowIso();
      stmt(this.kb.db,
        `INSERT INTO phrasing_proposals (entry_id, question, question_key, status, choice_count, first_at, last_at)
         VALUES (?, ?, ?, 'proposed', 1, ?, ?)
         ON CONFLICT (entry_id, question_key) DO UPDATE SET choice_count = choice_count + 1, last_at = excluded.last_at`,
      ).run(entryId, text, key, now, now);
      return this.byKey(entryId, key);
    });
  }

  list(status: ProposalStatus = 'proposed', limit = 200): { total: number; items: PhrasingProposal[] } {
    const total = (stmt(this.kb.db, 'SELECT count(*) AS n FROM phrasing_proposals WHERE status = ?').get(status) as { n: number }).n;
    const rows = stmt(this.kb.db, `${SELECT} WHERE p.status = ? ORDER BY p.choice_count DESC, p.last_at DESC, p.id LIMIT ?`).all(status, limit) as ProposalRow[];
    return { total, items: rows.map(toProposal) };
  }

  require(id: number): PhrasingProposal {
    const row = stmt(this.kb.db, `${SELECT} WHERE p.id = ?`).get(id) as ProposalRow | undefined;
    if (!row) throw new NotFoundError('建议问法', id);
    return toProposal(row);
  }

  /** Adds the phrasing (as edited, when given) to the entry's similar questions: a new version with history. */
  /**
   * Accepts a proposal. `live`: the actor may publish, so the entry changes at once (a new version with history);
   * otherwise the new similar question waits as the entry's pending revision for a reviewer, like any editor's change.
   */
  accept(id: number, actor: string, edited?: string, live = true): { proposal: PhrasingProposal; entry: Entry; waitingForReview: boolean } {
    return this.kb.transaction(() => {
      const p = this.requireProposed(id);
      const entry = this.kb.entries.require(p.entryId);
      if (entry.status !== 'published') throw new ConflictError(`条目 ${entry.id} 已不是发布状态，不能再加入问法`);
      const question = (edited ?? p.question).trim();
      if (!questionKey(question)) throw new ValidationError('question', '问法不能为空');
      const merged = mergeSimilarQuestions(entry.question, entry.similarQuestions, [question]);
      if (merged.length === entry.similarQuestions.length && entry.similarQuestions.length >= MAX_SIMILAR_QUESTIONS) {
        throw new ConflictError(`条目 ${entry.id} 已有 ${MAX_SIMILAR_QUESTIONS} 个相似问法，请先在条目中删去不需要的问法`);
      }
      const reason = `采纳市民问法“${question}”（${p.choiceCount} 次从猜你想问选中此条）`;
      let updated = entry; // the entry may already say it this way
      let waitingForReview = false;
      if (merged.length !== entry.similarQuestions.length) {
        if (live) updated = this.kb.entries.update(entry.id, { similarQuestions: merged }, actor, reason);
        else ({ entry: updated, waitingForReview } = editEntry(this.kb, entry.id, { similarQuestions: merged }, actor, reason));
      }
      this.decide(id, 'accepted', actor);
      return { proposal: this.require(id), entry: updated, waitingForReview };
    });
  }

  reject(id: number, actor: string): PhrasingProposal {
    this.kb.transaction(() => {
      this.requireProposed(id);
      this.decide(id, 'rejected', actor);
    });
    return this.require(id);
  }

  private requireProposed(id: number): PhrasingProposal {
    const p = this.require(id);
    if (p.status !== 'proposed') throw new ConflictError(`建议问法 ${id} 已${p.status === 'accepted' ? '采纳' : '不采纳'}，不能再处理`);
    return p;
  }

  private decide(id: number, status: ProposalStatus, actor: string): void {
    stmt(this.kb.db, 'UPDATE phrasing_proposals SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?').run(status, this.kb.clock.nowIso(), actor, id);
  }

  private byKey(entryId: number, key: string): PhrasingProposal {
    return toProposal(stmt(this.kb.db, `${SELECT} WHERE p.entry_id = ? AND p.question_key = ?`).get(entryId, key) as ProposalRow);
  }
}
