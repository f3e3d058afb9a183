import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { KnowledgeBase } from '../server/kb/index.js';
import type { KbClock } from '../server/kb/clock.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { ReviewService } from '../server/ops/review.js';
import { computeAuditReport, parsePeriod } from '../server/ops/report.js';
import { renderMarkdown } from '../server/ops/report-render.js';
import { tempDir } from './helpers/paths.js';
import { reviewEntry } from '../server/commands/reviewEntry.js';

function settableClock(start: string): KbClock & { set(iso: string): void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), nowIso: () => new Date(t).toISOString(), set: (iso) => void (t = Date.parse(iso)) };
}

describe('audit report: review coverage', () => {
  it('the report does not call review coverage met while entries are due (待复核)', async () => {
    const dir = tempDir();
    const clock = settableClock('2026-06-01T10:00:00+08:00');
    const kb = KnowledgeBase.open(dir, clock);
    try {
      const calendar = new WorkingCalendar();
      // one entry from the first half-year, reviewed in the second
      const old = kb.entries.publish(kb.entries.create({ category: 'faq', question: '居住证怎么办理？', answer: '在“随申办”申请。', department: '区公安分局' }, 'test').id, 'test');
      clock.set('2026-09-01T10:00:00+08:00');
      await reviewEntry({ kb }, { entryId: old.id, action: 'confirm', note: '口径无变化', reviewer: '王审核' });
      // 15 entries imported this half-year, then their source file changed: all marked 待复核
      clock.set('2026-10-01T10:00:00+08:00');
      for (let i = 1; i <= 15; i++) {
        const e = kb.entries.publish(kb.entries.create({ category: 'faq', question: `稳岗补贴第${i}项怎么申请？`, answer: `第${i}项的申请方式。`, department: '市人社局' }, 'test').id, 'test');
        kb.entries.flagForReview(e.id, '来源文件内容变化', 'system');
      }
      const r = computeAuditReport(kb, calendar, parsePeriod('2026H2'), new Date('2026-12-01T10:00:00+08:00'));
      expect(r.reviews.total).toMatchObject({ due: 16, reviewed: 1, unreviewed: 15, flagged: 15 });
      expect(r.reviews.coverage).toMatchObject({ numerator: 1, denominator: 16 });
      expect(r.reviews.coverage.verdict).not.toBe('达标');

      // the headline row agrees with the table below it
      const md = renderMarkdown(r);
      const headline = md.split('\n').find((l) => l.startsWith('| 半年复核覆盖率'))!;
      expect(headline).toContain('1/16');
      expect(headline).not.toContain('达标 |');
      expect(md).not.toContain('100%（1/1）');
    } finally {
      kb.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
