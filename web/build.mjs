// After `tsc -p web/tsconfig.json`: copies pages and styles into dist/web, vendors marked's browser build, and joins
// the widget's classic scripts into the one file served as /widget.js (wrapped in a function: nothing leaks onto
// the host page). Run by `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../dist/web');
const require = createRequire(import.meta.url);

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

fs.mkdirSync(path.join(out, 'vendor'), { recursive: true });
fs.copyFileSync(require.resolve('marked'), path.join(out, 'vendor/marked.js'));

const parts = ['shared/sanitize.js', 'widget/styles.js', 'widget/widget.js'].map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
fs.writeFileSync(path.join(out, 'widget.js'), `/* bangban-kb chat widget */\n(function () {\n${parts.join('\n')}\n})();\n`);
