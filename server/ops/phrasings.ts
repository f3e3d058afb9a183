import { editEntry } from './publishing.js';
import type { KnowledgeBase, Entry } from '../kb/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../kb/errors.js';
import { questionKey } from './gap-similarity.js';
import { mergeSimilarQuestions, MAX_SIMILAR_QUESTIONS } from './gaps.js';
import { PLACEHOLDERS } from '../privacy/mask.js';

import type { PhrasingProposal, ProposalStatus } from '../kb/phrasings.js';
export { PROPOSAL_STATES, type ProposalStatus, type PhrasingProposal } from '../kb/phrasings.js';

/** 从使用中学习 (see server/kb/phrasings.ts): which phrasings are proposed, and accepting one into its entry. */
export class PhrasingProposals {
  constructor(private readonly kb: KnowledgeBase) {}

  /**
   * A citizen asked `question` (masked as logged) and chose entry `entryId` from its 猜你想问. Counted on the
   * proposal for that phrasing and entry; a phrasing with masked personal data, or one the entry already carries, is
   * not proposed.
   */
  recordChoice(question: string, entryId: number): void {
    const text = question.trim();
    const key = questionKey(text);
    if (!key || Object.values(PLACEHOLDERS).some((p) => text.includes(p))) return;
    this.kb.transaction(() => {
      const entry = this.kb.entries.get(entryId);
      if (!entry || entry.status !== 'published') return;
      if ([entry.question, ...entry.similarQuestions].some((q) => questionKey(q) === key)) return;
      this.kb.phrasings.countChoice(entryId, text, key, this.kb.clock.nowIso());
    });
  }

  list(status: ProposalStatus = 'proposed', limit = 200): { total: number; items: PhrasingProposal[] } {
    return this.kb.phrasings.list(status, limit);
  }

  require(id: number): PhrasingProposal {
    const proposal = this.kb.phrasings.get(id);
    if (!proposal) throw new NotFoundError('建议问法', id);
    return proposal;
  }

  /**
   * Accepts a proposal: the phrasing (as edited, when given) joins the entry's similar questions — at once when the
   * actor may publish (`live`), otherwise as the entry's pending revision for a reviewer (see editEntry).
   */
  accept(id: number, actor: string, edited: string | undefined, live: boolean): { proposal: PhrasingProposal; entry: Entry; waitingForReview: boolean } {
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
      // the entry may already say it this way
      const { entry: updated, waitingForReview } = merged.length === entry.similarQuestions.length
        ? { entry, waitingForReview: false }
        : editEntry(this.kb, entry.id, { similarQuestions: merged }, actor, reason, { live });
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
    this.kb.phrasings.decide(id, status, this.kb.clock.nowIso(), actor);
  }

}
