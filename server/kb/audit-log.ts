import { stmt, type Db } from './db.js';
import type { KbClock } from './clock.js';

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  role: string;
  method: string;
  path: string;
  status: number;
  ip: string | null;
  requestId: string | null;
}

/** Who changed what, when and from where: one row per admin / agent write request. */
export class AuditLog {
  private readonly insert;

  constructor(private readonly db: Db, private readonly clock: KbClock) {
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, role, method, path, status, ip, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  record(r: Omit<AuditRecord, 'id' | 'at'>): void {
    this.insert.run(this.clock.nowIso(), r.actor, r.role, r.method, r.path, r.status, r.ip, r.requestId);
  }

  list(filter: { actor?: string; limit?: number; offset?: number } = {}): { total: number; items: AuditRecord[] } {
    const where = filter.actor ? 'WHERE actor = ?' : '';
    const args = filter.actor ? [filter.actor] : [];
    const total = (stmt(this.db, `SELECT count(*) AS n FROM audit_log ${where}`).get(...args) as { n: number }).n;
    const rows = stmt(this.db, `SELECT id, at, actor, role, method, path, status, ip, request_id AS requestId FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...args, Math.min(filter.limit ?? 100, 1000), filter.offset ?? 0) as AuditRecord[];
    return { total, items: rows };
  }
}
