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
});
