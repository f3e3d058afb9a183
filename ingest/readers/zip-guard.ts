import yauzl from 'yauzl';
import { IngestError, IngestLimitError } from '../types.js';
import { LIMIT_VARIABLES, megabytes, type ReadLimits } from '../limits.js';

/** More parts than any real .docx/.xlsx has; a zip of many tiny parts is refused before they are listed. */
const MAX_ENTRIES = 10_000;
/** Parts smaller than this unzipped are not held to the ratio (tiny XML parts compress extremely well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

/**
 * Checks a .docx/.xlsx before mammoth or exceljs opens it: the unzipped total and each large part's compression
 * ratio as the zip declares them, then every part is inflated and yauzl's validateEntrySizes fails one that inflates
 * to more than it declares — so the declared sizes hold, and a zip cannot lie its way past.
 * Throws IngestLimitError (413) naming the limit; IngestError for a zip that cannot be read.
 */
export async function checkZip(buf: Uint8Array, fileName: string, what: string, limits: Pick<ReadLimits, 'maxUnzippedBytes' | 'maxZipRatio'>): Promise<void> {
  const refuse = (message: string) => new IngestLimitError(fileName, message, 413);
  const tooBig = (bytes: number) =>
    refuse(`解压后内容过大（至少 ${megabytes(bytes)}，上限 ${megabytes(limits.maxUnzippedBytes)}，可由 ${LIMIT_VARIABLES.maxUnzippedBytes} 调整），不像正常的${what}，拒绝读取`);
  const tooDense = (part: string, ratio: number) =>
    refuse(`其中“${part}”的压缩比异常（${Math.round(ratio)} 倍，上限 ${limits.maxZipRatio} 倍，可由 ${LIMIT_VARIABLES.maxZipRatio} 调整），疑似压缩炸弹，拒绝读取`);

  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), { lazyEntries: true, validateEntrySizes: true }, (err, z) =>
      err ? reject(new IngestError(fileName, `不是有效的${what}（zip 结构损坏：${err.message}）`)) : resolve(z),
    ),
  );
  if (zip.entryCount > MAX_ENTRIES) {
    zip.close();
    throw refuse(`压缩包内的部件过多（${zip.entryCount} 个，上限 ${MAX_ENTRIES} 个），不像正常的${what}，拒绝读取`);
  }

  let declared = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(err);
    };
    zip.on('error', (err: Error) => fail(err instanceof IngestError ? err : new IngestError(fileName, `不是有效的${what}（zip 结构损坏：${err.message}）`)));
    zip.on('end', () => {
      zip.close();
      resolve();
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnzippedBytes) return fail(tooBig(declared));
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxZipRatio) return fail(tooDense(entry.fileName, ratio));
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(new IngestError(fileName, `不是有效的${what}（无法解压“${entry.fileName}”：${err.message}）`));
        // yauzl (validateEntrySizes) fails a part as soon as it inflates past its declared size, before passing those
        // bytes on: what is inflated stays within the declared sizes already checked above
        stream.resume();
        stream.on('error', (e: Error) =>
          fail(
            /too many bytes in the stream/.test(e.message) // yauzl's validateEntrySizes: it inflates to more than it declares
              ? refuse(`其中“${entry.fileName}”解压出的内容多于它声明的大小，疑似压缩炸弹，拒绝读取`)
              : new IngestError(fileName, `不是有效的${what}（解压“${entry.fileName}”出错：${e.message}）`),
          ),
        );
        stream.on('end', () => zip.readEntry());
      });
    });
    zip.readEntry();
  });
}
