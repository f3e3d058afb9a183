/**
 * CSV the service writes for people to open in Excel/WPS (the entries export, the rejected-rows sheet): a cell that
 * starts with =, +, -, @, a tab or a carriage return (or their full-width forms) would be run as a formula, so it is
 * written with a leading apostrophe (csv-stringify's escape_formulas), which Excel shows as text. The sheet reader
 * takes that apostrophe off again (withoutFormulaGuard), so an exported sheet imports back unchanged.
 */
import { stringify } from 'csv-stringify/sync';

/** UTF-8 with a BOM (Excel/WPS then read it as UTF-8), CRLF rows, formula-like cells neutralised. */
export function spreadsheetCsv(rows: string[][], options: { quoteAll?: boolean } = {}): string {
  // quoted_match: csv-stringify leaves a lone \n unquoted when rows end in \r\n; a cell's line breaks must be quoted
  return `\ufeff${stringify(rows, { escape_formulas: true, quoted: options.quoteAll ?? false, quoted_match: /[\r\n]/, record_delimiter: '\r\n' })}`;
}

/** Characters a spreadsheet treats as the start of a formula (as csv-stringify escapes them). */
const FORMULA_START = /^'(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/;

/** A cell as read back: the apostrophe spreadsheetCsv put before a formula-like text removed. */
export function withoutFormulaGuard(cell: string): string {
  return cell.replace(FORMULA_START, '');
}
