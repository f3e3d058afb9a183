import { IngestError, type ReadResult } from '../types.js';

/** Share of control characters / U+FFFD above which we call a file binary. */
const MAX_JUNK_SHARE = 0.02;

/**
 * Decodes the bytes of a text-based file (txt, md, html, csv) to a string with \n line endings.
 * UTF-8 (BOM stripped) first; if the bytes are not valid UTF-8, GB18030 — a superset of GBK/GB2312,
 * which is what Chinese government texts saved on Windows usually are. UTF-16 only when it has a BOM.
 */
export function decodeText(buf: Uint8Array, fileName: string): string {
  let text: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(buf.subarray(2));
  } else if (buf[0] === 0xfe && buf[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(buf.subarray(2));
  } else {
    // Text never contains NUL bytes in UTF-8 or GB18030; binary files almost always do.
    if (buf.includes(0)) throw new IngestError(fileName, '看起来是二进制文件，不是文本（含有 NUL 字节）');
    text = decodeUtf8OrGb18030(buf, fileName);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkNotBinary(text, fileName);
  return text.replace(/\r\n?/g, '\n');
}

function decodeUtf8OrGb18030(buf: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    // not UTF-8: fall through
  }
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(buf);
  } catch {
    throw new IngestError(
      fileName,
      '看起来是二进制文件，不是文本（既不是 UTF-8 也不是 GBK/GB18030 编码的文字；如是其他编码，请另存为 UTF-8）',
    );
  }
}

function checkNotBinary(text: string, fileName: string): void {
  let junk = 0;
  let total = 0;
  for (const ch of text) {
    total++;
    const c = ch.codePointAt(0)!;
    const control = (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c < 0xa0);
    if (control || c === 0xfffd || c === 0) junk++;
  }
  if (total > 0 && junk / total > MAX_JUNK_SHARE) {
    const pct = ((junk / total) * 100).toFixed(1);
    throw new IngestError(fileName, `看起来是二进制文件，不是文本（控制字符或乱码占 ${pct}%）`);
  }
}

/** Throws when the text has no visible characters. */
export function requireContent(text: string, fileName: string, what = '文件'): void {
  if (!/\S/u.test(text)) throw new IngestError(fileName, `${what}为空（只有空白字符，没有文字内容）`);
}

export async function readTxt(buf: Uint8Array, fileName: string): Promise<ReadResult> {
  const text = decodeText(buf, fileName);
  requireContent(text, fileName);
  return { kind: 'document', format: 'txt', text };
}
