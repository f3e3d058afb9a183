import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { startupMessage } from '../server/startup-message.js';
import { REPO_ROOT } from './helpers/paths.js';

/** Starting it: npm says nothing alarming, commands do not recompile needlessly, the log says where to go. */

/** Terminal columns: CJK characters take two. */
const columns = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);

describe('starting it', () => {
  it('npm commands in the project print no warnings (no unknown .npmrc config)', () => {
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/npm warn/i);
  });

  it('a command starts without recompiling when nothing changed since the last build', () => {
    spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: REPO_ROOT, encoding: 'utf8' }); // npm test built already
    const started = performance.now();
    const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('正在构建');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('the start-up log says where the demo and admin pages are and how to get a token, on short lines', () => {
    const lines = startupMessage({
      port: 3000, dataDir: 'kb-data', publishedEntries: 120, embedderNote: '内置向量 builtin-hash-v1/384（没有语义模型；npm run fetch-model 可下载）',
      adminTokenFromEnv: false, jobs: '4 个（上海时间），npm run jobs -- list 查看',
    });
    const text = lines.join('\n');
    expect(text).toContain('http://localhost:3000/');
    expect(text).toContain('管理页：http://localhost:3000/admin');
    expect(text).toContain('npm run token -- create --role admin --name');
    expect(text).toContain('KB_ADMIN_TOKEN');
    for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(80);
    const withEnv = startupMessage({ port: 8080, dataDir: '/srv/kb', publishedEntries: 1, embedderNote: 'x', adminTokenFromEnv: true, jobs: '已停用（KB_CRON=off）' }).join('\n');
    expect(withEnv).toContain('KB_ADMIN_TOKEN 的值即管理员令牌');
    expect(withEnv).not.toContain('npm run token');
  });
});
