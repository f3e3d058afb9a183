import { describe, it, expect } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../server/app.js';
import { servicesFor } from './helpers/services.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { backupKb } from '../scripts/backup.js';
import { restoreKb } from '../scripts/restore.js';
import { parseSynonyms } from '../server/search/synonyms.js';

/** Synonyms and dictionary edited in the admin page live in the knowledge base, not in the repository's kb-data/. */

const bundled = (name: string) => path.join(REPO_ROOT, 'kb-data', name);
const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function withEditor(dir?: string) {
  const s = await servicesFor([], { dir });
  const auth = { Authorization: `Bearer ${s.tokens.create('张编辑', 'editor', 'test').token}` };
  return { s, app: createApp(s), auth };
}

describe('lexicon edits in the knowledge base', () => {
  it('a synonym added in the admin page survives backup and restore, and leaves kb-data untouched', async () => {
    const shipped = { synonyms: hash(bundled('synonyms.txt')), dictionary: hash(bundled('dictionary.txt')) };
    const { s, app, auth } = await withEditor();
    const before = (await request(app).get('/api/v1/admin/synonyms').set(auth).expect(200)).body.groups as string[][];
    const text = `${before.map((g) => g.join(' ')).join('\n')}\n靠谱职 好工作 优质岗位\n`;
    const saved = (await request(app).put('/api/v1/admin/synonyms').set(auth).send({ text }).expect(200)).body.groups as string[][];
    expect(saved).toContainEqual(['靠谱职', '好工作', '优质岗位']);
    const words = (await request(app).get('/api/v1/admin/dictionary').set(auth).expect(200)).body.words as string[];
    await request(app).put('/api/v1/admin/dictionary').set(auth).send({ text: [...words, '靠谱职'].join('\n') }).expect(200);

    // nothing written next to the database or into the repository
    expect(fs.existsSync(path.join(s.dataDir, 'synonyms.txt'))).toBe(false);
    expect(fs.existsSync(path.join(s.dataDir, 'dictionary.txt'))).toBe(false);
    expect({ synonyms: hash(bundled('synonyms.txt')), dictionary: hash(bundled('dictionary.txt')) }).toEqual(shipped);

    const backups = tempDir();
    const file = path.join(backups, 'kb.db');
    await backupKb(s.dataDir, file);
    s.cleanup();
    const restoredDir = tempDir();
    restoreKb(file, restoredDir);
    const restored = await withEditor(restoredDir);
    try {
      expect((await request(restored.app).get('/api/v1/admin/synonyms').set(restored.auth).expect(200)).body.groups).toContainEqual(['靠谱职', '好工作', '优质岗位']);
      expect((await request(restored.app).get('/api/v1/admin/dictionary').set(restored.auth).expect(200)).body.words).toContain('靠谱职');
      const hit = (await request(restored.app).post('/api/v1/admin/hit-test').set(restored.auth).send({ question: '靠谱职哪里找' }).expect(200)).body;
      expect(hit.concepts.find((c: { text: string }) => c.text === '靠谱职')?.forms).toEqual(expect.arrayContaining(['好工作']));
    } finally {
      restored.s.cleanup();
      fs.rmSync(backups, { recursive: true, force: true });
    }
  });

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
