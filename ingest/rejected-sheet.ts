/**
 * The sheet of rejected rows an editor downloads, fixes and imports again: the file's own columns, cells as read,
 * plus 原行号 (the row in the original file) and 未导入原因. The reader ignores columns it does not know, so the
 * fixed sheet imports like any other.
 */
import ExcelJS from 'exceljs';
import { spreadsheetCsv } from './csv-cells.js';
import type { QaRow, RowProblem } from './types.js';

export const ROW_COLUMN = '原行号';
export const REASON_COLUMN = '未导入原因';

/** One problem as an editor reads it: 第 544 行“答案”：答案为空…… */
export function describeProblem(p: RowProblem): string {
  return `第 ${p.rowNumber} 行“${p.column}”：${p.message}`;
}

/** Header first, then each rejected row (in row order) with its reasons joined. */
export function rejectedSheetRows(header: string[], rows: QaRow[], problems: RowProblem[]): string[][] {
  const reasons = new Map<number, string[]>();
  for (const p of problems) {
    if (p.outcome !== 'rejected') continue;
    reasons.set(p.rowNumber, [...(reasons.get(p.rowNumber) ?? []), `“${p.column}”：${p.message}`]);
  }
  const width = Math.max(header.length, ...rows.filter((r) => reasons.has(r.rowNumber)).map((r) => r.cells?.length ?? 0));
  const pad = (cells: string[]) => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  const out = [[...pad(header), ROW_COLUMN, REASON_COLUMN]];
  for (const r of rows) {
    const why = reasons.get(r.rowNumber);
    if (why) out.push([...pad(r.cells ?? []), String(r.rowNumber), why.join('；')]);
  }
  return out;
}

/** CSV with a BOM (Excel/WPS then read UTF-8) and every field quoted, CRLF rows, formula-like cells as text. */
export function rejectedSheetCsv(rows: string[][]): Buffer {
  return Buffer.from(spreadsheetCsv(rows, { quoteAll: true }), 'utf8');
}

export async function rejectedSheetXlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('未导入的行');
  ws.addRows(rows);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** File name of the rejected-rows sheet for an imported file: faq.csv → faq-未导入的行.csv. */
export function rejectedSheetName(fileName: string, format: 'csv' | 'xlsx'): string {
  return `${fileName.replace(/\.[^.]+$/, '')}-未导入的行.${format}`;
}
