/**
 * The question sets `npm run eval` runs: the public ones in ../shared/eval/ and the team's own, each with the
 * knowledge base it is asked against and its split (dev: may be looked at while working; held-out: figures only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { REPO_ROOT } from '../../server/config.js';

export interface EvalQuestion {
  id: string;
  q: string;
  kind: 'answer' | 'out_of_scope' | 'no_answer';
  /** Document sets: strings that must all appear in the text shown. */
  all?: string[];
  any?: string[];
  /** FAQ sets: the 1-based sheet record that answers it. */
  row?: number;
}

export interface KbSpec {
  name: string;
  /** Files and folders ingested (published) into a fresh KB. */
  paths: string[];
}

export interface EvalSet {
  name: string;
  split: 'dev' | 'held-out';
  /** Public sets in ../shared/eval, or the team's own. */
  origin: 'public' | 'team';
  kb: KbSpec;
  questions: EvalQuestion[];
  /** FAQ sets: the sheet whose rows the questions point at. */
  sheet?: string;
  /**
   * False for a dev set that is looked at but not fitted on (the confidence model and the ranking weights): the
   * fifth batch turned out easier than the held-out material, and fitting on it made the model bolder (SPLIT.md).
   */
  fit?: boolean;
}

/** The sets the confidence model and the ranking weights are fitted on: dev sets not marked `fit: false`. */
export function fittedOn(set: EvalSet): boolean {
  return set.split === 'dev' && set.fit !== false;
}

const SHARED = path.resolve(REPO_ROOT, '../shared');
const EVAL = path.join(SHARED, 'eval');
const TEAM = path.join(REPO_ROOT, 'test/fixtures/eval');
const SEEDS = path.join(SHARED, 'seeds');
const FAQ = path.join(EVAL, 'external-faq/faq.csv');

export function readJsonl(file: string): EvalQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as EvalQuestion;
      } catch {
        throw new Error(`${path.basename(file)} 第 ${i + 1} 行不是有效的 JSON`);
      }
    });
}

/** `ROW<TAB>question` lines; `-` marks a question no row answers. */
export function readParaphrases(file: string): EvalQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      const [row, q] = l.split('\t');
      const id = `${path.basename(file, '.tsv')}-${i + 1}`;
      return row.trim() === '-' ? { id, q: q.trim(), kind: 'no_answer' as const } : { id, q: q.trim(), kind: 'answer' as const, row: Number(row) };
    });
}

/** The sheet's data records (header excluded), as a CSV reader returns them. */
export function readSheetRows(file: string): Array<{ question: string; answer: string; department: string }> {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: false, relax_column_count: true });
}

const seedsKb: KbSpec = { name: '五份种子文件', paths: [SEEDS] };

/** Every set whose files exist here, public first. */
export function evalSets(): EvalSet[] {
  const sets: EvalSet[] = [];
  const add = (file: string, set: Omit<EvalSet, 'questions'>, read: (f: string) => EvalQuestion[] = readJsonl) => {
    if (fs.existsSync(file)) sets.push({ ...set, questions: read(file) });
  };
  add(path.join(EVAL, 'questions.jsonl'), { name: 'seeds', split: 'dev', origin: 'public', kb: seedsKb });
  add(path.join(EVAL, 'colloquial-dev.jsonl'), { name: 'colloquial', split: 'dev', origin: 'public', kb: seedsKb });
  add(path.join(EVAL, 'unseen-dev/questions.jsonl'), {
    name: 'unseen', split: 'dev', origin: 'public', kb: { name: '种子 + unseen-dev/docs', paths: [SEEDS, path.join(EVAL, 'unseen-dev/docs')] },
  });
  add(path.join(EVAL, 'external-faq/paraphrases.tsv'), { name: 'faq', split: 'dev', origin: 'public', kb: { name: 'faq.csv', paths: [FAQ] }, sheet: FAQ }, readParaphrases);

  // The team's own material: the earlier hold-out set (tuned on before, so dev now) and the split sets.
  add(path.join(TEAM, 'holdout.jsonl'), { name: 'team-seeds', split: 'dev', origin: 'team', kb: seedsKb });
  const docsKb: KbSpec = { name: '种子 + docs-heldout', paths: [SEEDS, path.join(TEAM, 'docs-heldout')] };
  for (const split of ['dev', 'heldout'] as const) {
    const s = split === 'dev' ? 'dev' : 'held-out';
    add(path.join(TEAM, `colloquial-${split}.jsonl`), { name: `team-colloquial-${split}`, split: s, origin: 'team', kb: seedsKb });
    add(path.join(TEAM, `docs-${split}.jsonl`), { name: `team-docs-${split}`, split: s, origin: 'team', kb: docsKb });
    add(path.join(TEAM, `faq-${split}.tsv`), { name: `team-faq-${split}`, split: s, origin: 'team', kb: { name: 'faq.csv', paths: [FAQ] }, sheet: FAQ }, readParaphrases);
  }
  // Written after the confidence threshold rule was settled, to check it once on questions nobody had seen (SPLIT.md).
  add(path.join(TEAM, 'colloquial-fresh.jsonl'), { name: 'team-colloquial-fresh', split: 'held-out', origin: 'team', kb: seedsKb });
  add(path.join(TEAM, 'faq-fresh.tsv'), { name: 'team-faq-fresh', split: 'held-out', origin: 'team', kb: { name: 'faq.csv', paths: [FAQ] }, sheet: FAQ }, readParaphrases);
  // A third batch of all three kinds, written 2026-12-02 by people who had not seen the engine (SPLIT.md).
  add(path.join(TEAM, 'colloquial-fresh2.jsonl'), { name: 'team-colloquial-fresh2', split: 'held-out', origin: 'team', kb: seedsKb });
  add(path.join(TEAM, 'docs-fresh.jsonl'), { name: 'team-docs-fresh', split: 'held-out', origin: 'team', kb: docsKb });
  add(path.join(TEAM, 'faq-fresh2.tsv'), { name: 'team-faq-fresh2', split: 'held-out', origin: 'team', kb: { name: 'faq.csv', paths: [FAQ] }, sheet: FAQ }, readParaphrases);
  // A fourth batch, written 2026-12-03 by people who had not seen the engine, for development: more dev points to fit
  // the ranking weights and the confidence model on, and failure kinds not seen before (SPLIT.md).
  add(path.join(TEAM, 'colloquial-dev2.jsonl'), { name: 'team-colloquial-dev2', split: 'dev', origin: 'team', kb: seedsKb });
  add(path.join(TEAM, 'docs-dev2.jsonl'), { name: 'team-docs-dev2', split: 'dev', origin: 'team', kb: docsKb });
  add(path.join(TEAM, 'faq-dev2.tsv'), { name: 'team-faq-dev2', split: 'dev', origin: 'team', kb: { name: 'faq.csv', paths: [FAQ] }, sheet: FAQ }, readParaphrases);
  // A fifth batch, written 2026-12-03 the same way: dev questions to look at, not fitted on (SPLIT.md).
  add(path.join(TEAM, 'colloquial-dev3.jsonl'), { name: 'team-colloquial-dev3', split: 'dev', origin: 'team', kb: seedsKb, fit: false });
  add(path.join(TEAM, 'faq-dev3.tsv'), { name: 'team-faq-dev3', split: 'dev', origin: 'team', kb: { name: 'faq.csv', paths: [FAQ] }, sheet: FAQ, fit: false }, readParaphrases);
  return sets;
}
