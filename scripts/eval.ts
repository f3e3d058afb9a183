#!/usr/bin/env node
/**
 * npm run eval -- [--set a,b] [--split dev|held-out] [--verbose] [--calibrate] [--fit-ranking] [FILE.jsonl...]
 *
 * Runs every question set (../shared/eval/ and the team's own in test/fixtures/eval/) the way
 * ../shared/eval/README.md scores them: a fresh KB per set of documents, every question through the answer service,
 * the text the user would see compared after NFKC and whitespace removal — and, in the same run and on the same
 * material, the MiniSearch baseline. Prints one table; held-out sets are reported, never listed question by question.
 * Files named on the command line are asked against the five seeds (dev).
 */
import fs from 'node:fs';
import { decodeHTMLStrict } from 'entities';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs, UsageError } from '../server/cli/args.js';
import { mulberry32 } from '../server/cli/prng.js';
import { createServices, type Services } from '../server/services.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { ingestPaths, collectFiles } from '../ingest/pipeline.js';
import { readSourceFile } from '../ingest/readers/index.js';
import { REPO_ROOT } from '../server/config.js';
import { checkScope } from '../server/search/scope.js';
import { THRESHOLDS, decide, sameFact, weighed } from '../server/search/decide.js';
import { CONFIDENCE_FEATURES, COMPARED_CANDIDATES, breakEvenThreshold, confidenceFeatures, fitLogistic, probability, runnerUp, type ConfidenceModel } from '../server/search/confidence.js';
import type { SearchResult } from '../server/search/engine.js';
import { Baseline, documentPassages } from './eval/baseline.js';
import { printRankingFit, rankingPoints, type RankingPoint } from './eval/fit-ranking.js';
import { DEFAULT_RANKING, FEATURE_NAMES, rankingWith } from '../server/search/ranking.js';
import { evalSets, fittedOn, readJsonl, readSheetRows, type EvalQuestion, type EvalSet, type KbSpec } from './eval/sets.js';

const USAGE = '用法: npm run eval -- [--set 名称,名称] [--split dev|held-out] [--verbose] [--calibrate [--write]] [--ablate] [--fit-ranking] [问题集.jsonl...]';
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** FAQ answers compare after decoding character references as the sheet importer does, and dropping whitespace. */
const answerKey = (s: string) => norm(decodeHTMLStrict(s));

export function matches(text: string, q: EvalQuestion): boolean {
  const t = norm(text);
  return (q.all ?? []).every((s) => t.includes(norm(s))) && (!q.any || q.any.some((s) => t.includes(norm(s))));
}

/** One shown result: the text a user reads, and its FAQ answer key. */
interface Shown {
  text: string;
  answer: string;
}

interface Row {
  q: EvalQuestion;
  outcome: string;
  at1: boolean;
  at3: boolean;
  first: boolean;
  ok: boolean;
  confidentWrong: boolean;
  ms: number;
  shownTop: string;
  baseHit1: boolean;
  baseHit3: boolean;
  baseMs: number;
}

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function buildKb(spec: KbSpec): Promise<{ dir: string; baseline: Baseline }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-eval-'));
  const kb = KnowledgeBase.open(dir);
  const started = Date.now();
  const { results } = await ingestPaths(kb, spec.paths, { publish: true, actor: 'eval' });
  kb.close();
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length) throw new Error(failed.map((r) => r.error).join('\n'));
  process.stderr.write(`知识库“${spec.name}”：${results.length} 个文件，导入 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);

  const baseline = new Baseline();
  for (const file of collectFiles(spec.paths).files) {
    if (/\.(csv)$/i.test(file)) {
      baseline.add(readSheetRows(file).map((r, i) => ({ text: `${r.question}\n${r.answer}`, row: i + 1 })));
      continue;
    }
    const read = await readSourceFile(file);
    if (read.kind === 'document') baseline.add(documentPassages(read.text).map((text) => ({ text })));
    else baseline.add(read.rows.map((r) => ({ text: `${r.question}\n${r.answer}` })));
  }
  return { dir, baseline };
}

/** What the user sees of a result unit (entry or source passage). */
function shown(s: Services, id: number): Shown {
  const unit = s.engine.unitView(id);
  return unit ? { text: `${unit.question}\n${unit.answer}`, answer: unit.answer } : { text: '', answer: '' };
}

/** Whether a unit answers an answerable question: its text holds the keys, or it is the sheet row (or one answering alike). */
function unitIsRight(set: EvalSet, q: EvalQuestion, id: number, s: Services): boolean {
  const v = shown(s, id);
  if (!set.sheet) return matches(v.text, q);
  return q.row !== undefined && answerKey(v.answer) === answerKey(sheetRows(set.sheet)[q.row - 1].answer);
}
const sheets = new Map<string, ReturnType<typeof readSheetRows>>();
function sheetRows(file: string): ReturnType<typeof readSheetRows> {
  if (!sheets.has(file)) sheets.set(file, readSheetRows(file));
  return sheets.get(file)!;
}

async function runSet(set: EvalSet, s: Services, baseline: Baseline): Promise<Row[]> {
  const sheet = set.sheet ? readSheetRows(set.sheet) : null;
  const right = (text: string, answer: string, q: EvalQuestion) =>
    sheet ? q.row !== undefined && answerKey(answer) === answerKey(sheet[q.row - 1].answer) : matches(text, q);
  // Each system timed in a pass of its own, the scoring after both: neither is timed while the other's (or the
  // scoring's) allocations are being collected.
  const answered: Array<{ res: Awaited<ReturnType<Services['answers']['answer']>>; ms: number }> = [];
  for (const q of set.questions) {
    const t0 = performance.now();
    const res = await s.answers.answer({ question: q.q, channel: 'api' });
    answered.push({ res, ms: performance.now() - t0 });
  }
  const searched = set.questions.map((q) => {
    const t0 = performance.now();
    const hits = baseline.search(q.q, 3);
    return { hits, ms: performance.now() - t0 };
  });
  const rows: Row[] = [];
  for (const [i, q] of set.questions.entries()) {
    const { res, ms } = answered[i];
    const { hits: base, ms: baseMs } = searched[i];
    const ids = [...(res.answer ? [res.answer.unitId] : []), ...res.suggestions.map((x) => x.unitId)].slice(0, 3);
    const views = ids.map((id) => shown(s, id));
    const isRight = (v: Shown) => q.kind === 'answer' && right(v.text, v.answer, q);
    const ranked = (await s.engine.search(q.q, {}, 1)).candidates[0];
    const at1 = res.outcome === 'answered' && Boolean(views[0]) && isRight(views[0]);
    const at3 = views.some(isRight);
    const ok = q.kind === 'answer' ? at1 : q.kind === 'out_of_scope' ? res.outcome === 'out_of_scope' : res.outcome === 'no_answer' || res.outcome === 'suggest';
    const baseRight = (p: { text: string; row?: number }) =>
      q.kind === 'answer' && (sheet ? p.row === q.row || (q.row !== undefined && p.row !== undefined && answerKey(sheet[p.row - 1].answer) === answerKey(sheet[q.row - 1].answer)) : matches(p.text, q));
    rows.push({
      q, outcome: res.outcome, at1, at3, ok, ms,
      first: Boolean(ranked) && isRight(shown(s, ranked.entryId)),
      confidentWrong: res.outcome === 'answered' && !at1,
      shownTop: res.answer ? res.answer.question : res.suggestions[0]?.question ?? '',
      baseHit1: Boolean(base[0]) && baseRight(base[0]),
      baseHit3: base.some(baseRight),
      baseMs,
    });
  }
  return rows;
}

/**
 * A running service is warm: before the timed questions, the KB's own first questions go once through the product and
 * the baseline, untimed, so the first timed answers do not pay for compiling the code and loading the lexicons.
 */
async function warmUp(s: Services, baseline: Baseline): Promise<void> {
  for (const e of s.kb.entries.list({ limit: WARM_UP_QUESTIONS }).items) {
    await s.answers.answer({ question: e.question, channel: 'api' });
    baseline.search(e.question, 3);
  }
}
const WARM_UP_QUESTIONS = 30;

interface Summary {
  set: EvalSet;
  rows: Row[];
}

function printTable(summaries: Summary[]): void {
  const f = (n: number, d: number) => (d ? (n / d).toFixed(3) : '  —  ');
  const head = ['题集', '划分', '题数', 'answered@1', '@3', '首位正确', '拒答正确', '自信答错', '产品 p50/p99 ms', '基线 hit@1', '基线 @3', '基线 p50/p99 ms'];
  const lines = [head];
  for (const { set, rows } of summaries) {
    const ans = rows.filter((r) => r.q.kind === 'answer');
    const ref = rows.filter((r) => r.q.kind !== 'answer');
    const count = (xs: Row[], p: (r: Row) => boolean) => xs.filter(p).length;
    lines.push([
      set.name, set.split, String(rows.length),
      f(count(ans, (r) => r.at1), ans.length), f(count(ans, (r) => r.at3), ans.length), f(count(ans, (r) => r.first), ans.length),
      `${count(ref, (r) => r.ok)}/${ref.length}`, String(count(rows, (r) => r.confidentWrong)),
      `${percentile(rows.map((r) => r.ms), 50).toFixed(1)}/${percentile(rows.map((r) => r.ms), 99).toFixed(1)}`,
      f(count(ans, (r) => r.baseHit1), ans.length), f(count(ans, (r) => r.baseHit3), ans.length),
      `${percentile(rows.map((r) => r.baseMs), 50).toFixed(1)}/${percentile(rows.map((r) => r.baseMs), 99).toFixed(1)}`,
    ]);
  }
  console.log(`| ${lines[0].join(' | ')} |`);
  console.log(`|${lines[0].map(() => ' --- ').join('|')}|`);
  for (const l of lines.slice(1)) console.log(`| ${l.join(' | ')} |`);
}

function printMisses(summary: Summary): void {
  const misses = summary.rows.filter((r) => !r.ok || (r.q.kind === 'answer' && !r.at3));
  if (!misses.length) return;
  console.log(`\n${summary.set.name}：未答对 ${misses.length} 题`);
  for (const r of misses) {
    console.log(`  ${r.q.id} [${r.q.kind} → ${r.outcome}${r.q.kind === 'answer' ? `, @3 ${r.at3 ? '✓' : '✗'}, 首位 ${r.first ? '✓' : '✗'}, 基线 ${r.baseHit1 ? '✓' : '✗'}` : ''}${r.confidentWrong ? ', 自信答错' : ''}] ${r.q.q}  →  ${r.shownTop}`);
  }
}

async function main(): Promise<number> {
  const args = parseCliArgs({
    args: process.argv.slice(2),
    options: {
      set: { type: 'string' }, split: { type: 'string' }, verbose: { type: 'boolean' }, calibrate: { type: 'boolean' },
      write: { type: 'boolean' }, ablate: { type: 'boolean' }, 'fit-ranking': { type: 'boolean' }, help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  let sets = evalSets();
  if (args.positionals.length) {
    const seeds = path.resolve(REPO_ROOT, '../shared/seeds');
    sets = args.positionals.map((file) => ({
      name: path.basename(file), split: 'dev', origin: 'team', kb: { name: '五份种子文件', paths: [seeds] }, questions: readJsonl(file),
    }));
  }
  if (args.values.set) {
    const wanted = args.values.set.split(',');
    sets = sets.filter((s) => wanted.includes(s.name));
  }
  if (args.values.split) sets = sets.filter((s) => s.split === args.values.split);
  if (!sets.length) throw new UsageError(`没有可运行的题集。\n${USAGE}`);

  // One fresh KB per distinct set of documents.
  const byKb = new Map<string, EvalSet[]>();
  for (const set of sets) byKb.set(JSON.stringify(set.kb.paths), [...(byKb.get(JSON.stringify(set.kb.paths)) ?? []), set]);
  const summaries: Summary[] = [];
  const points: CalibrationPoint[] = [];
  const ablations: Array<{ variant: string; summary: Summary }> = [];
  const pools: RankingPoint[] = [];
  let embedder = '';
  let embedderKind = '';
  for (const group of byKb.values()) {
    const { dir, baseline } = await buildKb(group[0].kb);
    const s = await createServices({ dataDir: dir, embedderMode: (process.env.KB_EMBEDDER as 'auto') ?? 'auto' });
    embedder = s.engine.status().embedder.id;
    embedderKind = s.engine.embedder.kind;
    try {
      await warmUp(s, baseline);
      for (const set of group) {
        if (args.values.calibrate) points.push(...(await calibrationPoints(s, set)));
        summaries.push({ set, rows: await runSet(set, s, baseline) });
      }
    } finally {
      s.close();
    }
    if (args.values.ablate) {
      // The same KB and indexes, ranked with one knob off at a time.
      for (const v of ABLATIONS) {
        const sv = await createServices({ dataDir: dir, embedderMode: (process.env.KB_EMBEDDER as 'auto') ?? 'auto', ranking: rankingWith(v.change) });
        try {
          for (const set of group) ablations.push({ variant: v.name, summary: { set, rows: await runSet(set, sv, baseline) } });
        } finally {
          sv.close();
        }
      }
    }
    if (args.values['fit-ranking']) pools.push(...(await rankingPoints(dir, group.filter((set) => set.split !== 'dev' || fittedOn(set)), unitIsRight)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n向量模型：${embedder}；产品经答问服务（进程内），基线为 MiniSearch 字/二元组 BM25+（同一进程、同样材料）\n`);
  printTable(summaries);
  if (args.values.ablate) printAblation(summaries, ablations);
  if (args.values['fit-ranking']) printRankingFit(pools, DEFAULT_RANKING.weights);
  if (args.values.calibrate) {
    const model = calibrate(points, embedderKind, [...new Set(points.map((p) => p.set))], Boolean(args.values.verbose));
    if (args.values.write) {
      const file = path.join(REPO_ROOT, 'kb-data', 'calibration.json');
      const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, ConfidenceModel>) : {};
      all[embedderKind] = model;
      fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
      console.log(`已写入 kb-data/calibration.json（${embedderKind}）；再运行一次 npm run eval 查看留出集上的效果`);
    }
  }
  if (args.values.verbose) for (const s of summaries) if (s.set.split === 'dev') printMisses(s);
  return 0;
}

/** Each ranking knob switched off in turn (`--ablate`). */
const ABLATIONS: Array<{ name: string; change: Parameters<typeof rankingWith>[0] }> = [
  ...FEATURE_NAMES.map((f) => ({ name: `无 ${f}`, change: { weights: { [f]: 0 } } })),
  { name: '无 地区/年份/文号/数字一致', change: { slotPenalty: 1 } },
  { name: '无 常用词降权', change: { generalWords: { from: 0, to: 1, floor: 1 } } },
  { name: '无 上下文（地区、文件名）', change: { contextCredit: 0 } },
  { name: '无 相关词（CC-CEDICT）', change: { relatedWords: false } },
  { name: '无 二元组候选列表', change: { bigramList: false } },
];

/** Pooled dev and held-out figures: the full ranking, then each knob off. */
function printAblation(full: Summary[], ablations: Array<{ variant: string; summary: Summary }>): void {
  const pooled = (summaries: Summary[], split: string) => {
    const rows = summaries.filter((x) => x.set.split === split).flatMap((x) => x.rows);
    const ans = rows.filter((r) => r.q.kind === 'answer');
    const f = (p: (r: Row) => boolean) => (ans.length ? (ans.filter(p).length / ans.length).toFixed(3) : '—');
    return [f((r) => r.at1), f((r) => r.at3), f((r) => r.first), String(rows.filter((r) => r.confidentWrong).length)];
  };
  console.log('\n消融（合并各题集；每行关掉一个特征或规则）：');
  console.log('| 变体 | 开发 answered@1 | 开发 @3 | 开发 首位正确 | 开发 自信答错 | 留出 answered@1 | 留出 @3 | 留出 首位正确 | 留出 自信答错 |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const line = (name: string, xs: Summary[]) => console.log(`| ${name} | ${[...pooled(xs, 'dev'), ...pooled(xs, 'held-out')].join(' | ')} |`);
  line('完整', full);
  for (const name of [...new Set(ablations.map((a) => a.variant))]) line(name, ablations.filter((a) => a.variant === name).map((a) => a.summary));
}

interface CalibrationPoint {
  set: string;
  kind: EvalQuestion['kind'];
  result: SearchResult;
  /** Per candidate: is it a right answer to the question. */
  right: boolean[];
}

/** Every in-scope question of a dev set with its search result, to replay the real decide() under other thresholds. */
async function calibrationPoints(s: Services, set: EvalSet): Promise<CalibrationPoint[]> {
  if (!fittedOn(set)) return [];
  const sheet = set.sheet ? readSheetRows(set.sheet) : null;
  const points: CalibrationPoint[] = [];
  for (const q of set.questions) {
    if (checkScope(q.q)) continue;
    const result = await s.engine.search(q.q, {}, COMPARED_CANDIDATES);
    const right = result.candidates.map((c) => {
      const v = shown(s, c.entryId);
      return q.kind === 'answer' && (sheet ? answerKey(v.answer) === answerKey(sheet[q.row! - 1].answer) : matches(v.text, q));
    });
    points.push({ set: set.name, kind: q.kind, result, right });
  }
  return points;
}

/** Cross-validation folds, repeated over differently shuffled splits, and the L2 strengths tried (`--calibrate`). */
const FOLDS = 5;
const REPEATS = 5;

/** A seeded shuffle of 0..n-1: the same folds on every run, different ones per repeat. */
function shuffled(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
const L2_GRID = [0.01, 0.05, 0.2, 0.5, 1];
const THRESHOLD_GRID = Array.from({ length: 27 }, (_, i) => 0.3 + i * 0.025);
/** A confident wrong answer costs this many right ones in the calibration objective. */
const WRONG_COST = 3;

/**
 * Fits the confidence model on the pooled dev points (label: the top candidate is right). The L2 strength and the
 * threshold are chosen on out-of-fold predictions (5 folds): each point is judged by a model fitted without it, as
 * a new question will be — in-sample probabilities are over-sure and would pick too low a threshold. For each
 * threshold the real decide() is replayed and scored as right answers minus three times the confident wrong ones
 * (a wrong answer costs more than a 猜你想问 the citizen has to click), averaged with its two neighbours (a lone
 * peak over a few hundred points is noise), and printed. The L2 strength is the one whose out-of-fold probabilities
 * have the least log-loss: the break-even threshold below trusts the probabilities themselves, and the peak of the
 * objective, used before, jumped between two strengths a fraction of a point apart after a change that moved eight
 * dev questions' probabilities a little (log-loss is smooth, and here it falls steadily with less L2). The threshold written
 * is the break-even one (see `breakEven`), not the peak: the objective is flat over a wide range, and a threshold
 * read off a flat, noisy curve jumped by 0.075 between near-identical dev sets. The model written is then fitted on
 * all dev points.
 */
function calibrate(points: CalibrationPoint[], embedderKind: string, sets: string[], bySet = false): ConfidenceModel {
  const usable = points.filter((p) => weighed(p.result).candidates.length > 0);
  const samples = usable.map((p) => {
    const result = weighed(p.result);
    const [a] = result.candidates;
    return { x: confidenceFeatures(result, runnerUp(result.candidates, (c) => sameFact(a, c))), y: (p.right[p.result.candidates.indexOf(a)] ? 1 : 0) as 0 | 1 };
  });
  const base = { embedder: embedderKind, features: [...CONFIDENCE_FEATURES], threshold: 0.5, fittedOn: `${sets.join('、')}（${usable.length} 题）` };
  const modelFor = (train: typeof samples, l2: number): ConfidenceModel => ({ ...base, ...fitLogistic(train, l2) });
  const replay = (models: ConfidenceModel[], threshold: number) => {
    // Each point's part of the objective: +1 answered right, −3 answered wrong, 0 not answered.
    const parts = usable.map((p, i) => {
      const d = decide(p.result, THRESHOLDS, { ...models[i], threshold });
      if (d.outcome !== 'answered') return 0;
      return p.right[p.result.candidates.indexOf(d.top!)] ? 1 : -WRONG_COST;
    });
    const right = parts.filter((x) => x > 0).length;
    const wrong = parts.filter((x) => x < 0).length;
    return { threshold, right, wrong, objective: right - WRONG_COST * wrong, parts };
  };
  const choose = (grid: Array<ReturnType<typeof replay>>) => {
    const smoothed = (i: number) => {
      const near = grid.slice(Math.max(0, i - 1), i + 2);
      return near.reduce((s, g) => s + g.objective, 0) / near.length;
    };
    return grid.map((g, i) => ({ g, v: smoothed(i) })).sort((x, y) => y.v - x.v || x.g.threshold - y.g.threshold)[0];
  };
  /**
   * The break-even threshold (see breakEvenThreshold) over every repeat's out-of-fold probabilities. It is fitted to
   * all points rather than read off the peak of a flat curve, so it moves less with the data.
   */
  const breakEven = (models: ConfidenceModel[][]) =>
    breakEvenThreshold(
      models.flatMap((foldModels, r) => samples.map((smp, i) => ({ p: probability(foldModels[foldsOf[r][i]], smp.x), right: smp.y === 1 }))),
      WRONG_COST,
    );
  /** Mean out-of-fold log-loss over every repeat: how well the probabilities themselves fit. */
  const logLoss = (models: ConfidenceModel[][]) => {
    let sum = 0;
    models.forEach((foldModels, r) => samples.forEach((smp, i) => {
      const q = Math.min(1 - 1e-9, Math.max(1e-9, probability(foldModels[foldsOf[r][i]], smp.x)));
      sum -= Math.log(smp.y ? q : 1 - q);
    }));
    return sum / (samples.length * models.length);
  };
  const foldsOf = Array.from({ length: REPEATS }, (_, r) => {
    const fold = new Array<number>(usable.length);
    shuffled(usable.length, r + 1).forEach((point, k) => (fold[point] = k % FOLDS));
    return fold;
  });
  const trials = L2_GRID.map((l2) => {
    // Each repeat splits the points into folds differently; a point's part of the objective is its mean over the
    // repeats. One split alone moved the chosen L2 and threshold by as much as the choices differ.
    const models = foldsOf.map((fold) => Array.from({ length: FOLDS }, (_, f) => modelFor(samples.filter((_, i) => fold[i] !== f), l2)));
    const at = (threshold: number) => {
      const repeats = foldsOf.map((fold, r) => replay(usable.map((_, i) => models[r][fold[i]]), threshold));
      const mean = (f: (g: ReturnType<typeof replay>) => number) => repeats.reduce((a, g) => a + f(g), 0) / REPEATS;
      // a point's part of the objective: its mean over the repeats
      const parts = usable.map((_, i) => mean((g) => g.parts[i]));
      return { threshold, right: mean((g) => g.right), wrong: mean((g) => g.wrong), objective: mean((g) => g.objective), parts };
    };
    const grid = THRESHOLD_GRID.map(at);
    return { l2, models, at, grid, best: choose(grid), logLoss: logLoss(models) };
  });
  const chosen = [...trials].sort((x, y) => x.logLoss - y.logLoss || y.l2 - x.l2)[0];
  const even = breakEven(chosen.models);
  const picked = chosen.at(Math.round(even.threshold * 1000) / 1000);
  const model = { ...modelFor(samples, chosen.l2), threshold: picked.threshold };
  console.log(`\n校准：开发集合并 ${usable.length} 题（可答 ${usable.filter((p) => p.kind === 'answer').length}），逻辑回归特征 ${CONFIDENCE_FEATURES.join('、')}`);
  console.log(`  ${FOLDS} 折交叉验证、${REPEATS} 种不同的分折取平均（每题由没见过它的模型判定）：${trials.map((t) => `L2 ${t.l2} → 对数损失 ${t.logLoss.toFixed(4)}、最佳 ${t.best.v.toFixed(1)}`).join('，')}`);
  console.log(`  选用 L2 ${chosen.l2}（折外对数损失最小）；折外概率的 Platt 斜率 ${even.slope.toFixed(2)}（1 为恰好，大于 1 说明折外概率偏向中间）；折外判定：`);
  console.log('  阈值     答对   答错');
  const rows = [...chosen.grid.filter((g) => g.threshold !== picked.threshold), picked].sort((a, b) => a.threshold - b.threshold);
  for (const g of rows) {
    const mark = g === picked ? `  ← 选用（盈亏点：校准后答对概率 ${WRONG_COST}/${WRONG_COST + 1}）` : g === chosen.best.g ? '  ← 目标值最佳' : '';
    console.log(`  ${g.threshold.toFixed(3)}  ${g.right.toFixed(1).padStart(6)}  ${g.wrong.toFixed(1).padStart(5)}${mark}`);
  }
  if (bySet) {
    console.log('  各题集折外答对/答错（--verbose）：');
    for (const g of rows) {
      const by = new Map<string, [number, number]>();
      usable.forEach((p, i) => {
        const v = by.get(p.set) ?? [0, 0];
        // a point's part is its mean over the repeats: a share of +1 (answered right) or of −3 (answered wrong)
        v[0] += Math.max(0, g.parts[i]);
        v[1] += Math.max(0, -g.parts[i]) / WRONG_COST;
        by.set(p.set, v);
      });
      console.log(`  ${g.threshold.toFixed(3)}  ${[...by].map(([k, v]) => `${k} ${v[0].toFixed(1)}/${v[1].toFixed(1)}`).join('  ')}`);
    }
  }
  console.log(`  系数（全部开发集拟合）：${CONFIDENCE_FEATURES.map((f, i) => `${f} ${model.coef[i].toFixed(2)}`).join('，')}；截距 ${model.bias.toFixed(2)}`);
  return model;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? (err.message.includes('用法') ? err.message : `${err.message}\n${USAGE}`) : err instanceof Error ? err.stack : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
