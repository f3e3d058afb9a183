import { describe, it, expect, beforeEach, afterEach, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { openDatabase, type Db } from '../server/kb/db.js';
import { MIGRATIONS } from '../server/kb/migrations.js';
import { KnowledgeBase } from '../server/kb/index.js';
import type { KbClock } from '../server/kb/clock.js';
import { NotFoundError, ValidationError } from '../server/kb/errors.js';
import {
  TokenStore,
  PERMISSIONS,
  ROLES,
  can,
  permissionsOf,
  bootstrapAdminToken,
  BOOTSTRAP_NAME,
  type Permission,
  type Role,
} from '../server/auth/tokens.js';
import { authenticate, requirePermission, bearerToken } from '../server/auth/middleware.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { ON_POSTGRES } from './helpers/database.js';

/** A clock the test moves by hand. */
function manualClock(start = '2026-11-23T09:00:00.000Z') {
  let t = Date.parse(start);
  const clock: KbClock & { advance(ms: number): void } = {
    now: () => new Date(t),
    nowIso: () => new Date(t).toISOString(),
    advance: (ms) => {
      t += ms;
    },
  };
  return clock;
}

const TOKEN_RE = /^bbk_[A-Za-z0-9_-]{43}$/;

describe('TokenStore', () => {
  let db: Db;
  let clock: ReturnType<typeof manualClock>;
  let store: TokenStore;
  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = manualClock();
    store = new TokenStore(db, clock);
  });
  afterEach(() => db.close());

  it('creates a bbk_ token shown once, and verifies it to its principal', () => {
    const { token, record } = store.create(' 张三 ', 'editor', 'admin:李四');
    expect(token).toMatch(TOKEN_RE);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(record).toEqual({
      id: record.id,
      name: '张三',
      role: 'editor',
      prefix: token.slice(0, 8),
      createdAt: '2026-11-23T09:00:00.000Z',
      createdBy: 'admin:李四',
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(store.verify(token)).toEqual({ id: record.id, name: '张三', role: 'editor' });
    expect(JSON.stringify(store.list())).not.toContain(token);
  });

  it('tokens are distinct; unknown, altered, empty or oversized tokens do not verify', () => {
    const a = store.create('a', 'agent', 'test').token;
    const b = store.create('b', 'agent', 'test').token;
    expect(a).not.toBe(b);
    expect(store.verify(a.slice(0, -1) + (a.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(store.verify('bbk_' + 'x'.repeat(43))).toBeNull();
    expect(store.verify('')).toBeNull();
    expect(store.verify(a + 'x'.repeat(600))).toBeNull();
  });

  it('stores only the SHA-256 hash and an 8-character prefix', () => {
    const { token, record } = store.create('张三', 'reviewer', 'test');
    const row = db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(record.id) as Record<string, unknown>;
    expect(row.token_hash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(row.prefix).toBe(token.slice(0, 8));
    expect(Object.values(row)).not.toContain(token);
  });

  it('revoking makes verify fail; revoking again keeps the first time; unknown ids are NotFound', () => {
    const { token, record } = store.create('张三', 'editor', 'test');
    clock.advance(5_000);
    const revoked = store.revoke(record.id);
    expect(revoked.revokedAt).toBe('2026-11-23T09:00:05.000Z');
    expect(store.verify(token)).toBeNull();
    clock.advance(5_000);
    expect(store.revoke(record.id).revokedAt).toBe('2026-11-23T09:00:05.000Z');
    expect(() => store.revoke(999)).toThrow(NotFoundError);
    expect(store.list().map((r) => [r.id, r.revokedAt])).toEqual([[record.id, '2026-11-23T09:00:05.000Z']]);
  });

  it('records last use at most once a minute', () => {
    const { token, record } = store.create('坐席', 'agent', 'test');
    const lastUsed = () => store.get(record.id)!.lastUsedAt;
    const changes = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    store.verify(token);
    expect(lastUsed()).toBe('2026-11-23T09:00:00.000Z');
    const before = changes();
    clock.advance(30_000);
    store.verify(token);
    store.verify(token);
    expect(lastUsed()).toBe('2026-11-23T09:00:00.000Z');
    expect(changes()).toBe(before); // no write for these requests
    clock.advance(30_000);
    store.verify(token);
    expect(lastUsed()).toBe('2026-11-23T09:01:00.000Z');
  });

  it('rejects an empty name and an unknown role', () => {
    expect(() => store.create('  ', 'editor', 'test')).toThrow(ValidationError);
    expect(() => store.create('x', 'root' as Role, 'test')).toThrow(ValidationError);
    expect(store.list()).toEqual([]);
  });

  it('the api_tokens table arrives by migration 2 on a version-1 database', () => {
    const dir = tempDir();
    const file = path.join(dir, 'kb.db');
    try {
      const v1 = openDatabase(file, MIGRATIONS.filter((m) => m.version === 1));
      expect(v1.prepare(`SELECT name FROM sqlite_master WHERE name = 'api_tokens'`).get()).toBeUndefined();
      v1.close();
      const v2 = openDatabase(file);
      expect(v2.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
      expect(MIGRATIONS.find((m) => m.version === 2)?.description).toBe('api tokens');
      expect(() => v2.prepare(`INSERT INTO api_tokens (name, role, token_hash, prefix, created_at, created_by) VALUES ('x', 'root', 'h', 'p', 't', 'b')`).run()).toThrow(/CHECK/);
      v2.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the raw token never reaches the database file', () => {
  it('only its hash is stored (in kb.db and its WAL; on PostgreSQL in the token rows)', () => {
    const dir = tempDir();
    try {
      const kb = KnowledgeBase.open(dir);
      const store = new TokenStore(kb.db, kb.clock);
      const { token } = store.create('张三', 'editor', 'test');
      store.verify(token);
      const bootstrap = 'Boot-Strap-Admin-Value-0123456789';
      bootstrapAdminToken(store, bootstrap);
      const files = () => fs.readdirSync(dir).filter((f) => f.startsWith('kb.db')).map((f) => fs.readFileSync(path.join(dir, f)));
      const check = () => {
        const all = Buffer.concat(files());
        expect(all.includes(token)).toBe(false);
        expect(all.includes(token.slice(4))).toBe(false);
        expect(all.includes(bootstrap)).toBe(false);
        expect(all.includes(crypto.createHash('sha256').update(token).digest('hex'))).toBe(true);
      };
      if (ON_POSTGRES) {
        // the KB is not a file here: every column of every token row is what would be stored on disk
        const all = Buffer.from(JSON.stringify(kb.db.prepare('SELECT * FROM api_tokens').all()));
        expect(all.includes(token)).toBe(false);
        expect(all.includes(token.slice(4))).toBe(false);
        expect(all.includes(bootstrap)).toBe(false);
        expect(all.includes(crypto.createHash('sha256').update(token).digest('hex'))).toBe(true);
        kb.close();
        return;
      }
      check(); // while open: the WAL holds the writes
      kb.close();
      check(); // after the checkpoint on close
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bootstrapAdminToken', () => {
  let db: Db;
  let store: TokenStore;
  beforeEach(() => {
    db = openDatabase(':memory:');
    store = new TokenStore(db, manualClock());
  });
  afterEach(() => db.close());

  it('does nothing when KB_ADMIN_TOKEN is unset or empty', () => {
    expect(bootstrapAdminToken(store, undefined)).toBeNull();
    expect(bootstrapAdminToken(store, '')).toBeNull();
    expect(store.list()).toEqual([]);
  });

  it('creates an admin token with exactly that value, once', () => {
    const value = 'bbk_my-deployment-secret-value-42';
    const first = bootstrapAdminToken(store, value)!;
    expect(first).toMatchObject({ name: BOOTSTRAP_NAME, role: 'admin', revokedAt: null });
    expect(store.verify(value)).toEqual({ id: first.id, name: BOOTSTRAP_NAME, role: 'admin' });
    const again = bootstrapAdminToken(store, value)!;
    expect(again.id).toBe(first.id);
    expect(store.list()).toHaveLength(1);
    // a second, different value adds a second bootstrap admin
    bootstrapAdminToken(store, 'another-long-secret-value');
    expect(store.list()).toHaveLength(2);
  });

  it('shows little of a caller-chosen value as its prefix', () => {
    const rec = bootstrapAdminToken(store, 'abcdefghijklmnopqrst')!;
    expect(rec.prefix).toBe('abcd****');
    expect(rec.prefix).toHaveLength(8);
  });

  it('refuses values that are too short or cannot be sent in a header, with a clear message', () => {
    expect(() => bootstrapAdminToken(store, 'short')).toThrow(/KB_ADMIN_TOKEN.*16/);
    expect(() => bootstrapAdminToken(store, '123456789012345')).toThrow(/16/);
    expect(() => bootstrapAdminToken(store, 'has a space in the middle')).toThrow(/KB_ADMIN_TOKEN/);
    expect(store.list()).toEqual([]);
  });

  it('refuses a value whose token was revoked, or that belongs to a non-admin token', () => {
    const value = 'revoked-bootstrap-value-123';
    const rec = bootstrapAdminToken(store, value)!;
    store.revoke(rec.id);
    expect(() => bootstrapAdminToken(store, value)).toThrow(/吊销/);
    expect(store.verify(value)).toBeNull();
    const { token } = store.create('编辑', 'editor', 'test');
    expect(() => bootstrapAdminToken(store, token)).toThrow(/editor/);
  });
});

describe('permissions', () => {
  it('grants exactly the documented table', () => {
    const expected: Record<Permission, Role[]> = {
      'entries:read': ['editor', 'reviewer', 'agent', 'admin'],
      'entries:write': ['editor', 'admin'],
      // editors draft, reviewers approve (editors publish only under KB_SINGLE_PERSON, tested below)
      'entries:publish': ['reviewer', 'admin'],
      review: ['reviewer', 'admin'],
      // marking 待复核 is a flag, not a change of what citizens get
      'entries:flag': ['editor', 'reviewer', 'admin'],
      'gaps:manage': ['editor', 'reviewer', 'admin'],
      'agent:answer': ['agent', 'admin'],
      'synonyms:write': ['editor', 'admin'],
      'tokens:manage': ['admin'],
      'audit:read': ['admin'],
      'hit-test': ['editor', 'reviewer', 'agent', 'admin'],
    };
    expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(expected).sort());
    for (const [perm, roles] of Object.entries(expected) as Array<[Permission, Role[]]>) {
      for (const role of ROLES) expect(can(role, perm), `${role} ${perm}`).toBe(roles.includes(role));
    }
  });

  it('KB_SINGLE_PERSON=1 lets an editor also publish (small offices); off by default', () => {
    const before = process.env.KB_SINGLE_PERSON;
    try {
      delete process.env.KB_SINGLE_PERSON;
      expect(can('editor', 'entries:publish')).toBe(false);
      process.env.KB_SINGLE_PERSON = '1';
      expect(can('editor', 'entries:publish')).toBe(true);
      expect(can('reviewer', 'entries:write')).toBe(false); // a reviewer still never writes
    } finally {
      if (before === undefined) delete process.env.KB_SINGLE_PERSON;
      else process.env.KB_SINGLE_PERSON = before;
    }
  });

  it('admin holds every permission; reviewer cannot write, agent can only read, answer and hit-test', () => {
    expect(permissionsOf('admin')).toEqual(Object.keys(PERMISSIONS));
    expect(can('reviewer', 'entries:write')).toBe(false);
    expect(permissionsOf('agent')).toEqual(['entries:read', 'agent:answer', 'hit-test']);
  });
});

describe('middleware', () => {
  let db: Db;
  let store: TokenStore;
  let app: express.Express;
  let tokens: Record<Role, string>;
  beforeEach(() => {
    db = openDatabase(':memory:');
    store = new TokenStore(db, manualClock());
    tokens = Object.fromEntries(ROLES.map((r) => [r, store.create(`${r} user`, r, 'test').token])) as Record<Role, string>;
    app = express();
    app.use(authenticate(store));
    app.get('/entries', requirePermission('entries:read'), (_req, res) => {
      res.json({ ok: true, principal: res.locals.principal });
    });
    app.post('/entries', requirePermission('entries:write'), (_req, res) => {
      res.status(201).json({ by: res.locals.principal?.name });
    });
    app.get('/public', (_req, res) => {
      res.json({ principal: res.locals.principal ?? null });
    });
  });
  afterEach(() => db.close());

  it('401 without a token, with a malformed header, or with an unknown or revoked token', async () => {
    const unauthorized = { error: 'unauthorized', message: '需要有效的访问令牌（Authorization: Bearer …）' };
    const r1 = await request(app).get('/entries');
    expect(r1.status).toBe(401);
    expect(r1.body).toEqual(unauthorized);
    expect(r1.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const header of [`Basic ${tokens.editor}`, tokens.editor, 'Bearer', 'Bearer bbk_nope']) {
      const r = await request(app).get('/entries').set('Authorization', header);
      expect(r.status, header).toBe(401);
      expect(r.body).toEqual(unauthorized);
    }
    store.revoke(store.verify(tokens.editor)!.id);
    const r2 = await request(app).get('/entries').set('Authorization', `Bearer ${tokens.editor}`);
    expect(r2.status).toBe(401);
  });

  it('403 naming, in Chinese, the role and what it may not do', async () => {
    const r = await request(app).post('/entries').set('Authorization', `Bearer ${tokens.reviewer}`).send({});
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: 'forbidden', message: '审核角色无权编写条目' });
  });

  it('200 with the principal on res.locals when the role holds the permission', async () => {
    const r = await request(app).get('/entries').set('Authorization', `Bearer ${tokens.agent}`);
    expect(r.status).toBe(200);
    expect(r.body.principal).toMatchObject({ name: 'agent user', role: 'agent' });
    const w = await request(app).post('/entries').set('authorization', `bearer ${tokens.editor}`).send({});
    expect(w.status).toBe(201);
    expect(w.body).toEqual({ by: 'editor user' });
  });

  it('routes without requirePermission stay open; the principal is set when a token is given', async () => {
    expect((await request(app).get('/public')).body).toEqual({ principal: null });
    const r = await request(app).get('/public').set('Authorization', `Bearer ${tokens.admin}`);
    expect(r.body.principal).toMatchObject({ role: 'admin' });
  });

  it('bearerToken parses the header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('npm run token (CLI)', () => {
  // Runs the built CLI as a user would (npm test builds dist/ first).
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/server/auth/cli.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const withStore = <T>(fn: (s: TokenStore) => T): T => {
    const kb = KnowledgeBase.open(dir);
    try {
      return fn(new TokenStore(kb.db, kb.clock));
    } finally {
      kb.close();
    }
  };

  it('create prints the token once, alone on stdout, with a warning to store it', () => {
    const r = cli(['create', '--role', 'editor', '--name', '张三', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(TOKEN_RE);
    expect(r.stderr).toMatch(/只显示这一次/);
    expect(r.stderr).toContain('张三');
    expect(withStore((s) => s.verify(token))).toMatchObject({ name: '张三', role: 'editor' });
  });

  it('list shows prefixes, roles and names but never a token; KB_DATA_DIR works too', () => {
    const created = cli(['create', '--role=agent', '--name=坐席一号', '--by', 'ops'], { KB_DATA_DIR: dir });
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    const r = cli(['list', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('张三');
    expect(r.stdout).toMatch(/坐席一号/);
    expect(r.stdout).toContain(`${token.slice(0, 8)}…`);
    expect(r.stdout).toMatch(/agent/);
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).toContain('ops');
  });

  it('token list shows times in Shanghai time, as the admin page does', () => {
    const created = withStore((s) => s.list().find((t) => t.name === '张三')!.createdAt);
    const shanghai = new Date(Date.parse(created) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const r = cli(['list', '--data-dir', dir]);
    expect(r.stdout).toContain('北京时间');
    expect(r.stdout).toContain(shanghai);
    expect(r.stdout).not.toContain(created);
    expect(r.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('revoke ID revokes; again is a no-op; an unknown ID exits 1', () => {
    const id = withStore((s) => s.list().find((t) => t.name === '张三')!.id);
    const r = cli(['revoke', String(id), '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已吊销');
    expect(withStore((s) => s.get(id)!.revokedAt)).not.toBeNull();
    const again = cli(['revoke', String(id), '--data-dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('未作更改');
    expect(again.stdout).toMatch(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）吊销/); // not a UTC ISO string
    const missing = cli(['revoke', '9999', '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('9999');
    expect(cli(['list', '--data-dir', dir]).stdout).toMatch(/已吊销/);
  });

  it('usage errors exit 2 with the usage text', () => {
    const cases: string[][] = [
      [],
      ['frobnicate'],
      ['create', '--name', '张三'],
      ['create', '--role', 'root', '--name', '张三'],
      ['create', '--role', 'editor'],
      ['create', '--role'],
      ['revoke'],
      ['revoke', 'abc'],
      ['revoke', '1', '2'],
      ['list', '--role', 'editor'],
    ];
    for (const args of cases) {
      const r = cli([...args, '--data-dir', dir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('用法');
      expect(r.stdout).toBe('');
    }
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('用法');
  });
});
