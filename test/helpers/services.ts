import fs from 'node:fs';
import { createServices, type Services } from '../../server/services.js';
import { KnowledgeBase } from '../../server/kb/index.js';
import { importPaths } from '../../server/commands/importFile.js';
import type { KbClock } from '../../server/kb/clock.js';
import { tempDir } from './paths.js';

/** A fresh data directory, optionally filled from source paths (published), with services on the builtin embedder. */
export async function servicesFor(paths: string[] = [], opts: { clock?: KbClock; dir?: string; newGapsPerClientPerDay?: number } = {}): Promise<Services & { cleanup(): void }> {
  const dir = opts.dir ?? tempDir();
  if (paths.length) {
    const kb = KnowledgeBase.open(dir);
    const { results } = await importPaths({ kb }, paths, { publish: true, actor: 'test' });
    kb.close();
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(failed.map((r) => r.error).join('\n'));
  }
  const s = await createServices({ dataDir: dir, embedderMode: 'builtin', clock: opts.clock, newGapsPerClientPerDay: opts.newGapsPerClientPerDay });
  return Object.assign(s, {
    cleanup() {
      s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}
