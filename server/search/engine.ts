import path from 'node:path';
import type { KnowledgeBase } from '../kb/index.js';
import type { Audience, CategoryCode } from '../kb/types.js';
import type { Level } from '../kb/categories.js';
import type { Embedder } from './embedder.js';
import { Tokenizer, isGrammarChar } from './tokenizer.js';
import { Synonyms } from './synonyms.js';
import { relatedWords } from './related-words.js';
import { FtsIndex, FTS_LAYOUT } from './fts-index.js';
import { VectorIndex } from './vector-index.js';
import { Corpus, hanChars, type CorpusEntry, type SearchUnit } from './corpus.js';
import { compact, charBigrams, diceOf } from './similarity.js';
import { DEFAULT_RANKING, generalWordFactor, type RankingOptions } from './ranking.js';
import { extractSlots, slotConflicts, placesLeftOut, figureAsked, statesFigure } from './slots.js';
import type { ConfidenceModel } from './confidence.js';
import { PinyinCorrector, type Correction } from './pinyin-corrector.js';
import { normalizeText } from './normalize.js';
import { documentPassages, type Passage } from './passages.js';

/** Source passages get unit ids of their own, above every entry id: base + document id × room + index. */
export const PASSAGE_ID_BASE = 2 ** 30;
const PASSAGES_PER_DOCUMENT = 2 ** 16;
export const isPassageId = (id: number) => id >= PASSAGE_ID_BASE;

/**
 * Found by the word (FTS5) or the vector list, not by characters alone. Only these are answered with confidence: the
 * decision's model was fitted on them, and a unit sharing characters but neither words nor meaning with the question
 * is the baseline's weak signal. The bigram list's finds are offered among 猜你想问.
 */
export const foundByWordsOrMeaning = (c: Pick<Candidate, 'lexicalRank' | 'vectorRank'>): boolean => c.lexicalRank !== null || c.vectorRank !== null;

/** What a person sees of a result unit: an entry, or a passage quoted from its document. */
export interface UnitView {
  unitId: number;
  kind: 'entry' | 'passage';
  /** The entry (null for a passage). */
  entryId: number | null;
  category: CategoryCode;
  question: string;
  answer: string;
  version: number;
  documentId: number | null;
  section: string | null;
}

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
  /** The unit: an entry id, or a source passage's id (see isPassageId). */
  entryId: number;
  passage: boolean;
  documentId: number | null;
  /** Section paths the unit states. */
  sections: string[];
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
  /** Rank in the bigram list (see RankingOptions.bigramList), null when not in it. */
  bigramRank: number | null;
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
  /** IDF-weighted share of the query's character bigrams found in the unit. */
  bigramCoverage: number;
  /**
   * The weight share of the heaviest query concept the knowledge base knows but this unit never mentions (社保卡 in
   * “社保卡丢了怎么补办” against 产权证丢失怎么补办): a unit missing the one specific thing asked about is rarely right.
   */
  missingKey: number;
  /**
   * BM25 of the query's character bigrams over the unit's text (term frequency saturated, length normalised),
   * relative to the best of this query's candidates: the plain baseline's signal, independent of segmentation.
   */
  grams: number;
  /** The same for the query's single Han characters (see FeatureWeights.chars). */
  chars: number;
  /** Slots the query names that this unit contradicts (地区, 年份, 文号): it is then never answered with confidence. */
  conflicts: string[];
  /**
   * Places the query names that this unit leaves out while stating another it names (“长宁区……跟普陀一样吗” against a
   * 普陀区 unit): not a contradiction, so not ranked down, but such a unit answers only half the question.
   */
  placesLeftOut: string[];
  /** The fused score the decision uses, 0..1. */
  score: number;
}

export interface SearchResult {
  normalized: string;
  /** Pinyin typos corrected in the question (设保 → 社保). */
  corrections: Correction[];
  concepts: QueryConcept[];
  /** Share of the query's weight in terms the knowledge base never mentions. */
  unknownShare: number;
  candidates: Candidate[];
}

export interface EngineStatus {
  /** Published entries indexed. */
  entries: number;
  /** Source passages indexed beside them. */
  passages: number;
  kbVersion: number;
  embedder: { id: string; kind: string; dimensions: number };
  tokenizer: string;
  synonyms: number;
  lastSyncMs: number;
}

const RRF_K = 60;

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
  /** The ranking weights' sum: the fused score is divided by it. */
  private readonly weightSum: number;

  constructor(
    private readonly kb: KnowledgeBase,
    readonly embedder: Embedder,
    private tokenizer: Tokenizer,
    private synonyms: Synonyms,
    indexDir: string,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
    readonly ranking: RankingOptions = DEFAULT_RANKING,
  ) {
    this.weightSum = Object.values(ranking.weights).reduce((a, b) => a + b, 0) || 1;
    this.corpus = new Corpus(tokenizer);
    this.fts = new FtsIndex(path.join(indexDir, 'fts.db'));
    this.vectors = new VectorIndex(indexDir, embedder.id, embedder.dimensions);
  }

  /** Loads the saved indexes (rebuilding what disagrees with the KB, embedder or dictionary) and syncs. */
  async open(): Promise<void> {
    if (!this.vectors.load()) this.vectors.reset();
    if (!this.ftsCurrent(this.tokenizer)) this.fts.clear();
    await this.sync();
  }

  /** The full-text index was built with this tokenizer and row layout. */
  private ftsCurrent(tokenizer: Tokenizer): boolean {
    const stamp = this.fts.stamp();
    return stamp.tokenizer === tokenizer.id && stamp.layout === FTS_LAYOUT;
  }

  private lexiconVersion = -1;
  private lexiconLoader: (() => { tokenizer: Tokenizer; synonyms: Synonyms }) | null = null;

  /**
   * Where to reload the dictionary and synonyms from when they changed (the KB's lexicon version moved; the next
   * sync reloads them, a new dictionary re-tokenises everything): every server process then follows an edit made
   * through any one of them, the one that saved it included.
   */
  followLexicon(loader: () => { tokenizer: Tokenizer; synonyms: Synonyms }): void {
    this.lexiconLoader = loader;
    this.lexiconVersion = this.kb.lexiconVersion();
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
        if (!this.ftsCurrent(tokenizer)) this.fts.clear(); // another process may have re-indexed already
      }
    }
    const kbVersion = this.kb.version();
    const published = this.kb.entries.publishedVersions();
    const wanted = new Map(published.map((r) => [r.id, r.version]));
    this.passages = this.passageUnits();
    for (const [id, p] of this.passages) wanted.set(id, p.version);
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
    const load = new Map<number, SearchUnit>();
    const getEntry = (id: number): SearchUnit => {
      let e = load.get(id);
      if (!e) {
        e = isPassageId(id) ? this.passages.get(id)! : this.kb.entries.get(id)!;
        load.set(id, e);
      }
      return e;
    };

    for (const id of [...this.corpus.entries.keys()]) if (!wanted.has(id)) this.corpus.remove(id);
    // What a question may name of an entry's document: its title, issuer, 文号 and year (slots and coverage read it).
    const docContext = new Map(
      this.kb.documents.list('policy').map((d) => [d.id, `${d.title} ${d.issuer ?? ''} ${d.docNumber ?? ''} ${d.issueDate ? `${d.issueDate.slice(0, 4)}年` : ''}`]),
    );
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
        textGrams: this.tokenizer.bigrams(`${e.question} ${e.similarQuestions.join(' ')} ${e.keywords.join(' ')} ${e.answer}`).join(' '),
      };
    });
    this.fts.apply(docs, ftsDeletes, { tokenizer: this.tokenizer.id, layout: FTS_LAYOUT, kbVersion: String(kbVersion) });

    for (const id of [...this.vectors.versions.keys()]) if (!wanted.has(id)) this.vectors.remove(id);
    const BATCH = 64;
    for (let i = 0; i < needVec.length; i += BATCH) {
      const batch = needVec.slice(i, i + BATCH).map(getEntry);
      const vecs = await this.embedder.embedPassages(batch.map(passageText));
      batch.forEach((e, j) => this.vectors.upsert(e.id, e.version, vecs[j]));
    }
    // Typos are corrected against the words the KB uses now: built once per corpus, then kept in step word by word.
    if (this.correctorCorpus !== this.corpus) {
      this.corrector = PinyinCorrector.fromVocabulary(this.corpus.vocabulary(), this.corrector);
      this.corpus.takeChangedWords();
      this.correctorCorpus = this.corpus;
    } else {
      for (const [word, df] of this.corpus.takeChangedWords()) this.corrector.set(word, df);
    }
    // The related-word table (1 MB) is read now, not on the first question with a word the KB lacks (80 ms then).
    if (this.ranking.relatedWords) relatedWords();
    this.syncedVersion = kbVersion;
    this.scheduleSave();
    this.lastSyncMs = performance.now() - started;
  }

  private corrector = new PinyinCorrector();
  private correctorCorpus: Corpus | null = null;

  /** The decision's confidence model for this engine's embedder (null: fixed thresholds). */
  confidence: ConfidenceModel | null = null;

  private passages = new Map<number, SearchUnit>();
  private readonly passageCache = new Map<number, { version: number; passages: Passage[] }>();

  /**
   * The source passages of every policy document with published entries. The questions of entries generated from
   * a passage's sections lift it (they are its similar questions); its version changes with any of that.
   */
  private passageUnits(): Map<number, SearchUnit> {
    const rows = this.kb.entries.publishedSectionQuestions();
    const lifted = new Map<number, Map<string, string[]>>();
    for (const r of rows) {
      const bySection = lifted.get(r.doc) ?? new Map<string, string[]>();
      lifted.set(r.doc, bySection);
      const key = r.section ?? '';
      const list = bySection.get(key);
      if (list) list.push(r.question);
      else bySection.set(key, [r.question]);
    }
    const units = new Map<number, SearchUnit>();
    for (const doc of this.kb.documents.list('policy')) {
      const bySection = lifted.get(doc.id);
      if (!bySection) continue; // nothing of it is published
      let cached = this.passageCache.get(doc.id);
      if (!cached || cached.version !== doc.version) {
        cached = { version: doc.version, passages: documentPassages(this.kb.documents.outline(doc.id)) };
        this.passageCache.set(doc.id, cached);
      }
      cached.passages.slice(0, PASSAGES_PER_DOCUMENT).forEach((p, i) => {
        const similar = [...new Set(p.sections.filter((s) => s !== '').flatMap((s) => bySection.get(s) ?? []))].slice(0, 12);
        const question = `《${doc.title}》${p.section ? ` ${p.section}${p.heading}` : ''}`;
        const id = PASSAGE_ID_BASE + doc.id * PASSAGES_PER_DOCUMENT + i;
        units.set(id, {
          id, version: versionOf(`${question}\u0001${similar.join('\u0001')}\u0001${p.text}`), category: 'policy', audience: 'all',
          region: doc.region, level: doc.level, expiresAt: doc.expiryDate, question, similarQuestions: similar, keywords: [],
          answer: p.text, documentId: doc.id, sourceSection: p.section, sections: p.sections,
        });
      });
    }
    return units;
  }

  /** A published unit as a person sees it; null when it is not (or no longer) live. */
  unitView(id: number): UnitView | null {
    if (isPassageId(id)) {
      const p = this.passages.get(id);
      if (!p) return null;
      return { unitId: id, kind: 'passage', entryId: null, category: p.category, question: p.question, answer: p.answer, version: p.version, documentId: p.documentId, section: p.sourceSection };
    }
    const e = this.kb.entries.get(id);
    if (!e || e.status !== 'published') return null;
    return { unitId: id, kind: 'entry', entryId: id, category: e.category, question: e.question, answer: e.answer, version: e.version, documentId: e.documentId, section: e.sourceSection };
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
      entries: this.corpus.size - this.passages.size,
      passages: this.passages.size,
      kbVersion: this.syncedVersion,
      embedder: { id: this.embedder.id, kind: this.embedder.kind, dimensions: this.embedder.dimensions },
      tokenizer: this.tokenizer.id,
      synonyms: this.synonyms.size,
      lastSyncMs: Math.round(this.lastSyncMs),
    };
  }

  /**
   * An unknown piece the segmenter cut out of KB words (常务会过 → 常务 / 会过, the KB says 常务会; 想补一个 → 想补):
   * each of its characters lies in a KB word overlapping it in the question, or is typed as grammar, or — when the
   * piece has a grammar character — is a KB word on its own (补). A piece that is a word of general Chinese itself
   * (过山车) is not taken apart. Not a word the KB lacks, and no reason to doubt the question.
   */
  private segmentationArtefact(w: string, question: string): boolean {
    const at = question.indexOf(w);
    if (at < 0 || w.length < 2) return false;
    const covered = new Array<boolean>(w.length).fill(false);
    for (let len = 2; len <= 4; len++) {
      for (let i = Math.max(0, at - len + 1); i < at + w.length && i + len <= question.length; i++) {
        if (i === at && len === w.length) continue; // the piece itself
        if (this.corpus.wordFreq(question.slice(i, i + len)) === 0) continue;
        for (let j = Math.max(i, at); j < Math.min(i + len, at + w.length); j++) covered[j - at] = true;
      }
    }
    const glued = [...w].some(isGrammarChar) && this.tokenizer.generalIdf(w) === null;
    return covered.every((c, j) => c || isGrammarChar(w[j]) || (glued && this.corpus.wordFreq(w[j]) > 0));
  }

  /** The query's weighted concepts: synonym groups first (longest match), then the remaining words. */
  concepts(normalized: string): QueryConcept[] {
    const concepts: QueryConcept[] = [];
    const general = (w: string) => generalWordFactor(this.tokenizer.generalIdf(w), this.ranking.generalWords);
    let rest = normalized;
    for (const m of this.synonyms.match(normalized, this.tokenizer.wordBoundaries(normalized))) {
      const forms = m.members;
      const weight = Math.max(...forms.map((f) => this.corpus.idf(f))) * general(m.found);
      concepts.push({ text: m.found, weight, forms, parts: [], unknown: forms.every((f) => this.corpus.docFreq(f) === 0) });
      rest = rest.replace(m.found, ' ');
    }
    const seen = new Set(concepts.map((c) => c.text));
    for (const w of this.tokenizer.cut(rest)) {
      if (seen.has(w) || (w.length === 1 && !/\d/.test(w) && this.corpus.docFreq(w) > this.corpus.size * 0.05)) continue;
      if (/^[a-z]$/.test(w)) continue; // a stray Latin letter is a typing slip, not a subject
      seen.add(w);
      const parts = w.length >= 3 ? this.tokenizer.words(w).filter((p) => p !== w && p.length >= 2) : [];
      const unknown = this.corpus.docFreq(w) === 0 && parts.every((p) => this.corpus.docFreq(p) === 0);
      // A verb or everyday word the KB never uses (设在, 目前), or a piece the segmenter cut out of KB words, does not
      // make the question off-topic, but it still counts as not covered: an answer that ignores it is less likely
      // to be the one asked for.
      const generic = unknown && (this.tokenizer.isGenericWord(w) || this.segmentationArtefact(w, normalized));
      // A word the KB never uses may share a dictionary sense with one it does (热射病 / 中暑): that one is found too,
      // weighed like a synonym group (the rarest form's IDF).
      const related = unknown && this.ranking.relatedWords ? (relatedWords().get(w) ?? []).filter((r) => this.corpus.docFreq(r) > 0) : [];
      const forms = [w, ...related];
      const weight = Math.max(...forms.map((f) => this.corpus.idf(f))) * general(w);
      concepts.push({ text: w, weight, forms, parts, unknown: unknown && !generic && !related.length });
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
    const hits = this.fts.search(rare, this.ranking.candidates * 2);
    if (hits.length >= 20 || rare.length === withDf.length) return hits;
    const wider = withDf.filter((x) => x.df <= Math.max(50, n * 0.08));
    return this.fts.search((wider.length ? wider : withDf.slice(0, 3)).slice(0, 10).map((x) => x.t), this.ranking.candidates * 2);
  }

  /**
   * The units best matching some of these bigrams (see search), over-fetched for the filters. Bigrams in more than
   * 200 units (2% of a large KB) are left out: they cost the most rows and weigh least (at 10k entries, a cap of 10%
   * doubled the in-process p50, 2.7 → 5.0 ms; on the eval KBs, of up to 2,100 units, the eval figures are the same).
   */
  private bigramSearch(grams: string[]): Array<{ id: number; rank: number }> {
    const cap = Math.max(200, this.corpus.size * 0.02);
    const usable = [...new Set(grams)].filter((g) => {
      const df = this.corpus.docFreq(g.length === 2 ? `#${g}` : g);
      return df > 0 && df <= cap;
    });
    return this.fts.searchGrams(usable, this.ranking.candidates + 10);
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
    return true;
  }

  /**
   * Audience, region and level are preferences: a unit meant for another audience, district or level still answers,
   * ranked after the ones meant for the asker.
   */
  private preferred(e: CorpusEntry, f: SearchFilters): boolean {
    if (f.level && e.level !== f.level) return false;
    if (f.region && e.region !== f.region && e.level !== 'city') return false; // city-wide entries apply everywhere
    if (f.audience && f.audience !== 'all' && e.audience !== 'all' && e.audience !== f.audience) return false;
    return true;
  }

  async search(typed: string, filters: SearchFilters = {}, limit = 10): Promise<SearchResult> {
    await this.sync();
    const o = this.ranking;
    const CANDIDATES = o.candidates;
    // Pinyin-input typos (设保 → 社保) are corrected first: everything below sees the corrected question.
    const { text: normalized, corrections } = this.corrector.correct(normalizeText(typed), (run) => this.tokenizer.wordBoundaries(run));
    const question = corrections.length ? normalized : typed;
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
    // hnswlib searches faster without a JS callback per visited node: over-fetch, then drop the few entries past
    // their expiry date (or of another category, when the integrator asked for one).
    const vector = filters.category
      ? this.vectors.search(qvec, CANDIDATES, accept)
      : this.vectors.search(qvec, CANDIDATES + 10).filter((h) => accept(h.id)).slice(0, CANDIDATES);

    const queryCompact = compact(question);
    const qGrams = charBigrams(queryCompact);
    // The lexicons' bridge counts for the bigram BM25 too (not for bigram coverage, the share of the question's own
    // characters): a unit in the official words (生育津贴) shares no character with the colloquial question (产假工资).
    const bridged = new Set<string>();
    for (const k of concepts) {
      for (const f of k.forms) {
        if (f === k.text || queryCompact.includes(f)) continue;
        for (const g of charBigrams(f)) if (!qGrams.includes(g)) bridged.add(g);
      }
    }
    // Bigrams: the plain baseline's way in, by characters alone, over each unit's whole text (answers included),
    // so a unit that segmentation and the vector both miss can still be a candidate.
    const gramList = o.bigramList ? this.bigramSearch([...this.tokenizer.bigrams(question), ...bridged]).filter((h) => accept(h.id)).slice(0, CANDIDATES) : [];

    const pool = new Map<number, Candidate>();
    // The query's distinct bigrams with their IDF (bigrams spanning a space or punctuation are not in the KB anyway).
    const gramWeights = [...new Set(qGrams)].map((g) => ({ g, w: this.corpus.idf(`#${g}`) }));
    const gramTotal = gramWeights.reduce((s, x) => s + x.w, 0) || 1;
    const querySlots = extractSlots(question);
    const asked = figureAsked(question);
    const get = (id: number): Candidate | null => {
      let c = pool.get(id);
      if (c) return c;
      const e = this.corpus.entries.get(id);
      if (!e) return null;
      c = {
        entryId: id, passage: e.passage, documentId: e.documentId, sections: e.sections, question: e.question, answerText: e.answerText,
        category: e.category, lexicalRank: null, bm25: null, vectorRank: null, bigramRank: null, lexical: 0, cosine: 0, questionCoverage: 0, coverage: 0,
        questionSimilarity: 0, bigramCoverage: 0, conflicts: [], placesLeftOut: [], rrf: 0, score: 0, unmatched: 0, missingKey: 0, grams: 0, chars: 0,
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

    // It brings candidates but does not vote in the fusion (rrf breaks ties of the fused score the decision reads).
    gramList.forEach((h, i) => {
      const c = get(h.id);
      if (c) c.bigramRank = i + 1;
    });

    const w = o.weights;
    const bestBm25 = lexical.length ? lexical[0].rank : 0;
    for (const c of pool.values()) {
      const e = this.corpus.entries.get(c.entryId)!;
      c.lexical = c.bm25 !== null && bestBm25 < 0 ? c.bm25 / bestBm25 : lexicalCutOff && bestBm25 < 0 ? lexical[lexical.length - 1].rank / bestBm25 : 0;
      if (c.vectorRank === null) c.cosine = cosineOf(qvec, this.vectors.vector(c.entryId));
      let inQuestion = 0;
      let anywhere = 0;
      let missingKey = 0;
      for (const k of concepts) {
        const credit = (text: string) => (k.forms.some((f) => text.includes(f)) ? 1 : k.parts.some((p) => text.includes(p)) ? 0.5 : 0);
        // Naming the entry's region or document (普陀区, 市场监管局) counts, a little less than its own words.
        const q = Math.max(credit(e.questionText), credit(e.contextText) * o.contextCredit);
        inQuestion += k.weight * q;
        const found = Math.max(q, credit(e.answerText));
        anywhere += k.weight * found;
        if (found === 0 && !k.unknown && k.weight > missingKey) missingKey = k.weight;
      }
      c.missingKey = missingKey / totalWeight;
      c.questionCoverage = inQuestion / totalWeight;
      c.coverage = anywhere / totalWeight;
      c.score = w.coverage * c.coverage + w.questionCoverage * c.questionCoverage + w.cosine * Math.max(0, c.cosine) + w.lexical * c.lexical;
    }
    // One pass over each unit's text gives the character features: which query bigrams it holds (coverage), and how
    // often it holds them and the query's single characters, against its length (BM25).
    const gramIdf = new Map(gramWeights.map((x) => [x.g, x.w]));
    for (const g of bridged) gramIdf.set(g, this.corpus.idf(`#${g}`));
    const charIdf = new Map([...hanChars(queryCompact)].map((ch) => [ch, this.corpus.charIdf(ch)]));
    const avgLength = this.corpus.averageLength;
    const queryChars = characterQuery(gramIdf, charIdf, bridged);
    // Relative to the best unit the word or vector list found: a unit found by characters alone does not move the
    // features the decision weighs (see foundByWordsOrMeaning).
    let bestGrams = 0;
    let bestChars = 0;
    for (const c of pool.values()) {
      const match = matchCharacters(queryChars, this.corpus.entries.get(c.entryId)!, avgLength);
      c.bigramCoverage = match.found / gramTotal;
      c.grams = match.bigrams;
      c.chars = match.chars;
      if (foundByWordsOrMeaning(c)) {
        bestGrams = Math.max(bestGrams, c.grams);
        bestChars = Math.max(bestChars, c.chars);
      }
    }
    const relative = (x: number, best: number) => (best > 0 ? Math.min(1, x / best) : 0);
    for (const c of pool.values()) {
      c.grams = relative(c.grams, bestGrams);
      c.chars = relative(c.chars, bestChars);
      c.score += w.bigramCoverage * c.bigramCoverage + w.grams * c.grams + w.chars * c.chars;
    }
    // The costliest feature only where it can matter: a candidate trailing the best by more than its weight cannot
    // overtake it.
    const best = () => Math.max(0, ...[...pool.values()].filter(foundByWordsOrMeaning).map((c) => c.score));
    const similarFrom = best() - w.questionSimilarity;
    for (const c of pool.values()) {
      const e = this.corpus.entries.get(c.entryId)!;
      if (c.score >= similarFrom) {
        c.questionSimilarity = Math.max(0, ...e.questions.map((q) => diceOf(qGrams, charBigrams(q))));
        c.score += w.questionSimilarity * c.questionSimilarity;
      }
      c.score /= this.weightSum; // a fused score of 0..1 whatever the weights add up to
      c.conflicts = slotConflicts(querySlots, e.slots, asked !== null);
      c.placesLeftOut = c.conflicts.includes('地区') ? [] : placesLeftOut(querySlots, e.slots);
      if (asked && !statesFigure(asked, e.answerText, e.slots) && !statesFigure(asked, e.questionText, e.slots)) c.conflicts.push('数字');
      if (c.conflicts.length) c.score *= o.slotPenalty;
      if (!this.preferred(e, filters)) c.score *= o.preferenceFactor;
    }
    const sorted = [...pool.values()].sort((a, b) => b.score - a.score || b.rrf - a.rrf || a.entryId - b.entryId);
    // The first `limit` units, and the first `limit` of those the word or vector list found (what the decision weighs).
    const weighed = new Set(sorted.filter(foundByWordsOrMeaning).slice(0, limit));
    const candidates = sorted.filter((c, i) => i < limit || weighed.has(c));
    const queryText = normalized.replace(/\s+/g, '');
    for (const c of new Set([...candidates.slice(0, 3), ...[...weighed].slice(0, 3)])) c.unmatched = this.unmatchedShare(c.question, queryText);
    return { normalized, corrections, concepts, unknownShare, candidates };
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

/**
 * The text a unit is embedded from: an entry's questions and keywords (answers would dilute the vector); a source
 * passage's heading and text.
 */
export function passageText(e: SearchUnit): string {
  if (e.sections) return [e.question, e.answer].join('；');
  return [e.question, ...e.similarQuestions, e.keywords.join(' ')].join('；');
}

/** The query's bigrams and single characters keyed by their UTF-16 codes, so scanning a unit allocates no strings. */
interface CharacterQuery {
  /** Bigram code → its text, IDF, and whether a lexicon's form of a query word brought it (BM25 only). */
  bigrams: Map<number, { text: string; idf: number; bridged: boolean }>;
  /** Character code → IDF. */
  chars: Map<number, number>;
  /** Per UTF-16 code: 1 a query character, 2 the first of a query bigram (most of a unit's text is neither). */
  flags: Uint8Array;
}

const pairCode = (text: string, i: number) => text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);

function characterQuery(idf: Map<string, number>, charIdf: Map<string, number>, bridged: Set<string>): CharacterQuery {
  // A character outside the BMP is two code units: read one unit at a time, it never matched as a character.
  const chars = new Map([...charIdf].filter(([ch]) => ch.length === 1).map(([ch, w]) => [ch.charCodeAt(0), w]));
  const flags = new Uint8Array(65536);
  for (const code of chars.keys()) flags[code] |= 1;
  for (const g of idf.keys()) flags[g.charCodeAt(0)] |= 2;
  return {
    bigrams: new Map([...idf].map(([g, w]) => [pairCode(g, 0), { text: g, idf: w, bridged: bridged.has(g) }])),
    chars,
    flags,
  };
}

/**
 * The query bigrams (with their IDF) a unit holds: the IDF mass found in its question side, answer or context
 * (region, document), and BM25 (k1 1.2, b 0.75) of their counts in question side and answer. Bridged bigrams come
 * from the lexicons' forms of the query's words, not from its own text: they count for BM25 only. In the same pass,
 * BM25 of the query's single characters.
 */
function matchCharacters(query: CharacterQuery, e: CorpusEntry, avgLength: number): { found: number; bigrams: number; chars: number } {
  const tf = new Map<number, number>();
  const charTf = new Map<number, number>();
  for (const text of [e.questionText, e.answerText]) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      const flag = query.flags[ch];
      if (flag === 0) continue;
      if (flag & 1) charTf.set(ch, (charTf.get(ch) ?? 0) + 1);
      if (flag & 2 && i + 1 < text.length) {
        const g = pairCode(text, i);
        if (query.bigrams.has(g)) tf.set(g, (tf.get(g) ?? 0) + 1);
      }
    }
  }
  const norm = 1.2 * (0.25 + (0.75 * (e.questionText.length + e.answerText.length)) / avgLength);
  const bm25 = (w: number, n: number) => (w * n * 2.2) / (n + norm);
  let found = 0;
  let bigrams = 0;
  for (const [g, { text, idf, bridged }] of query.bigrams) {
    const n = tf.get(g);
    if (n) {
      if (!bridged) found += idf;
      bigrams += bm25(idf, n);
    } else if (!bridged && e.contextText.includes(text)) found += idf;
  }
  let chars = 0;
  for (const [ch, n] of charTf) chars += bm25(query.chars.get(ch)!, n);
  return { found, bigrams, chars };
}

/** A 31-bit content hash: the version stamp of a derived unit (it changes whenever its text does). */
function versionOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 1) || 1;
}
