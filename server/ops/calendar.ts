import fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Mainland-China working days with 调休 (make-up working weekends), from the maintained chinese-days package plus
 * an override file for days it does not know yet (next year's arrangement is announced each winter).
 * All dates are calendar dates in Asia/Shanghai, whatever the server's time zone.
 */
export interface CalendarOverrides {
  /** Dates (YYYY-MM-DD) that are days off although the package says otherwise. */
  holidays?: string[];
  /** Dates that are working days (调休 weekends) although the package says otherwise. */
  workdays?: string[];
}

/**
 * The package's own data (date → name of the holiday). Its functions parse 'YYYY-MM-DD' as UTC midnight but take
 * the weekday in the server's time zone, so west of UTC every plain weekday comes out one day off; reading the
 * data and taking the weekday ourselves keeps the answer the same in every time zone.
 */
interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}
const PACKAGE_DATA = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageData;

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // no daylight saving in China
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date in Shanghai of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as a person in Shanghai reads it, as the admin page shows times: 2026-07-01 10:00. */
export function shanghaiDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** An instant as Shanghai time for a file name: 2026-07-01-100000. */
export function shanghaiStamp(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', '-').replace(/:/g, '');
}

/** Hour (0–23, fractional) in Shanghai of an instant. */
export function shanghaiHour(at: Date): number {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return d.getUTCHours() + d.getUTCMinutes() / 60;
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The date `days` calendar days after (or before, when negative) `date`. */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function checkDate(date: string): void {
  if (!isIsoDate(date)) throw new Error(`日期 ${JSON.stringify(date)} 无效：应为 YYYY-MM-DD`);
}

/** The last year the package has the State Council's arrangement for: later years need the override file. */
export const PACKAGE_KNOWN_UNTIL = Math.max(...Object.keys(PACKAGE_DATA.holidays).map((d) => Number(d.slice(0, 4))));

/** Checks a parsed override file: an object with `holidays` / `workdays` arrays of dates; `_`-keys are comments. */
export function parseOverrides(data: unknown, file: string): CalendarOverrides {
  const fail = (why: string): never => {
    throw new Error(`日历覆盖文件 ${file} 无效：${why}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('应为 JSON 对象 {"holidays": [...], "workdays": [...]}');
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!key.startsWith('_') && key !== 'holidays' && key !== 'workdays') fail(`未知字段 ${key}（只接受 holidays、workdays，以 _ 开头的字段为注释）`);
  }
  const list = (key: 'holidays' | 'workdays'): string[] => {
    const value = obj[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) fail(`${key} 应为日期数组`);
    (value as unknown[]).forEach((d, i) => {
      if (!isIsoDate(d)) fail(`${key}[${i}] ${JSON.stringify(d)} 不是有效的日期（YYYY-MM-DD）`);
    });
    return value as string[];
  };
  const holidays = list('holidays');
  const workdays = list('workdays');
  const both = holidays.find((d) => workdays.includes(d));
  if (both) fail(`${both} 同时出现在 holidays 和 workdays 中`);
  return { holidays, workdays };
}

export class WorkingCalendar {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;

  constructor(overrides: CalendarOverrides = {}) {
    this.holidays = new Set(overrides.holidays ?? []);
    this.workdays = new Set(overrides.workdays ?? []);
  }

  /** Reads the override file; a missing file means no overrides, a malformed one is an error naming the file. */
  static fromFile(file: string): WorkingCalendar {
    if (!file || !fs.existsSync(file)) return new WorkingCalendar();
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`日历覆盖文件 ${file} 不是有效的 JSON：${err instanceof Error ? err.message : err}`);
    }
    return new WorkingCalendar(parseOverrides(data, file));
  }

  isWorkingDay(date: string): boolean {
    checkDate(date);
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    if (date in PACKAGE_DATA.workdays) return true;
    if (date in PACKAGE_DATA.holidays) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The date n working days after `date`; with n < 0, |n| working days before it; with n = 0, `date` itself if
   * working, else the next working day.
   */
  addWorkingDays(date: string, n: number): string {
    checkDate(date);
    let d = date;
    if (n === 0) {
      while (!this.isWorkingDay(d)) d = shiftDate(d, 1);
      return d;
    }
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      d = shiftDate(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** Working days after `from` up to and including `to` (0 when to = from; negative when to < from). */
  workingDaysBetween(from: string, to: string): number {
    checkDate(from);
    checkDate(to);
    if (to === from) return 0;
    const sign = to > from ? 1 : -1;
    const [a, b] = sign > 0 ? [from, to] : [to, from];
    let n = 0;
    for (let d = shiftDate(a, 1); d <= b; d = shiftDate(d, 1)) if (this.isWorkingDay(d)) n++;
    return sign * n;
  }
}
