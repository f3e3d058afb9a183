/** 文件与导入导出: upload → preview → import; export to XLSX / CSV; the policy watch list. */
import { api, upload, download, query } from '../api.js';
import { h, add, replace, field, select, badge, statusBadge, attempt, FIELD_LABELS, STATUS_LABELS } from '../dom.js';
import type { Ctx } from '../main.js';
import type { DocumentRow } from '../../../shared/admin.js';
import type { ImportReport, PlannedEntry, RowProblem, SheetSummary as SheetReport } from '../../../shared/ingest.js';

const ACCEPT = '.txt,.md,.html,.htm,.docx,.pdf,.csv,.xlsx';
const ACTION_TEXT: Record<PlannedEntry['action'], [string, '' | 'ok' | 'warn' | 'bad' | 'info']> = {
  create: ['新增', 'ok'],
  update: ['修改', 'warn'],
  unchanged: ['不变', ''],
  archive: ['归档', 'bad'],
};
const OUTCOME_TEXT: Record<RowProblem['outcome'], [string, '' | 'ok' | 'warn' | 'bad' | 'info']> = {
  rejected: ['未导入', 'bad'],
  gap: ['转查遗补缺', 'warn'],
  note: ['已处理', 'info'],
};

/** Moves to another page of a list; null after an import (its report is not asked for again). */
type Turn = ((offset: number) => void) | null;

/** “上一页 / 第 n / m 页 / 下一页” for a list of `total` rows shown `limit` at a time from `offset`. */
function pager(label: string, offset: number, limit: number, total: number, turn: Turn): HTMLElement | null {
  if (total <= limit) return null;
  const pages = Math.ceil(total / limit);
  const at = Math.floor(offset / limit) + 1;
  if (!turn) return h('p', { class: 'hint' }, `${label}共 ${total} 条，这里显示第 ${offset + 1}–${Math.min(offset + limit, total)} 条。`);
  return h(
    'div',
    { class: 'pager', 'aria-label': `${label}翻页` },
    h('button', { class: 'btn small', type: 'button', disabled: offset === 0, onclick: () => turn(Math.max(0, offset - limit)) }, '上一页'),
    h('span', { class: 'hint' }, `${label}第 ${at} / ${pages} 页（共 ${total} 条）`),
    h('button', { class: 'btn small', type: 'button', disabled: offset + limit >= total, onclick: () => turn(offset + limit) }, '下一页'),
  );
}

/** A sheet's problem rows: counts per kind, a page of rows with their column and reason, and the rejected rows to download. */
function sheetProblems(report: ImportReport, sheet: SheetReport, chosen: File, done: boolean, turn: Turn): HTMLElement {
  const will = done ? '' : '将';
  const counts = sheet.kinds.map((k) => h('tr', { 'data-kind': k.kind }, h('td', {}, k.label), h('td', { class: 'num' }, String(k.rows))));
  const rows = sheet.problems.map((p) =>
    h(
      'tr',
      { 'data-row': String(p.rowNumber), 'data-outcome': p.outcome },
      h('td', { class: 'num' }, String(p.rowNumber)),
      h('td', {}, p.column),
      h('td', {}, badge(...OUTCOME_TEXT[p.outcome])),
      h('td', {}, p.message),
    ),
  );
  const get = (format: 'xlsx' | 'csv') => () => void attempt(() => download(`/admin/documents/rejected${query({ format })}`, chosen), '已开始下载');
  return h(
    'div',
    { class: 'sheet-problems', 'data-testid': 'sheet-problems' },
    h(
      'p',
      {},
      `表格共 ${sheet.rows} 行：${will}导入 `, h('strong', {}, String(sheet.imported)), ' 行，未导入 ', h('strong', {}, String(sheet.rejected)),
      ' 行，转入查遗补缺 ', h('strong', {}, String(sheet.gaps.length)), ' 行。行号与 Excel/WPS 中显示的一致（表头为第 1 行）。',
    ),
    sheet.problems.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'aria-label': '问题行分类计数' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '问题'), h('th', { scope: 'col' }, '行数'))), h('tbody', {}, counts)))
      : null,
    sheet.rejected
      ? h(
          'div',
          { class: 'actions' },
          h('button', { class: 'btn', type: 'button', onclick: get('xlsx') }, '下载未导入的行（XLSX）'),
          h('button', { class: 'btn', type: 'button', onclick: get('csv') }, '下载未导入的行（CSV）'),
          h('span', { class: 'hint' }, '表中附“未导入原因”，改正后可直接再次上传导入。'),
        )
      : null,
    sheet.problems.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', 'aria-label': '问题行' },
            h('thead', {}, h('tr', {}, ['行号', '列', '处理', '原因'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, rows),
          ),
        )
      : null,
    pager('问题行', report.page.problemOffset, report.page.limit, report.totals.problems, turn),
  );
}

const WATCH: Record<string, [string, '' | 'ok' | 'warn' | 'bad' | 'info']> = {
  late: ['已施行仍未发布', 'bad'],
  at_risk: ['即将施行（有风险）', 'warn'],
  pending: ['待发布', 'info'],
  on_time: ['已就绪', 'ok'],
  expired: ['已失效', ''],
  replaced: ['已被替代', ''],
};

/** A page of the planned entries (the server sends them created, updated and archived first). */
function planTable(ctx: Ctx, report: ImportReport, turn: Turn): HTMLElement {
  const rows = report.entries
    .map((p) =>
      h(
        'tr',
        { 'data-action': p.action },
        h('td', {}, badge(...ACTION_TEXT[p.action]), p.pending ? [' ', badge('待审核', 'warn')] : null),
        h('td', {}, p.entryId ? h('a', { href: `#/entries/${p.entryId}` }, p.question) : p.question),
        h('td', {}, ctx.categoryLabel(p.category)),
        h('td', {}, p.status ? statusBadge(p.status) : '—'),
        h('td', {}, (p.changed ?? []).map((f) => FIELD_LABELS[f] ?? f).join('、')),
      ),
    );
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data', 'aria-label': '导入预览' },
      h('thead', {}, h('tr', {}, ['变化', '问题', '分类', '当前状态', '改动的字段'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows),
    ),
    pager('条目', report.page.offset, report.page.limit, report.totals.entries, turn),
  );
}

/** What the import did (or will do), in the words of what citizens get: nothing unpublished is called live. */
function summary(report: ImportReport, done: boolean): HTMLElement {
  const c = report.counts;
  const what = report.kind === 'policy' ? `政策文件《${report.title ?? report.file}》${report.docNumber ? `（${report.docNumber}）` : ''}` : `问答表 ${report.file}`;
  const state = report.status === 'new' ? '新文件' : report.status === 'changed' ? '已导入过，内容有变化' : '与上次导入的文件完全相同';
  const revisions = report.revisions ?? 0;
  const draftsChanged = c.update - revisions;
  const n = (x: number) => h('strong', {}, String(x));
  const will = done ? '已' : '将';
  const parts: Array<Node | string> = [];
  const sep = () => parts.length && parts.push('；');
  if (c.create) (sep(), parts.push(`${will}新增 `, n(c.create), report.published && done ? ' 条（已发布）' : ' 条草稿（发布前不会作答）'));
  if (revisions) (sep(), parts.push(n(revisions), ` 条已发布条目的修改${done ? '' : '将'}等待审核（审核前市民仍看到原内容）`));
  if (draftsChanged > 0) (sep(), parts.push(`${will}修改 `, n(draftsChanged), ' 条草稿'));
  if (done && report.published && report.published !== c.create) (sep(), parts.push(`共发布 `, n(report.published), ' 条'));
  if (c.archive) (sep(), parts.push(`${will}归档 `, n(c.archive), ' 条（源文件已不再包含，停止作答）'));
  sep();
  parts.push(n(c.unchanged), ' 条未变化。');
  return h(
    'div',
    { role: 'status', 'data-testid': done ? 'import-result' : 'preview-summary' },
    h('p', {}, `${what}：${state}。`),
    h('p', {}, ...parts),
    done && (revisions || (c.create && !report.published))
      ? h('p', {}, '请审核人员在“复核队列”的“待审核”中发布草稿、批准修改（可批量）。')
      : null,
  );
}

/** Entries the generator proposed but the quality gate dropped: the editor sees why, a citizen never sees them. */
function droppedEntries(report: ImportReport): HTMLElement | null {
  if (!report.dropped.length) return null;
  return h(
    'details',
    { class: 'dropped' },
    h('summary', {}, `未通过质量检查、不生成的条目 ${report.totals.dropped} 条${report.totals.dropped > report.dropped.length ? `（列出前 ${report.dropped.length} 条）` : ''}`),
    h('ul', {}, ...report.dropped.map((d) => h('li', {}, `${d.sourceSection ? `${d.sourceSection} ` : ''}“${d.question}”：${d.reason}`))),
  );
}

function uploadPanel(ctx: Ctx, onImported: () => Promise<void>): HTMLElement {
  const file = h('input', { type: 'file', accept: ACCEPT, name: 'file', required: true });
  const canPublish = ctx.can('entries:publish');
  const publish = h('input', { type: 'checkbox', name: 'publish' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { 'aria-label': '上传文件' },
    h('div', { class: 'row' }, h('div', { class: 'grow' }, field('政策文件（txt、md、html、docx、pdf）或问答表（xlsx、csv）', file)), h('div', { class: 'field' }, h('button', { class: 'btn primary', type: 'submit' }, '预览'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    replace(out, h('p', { class: 'hint' }, '正在解析…'));
    const first = await attempt(() => upload<ImportReport>('/admin/documents/preview', chosen));
    if (!first) return replace(out);
    showPreview(chosen, first);
  });

  /** The preview of `chosen`; paging asks the server for another page of the same file's preview. */
  const showPreview = (chosen: File, report: ImportReport) => {
    const turnTo = (offset: number, problemOffset: number) => async () => {
      const next = await attempt(() => upload<ImportReport>('/admin/documents/preview', chosen, { offset: String(offset), problemOffset: String(problemOffset) }));
      if (next) showPreview(chosen, next);
    };
    const entriesTurn: Turn = (offset) => void turnTo(offset, report.page.problemOffset)();
    const problemsTurn: Turn = (offset) => void turnTo(report.page.offset, offset)();
    const nothing = report.counts.create + report.counts.update + report.counts.archive === 0 && !report.sheet?.gaps.some((g) => g.created);
    const importButton = h('button', {
      class: 'btn primary', type: 'button',
      onclick: async () => {
        importButton.disabled = true;
        const done = await attempt(() => upload<ImportReport>('/admin/documents/import', chosen, { publish: canPublish && publish.checked ? 'true' : undefined }), '导入完成');
        if (!done) {
          importButton.disabled = false;
          return;
        }
        replace(out, summary(done, true), done.sheet ? sheetProblems(done, done.sheet, chosen, true, null) : null);
        await attempt(onImported); // the document list shows the new state at once
      },
    }, nothing ? '记录导入（内容无变化）' : '确认导入');
    replace(
      out,
      summary(report, false),
      report.sheet ? sheetProblems(report, report.sheet, chosen, false, problemsTurn) : null,
      droppedEntries(report),
      h('div', { class: 'actions' }, importButton, canPublish ? h('label', { class: 'check' }, publish, '导入后直接发布（新条目发布、已发布条目的修改立即生效）') : null, h('button', { class: 'btn', type: 'button', onclick: () => replace(out) }, '取消')),
      planTable(ctx, report, entriesTurn),
    );
  };
  return h('section', { class: 'panel', 'aria-label': '上传与导入' }, h('h2', {}, '上传与导入'), h('p', { class: 'hint' }, '先预览将新增、修改、不变和归档的条目，确认后才写入知识库。导出的表格修改后可直接导入：按问题匹配已有条目，只改变改过的内容。'), form, out);
}

function exportPanel(): HTMLElement {
  const status = select('status', [['', '全部（不含已归档）'], ...Object.entries(STATUS_LABELS)], '');
  const go = (format: 'xlsx' | 'csv') => () => void attempt(() => download(`/admin/entries/export${query({ format, status: status.value })}`), '已开始下载');
  return h(
    'section',
    { class: 'panel', 'aria-label': '导出条目' },
    h('h2', {}, '导出条目'),
    h('p', { class: 'hint' }, '列与导入问答表相同：问题、答案、相似问法、分类、事项、责任单位、层级、区域、对象、关键词、生效日期、失效日期。'),
    h('div', { class: 'row' }, field('范围', status), h('div', { class: 'field' }, h('div', { class: 'actions' }, h('button', { class: 'btn', type: 'button', onclick: go('xlsx') }, '导出 XLSX'), h('button', { class: 'btn', type: 'button', onclick: go('csv') }, '导出 CSV')))),
  );
}

function watchList(docs: DocumentRow[], today: string): HTMLElement {
  const rows = docs.map((d) =>
    h(
      'tr',
      { 'data-document-id': String(d.id) },
      h('td', {}, d.kind === 'policy' ? d.title : `问答表 ${d.fileName}`, h('div', { class: 'hint' }, d.fileName, ` · 第 ${d.version} 版`)),
      h('td', {}, d.docNumber ?? '—'),
      h('td', {}, d.effectiveDate ?? '—'),
      h('td', {}, d.watch?.publishBy ?? '—'),
      h('td', {}, d.expiryDate ?? '—'),
      h('td', { class: 'num' }, `${d.entries.published} / ${d.entries.draft}`),
      h('td', {}, d.watch ? badge(...(WATCH[d.watch.state] ?? [d.watch.state, ''])) : '—'),
    ),
  );
  return h(
    'section',
    { class: 'panel', 'aria-label': '政策时效' },
    h('h2', {}, '文件与政策时效'),
    h('p', { class: 'hint' }, `今天 ${today}。政策文件的问答须在施行前 1 个工作日发布；施行前 2 个工作日内仍有未发布条目为“有风险”，施行后仍未发布为“逾期”。`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', 'aria-label': '文件列表' },
        h('thead', {}, h('tr', {}, ['文件', '文号', '施行日期', '最迟发布', '失效日期', '已发布 / 草稿', '时效'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7 }, '还没有导入文件'))),
      ),
    ),
  );
}

/** Late first, then at risk, pending, on time; newest effective date first within each. */
function sortDocuments(documents: DocumentRow[]): DocumentRow[] {
  const rank: Record<string, number> = { late: 0, at_risk: 1, pending: 2, on_time: 3 };
  return [...documents].sort((a, b) => (rank[a.watch?.state ?? ''] ?? 9) - (rank[b.watch?.state ?? ''] ?? 9) || (b.effectiveDate ?? '').localeCompare(a.effectiveDate ?? ''));
}

export async function documentsView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const { today, documents } = await api<{ today: string; documents: DocumentRow[] }>('GET', '/admin/documents');
  const sorted = sortDocuments(documents);
  const listSlot = h('div', {}, watchList(sorted, today));
  const reload = async () => {
    const fresh = await api<{ today: string; documents: DocumentRow[] }>('GET', '/admin/documents');
    replace(listSlot, watchList(sortDocuments(fresh.documents), fresh.today));
  };
  add(root, 
    h('h1', {}, '文件与导入导出'),
    ctx.can('entries:write') ? uploadPanel(ctx, reload) : h('p', { class: 'hint' }, '上传和导入文件需要编辑或管理员角色。'),
    exportPanel(),
    listSlot,
  );
}
