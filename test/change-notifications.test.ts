import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { KnowledgeBase } from '../server/kb/index.js';
import { PG_URL, sleep } from './helpers/replicas.js';

/*
 * Replicas learn of a write from a kb_changed notification. An import writes thousands of entries in one transaction;
 * the replicas must hear of it once, not once per entry (each notification makes every replica read the version
 * again). Only with KB_TEST_DATABASE_URL.
 */
describe.skipIf(!PG_URL)('change notifications on PostgreSQL', () => {
  // t_kb_…: dropped with the other test schemas at the start of the next PostgreSQL run
  const schema = `t_kb_notify_${process.pid}`;
  let kb: KnowledgeBase;
  let listener: pg.Client;
  const heard: string[] = [];

  beforeAll(async () => {
    kb = KnowledgeBase.open('', undefined, { kind: 'postgres', url: PG_URL, schema });
    listener = new pg.Client({ connectionString: PG_URL });
    await listener.connect();
    listener.on('notification', (n) => {
      if (n.payload === schema) heard.push(n.payload);
    });
    await listener.query('LISTEN kb_changed');
  });
  afterAll(async () => {
    kb?.close();
    await listener?.end();
  });

  /** The notifications that arrive within half a second of the write. */
  async function heardAfter(write: () => void): Promise<string[]> {
    heard.length = 0;
    write();
    await sleep(500);
    return [...heard];
  }

  it('twenty entries created and published in one transaction are announced once', async () => {
    const before = kb.version();
    const notes = await heardAfter(() =>
      kb.transaction(() => {
        for (let i = 0; i < 20; i++) {
          const e = kb.entries.create({ category: 'faq', question: `第 ${i} 个测试问题怎么办理？`, answer: `第 ${i} 个回答。` }, 'test');
          kb.entries.publish(e.id, 'test');
        }
      }),
    );
    expect(kb.version()).toBe(before + 40);
    expect(notes).toEqual([schema]);
  });

  it('a write outside a transaction is announced once too, and nothing is announced for a transaction that rolled back', async () => {
    const before = kb.version();
    expect(await heardAfter(() => kb.entries.create({ category: 'faq', question: '单独写入的问题？', answer: '单独写入的回答。' }, 'test'))).toEqual([schema]);
    const rolledBack = await heardAfter(() => {
      expect(() =>
        kb.transaction(() => {
          kb.entries.create({ category: 'faq', question: '回滚的问题？', answer: '回滚的回答。' }, 'test');
          throw new Error('编辑取消');
        }),
      ).toThrow('编辑取消');
    });
    expect(rolledBack).toEqual([]);
    expect(kb.version()).toBe(before + 1);
  });
});
