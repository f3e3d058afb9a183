import { stmt, type Db } from './db.js';

/** A row of api_tokens: the SHA-256 hash of a token (hex), never the token. */
export interface ApiTokenRow {
  id: number;
  name: string;
  role: string;
  tokenHash: string;
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Row {
  id: number; name: string; role: string; token_hash: string; prefix: string; created_at: string; created_by: string;
  last_used_at: string | null; revoked_at: string | null;
}

function toToken(r: Row): ApiTokenRow {
  return {
    id: r.id, name: r.name, role: r.role, tokenHash: r.token_hash, prefix: r.prefix, createdAt: r.created_at, createdBy: r.created_by,
    lastUsedAt: r.last_used_at, revokedAt: r.revoked_at,
  };
}

/**
 * The api_tokens table (migration 2). Storage only: hashing, verifying, roles and validation are server/auth/tokens.ts,
 * whose TokenStore calls these methods (each of its writes is one transaction around them).
 */
export class ApiTokenStore {
  constructor(private readonly db: Db) {}

  byHash(hashHex: string): ApiTokenRow | null {
    const row = stmt(this.db, `SELECT * FROM api_tokens WHERE token_hash = ?`).get(hashHex) as Row | undefined;
    return row ? toToken(row) : null;
  }

  get(id: number): ApiTokenRow | null {
    const row = stmt(this.db, `SELECT * FROM api_tokens WHERE id = ?`).get(id) as Row | undefined;
    return row ? toToken(row) : null;
  }

  /** Every token, revoked ones included, oldest first. */
  list(): ApiTokenRow[] {
    return (stmt(this.db, `SELECT * FROM api_tokens ORDER BY id`).all() as Row[]).map(toToken);
  }

  touch(id: number, at: string): void {
    stmt(this.db, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`).run(at, id);
  }

  /** Sets revoked_at unless already revoked. */
  revoke(id: number, at: string): void {
    stmt(this.db, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(at, id);
  }

  insert(t: { name: string; role: string; tokenHash: string; prefix: string; createdAt: string; createdBy: string }): number {
    const row = stmt(this.db, `INSERT INTO api_tokens (name, role, token_hash, prefix, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`)
      .get(t.name, t.role, t.tokenHash, t.prefix, t.createdAt, t.createdBy) as { id: number };
    return row.id;
  }
}
