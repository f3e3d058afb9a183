/** 知识条目: search and filter the entries; edit one with a live Markdown preview, similar entries, publish, archive. */
import { api, query } from '../api.js';
import {
  h, add, replace, field, select, badge, statusBadge, fmtTime, lines, attempt, askText, debounce, toast,
  STATUS_LABELS, LEVEL_LABELS, AUDIENCE_LABELS, ORIGIN_LABELS, FIELD_LABELS,
} from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import type { Ctx } from '../main.js';
import type { AdminEntry as Entry } from '../../../shared/entries.js';
import type { HitTest, DocumentRow } from '../../../shared/admin.js';
import { ApiError } from '../api.js';
import { textDiff, listDiff } from '../diff.js';
import { BULK_ACTIONS, archiveAction, bulkSelection } from '../bulk.js';

/** The entry as it will be once its pending revision is approved. */
export function withPending(entry: Entry): Entry {
  return entry.pendingRevision ? ({ ...entry, ...entry.pendingRevision.changes } as Entry) : entry;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.join('\n');
  return value === null || value === undefined ? '' : String(value);
}

/** Field by field, what a pending revision changes in the published entry. */
export function revisionDiff(published: Entry, changes: Partial<Entry>): HTMLElement {
  const before = published as unknown as Record<string, unknown>;
  return h(
    'dl',
    { class: 'revision-diff' },
    Object.entries(changes).flatMap(([k, v]) => [
      h('dt', {}, FIELD_LABELS[k] ?? k),
      h('dd', {}, Array.isArray(v) ? listDiff((before[k] as string[]) ?? [], v as string[]) : textDiff(show(before[k]), show(v))),
    ]),
  );
}

const PAGE = 50;

interface ListFilter {
  q: string;
  category: string;
  status: string;
  department: string;
  level: string;
  reviewDue: boolean;
  offset: number;
}

/** Kept while the page is open, so coming back from an entry shows the same list. */
const filter: ListFilter = { q: '', category: '', status: '', department: '', level: '', reviewDue: false, offset: 0 };

export async function entriesView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const facets = await api<{ departments: string[] }>('GET', '/admin/entry-facets');
  const q = h('input', { type: 'search', name: 'q', value: filter.q, placeholder: '问题、相似问法、答案或关键词' });
  const category = select('category', [['', '全部分类'], ...ctx.categories.map((c): [string, string] => [c.code, c.label])], filter.category);
  const status = select('status', [['', '全部状态'], ...Object.entries(STATUS_LABELS)], filter.status);
  const department = select('department', [['', '全部责任单位'], ...facets.departments.map((d): [string, string] => [d, d])], filter.department);
  const level = select('level', [['', '全部层级'], ...Object.entries(LEVEL_LABELS)], filter.level);
  const reviewDue = h('input', { type: 'checkbox', name: 'reviewDue', checked: filter.reviewDue });
  const results = h('div', {});

  async function load(): Promise<void> {
    const { total, items } = await api<{ total: number; items: Entry[] }>(
      'GET',
      `/admin/entries${query({ q: filter.q, category: filter.category, status: filter.status, department: filter.department, level: filter.level, reviewDue: filter.reviewDue ? 'true' : '', limit: PAGE, offset: filter.offset })}`,
    );
    // bulk actions offered by role; each action counts only the selected rows it applies to
    const archive = archiveAction(ctx);
    const actions = [
      ...(ctx.can('entries:publish') ? [BULK_ACTIONS.publish] : []),
      ...(archive ? [archive] : []),
      ...(ctx.can('entries:flag') ? [BULK_ACTIONS.flag] : []),
    ];
    const bulk = bulkSelection(ctx, actions);
    const rows = items.map((e) =>
      h(
        'tr',
        { 'data-entry-id': String(e.id) },
        actions.length ? h('td', {}, bulk.box(e, e.question)) : null,
        h('td', { class: 'num' }, String(e.id)),
        h('td', {}, h('a', { href: `#/entries/${e.id}` }, e.question), e.reviewDue ? [' ', badge('待复核', 'warn')] : null, e.pendingRevision ? [' ', badge('修改待审核', 'info')] : null),
        h('td', {}, ctx.categoryLabel(e.category)),
        h('td', {}, statusBadge(e.status)),
        h('td', {}, e.department ?? '—'),
        h('td', {}, `${LEVEL_LABELS[e.level]} · ${e.region}`),
        h('td', {}, fmtTime(e.updatedAt)),
      ),
    );
    const prev = h('button', { class: 'btn small', type: 'button', disabled: filter.offset === 0, onclick: () => page(-PAGE) }, '上一页');
    const next = h('button', { class: 'btn small', type: 'button', disabled: filter.offset + PAGE >= total, onclick: () => page(PAGE) }, '下一页');
    replace(
      results,
      h('p', { class: 'hint', role: 'status' }, `共 ${total} 条`),
      actions.length && rows.length ? h('div', { class: 'actions' }, bulk.selectAll, bulk.bar) : null,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data', 'aria-label': '条目列表' },
          h('thead', {}, h('tr', {}, actions.length ? h('th', { scope: 'col' }, '选择') : null, ['编号', '问题', '分类', '状态', '责任单位', '层级', '更新时间'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: actions.length ? 8 : 7 }, '没有符合条件的条目'))),
        ),
      ),
      total > PAGE ? h('div', { class: 'pager' }, prev, h('span', { class: 'hint' }, `第 ${filter.offset / PAGE + 1} / ${Math.ceil(total / PAGE)} 页`), next) : null,
    );
  }
  const page = (delta: number) => {
    filter.offset = Math.max(0, filter.offset + delta);
    void attempt(load);
  };

  const form = h(
    'form',
    { class: 'panel', role: 'search', 'aria-label': '筛选条目' },
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'grow' }, field('搜索', q)),
      field('分类', category),
      field('状态', status),
      field('责任单位', department),
      field('层级', level),
      h('div', { class: 'field' }, h('label', { class: 'check' }, reviewDue, '只看待复核')),
      h('div', { class: 'field' }, h('button', { class: 'btn primary', type: 'submit' }, '查询')),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(filter, { q: q.value.trim(), category: category.value, status: status.value, department: department.value, level: level.value, reviewDue: reviewDue.checked, offset: 0 });
    void attempt(load);
  });
  add(root, 
    h('div', { class: 'row' }, h('h1', { class: 'grow' }, '知识条目'), ctx.can('entries:write') ? h('a', { class: 'btn primary', href: '#/entries/new' }, '新建条目') : null),
    form,
    results,
  );
  await load();
}

const EMPTY: Partial<Entry> = { category: 'faq', level: 'city', region: '上海市', audience: 'all', similarQuestions: [], keywords: [] };

let documentCache: DocumentRow[] | null = null;
async function documentTitle(id: number): Promise<string> {
  if (!documentCache) documentCache = (await api<{ documents: DocumentRow[] }>('GET', '/admin/documents')).documents;
  const doc = documentCache.find((d) => d.id === id);
  return doc ? `${doc.title}${doc.docNumber ? `（${doc.docNumber}）` : ''}` : `文件 ${id}`;
}

/** #/entries/new or #/entries/:id */
export async function entryView(root: HTMLElement, ctx: Ctx, params: string[]): Promise<void> {
  const isNew = params[0] === 'new';
  if (isNew && !ctx.can('entries:write')) {
    add(root, h('p', {}, '您的角色不能新建条目。'));
    return;
  }
  let entry: Entry | null = isNew ? null : await api<Entry>('GET', `/admin/entries/${encodeURIComponent(params[0])}`);
  // A published entry with a change waiting for review is edited on top of that change (nothing is lost).
  const base: Entry | null = entry ? withPending(entry) : null;
  const value = base ?? (EMPTY as Entry);
  const editable = ctx.can('entries:write') && value.status !== 'archived';
  const ro = !editable;

  const question = h('input', { name: 'question', value: value.question ?? '', required: true, maxlength: 500, disabled: ro });
  const similar = h('textarea', { name: 'similarQuestions', rows: 4, disabled: ro, value: (value.similarQuestions ?? []).join('\n') });
  const answer = h('textarea', { name: 'answer', rows: 14, required: true, disabled: ro, value: value.answer ?? '' });
  const category = select('category', ctx.categories.map((c): [string, string] => [c.code, c.label]), value.category, { disabled: ro });
  const audience = select('audience', Object.entries(AUDIENCE_LABELS), value.audience, { disabled: ro });
  const level = select('level', Object.entries(LEVEL_LABELS), value.level, { disabled: ro });
  const region = h('input', { name: 'region', value: value.region ?? '上海市', disabled: ro });
  const serviceItem = h('input', { name: 'serviceItem', value: value.serviceItem ?? '', disabled: ro });
  const department = h('input', { name: 'department', value: value.department ?? '', disabled: ro });
  const keywords = h('input', { name: 'keywords', value: (value.keywords ?? []).join('、'), disabled: ro });
  const effectiveFrom = h('input', { name: 'effectiveFrom', type: 'date', value: value.effectiveFrom ?? '', disabled: ro });
  const expiresAt = h('input', { name: 'expiresAt', type: 'date', value: value.expiresAt ?? '', disabled: ro });
  const reason = h('input', { name: 'reason', maxlength: 500, placeholder: '例如：按新口径更新办理时限' });

  const preview = h('div', { class: 'preview', 'aria-live': 'polite', 'data-testid': 'answer-preview' });
  const showPreview = () => replace(preview, answer.value.trim() ? renderMarkdown(answer.value) : h('p', { class: 'hint' }, '（答案预览）'));
  answer.addEventListener('input', showPreview);
  showPreview();

  // Similar entries already in the KB: a hit test of the question (what a citizen asking it would get).
  const similarBox = h('div', { 'aria-live': 'polite' });
  const findSimilar = debounce(async () => {
    const text = question.value.trim();
    if (!text) return replace(similarBox, h('p', { class: 'hint' }, '填写问题后显示知识库中相近的条目。'));
    try {
      const hit = await api<HitTest>('POST', '/admin/hit-test', { question: text });
      const others = hit.candidates.filter((c) => c.entryId !== entry?.id).slice(0, 5);
      replace(
        similarBox,
        others.length
          ? h('ul', { class: 'list-plain' }, others.map((c) => h('li', {}, h('a', { href: `#/entries/${c.entryId}` }, c.question), h('span', { class: 'hint' }, ` · 得分 ${c.score.toFixed(2)}`))))
          : h('p', { class: 'hint' }, '没有相近的条目。'),
      );
    } catch {
      replace(similarBox, h('p', { class: 'hint' }, '暂时无法查询相近条目。'));
    }
  }, 500);
  if (ctx.can('hit-test')) {
    question.addEventListener('input', findSimilar);
    findSimilar();
  }

  let dirty = false;
  const markDirty = () => (dirty = true);
  for (const c of [question, similar, answer, category, audience, level, region, serviceItem, department, keywords, effectiveFrom, expiresAt]) c.addEventListener('input', markDirty);

  const fields = () => ({
    question: question.value.trim(),
    similarQuestions: lines(similar.value),
    answer: answer.value.trim(),
    category: category.value,
    audience: audience.value,
    level: level.value,
    region: region.value.trim(),
    serviceItem: serviceItem.value.trim() || null,
    department: department.value.trim() || null,
    keywords: keywords.value.split(/[、,，;；\s]+/).map((k) => k.trim()).filter(Boolean),
    effectiveFrom: effectiveFrom.value || null,
    expiresAt: expiresAt.value || null,
  });

  /** For an existing entry only what changed (each save is a version in the history). */
  function changes(): Record<string, unknown> {
    const all: Record<string, unknown> = fields();
    if (!base) return all;
    const current = base as unknown as Record<string, unknown>;
    return Object.fromEntries(Object.entries(all).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(current[k] ?? null)));
  }

  async function save(): Promise<Entry | undefined> {
    const changed = changes();
    if (entry && !Object.keys(changed).length) {
      toast('没有需要保存的修改');
      dirty = false;
      return entry;
    }
    const note = reason.value.trim() ? { reason: reason.value.trim() } : {};
    if (!entry) {
      const created = await attempt(() => api<Entry>('POST', '/admin/entries', { ...changed, ...note }), '已保存为草稿，发布前不会作答');
      if (created) {
        dirty = false;
        ctx.go(`#/entries/${created.id}`);
      }
      return created;
    }
    return send(changed, note, entry.version);
  }

  /** PATCH based on a version; a 409 opens the merge panel instead of losing either side's work. */
  async function send(changed: Record<string, unknown>, note: Record<string, unknown>, version: number): Promise<Entry | undefined> {
    try {
      const saved = await api<Entry>('PATCH', `/admin/entries/${entry!.id}`, { ...changed, ...note, version });
      toast(saved.waitingForReview ? '已提交修改，等待审核人员批准后上线；在此之前市民仍看到原来的内容' : saved.status === 'draft' ? '已保存草稿，发布前不会作答' : '已保存');
      dirty = false;
      reason.value = '';
      entry = saved;
      ctx.refresh();
      return saved;
    } catch (err) {
      const e = err as ApiError;
      if (e instanceof ApiError && e.status === 409 && e.body.current) {
        showConflict(changed, note, e.body.current as Entry, e.message);
        return undefined;
      }
      toast(e.message, 'error');
      return undefined;
    }
  }

  const conflictSlot = h('div', { 'aria-live': 'assertive' });
  function showConflict(mine: Record<string, unknown>, note: Record<string, unknown>, current: Entry, message: string): void {
    const now = withPending(current);
    const keep = h('button', {
      class: 'btn primary', type: 'button', 'data-testid': 'keep-mine',
      onclick: async () => {
        keep.disabled = true;
        if (await send(mine, note, current.version)) replace(conflictSlot);
        keep.disabled = false;
      },
    }, '在当前版本上保留我的修改');
    const take = h('button', { class: 'btn', type: 'button', 'data-testid': 'take-current', onclick: () => { dirty = false; ctx.refresh(); } }, '采用当前内容，放弃我的修改');
    replace(
      conflictSlot,
      h(
        'section',
        { class: 'panel conflict', role: 'alert', 'aria-label': '修改冲突', 'data-testid': 'conflict' },
        h('h2', {}, '保存冲突：这条条目已被别人修改'),
        h('p', {}, message),
        h('div', { class: 'table-wrap' }, h(
          'table',
          { class: 'data', 'aria-label': '我的修改与当前内容' },
          h('thead', {}, h('tr', {}, ['字段', '我的修改', '当前内容', '差异（当前 → 我的）'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, Object.keys(mine).map((k) => {
            const a = show((now as unknown as Record<string, unknown>)[k]);
            const b = show(mine[k]);
            return h('tr', { 'data-field': k }, h('th', { scope: 'row' }, FIELD_LABELS[k] ?? k), h('td', { 'data-testid': 'mine' }, b), h('td', { 'data-testid': 'current' }, a), h('td', {}, textDiff(a, b)));
          })),
        )),
        h('p', { class: 'hint' }, '“保留我的修改”只改上表中的字段，其余字段采用当前内容；已发布的条目仍须审核后上线。'),
        h('div', { class: 'actions' }, keep, take),
      ),
    );
    conflictSlot.scrollIntoView?.({ block: 'start' });
  }

  const form = h('form', { class: 'panel', 'aria-label': '编辑条目' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save();
  });

  const buttons: HTMLElement[] = [];
  if (editable) buttons.push(h('button', { class: 'btn primary', type: 'submit' }, !entry ? '保存为草稿' : entry.status === 'published' ? '提交修改（审核后上线）' : '保存修改'));
  if (entry && entry.status === 'draft' && ctx.can('entries:publish')) {
    const publish = h('button', {
      class: 'btn primary', type: 'button',
      onclick: async () => {
        if (dirty && editable && !(await save())) return;
        const published = await attempt(() => api<Entry>('POST', `/admin/entries/${entry!.id}/publish`, { version: entry!.version }), '已发布，智能客服即刻按新内容作答');
        if (published) ctx.refresh();
      },
    }, '发布');
    // Unsaved edits are saved first: say so on the button.
    form.addEventListener('input', () => (publish.textContent = dirty && editable ? '保存并发布' : '发布'));
    buttons.push(publish);
  }
  if (entry?.pendingRevision && ctx.can('entries:publish')) {
    buttons.push(
      h('button', {
        class: 'btn primary', type: 'button',
        onclick: async () => {
          if (await attempt(() => api<Entry>('POST', `/admin/entries/${entry!.id}/revision/approve`, { version: entry!.version }), '已批准，智能客服即刻按新内容作答')) ctx.refresh();
        },
      }, '批准修改并上线'),
      h('button', {
        class: 'btn', type: 'button',
        onclick: async () => {
          const why = await askText('退回修改', '退回原因（告诉提交人）', { confirm: '退回' });
          if (why && (await attempt(() => api('POST', `/admin/entries/${entry!.id}/revision/reject`, { reason: why, version: entry!.version }), '已退回，继续使用已发布的内容'))) ctx.refresh();
        },
      }, '退回修改'),
    );
  }
  // Archiving a published entry takes an answer away from citizens: reviewers decide that.
  if (entry && entry.status !== 'archived' && ctx.can(entry.status === 'published' ? 'entries:publish' : 'entries:write')) {
    buttons.push(
      h('button', {
        class: 'btn danger', type: 'button',
        onclick: async () => {
          const why = await askText('归档条目', '归档原因', { confirm: '归档' });
          if (why && (await attempt(() => api('POST', `/admin/entries/${entry!.id}/archive`, { reason: why, version: entry!.version }), '已归档'))) ctx.refresh();
        },
      }, '归档'),
    );
  }
  if (entry) buttons.push(h('a', { class: 'btn', href: `#/entries/${entry.id}/history` }, '历史版本'));
  buttons.push(h('a', { class: 'btn', href: '#/entries' }, '返回列表'));

  add(form, 
    field('问题', question),
    field('相似问法（每行一个）', similar),
    field('答案（Markdown）', answer),
    h(
      'div',
      { class: 'grid2' },
      field('分类', category), field('对象', audience), field('层级', level), field('区域', region), field('事项', serviceItem),
      field('责任单位', department), field('关键词（用顿号或逗号分隔）', keywords), field('生效日期', effectiveFrom), field('失效日期', expiresAt),
    ),
    editable && entry ? field('修改说明（记入历史）', reason) : null,
    h('div', { class: 'actions' }, buttons),
  );

  const meta = h('div', { class: 'meta' });
  if (entry) {
    add(meta, 
      statusBadge(entry.status),
      entry.reviewDue ? badge(`待复核：${entry.reviewReason ?? ''}`, 'warn') : null,
      h('span', {}, `第 ${entry.version} 版 · ${ORIGIN_LABELS[entry.origin] ?? entry.origin} · ${entry.updatedBy} 更新于 ${fmtTime(entry.updatedAt)}`),
      entry.lastReviewedAt ? h('span', {}, `上次复核 ${fmtTime(entry.lastReviewedAt)}`) : null,
    );
    if (entry.documentId) {
      const where = h('span', {}, `来源：文件 ${entry.documentId}`);
      add(meta, where);
      void documentTitle(entry.documentId).then((t) => (where.textContent = `来源：${t}${entry?.sourceSection ? ` ${entry.sourceSection}` : ''}`)).catch(() => undefined);
    }
  }

  const pending = entry?.pendingRevision
    ? h(
        'section',
        { class: 'panel pending', 'aria-label': '待审核的修改', 'data-testid': 'pending-revision' },
        h('h2', {}, '有待审核的修改'),
        h('p', {}, `${entry.pendingRevision.proposedBy} 于 ${fmtTime(entry.pendingRevision.proposedAt)} 提交${entry.pendingRevision.reason ? `（${entry.pendingRevision.reason}）` : ''}。审核人员批准前，市民仍看到已发布的内容；下面的编辑框显示的是修改后的内容。`),
        revisionDiff(entry, entry.pendingRevision.changes),
      )
    : null;
  add(root, 
    h('h1', {}, entry ? `条目 ${entry.id}` : '新建条目'),
    meta,
    conflictSlot,
    pending,
    !editable && entry?.status !== 'archived' ? h('p', { class: 'hint' }, '您的角色只能查看条目内容。') : null,
    h(
      'div',
      { class: 'editor' },
      form,
      h(
        'div',
        {},
        h('section', { class: 'panel', 'aria-label': '答案预览' }, h('h2', {}, '答案预览'), preview),
        ctx.can('hit-test') ? h('section', { class: 'panel', 'aria-label': '相近条目' }, h('h2', {}, '知识库中相近的条目'), similarBox) : null,
      ),
    ),
  );
  if (isNew) question.focus();
}
