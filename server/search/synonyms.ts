import fs from 'node:fs';
import { normalizeText } from './normalize.js';

/** Parses synonyms text: one group per line, members separated by ↔, commas, 、 or whitespace; # comments. */
export function parseSynonyms(text: string): string[][] {
  const groups: string[][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const members = [...new Set(line.split(/\s*(?:↔|<->|,|，|、|\s)\s*/).map((m) => m.trim()).filter(Boolean))];
    if (members.length >= 2) groups.push(members);
  }
  return groups;
}

export function formatSynonyms(groups: string[][]): string {
  return groups.map((g) => g.join(' ↔ ')).join('\n') + (groups.length ? '\n' : '');
}

export function readSynonymsFile(file: string): string[][] {
  return fs.existsSync(file) ? parseSynonyms(fs.readFileSync(file, 'utf8')) : [];
}

/** A matched group: the member found in the query and every member as an alternative. */
export interface SynonymMatch {
  found: string;
  members: string[];
}

/** Synonym groups for query expansion; members are matched as substrings of the normalised query. */
export class Synonyms {
  private readonly groups: string[][];

  constructor(groups: string[][]) {
    this.groups = groups.map((g) => [...new Set(g.map((m) => normalizeText(m).replace(/\s+/g, '')).filter(Boolean))]).filter((g) => g.length >= 2);
  }

  /**
   * Groups whose members occur in the query, longest member first so that "营业执照" is taken before "执照";
   * a query position is used by one member only. `boundaries` (offsets in the query without spaces where words
   * start or end) keeps members from matching inside other words.
   */
  match(normalizedQuery: string, boundaries?: Set<number>): SynonymMatch[] {
    const compact = normalizedQuery.replace(/\s+/g, '');
    const taken = new Array<boolean>(compact.length).fill(false);
    const candidates: Array<{ found: string; at: number; members: string[] }> = [];
    for (const g of this.groups) {
      for (const m of g) {
        let at = compact.indexOf(m);
        while (at >= 0) {
          // with word boundaries known, a member must be whole words: 补 in 补办, not in 补贴
          if (!boundaries || (boundaries.has(at) && boundaries.has(at + m.length))) candidates.push({ found: m, at, members: g });
          at = compact.indexOf(m, at + 1);
        }
      }
    }
    candidates.sort((a, b) => b.found.length - a.found.length || a.at - b.at);
    const out: SynonymMatch[] = [];
    for (const c of candidates) {
      if (taken.slice(c.at, c.at + c.found.length).some(Boolean)) continue;
      taken.fill(true, c.at, c.at + c.found.length);
      if (!out.some((o) => o.members === c.members && o.found === c.found)) out.push({ found: c.found, members: c.members });
    }
    return out;
  }

  get size(): number {
    return this.groups.length;
  }
}
