#!/usr/bin/env node
/**
 * The child process of test/crash.test.ts (not a user command): node dist/scripts/crash-worker.js DATA_DIR SEEDS_DIR SEED WRITES
 *
 * Opens the services on DATA_DIR (builtin embedder) and, interleaved on one event loop, ingests the seed documents
 * (published, one transaction per file) and makes WRITES admin-style writes through the KB API (create, update,
 * publish, archive of its own entries, chosen by a PRNG seeded with SEED), syncing the search index after each and
 * writing the vector files every few. Every write is acknowledged on stdout only after it committed:
 *   ready | doc <index> <file name> | entry <id> <version> <status> | done
 * The test kills it with SIGKILL at random moments and checks what survived.
 */
import { mulberry32 } from '../server/cli/prng.js';
import fs from 'node:fs';
import path from 'node:path';
import { createServices } from '../server/services.js';
import { collectFiles, ingestFile } from '../ingest/pipeline.js';
import type { Entry } from '../server/kb/entries.js';
import { syntheticEntry } from './synthetic-kb.js';

/** Pipes are written synchronously on POSIX, but make it explicit: an ack must be out before the next write. */
const ack = (line: string) => fs.writeSync(1, `${line}\n`);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));


async function main(): Promise<void> {
  const [dataDir, seedsDir, seedArg, writesArg] = process.argv.slice(2);
  if (!dataDir || !seedsDir) throw new Error('usage: crash-worker DATA_DIR SEEDS_DIR SEED WRITES');
  const random = mulberry32(Number(seedArg ?? 1));
  const writes = Number(writesArg ?? 150);
  const s = await createServices({ dataDir, embedderMode: 'builtin' });
  ack('ready');

  const ingest = async () => {
    const { files } = collectFiles([seedsDir]);
    for (const [i, file] of files.entries()) {
      const r = await ingestFile(s.kb, file, { publish: true, actor: 'crash-ingest' });
      if (r.status === 'failed') throw new Error(r.error);
      ack(`doc ${i} ${path.basename(file)}`);
      await s.engine.sync();
      await tick();
    }
  };

  const admin = async () => {
    const mine: number[] = [];
    for (let n = 0; n < writes; n++) {
      let e: Entry;
      const id = mine[Math.floor(random() * mine.length)];
      const current = id ? s.kb.entries.require(id) : null;
      const roll = random();
      if (!current || roll < 0.3) {
        e = s.kb.entries.create({ ...syntheticEntry(mine.length), origin: 'manual' }, 'crash-admin', '新建');
        mine.push(e.id);
      } else if (current.status === 'draft' && roll < 0.75) {
        e = s.kb.entries.publish(current.id, 'crash-admin', '发布');
      } else if (current.status === 'published' && roll > 0.85) {
        e = s.kb.entries.archive(current.id, 'crash-admin', '归档');
      } else {
        e = s.kb.entries.update(current.id, { answer: `${current.answer.replace(/（第 \d+ 次修改）$/, '')}（第 ${n} 次修改）` }, 'crash-admin', '修改');
      }
      ack(`entry ${e.id} ${e.version} ${e.status}`);
      await s.engine.sync();
      if (n % 10 === 9) s.engine.flush(); // write the HNSW files now and then, so kills land there too
      await tick();
    }
  };

  await Promise.all([ingest(), admin()]);
  s.engine.flush();
  ack('done');
  s.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
