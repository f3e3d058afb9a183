/**
 * The thread of wal-checkpointer.ts: its own connection to one SQLite file, checkpointing the write-ahead log on a
 * timer until told to stop. A PASSIVE checkpoint waits for no reader or writer, so the service's connection goes on
 * reading and writing meanwhile; only this thread waits for the disk.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointWorkerData {
  file: string;
  everyMs: number;
  /** [0]: 0 running, 1 stopped (the connection is closed); the service's thread waits on it when closing. */
  state: SharedArrayBuffer;
}

const { file, everyMs, state } = workerData as CheckpointWorkerData;
const flag = new Int32Array(state);
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');

function checkpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Another process of the same KB is checkpointing (SQLITE_BUSY): the next round catches up.
  }
}

const timer = setInterval(checkpoint, everyMs);
parentPort!.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  parentPort!.close();
});
