import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { REPO_ROOT } from '../../config.js';

/** Browser code compiled by `npm run build` (web/ → dist/web/). */
export const WEB_DIR = path.join(REPO_ROOT, 'dist', 'web');

/** Our own pages load only our own scripts and styles. */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

function sendPage(res: Response, file: string, frameAncestors: string): void {
  const full = path.join(WEB_DIR, file);
  if (!fs.existsSync(full)) {
    res.status(503).type('text/plain; charset=utf-8').send('页面尚未构建：请先运行 npm run build');
    return;
  }
  res.set('Content-Security-Policy', `${PAGE_CSP}; frame-ancestors ${frameAncestors}`);
  res.set('Cache-Control', 'no-cache');
  res.sendFile(full);
}

/**
 * Pages and browser assets: `/` (a demo portal page embedding the widget), `/admin` (the admin page),
 * `/widget.js` (the chat widget, one file, embeddable from any origin) and `/assets/*` (compiled admin code, CSS, marked).
 * Mounted at / (its paths are the pages' own; /admin/api, the API page, is the service routes': server/routes/service/).
 */
export function webRoutes(): Router {
  const r = Router();
  r.get('/', (_req, res) => sendPage(res, 'demo/index.html', "'self'"));
  r.get(['/admin', '/admin/'], (_req, res) => sendPage(res, 'admin/index.html', "'none'"));
  r.get('/widget.js', (_req, res) => {
    const file = path.join(WEB_DIR, 'widget.js');
    if (!fs.existsSync(file)) {
      res.status(503).type('text/plain; charset=utf-8').send('聊天组件尚未构建：请先运行 npm run build');
      return;
    }
    // Portal pages on other origins load it with a plain <script src>.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.set('Cache-Control', 'public, max-age=300');
    res.type('text/javascript; charset=utf-8').sendFile(file);
  });
  r.use(
    '/assets',
    express.static(WEB_DIR, {
      index: false,
      fallthrough: true,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return r;
}
