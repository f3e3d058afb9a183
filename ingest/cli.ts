#!/usr/bin/env node
/**
 * npm run ingest -- [--data-dir DIR] [--publish] [--actor NAME] [--strict] [--rejected-dir DIR] PATH...
 * Ingests policy documents (.txt .md .html .docx .pdf) and Q&A spreadsheets (.csv .xlsx) into the knowledge base.
 *
 * Exit status: 0 when every file was imported — a sheet's rejected rows are warnings, listed and written to a sheet
 * of rejected rows; 1 when a file failed (unreadable, no usable row, or with --strict any rejected row); 2 on usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeBase } from '../server/kb/index.js';
import { CATEGORIES } from '../server/kb/categories.js';
import { dataDir } from '../server/config.js';
import { parseCliArgs, UsageError } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { REPO_ROOT } from '../server/config.js';
import type { FileResult } from './pipeline.js';
import { importPaths } from '../server/commands/importFile.js';
import { describeProblem, rejectedSheetCsv, rejectedSheetName } from './rejected-sheet.js';

const USAGE = '用法: npm run ingest -- [--data-dir DIR] [--publish] [--actor NAME] [--strict] [--rejected-dir DIR] 文件或目录...';
const OUTCOME_LABEL = { rejected: '未导入', gap: '转查遗补缺', note: '已导入' } as const;
const STATUS_LABEL: Record<FileResult['status'], string> = { new: '新增', changed: '已更新', unchanged: '未变化', failed: '失败' };

async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs({
      args: process.argv.slice(2),
      options: {
        'data-dir': { type: 'string' }, actor: { type: 'string' }, 'rejected-dir': { type: 'string' },
        publish: { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n${USAGE}`); return 2; }
    throw err;
  }
  if (args.values.help) { console.log(USAGE); return 0; }
  if (!args.positionals.length) { console.error(`没有给出要导入的文件或目录。\n${USAGE}`); return 2; }

  const dir = dataDir(args.values['data-dir']);
  const kb = KnowledgeBase.open(dir);
  try {
    let bar: ProgressBar | null = null;
    let rowBar: ProgressBar | null = null;
    let files = 0;
    // no search index here: the server brings it up to the KB's version when it starts
    const { results, skipped } = await importPaths(
      { kb, calendar: calendarFor(dir) },
      args.positionals,
      {
        publish: Boolean(args.values.publish), actor: args.values.actor ?? 'ingest', strict: Boolean(args.values.strict),
        // one file: a bar of its entries (a large sheet takes a while); several files: a bar of files
        onEntries: (done, total) => {
          if (files > 1 || total < 500) return;
          rowBar ??= new ProgressBar('写入条目', total);
          rowBar.update(done);
        },
      },
      (done, total, file) => {
        files = total;
        if (total < 2) return;
        bar ??= new ProgressBar('导入', total);
        bar.update(done, file ? file.split(/[\\/]/).pop() : '');
      },
    );
    (rowBar as ProgressBar | null)?.done();
    (bar as ProgressBar | null)?.done();
    for (const s of skipped) console.error(`跳过（不支持的文件类型）：${s}`);
    const rejectedDir = args.values['rejected-dir'] ?? path.join(dir, 'reports');
    printSummary(results, dir, kb, rejectedDir);
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    kb.close();
  }
}

/** The calendar overrides the service uses: the data directory's, else the repository's. */
function calendarFor(dir: string): WorkingCalendar {
  const files = [path.join(dir, 'calendar-overrides.json'), path.join(REPO_ROOT, 'kb-data', 'calendar-overrides.json')];
  return WorkingCalendar.fromFile(files.find((f) => fs.existsSync(f)) ?? '');
}

/** A sheet's rows: totals, counts per kind of problem, every problem row, and where its rejected rows were written. */
function sheetLines(r: FileResult, rejectedDir: string): string[] {
  const s = r.sheet!;
  const out = [`         行：共 ${s.rows} 行，导入 ${s.imported} 行，未导入 ${s.rejected} 行，转入查遗补缺 ${s.gaps.length} 行`];
  if (!s.problems.length) return out;
  out.push('         问题行（行号与 Excel/WPS 显示的一致：表头为第 1 行）：');
  for (const k of s.kinds) out.push(`           ${k.label}：${k.rows} 行`);
  for (const p of s.problems) out.push(`           [${OUTCOME_LABEL[p.outcome]}] ${describeProblem(p)}`);
  const newGaps = s.gaps.filter((g) => g.created).length;
  if (s.gaps.length) out.push(`         查遗补缺：新开缺口 ${newGaps} 个${s.gaps.length > newGaps ? `，${s.gaps.length - newGaps} 个问题已在队列中` : ''}`);
  if (s.rejected) {
    const file = path.join(rejectedDir, rejectedSheetName(path.basename(r.file), 'csv'));
    fs.mkdirSync(rejectedDir, { recursive: true });
    fs.writeFileSync(file, rejectedSheetCsv(s.rejectedSheet));
    out.push(`         未导入的 ${s.rejected} 行及原因已写入 ${file}：改正后可直接导入（“原行号”“未导入原因”两列会被忽略）`);
  }
  return out;
}

function printSummary(results: FileResult[], dir: string, kb: KnowledgeBase, rejectedDir: string): void {
  const out: string[] = [`知识库：${dir}`, '', '文件：'];
  for (const r of results) {
    if (r.status === 'failed') {
      out.push(`  [${STATUS_LABEL[r.status]}] ${r.error}`);
      continue;
    }
    const num = r.docNumber ? `${r.docNumber}${r.docNumberSource === 'cited' ? '（据引用文件）' : ''}` : r.kind === 'qa_sheet' ? '问答表' : '无文号';
    const e = r.entries;
    out.push(`  [${STATUS_LABEL[r.status]}] ${r.file.split(/[\\/]/).pop()}  ${num}  ${r.title}`);
    out.push(`         条目：新增 ${e.created}，更新 ${e.updated}${e.revisions ? `（其中 ${e.revisions} 条已发布条目的修改等待审核，审核前仍按原内容作答）` : ''}，未变 ${e.unchanged}，归档 ${e.archived}，发布 ${e.published}`);
    if (r.rejected?.length) {
      out.push(`         未通过质量检查、不生成的条目 ${r.rejected.length} 条：`);
      for (const d of r.rejected) out.push(`           ${d.sourceSection ? `${d.sourceSection} ` : ''}“${d.question}”：${d.reason}`);
    }
    if (r.sheet) out.push(...sheetLines(r, rejectedDir));
  }
  const count = (s: FileResult['status']) => results.filter((r) => r.status === s).length;
  out.push('', `文件合计：新增 ${count('new')}，已更新 ${count('changed')}，未变化 ${count('unchanged')}，失败 ${count('failed')}`);
  const run: Record<string, number> = {};
  for (const r of results) for (const [c, n] of Object.entries(r.byCategory)) run[c] = (run[c] ?? 0) + (n ?? 0);
  const published = kb.entries.countByCategory('published');
  const inKb = kb.entries.countLiveByCategory();
  out.push('', '分类            本次文件条目   知识库现有   其中已发布');
  for (const c of CATEGORIES) {
    out.push(`  ${c.label.padEnd(8, '　')}${String(run[c.code] ?? 0).padStart(10)}${String(inKb[c.code] ?? 0).padStart(12)}${String(published[c.code] ?? 0).padStart(12)}`);
  }
  console.log(out.join('\n'));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
