import type { KnowledgeBase } from '../kb/index.js';
import type { Audience, CategoryCode } from '../kb/types.js';
import type { Level } from '../kb/categories.js';
import { categoryLabel } from '../kb/categories.js';
import { type AskLog, type AskRecord, type AskResult, type Channel, type HandoffChannel } from '../kb/asks.js';
import type { SearchEngine, SearchFilters, Candidate } from '../search/engine.js';
import { decide, THRESHOLDS, type Decision, type Outcome } from '../search/decide.js';
import { COMPARED_CANDIDATES } from '../search/confidence.js';
import { checkScope, type ScopeRoute } from '../search/scope.js';
import { maskPersonalData, maskOptional, withoutPlaceholders } from '../privacy/mask.js';
import { renderAnswerHtml } from './markdown.js';
import { PhrasingProposals } from '../ops/phrasings.js';
import { WorkingCalendar, shanghaiDate, shanghaiHour } from '../ops/calendar.js';
import type { AnswerBody, AnswerResponse, Handoff, Suggestion } from '../../shared/answer.js';
import type { HitTest } from '../../shared/admin.js';

export interface AskInput {
  question: string;
  channel?: Channel;
  /** The asker's declared audience (the citizen chose it, or the integrator passed it): recorded with the ask. */
  audience?: Audience;
  /** The portal's default audience (widget data-audience): ranks entries for it first, recorded as nobody's declaration. */
  portalAudience?: Audience;
  region?: string;
  category?: CategoryCode;
  level?: Level;
  sessionId?: string;
  /** The client's address (req.ip): bounds how many new gaps one client opens a day. Never stored. */
  client?: string;
  /** The unit of a suggestion the citizen chose (typeahead or 猜你想问): answered with exactly that unit. */
  pick?: number;
  /** With pick: the suggest reply whose 猜你想问 the choice was made from (the system learns from the choice). */
  fromAskId?: string;
}

// What /answer sends is declared in shared/ (the chat widget reads it)
export type { AnswerBody, AnswerResponse, Handoff, Suggestion };

export interface AgentHours {
  /** Shanghai local hours of the online human agents on working days, e.g. [9, 17]. */
  from: number;
  to: number;
}

/** Where unanswered asks go (查遗补缺: the GapService). */
export interface GapQueue {
  recordAsk(ask: AskRecord, reason: 'no_answer' | 'unresolved', source?: { client?: string }): Promise<unknown>;
  /** The citizen found the answer among the 猜你想问 after all: the ask leaves the queue. */
  withdrawAsk(askId: string): void;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * What an ask logs of its candidates: the top five, each suggestion the reply showed flagged `shown` (and logged
 * even if it were not among the five). Which ones were shown is decide()'s answer, recorded once: a later choice is
 * checked against it, not against a rule re-applied to rounded scores.
 */
function loggedResults(results: Candidate[], shown: Candidate[]): AskResult[] {
  const shownIds = new Set(shown.map((c) => c.entryId));
  const top = results.slice(0, 5);
  const logged = [...top, ...shown.filter((c) => !top.includes(c))];
  return logged.map((c) => ({ entryId: c.entryId, score: round(c.score), ...(shownIds.has(c.entryId) ? { shown: true as const } : {}) }));
}

/** 2027-01-01 → 2027年1月1日 */
const chineseDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/**
 * A 投诉 / 举报 / 仲裁 question is routed to its own channel — unless the knowledge base answers it with confidence
 * with an entry that itself speaks of that (消防栓被堵如何举报, 劳动仲裁的申请时效): what an editor wrote about those
 * channels is meant to be answered, the complaint itself is not the 帮办 service's to take.
 */
function answersInScope(decision: Decision, scope: ScopeRoute): boolean {
  return decision.outcome === 'answered' && decision.top !== null && checkScope(decision.top.question)?.kind === scope.kind;
}

/**
 * What a routed question is still shown from the KB: the candidates the decision would have offered that are
 * themselves written about that channel (劳动争议仲裁的申请时限, 如何举报消防隐患) — the citizen asking when to
 * apply for arbitration is routed, and sees what an editor wrote about it; a complaint about a window clerk is
 * shown nothing else.
 */
function aboutTheRoute(decision: Decision, scope: ScopeRoute): Candidate[] {
  const offered = [...(decision.top ? [decision.top] : []), ...decision.suggestions];
  return offered.filter((c) => checkScope(c.question)?.kind === scope.kind).slice(0, THRESHOLDS.suggestions);
}

/**
 * The smart-answer use case: scope rules → hybrid retrieval → decision → log (masked) → response.
 */
export class AnswerService {
  readonly asks: AskLog;
  readonly phrasings: PhrasingProposals;

  constructor(
    private readonly kb: KnowledgeBase,
    private readonly engine: SearchEngine,
    private readonly calendar: WorkingCalendar,
    private readonly hours: AgentHours = { from: 9, to: 17 },
  ) {
    this.asks = kb.asks;
    this.phrasings = new PhrasingProposals(kb);
  }

  /**
   * Pays the answer path's one-time costs before the first citizen does: setting up the markdown renderer and its
   * sanitiser (about 20 ms) and a first search (compiled on first use). Nothing is logged.
   */
  async warmUp(): Promise<void> {
    renderAnswerHtml('**一网通办**');
    await this.engine.search('一网通办怎么办理', {}, COMPARED_CANDIDATES);
  }

  private gapQueue: GapQueue | null = null;

  /** Work handed off after a reply, not finished yet. */
  private readonly pending = new Set<Promise<unknown>>();

  /**
   * What the system learns from an ask is not the citizen's wait: it runs right after the reply is sent, and the
   * citizen gets the reply even if it fails. settled() waits for it.
   */
  private afterReply(what: string, work: () => unknown): void {
    const done: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
      .then(() => (this.stopped ? null : work()))
      .catch((err) => console.error(`${what}:`, err))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /**
   * Gathering an ask into the gap queue (its features, the open gaps like it), for `reason`: after the reply (the
   * answer, or the 204 to 未解决).
   */
  private queueGap(ask: AskRecord, reason: 'no_answer' | 'unresolved', client: string | undefined): void {
    const queue = this.gapQueue;
    if (queue) this.afterReply('gap queue', () => queue.recordAsk(ask, reason, { client }));
  }

  private stopped = false;

  /** The database is about to close: work after replies not yet started is skipped. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Resolves when the work after every reply so far is done — asks in the gap queue, choices learned from
   * (shutdown, tests, scripts).
   */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Unanswered asks feed this gap queue from now on. */
  setGapQueue(queue: GapQueue): void {
    this.gapQueue = queue;
  }

  /** 转人工 goes to the online agents in their working hours, otherwise to 12345. */
  handoffChannel(at: Date = this.kb.clock.now()): HandoffChannel {
    const hour = shanghaiHour(at);
    return this.calendar.isWorkingDay(shanghaiDate(at)) && hour >= this.hours.from && hour < this.hours.to ? 'online_agent' : '12345';
  }

  hoursText(): string {
    const hh = (h: number) => `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}`;
    return `工作日 ${hh(this.hours.from)}–${hh(this.hours.to)}`;
  }

  async answer(input: AskInput): Promise<AnswerResponse> {
    const started = performance.now();
    const channel = input.channel ?? 'api';
    const audience = input.audience ?? 'all';
    const handoffChannel = this.handoffChannel();
    const handoff = (offered: boolean): Handoff => ({ offered, channel: handoffChannel, hours: this.hoursText() });
    // Every free-text field the citizen sent is masked once, here, before it is searched, stored or logged.
    const maskedQuestion = maskPersonalData(input.question.trim());
    const region = maskOptional(input.region);
    const sessionId = maskOptional(input.sessionId);

    let outcome: Outcome;
    let answer: AnswerBody | null = null;
    let suggestions: Candidate[] = [];
    let message: string;
    let route: AnswerResponse['route'];
    let results: Candidate[] = [];

    const scope = checkScope(input.question);
    const picked = input.pick !== undefined ? this.engine.unitView(input.pick) : null;
    if (picked && input.fromAskId) {
      const fromAskId = input.fromAskId;
      this.afterReply('learning from a choice', () => this.learnFromChoice(fromAskId, picked.unitId, picked.kind));
    }
    if (picked) {
      // The citizen chose this suggestion: show it, whatever a new search would rank first.
      outcome = 'answered';
      answer = this.answerBody({ entryId: picked.unitId, score: 1 });
      message = '';
    } else {
      const filters: SearchFilters = { audience: input.audience ?? input.portalAudience, region, category: input.category, level: input.level };
      const result = await this.engine.search(withoutPlaceholders(maskedQuestion), filters, COMPARED_CANDIDATES);
      const decision = decide(result, THRESHOLDS, this.engine.confidence);
      if (scope && !answersInScope(decision, scope)) {
        outcome = 'out_of_scope';
        message = scope.message;
        route = { kind: scope.kind, channel: scope.channel };
        suggestions = aboutTheRoute(decision, scope); // logged as shown (loggedResults), like any suggestion
      } else {
        results = result.candidates;
        outcome = decision.outcome;
        suggestions = decision.suggestions;
        if (decision.outcome === 'answered' && decision.top) {
          answer = this.answerBody(decision.top);
          message = '';
        } else if (decision.outcome === 'suggest') {
          message = '没有找到完全对应的答案，您是不是想问：';
        } else {
          const where = handoffChannel === 'online_agent' ? '可以转线上人工帮办' : `现在不在人工服务时间（${this.hoursText()}），可拨打 12345 市民服务热线`;
          message = `抱歉，知识库里暂时没有这个问题的答案，我们会尽快补充。${where}。`;
        }
      }
    }

    // one INSERT: atomic by itself
    const askRecord = this.asks.record({
      channel, audience, region: region ?? null, sessionId: sessionId ?? null, question: maskedQuestion, outcome,
      entryId: answer?.entryId ?? null, score: answer?.score ?? results[0]?.score ?? null,
      results: loggedResults(results, suggestions),
      latencyMs: performance.now() - started,
    });
    // Not answered with confidence — no answer, or only 猜你想问 — is a question the KB should learn to answer.
    if (outcome === 'no_answer' || outcome === 'suggest') this.queueGap(askRecord, 'no_answer', input.client);
    return {
      askId: askRecord.id,
      outcome,
      answer,
      suggestions: suggestions.map((c) => ({
        unitId: c.entryId, kind: c.passage ? 'passage' as const : 'entry' as const, entryId: c.passage ? null : c.entryId, category: c.category,
        question: c.question, score: round(c.score),
      })),
      message,
      // Outside the agents' hours the no-answer message already gave the 12345 line: no 转人工 to say it again.
      handoff: handoff(outcome === 'suggest' || (outcome === 'no_answer' && handoffChannel === 'online_agent')),
      ...(route ? { route } : {}),
    };
  }

  /**
   * The citizen chose suggestion `unitId` from the 猜你想问 of ask `fromAskId`: recorded on that ask, the ask leaves
   * the gap queue (it found its answer), and its wording is proposed to editors as a similar question of the entry.
   * Only a choice among that reply's own candidates counts. Runs after the reply to the pick.
   */
  private learnFromChoice(fromAskId: string, unitId: number, kind: 'entry' | 'passage'): void {
    const from = this.asks.get(fromAskId);
    // the 猜你想问 that reply showed, as logged with it (asks logged before the flag: nothing to learn from)
    if (!from || from.outcome !== 'suggest' || !from.results.some((r) => r.shown && r.entryId === unitId)) return;
    this.asks.recordChoice(from.id, unitId);
    this.gapQueue?.withdrawAsk(from.id);
    if (kind === 'entry') this.phrasings.recordChoice(from.question, unitId);
  }

  /**
   * 好差评 feedback on an ask (the last word counts). 未解决 on a reply the citizen could see — an answer, 猜你想问 or
   * no answer — joins the gap queue (查遗补缺) with the citizen's reason (personal data masked), after the reply
   * like an unanswered ask (settled() waits for it).
   */
  async feedback(askId: string, resolved: boolean, reason: string | null, client?: string) {
    const ask = this.asks.feedback(askId, resolved, maskOptional(reason)); // the citizen's words: masked before stored
    if (!resolved && ask.outcome !== 'out_of_scope') this.queueGap(ask, 'unresolved', client);
    return ask;
  }

  /** 命中测试: every candidate with its scores and the decision that would be taken (nothing is logged). */
  async hitTest(question: string, filters: SearchFilters = {}): Promise<HitTest> {
    const scope = checkScope(question);
    // the same text the answer path searches: personal data masked and left out
    const result = await this.engine.search(withoutPlaceholders(maskPersonalData(question.trim())), filters, 20);
    const decided = decide(result, THRESHOLDS, this.engine.confidence);
    const decision = scope && !answersInScope(decided, scope) ? null : decided; // as the answer path decides
    return {
      normalized: result.normalized,
      corrections: result.corrections,
      outcome: decision ? decision.outcome : 'out_of_scope',
      entryId: decision?.top?.entryId ?? null,
      unknownShare: round(result.unknownShare),
      thresholds: THRESHOLDS,
      concepts: result.concepts.map((c) => ({ text: c.text, weight: round(c.weight), forms: c.forms, unknown: c.unknown })),
      candidates: result.candidates.map((c) => ({
        entryId: c.entryId, question: c.question, category: c.category, lexicalRank: c.lexicalRank,
        bm25: c.bm25 === null ? null : round(c.bm25), lexical: round(c.lexical), vectorRank: c.vectorRank, bigramRank: c.bigramRank, cosine: round(c.cosine),
        coverage: round(c.coverage), questionCoverage: round(c.questionCoverage), questionSimilarity: round(c.questionSimilarity),
        fused: round(c.rrf), score: round(c.score),
      })),
    };
  }

  /** Rendering and sanitising Markdown costs more than the search: keep the HTML per entry version. */
  private readonly htmlCache = new Map<number, { version: number; html: string }>();

  html(entryId: number, version: number, markdown: string): string {
    const hit = this.htmlCache.get(entryId);
    if (hit && hit.version === version) return hit.html;
    const html = renderAnswerHtml(markdown);
    if (this.htmlCache.size > 20_000) this.htmlCache.clear();
    this.htmlCache.set(entryId, { version, html });
    return html;
  }

  /** An answer from a policy (or entry) that applies from a later date says so: 本政策自2027年1月1日起施行. */
  private notInForceYet(entryId: number | null, documentEffective: string | null): Pick<AnswerBody, 'effectiveFrom' | 'notice'> {
    const entryEffective = entryId !== null ? this.kb.entries.get(entryId)?.effectiveFrom ?? null : null;
    const from = entryEffective ?? documentEffective;
    if (!from || from <= shanghaiDate(this.kb.clock.now())) return {};
    return { effectiveFrom: from, notice: `本政策自${chineseDate(from)}起施行。` };
  }

  private answerBody(top: Pick<Candidate, 'entryId' | 'score'>): AnswerBody {
    const unit = this.engine.unitView(top.entryId)!;
    const doc = unit.documentId ? this.kb.documents.get(unit.documentId) : null;
    return {
      unitId: unit.unitId,
      kind: unit.kind,
      entryId: unit.entryId,
      category: unit.category,
      categoryLabel: categoryLabel(unit.category),
      question: unit.question,
      answer: unit.answer,
      html: this.html(unit.unitId, unit.version, unit.answer),
      source: doc && doc.kind === 'policy' ? { documentTitle: doc.title, docNumber: doc.docNumber, section: unit.section } : null,
      ...this.notInForceYet(unit.entryId, doc?.effectiveDate ?? null),
      score: round(top.score),
    };
  }
}
