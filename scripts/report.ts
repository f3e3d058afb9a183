#!/usr/bin/env node
/**
 * npm run report -- --period 2026H2 [--out DIR] [--data-dir DIR] [--now 2027-01-05T09:00:00+08:00]
 * Writes audit-<period>.md and a self-contained audit-<period>.html (default into <data dir>/reports) for the
 * service-centre lead, then prints the paths and the headline figures. --now replays the report as of an instant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCliArgs, UsageError, parseNow } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { dataDir as resolveDataDir, kbLocation, REPO_ROOT } from '../server/config.js';
import { KnowledgeBase, describeLocation, kbExists } from '../server/kb/index.js';
import { ValidationError } from '../server/kb/errors.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { computeAuditReport, parsePeriod, type RateFigure } from '../server/ops/report.js';
import { renderHtml, renderMarkdown, targetText } from '../server/ops/report-render.js';
import { pct } from '../server/ops/charts.js';

const USAGE = '用法: npm run report -- --period 2026H2 [--out 目录] [--data-dir 目录] [--now 2027-01-05T09:00:00+08:00]';
/** Below this, no progress display: most reports take well under a second. */
const PROGRESS_AFTER_MS = 1000;

/** A problem the operator can fix (exit 1, message only). */
class ReportError extends Error {}

function figure(name: string, f: RateFigure): string {
  if (f.rate === null) return `${name} 无数据`;
  return `${name} ${pct(f.rate)}（${f.numerator}/${f.denominator}，目标 ${targetText(f)}，${f.verdict}）`;
}

/** The same override file the server uses (see server/services.ts). */
function calendarFor(dataDir: string): WorkingCalendar {
  const file = [path.join(dataDir, 'calendar-overrides.json'), path.join(REPO_ROOT, 'kb-data', 'calendar-overrides.json')].find((f) => fs.existsSync(f));
  return WorkingCalendar.fromFile(file ?? '');
}

function main(): number {
  const { values } = parseCliArgs({
    args: process.argv.slice(2),
    options: { period: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const periodArg = values.period;
  if (periodArg === undefined) throw new UsageError(`缺少 --period\n${USAGE}`);
  let period;
  try {
    period = parsePeriod(periodArg);
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`--period ${err.message.replace(/^period：/, '')}\n${USAGE}`);
    throw err;
  }
  let now = new Date();
  if (values.now !== undefined) now = parseNow(values.now); // Shanghai time unless it names its zone
  const dataDir = resolveDataDir(values['data-dir']);
  const location = kbLocation(dataDir);
  if (!kbExists(location)) {
    throw new ReportError(`${describeLocation(location)} 中没有知识库：请用 --data-dir 指定数据目录，或先导入文件（npm run ingest）`);
  }
  const outDir = path.resolve(values.out ?? path.join(dataDir, 'reports'));

  const started = Date.now();
  let bar: ProgressBar | null = null;
  let shown = false;
  const kb = KnowledgeBase.open(dataDir);
  let report;
  try {
    report = computeAuditReport(kb, calendarFor(dataDir), period, now, {
      onProgress: (step, done, total) => {
        bar ??= new ProgressBar('统计', total); // prints nothing until updated
        if (Date.now() - started >= PROGRESS_AFTER_MS) {
          shown = true;
          bar.update(done, step);
        }
      },
    });
  } finally {
    kb.close();
  }
  if (shown) (bar as ProgressBar | null)?.done();

  fs.mkdirSync(outDir, { recursive: true });
  const mdFile = path.join(outDir, `audit-${period.id}.md`);
  const htmlFile = path.join(outDir, `audit-${period.id}.html`);
  writeAtomically(mdFile, renderMarkdown(report));
  writeAtomically(htmlFile, renderHtml(report));

  const asOf = report.notStarted ? '本期尚未开始' : `数据截至 ${report.asOfDate}${report.complete ? '' : '（期未结束）'}`;
  console.log(`审计报告 ${period.id}（${period.label}，${period.startDate} 至 ${period.endDate}；${asOf}）`);
  console.log(`  Markdown：${mdFile}`);
  console.log(`  HTML：    ${htmlFile}`);
  if (!report.hasData) {
    console.log(report.notStarted ? '本期尚未开始，没有数据；报告已写出并注明。' : '本期无数据：期内没有提问、条目变动、查遗补缺、复核或生效的政策；报告已写出并注明。');
    return 0;
  }
  const a = report.asks;
  console.log(`知识库：已发布 ${report.kb.published} 条；本期新增 ${report.kb.added}、修改 ${report.kb.updated}、归档 ${report.kb.archivedInPeriod}`);
  console.log(`提问 ${a.total} 次；${figure('智能客服解决率', a.resolution)}；${figure('企业解决率', a.enterpriseResolution)}；${figure('转 12345 派单率', a.hotlineShare)}`);
  console.log(`${figure('查遗补缺按时率', report.gaps.onTime)}；${figure('政策问答按时率', report.policies.onTime)}；${figure('半年复核覆盖率', report.reviews.coverage)}`);
  return 0;
}

/** Write to a temporary file and rename, so a reader never sees half a report. */
function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof UsageError) console.error(err.message.includes('用法') ? err.message : `${err.message}\n${USAGE}`);
  else console.error(err instanceof ReportError ? err.message : err instanceof Error ? err.stack : err);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}
