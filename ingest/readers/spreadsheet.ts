import ExcelJS from 'exceljs';
import type { CellValue } from 'exceljs';
import { parse as parseCsvText, CsvError } from 'csv-parse/sync';
import { withoutFormulaGuard } from '../csv-cells.js';
import { IngestError, type QaRow, type ReadResult, type RowProblem } from '../types.js';
import { isOle2, isZip } from './docx.js';
import { decodeText } from './txt.js';
import { decodeHTMLStrict } from 'entities';

/** A cell as read from the file: CSV gives strings; xlsx may also give numbers and dates. */
type Cell = string | number | Date;
interface SheetRow {
  /** 1-based row number as the editor sees it (header = 1). */
  rowNumber: number;
  cells: Cell[];
}

type Field = Exclude<keyof QaRow, 'rowNumber' | 'cells'>;

/** Accepted header names per field: [English, Chinese], matched trimmed and case-insensitively. */
const COLUMNS: Record<Field, readonly [string, string]> = {
  question: ['question', '问题'],
  answer: ['answer', '答案'],
  similarQuestions: ['similar_questions', '相似问法'],
  category: ['category', '分类'],
  serviceItem: ['service_item', '事项'],
  department: ['department', '责任单位'],
  level: ['level', '层级'],
  region: ['region', '区域'],
  audience: ['audience', '对象'],
  keywords: ['keywords', '关键词'],
  effectiveFrom: ['effective_from', '生效日期'],
  expiresAt: ['expires_at', '失效日期'],
};
const OPTIONAL_TEXT = ['category', 'serviceItem', 'department', 'level', 'region', 'audience'] as const;
const DATE_FIELDS = ['effectiveFrom', 'expiresAt'] as const;

const columnLabel = (f: Field) => `“${COLUMNS[f][1]}”(${COLUMNS[f][0]})`;
const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function dateFromUtc(date: Date): string {
  const t = new Date(Math.round(date.getTime() / 1000) * 1000); // absorb float error in Excel serials
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/**
 * &lt; &nbsp; &#8220; &#x2014; → the characters; non-breaking spaces become plain spaces. A cell is text, not HTML:
 * only references ended by ';' are decoded, so a URL's query (…?id=1&region=2, &not=, &copy=) stays as written.
 */
function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text.replace(/&(?:nbsp|ensp|emsp);/g, ' ')) : text;
}

/** A cell's text: line breaks (CR LF, CR, <br>) kept as \n, HTML entities decoded, outer spaces trimmed. */
function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  if (cell instanceof Date) return dateFromUtc(cell);
  return decodeEntities(withoutFormulaGuard(String(cell)).replace(/\r\n?/g, '\n').replace(/<br\s*\/?>/gi, '\n')).trim();
}

/** YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or an Excel date → YYYY-MM-DD; null when not a real date. */
export function parseDate(cell: Cell): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : dateFromUtc(cell);
  if (typeof cell === 'number') {
    // an xlsx date cell without a date format: Excel's serial day number (1900 system)
    if (!Number.isFinite(cell) || cell < 1 || cell >= 2958466) return null;
    return dateFromUtc(new Date(Date.UTC(1899, 11, 30) + cell * 86_400_000));
  }
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(cell) ??
    /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(cell) ??
    /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(cell);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return isoDate(y, mo, d);
}

const splitList = (s: string, sep: RegExp) => s.split(sep).map((p) => p.trim()).filter((p) => p !== '');

/** Maps header cells to fields; throws when question/answer are missing or a column appears twice. */
function mapHeader(header: Cell[], fileName: string): Partial<Record<Field, number>> {
  const byName = new Map<string, Field>();
  for (const [field, names] of Object.entries(COLUMNS) as Array<[Field, readonly string[]]>) {
    for (const n of names) byName.set(n.toLowerCase(), field);
  }
  const index: Partial<Record<Field, number>> = {};
  header.forEach((cell, i) => {
    const field = byName.get(cellText(cell).toLowerCase());
    if (!field) return;
    if (index[field] !== undefined) {
      throw new IngestError(fileName, `表头中${columnLabel(field)}列出现了两次（第 ${index[field]! + 1} 列和第 ${i + 1} 列）`);
    }
    index[field] = i;
  });
  for (const required of ['question', 'answer'] as const) {
    if (index[required] === undefined) {
      const found = header.map(cellText).filter((h) => h !== '');
      const hint = found.length > 0 ? `第 1 行表头为：${found.join('、')}` : '第 1 行应为表头，但它是空的';
      throw new IngestError(fileName, `表格缺少${columnLabel(required)} 列（${hint}）`);
    }
  }
  return index;
}

/**
 * Turns sheet rows (header first) into Q&A rows. A problem in the file as a whole (no header, no question or answer
 * column, no data) throws; a problem in one row (blank question, bad date) is reported for that row and the other
 * rows read on.
 */
export function sheetToQa(rows: SheetRow[], fileName: string, format: 'csv' | 'xlsx'): ReadResult {
  const header = rows.find((r) => r.rowNumber === 1)?.cells ?? [];
  const index = mapHeader(header, fileName);
  const width = Math.max(header.length, ...Object.values(index).map((i) => i! + 1));
  const problems: RowProblem[] = [];
  const out: QaRow[] = [];
  const reject = (rowNumber: number, field: Field, kind: RowProblem['kind'], message: string) =>
    problems.push({ rowNumber, column: COLUMNS[field][1], kind, outcome: 'rejected', message });

  for (const { rowNumber, cells } of rows) {
    if (rowNumber === 1 || cells.every((c) => cellText(c) === '')) continue;
    const raw = (f: Field): Cell | undefined => (index[f] === undefined ? undefined : cells[index[f]!]);
    const text = (f: Field) => cellText(raw(f));

    const row: QaRow = {
      rowNumber,
      question: text('question'),
      answer: text('answer'),
      similarQuestions: splitList(text('similarQuestions'), /[|｜\n]/),
      keywords: splitList(text('keywords'), /[|｜,，、;；\s]+/u),
      cells: Array.from({ length: Math.max(width, cells.length) }, (_, i) => cellText(cells[i])),
    };
    if (!row.question) reject(rowNumber, 'question', 'blank_question', row.answer ? '问题为空' : '问题和答案都为空');

    for (const f of OPTIONAL_TEXT) {
      const v = text(f);
      if (v) row[f] = v;
    }
    for (const f of DATE_FIELDS) {
      const cell = raw(f);
      if (cellText(cell) === '') continue;
      const date = parseDate(typeof cell === 'string' ? cell.trim() : cell!);
      if (date) row[f] = date;
      else reject(rowNumber, f, 'bad_date', `无法识别的日期“${cellText(cell)}”（应为 YYYY-MM-DD、YYYY/M/D 或 YYYY年M月D日）`);
    }
    out.push(row);
  }

  if (out.length === 0) throw new IngestError(fileName, '表格中没有问答数据（只有表头，没有数据行）');
  return { kind: 'qa', format, rows: out, header: header.map(cellText), problems };
}

/**
 * RFC 4180 via csv-parse: fields optionally quoted with "" as an escaped quote, CRLF or LF, rows of any length; a stray
 * quote inside an unquoted field is kept as text. One record is one row, whatever line breaks its cells hold.
 */
export function parseCsv(text: string, fileName: string): string[][] {
  try {
    return parseCsvText(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (err) {
    if (err instanceof CsvError && err.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new IngestError(fileName, `CSV 格式错误：第 ${(err as CsvError & { lines?: number }).lines ?? '?'} 行（按文本行计）附近开始的引号没有闭合`);
    }
    if (err instanceof CsvError) throw new IngestError(fileName, `CSV 格式错误（第 ${(err as CsvError & { lines?: number }).lines ?? '?'} 行附近，按文本行计）`);
    throw err;
  }
}

export async function readCsv(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  const records = parseCsv(decodeText(buf, fileName), fileName);
  return sheetToQa(records.map((cells, i) => ({ rowNumber: i + 1, cells })), fileName, 'csv');
}

/** Plain value of an exceljs cell: rich text joined, formulas by their cached result, hyperlinks by their text. */
function excelCell(v: CellValue): Cell {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return excelCell((v.result ?? null) as CellValue);
  if ('hyperlink' in v) return excelCell(v.text as CellValue);
  if ('error' in v) return v.error;
  return '';
}

export async function readXlsx(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  if (isOle2(buf)) {
    throw new IngestError(fileName, '不是有效的 Excel(.xlsx) 文件（这是旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 后再上传）');
  }
  if (!isZip(buf)) throw new IngestError(fileName, '不是有效的 Excel(.xlsx) 文件（文件不是 zip 格式）');

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(new Uint8Array(buf).buffer); // exceljs types its input as an ArrayBuffer
  } catch (err) {
    throw new IngestError(fileName, `不是有效的 Excel(.xlsx) 文件（${(err as Error).message}）`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new IngestError(fileName, 'Excel 文件中没有工作表');

  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = excelCell(cell.value);
    });
    rows.push({ rowNumber, cells: Array.from(cells, (c) => c ?? '') });
  });
  return sheetToQa(rows, fileName, 'xlsx');
}
