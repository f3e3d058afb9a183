import { marked, type Token, type Tokens } from 'marked';
import { IngestError, type ReadResult } from '../types.js';
import { decodeHTMLStrict } from 'entities';
import { htmlToText } from './html.js';
import { decodeText, requireContent } from './txt.js';

/** The list marker as written in the source ("1.", "2)", "-", "*"), so numbered items keep their numbers. */
const LIST_MARKER = /^\s*(\d{1,9}[.)]|[-*+])/;

/**
 * Character references in Markdown text (&amp; &lt; &#8220;): only those ended by ';', as CommonMark reads them — a
 * bare '&' in a URL's query (…?id=1&region=2) stays as written. HTML blocks are read as HTML (htmlToText).
 */
const decodeEntities = (s: string) => (s.includes('&') ? decodeHTMLStrict(s) : s);

/** Plain text of inline tokens (emphasis, links, code spans ... reduced to their text). */
function inlineText(tokens: Token[] | undefined): string {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'br':
        out += '\n';
        break;
      case 'html': // inline tags such as <br>, <span>: keep line breaks, drop the tags
        out += /^<br\b/i.test(t.text) ? '\n' : '';
        break;
      case 'image':
        out += decodeEntities((t as Tokens.Image).text);
        break;
      case 'checkbox':
        break;
      case 'codespan':
        out += decodeEntities(t.text);
        break;
      default:
        // text, escape, strong, em, del, link: nested tokens when present, else the token's text
        out += 'tokens' in t && t.tokens?.length ? inlineText(t.tokens) : decodeEntities('text' in t ? String(t.text) : '');
    }
  }
  return out;
}

/** Appends the plain-text lines of block tokens to `lines`. */
function blockLines(tokens: Token[], lines: string[], titles: Array<{ depth: number; text: string }>): void {
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'hr':
      case 'def':
        break;
      case 'heading': {
        const text = inlineText(t.tokens).trim();
        titles.push({ depth: (t as Tokens.Heading).depth, text });
        lines.push(text);
        break;
      }
      case 'paragraph':
        lines.push(...inlineText(t.tokens).split('\n'));
        break;
      case 'text': // loose text inside list items; may carry inline tokens
        lines.push(...(t.tokens ? inlineText(t.tokens) : decodeEntities(t.text)).split('\n'));
        break;
      case 'code':
        lines.push(...t.text.split('\n'));
        break;
      case 'blockquote':
        blockLines(t.tokens ?? [], lines, titles);
        break;
      case 'list':
        for (const item of (t as Tokens.List).items) listItemLines(item, lines, titles);
        break;
      case 'table': {
        const table = t as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((c) => inlineText(c.tokens).replace(/\n/g, ' ').trim()).join(' | ');
        lines.push(row(table.header), ...table.rows.map(row));
        break;
      }
      case 'html':
        lines.push(...htmlToText(t.text).text.split('\n'));
        break;
      default:
        if ('tokens' in t && t.tokens) blockLines(t.tokens, lines, titles);
        else if ('text' in t && typeof t.text === 'string') lines.push(...decodeEntities(t.text).split('\n'));
    }
  }
}

/** A list item: its first line prefixed by its source marker; nested blocks follow on their own lines. */
function listItemLines(item: Tokens.ListItem, lines: string[], titles: Array<{ depth: number; text: string }>): void {
  const marker = LIST_MARKER.exec(item.raw)?.[1] ?? '-';
  const start = lines.length;
  blockLines(item.tokens, lines, titles);
  if (lines.length === start) lines.push('');
  lines[start] = `${marker} ${lines[start]}`.trimEnd();
}

export function markdownToText(source: string): { text: string; title?: string } {
  const lines: string[] = [];
  const titles: Array<{ depth: number; text: string }> = [];
  blockLines(marked.lexer(source), lines, titles);
  const text = lines.filter((l) => /\S/u.test(l)).join('\n');
  const title = (titles.find((h) => h.depth === 1) ?? titles[0])?.text;
  return title ? { text, title } : { text };
}

export async function readMarkdown(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  const source = decodeText(buf, fileName);
  requireContent(source, fileName);
  const { text, title } = markdownToText(source);
  if (!/\S/u.test(text)) throw new IngestError(fileName, 'Markdown 文件中没有可提取的文字');
  return title ? { kind: 'document', format: 'md', text, title } : { kind: 'document', format: 'md', text };
}
