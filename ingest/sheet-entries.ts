import { createHash } from 'node:crypto';
import { IngestError, type Audience, type CategoryCode, type QaRow } from './types.js';
import { parseAudience, parseCategory, parseLevel, type Level } from '../server/kb/categories.js';

/** A spreadsheet row turned into entry fields, keyed by its normalised question (rows move, questions stay). */
export interface SheetEntry {
  key: string;
  rowNumber: number;
  category: CategoryCode;
  question: string;
  similarQuestions: string[];
  answer: string;
  keywords: string[];
  serviceItem: string | null;
  department: string | null;
  level: Level;
  region: string;
  audience: Audience;
  effectiveFrom: string | null;
  expiresAt: string | null;
}

export function questionKey(question: string): string {
  const norm = question.normalize('NFKC').replace(/[\s?？!！。，,、：:；;“”"'‘’（）()]/g, '').toLowerCase();
  return createHash('sha1').update(norm).digest('hex').slice(0, 16);
}

/**
 * Checks every row's coded columns and turns them into entries; the first bad cell fails the whole sheet.
 * A question asked twice is refused, unless `duplicateQuestions` (an exported KB may hold the same question from two
 * documents): the later rows are then keyed `…~2`, `…~3`.
 */
export function sheetEntries(fileName: string, rows: QaRow[], opts: { duplicateQuestions?: boolean } = {}): SheetEntry[] {
  const seen = new Map<string, number>();
  const times = new Map<string, number>();
  return rows.map((row) => {
    const bad = (column: string, value: string, expected: string) =>
      new IngestError(fileName, `第 ${row.rowNumber} 行“${column}”列的值“${value}”无效，应为 ${expected}`);
    const category = row.category ? parseCategory(row.category) : 'faq';
    if (!category) throw bad('分类', row.category!, '网上办事指引、常见问题、政务百科词条、政策文件、通知公告、热线电话、部门信息之一');
    const level = row.level ? parseLevel(row.level) : 'city';
    if (!level) throw bad('层级', row.level!, '市 或 区');
    const audience = row.audience ? parseAudience(row.audience) : 'all';
    if (!audience) throw bad('对象', row.audience!, '企业、个人 或 全部');
    if (row.effectiveFrom && row.expiresAt && row.expiresAt < row.effectiveFrom) {
      throw new IngestError(fileName, `第 ${row.rowNumber} 行：失效日期 ${row.expiresAt} 早于生效日期 ${row.effectiveFrom}`);
    }
    let key = `q:${questionKey(row.question)}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      if (!opts.duplicateQuestions) throw new IngestError(fileName, `第 ${row.rowNumber} 行与第 ${earlier} 行的问题重复：“${row.question}”`);
      const n = (times.get(key) ?? 1) + 1;
      times.set(key, n);
      key = `${key}~${n}`;
    } else {
      seen.set(key, row.rowNumber);
    }
    return {
      key,
      rowNumber: row.rowNumber,
      category,
      question: row.question,
      similarQuestions: row.similarQuestions,
      answer: row.answer,
      keywords: row.keywords,
      serviceItem: row.serviceItem ?? null,
      department: row.department ?? null,
      level,
      region: row.region ?? (level === 'city' ? '上海市' : ''),
      audience,
      effectiveFrom: row.effectiveFrom ?? null,
      expiresAt: row.expiresAt ?? null,
    };
  }).map((e) => {
    if (!e.region) throw new IngestError(fileName, `第 ${e.rowNumber} 行：区级条目需要填写“区域”`);
    return e;
  });
}
