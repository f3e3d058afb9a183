import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createServices } from '../server/services.js';
import { KnowledgeBase } from '../server/kb/index.js';
import { writeTinyBertModel } from './helpers/tiny-model.js';
import { tempDir } from './helpers/paths.js';

const stamp = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'index', 'hnsw.json'), 'utf8')) as { embedderId: string; kbVersion: number; dimensions: number };

describe('derived search indexes follow the KB and the embedder', () => {
  it('are stamped, and rebuilt when the embedder, the KB or the index files change', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    for (const [q, a] of [['营业执照遗失了怎么补办？', '登录“一网通办”申请补领。'], ['公积金怎么提取？', '在“随申办”申请提取。']]) {
      kb.entries.publish(kb.entries.create({ category: 'guide', question: q, answer: a }, 't').id, 't');
    }
    kb.close();

    // builtin embedder: index built and stamped with it and the KB version
    let s = await createServices({ dataDir: dir, embedderMode: 'auto' });
    expect(s.engine.status()).toMatchObject({ entries: 2, embedder: { kind: 'builtin' } });
    s.close();
    expect(stamp(dir)).toMatchObject({ embedderId: expect.stringContaining('builtin'), dimensions: 384 });

    // a model appears in the model folder: auto switches to it and the vectors are rebuilt with it
    await writeTinyBertModel(path.join(dir, 'models'), 'Xenova/bge-small-zh-v1.5');
    s = await createServices({ dataDir: dir, embedderMode: 'auto' });
    expect(s.engine.status()).toMatchObject({ entries: 2, embedder: { kind: 'transformers' } });
    expect((await s.answers.answer({ question: '营业执照遗失了怎么补办' })).answer?.question).toBe('营业执照遗失了怎么补办？');
    s.close();
    expect(stamp(dir).embedderId).toContain('transformers');

    // the KB changes while no server runs: the next start indexes the new entry
    const kb2 = KnowledgeBase.open(dir);
    kb2.entries.publish(kb2.entries.create({ category: 'hotline', question: '12345是什么热线？', answer: '市民服务热线。' }, 't').id, 't');
    const version = kb2.version();
    kb2.close();
    s = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    expect(s.engine.status()).toMatchObject({ entries: 3, kbVersion: version });
    expect((await s.answers.answer({ question: '12345是什么热线' })).outcome).toBe('answered');
    s.close();

    // torn index files: rebuilt from the KB
    fs.writeFileSync(path.join(dir, 'index', 'hnsw.bin'), 'garbage');
    s = await createServices({ dataDir: dir, embedderMode: 'builtin' });
    expect(s.engine.status().entries).toBe(3);
    expect((await s.answers.answer({ question: '公积金怎么提取' })).answer?.question).toBe('公积金怎么提取？');
    s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
