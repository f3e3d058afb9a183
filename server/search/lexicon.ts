import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { readDictionaryFile } from './tokenizer.js';
import { formatSynonyms, readColloquialFile, readSynonymsFile, Synonyms, type DirectedGroup } from './synonyms.js';

/**
 * The editable domain dictionary, synonyms and colloquial lexicon live in the data directory
 * (kb-data/dictionary.txt, kb-data/synonyms.txt, kb-data/colloquial.txt); a data directory without them uses the
 * bundled ones.
 */
const BUNDLED_DIR = path.join(REPO_ROOT, 'kb-data');

function fileFor(dataDir: string, name: string): string {
  const own = path.join(dataDir, name);
  return fs.existsSync(own) ? own : path.join(BUNDLED_DIR, name);
}

export function loadDictionary(dataDir: string): string[] {
  return readDictionaryFile(fileFor(dataDir, 'dictionary.txt'));
}

export function loadSynonyms(dataDir: string): string[][] {
  return readSynonymsFile(fileFor(dataDir, 'synonyms.txt'));
}

/** Colloquial → official words (one-way); a bad line throws an error naming the file and line. */
export function loadColloquial(dataDir: string): DirectedGroup[] {
  return readColloquialFile(fileFor(dataDir, 'colloquial.txt'));
}

/** The query expansion the engine uses: the synonyms (`groups`, default the saved ones) and the colloquial lexicon. */
export function buildSynonyms(dataDir: string, groups: string[][] = loadSynonyms(dataDir)): Synonyms {
  return new Synonyms(groups, loadColloquial(dataDir));
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function saveDictionary(dataDir: string, words: string[]): void {
  writeAtomic(path.join(dataDir, 'dictionary.txt'), `# 领域词典（由管理接口写入）：一行一个词\n${words.join('\n')}\n`);
}

export function saveSynonyms(dataDir: string, groups: string[][]): void {
  writeAtomic(path.join(dataDir, 'synonyms.txt'), `# 同义词（由管理接口写入）：一行一组\n${formatSynonyms(groups)}`);
}
