/**
 * Hand-made search results for testing the decision and the confidence features without a knowledge base: one
 * candidate with every ranking feature at a middling value, changed where a test needs it.
 */
import type { Candidate, SearchResult } from '../../server/search/engine.js';

export function candidate(question: string, over: Partial<Candidate> = {}): Candidate {
  return {
    entryId: 1, passage: false, documentId: null, sections: [], question, answerText: '', category: 'faq', lexicalRank: 1, bm25: -10, lexical: 1,
    vectorRank: 1, bigramRank: null, cosine: 0.4, questionCoverage: 0.5, coverage: 0.6, questionSimilarity: 0.4, rrf: 0.03, unmatched: 0.4, missingKey: 0, grams: 1, chars: 1,
    bigramCoverage: 0.4, conflicts: [], placesLeftOut: [], score: 0.5, ...over,
  };
}

export function searchResult(query: string, candidates: Candidate[], unknownShare = 0): SearchResult {
  return { normalized: query, corrections: [], concepts: [], unknownShare, candidates };
}
