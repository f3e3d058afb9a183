// Builds the browser code into dist/web (run by `npm run build`, after `tsc -p web/tsconfig.json` type-checked it):
// esbuild bundles each entry point with everything it imports — our modules, the types shared with the server
// (shared/, erased), marked, jsdiff — into one self-contained function (iife): nothing leaks onto the host page.
//   web/widget/widget.ts → dist/web/widget.js        (served as /widget.js)
//   web/admin/main.ts    → dist/web/admin/main.js    (served as /assets/admin/main.js)
// Pages and styles (html, css, svg) are copied as they are (served under /assets/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../dist/web');

// a clean folder: files of an earlier build's layout are not served on
fs.rmSync(out, { recursive: true, force: true });

function copyStatic(dir) {
  for (const name of fs.readdirSync(dir)) {
    const src = path.join(dir, name);
    if (fs.statSync(src).isDirectory()) copyStatic(src);
    else if (/\.(html|css|svg)$/.test(name)) {
      const dest = path.join(out, path.relative(here, src));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(src, dest);
    }
  }
}
copyStatic(here);

/** Browsers of the last few years (as the tsconfig's ES2020): no syntax newer than what they all run. */
const common = { bundle: true, format: 'iife', platform: 'browser', target: 'es2020', charset: 'utf8', legalComments: 'none', logLevel: 'warning' };
await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(here, 'widget/widget.ts')], outfile: path.join(out, 'widget.js'), banner: { js: '/* bangban-kb chat widget */' } }),
  esbuild.build({ ...common, entryPoints: [path.join(here, 'admin/main.ts')], outfile: path.join(out, 'admin/main.js'), banner: { js: '/* bangban-kb admin page */' } }),
]);
