/** Collecting a document's candidate entries, deduplicating them and finishing them as GeneratedEntry. */
import type { Audience, CategoryCode, GeneratedEntry } from '../types.js';
import { audienceOf, keywordsOf } from './classify.js';
import type { DocContext } from './document.js';
import { genericVariants, stem, synonymVariants } from './questions.js';
import { entryQualityProblems, questionProblems } from './quality.js';
import { NEAR_DUPLICATE, normKey, similarityWithCache, uniq } from './text.js';

/** An entry the quality gate dropped, and why (in Chinese, for the people maintaining the KB). */
export interface RejectedEntry {
  question: string;
  sourceSection: string;
  reason: string;
}

/** What an entry was made from; the key prefix follows it (doc, s:, l:, i:, f:, g:, d:, t:). */
type Kind = 'doc' | 'section' | 'list' | 'item' | 'fact' | 'glossary' | 'dept' | 'table';

/** An entry while the document is being gone through, before near-duplicates are merged. */
interface Candidate {
  key: string;
  kind: Kind;
  category: CategoryCode;
  question: string;
  similar: string[];
  answer: string;
  /** Normalised quoted content, used to find entries that would say the same thing. */
  core: string;
  keywords: string[];
  serviceItem?: string;
  department?: string;
  audience: Audience;
  sourceSection: string;
  order: number;
}

/** Which entry survives a near-duplicate question: the more specific one. */
const PRIORITY: Record<Kind, number> = { table: 7, fact: 6, glossary: 5, dept: 4, list: 4, item: 3, section: 2, doc: 1 };

/** What a generator step supplies; keywords, audience and order are filled in by the builder. */
type AddInput = Omit<Candidate, 'keywords' | 'audience' | 'order'> & { audience?: Audience; extraTerms?: string[] };

/** Collects a document's candidate entries: a key made unique, keywords and audience filled in, order kept. */
export class Builder {
  readonly out: Candidate[] = [];
  private order = 0;
  constructor(readonly ctx: DocContext) {}

  add(c: AddInput): void {
    const question = c.question.trim();
    if (!question || !c.answer.trim()) return;
    let key = c.key;
    for (let n = 2; this.out.some((x) => x.key === key); n++) key = `${c.key}#${n}`;
    this.out.push({
      key,
      kind: c.kind,
      category: c.category,
      question,
      similar: uniq(c.similar.map((s) => s.trim()).filter(Boolean)),
      answer: c.answer.trim(),
      core: normKey(c.core),
      keywords: keywordsOf(question, c.answer, c.extraTerms ?? [], this.ctx),
      serviceItem: c.serviceItem,
      department: c.department ? c.department.slice(0, 200) : undefined,
      audience: c.audience ?? audienceOf(this.ctx, question, c.answer),
      sourceSection: c.sourceSection,
      order: this.order++,
    });
  }
}

type Similarity = (a: string, b: string) => number;

/** Near-duplicate questions, except for table rows about different service items. */
function sameQuestion(sim: Similarity, a: { question: string; serviceItem?: string }, q: string, bItem?: string): boolean {
  if (a.serviceItem && bItem && a.serviceItem !== bItem) return false;
  return sim(a.question, q) >= NEAR_DUPLICATE;
}

/** Entries whose (heading) question reads more naturally than a fact's about the same content. */
const STRUCTURAL: Kind[] = ['section', 'item', 'list'];

function numbersOf(q: string): string {
  return (q.normalize('NFKC').match(/\d+/g) ?? []).join(',');
}

/** A merged entry's questions become the surviving one's 相似问法. */
function absorb(into: Candidate, other: Candidate): void {
  into.similar.push(other.question, ...other.similar);
  into.keywords = uniq([...into.keywords, ...other.keywords]).slice(0, 8);
  if (!into.department && other.department) into.department = other.department;
}

/**
 * A candidate whose question fails the gate asks one of its well-formed 相似问法 instead; with none, it is dropped.
 * Malformed 相似问法 are dropped quietly.
 */
function gateQuestions(cands: Candidate[], rejected: RejectedEntry[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of cands) {
    const problems = questionProblems(c.question);
    const good = c.similar.filter((s) => !questionProblems(s).length);
    if (problems.length) {
      if (!good.length) {
        rejected.push({ question: c.question, sourceSection: c.sourceSection, reason: problems.join('；') });
        continue;
      }
      c.question = good.shift()!;
    }
    c.similar = good;
    out.push(c);
  }
  return out;
}

/**
 * The document's entries: malformed questions gated out, near-duplicates merged into the more specific one,
 * 2–5 相似问法 each, in the order found; entries failing the quality gate are left out and reported.
 */
export function finalize(candsIn: Candidate[], ctx: DocContext): { entries: GeneratedEntry[]; rejected: RejectedEntry[] } {
  const rejected: RejectedEntry[] = [];
  const cands = gateQuestions(candsIn, rejected);
  const sim = similarityWithCache();
  const byPriority = [...cands].sort((a, b) => PRIORITY[b.kind] - PRIORITY[a.kind] || a.order - b.order);
  const kept: Candidate[] = [];
  for (const c of byPriority) {
    // the same content: one entry; its natural (heading) question leads, the precise ones follow
    const same = kept.find((k) => c.core && k.core === c.core && k.kind !== 'glossary' && c.kind !== 'glossary');
    if (same) {
      if (STRUCTURAL.includes(c.kind) && same.kind === 'fact') {
        const factQs = [same.question, ...same.similar];
        same.key = c.key;
        same.kind = c.kind;
        same.question = c.question;
        same.similar = [...factQs, ...c.similar];
        same.order = Math.min(same.order, c.order);
        same.keywords = uniq([...same.keywords, ...c.keywords]).slice(0, 8);
      } else absorb(same, c);
      continue;
    }
    const dup = kept.find((k) => sameQuestion(sim, k, c.question, c.serviceItem));
    if (dup) {
      // different content asked the same way: ask this one differently if it can be
      const alt = c.core !== dup.core ? c.similar.find((s) => s.length <= 60 && !kept.some((k) => sameQuestion(sim, k, s, c.serviceItem))) : undefined;
      if (alt) {
        c.similar = [c.question, ...c.similar.filter((s) => s !== alt)];
        c.question = alt;
        kept.push(c);
      } else absorb(dup, c);
      continue;
    }
    kept.push(c);
  }
  // 相似问法: 2–5 each, none a near-duplicate of another entry's question, none repeated across entries
  const used: string[] = [];
  for (const k of kept) {
    const out: string[] = [];
    const consider = (s: string) => {
      const q = s.trim();
      if (!q || q.length > 120 || out.length >= 5 || questionProblems(q).length) return;
      if (normKey(q) === normKey(k.question)) return;
      if (out.some((o) => normKey(o) === normKey(q))) return;
      // another entry's question (unless the numbers differ: "2021年底前…" vs "2022年底前…" are different questions)
      if (kept.some((o) => o !== k && sameQuestion(sim, o, q, k.serviceItem) && numbersOf(o.question) === numbersOf(q))) return;
      if (used.includes(normKey(q))) return;
      out.push(q);
    };
    for (const s of k.similar) consider(s);
    for (const s of synonymVariants(k.question)) if (out.length < 3) consider(s);
    for (const s of genericVariants(k.question, ctx)) if (out.length < 2) consider(s);
    for (const s of [`关于${stem(k.question)}的规定`, `${ctx.title}：${stem(k.question)}？`, `${ctx.title}中${stem(k.question)}？`]) {
      if (out.length < 2 && !out.includes(s)) out.push(s);
    }
    used.push(...out.map(normKey));
    k.similar = out;
  }
  kept.sort((a, b) => a.order - b.order);
  const entries: GeneratedEntry[] = [];
  for (const k of kept) {
    const problems = entryQualityProblems(k);
    if (problems.length) rejected.push({ question: k.question, sourceSection: k.sourceSection, reason: problems.join('；') });
    else entries.push(toEntry(k, ctx));
  }
  return { entries, rejected };
}

function toEntry(k: Candidate, ctx: DocContext): GeneratedEntry {
  {
    const e: GeneratedEntry = {
      key: k.key,
      category: k.category,
      question: k.question,
      similarQuestions: k.similar,
      answer: k.answer,
      keywords: k.keywords,
      audience: k.audience,
      sourceSection: k.sourceSection,
    };
    if (k.serviceItem) e.serviceItem = k.serviceItem;
    // the issuing authority answers for what the text assigns to nobody
    const department = k.department || ctx.issuer;
    if (department) e.department = department;
    return e;
  }
}
