#!/usr/bin/env node
// npm run build            compiles the server (tsc) and bundles the browser code (web/, esbuild) into dist/;
//                          shared/ holds the API's types, used by both (type-checked by both tsc projects)
// node scripts/build.mjs --if-stale
//                          the same, only when a source is newer than the last build (npm start, the CLIs, npm test):
//                          with nothing changed a command starts in well under a second instead of ~6–10 s.
// Plain JavaScript, so that it runs before anything is compiled (a fresh clone).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.build-stamp.json');
/** What dist/ is built from: sources, the build's configuration and the installed dependencies' lockfile. */
const SOURCE_DIRS = ['shared', 'server', 'ingest', 'scripts', 'web'];
const SOURCE_FILES = ['tsconfig.json', 'package.json', 'package-lock.json'];

function sources() {
  const files = SOURCE_FILES.map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // route tests live beside their routers (server/routes/<resource>/*.test.ts) but are not built (tsconfig.json excludes them)
      else if (/\.(ts|mjs|js|json|html|css|svg)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) files.push(full);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  return files.sort();
}

/** The newest modification time and the list of files: an added, removed or renamed file counts as a change too. */
function snapshot() {
  const files = sources();
  const newest = Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
  const list = crypto.createHash('sha256').update(files.map((f) => path.relative(root, f)).join('\n')).digest('hex');
  return { newest, list };
}

function stale(now) {
  try {
    const built = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    return built.list !== now.list || now.newest > built.newest || !fs.existsSync(path.join(root, 'dist/server/index.js')) || !fs.existsSync(path.join(root, 'dist/related-words.json')) || !fs.existsSync(path.join(root, 'dist/web/widget.js')) || !fs.existsSync(path.join(root, 'dist/web/admin/main.js'));
  } catch {
    return true; // never built (or the stamp is unreadable)
  }
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const ifStale = process.argv.includes('--if-stale');
// taken before compiling: a file saved during the build makes the next command build again
const now = snapshot();
if (!ifStale || stale(now)) {
  if (ifStale) console.error('源代码有变化，正在构建（约 10 秒）…');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run([tsc, '-p', 'tsconfig.json']);
  run([tsc, '-p', 'web/tsconfig.json']); // type-check only: esbuild does not check types
  run([path.join(root, 'web', 'build.mjs')]);
  run([path.join(root, 'dist', 'scripts', 'derive-related-words.js')]); // CC-CEDICT → related words (server/search/related-words.ts)
  fs.writeFileSync(STAMP, JSON.stringify(now));
}
