import { extractText, getDocumentProxy } from 'unpdf';
import { IngestError, type ReadResult } from '../types.js';

/** The PDF spec lets a few bytes precede the header; readers accept it within the first 1 KB. */
function hasPdfHeader(buf: Uint8Array): boolean {
  return Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 1024)).includes('%PDF-');
}

export async function readPdf(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  if (!hasPdfHeader(buf)) throw new IngestError(fileName, '不是有效的 PDF 文件（文件头不是 %PDF-）');

  let pages: string[];
  try {
    // pdf.js takes ownership of (detaches) the array it is given, so hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(buf), { verbosity: 0 });
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.destroy();
    }
  } catch (err) {
    const e = err as Error;
    if (e.name === 'PasswordException') throw new IngestError(fileName, 'PDF 文件已加密，需要密码才能打开，请提供未加密的版本');
    throw new IngestError(fileName, `不是有效的 PDF 文件（文件可能已损坏，无法解析：${e.message}）`);
  }

  const text = pages.map((p) => p.replace(/\r\n?/g, '\n').replace(/\n+$/, '')).join('\n');
  if (!/\S/u.test(text)) throw new IngestError(fileName, 'PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别 OCR）');
  return { kind: 'document', format: 'pdf', text };
}
