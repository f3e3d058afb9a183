import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, whether running from sources (tsx/vitest) or from dist/. */
export const REPO_ROOT = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = path.resolve(here, '..');
  return path.basename(up) === 'dist' ? path.resolve(up, '..') : up;
})();

/** KB_DATA_DIR: the directory holding the database and every derived file (default kb-data/). */
export function dataDir(override?: string): string {
  return path.resolve(override ?? process.env.KB_DATA_DIR ?? path.join(REPO_ROOT, 'kb-data'));
}

/** The bundled sample documents ingested into an empty knowledge base. */
export const SAMPLE_DOCS_DIR = path.join(REPO_ROOT, 'kb-data', 'docs');
