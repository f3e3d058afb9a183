import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { stmt, type Db } from '../kb/db.js';
import { ValidationError } from '../kb/errors.js';
import { readDictionaryFile } from './tokenizer.js';
import { formatSynonyms, parseSynonyms, readColloquialFile, readSynonymsFile, Synonyms, type DirectedGroup } from './synonyms.js';

/**
 * The domain dictionary, synonyms and colloquial lexicon. The files in the repository's kb-data/ are the bundled
 * defaults (a data directory may carry its own copies, read instead). Edits made in the admin page are stored in the
 * knowledge base (lexicon_edits, every save kept) and used instead of the files: the git-tracked files stay as
 * shipped, and a backup of the KB contains the edits.
 */
const BUNDLED_DIR = path.join(REPO_ROOT, 'kb-data');

export type LexiconName = 'synonyms' | 'dictionary';

/** Limits, the same as the API's JSON form of the lists. */
const LIMITS = { member: 50, members: 30, groups: 5000, word: 30, words: 50_000 };

function fileFor(dataDir: string, name: string): string {
  const own = path.join(dataDir, name);
  return fs.existsSync(own) ? own : path.join(BUNDLED_DIR, name);
}

/** The latest admin-page edit of a list, or null when it was never edited (the files apply). */
function latestEdit(db: Db | undefined, name: LexiconName): string | null {
  if (!db) return null;
  const row = stmt(db, 'SELECT content FROM lexicon_edits WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as { content: string } | undefined;
  return row ? row.content : null;
}

export function loadDictionary(dataDir: string, db?: Db): string[] {
  const edited = latestEdit(db, 'dictionary');
  return edited !== null ? dictionaryWords(edited) : readDictionaryFile(fileFor(dataDir, 'dictionary.txt'));
}

export function loadSynonyms(dataDir: string, db?: Db): string[][] {
  const edited = latestEdit(db, 'synonyms');
  return edited !== null ? parseSynonyms(edited) : readSynonymsFile(fileFor(dataDir, 'synonyms.txt'));
}

/** Colloquial → official words (one-way); a bad line throws an error naming the file and line. */
export function loadColloquial(dataDir: string): DirectedGroup[] {
  return readColloquialFile(fileFor(dataDir, 'colloquial.txt'));
}

/** The query expansion the engine uses: the synonyms (`groups`, default the saved ones) and the colloquial lexicon. */
export function buildSynonyms(dataDir: string, db?: Db, groups: string[][] = loadSynonyms(dataDir, db)): Synonyms {
  return new Synonyms(groups, loadColloquial(dataDir));
}

function dictionaryWords(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/** A problem on a line of the text an editor typed, numbered as they count lines (from 1). */
const lineError = (field: string, line: number, why: string) => new ValidationError(field, why, `第 ${line} 行`);

/** Synonym groups from the admin page's text: one group per line, words separated by spaces, commas or 、. */
export function parseSynonymsText(text: string): string[][] {
  const groups: string[][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const members = [...new Set(line.split(/\s*(?:↔|<->|,|，|、|\s)\s*/).filter(Boolean))];
    if (members.length < 2) throw lineError('text', i + 1, `每组至少两个词（“${line}”）`);
    if (members.length > LIMITS.members) throw lineError('text', i + 1, `每组最多 ${LIMITS.members} 个词`);
    const long = members.find((m) => [...m].length > LIMITS.member);
    if (long) throw lineError('text', i + 1, `词不能超过 ${LIMITS.member} 个字符（“${long.slice(0, 20)}…”）`);
    groups.push(members);
  });
  if (groups.length > LIMITS.groups) throw new ValidationError('text', `最多 ${LIMITS.groups} 组`, '同义词');
  return groups;
}

/** Dictionary words from the admin page's text: one word per line. */
export function parseDictionaryText(text: string): string[] {
  const words: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const word = raw.replace(/#.*/, '').trim();
    if (!word) return;
    if (/\s/.test(word)) throw lineError('text', i + 1, `一行一个词，词中不能有空格（“${word}”）`);
    if ([...word].length > LIMITS.word) throw lineError('text', i + 1, `词不能超过 ${LIMITS.word} 个字符`);
    words.push(word);
  });
  if (words.length > LIMITS.words) throw new ValidationError('text', `最多 ${LIMITS.words} 个词`, '领域词典');
  return words;
}

function saveEdit(db: Db, name: LexiconName, content: string, actor: string, now: string): void {
  // one INSERT: atomic by itself
  stmt(db, 'INSERT INTO lexicon_edits (name, content, edited_at, edited_by) VALUES (?, ?, ?, ?)').run(name, content, now, actor);
}

export function saveDictionary(db: Db, words: string[], actor: string, now: string): void {
  saveEdit(db, 'dictionary', `${words.join('\n')}\n`, actor, now);
}

export function saveSynonyms(db: Db, groups: string[][], actor: string, now: string): void {
  saveEdit(db, 'synonyms', formatSynonyms(groups), actor, now);
}
