import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import type { LexiconEditStore } from '../kb/lexicon-edits.js';
import { ValidationError } from '../kb/errors.js';
import type { LexiconName, LexiconSave } from '../../shared/admin.js';
import type { ListsAll } from '../../shared/domain.js';
import { readDictionaryFile } from './tokenizer.js';
import { formatSynonyms, parseColloquial, parseColloquialLine, parseSynonyms, readColloquialFile, readSynonymsFile, Synonyms, type DirectedGroup } from './synonyms.js';

/**
 * The domain dictionary, synonyms and colloquial lexicon. The files in the repository's kb-data/ are the bundled
 * defaults (a data directory may carry its own copies, read instead). Edits made in the admin page are stored in the
 * knowledge base (lexicon_edits, every save kept) and used instead of the files: the git-tracked files stay as
 * shipped, and a backup of the KB contains the edits.
 */
const BUNDLED_DIR = path.join(REPO_ROOT, 'kb-data');

export const LEXICON_NAMES = ['synonyms', 'dictionary', 'colloquial'] as const satisfies readonly LexiconName[];
true satisfies ListsAll<LexiconName, typeof LEXICON_NAMES>;
export type { LexiconName };
/** The bundled file of each list (also the name of an exported file). */
export const LEXICON_FILES: Record<LexiconName, string> = { synonyms: 'synonyms.txt', dictionary: 'dictionary.txt', colloquial: 'colloquial.txt' };
export const LEXICON_LABELS: Record<LexiconName, string> = { synonyms: '同义词', dictionary: '领域词典', colloquial: '口语词典' };

/** Limits of the lists, in text form here and in the API's JSON form (server/routes/lexicon/schema.ts). */
export const LEXICON_LIMITS = { member: 50, members: 30, groups: 5000, word: 30, words: 50_000 } as const;

function fileFor(dataDir: string, name: string): string {
  const own = path.join(dataDir, name);
  return fs.existsSync(own) ? own : path.join(BUNDLED_DIR, name);
}

/** The latest admin-page edit of a list, or null when it was never edited (the files apply). */
function latestEdit(edits: LexiconEditStore | undefined, name: LexiconName): string | null {
  return edits ? edits.latestContent(name) : null;
}

export function loadDictionary(dataDir: string, edits?: LexiconEditStore): string[] {
  const edited = latestEdit(edits, 'dictionary');
  return edited !== null ? dictionaryWords(edited) : readDictionaryFile(fileFor(dataDir, 'dictionary.txt'));
}

export function loadSynonyms(dataDir: string, edits?: LexiconEditStore): string[][] {
  const edited = latestEdit(edits, 'synonyms');
  return edited !== null ? parseSynonyms(edited) : readSynonymsFile(fileFor(dataDir, 'synonyms.txt'));
}

/** Colloquial → official words (one-way): the latest admin-page edit, else the file (a bad line throws naming file and line). */
export function loadColloquial(dataDir: string, edits?: LexiconEditStore): DirectedGroup[] {
  const edited = latestEdit(edits, 'colloquial');
  return edited !== null ? parseColloquial(edited, '口语词典') : readColloquialFile(fileFor(dataDir, 'colloquial.txt'));
}

/**
 * A list as text in its file's format: the latest edit, or the file in use (comments kept). What the admin page
 * shows for the colloquial lexicon and what an export downloads; importing it again changes nothing.
 */
export function lexiconText(dataDir: string, edits: LexiconEditStore | undefined, name: LexiconName): string {
  const edited = latestEdit(edits, name);
  if (edited !== null) return edited;
  const file = fileFor(dataDir, LEXICON_FILES[name]);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

export type { LexiconSave };

/** The saves of a list, newest first (every save is kept). */
export function lexiconHistory(edits: LexiconEditStore, name: LexiconName, limit = 20): LexiconSave[] {
  return edits.history(name, limit).map((e) => ({ id: e.id, editedAt: e.editedAt, editedBy: e.editedBy, lines: e.content.split(/\r?\n/).filter((l) => l.replace(/#.*/, '').trim()).length }));
}

/**
 * The tokenizer's domain words: the dictionary, the synonyms, and the colloquial words citizens type (the left side
 * of the colloquial lexicon). A word the lexicon matches must come out of jieba as one word, or its match at word
 * boundaries never happens: without 市监局 in the dictionary, “问市监局” is cut 问市 / 监局. The official right side
 * is left to the KB's own words: made one word, 住房公积金 would no longer share 公积金 with a question saying only that.
 */
export function tokenizerWords(dataDir: string, edits?: LexiconEditStore): string[] {
  const lexicon = [...loadSynonyms(dataDir, edits).flat(), ...loadColloquial(dataDir, edits).flatMap((g) => g.from)];
  // Two to eight characters with a Han character: a longer left side is a phrase jieba should not hold as one word.
  return [...loadDictionary(dataDir, edits), ...lexicon.filter((w) => w.length >= 2 && w.length <= 8 && /\p{Script=Han}/u.test(w))];
}

/** The query expansion the engine uses: the synonyms (`groups`, default the saved ones) and the colloquial lexicon. */
export function buildSynonyms(dataDir: string, edits?: LexiconEditStore, groups: string[][] = loadSynonyms(dataDir, edits)): Synonyms {
  return new Synonyms(groups, loadColloquial(dataDir, edits));
}

function dictionaryWords(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/** A problem on a line of the text an editor typed or imported, numbered as they count lines (from 1). */
class LineProblem {
  constructor(readonly why: string) {}
}

const MAX_REPORTED = 20;

/**
 * Runs `parse` on every line and collects the problems: the text is refused whole, and every bad line is named
 * (“第 3 行：缺少 “=>”；第 9 行：…”), so an imported file can be corrected in one pass.
 */
function eachLine(text: string, parse: (line: string, raw: string) => void): void {
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    try {
      parse(line, raw);
    } catch (err) {
      if (!(err instanceof LineProblem)) throw err;
      problems.push(`第 ${i + 1} 行：${err.why}`);
    }
  });
  if (!problems.length) return;
  const shown = problems.slice(0, MAX_REPORTED).join('；');
  const more = problems.length > MAX_REPORTED ? `；另有 ${problems.length - MAX_REPORTED} 行有误` : '';
  const total = problems.length > 1 ? `（共 ${problems.length} 行有误，未保存）` : '';
  const [where, ...rest] = `${shown}${more}${total}`.split('：');
  throw new ValidationError('text', rest.join('：'), where);
}

const fail = (why: string): never => {
  throw new LineProblem(why);
};

/** Synonym groups from the admin page's text: one group per line, words separated by spaces, commas or 、. */
export function parseSynonymsText(text: string): string[][] {
  const groups: string[][] = [];
  eachLine(text, (line) => {
    const members = [...new Set(line.split(/\s*(?:↔|<->|,|，|、|\s)\s*/).filter(Boolean))];
    if (members.length < 2) fail(`每组至少两个词（“${line}”）`);
    if (members.length > LEXICON_LIMITS.members) fail(`每组最多 ${LEXICON_LIMITS.members} 个词`);
    const long = members.find((m) => [...m].length > LEXICON_LIMITS.member);
    if (long) fail(`词不能超过 ${LEXICON_LIMITS.member} 个字符（“${long.slice(0, 20)}…”）`);
    groups.push(members);
  });
  if (groups.length > LEXICON_LIMITS.groups) throw new ValidationError('text', `最多 ${LEXICON_LIMITS.groups} 组`, '同义词');
  return groups;
}

/** Dictionary words from the admin page's text: one word per line. */
export function parseDictionaryText(text: string): string[] {
  const words: string[] = [];
  eachLine(text, (line) => {
    // the file format allows a frequency as a second column (kb-data/dictionary.txt): an exported file imports as is
    const word = line.replace(/\s+\d+$/, '');
    if (/\s/.test(word)) fail(`一行一个词，词中不能有空格（“${word}”）`);
    if ([...word].length > LEXICON_LIMITS.word) fail(`词不能超过 ${LEXICON_LIMITS.word} 个字符`);
    words.push(word);
  });
  if (words.length > LEXICON_LIMITS.words) throw new ValidationError('text', `最多 ${LEXICON_LIMITS.words} 个词`, '领域词典');
  return words;
}

/**
 * The colloquial lexicon from the admin page or an imported file: `口语词 口语词2 => 官方词`, one group a line, # comments.
 * The text is kept as written (comments and order), so an export gives back the same file.
 */
export function parseColloquialText(text: string): { groups: DirectedGroup[]; text: string } {
  const groups: DirectedGroup[] = [];
  eachLine(text, (_line, raw) => {
    const out = parseColloquialLine(raw);
    if (typeof out === 'string') fail(`${out}（格式：口语词 口语词2 => 官方词）`);
    if (!out || typeof out === 'string') return;
    const members = [...out.from, ...out.to];
    if (members.length > LEXICON_LIMITS.members) fail(`每组最多 ${LEXICON_LIMITS.members} 个词`);
    const long = members.find((m) => [...m].length > LEXICON_LIMITS.member);
    if (long) fail(`词不能超过 ${LEXICON_LIMITS.member} 个字符（“${long.slice(0, 20)}…”）`);
    groups.push(out);
  });
  if (groups.length > LEXICON_LIMITS.groups) throw new ValidationError('text', `最多 ${LEXICON_LIMITS.groups} 组`, '口语词典');
  if (text.length > 1_000_000) throw new ValidationError('text', '内容不能超过 1 MB', '口语词典');
  const normalized = text.replace(/\r\n?/g, '\n');
  return { groups, text: normalized.endsWith('\n') || !normalized ? normalized : `${normalized}\n` };
}

/** The content of a list, in its file's format, from the text an editor typed or imported (validated whole, every bad line named). */
export function lexiconContentFromText(name: LexiconName, text: string): string {
  if (name === 'synonyms') return formatSynonyms(parseSynonymsText(text));
  if (name === 'dictionary') return dictionaryContent(parseDictionaryText(text));
  return parseColloquialText(text).text;
}

/** The dictionary's content from its words: one a line. */
export function dictionaryContent(words: string[]): string {
  return `${words.join('\n')}\n`;
}
