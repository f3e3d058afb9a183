/** Small DOM helpers, labels and formatting shared by the views. Text is always set as text, never as HTML. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** h('button', { class: 'btn', onclick: fn, disabled: true }, '保存') */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'value' && 'value' in node) (node as HTMLInputElement).value = String(v);
    else if (k === 'checked' && node instanceof HTMLInputElement) node.checked = Boolean(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

/** Appends children, skipping null / undefined / false (native append does not). */
export function add(node: Node, ...children: Array<Child | Child[]>): void {
  append(node, children);
}

function append(node: Node, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replace(node: Element, ...children: Array<Child | Child[]>): void {
  node.replaceChildren();
  append(node, children);
}

let fieldIds = 0;

/** A labelled control: <div class="field"><label for>label</label>control</div> (the label names just the control). */
export function field(label: string, control: HTMLElement, hint?: string): HTMLDivElement {
  if (!control.id) control.id = `field-${++fieldIds}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

export function select(name: string, options: Array<[string, string]>, value: string | null | undefined, attrs: Attrs = {}): HTMLSelectElement {
  return h('select', { name, ...attrs }, options.map(([v, label]) => h('option', { value: v, selected: v === (value ?? '') }, label)));
}

export function badge(text: string, kind: '' | 'ok' | 'warn' | 'bad' | 'info' = ''): HTMLSpanElement {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

export const STATUS_LABELS: Record<string, string> = { draft: '草稿', published: '已发布', archived: '已归档' };
export const STATUS_KIND: Record<string, '' | 'ok' | 'warn' | 'bad' | 'info'> = { draft: 'warn', published: 'ok', archived: '' };
export const LEVEL_LABELS: Record<string, string> = { city: '市级', district: '区级' };
export const AUDIENCE_LABELS: Record<string, string> = { all: '全部', enterprise: '企业', individual: '个人' };
export const ORIGIN_LABELS: Record<string, string> = { ingest: '政策文件生成', manual: '手工编写', agent: '人工帮办', 'gap-fill': '查遗补缺', import: '问答表导入' };
export const ACTION_LABELS: Record<string, string> = {
  create: '新建', update: '修改', publish: '发布', unpublish: '退回草稿', archive: '归档', link: '关联来源', 'flag-review': '标记待复核', review: '复核',
};
export const OUTCOME_LABELS: Record<string, string> = { answered: '直接作答', suggest: '猜你想问', no_answer: '未能作答', out_of_scope: '超出范围' };
export const FIELD_LABELS: Record<string, string> = {
  question: '问题', similarQuestions: '相似问法', answer: '答案', keywords: '关键词', category: '分类', serviceItem: '事项',
  department: '责任单位', level: '层级', region: '区域', audience: '对象', effectiveFrom: '生效日期', expiresAt: '失效日期',
  sourceSection: '来源章节', status: '状态', reviewDue: '待复核', reviewReason: '复核原因', documentId: '来源文件',
};

export function statusBadge(status: string): HTMLSpanElement {
  return badge(STATUS_LABELS[status] ?? status, STATUS_KIND[status] ?? '');
}

/** An ISO instant as Shanghai local time, "2026-07-01 10:00". */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

export function pct(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}

/** Splits a textarea into its non-empty trimmed lines. */
export function lines(text: string): string[] {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

export function toast(message: string, kind: 'info' | 'error' = 'info'): void {
  const box = document.getElementById('toasts');
  if (!box) return;
  const t = h('div', { class: `toast ${kind === 'error' ? 'error' : ''}`.trim(), role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

/** Runs an action, reporting its error as a toast; returns its result or undefined. */
export async function attempt<T>(fn: () => Promise<T>, done?: string): Promise<T | undefined> {
  try {
    const out = await fn();
    if (done) toast(done);
    return out;
  } catch (err) {
    toast((err as Error).message, 'error');
    return undefined;
  }
}

/** A modal asking for one line of text (a reason, a note). Resolves null when cancelled. */
export function askText(title: string, label: string, opts: { required?: boolean; confirm?: string; value?: string } = {}): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('textarea', { rows: 3, maxlength: 500, required: opts.required ?? true, value: opts.value ?? '' });
    const error = h('p', { class: 'error', role: 'alert' });
    const dialog = h('dialog', { 'aria-label': title });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, title),
      field(label, input),
      error,
      h('div', { class: 'actions' }, h('button', { class: 'btn primary', type: 'submit', value: 'ok' }, opts.confirm ?? '确定'), h('button', { class: 'btn', type: 'button', onclick: () => dialog.close('') }, '取消')),
    );
    form.addEventListener('submit', (e) => {
      if ((opts.required ?? true) && !input.value.trim()) {
        e.preventDefault();
        error.textContent = `请填写${label}`;
      }
    });
    dialog.append(form);
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok';
      dialog.remove();
      resolve(ok ? input.value.trim() : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** Debounces a function (typeahead-style inputs). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let t: number | undefined;
  return (...args: A) => {
    window.clearTimeout(t);
    t = window.setTimeout(() => fn(...args), ms);
  };
}
