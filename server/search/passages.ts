/**
 * Source passages: the text of a policy document cut along its outline into pieces of about 80–400 characters,
 * each with its document and section path. They are retrieval units of their own, so an answer the generator did
 * not turn into an entry can still be found and quoted from its source.
 */
import type { Section } from '../kb/types.js';

export interface Passage {
  /** Section path of the passage's first part ("二、（一）"), "" for the preamble. */
  section: string;
  /** Heading of that section, "" when it has none. */
  heading: string;
  /** Section paths the passage covers (entries generated from these sections lift it). */
  sections: string[];
  text: string;
}

const MIN = 80;
const MAX = 400;

/** Splits text over MAX characters at sentence ends (a single overlong sentence stays whole). */
function splitAtSentences(text: string): string[] {
  if (text.length <= MAX) return [text];
  const sentences = text.match(/[^。！？；!?;\n]+[。！？；!?;\n]?/gu) ?? [text];
  const out: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if (cur && cur.length + s.length > MAX) {
      out.push(cur.trim());
      cur = '';
    }
    cur += s;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

interface Piece {
  path: string;
  heading: string;
  top: string;
  text: string;
}

/** The outline in reading order: one piece per section body, its heading line first. */
function pieces(sections: Section[], top: string | null, out: Piece[]): Piece[] {
  for (const s of sections) {
    const root = top ?? s.path;
    const headingLine = s.marker || s.heading ? `${s.marker}${s.heading}` : '';
    const body = [...s.paragraphs, ...s.tables.flatMap((t) => t.map((row) => row.join(' | ')))].join('\n');
    const text = [headingLine, body].filter(Boolean).join('\n');
    if (text.trim()) {
      for (const part of splitAtSentences(text)) out.push({ path: s.path, heading: s.heading, top: root, text: part });
    }
    pieces(s.children, root, out);
  }
  return out;
}

/**
 * Packs consecutive section pieces into passages of MIN–MAX characters, never across a top-level section, so a
 * passage reads as one part of the document.
 */
export function documentPassages(outline: Section[]): Passage[] {
  const out: Passage[] = [];
  let cur: Passage | null = null;
  let curTop = '';
  const flush = () => {
    if (cur && cur.text.trim()) out.push(cur);
    cur = null;
  };
  for (const p of pieces(outline, null, [])) {
    if (cur && (p.top !== curTop || (cur as Passage).text.length + p.text.length > MAX)) flush();
    if (!cur) {
      cur = { section: p.path, heading: p.heading, sections: [p.path], text: p.text };
      curTop = p.top;
    } else {
      const c: Passage = cur;
      c.text = `${c.text}\n${p.text}`;
      if (!c.sections.includes(p.path)) c.sections.push(p.path);
    }
    if ((cur as Passage).text.length >= MIN) flush();
  }
  flush();
  return out;
}
