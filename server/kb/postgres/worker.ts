/**
 * The thread that talks to PostgreSQL for postgres-db.ts. The KB layer is synchronous (better-sqlite3's model);
 * node-postgres is asynchronous, so each call is made here and the calling thread waits for its answer (synckit).
 * Connections are kept by number, one per PostgresDb. A connection the server dropped (a restart, a failover) is
 * opened again at the next call that allows it: one outside a transaction (a transaction cannot survive its
 * connection, so a call inside one fails instead).
 */
import pg from 'pg';
import { runAsWorker } from 'synckit';

// bigint ids and count(*) come back as numbers, as SQLite gives them (the KB stays far below 2^53)
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// SQLite has no boolean type: a comparison yields 1 or 0, and the stores are written for that
pg.types.setTypeParser(pg.types.builtins.BOOL, (v) => (v === 't' ? 1 : 0));

export type WorkerCall =
  | { op: 'connect'; url: string; schema: string }
  /** name: a statement prepared once per connection; '' for one used once (a cursor's DECLARE, FETCH, CLOSE) */
  | { op: 'query'; conn: number; name: string; text: string; values: unknown[]; reconnect: boolean }
  | { op: 'exec'; conn: number; text: string; reconnect: boolean }
  /** Statements run in order in one call, inside a transaction (values absent: simple protocol); the first failure is the error. */
  | { op: 'batch'; conn: number; items: BatchItem[]; reconnect: boolean }
  | { op: 'end'; conn: number };

export interface BatchItem {
  name?: string;
  text: string;
  values?: unknown[];
}

export type WorkerReply =
  | { ok: true; conn?: number; rows?: Record<string, unknown>[]; rowCount?: number; rowCounts?: number[] }
  /** index: in a batch, the statement that failed (those before it took effect; after it the transaction is aborted) */
  | { ok: false; message: string; code?: string; detail?: string; index?: number };

/** Each connection: where it goes, and its client (null once the server dropped it). */
const connections = new Map<number, { url: string; schema: string; client: pg.Client | null }>();
let nextConn = 1;

async function open(conn: number): Promise<pg.Client> {
  const target = connections.get(conn)!;
  // pipeline: a batch's statements go out together instead of one round trip each (calls are one at a time anyway)
  const c = new pg.Client({ connectionString: target.url, application_name: 'bangban-kb', pipeline: true });
  c.on('error', () => {
    if (target.client === c) target.client = null; // dropped: the next call that may reconnects
  });
  await c.connect();
  // the schema itself is created by the first migration (migratePostgres), under the KB's write lock
  await c.query(`SET search_path TO "${target.schema.replace(/"/g, '""')}"`);
  target.client = c;
  return c;
}

async function client(conn: number, reconnect: boolean): Promise<pg.Client> {
  const target = connections.get(conn);
  if (!target) throw new Error(`连接 ${conn} 已关闭`);
  if (target.client) return target.client;
  if (!reconnect) throw Object.assign(new Error('与知识库数据库的连接已断开，进行中的事务未能完成'), { code: '08003' });
  return open(conn);
}

async function handle(call: WorkerCall): Promise<WorkerReply> {
  switch (call.op) {
    case 'connect': {
      const conn = nextConn++;
      connections.set(conn, { url: call.url, schema: call.schema, client: null });
      try {
        await open(conn);
      } catch (err) {
        connections.delete(conn);
        throw err;
      }
      return { ok: true, conn };
    }
    case 'query': {
      const c = await client(call.conn, call.reconnect);
      const r = await c.query({ name: call.name || undefined, text: call.text, values: call.values });
      return { ok: true, rows: r.rows, rowCount: r.rowCount ?? 0 };
    }
    case 'exec':
      await (await client(call.conn, call.reconnect)).query(call.text);
      return { ok: true };
    case 'batch': {
      const c = await client(call.conn, call.reconnect);
      // pipelined: all are written at once and answered in order. Batches run inside a transaction, so after a
      // failing statement the rest fail too (the transaction is aborted) and the first failure is the error.
      const settled = await Promise.allSettled(
        call.items.map((item) => (item.values ? c.query({ name: item.name || undefined, text: item.text, values: item.values }) : c.query(item.text))),
      );
      const index = settled.findIndex((s) => s.status === 'rejected');
      if (index >= 0) throw Object.assign((settled[index] as PromiseRejectedResult).reason as Error, { index });
      const results = settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value);
      const last = results[results.length - 1];
      // the last statement's rows: the read a batch of deferred writes was sent with
      return { ok: true, rows: last?.rows, rowCount: last?.rowCount ?? 0, rowCounts: results.map((r) => r.rowCount ?? 0) };
    }
    case 'end': {
      const c = connections.get(call.conn)?.client;
      connections.delete(call.conn);
      await c?.end();
      return { ok: true };
    }
  }
}

runAsWorker(async (call: WorkerCall): Promise<WorkerReply> => {
  try {
    return await handle(call);
  } catch (err) {
    const e = err as { message?: string; code?: string; detail?: string; index?: number };
    return { ok: false, message: e.message ?? String(err), code: e.code, detail: e.detail, index: e.index };
  }
});
