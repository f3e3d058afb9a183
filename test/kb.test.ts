import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { ON_POSTGRES, sqliteOf } from './helpers/database.js';
import { postgresSchemaVersion } from '../server/kb/postgres/migrations.js';
import type { PostgresDb } from '../server/kb/postgres/postgres-db.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { KnowledgeBase } from '../server/kb/index.js';
import { openDatabase, SchemaTooNewError } from '../server/kb/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../server/kb/migrations.js';
import { ValidationError, NotFoundError, ConflictError } from '../server/kb/errors.js';
import { fixedClock } from '../server/kb/clock.js';
import { parseCategory, categoryLabel, CATEGORIES } from '../server/kb/categories.js';

let dir: string;
let kb: KnowledgeBase;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-test-'));
  kb = KnowledgeBase.open(dir, fixedClock('2026-07-01T02:00:00Z'));
});
afterEach(() => {
  kb.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = { category: 'faq' as const, question: '营业执照丢了怎么补办？', answer: '可在“一网通办”申请补领营业执照。' };

describe('database', () => {
  it.runIf(ON_POSTGRES)('is at the latest schema, with the version kept in schema_migrations', () => {
    expect(postgresSchemaVersion(kb.db as PostgresDb)).toBe(SCHEMA_VERSION);
  });

  it.runIf(ON_POSTGRES)('survives the server dropping its connection: the next write reconnects; a transaction cut off fails whole', async () => {
    const other = KnowledgeBase.open(dir);
    const pid = () => (kb.db.prepare('SELECT pg_backend_pid() AS p').get() as { p: number }).p;
    const drop = async () => {
      other.db.prepare('SELECT pg_terminate_backend(?) AS ok').get(pid());
      await new Promise((r) => setTimeout(r, 200)); // the dropped connection's error reaches the database thread
    };
    try {
      await drop();
      const saved = kb.entries.create(base, '张编辑'); // a restart or a failover of PostgreSQL costs no restart here
      expect(kb.entries.get(saved.id)?.question).toBe(base.question);
      const before = kb.entries.list().total;
      const cutOff = () =>
        kb.transaction(() => {
          kb.entries.create(base, '张编辑');
          other.db.prepare('SELECT pg_terminate_backend(?) AS ok').get(pid());
          const until = Date.now() + 200;
          while (Date.now() < until); // the connection is gone before the transaction's next statement
          kb.entries.create(base, '张编辑');
        });
      expect(cutOff).toThrow(/连接已断开|terminat/);
      expect(kb.entries.list().total).toBe(before); // nothing of it was kept
    } finally {
      other.close();
    }
  });

  // On PostgreSQL writes inside a transaction are sent later, with the next statement whose answer is needed
  // (PostgresDb.defer): a failing one must still fail its own transaction scope, before anything thrown after it.
  it('a write that fails inside a transaction fails the scope that made it: all of it rolled back, or only the nested part', () => {
    const duplicate = kb.db.prepare(`INSERT INTO meta (key, value) VALUES ('kb_version', '1')`);
    const refused = /UNIQUE|duplicate key/i;
    expect(() =>
      kb.transaction(() => {
        kb.entries.create(base, '张编辑');
        duplicate.run();
        throw new Error('不应先报这个错误');
      }),
    ).toThrow(refused);
    expect(kb.entries.list().total).toBe(0);

    kb.transaction(() => {
      kb.entries.create(base, '张编辑');
      expect(() => kb.transaction(() => {
        kb.entries.create({ ...base, question: '被撤销的条目？' }, '张编辑');
        duplicate.run();
      })).toThrow(refused);
      kb.entries.create({ ...base, question: '居住证怎么办理？' }, '张编辑');
    });
    expect(kb.entries.list().items.map((e) => e.question)).toEqual([base.question, '居住证怎么办理？']);
  });

  it.skipIf(ON_POSTGRES)('uses WAL and foreign keys and is at the latest schema', () => {
    expect(sqliteOf(kb.db).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteOf(kb.db).pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqliteOf(kb.db).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('migrates an older database forward, keeping its data', () => {
    const file = path.join(dir, 'old.db');
    const v1 = openDatabase(file, MIGRATIONS.slice(0, 1));
    v1.prepare(`INSERT INTO meta (key, value) VALUES ('marker', 'kept')`).run();
    v1.close();
    const extra = { version: SCHEMA_VERSION + 1, description: 'test column', sql: 'ALTER TABLE entries ADD COLUMN test_extra TEXT;' };
    const db = openDatabase(file, [...MIGRATIONS, extra]);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect((db.prepare(`SELECT value FROM meta WHERE key = 'marker'`).get() as { value: string }).value).toBe('kept');
    expect(db.prepare('SELECT test_extra FROM entries').all()).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer version, with a clear message, and leaves it untouched', () => {
    const file = path.join(dir, 'newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/高于本程序支持的.*请升级/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    again.close();
  });
});

describe('categories', () => {
  it('are exactly the seven columns, accepted by code or Chinese label', () => {
    expect(CATEGORIES.map((c) => c.label)).toEqual(['网上办事指引', '常见问题', '政务百科词条', '政策文件', '通知公告', '热线电话', '部门信息']);
    expect(parseCategory('热线电话')).toBe('hotline');
    expect(parseCategory('FAQ')).toBe('faq');
    expect(parseCategory('杂项')).toBeNull();
    expect(categoryLabel('glossary')).toBe('政务百科词条');
  });
});

describe('entries', () => {
  it('creates a draft with defaults and the creator recorded', () => {
    const e = kb.entries.create({ ...base, similarQuestions: ['执照遗失补办', ' 执照遗失补办 ', ''] }, '张三');
    expect(e).toMatchObject({ status: 'draft', version: 1, level: 'city', region: '上海市', audience: 'all', origin: 'manual', createdBy: '张三', reviewDue: false });
    expect(e.similarQuestions).toEqual(['执照遗失补办']);
    expect(kb.entries.get(e.id)).toEqual(e);
  });

  it('keeps every version with who, when and why', () => {
    const e = kb.entries.create(base, '张三');
    kb.entries.update(e.id, { answer: '登录“一网通办”，搜索“营业执照补领”，在线提交即可。' }, '李四', '口径调整');
    kb.entries.publish(e.id, '王五');
    const history = kb.entries.history(e.id);
    expect(history.map((h) => [h.version, h.action, h.changedBy, h.reason])).toEqual([
      [1, 'create', '张三', null],
      [2, 'update', '李四', '口径调整'],
      [3, 'publish', '王五', null],
    ]);
    expect(history[0].snapshot.answer).toBe(base.answer);
    expect(history[1].snapshot.answer).toContain('营业执照补领');
    expect(kb.entries.get(e.id)!.status).toBe('published');
  });

  it('archives only with a reason, and not twice', () => {
    const e = kb.entries.create(base, '张三');
    expect(() => kb.entries.archive(e.id, '张三', ' ')).toThrow(ValidationError);
    const archived = kb.entries.archive(e.id, '张三', '政策已废止');
    expect(archived.status).toBe('archived');
    expect(() => kb.entries.archive(e.id, '张三', '再次归档')).toThrow(ConflictError);
  });

  it('rejects bad input naming the field, and stores nothing', () => {
    const before = kb.version();
    expect(() => kb.entries.create({ ...base, question: '   ' }, 'x')).toThrow(/question：不能为空/);
    expect(() => kb.entries.create({ ...base, category: 'misc' as never }, 'x')).toThrow(/category/);
    expect(() => kb.entries.create({ ...base, effectiveFrom: '2026-02-30' }, 'x')).toThrow(/effectiveFrom：不是有效的日期/);
    expect(() => kb.entries.create({ ...base, effectiveFrom: '2026-03-01', expiresAt: '2026-02-01' }, 'x')).toThrow(/早于生效日期/);
    expect(() => kb.entries.create({ ...base, documentId: 999 }, 'x')).toThrow(/文件 999 不存在/);
    expect(() => kb.entries.create({ ...base, bogus: 1 } as never, 'x')).toThrow(/bogus/);
    expect(() => kb.entries.update(12345, { answer: 'x' }, 'x')).toThrow(NotFoundError);
    expect(kb.entries.list().total).toBe(0);
    expect(kb.version()).toBe(before);
  });

  it('a failing write inside a transaction leaves nothing half-written', () => {
    const e = kb.entries.create(base, '张三');
    expect(() =>
      kb.transaction(() => {
        kb.entries.update(e.id, { answer: '改了一半' }, '李四');
        kb.entries.create({ ...base, question: '' }, '李四');
      }),
    ).toThrow(ValidationError);
    expect(kb.entries.get(e.id)!.answer).toBe(base.answer);
    expect(kb.entries.history(e.id)).toHaveLength(1);
  });

  it('lists with filters on category, status, department, level, region, audience and text', () => {
    const a = kb.entries.create({ ...base, department: '区市场监管局', level: 'district', region: '普陀区', audience: 'enterprise' }, 'x');
    kb.entries.create({ category: 'hotline', question: '12345热线是做什么的？', answer: '12345 是市民服务热线。', keywords: ['12345'] }, 'x');
    kb.entries.publish(a.id, 'x');
    expect(kb.entries.list({ category: 'faq' }).items.map((e) => e.id)).toEqual([a.id]);
    expect(kb.entries.list({ status: 'published' }).total).toBe(1);
    expect(kb.entries.list({ department: '区市场监管局', level: 'district', region: '普陀区', audience: 'enterprise' }).total).toBe(1);
    expect(kb.entries.list({ text: '市民服务' }).items[0].category).toBe('hotline');
    expect(kb.entries.list({ text: '100%' }).total).toBe(0); // LIKE wildcards are escaped
    expect(kb.entries.list({ limit: 1 }).items).toHaveLength(1);
  });

  it('bumps the KB version on every committed write', () => {
    const v0 = kb.version();
    const e = kb.entries.create(base, 'x');
    kb.entries.publish(e.id, 'x');
    expect(kb.version()).toBe(v0 + 2);
  });

  it('review due is a flag: the entry stays published until a reviewer acts', () => {
    const e = kb.entries.create(base, 'x');
    kb.entries.publish(e.id, 'x');
    const flagged = kb.entries.flagForReview(e.id, '源文件已更新', 'system');
    expect(flagged).toMatchObject({ status: 'published', reviewDue: true, reviewReason: '源文件已更新' });
    const reviewed = kb.entries.markReviewed(e.id, '审核员', '政策仍有效');
    expect(reviewed).toMatchObject({ reviewDue: false, lastReviewedAt: '2026-07-01T02:00:00.000Z' });
  });
});

describe('persistence', () => {
  it('committed entries survive closing and reopening the data directory', () => {
    const e = kb.entries.create(base, '张三');
    kb.close();
    kb = KnowledgeBase.open(dir);
    expect(kb.entries.get(e.id)!.question).toBe(base.question);
  });
});
