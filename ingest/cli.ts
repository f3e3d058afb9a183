#!/usr/bin/env node
/**
 * npm run ingest -- [--data-dir DIR] [--publish] [--actor NAME] PATH...
 * Ingests policy documents (.txt .md .html .docx .pdf) and Q&A spreadsheets (.csv .xlsx) into the knowledge base.
 */
import { KnowledgeBase } from '../server/kb/index.js';
import { CATEGORIES } from '../server/kb/categories.js';
import { dataDir } from '../server/config.js';
import { parseArgs, UsageError } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { ingestPaths, type FileResult } from './pipeline.js';

const USAGE = '用法: npm run ingest -- [--data-dir DIR] [--publish] [--actor NAME] 文件或目录...';
const STATUS_LABEL: Record<FileResult['status'], string> = { new: '新增', changed: '已更新', unchanged: '未变化', failed: '失败' };

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), ['data-dir', 'actor']);
  } catch (err) {
    if (err instanceof UsageError) { console.error(`${err.message}\n${USAGE}`); return 2; }
    throw err;
  }
  if (args.flags.help) { console.log(USAGE); return 0; }
  if (!args.positionals.length) { console.error(`没有给出要导入的文件或目录。\n${USAGE}`); return 2; }

  const dir = dataDir(args.flags['data-dir'] as string | undefined);
  const kb = KnowledgeBase.open(dir);
  try {
    let bar: ProgressBar | null = null;
    const { results, skipped } = await ingestPaths(
      kb,
      args.positionals,
      { publish: Boolean(args.flags.publish), actor: (args.flags.actor as string) ?? 'ingest' },
      (done, total, file) => {
        if (total < 2) return;
        bar ??= new ProgressBar('导入', total);
        bar.update(done, file ? file.split(/[\\/]/).pop() : '');
      },
    );
    (bar as ProgressBar | null)?.done();
    for (const s of skipped) console.error(`跳过（不支持的文件类型）：${s}`);
    printSummary(results, dir, kb);
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    kb.close();
  }
}

function printSummary(results: FileResult[], dir: string, kb: KnowledgeBase): void {
  const out: string[] = [`知识库：${dir}`, '', '文件：'];
  for (const r of results) {
    if (r.status === 'failed') {
      out.push(`  [${STATUS_LABEL[r.status]}] ${r.error}`);
      continue;
    }
    const num = r.docNumber ? `${r.docNumber}${r.docNumberSource === 'cited' ? '（据引用文件）' : ''}` : r.kind === 'qa_sheet' ? '问答表' : '无文号';
    const e = r.entries;
    out.push(`  [${STATUS_LABEL[r.status]}] ${r.file.split(/[\\/]/).pop()}  ${num}  ${r.title}`);
    out.push(`         条目：新增 ${e.created}，更新 ${e.updated}，未变 ${e.unchanged}，归档 ${e.archived}，发布 ${e.published}`);
  }
  const count = (s: FileResult['status']) => results.filter((r) => r.status === s).length;
  out.push('', `文件合计：新增 ${count('new')}，已更新 ${count('changed')}，未变化 ${count('unchanged')}，失败 ${count('failed')}`);
  const run: Record<string, number> = {};
  for (const r of results) for (const [c, n] of Object.entries(r.byCategory)) run[c] = (run[c] ?? 0) + (n ?? 0);
  const published = kb.entries.countByCategory('published');
  const all = kb.db.prepare(`SELECT category, count(*) AS n FROM entries WHERE status != 'archived' GROUP BY category`).all() as Array<{ category: string; n: number }>;
  const inKb = Object.fromEntries(all.map((x) => [x.category, x.n]));
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
