import { Parser } from 'htmlparser2';
import { IngestError, type ReadResult } from '../types.js';
import { decodeText } from './txt.js';

/** Elements that start a new line. Table cells are handled separately (joined by " | "). */
const BLOCK_TAGS = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'tr', 'table', 'thead', 'tbody', 'tfoot', 'caption', 'blockquote', 'pre', 'hr', 'section',
  'article', 'header', 'footer', 'nav', 'aside', 'main', 'figure', 'figcaption', 'address',
  'form', 'fieldset', 'legend', 'center', 'body', 'html',
]);

/**
 * Elements whose content is never text a reader sees (<title> is read separately, as the title). <head> is handled on
 * its own: it ends where the body's first element or text begins, as browsers read it.
 */
const SKIP_CONTENT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'title']);
/**
 * Skipped elements whose content is markup: one never closed (its close only implied — by the end of the page or an
 * enclosing element's close) is read as content, so an unclosed <noscript>, <svg> or <template> does not hide the
 * rest of the page. script, style and title are raw text up to their close tag: left open, they do take the rest
 * (browsers show none of it either).
 */
const MARKUP_SKIPPED = new Set(['noscript', 'template', 'svg', 'math']);
/** What may stand in <head>; any other element (or text) begins the body. */
const HEAD_CONTENT = new Set(['base', 'link', 'meta', 'title', 'style', 'script', 'noscript', 'template', 'basefont', 'bgsound']);

/** Collapses HTML whitespace (not U+3000 / nbsp, which are content in Chinese texts). */
const collapse = (s: string) => s.replace(/[ \t\n\r\f]+/g, ' ');

/**
 * Converts HTML to plain text lines: block elements break lines, each table row becomes one line
 * of its cells joined by " | ". Also used for HTML blocks inside Markdown and for mammoth's output.
 * One pass of htmlparser2's tokenizer: time is linear in the input, whatever the markup (unclosed tags, comments).
 */
export function htmlToText(html: string): { text: string; title?: string } {
  const unclosed = unclosedSkippedElements(html);
  const lines: string[] = [];
  let line = '';
  // One entry per open <table>, innermost last: its open row's cells, or null between rows.
  // A nested table's rows end up inside the enclosing cell.
  const tables: Array<string[] | null> = [];
  let pre = 0;
  let skip = 0;
  // The open skipped elements, innermost last: whether each is skipped (false: never closed, read as content).
  const skipped: Array<{ name: string; hide: boolean }> = [];
  let opened = 0;
  let inHead = false;
  let headSeen = false;
  // Text between two tags, collected before it is written (entities arrive as separate pieces).
  let pending = '';
  // The first <title>'s text, else the first explicitly closed <h1>'s (a heading left open is not a title).
  let title: string | null = null;
  let inTitle = false;
  let h1: string | null = null;
  let inH1 = 0;
  let h1Buffer = '';

  const openRow = () => {
    for (let i = tables.length - 1; i >= 0; i--) if (tables[i]) return tables[i];
    return null;
  };
  const emit = (s: string) => {
    const row = openRow();
    if (row) {
      if (row.length === 0) {
        if (!/\S/.test(s)) return; // whitespace between <tr> and its first cell
        row.push('');
      }
      row[row.length - 1] += s;
    } else line += s;
  };
  const flush = () => {
    if (pending) emit(pre > 0 ? pending : collapse(pending));
    pending = '';
  };
  const breakLine = () => {
    if (openRow()) return emit(' '); // a <p>/<br> inside a cell must not split the row
    lines.push(line);
    line = '';
  };
  /** Ends the innermost table's open row, writing it as one line of cells joined by " | ". */
  const endRow = () => {
    const cells = tables[tables.length - 1];
    if (!cells) return;
    tables[tables.length - 1] = null;
    const text = cells.map((c) => c.replace(/ +/g, ' ').trim());
    if (text.some((c) => /\S/.test(c))) {
      breakLine();
      emit(text.join(' | '));
      breakLine();
    }
  };
  const tag = (name: string, closing: boolean, implied = false) => {
    flush();
    if (name === 'title') {
      if (!closing && title === null) (inTitle = true), (title = '');
      else if (closing) inTitle = false;
    }
    if (name === 'h1' && h1 === null) {
      if (!closing) inH1++;
      else if (inH1 > 0 && --inH1 === 0) {
        if (!implied) h1 = h1Buffer;
        h1Buffer = '';
      }
    }
    if (name === 'head') {
      if (closing || headSeen) inHead = false;
      else inHead = headSeen = true;
      return;
    }
    if (inHead && !closing && !HEAD_CONTENT.has(name)) inHead = false; // the body's first element ends the head
    if (SKIP_CONTENT.has(name)) {
      if (!closing) {
        const hide = !unclosed.has(opened);
        skipped.push({ name, hide });
        if (hide) skip++;
      } else if (skipped[skipped.length - 1]?.name === name && skipped.pop()!.hide) skip--;
      return;
    }
    if (skip > 0 || inHead) return;
    if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (name === 'table') {
      if (closing) {
        endRow();
        tables.pop();
      } else tables.push(null);
      breakLine();
    } else if (name === 'tr') {
      if (tables.length === 0) tables.push(null); // a row outside any <table>
      endRow(); // also closes a row whose </tr> was omitted
      if (!closing) tables[tables.length - 1] = [];
    } else if (name === 'td' || name === 'th') {
      if (!closing) tables[tables.length - 1]?.push('');
    } else if (BLOCK_TAGS.has(name)) {
      breakLine();
    }
  };

  const parser = new Parser(
    {
      onopentag: (name) => {
        opened++;
        tag(name, false);
      },
      onclosetag: (name, implied) => tag(name, true, implied),
      ontext: (text) => {
        if (inTitle) title += text;
        if (inH1 > 0) h1Buffer += text;
        if (inHead && skip === 0 && /\S/.test(text)) inHead = false; // so does its first text
        if (skip === 0 && !inHead) pending += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  flush();
  while (tables.length > 0) {
    endRow();
    tables.pop();
  }
  lines.push(line);

  const text = lines
    .flatMap((l) => l.split('\n')) // <pre> content keeps its own line breaks
    .map((l) => l.replace(/^ +| +$/g, ''))
    .filter((l) => /\S/.test(l))
    .join('\n');
  const shown = collapse(title ?? h1 ?? '').trim();
  return shown ? { text, title: shown } : { text };
}

/**
 * The skipped markup elements (MARKUP_SKIPPED) never closed, by their place among the opening tags (1 = the first):
 * a first pass over the page, so the reading pass knows at an element's start whether to hide its content.
 */
function unclosedSkippedElements(html: string): Set<number> {
  const unclosed = new Set<number>();
  const open: Array<{ name: string; at: number }> = [];
  let opened = 0;
  const parser = new Parser(
    {
      onopentag: (name) => open.push({ name, at: ++opened }),
      onclosetag: (name, implied) => {
        if (open[open.length - 1]?.name !== name) return; // a tag cut off at the end of the page was never opened
        const { at } = open.pop()!;
        if (implied && MARKUP_SKIPPED.has(name)) unclosed.add(at);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return unclosed;
}

export async function readHtml(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  const { text, title } = htmlToText(decodeText(buf, fileName));
  if (!/\S/u.test(text)) throw new IngestError(fileName, '网页中没有可提取的文字');
  return title ? { kind: 'document', format: 'html', text, title } : { kind: 'document', format: 'html', text };
}
