/**
 * The reading thread of ingest/read-bounded.ts: reads one file and prepares a policy document per message, so the
 * main thread (answering citizens) never runs a parser. Started with resourceLimits; stopped from outside on timeout.
 */
import { parentPort } from 'node:worker_threads';
import { readSourceBytes, readSourceFile } from './readers/index.js';
import { prepareDocument, type PreparedDocument } from './prepare.js';
import { IngestError, IngestLimitError, type ReadResult } from './types.js';
import type { ReadLimits } from './limits.js';

export interface ReadJob {
  file: string;
  /** The file's bytes, when the main thread has them already (it hashed them): the file is not read again. */
  bytes?: Uint8Array;
  fileName: string;
  limits: ReadLimits;
}

export type ReadReply =
  | { ok: true; read: ReadResult; prepared: PreparedDocument | null }
  | { ok: false; message: string; ingest: boolean; status: 413 | 422 | null };

async function run(job: ReadJob): Promise<ReadReply> {
  try {
    const read = job.bytes ? await readSourceBytes(job.bytes, job.fileName, job.limits) : await readSourceFile(job.file, job.fileName, job.limits);
    if (read.kind !== 'document') return { ok: true, read, prepared: null };
    const prepared = prepareDocument(read, job.fileName);
    return { ok: true, read: { ...read, text: '' }, prepared }; // the raw text is not needed once prepared
  } catch (err) {
    const e = err as Error;
    return {
      ok: false,
      message: e instanceof IngestError ? e.message : `${job.fileName}: ${e.message}`,
      ingest: e instanceof IngestError,
      status: e instanceof IngestLimitError ? e.status : null,
    };
  }
}

parentPort?.on('message', (job: ReadJob) => {
  void run(job).then((reply) => parentPort!.postMessage(reply));
});
