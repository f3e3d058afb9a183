import type { KnowledgeBase } from '../kb/index.js';
import { questionKey } from './gap-similarity.js';
import { PLACEHOLDERS } from '../privacy/mask.js';

import type { PhrasingProposal, ProposalStatus } from '../kb/phrasings.js';
export { PROPOSAL_STATES, type ProposalStatus, type PhrasingProposal } from '../kb/phrasings.js';

/**
 * 从使用中学习 (see server/kb/phrasings.ts): which phrasings are proposed. An editor's decision on one is a command
 * (acceptPhrasing, rejectPhrasing).
 */
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
}
