import type { Entry } from '../kb/index.js';
import type { CategoryCode } from '../kb/types.js';
import { NotFoundError } from '../kb/errors.js';
import { maskPersonalData } from '../privacy/mask.js';
import { gapQuestions, mergeSimilarQuestions } from '../ops/gaps.js';
import { indexChanged, type CommandContext } from './context.js';

export interface AgentAnswerInput {
  question: string;
  answer: string;
  askId?: string;
  department?: string | null;
  serviceItem?: string | null;
  category?: CategoryCode;
  actor: string;
}

/**
 * 线上人工帮办 → KB: a draft entry (origin agent) for the review queue, linked to the ask it answers and that ask's
 * gap; its similar questions are the citizen's question(s). The question and the reply are masked first (the agent
 * often pastes the citizen's words). Publishing it (publishEntry) fills the gap.
 */
export async function recordAgentAnswer(ctx: CommandContext, input: AgentAnswerInput): Promise<Entry> {
  const { kb } = ctx;
  const entry = kb.transaction(() => {
    const ask = input.askId ? kb.asks.get(input.askId) : null;
    if (input.askId && !ask) throw new NotFoundError('提问', input.askId);
    const gap = ask ? kb.gaps.ofAsk(ask.id) : null;
    const question = maskPersonalData(input.question);
    const answer = maskPersonalData(input.answer);
    const asked = [...(ask ? [ask.question] : []), ...(gap ? gapQuestions(kb, gap.id).map((q) => q.question) : [])];
    const created = kb.entries.create(
      {
        category: input.category ?? 'faq', question, answer, department: input.department, serviceItem: input.serviceItem,
        similarQuestions: mergeSimilarQuestions(question, [], asked), origin: 'agent',
      },
      input.actor,
      '线上人工帮办答复',
    );
    if (!ask) return created;
    return kb.entries.linkOrigin(created.id, { askId: ask.id, gapId: gap?.id ?? null }, input.actor, gap ? `答复提问 ${ask.id}（缺口 ${gap.id}）` : `答复提问 ${ask.id}`);
  });
  await indexChanged(ctx); // a draft is not searchable, but the index keeps the KB's version
  return entry;
}
