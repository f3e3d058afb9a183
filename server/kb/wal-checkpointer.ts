/**
 * Moves SQLite's write-ahead-log checkpoints off the service's thread. By default the write that takes the log past
 * 1 000 pages copies them into the database file and waits for the disk (fsync) before it returns: on the answer
 * path that is one ask in about two hundred waiting 10 ms or more for its log row (measured on the FAQ sheet: seven of
 * the nine slowest of 1 536 answers were such writes, 10–11 ms of their 12–14 ms). Here a worker thread with its own
 * connection checkpoints every second instead; the service's connection checkpoints itself only past a far larger
 * log, should that thread ever fall behind.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { compiledWorker } from '../worker-file.js';
import type { Db } from './db.js';
import type { CheckpointWorkerData } from './wal-checkpoint-worker.js';

/** Log pages after which the service's own connection checkpoints anyway (SQLite's default is 1 000; a page is 4 KiB). */
export const FALLBACK_CHECKPOINT_PAGES = 20_000;
const SQLITE_DEFAULT_PAGES = 1000;
const EVERY_MS = 1000;
/** How long closing waits for the thread to finish its last checkpoint and close its connection. */
const STOP_WAIT_MS = 5000;

export class WalCheckpointer {
  private constructor(
    private readonly worker: Worker,
    private readonly state: Int32Array,
  ) {}

  /** Starts checkpointing the file of this SQLite connection in the background. */
  static start(db: Db & Database.Database): WalCheckpointer {
    const state = new SharedArrayBuffer(4);
    const data: CheckpointWorkerData = { file: db.name, everyMs: EVERY_MS, state };
    const worker = new Worker(compiledWorker(import.meta.url, 'wal-checkpoint-worker.js'), { workerData: data });
    worker.unref(); // never what keeps a process alive
    const flag = new Int32Array(state);
    worker.on('error', (err) => console.error('预写日志检查点线程出错：', err));
    // A thread that ended on its own (an error) has nothing to wait for when closing, and SQLite's own checkpoints
    // take over again at their usual threshold.
    worker.on('exit', () => {
      Atomics.store(flag, 0, 1);
      if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
    });
    db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
    return new WalCheckpointer(worker, flag);
  }

  /**
   * Stops the thread after a last checkpoint, and waits (briefly) until its connection is closed: the service's
   * connection, closed next, is then the last one, and SQLite folds the rest of the log into the file and removes it.
   */
  stop(): void {
    if (Atomics.load(this.state, 0) === 1) return;
    this.worker.postMessage('stop');
    Atomics.wait(this.state, 0, 0, STOP_WAIT_MS);
  }
}
