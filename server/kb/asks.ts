import { stmt } from './db.js';
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { PostgresDb } from './postgres/postgres-db.js';
import { pgValue } from './postgres/sql.js';
import type { KbClock } from './clock.js';
import { NotFoundError } from './errors.js';
import type { AskOutcome, Channel, HandoffChannel, ListsAll } from '../../shared/domain.js';

export const CHANNELS = ['pc', 'mobile', 'app', 'miniprogram', 'kiosk', 'api'] as const satisfies readonly Channel[];
true satisfies ListsAll<Channel, typeof CHANNELS>;
export type { AskOutcome, Channel, HandoffChannel };

/**
 * One of the top candidates of an ask, score rounded. `shown`: the reply offered it as a suggestion (猜你想问): a
 * choice among these is what the system learns from. Asks logged before the flag existed have none.
 */
export interface AskResult {
  entryId: number;
  score: number;
  shown?: true;
}

export interface AskRecord {
  id: string;
  askedAt: string;
  channel: Channel;
  audience: string;
  region: string | null;
  sessionId: string | null;
  /** Personal data already masked. */
  question: string;
  outcome: AskOutcome;
  entryId: number | null;
  score: number | null;
  results: AskResult[];
  latencyMs: number;
  resolved: boolean | null;
  feedbackReason: string | null;
  handoffChannel: HandoffChannel | null;
}

export interface NewAsk {
  channel: Channel;
  audience: string;
  region: string | null;
  sessionId: string | null;
  question: string;
  outcome: AskOutcome;
  entryId: number | null;
  score: number | null;
  results: AskResult[];
  latencyMs: number;
}

/** What the audit report reads of an ask. */
export interface AskFigures {
  id: string; channel: string; audience: string; outcome: AskOutcome; entryId: number | null; resolved: number | null; feedbackAt: string | null;
}

interface AskRow {
  id: string; asked_at: string; channel: string; audience: string; region: string | null; session_id: string | null;
  question: string; outcome: string; entry_id: number | null; score: number | null; results: string; latency_ms: number;
  resolved: number | null; feedback_reason: string | null; handoff_channel: string | null;
}

function toAsk(r: AskRow): AskRecord {
  return {
    id: r.id, askedAt: r.asked_at, channel: r.channel as Channel, audience: r.audience, region: r.region,
    sessionId: r.session_id, question: r.question, outcome: r.outcome as AskOutcome, entryId: r.entry_id, score: r.score,
    results: JSON.parse(r.results), latencyMs: r.latency_ms, resolved: r.resolved === null ? null : r.resolved === 1,
    feedbackReason: r.feedback_reason, handoffChannel: r.handoff_channel as HandoffChannel | null,
  };
}

/** The ask log with 好差评 feedback and 转人工 hand-offs attached. Callers mask personal data first. */
export class AskLog {
  private readonly insert;
  /** On PostgreSQL the log is written in batches (AskBatch), so that answering does not wait on the database. */
  private readonly batch: AskBatch | null;

  constructor(private readonly db: Db, private readonly clock: KbClock) {
    this.insert = db.prepare(
      `INSERT INTO asks (id, asked_at, channel, audience, region, session_id, question, outcome, entry_id, score, results, latency_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.batch = db instanceof PostgresDb ? new AskBatch(db) : null;
  }

  /** Writes the asks still waiting in the batch (before closing; reads of the log do it themselves). */
  flush(): void {
    this.batch?.flush();
  }

  record(ask: NewAsk): AskRecord {
    const id = `a_${randomBytes(12).toString('base64url')}`;
    const askedAt = this.clock.nowIso();
    const latencyMs = Math.round(ask.latencyMs * 1000) / 1000;
    const row = [
      id, askedAt, ask.channel, ask.audience, ask.region, ask.sessionId, ask.question, ask.outcome,
      ask.entryId, ask.score, JSON.stringify(ask.results), latencyMs,
    ] as const;
    if (this.batch) this.batch.add(row);
    else this.insert.run(...row);
    // what was just written, without reading it back (this runs once per question)
    return { ...ask, id, askedAt, latencyMs, resolved: null, feedbackReason: null, handoffChannel: null };
  }

  get(id: string): AskRecord | null {
    const row = stmt(this.db, 'SELECT * FROM asks WHERE id = ?').get(id) as AskRow | undefined;
    return row ? toAsk(row) : null;
  }

  private require(id: string): AskRecord {
    const ask = this.get(id);
    if (!ask) throw new NotFoundError('提问', id);
    return ask;
  }

  /** 好差评: keeps every verdict, the last one counts. */
  feedback(askId: string, resolved: boolean, reason: string | null): AskRecord {
    return this.db.transaction(() => {
      this.require(askId);
      const now = this.clock.nowIso();
      stmt(this.db, 'INSERT INTO feedback (ask_id, resolved, reason, created_at) VALUES (?, ?, ?, ?)').run(askId, resolved ? 1 : 0, reason, now);
      stmt(this.db, 'UPDATE asks SET resolved = ?, feedback_reason = ?, feedback_at = ? WHERE id = ?').run(resolved ? 1 : 0, reason, now, askId);
      return this.require(askId);
    })();
  }

  /** Which 猜你想问 suggestion the citizen chose on a suggest reply (the last choice counts). */
  recordChoice(askId: string, entryId: number): void {
    stmt(this.db, 'UPDATE asks SET chosen_entry_id = ? WHERE id = ?').run(entryId, askId);
  }

  /** The suggestion the citizen chose on this ask, if any. */
  choiceOf(askId: string): number | null {
    const row = stmt(this.db, 'SELECT chosen_entry_id AS id FROM asks WHERE id = ?').get(askId) as { id: number | null } | undefined;
    return row?.id ?? null;
  }

  handoff(askId: string, channel: HandoffChannel): { id: number; askId: string; channel: HandoffChannel; createdAt: string } {
    return this.db.transaction(() => {
      this.require(askId);
      const now = this.clock.nowIso();
      const { id } = stmt(this.db, 'INSERT INTO handoffs (ask_id, channel, created_at) VALUES (?, ?, ?) RETURNING id').get(askId, channel, now) as { id: number };
      stmt(this.db, 'UPDATE asks SET handoff_channel = ?, handoff_at = ? WHERE id = ?').run(channel, now, askId);
      return { id, askId, channel, createdAt: now };
    })();
  }

  // ---- read in bulk for the audit report: iterated, not loaded (a half-year's log is large)

  /** Asks in [start, asOf] with what the report counts. */
  asksBetween(start: string, asOf: string): Iterable<AskFigures> {
    return stmt(this.db,
      `SELECT id, channel, audience, outcome, entry_id AS entryId, resolved, feedback_at AS feedbackAt
         FROM asks WHERE asked_at >= @start AND asked_at <= @asOf`,
    ).iterate({ start, asOf }) as Iterable<AskFigures>;
  }

  /** Every 好差评 verdict given by asOf on an ask asked in [start, asOf], oldest first. */
  feedbackOfAsksBetween(start: string, asOf: string): Iterable<{ askId: string; resolved: number }> {
    return stmt(this.db,
      `SELECT f.ask_id AS askId, f.resolved FROM feedback f JOIN asks a ON a.id = f.ask_id
        WHERE a.asked_at >= @start AND a.asked_at <= @asOf AND f.created_at <= @asOf ORDER BY f.created_at, f.id`,
    ).iterate({ start, asOf }) as Iterable<{ askId: string; resolved: number }>;
  }

  /** Every 转人工 by asOf of an ask asked in [start, asOf]. */
  handoffsOfAsksBetween(start: string, asOf: string): Iterable<{ askId: string; channel: string }> {
    return stmt(this.db,
      `SELECT h.ask_id AS askId, h.channel FROM handoffs h JOIN asks a ON a.id = h.ask_id
        WHERE a.asked_at >= @start AND a.asked_at <= @asOf AND h.created_at <= @asOf`,
    ).iterate({ start, asOf }) as Iterable<{ askId: string; channel: string }>;
  }

  count(): number {
    return (stmt(this.db, 'SELECT count(*) AS n FROM asks').get() as { n: number }).n;
  }
}

/** A batch is written this long after its first ask, or at once when it has this many. */
const BATCH_MS = 50;
const BATCH_ROWS = 200;
/** While PostgreSQL cannot be reached, at most this many asks wait; older ones are dropped (and said so). */
const MAX_WAITING = 20_000;

/**
 * The asks a PostgreSQL replica has answered but not yet written: one INSERT per batch instead of a round trip per
 * question. Nothing reads around it: any statement that touches the ask log (asks, feedback, hand-offs, an ask_id)
 * and every transaction writes the batch first (PostgresDb.beforeAskLog), so a citizen's 好差评 or 转人工 and the
 * gap queue always find their ask. What a killed process had not yet written (at most BATCH_MS of asks) is lost;
 * a graceful stop writes it (the connection writes it before closing).
 */
class AskBatch {
  private rows: Array<readonly unknown[]> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly insert;

  constructor(private readonly db: PostgresDb) {
    this.insert = db.prepare(
      `INSERT INTO asks (id, asked_at, channel, audience, region, session_id, question, outcome, entry_id, score, results, latency_ms)
       SELECT * FROM json_to_recordset(?) AS r(id TEXT, asked_at TEXT, channel TEXT, audience TEXT, region TEXT, session_id TEXT, question TEXT,
         outcome TEXT, entry_id BIGINT, score DOUBLE PRECISION, results TEXT, latency_ms DOUBLE PRECISION)`,
    );
    db.beforeAskLog = () => this.flush();
  }

  add(row: readonly unknown[]): void {
    this.rows.push(row);
    if (this.rows.length >= BATCH_ROWS) this.flush();
    else this.timer ??= setTimeout(() => this.flushLater(), BATCH_MS).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.rows.length || !this.db.open) return;
    const rows = this.rows;
    this.rows = [];
    try {
      this.write(rows);
    } catch (err) {
      if (!isDataError(err)) {
        this.rows = [...rows, ...this.rows]; // the database is unreachable: kept for the next try
        throw err;
      }
      // one row PostgreSQL refuses must not hold back the others: each is written on its own, a refused one dropped
      for (const row of rows) {
        try {
          this.write([row]);
        } catch (one) {
          if (!isDataError(one)) throw one;
          console.error(`一条提问记录无法写入，已丢弃：${(one as Error).message}`);
        }
      }
    }
  }

  private write(rows: Array<readonly unknown[]>): void {
    this.insert.run(JSON.stringify(rows.map((r) => Object.fromEntries(COLUMNS.map((k, i) => [k, pgValue(r[i])])))));
  }

  /** The timer's flush: a failure keeps the asks for the next try instead of throwing into the event loop. */
  private flushLater(): void {
    try {
      this.flush();
    } catch (err) {
      const dropped = Math.max(0, this.rows.length - MAX_WAITING);
      if (dropped) this.rows.splice(0, dropped);
      console.error(`提问记录暂未写入知识库（${(err as Error).message}），${this.rows.length} 条稍后重试${dropped ? `，${dropped} 条最早的已丢弃` : ''}`);
      this.timer ??= setTimeout(() => this.flushLater(), 1000).unref();
    }
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the row, not the connection, is at fault. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code.startsWith('22') || code.startsWith('23');
}

const COLUMNS = ['id', 'asked_at', 'channel', 'audience', 'region', 'session_id', 'question', 'outcome', 'entry_id', 'score', 'results', 'latency_ms'];
