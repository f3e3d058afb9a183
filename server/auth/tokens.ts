import { shanghaiDateTime } from '../ops/calendar.js';
import type { ListsAll, Role } from '../../shared/domain.js';
import crypto from 'node:crypto';
import type { Db } from '../kb/db.js';
import { ApiTokenStore, type ApiTokenRow } from '../kb/tokens.js';
import { systemClock, type KbClock } from '../kb/clock.js';
import { NotFoundError, ValidationError } from '../kb/errors.js';

/** Who a token belongs to: what they may do is fixed by the role (see PERMISSIONS). */
export const ROLES = ['editor', 'reviewer', 'agent', 'admin'] as const satisfies readonly Role[];
true satisfies ListsAll<Role, typeof ROLES>;
export type { Role };

export const ROLE_LABELS: Record<Role, string> = {
  editor: '编辑',
  reviewer: '审核',
  agent: '坐席/智能体',
  admin: '管理员',
};

/**
 * Which roles hold each permission: the one table of who may do what (README “角色与权限”). Editors draft, reviewers
 * approve: a change to a published entry waits as a pending revision until someone with entries:publish approves it.
 */
export const PERMISSIONS = {
  'entries:read': ['editor', 'reviewer', 'admin', 'agent'],
  // create drafts, edit drafts, propose a revision of a published entry, archive a draft, import files as drafts
  'entries:write': ['editor', 'admin'],
  // publish drafts, approve / reject pending revisions, archive a published entry (editors too under KB_SINGLE_PERSON)
  'entries:publish': ['reviewer', 'admin'],
  review: ['reviewer', 'admin'],
  // mark a published entry 待复核 (a flag only: it keeps answering until a reviewer acts)
  'entries:flag': ['editor', 'reviewer', 'admin'],
  'gaps:manage': ['editor', 'reviewer', 'admin'],
  'agent:answer': ['agent', 'admin'],
  'synonyms:write': ['editor', 'admin'],
  'tokens:manage': ['admin'],
  'audit:read': ['admin'],
  'hit-test': ['editor', 'reviewer', 'agent', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/** What each permission lets a person do, for messages people read. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  'entries:read': '查看条目',
  'entries:write': '编写条目',
  'entries:publish': '发布和批准条目',
  review: '复核条目',
  'entries:flag': '把条目送复核',
  'gaps:manage': '处理查遗补缺',
  'agent:answer': '提交坐席答复',
  'synonyms:write': '修改同义词和词典',
  'tokens:manage': '管理令牌',
  'audit:read': '查看审计日志',
  'hit-test': '命中测试',
};

/**
 * KB_SINGLE_PERSON=1: a small office where one person both writes and publishes. Editors then also hold
 * entries:publish (their changes still pass through the pending-revision step, which they approve themselves).
 */
export function singlePersonMode(): boolean {
  const v = (process.env.KB_SINGLE_PERSON ?? '').trim().toLowerCase();
  return v === '1' || v === 'true' || v === 'on' || v === 'yes';
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  if (permission === 'entries:publish' && role === 'editor' && singlePersonMode()) return true;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** “审核角色无权编写条目”: the refusal a person reads. */
export function refusal(role: Role, permission: Permission): string {
  return `${ROLE_LABELS[role]}角色无权${PERMISSION_LABELS[permission]}`;
}

/** The permissions a role holds, in PERMISSIONS order. */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSION_NAMES.filter((p) => can(role, p));
}

/** The caller a verified token stands for. */
export interface Principal {
  id: number;
  name: string;
  role: Role;
}

/** A stored token as shown to administrators: never the token itself nor its hash. */
export interface TokenRecord {
  id: number;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const TOKEN_PREFIX = 'bbk_';
export const PREFIX_LENGTH = 8;
/** Bootstrap tokens (KB_ADMIN_TOKEN) must be at least this long. */
export const MIN_BOOTSTRAP_LENGTH = 16;
export const BOOTSTRAP_NAME = 'bootstrap admin';
/** last_used_at is written at most this often per token, so verifying is not a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Longer presented values are rejected unhashed. */
const MAX_TOKEN_LENGTH = 512;
const MAX_NAME_LENGTH = 100;

function sha256(token: string): Buffer {
  return crypto.createHash('sha256').update(token, 'utf8').digest();
}

/** bbk_ + 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

function toRecord(row: ApiTokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * API tokens in the knowledge-base database (table api_tokens, migration 2). Only SHA-256 hashes are stored;
 * a new token is returned once, by create(). Every write is one transaction. The table itself is server/kb/tokens.ts.
 */
export class TokenStore {
  private readonly rows: ApiTokenStore;

  constructor(private readonly db: Db, private readonly clock: KbClock = systemClock) {
    this.rows = new ApiTokenStore(db);
  }

  create(name: string, role: Role, createdBy: string): { token: string; record: TokenRecord } {
    return this.insert(generateToken(), name, role, createdBy);
  }

  /** The principal a presented token stands for; null when unknown, revoked or malformed. */
  verify(token: string): Principal | null {
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_LENGTH) return null;
    const hash = sha256(token);
    const row = this.rows.byHash(hash.toString('hex'));
    if (!row) return null;
    // The lookup is by hash; compare the stored hash bytes in constant time all the same.
    const stored = Buffer.from(row.tokenHash, 'hex');
    if (stored.length !== hash.length || !crypto.timingSafeEqual(stored, hash)) return null;
    if (row.revokedAt) return null;
    const now = this.clock.now();
    const last = row.lastUsedAt ? Date.parse(row.lastUsedAt) : NaN;
    if (!(now.getTime() - last < LAST_USED_RESOLUTION_MS)) {
      // Also rewrites when last_used_at is "in the future" (clock moved back).
      this.db.transaction(() => {
        this.rows.touch(row.id, now.toISOString());
      })();
    }
    return { id: row.id, name: row.name, role: row.role as Role };
  }

  get(id: number): TokenRecord | null {
    const row = this.rows.get(id);
    return row ? toRecord(row) : null;
  }

  /** Every token, revoked ones included, oldest first. */
  list(): TokenRecord[] {
    return this.rows.list().map(toRecord);
  }

  /** Revokes a token for good. Revoking a revoked token changes nothing (its revoked_at stays). */
  revoke(id: number): TokenRecord {
    return this.db.transaction(() => {
      this.rows.revoke(id, this.clock.nowIso());
      const record = this.get(id);
      if (!record) throw new NotFoundError('令牌', id);
      return record;
    })();
  }

  /** The stored token whose value is exactly this one, if any (used by the bootstrap). */
  findByValue(token: string): TokenRecord | null {
    const row = this.rows.byHash(sha256(token).toString('hex'));
    return row ? toRecord(row) : null;
  }

  /** Stores a token with a value chosen by the caller (bootstrapAdminToken); create() is the normal way. */
  insert(token: string, name: string, role: Role, createdBy: string, prefix = token.slice(0, PREFIX_LENGTH)): { token: string; record: TokenRecord } {
    const cleanName = typeof name === 'string' ? name.trim() : '';
    if (!cleanName) throw new ValidationError('name', '令牌名称不能为空');
    if (cleanName.length > MAX_NAME_LENGTH) throw new ValidationError('name', `令牌名称不能超过 ${MAX_NAME_LENGTH} 个字符`);
    if (!isRole(role)) throw new ValidationError('role', `角色应为 ${ROLES.join(' / ')} 之一`);
    const by = typeof createdBy === 'string' && createdBy.trim() ? createdBy.trim() : 'system';
    return this.db.transaction(() => {
      const id = this.rows.insert({ name: cleanName, role, tokenHash: sha256(token).toString('hex'), prefix, createdAt: this.clock.nowIso(), createdBy: by });
      return { token, record: this.get(id)! };
    })();
  }
}

/**
 * KB_ADMIN_TOKEN: makes sure a token with exactly this value exists, role admin, named "bootstrap admin".
 * Does nothing when value is unset or empty; idempotent. Throws when the value is too short or unusable,
 * or when that token exists but was revoked or belongs to another role (the operator must change it).
 */
export function bootstrapAdminToken(store: TokenStore, value: string | undefined): TokenRecord | null {
  if (value === undefined || value === '') return null;
  if (value.length < MIN_BOOTSTRAP_LENGTH) {
    throw new Error(`KB_ADMIN_TOKEN 太短：至少需要 ${MIN_BOOTSTRAP_LENGTH} 个字符（建议用 npm run token -- create 生成的令牌或 32 字节随机值）。`);
  }
  if (value.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
    throw new Error(`KB_ADMIN_TOKEN 只能由可见的 ASCII 字符组成（不含空格），且不超过 ${MAX_TOKEN_LENGTH} 个字符，才能放进 Authorization 请求头。`);
  }
  const existing = store.findByValue(value);
  if (existing) {
    if (existing.role !== 'admin') {
      throw new Error(`KB_ADMIN_TOKEN 与已有的 ${existing.role} 令牌（#${existing.id} ${existing.name}）相同，不能用作管理员令牌；请换一个值。`);
    }
    if (existing.revokedAt) {
      throw new Error(`KB_ADMIN_TOKEN 对应的令牌 #${existing.id} 已于 ${shanghaiDateTime(existing.revokedAt)}（北京时间）吊销；请换一个值或删除该环境变量。`);
    }
    return existing;
  }
  // Show only a little of a caller-chosen secret: it may be short, unlike generated tokens.
  const prefix = value.startsWith(TOKEN_PREFIX) ? value.slice(0, PREFIX_LENGTH) : value.slice(0, 4) + '****';
  return store.insert(value, BOOTSTRAP_NAME, 'admin', 'KB_ADMIN_TOKEN', prefix).record;
}
