import { defineConfig } from 'vitest/config';

/**
 * The test matrix. Without KB_TEST_DATABASE_URL every KB a test opens is a SQLite file; with it (CI sets it, see
 * .ci/run), the same suite runs with every KB in PostgreSQL — one schema per data directory (KB_DATABASE_SCHEMA's
 * `{dataDir}`), so tests stay as isolated as with their own files.
 */
const postgres = process.env.KB_TEST_DATABASE_URL;

export default defineConfig({
  test: {
    // cross-cutting tests in test/, a resource's route test beside its router (server/routes/<resource>/<resource>.test.ts)
    include: ['test/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: postgres ? ['test/helpers/postgres-setup.ts'] : [],
    // tests send far more requests per minute than a citizen: the limiter itself is tested with its own options
    env: {
      KB_RATE_LIMIT: '1000000',
      KB_CRON: 'off',
      KB_LOG_LEVEL: 'silent',
      ...(postgres ? { KB_DATABASE_URL: postgres, KB_DATABASE_SCHEMA: 't_{dataDir}' } : {}),
    },
  },
});
