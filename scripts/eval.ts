#!/usr/bin/env node
/**
 * npm run eval -- FILE.jsonl... [--data-dir DIR] [--seeds DIR] [--verbose] [--calibrate]
 * Scores a question set as ../shared/eval/README.md describes: a fresh KB built from the seed documents only
 * (unless --data-dir names an existing one), every question asked through the answer service, the text the user
 * would see (top entry's question + answer) compared after NFKC and whitespace removal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, UsageError } from '../server/cli/args.js';
import { createServices } from '../server/services.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { ingestPaths } from '../ingest/pipeline.js';
import { REPO_ROOT } from '../server/config.js';
import type { AnswerResponse } from '../server/answer/service.js';
import type { Services } from '../server/services.js';
import { checkScope } from '../server/search/scope.js';
import { THRESHOLDS, sameFact } from '../server/search/decide.js';

interface EvalQuestion {
  id: string;
  q: string;
  kind: 'answer' | 'out_of_scope' | 'no_answer';
  all?: string[];
  any?: string[];
}

const USAGE = '用法: npm run eval -- 问题集.jsonl... [--data-dir DIR] [--seeds DIR] [--verbose] [--calibrate]';
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

export function matches(text: string, q: EvalQuestion): boolean {
  const t = norm(text);
  return (q.all ?? []).every((s) => t.includes(norm(s))) && (!q.any || q.any.some((s) => t.includes(norm(s))));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), ['data-dir', 'seeds']);
  if (!args.positionals.length) throw new UsageError(USAGE);
  const questions = args.positionals.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .map((l, i) => {
        try {
          return JSON.parse(l) as EvalQuestion;
        } catch {
          throw new UsageError(`${file} 第 ${i + 1} 行不是有效的 JSON`);
        }
      }),
  );

  let dataDir = args.flags['data-dir'] as string | undefined;
  let temp: string | null = null;
  if (!dataDir) {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-eval-'));
    dataDir = temp;
    const seeds = (args.flags.seeds as string) ?? path.resolve(REPO_ROOT, '../shared/seeds');
    const kb = KnowledgeBase.open(dataDir);
    const { results } = await ingestPaths(kb, [seeds], { publish: true, actor: 'eval' });
    kb.close();
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(failed.map((r) => r.error).join('\n'));
    console.log(`知识库：由 ${seeds} 的 ${results.length} 份文件新建`);
  }

  const s = await createServices({ dataDir, embedderMode: (process.env.KB_EMBEDDER as 'auto') ?? 'auto' });
  console.log(`向量模型：${s.engine.status().embedder.id}；条目 ${s.engine.status().entries}`);
  const rows: Array<{ q: EvalQuestion; res: AnswerResponse; at1: boolean; at3: boolean; ok: boolean }> = [];
  try {
    if (args.flags.calibrate) printCalibration(await calibrationPoints(s, questions));
    for (const q of questions) {
      const res = await s.answers.answer({ question: q.q, channel: 'api' });
      const shown = [
        ...(res.answer ? [{ id: res.answer.entryId }] : []),
        ...res.suggestions.map((x) => ({ id: x.entryId })),
      ].slice(0, 3);
      const text = (id: number) => {
        const e = s.kb.entries.get(id)!;
        return `${e.question}\n${e.answer}`;
      };
      const at1 = q.kind === 'answer' && res.outcome === 'answered' && matches(text(res.answer!.entryId), q);
      const at3 = q.kind === 'answer' && shown.some((x) => matches(text(x.id), q));
      const ok = q.kind === 'answer' ? at1 : q.kind === 'out_of_scope' ? res.outcome === 'out_of_scope' : res.outcome === 'no_answer' || res.outcome === 'suggest';
      rows.push({ q, res, at1, at3, ok });
    }
  } finally {
    s.close();
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }

  const answerable = rows.filter((r) => r.q.kind === 'answer');
  const refusals = rows.filter((r) => r.q.kind !== 'answer');
  const pct = (n: number, d: number) => (d ? (n / d).toFixed(3) : 'n/a');
  const wrongConfident = rows.filter((r) => r.q.kind === 'no_answer' && r.res.outcome === 'answered').length;
  console.log('');
  console.log(`answered@1      ${pct(answerable.filter((r) => r.at1).length, answerable.length)}  (${answerable.filter((r) => r.at1).length}/${answerable.length})`);
  console.log(`answered@3      ${pct(answerable.filter((r) => r.at3).length, answerable.length)}  (${answerable.filter((r) => r.at3).length}/${answerable.length})`);
  console.log(`refusals right  ${pct(refusals.filter((r) => r.ok).length, refusals.length)}  (${refusals.filter((r) => r.ok).length}/${refusals.length})`);
  console.log(`no_answer questions answered (must be 0): ${wrongConfident}`);
  const outcomes: Record<string, number> = {};
  for (const r of rows) outcomes[r.res.outcome] = (outcomes[r.res.outcome] ?? 0) + 1;
  console.log(`outcomes        ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const misses = rows.filter((r) => !r.ok || (r.q.kind === 'answer' && !r.at3));
  if (misses.length) console.log('\n未答对：');
  for (const r of misses) {
    const top = r.res.answer ? `答：${r.res.answer.question}（${r.res.answer.score}）` : '';
    const sug = r.res.suggestions.map((x) => `${x.question}（${x.score}）`).join(' | ');
    console.log(`  ${r.q.id} [${r.q.kind} → ${r.res.outcome}${r.q.kind === 'answer' ? `, @3 ${r.at3 ? '✓' : '✗'}` : ''}] ${r.q.q}\n      ${top} ${sug ? `猜你想问：${sug}` : ''}`);
  }
  if (args.flags.verbose) {
    console.log('\n全部：');
    for (const r of rows) console.log(`  ${r.ok ? '✓' : '✗'} ${r.q.id} ${r.res.outcome} ${r.res.answer?.score ?? r.res.suggestions[0]?.score ?? ''} ${r.q.q} → ${r.res.answer?.question ?? r.res.suggestions[0]?.question ?? ''}`);
  }
  return 0;
}

interface CalibrationPoint {
  id: string;
  kind: EvalQuestion['kind'];
  /** The top candidate is a right answer (answer questions only). */
  topRight: boolean;
  score: number;
  margin: number;
  sameQuestion: boolean;
  unknownShare: number;
}

/** Top candidate features of every in-scope question, to choose the decision thresholds. */
async function calibrationPoints(s: Services, questions: EvalQuestion[]): Promise<CalibrationPoint[]> {
  const points: CalibrationPoint[] = [];
  for (const q of questions) {
    if (checkScope(q.q)) continue;
    const r = await s.engine.search(q.q, {}, 5);
    const [a, b] = r.candidates;
    const e = a ? s.kb.entries.get(a.entryId)! : null;
    points.push({
      id: q.id, kind: q.kind, topRight: Boolean(e && q.kind === 'answer' && matches(`${e.question}\n${e.answer}`, q)),
      score: a?.score ?? 0, margin: (a?.score ?? 0) - (b?.score ?? 0), sameQuestion: Boolean(a && b && sameFact(a, b)),
      unknownShare: r.unknownShare,
    });
  }
  return points;
}

/**
 * Prints the points and, for a grid of (answer threshold, margin), what the decision would do: right answers,
 * wrong answers (a confident wrong answer is the worst outcome) and no-answer questions answered (must be 0).
 */
function printCalibration(points: CalibrationPoint[]): void {
  console.log('\n校准数据（id kind 首位正确 score margin 同问 unknownShare）：');
  for (const p of [...points].sort((x, y) => y.score - x.score)) {
    console.log(`  ${p.id}\t${p.kind}\t${p.topRight ? '✓' : '✗'}\t${p.score.toFixed(3)}\t${p.margin.toFixed(3)}\t${p.sameQuestion ? '同' : ''}\t${p.unknownShare.toFixed(2)}`);
  }
  console.log('\nanswer  margin  答对  答错  拒答题被答');
  for (const answer of [0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65]) {
    for (const margin of [0, 0.01, 0.02, 0.04, 0.08]) {
      const answered = points.filter((p) => p.score >= answer && p.unknownShare < THRESHOLDS.unknownShare && (p.margin >= margin || p.sameQuestion));
      const right = answered.filter((p) => p.topRight).length;
      const wrong = answered.filter((p) => p.kind === 'answer' && !p.topRight).length;
      const refused = answered.filter((p) => p.kind !== 'answer').length;
      console.log(`  ${answer.toFixed(2)}   ${margin.toFixed(2)}   ${String(right).padStart(4)}  ${String(wrong).padStart(4)}  ${String(refused).padStart(6)}`);
    }
  }
  console.log(`当前阈值：${JSON.stringify(THRESHOLDS)}\n`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? err.message : err instanceof Error ? err.stack : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
