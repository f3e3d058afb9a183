/**
 * Masks personal data in free text before it is logged (the ask log, error reports): 身份证号, mobile and
 * landline numbers, e-mail addresses and bank card numbers become placeholders. What users ask *about* stays:
 * service hotlines (12345, 12333, 962xxx …: never fewer than 7 digits are masked), dates, 文号, amounts and
 * 统一社会信用代码 (company data, not personal).
 *
 * Full-width digits and punctuation (typed with a Chinese IME in full-width mode) are recognised too: matching
 * runs on a half-width copy of the text, which has the same length, so positions carry over to the original.
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
/** Not followed by a unit of money or measure: "18000000000元" is an amount, not a phone number. */
const NOT_AMOUNT = String.raw`(?!\s*(?:元|万|亿|千|百|块|角|美元|港元|%|平方|㎡))`;
const SEP = '[ -]?';
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
      String.raw`${START}(?:(?:\+|00)?86${SEP}|\(\+?86\)${SEP})?1[3-9]\d${SEP}\d{4}${SEP}\d{4}${END}${NOT_AMOUNT}`,
      'g',
    ),
    replace: () => PLACEHOLDERS.mobile,
  },
  // Landlines with an area code: 021-12345678, 02112345678, (021) 1234 5678, 0571-8888888, +86 21 12345678.
  {
    pattern: new RegExp(
      String.raw`${START}(?:(?:\+|00)86${SEP}\(?0?${AREA}\)?${SEP}|\(0${AREA}\)${SEP}|0${AREA}${SEP})${LOCAL}${END}${NOT_AMOUNT}`,
      'g',
    ),
    replace: () => PLACEHOLDERS.landline,
  },
  // A bare 7–8 digit local number labelled as a phone ("座机62345678"); hotlines have fewer digits and stay.
  {
    pattern: new RegExp(String.raw`(?<=(?:电话|座机|固话|宅电|联系方式)(?:号码)?[:：是为]?\s{0,2})[2-9]\d{2,3}${SEP}\d{4}${END}${NOT_AMOUNT}`, 'g'),
    replace: () => PLACEHOLDERS.landline,
  },
];

/** Half-width forms of full-width digits, letters and the punctuation the patterns use; one code unit each. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** Replaces personal data in text with placeholders such as [身份证号] and [手机号]. */
export function maskPersonalData(text: string): string {
  if (!text) return text;
  let original = text;
  let norm = toHalfWidth(text);
  for (const pass of PASSES) {
    pass.pattern.lastIndex = 0;
    let outOrig = '';
    let outNorm = '';
    let last = 0;
    let changed = false;
    let m: RegExpExecArray | null;
    while ((m = pass.pattern.exec(norm))) {
      if (m[0] === '') {
        pass.pattern.lastIndex++;
        continue;
      }
      const replacement = pass.replace(m, norm);
      if (replacement === null) continue;
      outOrig += original.slice(last, m.index) + replacement;
      outNorm += norm.slice(last, m.index) + replacement;
      last = m.index + m[0].length;
      changed = true;
    }
    if (!changed) continue;
    original = outOrig + original.slice(last);
    norm = outNorm + norm.slice(last);
  }
  return original;
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
