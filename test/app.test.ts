import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { SAMPLE_DOCS_DIR } from './helpers/paths.js';
import { servicesFor } from './helpers/services.js';

describe('service on the bundled sample KB', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    s = await servicesFor([SAMPLE_DOCS_DIR]);
    app = createApp(s);
  });
  afterAll(() => s.cleanup());

  it('the sample documents and the Q&A sheet all ingest into published, indexed entries', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.index.entries).toBeGreaterThan(30);
    expect(res.body.index.upToDate).toBe(true);
    expect(res.body.embedder.kind).toBe('builtin');
    expect(res.body.embedder.note).toContain('builtin');
    expect(s.kb.documents.list('qa_sheet')).toHaveLength(1);
    expect(s.kb.documents.list('policy').length).toBeGreaterThanOrEqual(3);
  });

  it('lists the seven categories with counts', async () => {
    const res = await request(app).get('/api/v1/categories').expect(200);
    expect(res.body.categories.map((c: { label: string }) => c.label)).toEqual(['网上办事指引', '常见问题', '政务百科词条', '政策文件', '通知公告', '热线电话', '部门信息']);
    expect(res.body.categories.find((c: { code: string }) => c.code === 'policy').count).toBeGreaterThanOrEqual(3);
  });

  it('serves a published entry with its source, and 404/400 otherwise', async () => {
    const entry = s.kb.entries.list({ status: 'published', category: 'faq' }).items.find((e) => e.sourceSection)!;
    const res = await request(app).get(`/api/v1/entries/${entry.id}`).expect(200);
    expect(res.body.question).toBe(entry.question);
    expect(res.body.source.documentTitle).toBeTruthy();
    await request(app).get('/api/v1/entries/999999').expect(404);
    const bad = await request(app).get('/api/v1/entries/abc').expect(400);
    expect(bad.body.message).toContain('id');
  });

  it('answers a question from the sample spreadsheet', async () => {
    const res = await request(app).post('/api/v1/answer').send({ question: '营业执照丢了怎么补办' }).expect(200);
    expect(['answered', 'suggest']).toContain(res.body.outcome);
    const shown = res.body.answer ? res.body.answer.question : res.body.suggestions[0].question;
    expect(shown).toMatch(/营业执照/);
  });
});
