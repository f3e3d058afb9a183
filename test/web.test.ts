import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { fixedClock } from '../server/kb/clock.js';
import { WEB_DIR } from '../server/routes/pages/index.js';
import { widgetCors, widgetOrigins } from '../server/http/widget-cors.js';
import { servicesFor } from './helpers/services.js';
import express from 'express';
import { REPO_ROOT } from './helpers/paths.js';

// 2026-07-01 is a Wednesday: 10:00 in Shanghai.
const NOW = '2026-07-01T02:00:00Z';
const built = fs.existsSync(path.join(WEB_DIR, 'widget.js'));

describe('admin page data: /me, /stats, /entry-facets', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let reviewer: string;

  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock(NOW) });
    const e = s.kb.entries.create({ category: 'faq', question: '营业执照遗失了怎么补办？', answer: '在线申请补领。', department: '区市场监管局', audience: 'enterprise' }, 'test');
    s.kb.entries.publish(e.id, 'test');
    s.kb.entries.create({ category: 'faq', question: '居住证怎么办理？', answer: '在“随申办”申领。', department: '区公安分局' }, 'test');
    await s.engine.sync();
    app = createApp(s);
    admin = s.tokens.create('管理员', 'admin', 'test').token;
    reviewer = s.tokens.create('王审核', 'reviewer', 'test').token;
  });
  afterAll(() => s.cleanup());

  it('/me tells the page who is signed in and what the role may do', async () => {
    const me = await request(app).get('/api/v1/admin/me').set('Authorization', `Bearer ${reviewer}`).expect(200);
    expect(me.body).toEqual({ name: '王审核', role: 'reviewer', roleLabel: '审核', permissions: ['entries:read', 'entries:publish', 'review', 'entries:flag', 'gaps:manage', 'hit-test'] });
    const adminMe = await request(app).get('/api/v1/admin/me').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(adminMe.body.permissions).toContain('tokens:manage');
    await request(app).get('/api/v1/admin/me').expect(401);
    await request(app).get('/api/v1/admin/me').set('Authorization', 'Bearer bbk_not-a-token').expect(401);
  });

  it('/stats gives the dashboard its figures for the half-year so far', async () => {
    const ask = async (question: string, audience?: string) => (await request(app).post('/api/v1/answer').send({ question, channel: 'pc', ...(audience ? { audience } : {}) }).expect(200)).body;
    const a1 = await ask('营业执照遗失了怎么补办', 'enterprise');
    const a2 = await ask('营业执照丢了怎么补办', 'enterprise');
    await ask('火星移民签证怎么办');
    await request(app).post('/api/v1/feedback').send({ askId: a1.askId, resolved: true }).expect(204);
    await request(app).post('/api/v1/feedback').send({ askId: a2.askId, resolved: false, reason: '答案不对' }).expect(204);
    await s.answers.settled(); // asks reach the gap queue right after the reply
    const stats = await request(app).get('/api/v1/admin/stats').set('Authorization', `Bearer ${reviewer}`).expect(200);
    expect(stats.body).toMatchObject({
      today: '2026-07-01',
      period: { id: '2026H2', label: '2026年下半年' },
      entries: { published: 1, draft: 1, archived: 0 },
      asks: { total: 3 },
      resolution: { numerator: 1, denominator: 2, rate: 0.5, target: 0.5 },
      enterpriseResolution: { numerator: 1, denominator: 2, target: 0.6, verdict: '未达标' },
    });
    expect(stats.body.asks.byOutcome.answered).toBe(2);
    expect(stats.body.gaps.open).toBe(2); // the unanswered question and the 未解决 answer
    expect(stats.body.hotlineShare).toMatchObject({ numerator: 0, target: 0.1 });
    expect(stats.body.review).toMatchObject({ due: 0 });
    expect(stats.body.policyWatch).toMatchObject({ atRisk: [], late: [] });
    expect(stats.body.gaps.dueSoon).toEqual([]);
    expect(stats.body.gaps.overdue).toEqual([]);
    await request(app).get('/api/v1/admin/stats').expect(401);
  });

  it('/entry-facets lists the 责任单位 and regions in use', async () => {
    const res = await request(app).get('/api/v1/admin/entry-facets').set('Authorization', `Bearer ${reviewer}`).expect(200);
    expect(res.body).toEqual({ departments: ['区公安分局', '区市场监管局'], regions: ['上海市'] });
  });

  it('/entries/export is not taken for an entry id', async () => {
    await request(app).get('/api/v1/admin/entries/export?format=csv').set('Authorization', `Bearer ${reviewer}`).expect(200);
    await request(app).get('/api/v1/admin/entries/abc').set('Authorization', `Bearer ${reviewer}`).expect(400);
  });
});

describe.skipIf(!built)('pages and the widget script', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock(NOW) });
    app = createApp(s);
  });
  afterAll(() => s.cleanup());

  it('serves the demo page, the admin page with a strict CSP, and /widget.js for other origins', async () => {
    const demo = await request(app).get('/').expect(200);
    expect(demo.text).toContain('<script src="/widget.js" data-channel="pc" data-audience="enterprise"></script>');
    const adminPage = await request(app).get('/admin').expect(200);
    expect(adminPage.text).toContain('/assets/admin/main.js');
    const scriptSrc = /script-src ([^;]*)/.exec(adminPage.headers['content-security-policy'])?.[1];
    expect(scriptSrc).toBe("'self'"); // no inline scripts, no other origins
    expect(adminPage.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const widget = await request(app).get('/widget.js').expect(200);
    expect(widget.headers['content-type']).toContain('javascript');
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    // one self-contained function (esbuild's iife): nothing is defined on the portal page
    expect(widget.text).toMatch(/^\/\* bangban-kb chat widget \*\/\n"use strict";\n\(\(\) => \{\n/);
    expect(widget.text.trimEnd()).toMatch(/\}\)\(\);$/);
    const main = await request(app).get('/assets/admin/main.js').expect(200).expect('Content-Type', /javascript/);
    expect(main.text).toMatch(/^\/\* bangban-kb admin page \*\/\n"use strict";\n\(\(\) => \{\n/); // marked, jsdiff and the views in one file
    await request(app).get('/assets/admin/admin.css').expect(200).expect('Content-Type', /css/);
    await request(app).get('/assets/nothing.js').expect(404);
  });
});
if (!built) console.log('跳过页面测试：浏览器代码尚未构建（npm run build）');

describe('widget CORS (KB_WIDGET_ORIGINS)', () => {
  // The app as served: CORS applies where server/app.ts mounts it (each public resource's path), nowhere else.
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    s = await servicesFor();
    const saved = process.env.KB_WIDGET_ORIGINS;
    process.env.KB_WIDGET_ORIGINS = ' https://portal.example.cn/ ,https://m.example.cn';
    try {
      app = createApp(s);
    } finally {
      if (saved === undefined) delete process.env.KB_WIDGET_ORIGINS;
      else process.env.KB_WIDGET_ORIGINS = saved;
    }
    token = s.tokens.create('管理员', 'admin', 'test').token;
  });
  afterAll(() => s.cleanup());

  it('parses the comma-separated list', () => {
    expect(widgetOrigins(' https://portal.example.cn/ ,https://m.example.cn,,')).toEqual(['https://portal.example.cn', 'https://m.example.cn']);
    expect(widgetOrigins(undefined)).toEqual([]);
  });

  it('allows the configured origins on the public API, with preflight', async () => {
    const pre = await request(app).options('/api/v1/answer').set('Origin', 'https://portal.example.cn').set('Access-Control-Request-Method', 'POST').expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://portal.example.cn');
    expect(pre.headers['access-control-allow-headers']).toContain('Content-Type');
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const res = await request(app).post('/api/v1/answer').set('Origin', 'https://m.example.cn').send({}).expect(400);
    expect(res.headers['access-control-allow-origin']).toBe('https://m.example.cn');
    expect(res.headers.vary).toContain('Origin');
    for (const path of ['/api/v1/suggest?q=社保', '/api/v1/categories', '/api/v1/entries/1']) {
      const got = await request(app).get(path).set('Origin', 'https://portal.example.cn');
      expect(got.headers['access-control-allow-origin'], path).toBe('https://portal.example.cn');
    }
  });

  it('gives other origins, and the admin and agent APIs, no CORS headers', async () => {
    const other = await request(app).post('/api/v1/answer').set('Origin', 'https://evil.example.com').send({}).expect(400);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const otherPre = await request(app).options('/api/v1/answer').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(otherPre.headers['access-control-allow-origin']).toBeUndefined();
    for (const path of ['/api/v1/admin/entries', '/api/v1/agent/answers']) {
      const got = await request(app).get(path).set('Origin', 'https://portal.example.cn').set('Authorization', `Bearer ${token}`);
      expect(got.headers['access-control-allow-origin'], path).toBeUndefined();
      const pre = await request(app).options(path).set('Origin', 'https://portal.example.cn').set('Access-Control-Request-Method', 'GET');
      expect(pre.headers['access-control-allow-origin'], path).toBeUndefined();
    }
    const admin = await request(app).get('/api/v1/admin/entries').set('Origin', 'https://portal.example.cn').set('Authorization', `Bearer ${token}`).expect(200);
    expect(admin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('* allows any origin (the public API uses no cookies)', async () => {
    const any = express();
    any.use('/api/v1/suggest', widgetCors(['*']), (_req: express.Request, res: express.Response) => res.json({ suggestions: [] }));
    const res = await request(any).get('/api/v1/suggest?q=x').set('Origin', 'https://whoever.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('one source of types (shared/)', () => {
  const declared = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(/^\s*(?:export\s+)?(?:interface|type)\s+(\w+)/gm)].map((m) => m[1]);
  const tsFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  it('the browser code declares none of the API types again', () => {
    const shared = new Set(tsFiles(path.join(REPO_ROOT, 'shared')).flatMap(declared));
    expect(shared.has('Entry') && shared.has('AnswerResponse') && shared.has('GapView')).toBe(true);
    const again = tsFiles(path.join(REPO_ROOT, 'web')).flatMap((f) => declared(f).filter((n) => shared.has(n)).map((n) => `${path.relative(REPO_ROOT, f)}: ${n}`));
    expect(again).toEqual([]);
  });

  it('shared/ is types only, with no Node or DOM imports (both tsconfig projects compile it)', () => {
    for (const file of tsFiles(path.join(REPO_ROOT, 'shared'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) {
        expect(m[1], `${file}: ${m[0]}`).toBeTruthy();
        expect(m[2], `${file}: ${m[0]}`).toMatch(/^\.\/[\w-]+\.js$/);
      }
      expect(text, file).not.toMatch(/^export\s+(const|function|class|let|enum)\b/m);
    }
  });
});
