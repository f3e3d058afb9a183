import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../app.js';
import { servicesFor } from '../../../test/helpers/services.js';
import { REPO_ROOT } from '../../../test/helpers/paths.js';
import { parseSynonyms } from '../../search/synonyms.js';

/** The lists' routes: synonyms, dictionary, colloquial lexicon, and their history, export and import (test/lexicon-store.test.ts: kept in the KB across backup and restore). */

const bundled = (name: string) => path.join(REPO_ROOT, 'kb-data', name);

async function withEditor() {
  const s = await servicesFor();
  const auth = { Authorization: `Bearer ${s.tokens.create('张编辑', 'editor', 'test').token}` };
  return { s, app: createApp(s), auth };
}

describe('synonyms and dictionary', () => {
  it('a bad line reports its line number as a person counts it', async () => {
    const { s, app, auth } = await withEditor();
    try {
      const lines = Array.from({ length: 30 }, (_, i) => `词${i}甲 词${i}乙`);
      const bad = (await request(app).put('/api/v1/admin/synonyms').set(auth).send({ text: [...lines, '社保', '公司 企业'].join('\n') }).expect(400)).body;
      expect(bad.message).toBe('第 31 行：每组至少两个词（“社保”）');
      const groups = [...lines.map((l) => l.split(' ')), ['社保']];
      const badGroup = (await request(app).put('/api/v1/admin/synonyms').set(auth).send({ groups }).expect(400)).body;
      expect(badGroup.message).toBe('第 31 组：每组至少两个词');
      const badWord = (await request(app).put('/api/v1/admin/dictionary').set(auth).send({ text: '一网通办\n\n免申 即享\n' }).expect(400)).body;
      expect(badWord.message).toBe('第 3 行：一行一个词，词中不能有空格（“免申 即享”）');
      // nothing was saved
      expect((await request(app).get('/api/v1/admin/synonyms').set(auth).expect(200)).body.groups).not.toContainEqual(['词0甲', '词0乙']);
    } finally {
      s.cleanup();
    }
  });
});

describe('the colloquial lexicon in the knowledge base', () => {
  const ENTRY = { category: 'guide' as const, question: '出生医学证明怎么办理？', answer: '新生儿出生后，父母持身份证到助产医院办理出生医学证明。' };

  it('starts as the bundled file, exports in its format, and an edit is used by the next question', async () => {
    const { s, app, auth } = await withEditor();
    try {
      s.kb.entries.publish(s.kb.entries.create(ENTRY, 'test').id, 'test');
      await s.engine.sync();
      const shipped = fs.readFileSync(bundled('colloquial.txt'), 'utf8');
      expect((await request(app).get('/api/v1/admin/colloquial').set(auth).expect(200)).body.text).toBe(shipped);
      const exported = await request(app).get('/api/v1/admin/lexicon/colloquial/export').set(auth).expect(200);
      expect(exported.headers['content-disposition']).toContain('colloquial.txt');
      expect(exported.text).toBe(shipped);
      expect((await request(app).get('/api/v1/admin/lexicon/colloquial/history').set(auth).expect(200)).body.saves).toEqual([]);

      const ask = async () => (await request(app).post('/api/v1/answer').send({ question: '娃娃纸怎么办理' }).expect(200)).body;
      expect((await ask()).outcome).not.toBe('answered');
      const text = `${shipped}\n# 新生儿\n娃娃纸 => 出生医学证明\n`;
      const saved = (await request(app).put('/api/v1/admin/colloquial').set(auth).send({ text }).expect(200)).body;
      expect(saved.text).toBe(text);
      const after = await ask();
      expect(after.outcome).toBe('answered');
      expect(after.answer.question).toBe(ENTRY.question);

      // kept with who saved it, in the audit log, and exported as saved (comments included); the repository file untouched
      const { saves } = (await request(app).get('/api/v1/admin/lexicon/colloquial/history').set(auth).expect(200)).body;
      expect(saves).toHaveLength(1);
      expect(saves[0]).toMatchObject({ editedBy: '张编辑' });
      expect(s.audit.list({ actor: '张编辑' }).items.map((a: { path: string }) => a.path)).toContain('/api/v1/admin/colloquial');
      expect((await request(app).get('/api/v1/admin/lexicon/colloquial/export').set(auth).expect(200)).text).toBe(text);
      expect(fs.readFileSync(bundled('colloquial.txt'), 'utf8')).toBe(shipped);
    } finally {
      s.cleanup();
    }
  });

  it('an imported file with bad lines is refused whole, every bad line named as a person counts; a good file replaces the list', async () => {
    const { s, app, auth } = await withEditor();
    try {
      s.kb.entries.publish(s.kb.entries.create(ENTRY, 'test').id, 'test');
      await s.engine.sync();
      const bad = '# 口语词典\n娃娃纸 => 出生医学证明\n出生纸 出生医学证明\n\n => 生育津贴\n';
      const refused = (await request(app).post('/api/v1/admin/lexicon/colloquial/import').set(auth).type('text/plain').send(bad).expect(400)).body;
      expect(refused.message).toBe('第 3 行：缺少 “=>”（格式：口语词 口语词2 => 官方词）；第 5 行：“=>” 左边没有口语词（格式：口语词 口语词2 => 官方词）（共 2 行有误，未保存）');
      expect((await request(app).get('/api/v1/admin/lexicon/colloquial/history').set(auth).expect(200)).body.saves).toEqual([]);
      expect((await request(app).post('/api/v1/answer').send({ question: '娃娃纸怎么办理' }).expect(200)).body.outcome).not.toBe('answered');

      const good = '\uFEFF# 口语词典\n娃娃纸 出生纸 => 出生医学证明\n';
      const out = (await request(app).post('/api/v1/admin/lexicon/colloquial/import').set(auth).type('text/plain').send(good).expect(200)).body;
      expect(out.message).toBe('口语词典已导入并生效（共 1 行）');
      expect((await request(app).post('/api/v1/answer').send({ question: '出生纸怎么办理' }).expect(200)).body.outcome).toBe('answered');
      expect((await request(app).get('/api/v1/admin/lexicon/colloquial/export').set(auth).expect(200)).text).toBe(good.slice(1));

      // the synonyms and the dictionary import the same way; an exported file imports back unchanged
      const synonymsFile = (await request(app).get('/api/v1/admin/lexicon/synonyms/export').set(auth).expect(200)).text;
      await request(app).post('/api/v1/admin/lexicon/synonyms/import').set(auth).type('text/plain').send(synonymsFile).expect(200);
      expect((await request(app).get('/api/v1/admin/synonyms').set(auth).expect(200)).body.groups).toEqual(parseSynonyms(synonymsFile));
      const dictRefused = (await request(app).post('/api/v1/admin/lexicon/dictionary/import').set(auth).type('text/plain').send('一网通办\n免申 即享\n').expect(400)).body;
      expect(dictRefused.message).toBe('第 2 行：一行一个词，词中不能有空格（“免申 即享”）');
      // a reviewer may export but not import
      const reviewer = { Authorization: `Bearer ${s.tokens.create('李审核', 'reviewer', 'test').token}` };
      await request(app).get('/api/v1/admin/lexicon/dictionary/export').set(reviewer).expect(200);
      await request(app).post('/api/v1/admin/lexicon/dictionary/import').set(reviewer).type('text/plain').send('一网通办\n').expect(403);
    } finally {
      s.cleanup();
    }
  });
});
