import crypto from 'node:crypto';
import { createSyncFn } from 'synckit';
import { compiledWorker } from '../../worker-file.js';
import type { Db, RunResult, SqlStatement } from '../db.js';
import { pgValues, toPostgres, type PgStatementText } from './sql.js';
import type { BatchItem, WorkerCall, WorkerReply } from './worker.js';

/**
 * Every write transaction on every replica takes this advisory lock first, so writes to one KB are serialised as
 * they are on SQLite (one writer at a time): a read-then-write inside a transaction sees no other replica's write
 * in between. Reads take no lock. The key is per schema (two KBs in one database do not wait for each other).
 */
const WRITE_LOCK_CLASS = 0x6b62; // 'kb'

/** An error PostgreSQL reported, with its SQLSTATE (23505 unique violation, 40P01 deadlock …). */
export class PostgresError extends Error {
  constructor(message: string, readonly code?: string, readonly detail?: string, readonly statement?: string) {
    super(message);
    this.name = 'PostgresError';
  }
}

let callWorker: ((call: WorkerCall) => WorkerReply) | null = null;
function call(c: WorkerCall): WorkerReply & { ok: true } {
  callWorker ??= createSyncFn<(call: WorkerCall) => Promise<WorkerReply>>(compiledWorker(import.meta.url, 'worker.js').pathname);
  const reply = callWorker(c);
  if (!reply.ok) {
    // a statement of a batch: its own SQL, since the call that sent it is not the one that ran it
    const statement = c.op === 'batch' && reply.index !== undefined ? c.items[reply.index]?.text : undefined;
    throw Object.assign(new PostgresError(reply.message, reply.code, reply.detail, statement), { batchIndex: reply.index });
  }
  return reply;
}

/** Deferred statements (or their parameters) past which they are sent at once: a copy of a large KB stays bounded. */
const MAX_DEFERRED = { statements: 200, values: 20_000 };

/**
 * A statement sent later, with the next one whose answer is needed: a write inside a transaction (run() answers
 * only how many rows changed) or a savepoint. Every statement costs a call through the worker thread, and an
 * import makes some twenty per entry; deferred, an entry's statements go in about nine calls.
 */
interface Deferred {
  item: BatchItem;
  /** A write (its failure is an error of the transaction scope that made it), not a savepoint. */
  write: boolean;
  rowCount?: number;
}

/** A 32-bit key for pg_advisory_xact_lock(class, key) from a schema name. */
export function lockKey(schema: string): number {
  return crypto.createHash('sha1').update(schema).digest().readInt32BE(0);
}

/** Rows fetched per round trip by iterate(). */
const CURSOR_BATCH = 2000;
let cursors = 0;

/** Statements that read or refer to the ask log: asks batched in memory are written before they run. */
const TOUCHES_ASK_LOG = /\b(asks|ask_id|feedback|handoffs)\b/i;

class PgStatement implements SqlStatement {
  private readonly name: string;
  private readonly touchesAskLog: boolean;
  constructor(private readonly db: PostgresDb, private readonly sql: PgStatementText) {
    // a named statement is parsed and planned once per connection by the server
    this.name = `kb_${crypto.createHash('sha1').update(sql.text).digest('hex').slice(0, 20)}`;
    this.touchesAskLog = TOUCHES_ASK_LOG.test(sql.text);
  }
  private exec(params: unknown[]) {
    if (this.touchesAskLog) this.db.askLogFirst();
    return this.db.query(this.name, this.sql.text, pgValues(this.sql, params));
  }
  get(...params: unknown[]): unknown {
    return this.exec(params).rows?.[0];
  }
  all(...params: unknown[]): unknown[] {
    return this.exec(params).rows ?? [];
  }
  run(...params: unknown[]): RunResult {
    if (this.touchesAskLog) this.db.askLogFirst();
    const values = pgValues(this.sql, params);
    const deferred = this.db.defer({ name: this.name, text: this.sql.text, values });
    if (deferred) {
      const db = this.db;
      return {
        get changes() {
          db.flushUpTo(deferred); // nobody waits for this in the KB layer's writes; whoever asks gets the real count
          return deferred.rowCount ?? 0;
        },
      };
    }
    const r = this.db.query(this.name, this.sql.text, values);
    this.db.wrote();
    return { changes: r.rowCount ?? 0 };
  }
  /**
   * Rows in batches through a server-side cursor, as better-sqlite3's iterate() steps through them: a half-year's
   * ask log for the audit report is never in this process's memory at once. WITH HOLD lets the cursor outlive the
   * statement's own transaction (outside kb.transaction each statement commits on its own).
   */
  *iterate(...params: unknown[]): Iterable<unknown> {
    if (this.touchesAskLog) this.db.askLogFirst();
    const cursor = `kb_cursor_${++cursors}`;
    this.db.query('', `DECLARE ${cursor} NO SCROLL CURSOR WITH HOLD FOR ${this.sql.text}`, pgValues(this.sql, params));
    try {
      for (;;) {
        const rows = this.db.query('', `FETCH ${CURSOR_BATCH} FROM ${cursor}`, []).rows ?? [];
        yield* rows;
        if (rows.length < CURSOR_BATCH) return;
      }
    } finally {
      if (this.db.open) this.db.query('', `CLOSE ${cursor}`, []);
    }
  }
}

/**
 * A knowledge base in a PostgreSQL schema, behind the same synchronous Db interface as SQLite: calls go through a
 * worker thread (worker.ts) and this thread waits for each answer. A replica's event loop therefore waits on the
 * database during a query, as it does on SQLite's disk; the answer path reads few rows per question and the ask
 * log is written in batches (AskBatch in ../asks.ts).
 */
export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  private conn: number;
  private depth = 0;
  private readonly lock: number;
  /** Committed transactions and statements run outside one: a KB version remembered before a local write is stale. */
  writes = 0;
  /**
   * Statements deferred inside the transaction, in order. The writes among them all belong to the innermost
   * transaction scope: they are sent before a nested scope begins and at the latest when their scope ends, so a
   * failing write is still the error of the scope that made it and rolls that scope back.
   */
  private pending: Deferred[] = [];
  private pendingValues = 0;

  constructor(readonly url: string, readonly schema: string) {
    this.conn = call({ op: 'connect', url, schema }).conn!;
    this.lock = lockKey(schema);
  }

  get open(): boolean {
    return this.conn > 0;
  }

  /** Writes the ask log's batch (set by AskLog); called before statements that touch the log and transactions. */
  beforeAskLog: (() => void) | null = null;
  private writingAskLog = false;

  askLogFirst(): void {
    if (!this.beforeAskLog || this.writingAskLog) return;
    this.writingAskLog = true;
    try {
      this.beforeAskLog();
    } catch (err) {
      // the batch stays queued for its timer; the statement that asked goes ahead (and fails itself if it must)
      console.error(`提问记录暂未写入知识库：${(err as Error).message}`);
    } finally {
      this.writingAskLog = false;
    }
  }

  /** A statement changed rows outside a transaction (it committed on its own). */
  wrote(): void {
    if (this.depth === 0) this.writes++;
  }

  query(name: string, text: string, values: unknown[]): { rows?: Record<string, unknown>[]; rowCount?: number } {
    if (!this.open) throw new PostgresError('数据库连接已关闭');
    if (this.pending.length) return this.sendPending({ name, text, values });
    return call({ op: 'query', conn: this.conn, name, text, values, reconnect: this.depth === 0 });
  }

  /**
   * Defers a write made inside a transaction (returns null outside one: it commits on its own and is run now).
   * The ask log's batch is not deferred: AskLog writes it row by row when the batch is refused.
   */
  defer(item: BatchItem): Deferred | null {
    if (this.depth === 0 || this.writingAskLog || !this.open) return null;
    const d: Deferred = { item, write: true };
    this.pending.push(d);
    this.pendingValues += item.values?.length ?? 0;
    // every deferred write belongs to the current scope, so sending them early changes nothing but the memory held
    if (this.pending.length >= MAX_DEFERRED.statements || this.pendingValues >= MAX_DEFERRED.values) this.sendPending();
    return d;
  }

  private get pendingWrites(): boolean {
    return this.pending.some((d) => d.write);
  }

  /** Sends the deferred statements, then `last` if given, in one call; answers with last's result. */
  private sendPending(last?: BatchItem): { rows?: Record<string, unknown>[]; rowCount?: number } {
    const sent = this.pending;
    this.pending = [];
    this.pendingValues = 0;
    const items = sent.map((d) => d.item);
    if (last) items.push(last);
    const r = call({ op: 'batch', conn: this.conn, items, reconnect: false });
    sent.forEach((d, i) => (d.rowCount = r.rowCounts?.[i]));
    return r;
  }

  /** Sends the deferred statements up to and including this one (a run() whose row count is asked for). */
  flushUpTo(d: Deferred): void {
    if (this.pending.includes(d)) this.sendPending();
  }

  /** Sends the deferred writes; the error of the first that fails, or null. */
  private pendingError(): unknown {
    if (!this.pendingWrites || !this.open) return null;
    try {
      this.sendPending();
      return null;
    } catch (err) {
      return err;
    }
  }

  prepare(sql: string): SqlStatement {
    return new PgStatement(this, toPostgres(sql));
  }

  /** reconnect: whether a dropped connection may be opened again for this statement (never to end a transaction). */
  exec(sql: string, reconnect = this.depth === 0): void {
    if (!this.open) throw new PostgresError('数据库连接已关闭');
    if (this.pending.length) this.sendPending({ text: sql });
    else call({ op: 'exec', conn: this.conn, text: sql, reconnect });
  }

  /** Ends the transaction in progress without masking the error that ended it (the connection may be gone too). */
  private rollback(sql: string): void {
    try {
      if (this.open) this.exec(sql, false);
    } catch {
      /* a dropped connection rolled it back already */
    } finally {
      this.pending = [];
      this.pendingValues = 0;
    }
  }

  /**
   * Ends a transaction scope: `end` (COMMIT, RELEASE) goes with the scope's deferred writes, in one call. A
   * failing write stops the batch before `end`: the scope is rolled back (`undo`), as if the write had failed
   * when it was made. A savepoint released with no write pending waits for the next statement.
   */
  private finish(end: string, undo: string): void {
    if (!this.pendingWrites) {
      if (this.depth > 0) this.pending.push({ item: { text: end }, write: false });
      else this.exec(end, false);
      return;
    }
    const ends = this.pending.length;
    try {
      this.sendPending({ text: end });
    } catch (err) {
      if ((err as { batchIndex?: number }).batchIndex !== ends) this.rollback(undo);
      throw err;
    }
  }

  /** Ends a scope whose function threw: the error of a deferred write made before it comes first. */
  private abort(err: unknown, undo: string): never {
    const first = this.pendingError();
    this.rollback(undo);
    throw first ?? err;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): F {
    return ((...args: Parameters<F>) => {
      const savepoint = `kb_sp_${this.depth}`;
      if (this.depth === 0) this.askLogFirst();
      if (this.depth === 0) this.exec(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_CLASS}, ${this.lock})`);
      else {
        // the enclosing scope's writes are its own: sent before this scope can fail and roll back
        if (this.pendingWrites) this.sendPending();
        this.pending.push({ item: { text: `SAVEPOINT ${savepoint}` }, write: false });
      }
      this.depth++;
      let result: unknown;
      try {
        result = fn(...args);
      } catch (err) {
        this.depth--;
        this.abort(err, this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      }
      this.depth--;
      this.finish(this.depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`, this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      if (this.depth === 0) this.writes++;
      return result;
    }) as F;
  }

  close(): void {
    if (!this.open) return;
    try {
      this.askLogFirst();
    } catch (err) {
      console.error(`关闭前未能写入的提问记录已丢弃：${(err as Error).message}`);
    }
    const conn = this.conn;
    this.conn = 0;
    this.pending = [];
    this.pendingValues = 0;
    call({ op: 'end', conn });
  }

  /**
   * Runs fn in one read-only REPEATABLE READ transaction: every read sees the same committed state, so a backup or
   * a copy is consistent across tables while replicas keep writing. Takes no write lock (it writes nothing, and
   * must not make the replicas' writes wait for a long copy).
   */
  snapshot<T>(fn: () => T): T {
    if (this.depth > 0) throw new PostgresError('snapshot() 不能在事务内调用');
    this.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    this.depth++; // a transaction() inside becomes a savepoint (and fails at its first write: READ ONLY)
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.depth--;
      this.abort(err, 'ROLLBACK');
    }
    this.depth--;
    this.finish('COMMIT', 'ROLLBACK');
    return result;
  }
}
