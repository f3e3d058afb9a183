#!/usr/bin/env node
// npm test runs the suite once per database: SQLite always; PostgreSQL too when KB_TEST_DATABASE_URL names a
// server (CI always does: .ci/run starts a private cluster with scripts/ci/postgres-cluster.sh). Arguments go to
// vitest both times (npm test -- test/kb.test.ts). Plain JavaScript, like scripts/build.mjs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = process.argv.slice(2);

function run(label, env) {
  console.log(`\n=== 测试：${label} ===\n`);
  const r = spawnSync(process.execPath, [vitest, 'run', ...args], { cwd: root, stdio: 'inherit', env });
  return r.status ?? 1;
}

const { KB_TEST_DATABASE_URL: postgres, ...withoutPostgres } = process.env;
// the SQLite round must not pick up a KB_DATABASE_URL meant for a server
delete withoutPostgres.KB_DATABASE_URL;
let status = run('SQLite（内置默认）', withoutPostgres);
if (postgres) {
  status = run(`PostgreSQL（${postgres.replace(/\/\/[^@/]*@/, '//…@')}）`, { ...withoutPostgres, KB_TEST_DATABASE_URL: postgres }) || status;
} else {
  console.log('\n未设置 KB_TEST_DATABASE_URL：本次只测了 SQLite。要同时测 PostgreSQL，见 README“测试”一节（CI 总是两种都测）。');
}
process.exit(status);
