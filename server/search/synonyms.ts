import fs from 'node:fs';
import path from 'node:path';
import { normalizeText } from './normalize.js';

/** Parses synonyms text: one group per line, members separated by ↔, commas, 、 or whitespace; # comments. */
export function parseSynonyms(text: string): string[][] {
  const groups: string[][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const members = splitMembers(line);
    if (members.length >= 2) groups.push(members);
  }
  return groups;
}

function splitMembers(text: string): string[] {
  return [...new Set(text.split(/\s*(?:↔|<->|,|，|、|\s)\s*/).map((m) => m.trim()).filter(Boolean))];
}

export function formatSynonyms(groups: string[][]): string {
  return groups.map((g) => g.join(' ↔ ')).join('\n') + (groups.length ? '\n' : '');
}

export function readSynonymsFile(file: string): string[][] {
  return fs.existsSync(file) ? parseSynonyms(fs.readFileSync(file, 'utf8')) : [];
}

/** A one-way group: a query saying any of `from` also looks for `to`, not the other way round. */
export interface DirectedGroup {
  from: string[];
  to: string[];
}

/**
 * Parses the colloquial lexicon: one group per line, `口语词 口语词2 => 官方词 官方词2`, # comments. A bad line is
 * an error naming the file (`source`) and its line number as an editor counts them (from 1).
 */
export function parseColloquial(text: string, source = 'colloquial.txt'): DirectedGroup[] {
  const groups: DirectedGroup[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const out = parseColloquialLine(raw);
    if (typeof out === 'string') throw new Error(`${source} 第 ${i + 1} 行：${out}（格式：口语词 口语词2 => 官方词 官方词2）：${raw.trim()}`);
    if (out) groups.push(out);
  });
  return groups;
}

/** One line of the colloquial lexicon: its group, null for a blank or comment line, or why it is wrong. */
export function parseColloquialLine(raw: string): DirectedGroup | null | string {
  const line = raw.replace(/#.*/, '').trim();
  if (!line) return null;
  const sides = line.split(/=>|⇒|→/);
  if (sides.length !== 2) return sides.length < 2 ? '缺少 “=>”' : '一行只能有一个 “=>”';
  const [from, to] = sides.map(splitMembers);
  if (!from.length) return '“=>” 左边没有口语词';
  if (!to.length) return '“=>” 右边没有官方词';
  return { from, to };
}

export function readColloquialFile(file: string): DirectedGroup[] {
  return fs.existsSync(file) ? parseColloquial(fs.readFileSync(file, 'utf8'), path.basename(file)) : [];
}

/** A matched group: the member found in the query and every member as an alternative. */
export interface SynonymMatch {
  found: string;
  members: string[];
}

const compactForm = (m: string) => normalizeText(m).replace(/\s+/g, '');

/**
 * Synonym groups for query expansion; members are matched as substrings of the normalised query. Two-way groups
 * (synonyms.txt): any member finds the others. Directed groups (colloquial.txt): a colloquial word finds the
 * official ones (and the other colloquial words of its line), an official word finds only itself.
 */
export class Synonyms {
  /** Alternatives of each group, and the members that trigger it (all of a two-way group, `from` of a directed one). */
  private readonly groups: Array<{ members: string[]; triggers: string[] }> = [];
  /** Triggers by their first character: a query is scanned once, not once per group. */
  private readonly byFirst = new Map<string, Array<{ trigger: string; members: string[] }>>();

  constructor(groups: string[][], directed: DirectedGroup[] = []) {
    for (const g of groups) {
      const members = [...new Set(g.map(compactForm).filter(Boolean))];
      if (members.length >= 2) this.add(members, members);
    }
    for (const d of directed) {
      const from = [...new Set(d.from.map(compactForm).filter(Boolean))];
      const members = [...new Set([...from, ...d.to.map(compactForm).filter(Boolean)])];
      if (from.length && members.length >= 2) this.add(members, from);
    }
  }

  private add(members: string[], triggers: string[]): void {
    this.groups.push({ members, triggers });
    for (const trigger of triggers) {
      const list = this.byFirst.get(trigger[0]) ?? [];
      list.push({ trigger, members });
      this.byFirst.set(trigger[0], list);
    }
  }

  /**
   * Groups whose members occur in the query, longest member first so that "营业执照" is taken before "执照";
   * a query position is used by one member only. `boundaries` (offsets in the query without spaces where words
   * start or end) keeps members from matching inside other words.
   */
  match(normalizedQuery: string, boundaries?: Set<number>): SynonymMatch[] {
    const compact = normalizedQuery.replace(/\s+/g, '');
    const candidates: Array<{ found: string; at: number; members: string[] }> = [];
    for (let at = 0; at < compact.length; at++) {
      // with word boundaries known, a member must be whole words: 补 in 补办, not in 补贴
      if (boundaries && !boundaries.has(at)) continue;
      for (const { trigger, members } of this.byFirst.get(compact[at]) ?? []) {
        if (!compact.startsWith(trigger, at)) continue;
        if (!boundaries || boundaries.has(at + trigger.length)) candidates.push({ found: trigger, at, members });
      }
    }
    candidates.sort((a, b) => b.found.length - a.found.length || a.at - b.at);
    const taken = new Array<boolean>(compact.length).fill(false);
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
