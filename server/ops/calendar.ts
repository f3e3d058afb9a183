import fs from 'node:fs';
import chineseDays from 'chinese-days';

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

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // no daylight saving in China

/** The calendar date in Shanghai of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Hour (0–23, fractional) in Shanghai of an instant. */
export function shanghaiHour(at: Date): number {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return d.getUTCHours() + d.getUTCMinutes() / 60;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export class WorkingCalendar {
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;

  constructor(overrides: CalendarOverrides = {}) {
    this.holidays = new Set(overrides.holidays ?? []);
    this.workdays = new Set(overrides.workdays ?? []);
  }

  static fromFile(file: string): WorkingCalendar {
    if (!fs.existsSync(file)) return new WorkingCalendar();
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as CalendarOverrides;
    return new WorkingCalendar(data);
  }

  isWorkingDay(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return chineseDays.isWorkday(date);
  }

  /** The date n working days after `date` (n ≥ 0); with n = 0, `date` itself if working, else the next one. */
  addWorkingDays(date: string, n: number): string {
    let d = date;
    let left = n;
    if (left === 0) {
      while (!this.isWorkingDay(d)) d = shiftDate(d, 1);
      return d;
    }
    while (left > 0) {
      d = shiftDate(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** Working days after `from` up to and including `to` (0 when to ≤ from; negative when to < from). */
  workingDaysBetween(from: string, to: string): number {
    if (to === from) return 0;
    const sign = to > from ? 1 : -1;
    const [a, b] = sign > 0 ? [from, to] : [to, from];
    let n = 0;
    for (let d = shiftDate(a, 1); d <= b; d = shiftDate(d, 1)) if (this.isWorkingDay(d)) n++;
    return sign * n;
  }
}
