import fs from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../server/app.js';
import { createServices } from '../server/services.js';
import { trustProxyFromEnv } from '../server/config.js';
import { smallKb, HOTLINE_ENTRY } from './helpers/small-kb.js';
import { openGapsFromImport } from '../server/ops/gaps.js';
import { tempDir } from './helpers/paths.js';

/** The small KB's own question (HOTLINE_ENTRY): every ask of it is logged, its answer does not matter here. */
const ask = (app: ReturnType<typeof createApp>, client: string, forwardedFor = client) =>
  request(app).post('/api/v1/answer').set('X-Forwarded-For', forwardedFor).send({ question: '12345是什么热线' });

describe('HTTP hardening', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  let admin: string;

  beforeAll(async () => {
    s = await smallKb([HOTLINE_ENTRY]);
    admin = s.tokens.create('管理员', 'admin', 'test').token;
  });
  afterAll(() => s.cleanup());

  describe('KB_TRUST_PROXY', () => {
    it('accepts what the README documents and refuses nonsense with a message naming the variable', () => {
      expect(trustProxyFromEnv(undefined)).toBe(false);
      expect(trustProxyFromEnv('false')).toBe(false);
      expect(trustProxyFromEnv('0')).toBe(false);
      expect(trustProxyFromEnv('true')).toBe(true);
      expect(trustProxyFromEnv('1')).toBe(1);
      expect(trustProxyFromEnv(' 2 ')).toBe(2);
      expect(trustProxyFromEnv('loopback')).toEqual(['loopback']);
      expect(trustProxyFromEnv('10.0.0.1, 192.168.0.0/16,fd00::/8,10.1.0.0/255.255.0.0,uniquelocal')).toEqual([
        '10.0.0.1', '192.168.0.0/16', 'fd00::/8', '10.1.0.0/255.255.0.0', 'uniquelocal',
      ]);
      for (const bad of ['yes please', '10.0.0.300', '10.0.0.0/33', 'proxy.example.com', '1.5', ',']) {
        expect(() => trustProxyFromEnv(bad), bad).toThrow(/KB_TRUST_PROXY=.*无效.*代理跳数/);
      }
    });

    it('two citizens behind one proxy do not share a rate limit, and forged X-Forwarded-For entries do not get round it', async () => {
      const before = process.env.KB_TRUST_PROXY;
      process.env.KB_TRUST_PROXY = '1'; // one load balancer in front, as the README documents it
      try {
        const app = createApp(s, { rateLimit: { limit: 2, windowMs: 60_000 } });
        await ask(app, '203.0.113.7').expect(200);
        await ask(app, '203.0.113.7').expect(200);
        await ask(app, '203.0.113.7').expect(429);
        // the neighbour behind the same proxy still gets answers
        await ask(app, '203.0.113.8').expect(200);
        // the limited citizen prepends made-up addresses: the proxy's own entry (the last) still names them
        await ask(app, '203.0.113.7', '198.51.100.1, 198.51.100.2, 203.0.113.7').expect(429);
      } finally {
        if (before === undefined) delete process.env.KB_TRUST_PROXY;
        else process.env.KB_TRUST_PROXY = before;
      }
    });
  });

  it('typeahead and question text never reach the request log', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const app = createApp(s, { logger: log });
    // what the widget sends while a citizen types an ID number and a phone number
    const id = '310101199001011234';
    for (let n = 6; n <= id.length; n++) await request(app).get(`/api/v1/suggest?q=${id.slice(0, n)}`).expect(200);
    await request(app).get('/api/v1/suggest?q=138+1234+5678').expect(200);
    await request(app).get('/api/v1/suggest').query({ q: '我的居住证丢了怎么补办' }).expect(200);
    await request(app).post('/api/v1/answer').send({ question: '我叫张三，居住证丢了怎么补办' }).expect(200);
    // the random request id and the clock may hold any digits (a uuid once held 1234): they are left out of the search
    const text = lines
      .map((line) => {
        const { reqId: _reqId, time: _time, pid: _pid, ...rest } = JSON.parse(line);
        return JSON.stringify(rest);
      })
      .join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(id.length - 4);
    expect(text).not.toContain('310101');
    expect(text).not.toContain('1234');
    expect(text).not.toContain('居住证');
    expect(text).not.toContain('张三');
    // the path and which parameter was given are still there for debugging
    expect(JSON.parse(lines[0])).toMatchObject({ method: 'GET', url: '/api/v1/suggest?q=…', status: 200 });
  });

  it('healthz does not reveal where data is stored, and speaks Chinese', async () => {
    const dir = tempDir();
    const before = process.env.KB_MODEL_DIR;
    delete process.env.KB_MODEL_DIR;
    // auto mode without a model: the start-up note names the model directory inside the data directory
    const auto = await createServices({ dataDir: dir, embedderMode: 'auto' });
    try {
      const res = await request(createApp(auto)).get('/healthz').expect(200);
      const body = JSON.stringify(res.body);
      expect(body).not.toContain(dir);
      expect(body).not.toMatch(/(?:^|[\s"'（(])\/[\w.-]+\/[\w.-]+|[A-Z]:\\\\/); // no absolute path of any kind
      expect(res.body.embedder.note).toMatch(/内置向量/);
      // Chinese, apart from the command an operator types
      expect(res.body.embedder.note.replace('npm run fetch-model', '')).not.toMatch(/\b(using|not found|model)\b/i);
    } finally {
      auto.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (before !== undefined) process.env.KB_MODEL_DIR = before;
    }
  });

  it('healthz and metrics are rate-limited like the public API', async () => {
    const app = createApp(s, { rateLimit: { limit: 3, windowMs: 60_000 } });
    await request(app).get('/healthz').expect(200);
    await request(app).get('/metrics').expect(200);
    await request(app).get('/healthz').expect(200);
    const limited = await request(app).get('/metrics').expect(429);
    expect(limited.body.message).toContain('秒后再试');
    await request(app).get('/healthz').expect(429);
  });

  it('a body is parsed only after the per-client limits: past them, even a malformed body gets 429, not 400', async () => {
    const app = createApp(s, { rateLimit: { limit: 1, windowMs: 60_000 }, tokenFailures: { limit: 1, windowMs: 60_000 } });
    const malformed = (path: string) => request(app).post(path).set('Content-Type', 'application/json').send('{"question":');
    await malformed('/api/v1/answer').expect(400); // within the limit: parsed, and refused for it
    await malformed('/api/v1/answer').expect(429);
    await request(app).get('/api/v1/admin/entries').set('Authorization', 'Bearer guess').expect(401);
    await malformed('/api/v1/admin/entries').set('Authorization', 'Bearer guess-2').expect(429);
  });

  it('a metrics scrape reuses the gap figures for a few seconds instead of recomputing them', async () => {
    const gauge = (text: string) => Number(/^bangban_gaps_open (\d+)$/m.exec(text)![1]);
    const app = createApp(s);
    const first = gauge((await request(app).get('/metrics').expect(200)).text);
    s.kb.transaction(() => openGapsFromImport(s.kb, s.calendar, [{ rowNumber: 2, question: `指标缓存测试问题${Date.now()}` }]));
    // scraped again at once: the cached figure
    expect(gauge((await request(app).get('/metrics').expect(200)).text)).toBe(first);
    // a fresh app (no cache yet) sees the new gap: the figure is real, only reused
    expect(gauge((await request(createApp(s)).get('/metrics').expect(200)).text)).toBe(first + 1);
  });

  it('guessing tokens is slowed to 429 with a message naming when to retry; requests with a valid token are not penalised', async () => {
    const app = createApp(s, { trustProxy: 1 });
    const guesser = '203.0.113.50';
    const colleague = '203.0.113.51';
    // a busy colleague: many requests with a valid token, a few validation errors — none counts
    for (let i = 0; i < 25; i++) {
      await request(app).get('/api/v1/admin/entries').set('X-Forwarded-For', colleague).set('Authorization', `Bearer ${admin}`).expect(200);
    }
    for (let i = 0; i < 3; i++) {
      await request(app).get('/api/v1/admin/entries?limit=x').set('X-Forwarded-For', colleague).set('Authorization', `Bearer ${admin}`).expect(400);
    }
    // ten wrong tokens on the admin and agent APIs
    for (let i = 0; i < 10; i++) {
      const path = i % 2 ? '/api/v1/admin/entries' : '/api/v1/agent/answers';
      await request(app).get(path).set('X-Forwarded-For', guesser).set('Authorization', `Bearer guess-${i}-${'x'.repeat(20)}`).expect(401);
    }
    const limited = await request(app).get('/api/v1/admin/entries').set('X-Forwarded-For', guesser).set('Authorization', 'Bearer guess-11').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    expect(limited.body.message).toMatch(/访问令牌验证失败次数过多.*\d+ 分钟后（北京时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 以后）再试/);
    // the colleague, well past ten requests, still works; a wrong token from them is a plain 401
    await request(app).get('/api/v1/admin/entries').set('X-Forwarded-For', colleague).set('Authorization', `Bearer ${admin}`).expect(200);
    await request(app).get('/api/v1/admin/entries').set('X-Forwarded-For', colleague).set('Authorization', 'Bearer typo').expect(401);
    // the public API is a separate budget
    await ask(app, guesser).expect(200);
  });
});
