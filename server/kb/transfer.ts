/**
 * Copies a whole knowledge base from one Db connection to another, SQLite → PostgreSQL or PostgreSQL → SQLite
 * (backup of a PostgreSQL KB into a kb.db file, restore of a file into PostgreSQL, the one-off migration). Rows keep
 * their ids. The source is read in one consistent snapshot, the target written in one transaction: a failure leaves
 * the target as it was.
 */
import { lastIssuedId, stmt, type Db } from './db.js';
import { SCHEMA_VERSION } from './migrations.js';
import { postgresSchemaVersion } from './postgres/migrations.js';
import type { PostgresDb } from './postgres/postgres-db.js';

interface TableSpec {
  name: string;
  /** The primary key: rows are read in its order, batch after batch (keyset pagination). */
  key: string[];
  /** An integer id given by SQLite / an identity sequence on PostgreSQL, whose high-water mark is carried over. */
  identity?: boolean;
  /** Foreign keys that close a cycle (or point forward in the same table): inserted NULL, set after every table. */
  deferred?: string[];
}

/**
 * Every table of the schema (server/kb/migrations.ts), in foreign-key order. A table the database has and this list
 * lacks stops the copy: a new migration must add its tables here, never be skipped silently.
 */
const TABLES: TableSpec[] = [
  { name: 'meta', key: ['key'] },
  { name: 'documents', key: ['id'], identity: true, deferred: ['replaced_by'] }, // a document replaced by a later one
  { name: 'document_links', key: ['from_document_id', 'to_document_id'] },
  { name: 'entries', key: ['id'], identity: true, deferred: ['ask_id', 'gap_id'] }, // entries → asks/gaps → entries
  { name: 'entry_versions', key: ['entry_id', 'version'] },
  { name: 'api_tokens', key: ['id'], identity: true },
  { name: 'asks', key: ['id'] },
  { name: 'feedback', key: ['id'], identity: true },
  { name: 'handoffs', key: ['id'], identity: true },
  { name: 'gaps', key: ['id'], identity: true },
  // its ids are never reused (GapStore.lastQuestionId): the high-water mark travels with the rows
  { name: 'gap_questions', key: ['id'], identity: true },
  { name: 'reviews', key: ['id'], identity: true },
  { name: 'job_runs', key: ['id'], identity: true },
  { name: 'audit_log', key: ['id'], identity: true },
  { name: 'phrasing_proposals', key: ['id'], identity: true },
  { name: 'lexicon_edits', key: ['id'], identity: true },
  { name: 'entry_revisions', key: ['id'], identity: true },
];

/** Tables of the database itself, not of the KB. */
const INTERNAL = new Set(['schema_migrations', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);

export interface TransferProgress {
  table: string;
  /** Rows copied so far, all tables together. */
  copied: number;
  total: number;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface TransferResult {
  schemaVersion: number;
  tables: TableCount[];
  kbVersion: { source: number; target: number };
  /** Rows the target held and the copy replaced (only with replace: true). */
  replaced: Array<{ table: string; rows: number }>;
}

export interface TransferOptions {
  /** Empty a target that holds a KB first, in the same transaction (default: refuse it). */
  replace?: boolean;
  /** Rows per read and per INSERT (default 500). */
  batchSize?: number;
  onProgress?: (p: TransferProgress) => void;
}

/** The target already holds a knowledge base (and replace was not asked for). */
export class TargetNotEmptyError extends Error {
  constructor(readonly rows: Array<{ table: string; rows: number }>) {
    super(`目标知识库不是空的（${describeRows(rows)}）`);
    this.name = 'TargetNotEmptyError';
  }
}

/** The copy does not match its source (row counts or KB version): it was rolled back. */
export class TransferMismatchError extends Error {}

/** "entries 12 行、asks 3 行" for the tables with rows (meta, which every KB has, left out). */
export function describeRows(rows: Array<{ table: string; rows: number }>): string {
  const some = rows.filter((r) => r.rows > 0 && r.table !== 'meta');
  return some.length ? some.map((r) => `${r.table} ${r.rows} 行`).join('、') : '没有数据';
}

export function schemaVersion(db: Db): number {
  if (db.dialect === 'postgres') return postgresSchemaVersion(db as PostgresDb);
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

function tableNames(db: Db): string[] {
  const sql =
    db.dialect === 'sqlite'
      ? `SELECT name FROM sqlite_master WHERE type = 'table'`
      : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  return (db.prepare(sql).all() as Array<{ name: string }>).map((r) => r.name).filter((n) => !INTERNAL.has(n));
}

/** Throws unless the database has exactly the tables this module copies. */
function checkTables(db: Db, which: string): void {
  const have = tableNames(db);
  const known = new Set(TABLES.map((t) => t.name));
  const unknown = have.filter((n) => !known.has(n));
  const missing = TABLES.filter((t) => !have.includes(t.name)).map((t) => t.name);
  if (unknown.length) throw new Error(`${which}有本程序不认识的表 ${unknown.join('、')}：复制会漏掉它们，已停止。请升级 bangban-kb（server/kb/transfer.ts 的表清单）。`);
  if (missing.length) throw new Error(`${which}缺少表 ${missing.join('、')}：结构版本不对，请先迁移到最新结构。`);
}

export function rowCounts(db: Db): Array<{ table: string; rows: number }> {
  return TABLES.map((t) => ({ table: t.name, rows: (stmt(db, `SELECT count(*) AS n FROM ${t.name}`).get() as { n: number }).n }));
}

function kbVersionOf(db: Db): number {
  const row = stmt(db, `SELECT value FROM meta WHERE key = 'kb_version'`).get() as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/** The highest id ever given in this table (not only the highest present: deleted rows' ids are not reused). */
function idHighWater(db: Db, table: string): number {
  const max = (stmt(db, `SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
  return Math.max(max, lastIssuedId(db, table));
}

/** Makes the target give ids above the source's high-water mark (SQLite's AUTOINCREMENT, PostgreSQL's identity). */
function carryHighWater(target: Db, table: string, highWater: number): void {
  if (target.dialect === 'postgres') {
    // setval(…, 1, false): the next id is 1 (a sequence cannot be set to 0)
    stmt(target, `SELECT setval(pg_get_serial_sequence(?, 'id'), ?, ?) AS v`).get(table, Math.max(highWater, 1), highWater > 0);
  } else if (table === 'gap_questions') {
    // the only AUTOINCREMENT table: the others take max(id) + 1, which the copied rows already give
    stmt(target, `DELETE FROM sqlite_sequence WHERE name = ?`).run(table);
    if (highWater > 0) stmt(target, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`).run(table, highWater);
  }
}

/** Reads a table in key order, batch by batch. */
function* batches(db: Db, t: TableSpec, size: number, columns = '*', where = ''): Generator<Record<string, unknown>[]> {
  const key = t.key.join(', ');
  const after = t.key.length === 1 ? `${key} > ?` : `(${key}) > (${t.key.map(() => '?').join(', ')})`;
  let last: unknown[] | null = null;
  for (;;) {
    const conds = [where && `(${where})`, last ? after : ''].filter(Boolean).join(' AND ');
    const sql = `SELECT ${columns} FROM ${t.name}${conds ? ` WHERE ${conds}` : ''} ORDER BY ${key} LIMIT ?`;
    const rows = stmt(db, sql).all(...(last ?? []), size) as Record<string, unknown>[];
    if (rows.length) yield rows;
    if (rows.length < size) return;
    const end = rows[rows.length - 1];
    last = t.key.map((k) => end[k]);
  }
}

function insertRows(target: Db, table: string, rows: Record<string, unknown>[], nulled: string[]): void {
  const columns = Object.keys(rows[0]);
  const row = `(${columns.map(() => '?').join(', ')})`;
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => row).join(', ')}`;
  const values = rows.flatMap((r) => columns.map((c) => (nulled.includes(c) ? null : r[c])));
  stmt(target, sql).run(...values);
}

/** Empties the target's KB tables: cycle-closing keys first, then children before parents. */
function emptyTarget(target: Db): void {
  for (const t of TABLES) for (const c of t.deferred ?? []) stmt(target, `UPDATE ${t.name} SET ${c} = NULL WHERE ${c} IS NOT NULL`).run();
  for (const t of [...TABLES].reverse()) stmt(target, `DELETE FROM ${t.name}`).run();
}

/** Runs fn reading source in one consistent snapshot: REPEATABLE READ on PostgreSQL, a read transaction on SQLite (WAL). */
function readConsistently<T>(source: Db, fn: () => T): T {
  if (source.dialect === 'postgres') return (source as PostgresDb).snapshot(fn);
  return source.transaction(fn)();
}

/**
 * Copies every KB table of source into target. Both must be at the same (latest) schema version: migrate the
 * target first (openKbDatabase / openDatabase do). Refuses a target that holds a KB unless replace is set. Checks
 * the copy (row counts per table, KB version) before committing; throws TransferMismatchError when it differs.
 */
export function copyKb(source: Db, target: Db, opts: TransferOptions = {}): TransferResult {
  const size = opts.batchSize ?? 500;
  const version = schemaVersion(source);
  const targetVersion = schemaVersion(target);
  if (version !== SCHEMA_VERSION || targetVersion !== SCHEMA_VERSION) {
    throw new Error(`源和目标须为同一（最新）结构版本 ${SCHEMA_VERSION}，实际为源 ${version}、目标 ${targetVersion}：请先迁移。`);
  }
  checkTables(source, '源知识库');
  checkTables(target, '目标知识库');

  return readConsistently(source, () => {
    const sourceCounts = rowCounts(source);
    const total = sourceCounts.reduce((n, c) => n + c.rows, 0);
    const sourceKbVersion = kbVersionOf(source);
    return target.transaction(() => {
      const existing = rowCounts(target);
      // a freshly migrated KB has its meta rows only
      const held = existing.filter((c) => c.table !== 'meta' && c.rows > 0);
      if (held.length && !opts.replace) throw new TargetNotEmptyError(existing);
      const replaced = held.length ? existing : [];
      if (held.length) emptyTarget(target);
      else stmt(target, 'DELETE FROM meta').run();

      let copied = 0;
      for (const t of TABLES) {
        for (const rows of batches(source, t, size)) {
          insertRows(target, t.name, rows, t.deferred ?? []);
          copied += rows.length;
          opts.onProgress?.({ table: t.name, copied, total });
        }
      }
      for (const t of TABLES) {
        const cols = t.deferred ?? [];
        if (!cols.length) continue;
        const update = `UPDATE ${t.name} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;
        for (const rows of batches(source, t, size, ['id', ...cols].join(', '), cols.map((c) => `${c} IS NOT NULL`).join(' OR '))) {
          for (const r of rows) stmt(target, update).run(...cols.map((c) => r[c]), r.id);
        }
      }
      for (const t of TABLES) if (t.identity) carryHighWater(target, t.name, idHighWater(source, t.name));

      const targetCounts = rowCounts(target);
      const result: TransferResult = {
        schemaVersion: version,
        tables: sourceCounts.map((c, i) => ({ table: c.table, source: c.rows, target: targetCounts[i].rows })),
        kbVersion: { source: sourceKbVersion, target: kbVersionOf(target) },
        replaced,
      };
      verifyTransfer(result); // a mismatch rolls the copy back
      return result;
    })();
  });
}

/** Throws TransferMismatchError unless every table has as many rows in the target as in the source, and the KB versions are equal. */
export function verifyTransfer(r: TransferResult): void {
  const wrong = r.tables.filter((t) => t.source !== t.target).map((t) => `${t.table}：源 ${t.source} 行，目标 ${t.target} 行`);
  if (r.kbVersion.source !== r.kbVersion.target) wrong.push(`知识库版本：源 ${r.kbVersion.source}，目标 ${r.kbVersion.target}`);
  if (wrong.length) throw new TransferMismatchError(`复制结果与源不一致，已撤销：${wrong.join('；')}`);
}
