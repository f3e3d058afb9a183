import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { WorkingCalendar, PACKAGE_KNOWN_UNTIL, shanghaiDate, shiftDate } from '../server/ops/calendar.js';
import { servicesFor } from './helpers/services.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

// Every 调休 date below was checked against chinese-days' data (getDayDetail) before being written down.
const cal = new WorkingCalendar();

describe('working days from chinese-days (Asia/Shanghai)', () => {
  it('make-up working weekends (调休) of 2025 and 2026 are working days', () => {
    for (const d of ['2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11', '2026-01-04', '2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10']) {
      expect([0, 6], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay()); // really a weekend…
      expect(cal.isWorkingDay(d), d).toBe(true); // …and still a working day
    }
  });

  it('statutory holidays, including the weekdays taken off in exchange, are days off', () => {
    const off = [
      '2025-01-28', '2025-01-31', '2025-02-03', '2025-02-04', // 2025 春节 (Tue 28 Jan – Tue 4 Feb)
      '2025-10-01', '2025-10-08', // 2025 国庆+中秋
      '2026-01-02', // 2026 元旦 (Friday)
      '2026-02-16', '2026-02-20', '2026-02-23', // 2026 春节 (Sun 15 – Mon 23 Feb)
      '2026-10-01', '2026-10-07', // 2026 国庆
    ];
    for (const d of off) expect(cal.isWorkingDay(d), d).toBe(false);
    expect(cal.isWorkingDay('2026-02-13')).toBe(true); // the Friday before
    expect(cal.isWorkingDay('2026-02-24')).toBe(true); // back to work on Tuesday
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // an ordinary Saturday
    expect(cal.isWorkingDay('2026-03-09')).toBe(true); // an ordinary Monday
  });

  it('a gap first asked before the 2026 Spring Festival is due 5 working days later, counting the 调休 Saturday', () => {
    // Thu 12 Feb → Fri 13 (1), Sat 14 调休 (2), holiday 15–23, Tue 24 (3), Wed 25 (4), Thu 26 (5)
    expect(cal.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(cal.workingDaysBetween('2026-02-12', '2026-02-26')).toBe(5);
    expect(cal.workingDaysBetween('2026-02-26', '2026-02-12')).toBe(-5);
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-24')).toBe(2);
  });

  it('counts across the 2025 National Day holiday and backwards', () => {
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    expect(cal.addWorkingDays('2026-02-24', -1)).toBe('2026-02-14'); // the working day before is the 调休 Saturday
    expect(cal.addWorkingDays('2026-02-15', 0)).toBe('2026-02-24'); // a day off rolls forward to the next working day
    expect(cal.addWorkingDays('2026-02-13', 0)).toBe('2026-02-13');
    expect(cal.workingDaysBetween('2025-10-01', '2025-10-01')).toBe(0);
  });

  it('rejects a malformed date instead of guessing', () => {
    expect(() => cal.isWorkingDay('2026-2-3')).toThrow(/YYYY-MM-DD/);
    expect(() => cal.addWorkingDays('2026-02-30', 1)).toThrow(/2026-02-30/);
  });
});

describe('Shanghai dates of instants', () => {
  it('an instant belongs to the Shanghai calendar day (UTC+8), not the UTC one', () => {
    expect(shanghaiDate(new Date('2026-02-14T15:59:59.999Z'))).toBe('2026-02-14'); // 23:59:59.999 in Shanghai
    expect(shanghaiDate(new Date('2026-02-14T16:00:00Z'))).toBe('2026-02-15'); // midnight in Shanghai
    expect(shanghaiDate(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01');
    expect(shanghaiDate(new Date('2026-07-01T00:10:00+08:00'))).toBe('2026-07-01');
    expect(shanghaiDate(new Date('2026-06-30T23:59:00+08:00'))).toBe('2026-06-30');
  });

  it('gives the same working days whatever the server time zone (checked in child processes)', () => {
    // Runs the built module (npm test builds dist/ first) under time zones west and east of UTC.
    const url = pathToFileURL(path.join(REPO_ROOT, 'dist/server/ops/calendar.js')).href;
    const script = `
      const { WorkingCalendar, shanghaiDate } = await import(${JSON.stringify(url)});
      const cal = new WorkingCalendar();
      let days = '';
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 86400000) days += cal.isWorkingDay(new Date(t).toISOString().slice(0, 10)) ? '1' : '0';
      console.log(JSON.stringify({ days, date: shanghaiDate(new Date('2026-02-14T16:00:00Z')) }));`;
    let expected = '';
    for (let d = '2025-01-01'; d < '2027-01-01'; d = shiftDate(d, 1)) expected += cal.isWorkingDay(d) ? '1' : '0';
    for (const tz of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout), tz).toEqual({ days: expected, date: '2026-02-15' });
    }
  });
});

describe('calendar-overrides.json', () => {
  const dirs: string[] = [];
  const overridesFile = (content: string) => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'calendar-overrides.json');
    fs.writeFileSync(file, content);
    return file;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('adds days the package does not know yet: a 2027 holiday and a 2027 make-up Saturday', () => {
    expect(PACKAGE_KNOWN_UNTIL).toBeLessThan(2027); // otherwise pick a later year for this test
    expect(cal.isWorkingDay('2027-01-01')).toBe(true); // a Friday, unknown to the package
    expect(cal.isWorkingDay('2027-02-06')).toBe(false); // a Saturday
    const file = overridesFile(JSON.stringify({ _说明: '测试', holidays: ['2027-01-01'], workdays: ['2027-02-06'] }));
    const withOverrides = WorkingCalendar.fromFile(file);
    expect(withOverrides.isWorkingDay('2027-01-01')).toBe(false);
    expect(withOverrides.isWorkingDay('2027-02-06')).toBe(true);
    // Thu 31 Dec 2026 + 1 working day skips the overridden New Year's Day and the weekend.
    expect(withOverrides.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('the services read the data directory’s copy first', async () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'calendar-overrides.json'), JSON.stringify({ holidays: ['2027-01-01'] }));
    const s = await servicesFor([], { dir });
    try {
      expect(s.calendar.isWorkingDay('2027-01-01')).toBe(false);
    } finally {
      s.close();
    }
  });

  it('the bundled file is valid', () => {
    expect(() => WorkingCalendar.fromFile(path.join(REPO_ROOT, 'kb-data/calendar-overrides.json'))).not.toThrow();
  });

  it('a missing file means no overrides', () => {
    expect(WorkingCalendar.fromFile(path.join(REPO_ROOT, 'kb-data', 'no-such-overrides.json')).isWorkingDay('2027-01-01')).toBe(true);
  });

  it('a malformed file is an error naming the file and what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"holidays": ["2027-01-01",]}', /不是有效的 JSON/],
      ['["2027-01-01"]', /应为 JSON 对象/],
      ['{"holidays": "2027-01-01"}', /holidays 应为日期数组/],
      ['{"holidays": ["2027-02-30"]}', /holidays\[0\] "2027-02-30" 不是有效的日期/],
      ['{"workdays": ["2027-01-01", "2027/02/06"]}', /workdays\[1\] "2027\/02\/06"/],
      ['{"holiday": ["2027-01-01"]}', /未知字段 holiday/],
      ['{"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}', /2027-01-01 同时出现在 holidays 和 workdays 中/],
    ];
    for (const [content, why] of cases) {
      const file = overridesFile(content);
      expect(() => WorkingCalendar.fromFile(file), content).toThrow(why);
      expect(() => WorkingCalendar.fromFile(file), content).toThrow(file);
    }
  });

  it('the server does not start on a malformed data-directory file', async () => {
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'calendar-overrides.json'), '{"holidays": ["tomorrow"]}');
    await expect(servicesFor([], { dir })).rejects.toThrow(/calendar-overrides\.json 无效：holidays\[0\]/);
  });
});
