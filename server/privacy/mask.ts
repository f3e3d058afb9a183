/**
 * Masks personal data in free text before it is logged (the ask log, error reports): 身份证号, mobile and
 * landline numbers, e-mail addresses and bank card numbers become placeholders. What users ask *about* stays:
 * service hotlines (12345, 12333, 962xxx …: never fewer than 7 digits are masked), dates, 文号, amounts and
 * 统一社会信用代码 (company data, not personal).
 *
 * Matching runs on a normalised view of the text (see matchingView): NFKC (full-width and math-alphanumeric
 * digits and letters), zero-width and other format characters (Unicode Cf) dropped, digits of every script folded
 * to ASCII. So 138.1234.5678, 138 - 1234 - 5678, a zero-width space inside a number, 𝟏𝟑𝟖…, ١٣٨… are all found.
 * Each view character remembers where it came from, so what is replaced is the original span; the rest of the text
 * stays as typed. This is the one masking entry point: every free-text field a citizen or agent supplies goes
 * through maskPersonalData before it is stored or logged.
 */

export const PLACEHOLDERS = {
  idCard: '[身份证号]',
  bankCard: '[银行卡号]',
  mobile: '[手机号]',
  landline: '[电话]',
  email: '[邮箱]',
} as const;

/** One masking pass: a pattern over the half-width text; replace returns the placeholder, or null to keep the match. */
interface Pass {
  pattern: RegExp;
  replace: (match: RegExpExecArray, norm: string) => string | null;
}

// Digit boundaries: never match inside a longer number or right after / before a decimal point.
const START = String.raw`(?<!\d)(?<!\d\.)`;
const END = String.raw`(?!\d)(?!\.\d)`;
/** A unit of money or measure right after a number. */
const UNIT_AFTER = /^\s*(?:元|万|亿|千|百|块|角|美元|港元|%|平方|㎡|m2)/;
/**
 * A round number followed by a unit is an amount, not a phone number ("总额15000000000元"); a phone number with 元
 * typed after it ("13812345678元") is still masked: only numbers ending in 000 count as amounts.
 */
const isAmount = (m: RegExpExecArray, norm: string) =>
  /000$/.test(m[0].replace(/\D/g, '')) && UNIT_AFTER.test(norm.slice(m.index + m[0].length, m.index + m[0].length + 4));
/** Between digit groups: a space or two, or a dash / dot / middle dot with optional spaces (138 - 1234 - 5678). */
const SEP = String.raw`(?:\s{0,2}[-.·]\s{0,2}|\s{1,2})?`;
const DATE8 = String.raw`(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])`;
const DATE6 = String.raw`\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])`;
const AREA = String.raw`(?:10|2\d|[3-9]\d{2})`;
const LOCAL = String.raw`\d{3,4}${SEP}\d{4}`;

/** Numbers labelled as an organisation's code are company data: 统一社会信用代码 and the like are kept. */
const COMPANY_CODE_LABEL = /(?:信用代码|机构代码|组织代码|纳税人识别号|税号|注册号)[^\d\n]{0,6}$/;
const afterCompanyLabel = (m: RegExpExecArray, norm: string) => COMPANY_CODE_LABEL.test(norm.slice(Math.max(0, m.index - 20), m.index));

/** Luhn checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const PASSES: Pass[] = [
  // E-mail first: a local part may be a phone or ID number ("13812345678@163.com").
  {
    pattern: /(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g,
    replace: () => PLACEHOLDERS.email,
  },
  // 身份证号, 18 digits (the last may be X): region (first digit 1–8), birth date, sequence, check character.
  // Optional single spaces / dashes as in "310101 19900101 1234".
  {
    pattern: new RegExp(String.raw`${START}[1-8]\d{5}${SEP}${DATE8}${SEP}\d{3}[\dXx]${END}`, 'g'),
    replace: (m, norm) => (afterCompanyLabel(m, norm) ? null : PLACEHOLDERS.idCard),
  },
  // An 18-character number ending in X is an ID number even when its date is mistyped (no bank card has an X).
  {
    pattern: new RegExp(String.raw`${START}[1-8]\d{16}[Xx](?![\dA-Za-z])`, 'g'),
    replace: (m, norm) => (afterCompanyLabel(m, norm) ? null : PLACEHOLDERS.idCard),
  },
  // Old 15-digit 身份证号: region, YYMMDD, sequence.
  {
    pattern: new RegExp(String.raw`${START}[1-8]\d{5}${DATE6}\d{3}${END}`, 'g'),
    replace: (m, norm) => (afterCompanyLabel(m, norm) ? null : PLACEHOLDERS.idCard),
  },
  // Bank cards: 16–19 digits, plain or in groups of four; masked only when the Luhn checksum holds.
  {
    pattern: new RegExp(String.raw`${START}\d{4}(?:${SEP}\d{4}){3}(?:${SEP}\d{1,3})?${END}`, 'g'),
    replace: (m, norm) => {
      const digits = m[0].replace(/\D/g, '');
      if (digits.length < 16 || digits.length > 19 || !luhnValid(digits)) return null;
      return afterCompanyLabel(m, norm) ? null : PLACEHOLDERS.bankCard;
    },
  },
  // Mobile numbers: 1[3-9] + 9 digits, optionally +86 / 0086 / 86 / (+86), spaces or dashes as 3-4-4.
  {
    pattern: new RegExp(
      String.raw`${START}(?:(?:\+|00)?86${SEP}|\(\+?86\)${SEP})?1[3-9]\d${SEP}\d{4}${SEP}\d{4}${END}`,
      'g',
    ),
    replace: (m, norm) => (isAmount(m, norm) ? null : PLACEHOLDERS.mobile),
  },
  // Landlines with an area code: 021-12345678, 02112345678, (021) 1234 5678, 0571-8888888, +86 21 12345678.
  {
    pattern: new RegExp(
      String.raw`${START}(?:(?:\+|00)86${SEP}\(?0?${AREA}\)?${SEP}|\(0${AREA}\)${SEP}|0${AREA}${SEP})${LOCAL}${END}`,
      'g',
    ),
    replace: (m, norm) => (isAmount(m, norm) ? null : PLACEHOLDERS.landline),
  },
  // A bare 7–8 digit local number labelled as a phone ("座机62345678"); hotlines have fewer digits and stay.
  {
    pattern: new RegExp(String.raw`(?<=(?:电话|座机|固话|宅电|联系方式)(?:号码)?[:：是为]?\s{0,2})[2-9]\d{2,3}${SEP}\d{4}${END}`, 'g'),
    replace: (m, norm) => (isAmount(m, norm) ? null : PLACEHOLDERS.landline),
  },
];

/** Value 0–9 of a decimal digit of any script (Unicode encodes each script's digits as a contiguous run 0–9). */
function digitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DECIMAL.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10; // adjacent runs (as in the math digits) are each ten long
}
const DECIMAL = /^\p{Nd}$/u;
const FORMAT = /^\p{Cf}$/u;

/** What one source character looks like to the patterns ('' when it is dropped), cached: texts repeat characters. */
const viewCache = new Map<string, string>();
function viewOf(ch: string): string {
  let v = viewCache.get(ch);
  if (v !== undefined) return v;
  if (FORMAT.test(ch)) v = '';
  else {
    v = '';
    for (const c of ch.normalize('NFKC')) {
      const cp = c.codePointAt(0)!;
      v += cp > 0x7f && DECIMAL.test(c) ? String(digitValue(cp)) : c;
    }
  }
  if (viewCache.size < 50_000) viewCache.set(ch, v);
  return v;
}

/**
 * The text as the patterns see it, with, for each of its code units, the span of the original text it came from.
 * Normalised character by character (a combining sequence is irrelevant to digits, e-mail addresses and
 * separators), so every view position maps back to exactly one original character.
 */
export function matchingView(text: string): { view: string; from: number[]; to: number[] } {
  let view = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    const v = cp < 0x80 ? ch : viewOf(ch);
    for (let k = 0; k < v.length; k++) {
      from.push(i);
      to.push(i + width);
    }
    view += v;
    i += width;
  }
  return { view, from, to };
}

/** Stands in the view for a span already masked: no pattern matches it, and it is no digit next to another one. */
const MASKED = '\uE000';

/** Replaces personal data in text with placeholders such as [身份证号] and [手机号]. */
export function maskPersonalData(text: string): string {
  if (!text) return text;
  const { view, from, to } = matchingView(text);
  let norm = view;
  const spans: Array<{ start: number; end: number; placeholder: string }> = [];
  for (const pass of PASSES) {
    pass.pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    let next = '';
    let last = 0;
    while ((m = pass.pattern.exec(norm))) {
      if (m[0] === '') {
        pass.pattern.lastIndex++;
        continue;
      }
      const placeholder = pass.replace(m, norm);
      if (placeholder === null) continue;
      spans.push({ start: from[m.index], end: to[m.index + m[0].length - 1], placeholder });
      next += norm.slice(last, m.index) + MASKED.repeat(m[0].length);
      last = m.index + m[0].length;
    }
    if (last) norm = next + norm.slice(last);
  }
  if (!spans.length) return text;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const sp of spans) {
    // one source character NFKC expands to several (⑫ → 12) can end one match and start the next
    out += text.slice(at, Math.max(at, sp.start)) + sp.placeholder;
    at = Math.max(at, sp.end);
  }
  return out + text.slice(at);
}

/** Masks an optional field (null and undefined stay as they are). */
export function maskOptional<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? maskPersonalData(text) : text) as T;
}

/** Whether maskPersonalData would change the text. */
export function containsPersonalData(text: string): boolean {
  return maskPersonalData(text) !== text;
}

/**
 * Masked text without the placeholders: personal data says nothing about the subject of a question, so search
 * and gap clustering work on what is left.
 */
export function withoutPlaceholders(masked: string): string {
  let text = masked;
  for (const p of Object.values(PLACEHOLDERS)) text = text.split(p).join(' ');
  return text;
}
