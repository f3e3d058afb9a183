/** An entry's history: every version with who, when and why, and a readable diff of any two versions. */
import { api } from '../api.js';
import { h, add, replace, field, select, fmtTime, ACTION_LABELS, FIELD_LABELS, STATUS_LABELS, LEVEL_LABELS, AUDIENCE_LABELS } from '../dom.js';
import { textDiff, listDiff } from '../diff.js';
import type { Ctx } from '../main.js';
import type { AdminEntry as Entry, EntryVersion } from '../../../shared/entries.js';

/** Fields compared, in the order shown. */
const COMPARED: Array<keyof Entry> = [
  'status', 'question', 'similarQuestions', 'answer', 'keywords', 'category', 'serviceItem', 'department', 'level', 'region',
  'audience', 'effectiveFrom', 'expiresAt', 'sourceSection', 'reviewDue', 'reviewReason',
];

function shown(ctx: Ctx, key: keyof Entry, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）';
  if (key === 'status') return STATUS_LABELS[String(value)] ?? String(value);
  if (key === 'level') return LEVEL_LABELS[String(value)] ?? String(value);
  if (key === 'audience') return AUDIENCE_LABELS[String(value)] ?? String(value);
  if (key === 'category') return ctx.categoryLabel(String(value));
  if (key === 'reviewDue') return value ? '是' : '否';
  return String(value);
}

function versionDiff(ctx: Ctx, a: Entry, b: Entry): HTMLElement {
  const box = h('div', { 'data-testid': 'diff' });
  for (const key of COMPARED) {
    const before = a[key];
    const after = b[key];
    if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) continue;
    let body: HTMLElement;
    if (Array.isArray(before) || Array.isArray(after)) body = listDiff((before as string[]) ?? [], (after as string[]) ?? []);
    else if (key === 'question' || key === 'answer' || key === 'reviewReason') body = textDiff(String(before ?? ''), String(after ?? ''));
    else body = h('div', { class: 'diff' }, h('del', {}, shown(ctx, key, before)), ' → ', h('ins', {}, shown(ctx, key, after)));
    box.append(h('div', { class: 'diff-field' }, h('h4', {}, FIELD_LABELS[key] ?? key), body));
  }
  if (!box.childElementCount) box.append(h('p', { class: 'hint' }, '两个版本的内容相同（例如只是发布或关联来源）。'));
  return box;
}

export async function historyView(root: HTMLElement, ctx: Ctx, params: string[]): Promise<void> {
  const id = params[0];
  const [entry, { versions }] = await Promise.all([
    api<Entry>('GET', `/admin/entries/${encodeURIComponent(id)}`),
    api<{ versions: EntryVersion[] }>('GET', `/admin/entries/${encodeURIComponent(id)}/history`),
  ]);
  const options = versions.map((v): [string, string] => [String(v.version), `第 ${v.version} 版 · ${ACTION_LABELS[v.action] ?? v.action} · ${fmtTime(v.changedAt)}`]);
  const last = versions[versions.length - 1];
  const from = select('from', options, String(versions.length > 1 ? versions[versions.length - 2].version : last.version));
  const to = select('to', options, String(last.version));
  const diffBox = h('div', {});
  const show = () => {
    const a = versions.find((v) => String(v.version) === from.value)!;
    const b = versions.find((v) => String(v.version) === to.value)!;
    replace(diffBox, h('h2', {}, `第 ${a.version} 版 → 第 ${b.version} 版`), versionDiff(ctx, a.snapshot, b.snapshot));
  };
  from.addEventListener('change', show);
  to.addEventListener('change', show);
  show();

  const rows = [...versions].reverse().map((v) =>
    h(
      'tr',
      {},
      h('td', { class: 'num' }, String(v.version)),
      h('td', {}, ACTION_LABELS[v.action] ?? v.action),
      h('td', {}, fmtTime(v.changedAt)),
      h('td', {}, v.changedBy),
      h('td', {}, v.reason ?? ''),
      h('td', {}, h('button', {
        class: 'btn small', type: 'button', disabled: v.version === versions[0].version,
        onclick: () => {
          const i = versions.indexOf(v);
          from.value = String(versions[i - 1].version);
          to.value = String(v.version);
          show();
          diffBox.scrollIntoView({ behavior: 'smooth' });
        },
      }, '与上一版对比')),
    ),
  );

  add(root, 
    h('h1', {}, `条目 ${entry.id} 的历史版本`),
    h('p', {}, h('a', { href: `#/entries/${entry.id}` }, entry.question)),
    h(
      'div',
      { class: 'table-wrap panel' },
      h(
        'table',
        { class: 'data', 'aria-label': '版本列表' },
        h('thead', {}, h('tr', {}, ['版本', '操作', '时间', '操作人', '说明', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows),
      ),
    ),
    h('section', { class: 'panel', 'aria-label': '版本对比' }, h('div', { class: 'row' }, field('从', from), field('到', to)), diffBox),
  );
}
