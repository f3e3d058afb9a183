import { inList, stmt } from './db.js';
import type { Audience, CategoryCode } from './types.js';
import type { Db } from './db.js';
import type { EntryOrigin, EntryStatus, Level } from './categories.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { entryInputSchema, entryPatchSchema, parseOrThrow, type EntryInput, type EntryPatch } from './validate.js';
import type { KbClock } from './clock.js';
import type { Entry, EntryVersion } from '../../shared/entries.js';

export type { Entry, EntryVersion } from '../../shared/entries.js';

export interface EntryFilter {
  category?: CategoryCode;
  status?: EntryStatus;
  department?: string;
  level?: Level;
  region?: string;
  audience?: Audience;
  documentId?: number;
  reviewDue?: boolean;
  /** Substring of question, similar questions, answer or keywords. */
  text?: string;
  limit?: number;
  offset?: number;
}

/** Link from an entry to the fact of a source file that produced it (ingest only). */
export interface SourceLink {
  sourceKey: string;
  sourceHash: string;
}

interface EntryRow {
  id: number; category: string; question: string; similar_questions: string; answer: string; keywords: string;
  service_item: string | null; department: string | null; level: string; region: string; audience: string;
  document_id: number | null; source_section: string | null; source_key: string | null; source_hash: string | null;
  effective_from: string | null; expires_at: string | null; status: string; review_due: number; review_reason: string | null;
  origin: string; version: number; last_reviewed_at: string | null; created_at: string; created_by: string;
  updated_at: string; updated_by: string; published_at: string | null; archived_at: string | null;
  ask_id: string | null; gap_id: number | null;
}

function toEntry(r: EntryRow): Entry {
  return {
    id: r.id,
    category: r.category as CategoryCode,
    question: r.question,
    similarQuestions: JSON.parse(r.similar_questions),
    answer: r.answer,
    keywords: JSON.parse(r.keywords),
    serviceItem: r.service_item,
    department: r.department,
    level: r.level as Level,
    region: r.region,
    audience: r.audience as Audience,
    documentId: r.document_id,
    sourceSection: r.source_section,
    sourceKey: r.source_key,
    sourceHash: r.source_hash,
    effectiveFrom: r.effective_from,
    expiresAt: r.expires_at,
    status: r.status as EntryStatus,
    reviewDue: r.review_due === 1,
    reviewReason: r.review_reason,
    origin: r.origin as EntryOrigin,
    version: r.version,
    lastReviewedAt: r.last_reviewed_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    publishedAt: r.published_at,
    archivedAt: r.archived_at,
    askId: r.ask_id,
    gapId: r.gap_id,
  };
}

/** Column names of the editable fields, in the order of EntryInput. */
const FIELD_COLUMNS: Record<keyof EntryPatch, string> = {
  category: 'category', question: 'question', similarQuestions: 'similar_questions', answer: 'answer',
  keywords: 'keywords', serviceItem: 'service_item', department: 'department', level: 'level', region: 'region',
  audience: 'audience', documentId: 'document_id', sourceSection: 'source_section', effectiveFrom: 'effective_from',
  expiresAt: 'expires_at', origin: 'origin',
};

function toColumnValue(key: keyof EntryPatch, value: unknown): unknown {
  if (key === 'similarQuestions' || key === 'keywords') return JSON.stringify(value ?? []);
  return value ?? null;
}

function checkDates(effectiveFrom: string | null | undefined, expiresAt: string | null | undefined): void {
  if (effectiveFrom && expiresAt && expiresAt < effectiveFrom) {
    throw new ValidationError('expiresAt', `失效日期 ${expiresAt} 早于生效日期 ${effectiveFrom}`);
  }
}

/**
 * The entries of the knowledge base. Every write is one transaction that also records the new version in
 * entry_versions and bumps the KB version (so derived indexes know they are stale).
 */
export class EntryStore {
  constructor(private readonly db: Db, private readonly clock: KbClock) {}

  get(id: number): Entry | null {
    const row = stmt(this.db, 'SELECT * FROM entries WHERE id = ?').get(id) as EntryRow | undefined;
    return row ? toEntry(row) : null;
  }

  /** These entries (those that exist), in one query. */
  getMany(ids: number[]): Entry[] {
    if (!ids.length) return [];
    const list = inList(ids);
    return (stmt(this.db, `SELECT * FROM entries WHERE id IN (${list.sql})`).all(...list.params) as EntryRow[]).map(toEntry);
  }

  require(id: number): Entry {
    const entry = this.get(id);
    if (!entry) throw new NotFoundError('条目', id);
    return entry;
  }

  getBySourceKey(sourceKey: string): Entry | null {
    const row = stmt(this.db, 'SELECT * FROM entries WHERE source_key = ?').get(sourceKey) as EntryRow | undefined;
    return row ? toEntry(row) : null;
  }

  list(filter: EntryFilter = {}): { items: Entry[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    const eq = (column: string, value: unknown) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      args.push(value);
    };
    eq('category', filter.category);
    eq('status', filter.status);
    eq('department', filter.department);
    eq('level', filter.level);
    eq('region', filter.region);
    eq('audience', filter.audience);
    eq('document_id', filter.documentId);
    if (filter.reviewDue !== undefined) eq('review_due', filter.reviewDue ? 1 : 0);
    if (filter.text && filter.text.trim()) {
      const like = `%${filter.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(question LIKE ? ESCAPE '\\' OR similar_questions LIKE ? ESCAPE '\\' OR answer LIKE ? ESCAPE '\\' OR keywords LIKE ? ESCAPE '\\')`);
      args.push(like, like, like, like);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (stmt(this.db, `SELECT count(*) AS n FROM entries ${clause}`).get(...args) as { n: number }).n;
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 1000);
    const offset = Math.max(filter.offset ?? 0, 0);
    const rows = stmt(this.db, `SELECT * FROM entries ${clause} ORDER BY id LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as EntryRow[];
    return { items: rows.map(toEntry), total };
  }

  /** Every entry (any status) made from one source document. */
  ofDocument(documentId: number): Entry[] {
    const rows = stmt(this.db, 'SELECT * FROM entries WHERE document_id = ? ORDER BY id').all(documentId) as EntryRow[];
    return rows.map(toEntry);
  }

  history(id: number): EntryVersion[] {
    this.require(id);
    const rows = stmt(this.db, 'SELECT * FROM entry_versions WHERE entry_id = ? ORDER BY version')
      .all(id) as Array<{ entry_id: number; version: number; action: string; snapshot: string; changed_at: string; changed_by: string; reason: string | null }>;
    return rows.map((r) => ({
      entryId: r.entry_id,
      version: r.version,
      action: r.action,
      snapshot: JSON.parse(r.snapshot),
      changedAt: r.changed_at,
      changedBy: r.changed_by,
      reason: r.reason,
    }));
  }

  /** Validates a new entry as create() does (an import's preview refuses what the import would). */
  checkInput(input: EntryInput): EntryInput {
    const data = parseOrThrow(entryInputSchema, input);
    checkDates(data.effectiveFrom, data.expiresAt);
    this.checkDocument(data.documentId);
    return data;
  }

  /** Validates a change as update() does and returns the entry it would make, without writing. */
  predictUpdate(current: Entry, patch: EntryPatch): Entry {
    const data = parseOrThrow(entryPatchSchema, patch);
    this.checkPatch(current, data);
    const after: Record<string, unknown> = { ...current };
    for (const k of Object.keys(data) as Array<keyof EntryPatch>) {
      if (data[k] === undefined) continue;
      after[k] = k === 'similarQuestions' || k === 'keywords' ? data[k] ?? [] : data[k] ?? null; // as toColumnValue stores it
    }
    return after as unknown as Entry;
  }

  /** What a parsed change must agree with in the entry it changes: its dates in order, its document existing. */
  private checkPatch(current: Entry, data: EntryPatch): void {
    checkDates(data.effectiveFrom !== undefined ? data.effectiveFrom : current.effectiveFrom, data.expiresAt !== undefined ? data.expiresAt : current.expiresAt);
    if (data.documentId !== undefined) this.checkDocument(data.documentId);
  }

  /** Creates a draft entry. */
  create(input: EntryInput, actor: string, reason: string | null = null, source?: SourceLink): Entry {
    const data = this.checkInput(input);
    return this.db.transaction(() => {
      const now = this.clock.nowIso();
      const keys = Object.keys(FIELD_COLUMNS) as Array<keyof EntryPatch>;
      const columns = keys.map((k) => FIELD_COLUMNS[k]);
      const values = keys.map((k) => toColumnValue(k, data[k]));
      const row = stmt(this.db, 
          `INSERT INTO entries (${columns.join(', ')}, source_key, source_hash, status, created_at, created_by, updated_at, updated_by)
           VALUES (${columns.map(() => '?').join(', ')}, ?, ?, 'draft', ?, ?, ?, ?) RETURNING *`,
        )
        .get(...values, source?.sourceKey ?? null, source?.sourceHash ?? null, now, actor, now, actor) as EntryRow;
      return this.recordVersion(row.id, 'create', actor, reason, row);
    })();
  }

  /**
   * Changes fields of an entry in place, published or not. A published entry is changed here only by the updateEntry
   * command when the actor may publish (server/commands/updateEntry.ts) and by approving its revision
   * (RevisionStore.approve); otherwise a change to it waits as a revision.
   */
  update(id: number, patch: EntryPatch, actor: string, reason: string | null = null, source?: SourceLink): Entry {
    const data = parseOrThrow(entryPatchSchema, patch); // a malformed patch fails before the transaction starts
    return this.db.transaction(() => {
      const current = this.require(id);
      this.checkPatch(current, data);
      const keys = (Object.keys(data) as Array<keyof EntryPatch>).filter((k) => data[k] !== undefined);
      const sets = keys.map((k) => `${FIELD_COLUMNS[k]} = ?`);
      const values = keys.map((k) => toColumnValue(k, data[k]));
      if (source) {
        sets.push('source_key = ?', 'source_hash = ?');
        values.push(source.sourceKey, source.sourceHash);
      }
      if (!sets.length) return current;
      const row = stmt(this.db, `UPDATE entries SET ${sets.join(', ')}, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(...values, this.clock.nowIso(), actor, id) as EntryRow | undefined;
      return this.recordVersion(id, 'update', actor, reason, row);
    })();
  }

  publish(id: number, actor: string, reason: string | null = null): Entry {
    return this.db.transaction(() => {
      const current = this.require(id);
      if (current.status === 'published') return current;
      const now = this.clock.nowIso();
      const row = stmt(this.db, `UPDATE entries SET status = 'published', published_at = ?, archived_at = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(now, now, actor, id) as EntryRow | undefined;
      return this.recordVersion(id, 'publish', actor, reason, row);
    })();
  }

  /** Back to draft, e.g. an archived entry that a source file brings back. */
  unpublish(id: number, actor: string, reason: string | null = null): Entry {
    return this.db.transaction(() => {
      const current = this.require(id);
      if (current.status === 'draft') return current;
      const row = stmt(this.db, `UPDATE entries SET status = 'draft', archived_at = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(this.clock.nowIso(), actor, id) as EntryRow | undefined;
      return this.recordVersion(id, 'unpublish', actor, reason, row);
    })();
  }

  archive(id: number, actor: string, reason: string): Entry {
    if (!reason || !reason.trim()) throw new ValidationError('reason', '归档需要说明原因');
    return this.db.transaction(() => {
      const current = this.require(id);
      if (current.status === 'archived') throw new ConflictError(`条目 ${id} 已归档`);
      const now = this.clock.nowIso();
      const row = stmt(this.db, `UPDATE entries SET status = 'archived', archived_at = ?, review_due = 0, review_reason = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(now, now, actor, id) as EntryRow | undefined;
      // a change waiting for review has nothing left to change
      stmt(this.db, `UPDATE entry_revisions SET state = 'rejected', decided_by = ?, decided_at = ?, decision_note = ? WHERE entry_id = ? AND state = 'pending'`)
        .run(actor, now, `条目已归档：${reason}`, id);
      return this.recordVersion(id, 'archive', actor, reason, row);
    })();
  }

  /** The entry as it was at one version (null when that version was never recorded). */
  snapshotAtVersion(id: number, version: number): Entry | null {
    const row = stmt(this.db, 'SELECT snapshot FROM entry_versions WHERE entry_id = ? AND version = ?').get(id, version) as { snapshot: string } | undefined;
    return row ? (JSON.parse(row.snapshot) as Entry) : null;
  }

  /** The entry as it was at `iso` (its last version by then), or null when it did not exist yet. */
  snapshotAt(id: number, iso: string): Entry | null {
    const row = stmt(this.db, 'SELECT snapshot FROM entry_versions WHERE entry_id = ? AND changed_at <= ? ORDER BY version DESC LIMIT 1').get(id, iso) as
      | { snapshot: string }
      | undefined;
    return row ? (JSON.parse(row.snapshot) as Entry) : null;
  }

  /** When each entry was first published. */
  firstPublishTimes(): Array<{ entryId: number; at: string }> {
    return stmt(this.db, `SELECT entry_id AS entryId, min(changed_at) AS at FROM entry_versions WHERE action = 'publish' GROUP BY entry_id`).all() as Array<{ entryId: number; at: string }>;
  }

  /** The versions written in [from, to]: which entry, by which action. */
  versionActionsBetween(from: string, to: string): Array<{ entryId: number; action: string }> {
    return stmt(this.db, 'SELECT entry_id AS entryId, action FROM entry_versions WHERE changed_at >= ? AND changed_at <= ?').all(from, to) as Array<{ entryId: number; action: string }>;
  }

  /** Published entries whose expiry date is before `today`, by id, with their review state. */
  publishedExpiredBefore(today: string): Array<{ id: number; reviewDue: boolean; reviewReason: string | null; lastReviewedAt: string | null; expiresAt: string }> {
    const rows = stmt(this.db,
      `SELECT id, review_due, review_reason, last_reviewed_at, expires_at FROM entries
        WHERE status = 'published' AND expires_at IS NOT NULL AND expires_at < ? ORDER BY id`,
    ).all(today) as Array<{ id: number; review_due: number; review_reason: string | null; last_reviewed_at: string | null; expires_at: string }>;
    return rows.map((r) => ({ id: r.id, reviewDue: r.review_due === 1, reviewReason: r.review_reason, lastReviewedAt: r.last_reviewed_at, expiresAt: r.expires_at }));
  }

  /** Entries linked to a gap (drafts and published alike). */
  idsLinkedToGap(gapId: number): number[] {
    return (stmt(this.db, 'SELECT id FROM entries WHERE gap_id = ?').all(gapId) as Array<{ id: number }>).map((r) => r.id);
  }

  hasGapLink(gapId: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM entries WHERE gap_id = ? LIMIT 1').get(gapId) !== undefined;
  }

  /** Links an entry to the ask and/or gap it answers (agent answers, gap fills). */
  linkOrigin(id: number, link: { askId?: string | null; gapId?: number | null }, actor: string, reason: string): Entry {
    return this.db.transaction(() => {
      const current = this.require(id);
      const row = stmt(this.db, `UPDATE entries SET ask_id = ?, gap_id = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(link.askId !== undefined ? link.askId : current.askId, link.gapId !== undefined ? link.gapId : current.gapId, this.clock.nowIso(), actor, id) as EntryRow | undefined;
      return this.recordVersion(id, 'link', actor, reason, row);
    })();
  }

  /** Raises the review-due flag (the entry keeps answering). */
  flagForReview(id: number, reason: string, actor: string): Entry {
    return this.db.transaction(() => {
      const current = this.require(id);
      if (current.reviewDue && current.reviewReason === reason) return current;
      const row = stmt(this.db, `UPDATE entries SET review_due = 1, review_reason = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(reason, this.clock.nowIso(), actor, id) as EntryRow | undefined;
      return this.recordVersion(id, 'flag-review', actor, reason, row);
    })();
  }

  /** A reviewer confirmed the entry is still right: clears the flag and stamps last_reviewed_at. */
  markReviewed(id: number, actor: string, note: string): Entry {
    return this.db.transaction(() => {
      this.require(id);
      const now = this.clock.nowIso();
      const row = stmt(this.db, `UPDATE entries SET review_due = 0, review_reason = NULL, last_reviewed_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`)
        .get(now, now, actor, id) as EntryRow | undefined;
      return this.recordVersion(id, 'review', actor, note, row);
    })();
  }

  /** A history event that changes no field (a revision proposed or rejected): a new version, same content. */
  recordEvent(id: number, action: string, actor: string, reason: string | null): Entry {
    return this.db.transaction(() => {
      this.require(id);
      const row = stmt(this.db, `UPDATE entries SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`).get(this.clock.nowIso(), actor, id) as EntryRow | undefined;
      return this.recordVersion(id, action, actor, reason, row);
    })();
  }

  countByCategory(status?: EntryStatus): Record<string, number> {
    const rows = stmt(this.db, `SELECT category, count(*) AS n FROM entries ${status ? 'WHERE status = ?' : ''} GROUP BY category`)
      .all(...(status ? [status] : [])) as Array<{ category: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.category, r.n]));
  }

  /** Entries not archived (drafts and published), by category. */
  countLiveByCategory(): Record<string, number> {
    const rows = stmt(this.db, `SELECT category, count(*) AS n FROM entries WHERE status != 'archived' GROUP BY category`).all() as Array<{ category: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.category, r.n]));
  }

  count(status: EntryStatus): number {
    return (stmt(this.db, `SELECT count(*) AS n FROM entries WHERE status = ?`).get(status) as { n: number }).n;
  }

  /** Published entries flagged 待复核. */
  countReviewDue(): number {
    return (stmt(this.db, `SELECT count(*) AS n FROM entries WHERE status = 'published' AND review_due = 1`).get() as { n: number }).n;
  }

  /** The distinct non-empty values of a column over all entries, sorted (filter choices on the admin page). */
  distinctValues(column: 'department' | 'region'): string[] {
    return (stmt(this.db, `SELECT DISTINCT ${column} AS v FROM entries WHERE ${column} IS NOT NULL AND ${column} != '' ORDER BY ${column}`).all() as Array<{ v: string }>).map(
      (x) => x.v,
    );
  }

  /** Ids of entries of an origin, newest first, optionally written by one person or in one state (at most `limit`). */
  idsByOrigin(origin: string, filter: { createdBy?: string; status?: EntryStatus; limit: number }): number[] {
    const where = ['origin = ?'];
    const args: unknown[] = [origin];
    if (filter.createdBy !== undefined) {
      where.push('created_by = ?');
      args.push(filter.createdBy);
    }
    if (filter.status) {
      where.push('status = ?');
      args.push(filter.status);
    }
    return (stmt(this.db, `SELECT id FROM entries WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args, filter.limit) as Array<{ id: number }>).map((r) => r.id);
  }

  /** Every published entry's id and version (what the search indexes must hold). */
  publishedVersions(): Array<{ id: number; version: number }> {
    return stmt(this.db, `SELECT id, version FROM entries WHERE status = 'published'`).all() as Array<{ id: number; version: number }>;
  }

  /** The question of every published entry generated from a document, with its document and section. */
  publishedSectionQuestions(): Array<{ doc: number; section: string | null; question: string }> {
    return stmt(this.db, `SELECT document_id AS doc, source_section AS section, question FROM entries WHERE status = 'published' AND document_id IS NOT NULL`)
      .all() as Array<{ doc: number; section: string | null; question: string }>;
  }

  // What the import pipeline (ingest/pipeline.ts) and the documents and entry export routes (routes/documents/, routes/entries/) read of entries.

  /** Question and answer of every entry not archived (rows of a re-imported export that are existing entries). */
  liveQuestionAnswers(): Array<{ question: string; answer: string }> {
    return stmt(this.db, `SELECT question, answer FROM entries WHERE status != 'archived'`).all() as Array<{ question: string; answer: string }>;
  }

  /** Id and question of every entry not archived, by id. */
  liveQuestions(): Array<{ id: number; question: string }> {
    return stmt(this.db, `SELECT id, question FROM entries WHERE status != 'archived' ORDER BY id`).all() as Array<{ id: number; question: string }>;
  }

  /** A document's entries not archived, by category. */
  countLiveByCategoryOfDocument(documentId: number): Partial<Record<CategoryCode, number>> {
    const rows = stmt(this.db, `SELECT category, count(*) AS n FROM entries WHERE document_id = ? AND status != 'archived' GROUP BY category`)
      .all(documentId) as Array<{ category: CategoryCode; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.category, r.n]));
  }

  /** Entries of each document by status. */
  countsByDocumentAndStatus(): Array<{ id: number; status: string; n: number }> {
    return stmt(this.db, `SELECT document_id AS id, status, count(*) AS n FROM entries WHERE document_id IS NOT NULL GROUP BY document_id, status`)
      .all() as Array<{ id: number; status: string; n: number }>;
  }

  private checkDocument(documentId: number | null | undefined): void {
    if (documentId == null) return;
    if (!stmt(this.db, 'SELECT 1 FROM documents WHERE id = ?').get(documentId)) {
      throw new ValidationError('documentId', `文件 ${documentId} 不存在`);
    }
  }

  /** row: the entry as the write returned it (RETURNING *), which saves reading it again. */
  private recordVersion(id: number, action: string, actor: string, reason: string | null, row?: EntryRow): Entry {
    const entry = row ? toEntry(row) : this.require(id);
    stmt(this.db, 'INSERT INTO entry_versions (entry_id, version, action, snapshot, changed_at, changed_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, entry.version, action, JSON.stringify(entry), entry.updatedAt, actor, reason);
    stmt(this.db, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'kb_version'`).run();
    return entry;
  }
}
