/**
 * Slots a question can pin down — the district or city, the year, the document's 文号 — that a candidate answer must
 * agree with. A question about 金山区 2023 answered with 普陀区's figure is a confident wrong answer, however alike
 * the wording; so a unit that states another place or year than the one asked for is ranked down and never answered
 * with confidence.
 */
import { compact } from './similarity.js';
import { chineseSmallNumber } from './normalize.js';

/** Shanghai's districts (short and full forms) and the municipalities and cities a question may name. */
const PLACES = [
  '黄浦', '徐汇', '长宁', '静安', '普陀', '虹口', '杨浦', '闵行', '宝山', '嘉定', '浦东', '金山', '松江', '青浦', '奉贤', '崇明',
  '北京', '天津', '重庆', '广州', '深圳', '杭州', '南京', '苏州', '武汉', '成都', '西安',
];
const PLACE_RE = new RegExp(`(${PLACES.join('|')})(?:新区|区|市)?`, 'gu');
const YEAR_RE = /(20\d{2})\s*年?/gu;
/**
 * “24年” as people type 2024 — only where it must be a year: right after 今年/去年/明年/前年 or a place (长宁23年,
 * 普陀区24年: a district's yearly plan), or before 底/初/末/度/上半年/下半年 or the name of a yearly document (24年要点,
 * 23年的工作方案). Elsewhere two digits before 年 are a span (交了12年社保, 工作15年): not a year.
 */
const SHORT_YEAR_RE = new RegExp(
  `(?:(?<=今年|去年|明年|前年|(?:${PLACES.join('|')})(?:新区|区|市)?)|(?<!\\d)(?=[12]\\d年(?:底|初|末|度|上半年|下半年|(?:的)?(?:工作要点|要点|工作方案|实施方案|行动方案|方案|计划))))([12]\\d)年`,
  'gu',
);
const DOC_NUMBER_RE = /[〔[(（]\s*(20\d{2})\s*[〕\])）]\s*(\d{1,4})\s*[号號]/gu;

export interface Slots {
  places: string[];
  years: string[];
  /** 文号 as “2021/39”. */
  docNumbers: string[];
  /** States a clock time (9:00, 17点半, 24小时): read from the raw text, as normalising drops the colon of 9:00. */
  clockTime: boolean;
  /** States a telephone number (12345, 010-68392114): read from the raw text, where 9:00—17:00 is not a run of digits. */
  phoneNumber: boolean;
  /** Counts the text spells out item by item (“新增3项：A、B、C”), as “3项”: read from the raw text, which keeps the 、. */
  enumerated: string[];
}

/** A date ask's precision: 哪天 / 几号 want a day, 哪年 a year, 什么时候 any date or deadline (年底前, 之日起). */
export type DatePrecision = 'day' | 'year' | 'any';
/**
 * The kind of figure a question asks for: “多少个/几项/多少类” a count with that measure word, “比例/多少%” a
 * percentage, “第几次” an ordinal, “哪天/何时” a date, “几点” a clock time, “周几” days of the week, “电话多少” a
 * telephone number, “文号是多少” a document number, “那5项是哪5项” the items of a stated count. An answer that states no such
 * figure does not answer it.
 */
export type FigureAsk =
  | { kind: 'count'; unit: string }
  | { kind: 'percent' }
  | { kind: 'ordinal' }
  | { kind: 'date'; precision: DatePrecision }
  /** 几点 / 几点开门: a clock time. */
  | { kind: 'clock' }
  /** 周几 / 星期几 / 周末开不开: which days of the week. */
  | { kind: 'weekday' }
  /** 电话多少 / 打哪个电话: a telephone number. */
  | { kind: 'phone' }
  /** 文号是多少 / 发文字号: a document number (沪府办发〔2022〕21号). */
  | { kind: 'docNumber' }
  /** 那5项具体是哪5项 / 三个一批是哪三批: the items of a count the question states (as “5项”). */
  | { kind: 'items'; count: string };

const NUM = '[0-9一二三四五六七八九十百千万两几]';
const MEASURE = '个工作日|工作日|个月|小时|分钟|个|项|类|次|批|家|条|件|天|年|人|名|所|场|份|万|元|户|座|张';

/**
 * 多少 or 几 with a measure word; 几 after 了 or 好, or before 十/百/千, says “several” (欠了几个月, 好几天, 几十个), and
 * after 这/那/近 “these few” (那几天, 近几年; 提前几天 does ask), not “how many”; 哪几个 asks which.
 */
const COUNT_ASK_RE = new RegExp(`(?:多少|(?<![了好哪这那近])几(?![十百千万]))(${MEASURE})`, 'u');
/** …了几个 closing the question asks how many were done (现在总共设了几个), unlike 欠了几个月 said in passing. */
const DONE_COUNT_ASK_RE = new RegExp(`了几(${MEASURE})(?:了|呢|啊|呀|啦)?$`, 'u');

/** Measure words of things one can list (not of spans, sums or amounts). */
const LIST_MEASURE = '项|个|类|条|件|种|批|家|所|张|份|场|名';
const STATED_NUM = '[0-9]+|[一二三四五六七八九十两]+';
/**
 * A count the question states, then asks which they are: “那5项免申即享具体是哪些”, “哪5项”, “三个一批是哪三批”, “哪几项” —
 * the asking word closing the question (or followed by 有清单吗). “13项服务在哪几个领域” asks something else.
 */
const ITEMS_ASK_RE = new RegExp(
  `(${STATED_NUM})(${LIST_MEASURE})[^？?！!。]{0,24}?哪(?:(些)|(几|${STATED_NUM})(${LIST_MEASURE}))(?:啊|呢|呀|吗|嘛)?(?:有|[？?]|$)`,
  'u',
);
/** A stated count and what follows it up to the sentence's end, in raw text. */
const STATED_COUNT_RE = new RegExp(`(${STATED_NUM})(${LIST_MEASURE})([^。！？]{0,150})`, 'gu');
/** “5”, “五”, “十二” as a number (0 when it is none of these). */
function countValue(n: string): number {
  return /^\d+$/.test(n) ? Number(n) : chineseSmallNumber(n) ?? 0;
}

/** The counts a raw text spells out: the count, then as many items as it says, separated by 、 or ；. */
function enumeratedCounts(raw: string): string[] {
  const out = new Set<string>();
  for (const m of raw.matchAll(STATED_COUNT_RE)) {
    const n = countValue(m[1]);
    const separators = (m[3].match(/[、；;]/g) ?? []).length;
    if (n >= 2 && separators >= Math.min(n, 3) - 1) out.add(`${n}${m[2]}`);
  }
  return [...out];
}

export function figureAsked(question: string): FigureAsk | null {
  const t = compact(question);
  if (/文号|发文字号|发文编号|文件编号/u.test(t)) return { kind: 'docNumber' };
  if (/第几/u.test(t)) return { kind: 'ordinal' };
  if (/电话(?:是|号码是?)?多少|(?:哪个|什么|啥)(?:电话|号码|热线)|热线(?:是|号码是?)?多少/u.test(t)) return { kind: 'phone' };
  if (/几点(?!几)|(?:上班|下班|开门|关门|营业|开放|办公)(?:时间)?(?:是)?(?:几点|什么时间|啥时间)/u.test(t)) return { kind: 'clock' };
  if (/周几|星期几|礼拜几|每周哪[一几]?天|(?:周末|双休日|节假日)(?:开门|开放|上班|办公|营业|有人|能办|可以办)/u.test(t)) return { kind: 'weekday' };
  if (/比例|百分之几|百分比|占比|多少%|率[^，。？！?!,]{0,4}多少/u.test(t)) return { kind: 'percent' };
  if (/哪天|哪一天|几月几[号日]|几号/u.test(t)) return { kind: 'date', precision: 'day' };
  if (/哪年|哪一年/u.test(t)) return { kind: 'date', precision: 'year' };
  if (/何时|什么时候|啥时候|什么时间/u.test(t)) return { kind: 'date', precision: 'any' };
  const items = ITEMS_ASK_RE.exec(t);
  if (items && countValue(items[1]) >= 2) {
    const [, n, measure, , which, whichMeasure] = items;
    // 哪几 asks in the stated measure; 哪三批 names the stated number (三个一批 … 哪三批)
    const same = !which || (which === '几' ? whichMeasure === measure : countValue(which) === countValue(n));
    if (same) return { kind: 'items', count: `${countValue(n)}${measure}` };
  }
  // Only with a measure word: a bare 多少 (“费用多少”) may well be answered without a figure (免费, 不收费).
  const m = COUNT_ASK_RE.exec(t) ?? DONE_COUNT_ASK_RE.exec(t); // compact text: the closing ？ is gone already
  return m ? { kind: 'count', unit: m[1] } : null;
}

const ORDINAL_RE = new RegExp(`第${NUM}+`, 'u');
/** Count patterns by measure word, built once (statesFigure runs for every candidate of a question). */
const countPatterns = new Map<string, RegExp>();

const CLOCK_RE = /\d{1,2}\s*[:：]\s*\d{2}(?!\d)|[0-9一二三四五六七八九十两]{1,3}\s*点|24\s*小时|全天/u;
/** A number with an area code, or a run of 5–11 digits that is not an amount, a year, or part of a clock time or decimal. */
const PHONE_RE = /(?<![\d.-])(?<!\d[:：])(?:\d{3,4}-\d{7,8}|\d{5,11})(?!\d|\s*[:：.%元万亿年])/u;

/**
 * Whether a unit states a figure of the kind asked for, in its compact normalised text; a clock time and a telephone
 * number are read from its slots when given (compact text has lost the colon and the dash: 9:00—17:00 is 9001700).
 */
export function statesFigure(ask: FigureAsk, text: string, slots?: Pick<Slots, 'clockTime' | 'phoneNumber' | 'docNumbers' | 'enumerated'>): boolean {
  switch (ask.kind) {
    // Both read from the slots only: compact text has lost the 文号's brackets and the list's 、.
    case 'items':
      // the count alone (“新增5项”) does not say which they are
      return slots?.enumerated.includes(ask.count) ?? false;
    case 'docNumber':
      // a unit's slots include its document's 文号 (its context): a document that has none cannot answer
      return (slots?.docNumbers.length ?? 0) > 0;
    case 'ordinal':
      return ORDINAL_RE.test(text);
    case 'percent':
      return /\d%|百分之|成以上|\d成/u.test(text);
    case 'date':
      // A day asked for is not told by a year alone (哪天上线 against “2023年，打造2.0升级版”).
      // 号 only after a month: a 文号 ends in 号 too (青府办发〔2023〕22号).
      if (ask.precision === 'day') return /\d{1,2}月\d{1,2}[日号]|(?<!\d)\d{1,2}日/u.test(text);
      if (ask.precision === 'year') return /\d{4}年/u.test(text);
      return /\d{4}年|\d{1,2}月|\d{1,2}日|年底|年内|年前|之日起/u.test(text);
    case 'phone':
      return slots ? slots.phoneNumber : PHONE_RE.test(text);
    case 'clock':
      return slots ? slots.clockTime : CLOCK_RE.test(text);
    case 'weekday':
      return /周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|工作日|节假日|双休日|每天|每日|全年/u.test(text);
    case 'count': {
      let re = countPatterns.get(ask.unit);
      if (!re) countPatterns.set(ask.unit, (re = new RegExp(`${NUM}+(?:多)?(?:${ask.unit})`, 'u')));
      return re.test(text);
    }
  }
}

export function extractSlots(text: string): Slots {
  // 文号 are read before normalisation drops their brackets (〔2021〕39号 would become 202139号); a traditional
  // document's end in 號 (the places and years below are read after folding, by compact).
  const raw = text.normalize('NFKC');
  const uniq = (xs: string[]) => [...new Set(xs)];
  const docNumbers = uniq([...raw.matchAll(DOC_NUMBER_RE)].map((m) => `${m[1]}/${Number(m[2])}`));
  const withoutNumbers = compact(raw.replace(DOC_NUMBER_RE, ' '));
  return {
    places: uniq([...withoutNumbers.matchAll(PLACE_RE)].map((m) => m[1])),
    years: uniq([...[...withoutNumbers.matchAll(YEAR_RE)].map((m) => m[1]), ...[...withoutNumbers.matchAll(SHORT_YEAR_RE)].map((m) => `20${m[1]}`)]),
    docNumbers,
    clockTime: CLOCK_RE.test(raw),
    phoneNumber: PHONE_RE.test(raw),
    enumerated: enumeratedCounts(raw),
  };
}

/**
 * The slots the question names that the unit contradicts: it names places (years) and none of them is the one
 * asked for. A unit that names no place (year) at all does not contradict (city-wide, or timeless) — except when
 * the question asks for a figure of the place it names (`asksFigure`: 闵行区的解决率要求是多少): a city-wide or
 * another document's figure is not that district's, and a KB holding nothing about 闵行 must not answer with one.
 * A unit's slots come from its question, answer and context (region, document title, issuer, 文号, year) together.
 */
export function slotConflicts(query: Slots, unit: Slots, asksFigure = false): string[] {
  const out: string[] = [];
  if (query.places.length && (unit.places.length || asksFigure) && !query.places.some((p) => unit.places.includes(p))) out.push('地区');
  if (query.years.length && unit.years.length && !query.years.some((y) => unit.years.includes(y))) out.push('年份');
  if (query.docNumbers.length && !query.docNumbers.some((d) => unit.docNumbers.includes(d))) out.push('文号');
  return out;
}

/**
 * The places the query names that a unit stating places does not state — when it states one of them (otherwise that
 * is a conflict): “长宁区……跟普陀一样吗” against a 普陀区 unit leaves out 长宁.
 */
export function placesLeftOut(query: Slots, unit: Slots): string[] {
  return unit.places.length ? query.places.filter((p) => !unit.places.includes(p)) : [];
}
