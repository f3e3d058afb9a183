import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { KnowledgeBase } from '../server/kb/index.js';
import { PG_URL, ReplicaSet, answeredEntry, call, publishEntry, replicaSchema, sleep, type Replica } from './helpers/replicas.js';

/*
 * Replicas: several servers on one PostgreSQL schema behind a load balancer. What a citizen and an editor notice:
 * an entry published through one replica is answered by the others within a second; a replica that dies takes no
 * acknowledged write with it and the others keep answering; it catches up when it comes back; two editors saving
 * the same version through different replicas cannot overwrite each other. Only with KB_TEST_DATABASE_URL.
 */

/** Opens the shared schema directly (as another replica would), for what the KB holds. */
function openShared(schema: string): KnowledgeBase {
  return KnowledgeBase.open('', undefined, { kind: 'postgres', url: PG_URL, schema });
}

/** Polls every 50 ms from the moment it is called (right after the write returned) until check() holds; false when a second passed first. */
async function withinASecond(check: () => Promise<boolean>): Promise<boolean> {
  const start = performance.now();
  while (performance.now() - start < 1000) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

describe.skipIf(!PG_URL)('replicas on one PostgreSQL schema', () => {
  const set = new ReplicaSet(replicaSchema());
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    // A fills the empty KB from the sample documents; B starts on the filled KB
    a = await set.start('a');
    b = await set.start('b');
  }, 240_000);
  afterAll(() => set.stopAll(), 60_000);

  it('an entry published through A is answered by B within a second (and no longer once archived); B reports it is listening and not behind', async () => {
    const question = '犬只电子标识芯片植入怎么预约？';
    /** The entry B answers the question with; every answer on the way is a 200. */
    const fromB = async () => {
      const r = await answeredEntry(b.port, question);
      expect(r.status).toBe(200);
      return r.entryId;
    };
    expect(await fromB()).toBeNull(); // no sample document answers it
    const { id, version } = await publishEntry(a.port, question, '在“随申办”搜索“犬只芯片”，选择就近的动物诊疗机构预约植入，免费。');
    expect(await withinASecond(async () => (await fromB()) === id), `B did not answer with entry ${id} within a second`).toBe(true);

    const health = (await call(b.port, 'GET', '/healthz')).body;
    expect(health.database.kind).toBe('postgres');
    expect(health.replica).toMatchObject({ listening: true, behindVersions: 0 });
    expect(health.index.kbVersion).toBe(health.database.kbVersion);

    // withdrawn through A: B stops giving that answer just as quickly
    const archived = await call(a.port, 'POST', `/api/v1/admin/entries/${id}/archive`, { reason: '试点结束', version });
    expect(archived.status).toBe(200);
    expect(await withinASecond(async () => (await fromB()) !== id), `B still answers with archived entry ${id}`).toBe(true);
  });

  it('two editors saving the same version of an entry through A and B: one is saved, the other gets 409 in Chinese', async () => {
    const created = await call(a.port, 'POST', '/api/v1/admin/entries', { category: 'faq', question: '老年人助餐补贴怎么申请？', answer: '向街道社区事务受理服务中心申请。' });
    expect(created.status).toBe(201);
    const { id, version } = created.body;
    const [viaA, viaB] = await Promise.all([
      call(a.port, 'PATCH', `/api/v1/admin/entries/${id}`, { answer: '向居住地街道社区事务受理服务中心申请（A）。', version }),
      call(b.port, 'PATCH', `/api/v1/admin/entries/${id}`, { answer: '通过“随申办”线上申请（B）。', version }),
    ]);
    expect([viaA.status, viaB.status].sort()).toEqual([200, 409]);
    const [saved, refused] = viaA.status === 200 ? [viaA, viaB] : [viaB, viaA];
    expect(refused.body.message).toMatch(/已被.*修改/);
    expect(refused.body.currentVersion).toBe(saved.body.version);
    // what both replicas show is the saved text
    for (const port of [a.port, b.port]) {
      const now = await call(port, 'GET', `/api/v1/admin/entries/${id}`);
      expect(now.body).toMatchObject({ version: saved.body.version, answer: saved.body.answer });
    }
  });

  it('SIGKILL of A during writes: B keeps answering, no acknowledged write is lost, A catches up when restarted', async () => {
    const acknowledged: Array<{ id: number; status: 'draft' | 'published'; version: number }> = [];
    let killed = false;
    // writes through A until it is killed (after its 6th acknowledged entry, while the loop goes on)
    const writes = (async () => {
      for (let i = 0; i < 200 && !killed; i++) {
        try {
          const created = await call(a.port, 'POST', '/api/v1/admin/entries', { category: 'faq', question: `崩溃测试事项 ${i} 如何办理？`, answer: `第 ${i} 项在窗口办理。` });
          if (created.status !== 201) throw new Error(`create ${created.status}`);
          acknowledged.push({ id: created.body.id, status: 'draft', version: created.body.version });
          const published = await call(a.port, 'POST', `/api/v1/admin/entries/${created.body.id}/publish`, { version: created.body.version });
          if (published.status !== 200) throw new Error(`publish ${published.status}`);
          acknowledged.push({ id: created.body.id, status: 'published', version: published.body.version });
        } catch {
          if (!killed) throw new Error(`a write to A failed before A was killed:\n${a.out}`);
        }
      }
    })();
    // B answers all the while, before and after the kill
    const answerStatuses: number[] = [];
    let stopAnswers = false;
    const answers = (async () => {
      while (!stopAnswers) {
        answerStatuses.push((await answeredEntry(b.port, '营业执照丢了怎么补')).status);
        await sleep(20);
      }
    })();
    for (let i = 0; i < 600 && acknowledged.filter((w) => w.status === 'published').length < 6; i++) await sleep(25);
    killed = true;
    await set.kill(a);
    await writes;
    await sleep(500); // B goes on answering after the kill
    stopAnswers = true;
    await answers;
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);
    expect(answerStatuses.length).toBeGreaterThan(5);
    expect(answerStatuses.filter((s) => s !== 200)).toEqual([]);

    // every acknowledged write is in the KB: the entry at least at the acknowledged version, published if acknowledged so
    const kb = openShared(set.schema);
    try {
      for (const w of acknowledged) {
        const entry = kb.entries.get(w.id);
        expect(entry, `acknowledged entry ${w.id} is missing`).toBeTruthy();
        expect(entry!.version).toBeGreaterThanOrEqual(w.version);
        if (w.status === 'published') expect(entry!.status).toBe('published');
      }
    } finally {
      kb.close();
    }
    // and B answers them
    const last = acknowledged.filter((w) => w.status === 'published').at(-1)!;
    const lastQuestion = (await call(b.port, 'GET', `/api/v1/admin/entries/${last.id}`)).body.question;
    expect((await answeredEntry(b.port, lastQuestion)).entryId).toBe(last.id);

    // while A is down an entry is published through B; A, restarted on its data directory, answers it and is up to date
    const question = '电动自行车上牌需要带什么材料？';
    const { id } = await publishEntry(b.port, question, '带上购车发票、合格证和身份证，到就近的上牌点办理。');
    a = await set.start('a-restarted', {}, a.dir);
    let answered: number | null = null;
    for (let i = 0; i < 100 && answered !== id; i++) {
      answered = (await answeredEntry(a.port, question)).entryId;
      if (answered !== id) await sleep(100);
    }
    expect(answered).toBe(id);
    const health = (await call(a.port, 'GET', '/healthz')).body;
    const shared = openShared(set.schema);
    try {
      expect(health.index.kbVersion).toBe(shared.version());
    } finally {
      shared.close();
    }
    expect(health.replica).toMatchObject({ listening: true, behindVersions: 0 });
  }, 120_000);
});
