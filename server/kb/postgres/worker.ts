/**
 * The thread that talks to PostgreSQL for postgres-db.ts. The KB layer is synchronous (better-sqlite3's model);
 * node-postgres is asynchronous, so each call is made here and the calling thread waits for its answer (synckit).
 * Connections are kept by number, one per PostgresDb.
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
  | { op: 'query'; conn: number; name: string; text: string; values: unknown[] }
  | { op: 'exec'; conn: number; text: string }
  | { op: 'end'; conn: number };

export type WorkerReply =
  | { ok: true; conn?: number; rows?: Record<string, unknown>[]; rowCount?: number }
  | { ok: false; message: string; code?: string; detail?: string };

const clients = new Map<number, pg.Client>();
let nextConn = 1;

function client(conn: number): pg.Client {
  const c = clients.get(conn);
  if (!c) throw new Error(`连接 ${conn} 已关闭`);
  return c;
}

async function handle(call: WorkerCall): Promise<WorkerReply> {
  switch (call.op) {
    case 'connect': {
      const c = new pg.Client({ connectionString: call.url, application_name: 'bangban-kb' });
      const conn = nextConn++; // numbered before connecting: an error event may come while it connects
      c.on('error', () => clients.delete(conn)); // a dropped connection: the next call reports it
      await c.connect();
      clients.set(conn, c);
      // the schema itself is created by the first migration (migratePostgres), under the KB's write lock
      await c.query(`SET search_path TO "${call.schema.replace(/"/g, '""')}"`);
      return { ok: true, conn };
    }
    case 'query': {
      const r = await client(call.conn).query({ name: call.name || undefined, text: call.text, values: call.values });
      return { ok: true, rows: r.rows, rowCount: r.rowCount ?? 0 };
    }
    case 'exec':
      await client(call.conn).query(call.text);
      return { ok: true };
    case 'end': {
      const c = clients.get(call.conn);
      clients.delete(call.conn);
      await c?.end();
      return { ok: true };
    }
  }
}

runAsWorker(async (call: WorkerCall): Promise<WorkerReply> => {
  try {
    return await handle(call);
  } catch (err) {
    const e = err as { message?: string; code?: string; detail?: string };
    return { ok: false, message: e.message ?? String(err), code: e.code, detail: e.detail };
  }
});
