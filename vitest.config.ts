import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // cross-cutting tests in test/, a resource's route test beside its router (server/routes/<resource>/<resource>.test.ts)
    include: ['test/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // tests send far more requests per minute than a citizen: the limiter itself is tested with its own options
    env: { KB_RATE_LIMIT: '1000000', KB_CRON: 'off', KB_LOG_LEVEL: 'silent' },
  },
});
