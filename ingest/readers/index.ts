import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { IngestError, IngestLimitError, type ReadResult } from '../types.js';
import { DEFAULT_READ_LIMITS, megabytes, type ReadLimits } from '../limits.js';
import { isZip, readDocx } from './docx.js';
import { readHtml } from './html.js';
import { readMarkdown } from './markdown.js';
import { readPdf } from './pdf.js';
import { readCsv, readXlsx } from './spreadsheet.js';
import { readTxt } from './txt.js';
import { checkZip } from './zip-guard.js';

/** Larger files are refused before they are read. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

type Reader = (buf: Uint8Array, fileName: string) => Promise<ReadResult>;

const READERS: Record<string, Reader> = {
  '.txt': readTxt,
  '.md': readMarkdown,
  '.html': readHtml,
  '.htm': readHtml,
  '.docx': readDocx,
  '.pdf': readPdf,
  '.csv': readCsv,
  '.xlsx': readXlsx,
};

/** Lower-case extensions with their dot, in the order shown to users. */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.freeze(Object.keys(READERS));

/** Zip-based formats, checked for their unzipped size before their reader opens them. */
const ZIPPED: Record<string, string> = { '.docx': 'Word(.docx) 文件', '.xlsx': 'Excel(.xlsx) 文件' };

/**
 * Reads one source file into raw document text or Q&A rows, chosen by its extension (case-insensitive), in the
 * calling thread. Every problem with the file is an IngestError naming the file, in Chinese. The service and the CLI
 * call this through ingest/read-bounded.ts, which runs it in a worker thread with time and memory limits.
 * `fileName` is the name the file is known by (an upload's own name), by default the path's basename.
 */
export async function readSourceFile(path: string, fileName = basename(path), limits: Pick<ReadLimits, 'maxUnzippedBytes' | 'maxZipRatio'> = DEFAULT_READ_LIMITS): Promise<ReadResult> {
  return readSourceBytes(await loadSourceFile(path, fileName), fileName, limits);
}

/**
 * The bytes of a source file: refused (IngestError, naming the file) when its type is not supported, it is not a
 * regular file, it is empty, or it is larger than MAX_FILE_BYTES (IngestLimitError 413, before it is read).
 */
export async function loadSourceFile(path: string, fileName = basename(path)): Promise<Buffer> {
  readerOf(fileName);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new IngestError(fileName, '不是普通文件（可能是文件夹）');
    size = info.size;
  } catch (err) {
    if (err instanceof IngestError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new IngestError(fileName, code === 'ENOENT' ? '文件不存在' : `无法读取文件（${(err as Error).message}）`);
  }
  if (size === 0) throw new IngestError(fileName, '文件为空');
  if (size > MAX_FILE_BYTES) {
    throw new IngestLimitError(fileName, `文件过大（${megabytes(size)}，上限 ${megabytes(MAX_FILE_BYTES)}）`, 413);
  }
  try {
    return await readFile(path);
  } catch (err) {
    throw new IngestError(fileName, `无法读取文件（${(err as Error).message}）`);
  }
}

/** Reads a source file's bytes (loadSourceFile) with the reader its name's extension chooses. */
export async function readSourceBytes(buf: Uint8Array, fileName: string, limits: Pick<ReadLimits, 'maxUnzippedBytes' | 'maxZipRatio'> = DEFAULT_READ_LIMITS): Promise<ReadResult> {
  const ext = extname(fileName).toLowerCase();
  const reader = readerOf(fileName);
  try {
    if (ZIPPED[ext] && isZip(buf)) await checkZip(buf, fileName, ZIPPED[ext], limits);
    return await reader(buf, fileName);
  } catch (err) {
    if (err instanceof IngestError) throw err;
    // A library failing in an unexpected way is still a problem with this file.
    throw new IngestError(fileName, `读取失败（${(err as Error).message}）`);
  }
}

function readerOf(fileName: string): Reader {
  const ext = extname(fileName).toLowerCase();
  const reader = READERS[ext];
  if (reader) return reader;
  const shown = ext ? `不支持的文件类型 ${ext}` : '文件没有扩展名，无法判断类型';
  throw new IngestError(fileName, `${shown}（支持 ${SUPPORTED_EXTENSIONS.join(' ')}）`);
}
