import { Marked } from 'marked';
import { DEFINITIONS, OUTCOME_LABELS, OUTCOMES, type AuditReport, type GapCluster, type PolicyTimeliness, type RateFigure } from './report.js';
import { barChart, bulletChart, escapeXml, pct, PALETTE, stackedBarChart } from './charts.js';

/**
 * Renders an AuditReport as Markdown (tables and verdicts) and as one self-contained HTML file: the same Markdown
 * through marked, the charts as inline SVG in the places the Markdown marks with `<!-- chart:NAME -->`, inline CSS,
 * no external assets, laid out to print on A4.
 */

const CHART_SLOT = /<!-- chart:([a-z-]+) -->/g;

/** A table cell: plain text (escaped) or Markdown written here ({ md }). */
type Cell = string | number | null | { md: string };
const md = (text: string): Cell => ({ md: text });
const bold = (text: string): Cell => md(`**${cell(text)}**`);

function cell(value: Cell | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return value.md;
  return String(value)
    .replace(/\s+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\|*_`[\]~])/g, '\\$1')
    .trim();
}

function table(headers: string[], rows: Cell[][], numeric: boolean[] = []): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map((_, i) => (numeric[i] ? '---:' : '---')).join(' | ')} |`;
  return [head, rule, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const rateText = (r: number | null) => (r === null ? '—' : pct(r));
/** "≥ 50%", "≤ 10%"; a 100% floor reads as plain "100%". */
export const targetText = (f: Pick<RateFigure, 'target' | 'direction'>) =>
  f.direction === 'atLeast' && f.target >= 1 ? '100%' : `${f.direction === 'atLeast' ? '≥' : '≤'} ${Math.round(f.target * 100)}%`;
const figureText = (f: RateFigure) => (f.rate === null ? '无数据' : `${pct(f.rate)}（${f.numerator}/${f.denominator}）`);
const verdictMark = (f: RateFigure): Cell => (f.verdict === '无数据' ? '无数据' : bold(f.verdict));

/** "结论：**达标** — …" */
function verdictLine(f: RateFigure, what: string, extra = ''): string {
  const tail = extra ? `；${extra}` : '';
  if (f.verdict === '无数据') return `结论：无数据 — ${what}没有可计算的对象（目标 ${targetText(f)}）${tail}。`;
  return `结论：**${f.verdict}** — ${what} ${figureText(f)}，目标 ${targetText(f)}${tail}。`;
}

function shanghaiDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const GAP_STATE: Record<GapCluster['state'], string> = { open: '待补', overdue: '逾期未补', filled: '已补齐', dismissed: '已驳回' };
const POLICY_STATUS: Record<PolicyTimeliness['status'], string> = { on_time: '按时', late: '未按时', no_entries: '未按时（无条目）' };

function header(r: AuditReport): string {
  const p = r.period;
  const asOf = r.complete ? `${p.endDate} 期末（本期已结束，数字为终值）` : `${shanghaiDateTime(r.asOf)}（本期尚未结束，数字为截至此刻的进度）`;
  return [
    `# 一网通办知识库审计报告（${p.label}）`,
    '',
    `- 统计期：${p.id}（${p.startDate} 至 ${p.endDate}，北京时间）`,
    `- 数据截至：${r.notStarted ? '—（本期尚未开始）' : asOf}`,
    `- 生成时间：${shanghaiDateTime(r.generatedAt)}`,
  ].join('\n');
}

function summary(r: AuditReport): string {
  const rows: Array<[string, RateFigure]> = [
    ['智能客服解决率（好差评）', r.asks.resolution],
    ['企业解决率（好差评）', r.asks.enterpriseResolution],
    ['转 12345 派单率', r.asks.hotlineShare],
    ['查遗补缺按时率（5 个工作日）', r.gaps.onTime],
    ['政策问答按时率（提前 1 个工作日）', r.policies.onTime],
    ['半年复核覆盖率', r.reviews.coverage],
  ];
  return [
    '## 要点',
    '',
    table(['指标', '本期', '目标', '结论'], rows.map(([name, f]) => [name, figureText(f), targetText(f), verdictMark(f)])),
  ].join('\n');
}

function kbSection(r: AuditReport): string {
  const k = r.kb;
  const sum = (key: 'published' | 'added' | 'updated' | 'publishedInPeriod' | 'archived') => k.byCategory.reduce((a, c) => a + c[key], 0);
  return [
    '## 一、知识库规模',
    '',
    `截至 ${r.asOfDate}，已发布条目 **${k.published}** 条（另有草稿 ${k.draft} 条、已归档 ${k.archived} 条）。` +
      `本期新增 ${k.added} 条、修改 ${k.updated} 条、发布 ${k.publishedInPeriod} 条、归档 ${k.archivedInPeriod} 条。`,
    '',
    '<!-- chart:categories -->',
    '',
    '### 按栏目',
    '',
    table(
      ['栏目', '已发布', '本期新增', '本期修改', '本期发布', '本期归档'],
      [
        ...k.byCategory.map((c) => [c.label, c.published, c.added, c.updated, c.publishedInPeriod, c.archived]),
        [bold('合计'), sum('published'), sum('added'), sum('updated'), sum('publishedInPeriod'), sum('archived')],
      ],
      [false, true, true, true, true, true],
    ),
    '',
    '### 按层级',
    '',
    table(['层级', '已发布'], k.byLevel.map((l) => [l.label, l.published]), [false, true]),
    '',
    '### 按责任单位',
    '',
    k.byDepartment.length ? table(['责任单位', '已发布'], k.byDepartment.map((d) => [d.department, d.published]), [false, true]) : '没有已发布的条目。',
  ].join('\n');
}

function reviewSection(r: AuditReport): string {
  const v = r.reviews;
  const t = v.total;
  const row = (u: typeof t, total = false): Cell[] => [total ? bold(u.department) : u.department, u.due, u.reviewed, rateText(u.coverage), u.unreviewed, u.expired, u.stale, u.flagged];
  return [
    '## 二、半年复核',
    '',
    verdictLine(v.coverage, '复核覆盖率', `未复核 ${t.unreviewed} 条，已过期 ${t.expired} 条，超一年未复核 ${t.stale} 条`),
    '',
    ...(t.due
      ? [
          '<!-- chart:reviews -->',
          '',
          table(
            ['责任单位', '应复核', '已复核', '覆盖率', '未复核', '已过期', '超一年未复核', '待复核标记'],
            [...v.byDepartment.map((u) => row(u)), row(t, true)],
            [false, true, true, true, true, true, true, true],
          ),
        ]
      : ['本期没有应复核的条目。']),
  ].join('\n');
}

function gapSection(r: AuditReport): string {
  const g = r.gaps;
  const median = g.medianWorkingDaysToFill === null ? '—' : String(g.medianWorkingDaysToFill);
  const lines = [
    '## 三、查遗补缺（5 个工作日内补充至知识库）',
    '',
    verdictLine(g.onTime, '按时率', `补齐用时中位数 ${median} 个工作日`),
    '',
  ];
  const any = g.opened + g.filledOnTime + g.filledLate + g.openOverdue + g.openNotDue + g.dismissed > 0;
  if (any) lines.push('<!-- chart:gaps -->', '');
  lines.push(
    table(
      ['项目', '数量'],
      [
        ['本期新增缺口', g.opened],
        ['按时补齐', g.filledOnTime],
        ['逾期补齐', g.filledLate],
        [`逾期未补（截至 ${r.asOfDate}）`, g.openOverdue],
        ['未到期待补', g.openNotDue],
        ['已驳回', g.dismissed],
        ['补齐用时中位数（工作日）', median],
      ],
      [false, true],
    ),
  );
  if (g.overdue.length) {
    lines.push(
      '',
      '### 逾期未补清单',
      '',
      table(
        ['缺口', '问题', '首次提问', '应补日期', '已逾期（工作日）', '提问次数'],
        g.overdue.slice(0, 20).map((o) => [`#${o.gapId}`, clip(o.question), o.firstAskedDate, o.dueDate, o.workingDaysOverdue, o.askCount]),
        [false, false, false, false, true, true],
      ),
    );
    if (g.overdue.length > 20) lines.push('', `另有 ${g.overdue.length - 20} 个逾期缺口未列出。`);
  }
  return lines.join('\n');
}

function policySection(r: AuditReport): string {
  const p = r.policies;
  const lines = ['## 四、政策问答时效（生效前 1 个工作日发布）', '', verdictLine(p.onTime, '按时率'), ''];
  if (p.documents.length) {
    lines.push(
      table(
        ['文件', '文号', '生效日期', '最迟发布日', '条目', '按时发布', '最晚首次发布', '结论'],
        p.documents.map((d) => [
          clip(d.title, 40), d.docNumber, d.effectiveDate, d.deadline, d.entries, d.publishedOnTime,
          d.entries && d.lastPublishedDate === null ? '有未发布' : d.lastPublishedDate, POLICY_STATUS[d.status],
        ]),
        [false, false, false, false, true, true, false, false],
      ),
    );
  } else {
    lines.push('本期截至目前没有生效的政策文件。');
  }
  if (p.pending) lines.push('', `另有 ${p.pending} 份文件将于 ${r.asOfDate} 之后、期内生效（待生效，不计入）。`);
  return lines.join('\n');
}

function askSection(r: AuditReport): string {
  const a = r.asks;
  const share = (n: number) => (a.total ? `（${pct(n / a.total)}）` : '');
  const lines = [
    '## 五、咨询与解决',
    '',
    '### 提问结果与渠道',
    '',
    `本期提问 **${a.total}** 次：${OUTCOMES.map((o) => `${OUTCOME_LABELS[o]} ${a.byOutcome[o]}${share(a.byOutcome[o])}`).join('，')}。`,
    '',
  ];
  if (a.total) {
    lines.push(
      '<!-- chart:asks -->',
      '',
      table(
        ['渠道', ...OUTCOMES.map((o) => OUTCOME_LABELS[o]), '合计'],
        [
          ...a.byChannel.map((c) => [c.label, ...OUTCOMES.map((o) => c.byOutcome[o]), c.total]),
          [bold('合计'), ...OUTCOMES.map((o) => a.byOutcome[o]), a.total],
        ],
        [false, true, true, true, true, true],
      ),
      '',
    );
  }
  lines.push(
    '### 解决率与转派',
    '',
    `- ${verdictLine(a.resolution, '智能客服解决率')}`,
    `- ${verdictLine(a.enterpriseResolution, '企业解决率')}`,
    `- ${verdictLine(a.hotlineShare, '转 12345 派单率')}`,
    '',
    '<!-- chart:resolution -->',
    '',
    table(
      ['指标', '分子', '分母', '比率', '目标', '结论'],
      [
        ['智能客服解决率', `已解决 ${a.resolution.numerator}`, `有评价 ${a.resolution.denominator}`, rateText(a.resolution.rate), targetText(a.resolution), verdictMark(a.resolution)],
        ['企业解决率', `已解决 ${a.enterpriseResolution.numerator}`, `有评价 ${a.enterpriseResolution.denominator}`, rateText(a.enterpriseResolution.rate), targetText(a.enterpriseResolution), verdictMark(a.enterpriseResolution)],
        ['转 12345 派单率', `转 12345 ${a.hotlineShare.numerator}`, `需人工帮办 ${a.hotlineShare.denominator}`, rateText(a.hotlineShare.rate), targetText(a.hotlineShare), verdictMark(a.hotlineShare)],
      ],
    ),
    '',
    `转人工：线上人工帮办 ${a.handoffs.onlineAgent} 次，12345 ${a.handoffs.hotline} 次；转 12345 占全部提问 ${rateText(a.hotlineShareOfAll)}（仅供参考）。`,
    '',
    `### 未能解答的热点问题（前 ${Math.max(a.topUnanswered.length, 1)}）`,
    '',
    a.topUnanswered.length
      ? table(
          ['缺口', '问题', '本期提问', '其中企业', '状态', '应补日期'],
          a.topUnanswered.map((c) => [`#${c.gapId}`, clip(c.question), c.asks, c.enterpriseAsks, GAP_STATE[c.state], c.dueDate]),
          [false, false, true, true, false, false],
        )
      : '本期没有未能解答的问题归入缺口。',
    '',
    `### 最常命中的条目（前 ${Math.max(a.topEntries.length, 1)}）`,
    '',
    a.topEntries.length
      ? table(
          ['条目', '问题', '栏目', '责任单位', '直接作答次数'],
          a.topEntries.map((e) => [`#${e.entryId}`, clip(e.question), e.category, e.department, e.asks]),
          [false, false, false, false, true],
        )
      : '本期没有直接作答的提问。',
  );
  return lines.join('\n');
}

function definitions(): string {
  return ['## 定义', '', ...DEFINITIONS.map((d, i) => `${i + 1}. **${d.term}**：${d.text}`)].join('\n');
}

function noDataNotice(r: AuditReport): string {
  const p = r.period;
  const why = r.notStarted
    ? `**本期尚未开始**：${p.id}（${p.startDate} 至 ${p.endDate}）在生成时（${shanghaiDateTime(r.generatedAt)}）还没有开始，没有可统计的数据。`
    : `**本期无数据**：${p.id}（${p.startDate} 至 ${p.endDate}）期内没有提问、条目变动、查遗补缺、复核记录，也没有生效的政策文件。`;
  return `> ${why}`;
}

function clip(s: string, max = 60): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** The report's Markdown; with `chartSlots` it keeps the `<!-- chart:NAME -->` lines the HTML fills. */
export function renderMarkdown(r: AuditReport, opts: { chartSlots?: boolean } = {}): string {
  const parts = [header(r)];
  if (!r.hasData) {
    parts.push(noDataNotice(r));
    if (r.kb.published + r.kb.draft + r.kb.archived > 0) parts.push('以下仅列出截至期末的知识库规模。', kbSection(r));
  } else {
    parts.push(summary(r), kbSection(r), reviewSection(r), gapSection(r), policySection(r), askSection(r));
  }
  parts.push(definitions());
  const text = `${parts.join('\n\n')}\n`;
  return opts.chartSlots ? text : text.replace(/^<!-- chart:[a-z-]+ -->\n\n/gm, '');
}

/** The SVG of each chart slot. */
export function renderCharts(r: AuditReport): Record<string, string> {
  const a = r.asks;
  const g = r.gaps;
  const withDue = r.reviews.byDepartment.filter((u) => u.due > 0);
  const units = withDue.slice(0, 15);
  const outcomeColors = [PALETTE.green, PALETTE.blue, PALETTE.orange, PALETTE.grey];
  return {
    categories: barChart({ id: 'c-categories', title: '已发布条目（按栏目）', rows: r.kb.byCategory.map((c) => ({ label: c.label, value: c.published })), unit: ' 条' }),
    reviews: stackedBarChart({
      id: 'c-reviews',
      title: `复核覆盖（按责任单位${withDue.length > units.length ? `，前 ${units.length} 个` : ''}）`,
      series: [{ label: '已复核', color: PALETTE.green }, { label: '未复核', color: PALETTE.orange }],
      rows: units.map((u) => ({ label: u.department, values: [u.reviewed, u.due - u.reviewed] })),
      unit: ' 条',
    }),
    gaps: stackedBarChart({
      id: 'c-gaps',
      title: '查遗补缺结果',
      series: [
        { label: '按时补齐', color: PALETTE.green },
        { label: '逾期补齐', color: PALETTE.orange },
        { label: '逾期未补', color: PALETTE.red },
        { label: '未到期待补', color: PALETTE.blue },
        { label: '已驳回', color: PALETTE.grey },
      ],
      rows: [{ label: '缺口', values: [g.filledOnTime, g.filledLate, g.openOverdue, g.openNotDue, g.dismissed] }],
      unit: ' 个',
    }),
    asks: stackedBarChart({
      id: 'c-asks',
      title: '提问结果（按渠道）',
      series: OUTCOMES.map((o, i) => ({ label: OUTCOME_LABELS[o], color: outcomeColors[i] })),
      rows: [...a.byChannel.map((c) => ({ label: c.label, values: OUTCOMES.map((o) => c.byOutcome[o]) }))],
      unit: ' 次',
    }),
    resolution: bulletChart({
      id: 'c-resolution',
      title: '解决率与转 12345 派单率（对照目标）',
      rows: [
        { label: '智能客服解决率', value: a.resolution.rate, target: a.resolution.target, direction: 'atLeast', detail: `${a.resolution.numerator}/${a.resolution.denominator}` },
        { label: '企业解决率', value: a.enterpriseResolution.rate, target: a.enterpriseResolution.target, direction: 'atLeast', detail: `${a.enterpriseResolution.numerator}/${a.enterpriseResolution.denominator}` },
        { label: '转 12345 派单率', value: a.hotlineShare.rate, target: a.hotlineShare.target, direction: 'atMost', detail: `${a.hotlineShare.numerator}/${a.hotlineShare.denominator}` },
      ],
    }),
  };
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7f9; color: #1f2933; font: 14px/1.65 'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif; }
main { max-width: 860px; margin: 24px auto; padding: 32px 40px; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
h1 { font-size: 24px; margin: 0 0 12px; padding-bottom: 10px; border-bottom: 3px solid #2f6fb0; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-left: 10px; border-left: 4px solid #2f6fb0; }
h3 { font-size: 15px; margin: 20px 0 8px; color: #33414e; }
ul { padding-left: 22px; }
table { border-collapse: collapse; width: auto; min-width: 60%; margin: 8px 0 14px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d5dbe1; padding: 5px 8px; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; text-align: left; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td[align="right"], th[align="right"] { text-align: right; }
strong.ok { color: #1f7a47; }
strong.bad { color: #b23a32; }
blockquote { margin: 16px 0; padding: 12px 16px; background: #fff7e6; border-left: 4px solid #d9822b; color: #5a4314; }
blockquote p { margin: 0; }
figure.chart-box { margin: 12px 0 16px; padding: 10px 6px; border: 1px solid #e4e8ec; border-radius: 4px; background: #fff; }
figure.chart-box svg { display: block; width: 100%; max-width: 680px; height: auto; margin: 0 auto; }
ol li { margin-bottom: 4px; font-size: 13px; color: #3b4752; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
  table, figure.chart-box, blockquote { break-inside: avoid; }
  tr { break-inside: avoid; }
}
`;

/** One self-contained HTML page: inline CSS, inline SVG charts, no scripts, no external assets. */
export function renderHtml(r: AuditReport): string {
  const charts = renderCharts(r);
  const source = renderMarkdown(r, { chartSlots: true });
  const marked = new Marked({ gfm: true, breaks: false });
  let body = marked.parse(source, { async: false }) as string;
  body = body
    .replace(CHART_SLOT, (_, name: string) => (charts[name] ? `<figure class="chart-box">${charts[name]}</figure>` : ''))
    .replace(/<strong>达标<\/strong>/g, '<strong class="ok">达标</strong>')
    .replace(/<strong>未达标<\/strong>/g, '<strong class="bad">未达标</strong>');
  const title = `一网通办知识库审计报告（${r.period.label}）`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
