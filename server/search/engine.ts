import path from 'node:path';
import type { KnowledgeBase } from '../kb/index.js';
import type { Entry } from '../kb/entries.js';
import type { Audience, CategoryCode } from '../../ingest/types.js';
import type { Level } from '../kb/categories.js';
import type { Embedder } from './embedder.js';
import { Tokenizer } from './tokenizer.js';
import { Synonyms } from './synonyms.js';
import { FtsIndex } from './fts-index.js';
import { VectorIndex } from './vector-index.js';
import { Corpus, compact, charBigrams, type CorpusEntry } from './corpus.js';
import { normalizeText } from './normalize.js';

export interface SearchFilters {
  category?: CategoryCode;
  /** An enterprise asking also sees entries for all; an individual likewise. */
  audience?: Audience;
  region?: string;
  level?: Level;
}

/** A term of the query with its weight (IDF) and the strings that count as finding it. */
export interface QueryConcept {
  text: string;
  weight: number;
  /** Full-credit forms: the word itself, or every member of its synonym group. */
  forms: string[];
  /** Partial-credit forms: sub-words of a long word. */
  parts: string[];
  /** Found nowhere in the knowledge base. */
  unknown: boolean;
}

export interface Candidate {
  entryId: number;
  question: string;
  /** Normalised answer text (for telling duplicates of one fact apart from different facts). */
  answerText: string;
  category: CategoryCode;
  /** bm25 rank position in the lexical list (1-based), null when not retrieved lexically. */
  lexicalRank: number | null;
  /** bm25 score as FTS5 reports it (lower is better), null when not retrieved lexically. */
  bm25: number | null;
  /** bm25 relative to the best lexical match of this query (1 for the best, 0 when not retrieved lexically). */
  lexical: number;
  vectorRank: number | null;
  /** Cosine similarity of query and entry embeddings. */
  cosine: number;
  /** Share of the query's weighted terms found in the entry's questions and keywords. */
  questionCoverage: number;
  /** Share found anywhere in the entry (questions, keywords, answer). */
  coverage: number;
  /** Best character-bigram overlap (Dice) of the query with the question or a similar question. */
  questionSimilarity: number;
  /** Reciprocal-rank fusion of the lexical and vector lists. */
  rrf: number;
  /**
   * Share of the entry question's own weighted words that the query does not mention (computed for the top few):
   * high for both of two close candidates means the query is underspecified (企业开办 vs 企业注销 材料).
   */
  unmatched: number;
  /** The fused score the decision uses, 0..1. */
  score: number;
}

export interface SearchResult {
  normalized: string;
  concepts: QueryConcept[];
  /** Share of the query's weight in terms the knowledge base never mentions. */
  unknownShare: number;
  candidates: Candidate[];
}

export interface EngineStatus {
  entries: number;
  kbVersion: number;
  embedder: { id: string; kind: string; dimensions: number };
  tokenizer: string;
  synonyms: number;
  lastSyncMs: number;
}

const RRF_K = 60;
const CANDIDATES = 30;

/** Weights of the fused score; see README “答案判定” for how they and the thresholds were set. */
export const SCORE_WEIGHTS = { coverage: 0.3, questionCoverage: 0.25, cosine: 0.15, questionSimilarity: 0.2, lexical: 0.1 };

function dice(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const counts = new Map<string, number>();
  for (const g of a) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of b) {
    const n = counts.get(g);
    if (n) {
      common++;
      counts.set(g, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

function cosineOf(a: Float32Array, b: Float32Array | null): number {
  if (!b) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Hybrid retrieval over the published entries: jieba + FTS5 bm25 with field weights and synonym expansion,
 * embeddings in HNSW, fused and re-scored with coverage and similarity features. Its indexes are derived from
 * the KB and kept in step with it by sync().
 */
export class SearchEngine {
  readonly corpus: Corpus;
  private readonly fts: FtsIndex;
  private readonly vectors: VectorIndex;
  private syncedVersion = -1;
  private syncing: Promise<void> | null = null;
  private lastSyncMs = 0;

  constructor(
    private readonly kb: KnowledgeBase,
    readonly embedder: Embedder,
    private tokenizer: Tokenizer,
    private synonyms: Synonyms,
    indexDir: string,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {
    this.corpus = new Corpus(tokenizer);
    this.fts = new FtsIndex(path.join(indexDir, 'fts.db'));
    this.vectors = new VectorIndex(indexDir, embedder.id, embedder.dimensions);
  }

  /** Loads the saved indexes (rebuilding what disagrees with the KB, embedder or dictionary) and syncs. */
  async open(): Promise<void> {
    if (!this.vectors.load()) this.vectors.reset();
    if (this.fts.stamp().tokenizer !== this.tokenizer.id) this.fts.clear();
    await this.sync();
  }

  private lexiconVersion = -1;
  private lexiconLoader: (() => { tokenizer: Tokenizer; synonyms: Synonyms }) | null = null;

  /**
   * Where to reload the dictionary and synonyms from when another process changed them (the KB's lexicon
   * version moved): every server process then follows an edit made through any one of them.
   */
  followLexicon(loader: () => { tokenizer: Tokenizer; synonyms: Synonyms }): void {
    this.lexiconLoader = loader;
    this.lexiconVersion = this.kb.lexiconVersion();
  }

  /** Replaces the dictionary and/or synonyms; a new dictionary re-tokenises everything. */
  async reconfigure(tokenizer: Tokenizer | null, synonyms: Synonyms | null): Promise<void> {
    this.lexiconVersion = this.kb.lexiconVersion();
    if (synonyms) this.synonyms = synonyms;
    if (tokenizer && tokenizer.id !== this.tokenizer.id) {
      this.tokenizer = tokenizer;
      (this as { corpus: Corpus }).corpus = new Corpus(tokenizer);
      this.fts.clear();
      this.syncedVersion = -1;
    }
    await this.sync();
  }

  /** Brings the indexes up to date with the KB: only entries whose version changed are re-indexed. */
  sync(): Promise<void> {
    if (this.kb.version() === this.syncedVersion) return Promise.resolve();
    if (!this.syncing) {
      this.syncing = this.doSync().finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing.then(() => (this.kb.version() !== this.syncedVersion ? this.sync() : undefined));
  }

  private async doSync(): Promise<void> {
    const started = performance.now();
    const lexicon = this.kb.lexiconVersion();
    if (this.lexiconLoader && lexicon !== this.lexiconVersion) {
      this.lexiconVersion = lexicon;
      const { tokenizer, synonyms } = this.lexiconLoader();
      this.synonyms = synonyms;
      if (tokenizer.id !== this.tokenizer.id) {
        this.tokenizer = tokenizer;
        (this as { corpus: Corpus }).corpus = new Corpus(tokenizer);
        if (this.fts.stamp().tokenizer !== tokenizer.id) this.fts.clear(); // another process may have re-indexed already
      }
    }
    const kbVersion = this.kb.version();
    const published = this.kb.db.prepare(`SELECT id, version FROM entries WHERE status = 'published'`).all() as Array<{ id: number; version: number }>;
    const wanted = new Map(published.map((r) => [r.id, r.version]));
    const ftsVersions = this.fts.indexedVersions();
    const stale = (have: Map<number, number> | { get(id: number): number | undefined }, id: number, v: number) => have.get(id) !== v;

    const needCorpus: number[] = [];
    const needFts: number[] = [];
    const needVec: number[] = [];
    for (const [id, v] of wanted) {
      if (this.corpus.entries.get(id)?.version !== v) needCorpus.push(id);
      if (stale(ftsVersions, id, v)) needFts.push(id);
      if (stale(this.vectors.versions, id, v)) needVec.push(id);
    }
    const load = new Map<number, Entry>();
    const getEntry = (id: number) => {
      let e = load.get(id);
      if (!e) {
        e = this.kb.entries.get(id)!;
        load.set(id, e);
      }
      return e;
    };

    for (const id of [...this.corpus.entries.keys()]) if (!wanted.has(id)) this.corpus.remove(id);
    const docContext = new Map(this.kb.documents.list('policy').map((d) => [d.id, `${d.title} ${d.issuer ?? ''}`]));
    for (const id of needCorpus) {
      const e = getEntry(id);
      this.corpus.upsert(this.corpus.build(e, e.documentId ? docContext.get(e.documentId) ?? '' : ''));
    }

    const ftsDeletes = [...ftsVersions.keys()].filter((id) => !wanted.has(id));
    const docs = needFts.map((id) => {
      const e = getEntry(id);
      const words = (s: string) => this.tokenizer.words(s).join(' ');
      return {
        id, version: e.version, question: words(e.question), similar: words(e.similarQuestions.join(' ')),
        keywords: words(e.keywords.join(' ')), answer: words(e.answer),
        grams: this.tokenizer.bigrams(`${e.question} ${e.similarQuestions.join(' ')}`).join(' '),
      };
    });
    this.fts.apply(docs, ftsDeletes, { tokenizer: this.tokenizer.id, kbVersion: String(kbVersion) });

    for (const id of [...this.vectors.versions.keys()]) if (!wanted.has(id)) this.vectors.remove(id);
    const BATCH = 64;
    for (let i = 0; i < needVec.length; i += BATCH) {
      const batch = needVec.slice(i, i + BATCH).map(getEntry);
      const vecs = await this.embedder.embedPassages(batch.map(passageText));
      batch.forEach((e, j) => this.vectors.upsert(e.id, e.version, vecs[j]));
    }
    this.syncedVersion = kbVersion;
    this.scheduleSave();
    this.lastSyncMs = performance.now() - started;
  }

  /** Discards the derived indexes and builds them again from the KB. */
  async rebuild(): Promise<void> {
    this.fts.clear();
    this.vectors.reset();
    (this as { corpus: Corpus }).corpus = new Corpus(this.tokenizer);
    this.syncedVersion = -1;
    await this.sync();
  }

  status(): EngineStatus {
    return {
      entries: this.corpus.size,
      kbVersion: this.syncedVersion,
      embedder: { id: this.embedder.id, kind: this.embedder.kind, dimensions: this.embedder.dimensions },
      tokenizer: this.tokenizer.id,
      synonyms: this.synonyms.size,
      lastSyncMs: Math.round(this.lastSyncMs),
    };
  }

  /** The query's weighted concepts: synonym groups first (longest match), then the remaining words. */
  concepts(normalized: string): QueryConcept[] {
    const concepts: QueryConcept[] = [];
    let rest = normalized;
    for (const m of this.synonyms.match(normalized, this.tokenizer.wordBoundaries(normalized))) {
      const forms = m.members;
      const weight = Math.max(...forms.map((f) => this.corpus.idf(f)));
      concepts.push({ text: m.found, weight, forms, parts: [], unknown: forms.every((f) => this.corpus.docFreq(f) === 0) });
      rest = rest.replace(m.found, ' ');
    }
    const seen = new Set(concepts.map((c) => c.text));
    for (const w of this.tokenizer.cut(rest)) {
      if (seen.has(w) || (w.length === 1 && !/\d/.test(w) && this.corpus.docFreq(w) > this.corpus.size * 0.05)) continue;
      seen.add(w);
      const parts = w.length >= 3 ? this.tokenizer.words(w).filter((p) => p !== w && p.length >= 2) : [];
      const unknown = this.corpus.docFreq(w) === 0 && parts.every((p) => this.corpus.docFreq(p) === 0);
      // A verb or everyday word the KB never uses (设在, 目前) does not make the question off-topic, but it still
      // counts as not covered: an answer that ignores it is less likely to be the one asked for.
      const generic = unknown && this.tokenizer.isGenericWord(w);
      concepts.push({ text: w, weight: this.corpus.idf(w), forms: [w], parts, unknown: unknown && !generic });
    }
    return concepts;
  }

  /**
   * bm25 ranks every row matching any term, so the cost of the lexical query grows with the rows its terms match.
   * First the rarest terms, as many as fit a budget of matching rows (item and place names); only when they find
   * too little, the wider set (each term in ≤ 8% of entries, at most 10; the common ones only when nothing else
   * is left). The vector search and the re-scoring still see every word of the question.
   */
  private lexicalSearch(terms: string[]): Array<{ id: number; rank: number }> {
    const withDf = [...new Set(terms)].map((t) => ({ t, df: this.corpus.docFreq(t) })).filter((x) => x.df > 0).sort((a, b) => a.df - b.df);
    if (!withDf.length) return [];
    const n = this.corpus.size;
    const budget = Math.max(60, n * 0.05);
    const rare: string[] = [];
    let rows = 0;
    for (const x of withDf) {
      if (rare.length && rows + x.df > budget) break;
      rare.push(x.t);
      rows += x.df;
    }
    const hits = this.fts.search(rare, CANDIDATES * 2);
    if (hits.length >= 20 || rare.length === withDf.length) return hits;
    const wider = withDf.filter((x) => x.df <= Math.max(50, n * 0.08));
    return this.fts.search((wider.length ? wider : withDf.slice(0, 3)).slice(0, 10).map((x) => x.t), CANDIDATES * 2);
  }

  /** IDF-weighted share of a question's words (and their synonyms) absent from the query text. */
  private unmatchedShare(question: string, queryText: string): number {
    let total = 0;
    let missing = 0;
    for (const w of this.tokenizer.cut(question)) {
      if (w.length < 2 && !/\d/.test(w)) continue;
      const weight = this.corpus.idf(w);
      total += weight;
      const forms = [w, ...this.synonyms.match(w).flatMap((m) => m.members)];
      if (!forms.some((f) => queryText.includes(f))) missing += weight;
    }
    return total ? missing / total : 0;
  }

  private passes(e: CorpusEntry, f: SearchFilters, today: string): boolean {
    if (e.expiresAt && e.expiresAt < today) return false; // past its expiry date: stops answering
    if (f.category && e.category !== f.category) return false;
    if (f.level && e.level !== f.level) return false;
    if (f.region && e.region !== f.region && e.level !== 'city') return false; // city-wide entries apply everywhere
    if (f.audience && f.audience !== 'all' && e.audience !== 'all' && e.audience !== f.audience) return false;
    return true;
  }

  async search(question: string, filters: SearchFilters = {}, limit = 10): Promise<SearchResult> {
    await this.sync();
    const normalized = normalizeText(question);
    const concepts = this.concepts(normalized);
    const totalWeight = concepts.reduce((s, c) => s + c.weight, 0) || 1;
    const unknownShare = concepts.filter((c) => c.unknown).reduce((s, c) => s + c.weight, 0) / totalWeight;
    const today = this.today();
    const accept = (id: number) => {
      const e = this.corpus.entries.get(id);
      return Boolean(e && this.passes(e, filters, today));
    };

    // Lexical: OR of every form and part, plus bigrams of words the KB does not know as words.
    const terms: string[] = [];
    for (const c of concepts) {
      for (const f of [...c.forms, ...c.parts]) terms.push(...this.tokenizer.words(f));
      if (this.corpus.docFreq(c.text) === 0 || c.unknown) terms.push(...this.tokenizer.bigrams(c.text));
    }
    const lexicalHits = this.lexicalSearch(terms);
    const lexical = lexicalHits.filter((h) => accept(h.id)).slice(0, CANDIDATES);
    // When the lexical list was cut off, an entry missing from it may still match: it ranks at most as well as
    // the last one kept, not 0 (bm25 is nearly flat across hundreds of entries sharing an item name).
    const lexicalCutOff = lexicalHits.length >= CANDIDATES * 2 || lexical.length === CANDIDATES;
    const qvec = await this.embedder.embedQuery(question);
    // Without filters, hnswlib searches faster without a JS callback per visited node: over-fetch, then drop the
    // few entries past their expiry date.
    const filtered = Boolean(filters.category || filters.level || filters.region || (filters.audience && filters.audience !== 'all'));
    const vector = filtered ? this.vectors.search(qvec, CANDIDATES, accept) : this.vectors.search(qvec, CANDIDATES + 10).filter((h) => accept(h.id)).slice(0, CANDIDATES);

    const pool = new Map<number, Candidate>();
    const qGrams = charBigrams(compact(question));
    const get = (id: number): Candidate | null => {
      let c = pool.get(id);
      if (c) return c;
      const e = this.corpus.entries.get(id);
      if (!e) return null;
      c = {
        entryId: id, question: e.question, answerText: e.answerText, category: e.category, lexicalRank: null, bm25: null, vectorRank: null,
        lexical: 0, cosine: 0, questionCoverage: 0, coverage: 0, questionSimilarity: 0, rrf: 0, score: 0, unmatched: 0,
      };
      pool.set(id, c);
      return c;
    };
    lexical.forEach((h, i) => {
      const c = get(h.id);
      if (!c) return;
      c.lexicalRank = i + 1;
      c.bm25 = h.rank;
      c.rrf += 1 / (RRF_K + i + 1);
    });
    vector.forEach((h, i) => {
      const c = get(h.id);
      if (!c) return;
      c.vectorRank = i + 1;
      c.cosine = h.cosine;
      c.rrf += 1 / (RRF_K + i + 1);
    });

    const bestBm25 = lexical.length ? lexical[0].rank : 0;
    for (const c of pool.values()) {
      const e = this.corpus.entries.get(c.entryId)!;
      c.lexical = c.bm25 !== null && bestBm25 < 0 ? c.bm25 / bestBm25 : lexicalCutOff && bestBm25 < 0 ? lexical[lexical.length - 1].rank / bestBm25 : 0;
      if (c.vectorRank === null) c.cosine = cosineOf(qvec, this.vectors.vector(c.entryId));
      let inQuestion = 0;
      let anywhere = 0;
      for (const k of concepts) {
        const credit = (text: string) => (k.forms.some((f) => text.includes(f)) ? 1 : k.parts.some((p) => text.includes(p)) ? 0.5 : 0);
        // Naming the entry's region or document (普陀区, 市场监管局) counts, a little less than its own words.
        const q = Math.max(credit(e.questionText), credit(e.contextText) * 0.8);
        inQuestion += k.weight * q;
        anywhere += k.weight * Math.max(q, credit(e.answerText));
      }
      c.questionCoverage = inQuestion / totalWeight;
      c.coverage = anywhere / totalWeight;
      const w = SCORE_WEIGHTS;
      c.score = w.coverage * c.coverage + w.questionCoverage * c.questionCoverage + w.cosine * Math.max(0, c.cosine) + w.lexical * c.lexical;
    }
    // Question similarity (the costliest feature) only where it can matter: a candidate whose score without it
    // trails the best by more than its weight cannot overtake the best.
    const bestPartial = Math.max(0, ...[...pool.values()].map((c) => c.score));
    for (const c of pool.values()) {
      if (c.score < bestPartial - SCORE_WEIGHTS.questionSimilarity) continue;
      const e = this.corpus.entries.get(c.entryId)!;
      c.questionSimilarity = Math.max(0, ...e.questions.map((q) => dice(qGrams, charBigrams(q))));
      c.score += SCORE_WEIGHTS.questionSimilarity * c.questionSimilarity;
    }
    const candidates = [...pool.values()].sort((a, b) => b.score - a.score || b.rrf - a.rrf || a.entryId - b.entryId).slice(0, limit);
    const queryText = normalized.replace(/\s+/g, '');
    for (const c of candidates.slice(0, 3)) c.unmatched = this.unmatchedShare(c.question, queryText);
    return { normalized, concepts, unknownShare, candidates };
  }

  private saveTimer: NodeJS.Timeout | null = null;

  /** Writing the HNSW file is costly: batch writes that come in quick succession (a crash only costs a re-sync). */
  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 2000);
    this.saveTimer.unref();
  }

  /** Writes the vector index now (at shutdown and after bulk work). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.syncedVersion >= 0) this.vectors.save(this.syncedVersion);
  }

  close(): void {
    this.flush();
    this.fts.close();
  }
}

/** The text an entry is embedded from: its questions and keywords (answers would dilute the vector). */
export function passageText(e: Entry): string {
  return [e.question, ...e.similarQuestions, e.keywords.join(' ')].join('；');
}
