/** Markdown answers rendered the way the server renders them (marked, GFM, line breaks), then sanitised here. */
import { marked } from 'marked';
import { sanitizeHtml } from '../shared/sanitize.js';

export function renderMarkdown(markdown: string): DocumentFragment {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: true }) as string;
  return sanitizeHtml(html);
}

/** HTML the server already sanitised, cleaned once more before display. */
export function renderServerHtml(html: string): DocumentFragment {
  return sanitizeHtml(html);
}
