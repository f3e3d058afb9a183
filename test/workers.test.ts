import { describe, it, expect } from 'vitest';
import request from 'supertest';
import fs from 'node:fs';
import { createApp } from '../server/app.js';
import { createServices } from '../server/services.js';
import { tempDir } from './helpers/paths.js';

// With KB_WORKERS > 1 several server processes share one data directory; two Services on one directory stand in
// for two of them here.
describe('several server processes on one knowledge base', () => {
  it('an entry published through one is answered by the other, and a dictionary edit reaches both', async () => {
    const dir = tempDir();
    const a = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    const b = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    try {
      const token = a.tokens.create('张三', 'editor', 'test').token;
      const appA = createApp(a);
      const appB = createApp(b);
      const auth = { Authorization: `Bearer ${token}` };
      const created = await request(appA)
        .post('/api/v1/admin/entries').set(auth)
        .send({ category: 'glossary', question: '免申即享是什么意思？', similarQuestions: ['什么叫免申即享'], answer: '符合条件的企业和个人无需申请即可享受政策。' })
        .expect(201);
      // the editor drafts, a reviewer publishes (through the same process)
      const reviewer = { Authorization: `Bearer ${a.tokens.create('王五', 'reviewer', 'test').token}` };
      await request(appA).post(`/api/v1/admin/entries/${created.body.id}/publish`).set(reviewer).send({ version: created.body.version }).expect(200);
      const answered = await request(appB).post('/api/v1/answer').send({ question: '免申即享是什么意思' }).expect(200);
      expect(answered.body.answer?.entryId).toBe(created.body.id);

      const words = (await request(appA).get('/api/v1/admin/dictionary').set(auth).expect(200)).body.words as string[];
      await request(appA).put('/api/v1/admin/dictionary').set(auth).send({ words: [...words, '靠谱职'] }).expect(200);
      const hit = await request(appB).post('/api/v1/admin/hit-test').set(auth).send({ question: '靠谱职是什么服务' }).expect(200);
      expect(hit.body.concepts.map((c: { text: string }) => c.text)).toContain('靠谱职');
    } finally {
      a.close();
      b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
