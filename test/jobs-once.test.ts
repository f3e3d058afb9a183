import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { KnowledgeBase } from '../server/kb/index.js';
import { JOBS } from '../server/ops/jobs.js';
import { PG_URL, ReplicaSet, replicaSchema, sleep, type Replica } from './helpers/replicas.js';

/*
 * Scheduled jobs with several replicas: every replica's cron ticks, but each cron slot of a job is run once, by
 * one replica; when that replica dies, another runs the following slots. Only with KB_TEST_DATABASE_URL.
 * gap-cluster runs every 2 seconds here, the other jobs are off.
 */

const JOB = 'gap-cluster';
const CRON_ENV: Record<string, string> = {
  KB_CRON: 'on',
  ...Object.fromEntries(JOBS.map((j) => [j.envVar, j.name === JOB ? '*/2 * * * * *' : 'off'])),
};

interface SlotRun {
  slot: string;
  runner: string;
  status: string;
}

describe.skipIf(!PG_URL)('scheduled jobs with three replicas on one PostgreSQL schema', () => {
  const set = new ReplicaSet(replicaSchema());
  let kb: KnowledgeBase;
  const replicas: Replica[] = [];

  /** The scheduled runs of the job, slot by slot (job_runs, read as another replica would). */
  const slotRuns = (): SlotRun[] =>
    kb.db.prepare(`SELECT slot, runner, status FROM job_runs WHERE job = ? AND slot IS NOT NULL ORDER BY slot, id`).all(JOB) as SlotRun[];

  beforeAll(async () => {
    // the first fills the empty KB from the sample documents; the other two start on the filled KB, together
    replicas.push(await set.start('jobs-1', CRON_ENV));
    replicas.push(...(await Promise.all([set.start('jobs-2', CRON_ENV), set.start('jobs-3', CRON_ENV)])));
    kb = KnowledgeBase.open('', undefined, { kind: 'postgres', url: PG_URL, schema: set.schema });
  }, 240_000);
  afterAll(async () => {
    kb?.close();
    await set.stopAll();
  }, 60_000);

  it('runs each cron slot once; after the running replica is killed, another runs the later slots, each once', async () => {
    await sleep(7000);
    const before = slotRuns();
    const slots = before.map((r) => r.slot);
    expect(new Set(slots).size, JSON.stringify(before)).toBe(slots.length); // at most one run per slot
    expect(slots.length).toBeGreaterThanOrEqual(2);
    expect(before.every((r) => r.status === 'ok'), JSON.stringify(before)).toBe(true);

    // one replica leads the jobs and ran them all (job_runs.runner is host:pid); it dies without shutting down
    const runner = before[0].runner;
    expect(new Set(before.map((r) => r.runner)), JSON.stringify(before)).toEqual(new Set([runner]));
    const leader = replicas.find((r) => runner.endsWith(`:${r.child.pid}`));
    expect(leader, `runner ${runner} is none of the replicas`).toBeDefined();
    const killedAt = new Date().toISOString();
    await set.kill(leader!);

    await sleep(7000);
    const after = slotRuns().filter((r) => r.slot > killedAt);
    const laterSlots = after.map((r) => r.slot);
    expect(new Set(laterSlots).size, JSON.stringify(after)).toBe(laterSlots.length);
    expect(laterSlots.length, JSON.stringify(after)).toBeGreaterThanOrEqual(2);
    const survivors = replicas.filter((r) => r !== leader).map((r) => `:${r.child.pid}`);
    for (const r of after) {
      expect(survivors.some((s) => r.runner.endsWith(s)), `slot ${r.slot} run by ${r.runner}`).toBe(true);
      expect(r.status).toBe('ok');
    }
    // and no slot of the whole run was run twice
    const all = slotRuns().map((r) => r.slot);
    expect(new Set(all).size).toBe(all.length);
  }, 60_000);
});
