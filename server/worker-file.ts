import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO_ROOT } from './config.js';

/**
 * The compiled file of a worker thread that sits beside the calling module: in dist/ that is the file next to it;
 * under vitest, which runs the .ts sources, it is the built copy in dist/ (a worker thread cannot load TypeScript).
 */
export function compiledWorker(moduleUrl: string, name: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(`./${name}`, moduleUrl);
  const sourceDir = path.relative(REPO_ROOT, path.dirname(fileURLToPath(moduleUrl)));
  const built = path.join(REPO_ROOT, 'dist', sourceDir, name);
  if (!fs.existsSync(built)) throw new Error(`${built} 不存在：请先运行 npm run build`);
  return pathToFileURL(built);
}
