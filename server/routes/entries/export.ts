import ExcelJS from 'exceljs';
import type { Entry } from '../../kb/entries.js';
import { AUDIENCE_LABELS, categoryLabel } from '../../kb/categories.js';
import { spreadsheetCsv } from '../../../ingest/csv-cells.js';

/**
 * The columns a Q&A sheet is read with (ingest/readers/spreadsheet.ts), in the order the export writes them:
 * export → import gives back the same entries, unchanged.
 */
export const SHEET_COLUMNS = ['问题', '答案', '相似问法', '分类', '事项', '责任单位', '层级', '区域', '对象', '关键词', '生效日期', '失效日期'] as const;

/** One exported row, cells in SHEET_COLUMNS order. Lists are joined with | (a separator the reader splits on). */
export function sheetRow(e: Entry): string[] {
  return [
    e.question, e.answer, e.similarQuestions.join('|'), categoryLabel(e.category), e.serviceItem ?? '', e.department ?? '',
    e.level === 'city' ? '市' : '区', e.region, AUDIENCE_LABELS[e.audience], e.keywords.join('|'), e.effectiveFrom ?? '', e.expiresAt ?? '',
  ];
}

/** RFC 4180 with CRLF rows, a BOM, formula-like cells as text (see spreadsheetCsv). */
export function toCsv(rows: string[][]): string {
  return spreadsheetCsv(rows);
}

export async function toXlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('知识库条目');
  ws.addRows(rows);
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.columns.forEach((c, i) => (c.width = i === 1 ? 60 : i === 0 || i === 2 ? 36 : 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
