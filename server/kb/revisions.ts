import { inList, stmt, type Db } from './db.js';
import type { KbClock } from './clock.js';
import type { Entry, EntryStore, SourceLink } from './entries.js';
import { ConflictError, ValidationError } from './errors.js';
import { entryPatchSchema, parseOrThrow, type EntryPatch } from './validate.js';
import type { Revision } from '../../shared/entries.js';

/** A change to a published entry waiting for a reviewer (declared in shared/, the admin page shows it). */
export type { Revision } from '../../shared/entries.js';

interface RevisionRow {
  id: number; entry_id: number; base_version: number; changes: string; source_key: string | null; source_hash: string | null;
  reason: string | null; proposed_by: string; proposed_at: string; state: Revision['state'];
  decided_by: string | null; decided_at: string | null; decision_note: string | null;
}

function toRevision(r: RevisionRow): Revision {
  return {
    id: r.id, entryId: r.entry_id, baseVersion: r.base_version, changes: JSON.parse(r.changes), reason: r.reason,
    proposedBy: r.proposed_by, proposedAt: r.proposed_at, state: r.state, decidedBy: r.decided_by, decidedAt: r.decided_at,
    decisionNote: r.decision_note,
  };
}

/** Fields whose new value differs from the entry's (values compared as the store keeps them). */
function differing(entry: Entry, patch: EntryPatch): EntryPatch {
  const current = entry as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(patch).filter(([k, v]) => v !== undefined && JSON.stringify(v ?? null) !== JSON.stringify(current[k] ?? null)),
  ) as EntryPatch;
}

/** Pending revisions of published entries (table entry_revisions). Every write is one transaction with the entry's history. */
export class RevisionStore {
  constructor(private readonly db: Db, private readonly clock: KbClock, private readonly entries: EntryStore) {}

  pending(entryId: number): Revision | null {
    const row = stmt(this.db, `SELECT * FROM entry_revisions WHERE entry_id = ? AND state = 'pending'`).get(entryId) as RevisionRow | undefined;
    return row ? toRevision(row) : null;
  }

  /** The pending revisions of these entries, by entry id (one query for a whole list page). */
  pendingOf(entryIds: number[]): Map<number, Revision> {
    if (!entryIds.length) return new Map();
    const list = inList(entryIds);
    const rows = stmt(this.db, `SELECT * FROM entry_revisions WHERE state = 'pending' AND entry_id IN (${list.sql})`).all(...list.params) as RevisionRow[];
    return new Map(rows.map((r) => [r.entry_id, toRevision(r)]));
  }

  /** Every pending revision, oldest first. */
  listPending(limit = 500): Revision[] {
    return (stmt(this.db, `SELECT * FROM entry_revisions WHERE state = 'pending' ORDER BY proposed_at, id LIMIT ?`).all(limit) as RevisionRow[]).map(toRevision);
  }

  /**
   * The changes propose() would leave pending for this published entry (merged with its pending revision; empty when
   * the change equals the published text), validated as propose() validates them. Writes nothing.
   */
  wouldPropose(entry: Entry, patch: EntryPatch): EntryPatch {
    const combined = parseOrThrow(entryPatchSchema, { ...(this.pending(entry.id)?.changes ?? {}), ...patch });
    this.entries.predictUpdate(entry, combined); // checked as update() will check it: date order, the document exists
    return differing(entry, combined);
  }

  /**
   * Records a change to a published entry as (or into) its pending revision. Returns null when the change says
   * nothing new — it equals the published text (any pending revision is then withdrawn).
   */
  propose(entryId: number, patch: EntryPatch, actor: string, reason: string | null, source?: SourceLink): Revision | null {
    return this.db.transaction(() => {
      const entry = this.entries.require(entryId);
      if (entry.status !== 'published') throw new ConflictError(`条目 ${entryId} 未发布：草稿直接修改，不需要待审核的修改`);
      const earlier = this.pending(entryId);
      const merged = this.wouldPropose(entry, patch);
      const now = this.clock.nowIso();
      if (earlier) {
        stmt(this.db, `UPDATE entry_revisions SET state = 'superseded', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?`)
          .run(actor, now, '被后来的修改合并', earlier.id);
      }
      if (!Object.keys(merged).length) {
        if (earlier) this.entries.recordEvent(entryId, 'withdraw-revision', actor, '修改与已发布内容相同，撤回待审核的修改');
        return null;
      }
      const row = stmt(this.db,
        `INSERT INTO entry_revisions (entry_id, base_version, changes, source_key, source_hash, reason, proposed_by, proposed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ).get(entryId, entry.version, JSON.stringify(merged), source?.sourceKey ?? null, source?.sourceHash ?? null, reason, actor, now) as RevisionRow;
      this.entries.recordEvent(entryId, 'propose', actor, reason ? `提交修改待审核：${reason}` : '提交修改待审核');
      return toRevision(row);
    })();
  }

  /** Applies the pending revision to the entry (it goes live) and closes it. */
  approve(entryId: number, actor: string, note: string | null): Entry {
    return this.db.transaction(() => {
      const row = stmt(this.db, `SELECT * FROM entry_revisions WHERE entry_id = ? AND state = 'pending'`).get(entryId) as RevisionRow | undefined;
      if (!row) throw new ConflictError(`条目 ${entryId} 没有待审核的修改`);
      const revision = toRevision(row);
      // A field the revision changes that was also changed live since it was proposed (a gap linked, a phrasing or
      // a review applied by someone who may publish) would be overwritten: refuse rather than lose that change.
      const base = this.entries.snapshotAtVersion(entryId, revision.baseVersion);
      const current = this.entries.require(entryId) as unknown as Record<string, unknown>;
      const moved = base ? Object.keys(revision.changes).filter((k) => JSON.stringify((base as unknown as Record<string, unknown>)[k]) !== JSON.stringify(current[k])) : [];
      if (moved.length) {
        throw new ConflictError(`条目 ${entryId} 在这项修改提交之后，同一内容已被直接改过；批准会覆盖那次改动。请退回这项修改，由编辑在当前版本上重新提交`);
      }
      const source = row.source_key && row.source_hash ? { sourceKey: row.source_key, sourceHash: row.source_hash } : undefined;
      stmt(this.db, `UPDATE entry_revisions SET state = 'approved', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?`)
        .run(actor, this.clock.nowIso(), note, revision.id);
      const by = revision.proposedBy === actor ? '' : `（${revision.proposedBy} 提交）`;
      return this.entries.update(entryId, revision.changes, actor, `批准修改${by}${note ? `：${note}` : revision.reason ? `：${revision.reason}` : ''}`, source);
    })();
  }

  /** Closes the pending revision without applying it: the published text stays. */
  reject(entryId: number, actor: string, note: string): Entry {
    if (!note.trim()) throw new ValidationError('note', '退回修改需要说明原因');
    return this.db.transaction(() => {
      const revision = this.pending(entryId);
      if (!revision) throw new ConflictError(`条目 ${entryId} 没有待审核的修改`);
      stmt(this.db, `UPDATE entry_revisions SET state = 'rejected', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?`)
        .run(actor, this.clock.nowIso(), note, revision.id);
      return this.entries.recordEvent(entryId, 'reject-revision', actor, `退回 ${revision.proposedBy} 的修改：${note}`);
    })();
  }
}
