import { ValidationError } from '../kb/errors.js';
import { shanghaiDate } from './calendar.js';

/**
 * Half-years, the period of the 每半年 review and of the audit report: H1 is January–June, H2 July–December,
 * in Asia/Shanghai dates.
 */
export interface ReportPeriod {
  /** "2026H2" */
  id: string;
  /** "2026年下半年" */
  label: string;
  /** First and last calendar day (Asia/Shanghai), YYYY-MM-DD. */
  startDate: string;
  endDate: string;
  /** First instant of the period and first instant after it, UTC ISO. */
  startIso: string;
  endIso: string;
}

const PERIOD_RE = /^(\d{4})H([12])$/;

export function isHalfYear(value: unknown): value is string {
  return typeof value === 'string' && PERIOD_RE.test(value);
}

/** "2026H2" → the period; anything else is a ValidationError on `field`. */
export function parsePeriod(text: string, field = 'period'): ReportPeriod {
  const m = PERIOD_RE.exec(text.trim().toUpperCase());
  if (!m) throw new ValidationError(field, `“${text}” 不是有效的统计期：应为 YYYYH1（1–6 月）或 YYYYH2（7–12 月），如 2026H2`);
  const year = Number(m[1]);
  const half = m[2] === '1' ? 1 : 2;
  if (year < 2000 || year > 2100) throw new ValidationError(field, `年份 ${year} 超出范围（2000–2100）`);
  const startDate = half === 1 ? `${year}-01-01` : `${year}-07-01`;
  const endDate = half === 1 ? `${year}-06-30` : `${year}-12-31`;
  const nextStart = half === 1 ? `${year}-07-01` : `${year + 1}-01-01`;
  return {
    id: `${year}H${half}`,
    label: `${year}年${half === 1 ? '上' : '下'}半年`,
    startDate,
    endDate,
    startIso: new Date(`${startDate}T00:00:00+08:00`).toISOString(),
    endIso: new Date(`${nextStart}T00:00:00+08:00`).toISOString(),
  };
}

/** The half-year an instant falls in (Asia/Shanghai). */
export function periodOf(at: Date): ReportPeriod {
  const d = shanghaiDate(at);
  return parsePeriod(`${d.slice(0, 4)}H${Number(d.slice(5, 7)) <= 6 ? 1 : 2}`);
}
