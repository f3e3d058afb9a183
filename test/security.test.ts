import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { smallKb, HOTLINE_ENTRY } from './helpers/small-kb.js';

describe('security', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  let admin: string;
  let editor: string;

  beforeAll(async () => {
    s = await smallKb([HOTLINE_ENTRY]);
    admin = s.tokens.create('管理员', 'admin', 'test').token;
    editor = s.tokens.create('张三', 'editor', 'test').token;
  });
  afterAll(() => s.cleanup());

  it('limits each client on the public API: 429 with Retry-After and a readable message', async () => {
    const app = createApp(s, { rateLimit: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) await request(app).post('/api/v1/answer').send({ question: '12345是什么热线' }).expect(200);
    const limited = await request(app).post('/api/v1/answer').send({ question: '12345是什么热线' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toContain('秒后再试');
    // the admin API is not the public one: not limited
    await request(app).get('/api/v1/admin/entries').set('Authorization', `Bearer ${admin}`).expect(200);
  });

  it('tells a limited client the time left in its window, not the whole window (public API and token failures alike)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // the limiters' clock: a third of each window passes without waiting
    try {
      const app = createApp(s, { rateLimit: { limit: 2, windowMs: 60_000 }, tokenFailures: { limit: 2, windowMs: 600_000 } });
      for (let i = 0; i < 2; i++) await request(app).post('/api/v1/answer').send({ question: '12345是什么热线' }).expect(200);
      for (let i = 0; i < 2; i++) await request(app).get('/api/v1/admin/entries').set('Authorization', `Bearer wrong-${i}`).expect(401);
      vi.setSystemTime(Date.now() + 20_000);
      const limited = await request(app).post('/api/v1/answer').send({ question: '12345是什么热线' }).expect(429);
      expect(limited.headers['retry-after']).toBe('40');
      expect(limited.body.message).toBe('提问过于频繁，请 40 秒后再试。');
      const guessing = await request(app).get('/api/v1/admin/entries').set('Authorization', 'Bearer wrong-2').expect(429);
      expect(guessing.headers['retry-after']).toBe('580');
      expect(guessing.body.message).toMatch(/10 分钟后（北京时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 以后）再试/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends security headers and a request id, never x-powered-by', async () => {
    const app = createApp(s);
    const res = await request(app).get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toBe('abc-123');
    const other = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps an audit log of admin writes — who, what, when, from where — readable by admins only', async () => {
    const app = createApp(s);
    const created = await request(app)
      .post('/api/v1/admin/entries')
      .set('Authorization', `Bearer ${editor}`)
      .send({ category: 'faq', question: '审计测试问题？', answer: '审计测试答案。' })
      .expect(201);
    await request(app).post(`/api/v1/admin/entries/${created.body.id}/archive`).set('Authorization', `Bearer ${editor}`).send({ reason: '测试', version: created.body.version }).expect(200);
    // an administrator may do everything, and is recorded like everyone else
    const byAdmin = await request(app).post('/api/v1/admin/entries').set('Authorization', `Bearer ${admin}`).send({ category: 'faq', question: '管理员写的问题？', answer: '管理员写的答案。' }).expect(201);
    await request(app).post(`/api/v1/admin/entries/${byAdmin.body.id}/publish`).set('Authorization', `Bearer ${admin}`).set('If-Match', `"${byAdmin.body.version}"`).send({}).expect(200);
    const log = await request(app).get('/api/v1/admin/audit').set('Authorization', `Bearer ${admin}`).expect(200);
    const mine = log.body.items.filter((r: { actor: string }) => r.actor === '张三');
    expect(mine.map((r: { method: string; path: string; status: number }) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /api/v1/admin/entries/${created.body.id}/archive 200`,
      'POST /api/v1/admin/entries 201',
    ]);
    expect(mine[0]).toMatchObject({ role: 'editor' });
    expect(mine[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(mine[0].ip).toBeTruthy();
    const adminRows = log.body.items.filter((r: { role: string }) => r.role === 'admin').map((r: { method: string; path: string; status: number }) => `${r.method} ${r.path} ${r.status}`);
    expect(adminRows).toContain(`POST /api/v1/admin/entries/${byAdmin.body.id}/publish 200`);
    await request(app).get('/api/v1/admin/audit').set('Authorization', `Bearer ${editor}`).expect(403);
  });

  it('never shows a stack trace or SQL to a client', async () => {
    const app = createApp(s);
    const res = await request(app).get("/api/v1/entries/1'%20OR%201=1").expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|sqlite|at .*\.js:\d+/i);
  });
});
