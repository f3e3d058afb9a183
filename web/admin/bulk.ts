/** Selecting entries in a list and acting on the selection (publish / approve, archive, send to review), with a count and a confirmation. */
import { api } from './api.js';
import { h, attempt, askText, toast } from './dom.js';
import type { Ctx } from './main.js';

export interface Selectable {
  id: number;
  version: number;
  status: string;
  pendingRevision?: unknown;
}

export interface BulkAction {
  label: string;
  testId: string;
  path: string;
  /** The question of the confirmation; with `reason`, the dialog asks for it. */
  confirm: (n: number) => string;
  reason?: string;
  danger?: boolean;
  applies: (e: Selectable) => boolean;
}

export const BULK_ACTIONS = {
  publish: {
    label: '发布 / 批准所选', testId: 'publish-selected', path: '/admin/entries/publish-selected',
    confirm: (n: number) => `发布或批准所选的 ${n} 条？确认后市民即刻得到新内容。`, applies: (e: Selectable) => e.status === 'draft' || (e.status === 'published' && Boolean(e.pendingRevision)),
  },
  flag: {
    label: '送复核所选', testId: 'flag-selected', path: '/admin/entries/flag-selected', reason: '送复核的原因',
    confirm: (n: number) => `把所选的 ${n} 条送复核？复核前照常作答。`, applies: (e: Selectable) => e.status === 'published',
  },
} satisfies Record<string, BulkAction>;

/** Archiving as the single action allows it: a published entry by a reviewer, a draft by an editor. */
export function archiveAction(ctx: Ctx): BulkAction | null {
  const mayPublish = ctx.can('entries:publish');
  const mayWrite = ctx.can('entries:write');
  if (!mayPublish && !mayWrite) return null;
  return {
    label: '归档所选', testId: 'archive-selected', path: '/admin/entries/archive-selected', danger: true, reason: '归档原因',
    confirm: (n: number) => `归档所选的 ${n} 条？归档后智能客服不再用它们作答。`,
    applies: (e) => (e.status === 'published' ? mayPublish : e.status === 'draft' && mayWrite),
  };
}

/**
 * Checkboxes for the rows and a bar of actions. Each button shows how many selected rows it applies to and asks for
 * confirmation; the server does all of them in one transaction or none.
 */
export function bulkSelection(ctx: Ctx, actions: BulkAction[]): { box(e: Selectable, label: string): HTMLInputElement; bar: HTMLElement; selectAll: HTMLElement } {
  const rows: Array<{ box: HTMLInputElement; entry: Selectable }> = [];
  const buttons = actions.map((a) => {
    const b = h('button', { class: `btn ${a.danger ? 'danger' : 'primary'}`, type: 'button', disabled: true, 'data-testid': a.testId }, a.label);
    b.addEventListener('click', () => void run(a, b));
    return b;
  });
  const chosen = (a: BulkAction) => rows.filter((r) => r.box.checked && a.applies(r.entry)).map((r) => r.entry);
  function count(): void {
    actions.forEach((a, i) => {
      const n = chosen(a).length;
      buttons[i].disabled = n === 0;
      buttons[i].textContent = n ? `${a.label}（${n} 条）` : a.label;
    });
  }
  async function run(a: BulkAction, button: HTMLButtonElement): Promise<void> {
    const items = chosen(a).map(({ id, version }) => ({ id, version }));
    if (!items.length) return;
    let reason: string | null = null;
    if (a.reason) {
      reason = await askText(a.confirm(items.length), a.reason, { confirm: `确认（${items.length} 条）` });
      if (reason === null) return;
    } else if (!window.confirm(a.confirm(items.length))) return;
    button.disabled = true;
    const out = await attempt(() => api<{ message: string }>('POST', a.path, reason === null ? { items } : { items, reason }));
    if (out) {
      toast(out.message);
      ctx.refresh();
    } else count();
  }
  const all = h('input', { type: 'checkbox', 'aria-label': '全选' });
  all.addEventListener('change', () => {
    for (const r of rows) r.box.checked = all.checked;
    count();
  });
  return {
    box(entry, label) {
      const box = h('input', { type: 'checkbox', 'aria-label': `选择：${label}` });
      box.addEventListener('change', count);
      rows.push({ box, entry });
      return box;
    },
    bar: h('div', { class: 'actions', role: 'group', 'aria-label': '批量操作' }, buttons),
    selectAll: h('label', { class: 'check' }, all, '全选'),
  };
}
