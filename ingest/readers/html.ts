import { IngestError, type ReadResult } from '../types.js';
import { decodeText } from './txt.js';

/** Elements that start a new line. Table cells are handled separately (joined by " | "). */
const BLOCK_TAGS = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'tr', 'table', 'thead', 'tbody', 'tfoot', 'caption', 'blockquote', 'pre', 'hr', 'section',
  'article', 'header', 'footer', 'nav', 'aside', 'main', 'figure', 'figcaption', 'address',
  'form', 'fieldset', 'legend', 'center', 'body', 'html',
]);

/** Elements whose content is never text a reader sees. */
const SKIP_CONTENT = /<(script|style|noscript|template|head|svg|math)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003',
  thinsp: '\u2009', zwnj: '\u200c', zwj: '\u200d', shy: '\u00ad', middot: '·', bull: '•', hellip: '…',
  mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', copy: '©', reg: '®', trade: '™', times: '×',
  divide: '÷', deg: '°', plusmn: '±', sect: '§', para: '¶', yen: '¥', cent: '¢', pound: '£', euro: '€',
  permil: '‰', prime: '′', Prime: '″', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔',
  le: '≤', ge: '≥', ne: '≠', asymp: '≈', minus: '−', infin: '∞', radic: '√', sum: '∑', micro: 'µ',
  frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', ordm: 'º', ordf: 'ª',
  iexcl: '¡', iquest: '¿', brvbar: '¦', uml: '¨', macr: '¯', acute: '´', cedil: '¸', not: '¬',
  dagger: '†', Dagger: '‡', loz: '◊', hearts: '♥', spades: '♠', clubs: '♣', diams: '♦', check: '✓',
  star: '☆', starf: '★', colon: ':', comma: ',', period: '.', excl: '!', quest: '?', semi: ';',
  lpar: '(', rpar: ')', lsqb: '[', rsqb: ']', lcub: '{', rcub: '}', vert: '|', sol: '/', bsol: '\\',
  num: '#', percnt: '%', dollar: '$', ast: '*', plus: '+', equals: '=', lowbar: '_', grave: '`',
  tilde: '˜', circ: 'ˆ', Tab: '\t', NewLine: '\n',
};

/** Decodes named and numeric character references; unknown names are left as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);?/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : '\ufffd';
    }
    // Named references need their ';' except for the few legacy ones browsers accept without it.
    const name = NAMED_ENTITIES[ref];
    if (name === undefined) return whole;
    if (!whole.endsWith(';') && !['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg'].includes(ref)) return whole;
    return name;
  });
}

/** A start or end tag; attribute values may contain '>' inside quotes. */
const TAG = /<(\/?)([a-zA-Z][\w:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g;

/** Collapses HTML whitespace (not U+3000 / nbsp, which are content in Chinese texts). */
const collapse = (s: string) => s.replace(/[ \t\n\r\f]+/g, ' ');

/**
 * Converts HTML to plain text lines: block elements break lines, each table row becomes one line
 * of its cells joined by " | ". Also used for HTML blocks inside Markdown.
 */
export function htmlToText(html: string): { text: string; title?: string } {
  const title = findTitle(html);
  const source = stripNonContent(html).replace(/<title\b[^>]*>[\s\S]*?<\/title\s*>/gi, '');

  const lines: string[] = [];
  let line = '';
  // One entry per open <table>, innermost last: its open row's cells, or null between rows.
  // A nested table's rows end up inside the enclosing cell.
  const tables: Array<string[] | null> = [];
  let pre = 0;

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

  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const chunk = source.slice(last, m.index);
    last = m.index + m[0].length;
    if (chunk) emit(decodeEntities(pre > 0 ? chunk : collapse(chunk)));

    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (tag === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (tag === 'table') {
      if (closing) {
        endRow();
        tables.pop();
      } else tables.push(null);
      breakLine();
    } else if (tag === 'tr') {
      if (tables.length === 0) tables.push(null); // a row outside any <table>
      endRow(); // also closes a row whose </tr> was omitted
      if (!closing) tables[tables.length - 1] = [];
    } else if (tag === 'td' || tag === 'th') {
      if (!closing) tables[tables.length - 1]?.push('');
    } else if (BLOCK_TAGS.has(tag)) {
      breakLine();
    }
  }
  emit(decodeEntities(pre > 0 ? source.slice(last) : collapse(source.slice(last))));
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
  return title ? { text, title } : { text };
}

/** Drops comments, <!DOCTYPE>/<?xml?> declarations and elements that hold no readable text. */
function stripNonContent(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<![^>]*>|<\?[\s\S]*?\?>/g, '')
    .replace(SKIP_CONTENT, '');
}

/** <title>, else the first <h1>, as plain text. */
function findTitle(html: string): string | undefined {
  const clean = html.replace(/<!--[\s\S]*?-->/g, '');
  const raw = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(clean)?.[1] ?? /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(clean)?.[1];
  if (raw === undefined) return undefined;
  const title = decodeEntities(collapse(raw.replace(TAG, ''))).trim();
  return title || undefined;
}

export async function readHtml(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  const { text, title } = htmlToText(decodeText(buf, fileName));
  if (!/\S/u.test(text)) throw new IngestError(fileName, '网页中没有可提取的文字');
  return title ? { kind: 'document', format: 'html', text, title } : { kind: 'document', format: 'html', text };
}
