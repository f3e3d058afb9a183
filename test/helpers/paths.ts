import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The five seed policy documents beside the repository (../shared/seeds). */
export const SEEDS_DIR = path.resolve(REPO_ROOT, '../shared/seeds');
export const SAMPLE_DOCS_DIR = path.join(REPO_ROOT, 'kb-data/docs');

export function seedFile(prefix: string): string {
  const name = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`seed ${prefix} not found in ${SEEDS_DIR}`);
  return path.join(SEEDS_DIR, name);
}

export function tempDir(prefix = 'bangban-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
