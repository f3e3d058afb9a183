import mammoth from 'mammoth';
import { IngestError, type ReadResult } from '../types.js';
import { htmlToText } from './html.js';

/** A .docx is a zip archive ("PK\x03\x04"); old binary .doc/.xls files are OLE2 ("\xD0\xCF\x11\xE0"). */
export const isZip = (buf: Uint8Array) => buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04;
export const isOle2 = (buf: Uint8Array) => buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0;

export async function readDocx(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  if (isOle2(buf)) {
    throw new IngestError(fileName, '不是有效的 Word(.docx) 文件（这是旧版 .doc 格式，请在 Word/WPS 中另存为 .docx 后再上传）');
  }
  if (!isZip(buf)) throw new IngestError(fileName, '不是有效的 Word(.docx) 文件（文件不是 zip 格式）');

  let html: string;
  try {
    // Through HTML rather than raw text so that table rows stay together as "a | b | c" lines.
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength) })).value;
  } catch (err) {
    throw new IngestError(fileName, `不是有效的 Word(.docx) 文件（${(err as Error).message}）`);
  }
  const text = htmlToText(html).text.replace(/\n{2,}/g, '\n').replace(/^\n+|\n+$/g, '');
  if (!/\S/u.test(text)) throw new IngestError(fileName, 'Word 文档中没有文字内容');
  return { kind: 'document', format: 'docx', text };
}
