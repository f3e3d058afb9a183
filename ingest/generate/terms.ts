/**
 * The generator's domain terms (kb-data/generator-terms.txt, format in its header): read once, on first use.
 * The generator's own rules are general 公文 grammar; what belongs to 一网通办 lives in that file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GeneratorTerms {
  /** [领域词]: kept as keywords when they occur. */
  domain: string[];
  /** [主题词]: the knowledge base's theme, filling keywords up and never explained as a term. */
  theme: string[];
  /** [办事渠道]: words of getting served that make an entry an 办事指引. */
  channels: string[];
}

const SECTIONS: Record<string, keyof GeneratorTerms> = { 领域词: 'domain', 主题词: 'theme', 办事渠道: 'channels' };

/** Parses the terms file: "[节名]" lines open a section, one term a line, "#" comments and blank lines ignored. */
export function parseGeneratorTerms(text: string): GeneratorTerms {
  const out: GeneratorTerms = { domain: [], theme: [], channels: [] };
  let current: keyof GeneratorTerms | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) current = SECTIONS[head[1].trim()] ?? null;
    else if (current && !out[current].includes(line)) out[current].push(line);
  }
  return out;
}

/** kb-data/generator-terms.txt of the repository (found upwards from this module, in src or dist). */
function termsFile(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const f = path.join(dir, 'kb-data', 'generator-terms.txt');
    if (fs.existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  return null;
}

let cached: GeneratorTerms | null = null;

export function generatorTerms(): GeneratorTerms {
  if (!cached) {
    const file = termsFile();
    cached = file ? parseGeneratorTerms(fs.readFileSync(file, 'utf8')) : { domain: [], theme: [], channels: [] };
  }
  return cached;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
