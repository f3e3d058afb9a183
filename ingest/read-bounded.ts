import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../server/worker-file.js';
import { LIMIT_VARIABLES, readLimitsFromEnv, type ReadLimits } from './limits.js';
import { IngestError, IngestLimitError, type ReadResult } from './types.js';
import type { PreparedDocument } from './prepare.js';
import type { ReadJob, ReadReply } from './read-worker.js';

export interface BoundedRead {
  /** What the reader found (a document's raw text is left out: `prepared` has the repaired one). */
  read: ReadResult;
  /** Policy documents: text, outline, metadata and generated entries; null for a Q&A sheet. */
  prepared: PreparedDocument | null;
}

/**
 * The compiled worker: beside this module in dist/, or — when this module runs from its TypeScript source under
 * vitest — the one `npm run build` put in dist/ (a worker thread cannot load .ts).
 */
/** One reading thread at a time, kept between files (loading the parsers costs more than most files). */
let current: { worker: Worker; memoryMb: number } | null = null;
let queue: Promise<unknown> = Promise.resolve();

function stop(): void {
  if (!current) return;
  void current.worker.terminate();
  current = null;
}

function workerFor(limits: ReadLimits): Worker {
  if (current && current.memoryMb !== limits.memoryMb) stop();
  if (!current) {
    const worker = new Worker(compiledWorker(import.meta.url, 'read-worker.js'), { resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb } });
    worker.unref(); // an idle reader never keeps a CLI or test process alive
    current = { worker, memoryMb: limits.memoryMb };
  }
  return current.worker;
}

function runJob(job: ReadJob): Promise<BoundedRead> {
  const { limits, fileName } = job;
  const worker = workerFor(limits);
  return new Promise<BoundedRead>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      stop();
      reject(new IngestLimitError(fileName, `读取超时（超过 ${limits.timeoutMs / 1000} 秒仍未读完，可由 ${LIMIT_VARIABLES.timeoutMs} 调整），文件可能过大或结构异常`, 422));
    }, limits.timeoutMs);
    const onMessage = (reply: ReadReply) => {
      finish();
      if (reply.ok) return resolve({ read: reply.read, prepared: reply.prepared });
      if (reply.status) return reject(new IngestLimitError(fileName, strip(reply.message, fileName), reply.status));
      reject(reply.ingest ? new IngestError(fileName, strip(reply.message, fileName)) : new Error(reply.message));
    };
    const onError = (err: Error & { code?: string }) => {
      finish();
      stop();
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(new IngestLimitError(fileName, `读取所需内存超过上限（${limits.memoryMb} MB，可由 ${LIMIT_VARIABLES.memoryMb} 调整），文件可能过大或结构异常`, 422));
      } else reject(new IngestError(fileName, `读取失败（${err.message}）`));
    };
    const onExit = () => {
      finish();
      current = null;
      reject(new IngestError(fileName, '读取失败（读取线程意外退出）'));
    };
    const finish = () => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      worker.unref();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.ref(); // a read in progress keeps the process waiting for it
    worker.postMessage(job);
  });
}

/** The worker's message already starts with "file: "; IngestError adds it again. */
const strip = (message: string, fileName: string) => (message.startsWith(`${fileName}: `) ? message.slice(fileName.length + 2) : message);

/**
 * Reads one source file (and prepares a policy document) in a worker thread bounded in time (KB_READ_TIMEOUT_S,
 * the thread is terminated), heap (KB_READ_MEMORY_MB) and, for .docx/.xlsx, unzipped size (KB_UNZIP_MAX_MB,
 * KB_UNZIP_MAX_RATIO), so the service keeps answering while a file is read. Files are read one at a time.
 * The one entry point for the pipeline (CLI and admin upload). Throws IngestError / IngestLimitError. `bytes`: the
 * file's content already loaded (loadSourceFile), copied to the thread instead of the file being read again.
 */
export function readBounded(file: string, options: { fileName?: string; limits?: ReadLimits; bytes?: Uint8Array } = {}): Promise<BoundedRead> {
  const job: ReadJob = { file: path.resolve(file), fileName: options.fileName ?? path.basename(file), limits: options.limits ?? readLimitsFromEnv() };
  if (options.bytes) job.bytes = options.bytes;
  const run = queue.then(() => runJob(job));
  queue = run.catch(() => undefined);
  return run;
}
