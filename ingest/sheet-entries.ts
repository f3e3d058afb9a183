import { createHash } from 'node:crypto';
import type { QaRow, RowProblem } from './types.js';
import type { Entry } from '../shared/entries.js';
import { parseAudience, parseCategory, parseLevel } from '../server/kb/categories.js';

/** A spreadsheet row turned into entry fields, keyed by its normalised question (rows move, questions stay). */
export type SheetEntry = { key: string; rowNumber: number } & Pick<
  Entry,
  'category' | 'question' | 'similarQuestions' | 'answer' | 'keywords' | 'serviceItem' | 'department' | 'level' | 'region' | 'audience' | 'effectiveFrom' | 'expiresAt'
>;

/** A row with a question and no answer: it goes to the gap queue (查遗补缺) instead of the KB. */
export interface UnansweredRow {
  rowNumber: number;
  question: string;
  department: string | null;
}

export interface SheetPlan {
  entries: SheetEntry[];
  unanswered: UnansweredRow[];
  /** Every row problem, the reader's included, in row order. */
  problems: RowProblem[];
  /** Keys a rejected row would have: an entry an earlier import made from it is kept, not archived. */
  rejectedKeys: string[];
}

/**
 * The 500-character limit is for what a citizen types; a sheet's question may be longer (some carry their answer's
 * first paragraph). Such a question is stored whole as a similar question, and a short one shown in its place.
 */
export const SHORT_QUESTION_LIMIT = 500;
/** The short question made for an over-long one: its first sentence, or its start clipped to this length. */
const DISPLAY_QUESTION_MAX = 120;
/** Entry limits (server/kb/validate.ts) a row is checked against, so that one bad row cannot fail the file. */
const LIMITS = { answer: 20_000, similar: 2_000, similarCount: 30, keyword: 50, keywordCount: 30, text: 200, region: 50 } as const;

export function questionKey(question: string): string {
  const norm = question.normalize('NFKC').replace(/[\s?？!！。，,、：:；;“”"'‘’（）()]/g, '').toLowerCase();
  return createHash('sha1').update(norm).digest('hex').slice(0, 16);
}

/** Answers compared for "the same answer": width, case and all whitespace ignored. */
const answerKey = (answer: string) => answer.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** The question shown for an over-long one: up to its first question mark (or full stop), else its clipped start. */
export function displayQuestion(question: string): string {
  const flat = question.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[？?]/);
  if (end >= 4 && end < DISPLAY_QUESTION_MAX) return flat.slice(0, end + 1);
  const stop = flat.search(/[。！!；;]/);
  if (stop >= 4 && stop < DISPLAY_QUESTION_MAX) return flat.slice(0, stop + 1);
  return `${flat.slice(0, DISPLAY_QUESTION_MAX - 1)}…`;
}

const placeOf = (e: { department: string | null; region: string }) => `${e.department ?? ''}|${e.region}`;
const placeText = (e: { department: string | null; region: string }) =>
  [e.department ? `责任单位“${e.department}”` : '未填责任单位', `区域“${e.region}”`].join('、');

export interface SheetPlanOptions {
  /**
   * True when the KB already holds an entry with this question and answer. A re-imported export can hold one
   * question twice (two documents' entries): those rows are existing entries, not a conflict for an editor.
   */
  isKnown?: (question: string, answer: string) => boolean;
}

/**
 * Row-level import plan of a Q&A sheet: every good row becomes an entry, every problem row is reported (all of them,
 * with row, column and reason) and left out, a row without an answer goes to the gap queue.
 *
 * Repeated questions (same question after normalising punctuation, width and case):
 * - same answer → one entry; a different 责任单位 of the later row is added to the entry's department;
 * - different answer, different 责任单位 or 区域 from every earlier row → its own entry (they are kept apart);
 * - otherwise the later row is rejected for an editor to decide which answer stands.
 *
 * Yields after every row (run it with ingest/slices.ts): a 100,000-row sheet's checks need not hold up answers.
 */
export function* planSheetSteps(rows: QaRow[], readerProblems: RowProblem[] = [], opts: SheetPlanOptions = {}): Generator<void, SheetPlan> {
  const problems: RowProblem[] = [...readerProblems];
  const rejectedRows = new Set(readerProblems.filter((p) => p.outcome === 'rejected').map((p) => p.rowNumber));
  const entries: SheetEntry[] = [];
  const unanswered: UnansweredRow[] = [];
  const rejectedKeys: string[] = [];
  const byQuestion = new Map<string, SheetEntry[]>();
  const repeats = new Map<string, number>();
  // the 责任单位|区域 pairs each entry answers for: its own row's and those of rows merged into it
  const places = new Map<SheetEntry, Set<string>>();

  for (const row of rows) {
    yield;
    const baseKey = `q:${questionKey(row.question)}`;
    const rowProblems: RowProblem[] = [];
    const reject = (column: string, kind: RowProblem['kind'], message: string) =>
      rowProblems.push({ rowNumber: row.rowNumber, column, kind, outcome: 'rejected', message });
    const note = (column: string, kind: RowProblem['kind'], message: string) =>
      rowProblems.push({ rowNumber: row.rowNumber, column, kind, outcome: 'note', message });
    const finish = () => {
      problems.push(...rowProblems);
      if (rowProblems.some((p) => p.outcome === 'rejected')) rejectedKeys.push(baseKey);
    };
    if (rejectedRows.has(row.rowNumber)) {
      if (row.question) rejectedKeys.push(baseKey);
      continue;
    }
    if (!row.answer) {
      unanswered.push({ rowNumber: row.rowNumber, question: row.question, department: row.department ?? null });
      problems.push({ rowNumber: row.rowNumber, column: '答案', kind: 'blank_answer', outcome: 'gap', message: '答案为空：问题已转入查遗补缺队列（5 个工作日内补上答案）' });
      continue;
    }

    const category = row.category ? parseCategory(row.category) : 'faq';
    if (!category) reject('分类', 'bad_value', `“${row.category}”不是栏目，应为网上办事指引、常见问题、政务百科词条、政策文件、通知公告、热线电话、部门信息之一`);
    const level = row.level ? parseLevel(row.level) : 'city';
    if (!level) reject('层级', 'bad_value', `“${row.level}”无效，应为 市 或 区`);
    const audience = row.audience ? parseAudience(row.audience) : 'all';
    if (!audience) reject('对象', 'bad_value', `“${row.audience}”无效，应为 企业、个人 或 全部`);
    if (row.effectiveFrom && row.expiresAt && row.expiresAt < row.effectiveFrom) {
      reject('失效日期', 'bad_date', `失效日期 ${row.expiresAt} 早于生效日期 ${row.effectiveFrom}`);
    }
    const region = row.region ?? (level === 'city' ? '上海市' : '');
    if (level === 'district' && !row.region) reject('区域', 'bad_value', '区级条目需要填写“区域”');
    if (row.answer.length > LIMITS.answer) reject('答案', 'too_long', `答案有 ${row.answer.length} 个字符，不能超过 ${LIMITS.answer} 个`);
    for (const [column, value] of [['事项', row.serviceItem], ['责任单位', row.department]] as const) {
      if (value && value.length > LIMITS.text) reject(column, 'too_long', `不能超过 ${LIMITS.text} 个字符`);
    }
    if (region.length > LIMITS.region) reject('区域', 'too_long', `不能超过 ${LIMITS.region} 个字符`);
    if (row.similarQuestions.length > LIMITS.similarCount || row.similarQuestions.some((q) => q.length > LIMITS.similar)) {
      reject('相似问法', 'too_long', `最多 ${LIMITS.similarCount} 个，每个不超过 ${LIMITS.similar} 个字符`);
    }
    if (row.keywords.length > LIMITS.keywordCount || row.keywords.some((k) => k.length > LIMITS.keyword)) {
      reject('关键词', 'too_long', `最多 ${LIMITS.keywordCount} 个，每个不超过 ${LIMITS.keyword} 个字符`);
    }
    if (row.question.length > LIMITS.similar) reject('问题', 'too_long', `问题有 ${row.question.length} 个字符，不能超过 ${LIMITS.similar} 个`);
    if (rowProblems.length) {
      finish();
      continue;
    }

    let question = row.question;
    let similarQuestions = row.similarQuestions;
    if (question.length > SHORT_QUESTION_LIMIT) {
      question = displayQuestion(row.question);
      similarQuestions = [row.question, ...row.similarQuestions].slice(0, LIMITS.similarCount);
      note('问题', 'long_question', `问题有 ${row.question.length} 个字符：已完整保存为相似问法，显示为“${question}”`);
    }
    const entry: SheetEntry = {
      key: baseKey, rowNumber: row.rowNumber, category: category!, question, similarQuestions, answer: row.answer,
      keywords: row.keywords, serviceItem: row.serviceItem ?? null, department: row.department ?? null, level: level!, region,
      audience: audience!, effectiveFrom: row.effectiveFrom ?? null, expiresAt: row.expiresAt ?? null,
    };

    const earlier = byQuestion.get(baseKey) ?? [];
    if (earlier.length === 0 || opts.isKnown?.(entry.question, entry.answer)) {
      if (earlier.length > 0) {
        // an exported KB holding this question twice: the rows stand for existing entries, keyed by occurrence
        const n = (repeats.get(baseKey) ?? 1) + 1;
        repeats.set(baseKey, n);
        entry.key = `${baseKey}~${n}`;
      }
      byQuestion.set(baseKey, [...earlier, entry]);
      entries.push(entry);
      places.set(entry, new Set([placeOf(entry)]));
      finish();
      continue;
    }
    const same = earlier.find((e) => answerKey(e.answer) === answerKey(entry.answer));
    const place = placeOf(entry);
    if (same) {
      places.get(same)!.add(place);
      const departments = (same.department ?? '').split('、').filter(Boolean);
      if (entry.department && !departments.includes(entry.department)) {
        same.department = [...departments, entry.department].join('、').slice(0, LIMITS.text);
        note('问题', 'duplicate_merged', `与第 ${same.rowNumber} 行问题和答案相同：合并为一个条目，责任单位记为“${same.department}”`);
      } else {
        note('问题', 'duplicate_merged', `与第 ${same.rowNumber} 行问题和答案相同：合并为一个条目`);
      }
    } else if (earlier.every((e) => !places.get(e)!.has(place))) {
      entry.key = `${baseKey}@${createHash('sha1').update(place).digest('hex').slice(0, 8)}`;
      byQuestion.set(baseKey, [...earlier, entry]);
      entries.push(entry);
      places.set(entry, new Set([place]));
      note('问题', 'duplicate_kept_apart', `与第 ${earlier.map((e) => e.rowNumber).join('、')} 行问题相同、答案不同，${placeText(entry)}不同：分别保留为两个条目`);
    } else {
      const clash = earlier.find((e) => places.get(e)!.has(place))!;
      reject('答案', 'duplicate_conflict', `与第 ${clash.rowNumber} 行问题相同、答案不同，${placeText(entry)}也相同：保留第 ${clash.rowNumber} 行，请确定用哪个答案（或改写问题、填写不同的责任单位/区域）后重新导入本行`);
    }
    finish();
  }
  problems.sort((a, b) => a.rowNumber - b.rowNumber);
  return { entries, unanswered, problems, rejectedKeys };
}

/** Chinese names of the problem kinds, for counts per kind. */
export const PROBLEM_LABELS: Record<RowProblem['kind'], string> = {
  blank_answer: '答案为空（转入查遗补缺）',
  blank_question: '问题为空',
  bad_value: '分类/层级/对象/区域无效',
  bad_date: '日期无效',
  too_long: '内容超长',
  duplicate_merged: '重复问题，答案相同（已合并）',
  duplicate_kept_apart: '重复问题，责任单位或区域不同（分别保留）',
  duplicate_conflict: '重复问题，答案不同（待编辑确认）',
  long_question: '问题超过 500 字（已保存，另拟显示问题）',
};

export function countByKind(problems: RowProblem[]): Partial<Record<RowProblem['kind'], number>> {
  const counts: Partial<Record<RowProblem['kind'], number>> = {};
  for (const p of problems) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  return counts;
}

/** Counts per kind of problem with their Chinese names, in a fixed order: what the CLI and the admin page list. */
export function kindCounts(problems: RowProblem[]): Array<{ kind: RowProblem['kind']; label: string; rows: number }> {
  const counts = countByKind(problems);
  return (Object.keys(PROBLEM_LABELS) as Array<RowProblem['kind']>)
    .filter((kind) => counts[kind])
    .map((kind) => ({ kind, label: PROBLEM_LABELS[kind], rows: counts[kind]! }));
}
