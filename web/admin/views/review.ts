/** 复核队列 (每半年): entries due for review, most urgent reason first; confirm / update / archive, each with a note. */
import { api } from '../api.js';
import { h, add, replace, field, badge, fmtTime, lines, attempt } from '../dom.js';
import { renderMarkdown, renderServerHtml } from '../markdown.js';
import type { Ctx } from '../main.js';
import type { AdminEntry as Entry, Revision } from '../../../shared/entries.js';
import type { ReviewList, ReviewQueueItem } from '../../../shared/admin.js';
import { revisionDiff } from './entries.js';
import { BULK_ACTIONS, archiveAction, bulkSelection } from '../bulk.js';

/**
 * 待审核: drafts to publish and changes to published entries to approve, each with what it changes; a reviewer
 * selects some or all and publishes / approves them in one go (one transaction on the server).
 */
async function approvals(ctx: Ctx): Promise<HTMLElement> {
  const [drafts, revisions] = await Promise.all([
    api<{ total: number; items: Entry[] }>('GET', '/admin/entries?status=draft&limit=200'),
    api<{ total: number; items: Array<{ revision: Revision; entry: Entry }> }>('GET', '/admin/revisions'),
  ]);
  const canPublish = ctx.can('entries:publish');
  // drafts can be archived by their editors too; publishing and approving need entries:publish
  const archive = archiveAction(ctx);
  const actions = [...(canPublish ? [BULK_ACTIONS.publish] : []), ...(archive ? [archive] : [])];
  const bulk = bulkSelection(ctx, actions);
  const pick = (e: Entry) => (actions.length ? bulk.box(e, e.question) : null);
  const draftItems = drafts.items.map((e) =>
    h('li', { 'data-entry-id': String(e.id), 'data-kind': 'draft' }, pick(e), ' ', badge('草稿', 'warn'), ' ', h('a', { href: `#/entries/${e.id}` }, e.question), h('span', { class: 'hint' }, ` · ${ctx.categoryLabel(e.category)} · ${e.updatedBy} 更新于 ${fmtTime(e.updatedAt)}`)),
  );
  const revisionItems = revisions.items.map(({ revision, entry }) =>
    h(
      'li',
      { 'data-entry-id': String(entry.id), 'data-kind': 'revision' },
      pick({ ...entry, pendingRevision: revision }), ' ', badge('修改待审核', 'info'), ' ', h('a', { href: `#/entries/${entry.id}` }, entry.question),
      h('span', { class: 'hint' }, ` · ${revision.proposedBy} 提交于 ${fmtTime(revision.proposedAt)}${revision.reason ? ` · ${revision.reason}` : ''}`),
      h('details', {}, h('summary', {}, '查看修改'), revisionDiff(entry, revision.changes)),
    ),
  );
  const total = drafts.total + revisions.total;
  return h(
    'section',
    { class: 'panel', 'aria-label': '待审核' },
    h('h2', {}, `待审核：草稿 ${drafts.total} 条，已发布条目的修改 ${revisions.total} 条`),
    h('p', { class: 'hint' }, '草稿发布前不作答；已发布条目的修改批准前，市民仍看到原来的内容。'),
    total && actions.length ? h('div', { class: 'actions' }, bulk.selectAll, bulk.bar) : null,
    canPublish ? null : h('p', { class: 'hint' }, '发布和批准需要审核或管理员角色。'),
    revisionItems.length ? h('ul', { class: 'list-plain', 'aria-label': '待审核的修改' }, revisionItems) : null,
    draftItems.length ? h('ul', { class: 'list-plain', 'aria-label': '待发布的草稿' }, draftItems) : null,
    total ? null : h('p', { class: 'hint' }, '没有待发布的草稿或待审核的修改。'),
  );
}

const ACTIONS: Record<string, string> = { confirm: '确认无误', update: '修改', archive: '归档' };

/** The review form of one entry: its current content, a note, and the three actions. */
async function reviewForm(ctx: Ctx, item: ReviewQueueItem, done: () => void): Promise<HTMLElement> {
  const [entry, live] = await Promise.all([
    api<Entry>('GET', `/admin/entries/${item.entryId}`),
    // what citizens see now: the server's own rendering (sanitised there, and again here)
    api<{ html: string }>('GET', `/entries/${item.entryId}`).catch(() => null),
  ]);
  const note = h('textarea', { rows: 2, maxlength: 1000, required: true, placeholder: '例如：政策仍有效，答复口径无变化' });
  const question = h('input', { value: entry.question });
  const similar = h('textarea', { rows: 3, value: entry.similarQuestions.join('\n') });
  const answer = h('textarea', { rows: 8, value: entry.answer });
  const preview = h('div', { class: 'preview', 'aria-label': '答案' }, live ? renderServerHtml(live.html) : renderMarkdown(entry.answer));
  answer.addEventListener('input', () => replace(preview, renderMarkdown(answer.value)));
  const editBox = h('div', { hidden: true }, field('问题', question), field('相似问法（每行一个）', similar), field('答案（Markdown）', answer));
  const error = h('p', { class: 'error', role: 'alert' });

  async function act(action: 'confirm' | 'update' | 'archive'): Promise<void> {
    if (!note.value.trim()) {
      error.textContent = '请填写复核说明';
      note.focus();
      return;
    }
    const body: Record<string, unknown> = { action, note: note.value.trim() };
    if (action === 'update') {
      const changes: Record<string, unknown> = {};
      if (question.value.trim() !== entry.question) changes.question = question.value.trim();
      if (JSON.stringify(lines(similar.value)) !== JSON.stringify(entry.similarQuestions)) changes.similarQuestions = lines(similar.value);
      if (answer.value.trim() !== entry.answer) changes.answer = answer.value.trim();
      if (!Object.keys(changes).length) {
        error.textContent = '没有修改内容：请先修改问题、相似问法或答案，或选择“确认无误”';
        return;
      }
      body.changes = changes;
    }
    body.version = entry.version;
    if (await attempt(() => api('POST', `/admin/reviews/${entry.id}`, body), `已${ACTIONS[action]}`)) done();
  }

  /** The source's change is right: it goes live, and the entry counts as reviewed. */
  async function approveAndConfirm(): Promise<void> {
    if (!note.value.trim()) {
      error.textContent = '请填写复核说明';
      note.focus();
      return;
    }
    // one request, one transaction: the change goes live and the entry counts as reviewed, or neither
    const body = { action: 'confirm', approvePending: true, note: note.value.trim(), version: entry.version };
    if (await attempt(() => api('POST', `/admin/reviews/${entry.id}`, body), '已批准修改并确认，智能客服即刻按新内容作答')) done();
  }

  const editToggle = h('button', { class: 'btn', type: 'button', onclick: () => { editBox.hidden = !editBox.hidden; updateButton.hidden = editBox.hidden; } }, '修改内容…');
  const updateButton = h('button', { class: 'btn primary', type: 'button', hidden: true, onclick: () => void act('update') }, '保存修改并复核');
  const meta = h('div', { class: 'meta' }, h('span', {}, `第 ${entry.version} 版 · ${entry.department ?? '未填写责任单位'} · 发布于 ${fmtTime(entry.publishedAt)}`), h('a', { href: `#/entries/${entry.id}/history` }, '历史版本'));
  // The change the source file made, if it waits for approval: approve or reject it in the 待审核 list above.
  const change = entry.pendingRevision
    ? h('div', { class: 'pending', 'data-testid': 'review-diff' }, h('h4', {}, `待审核的修改（${entry.pendingRevision.proposedBy} 提交）`), revisionDiff(entry, entry.pendingRevision.changes))
    : null;
  if (!ctx.can('review')) return h('div', { class: 'subform' }, meta, change, preview);
  // Reviewers approve and do not write: editing content here is for administrators (editors edit on the entry page).
  const canEdit = ctx.can('entries:write');
  return h(
    'div',
    { class: 'subform' },
    meta,
    change,
    preview,
    editBox,
    field('复核说明', note),
    error,
    h(
      'div',
      { class: 'actions' },
      entry.pendingRevision && ctx.can('entries:publish') ? h('button', { class: 'btn primary', type: 'button', onclick: () => void approveAndConfirm() }, '批准修改并确认') : null,
      h('button', { class: entry.pendingRevision ? 'btn' : 'btn primary', type: 'button', onclick: () => void act('confirm') }, '确认无误'),
      canEdit ? editToggle : null,
      canEdit ? updateButton : null,
      h('button', { class: 'btn danger', type: 'button', onclick: () => void act('archive') }, '归档'),
    ),
  );
}

export async function reviewView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const [queue, done] = await Promise.all([
    api<{ total: number; items: ReviewQueueItem[] }>('GET', '/admin/reviews/queue?limit=200'),
    api<ReviewList>('GET', '/admin/reviews?limit=50'),
  ]);
  const canReview = ctx.can('review');
  const items = queue.items.map((item) => {
    const slot = h('div', {});
    const open = h('button', {
      class: 'btn small', type: 'button', 'aria-expanded': 'false',
      onclick: async () => {
        if (slot.childElementCount) {
          slot.replaceChildren();
          open.setAttribute('aria-expanded', 'false');
          return;
        }
        const form = await attempt(() => reviewForm(ctx, item, () => ctx.refresh()));
        if (form) {
          slot.append(form);
          open.setAttribute('aria-expanded', 'true');
        }
      },
    }, canReview ? '复核' : '查看');
    return h(
      'article',
      { class: 'item', 'aria-label': item.question },
      h(
        'div',
        { class: 'item-head' },
        h('h3', {}, h('a', { href: `#/entries/${item.entryId}` }, item.question)),
        badge(item.reason ?? '待复核', /替代|失效|过期|过失效/.test(item.reason ?? '') ? 'bad' : 'warn'),
        open,
      ),
      h('p', { class: 'hint' }, `${ctx.categoryLabel(item.category)} · ${item.department ?? '未填写责任单位'} · 上次复核 ${fmtTime(item.lastReviewedAt)}`),
      slot,
    );
  });
  add(root, 
    h('h1', {}, '复核队列'),
    await approvals(ctx),
    h('p', { class: 'hint' }, '每半年检查一次常用问答的政策时效和答复有效性；来源文件被替代、失效或更新的条目立即进入队列。待复核的条目照常作答，直到有人处理。'),
    canReview ? null : h('p', { class: 'hint' }, '您的角色可以查看队列，复核操作需要审核或管理员角色。'),
    h('p', { role: 'status' }, `待复核 ${queue.total} 条`),
    items.length ? items : h('p', { class: 'panel' }, '没有待复核的条目。'),
    h(
      'section',
      { class: 'panel', 'aria-label': '本半年复核记录' },
      h('h2', {}, `${done.halfYear} 复核记录（确认 ${done.byAction.confirm ?? 0} · 修改 ${done.byAction.update ?? 0} · 归档 ${done.byAction.archive ?? 0}）`),
      done.items.length
        ? h('ul', { class: 'list-plain' }, done.items.map((r) => h('li', {}, `${fmtTime(r.reviewedAt)} ${r.reviewer} ${ACTIONS[r.action]}：`, h('a', { href: `#/entries/${r.entryId}` }, r.question), h('span', { class: 'hint' }, ` — ${r.note}`))))
        : h('p', { class: 'hint' }, '本半年还没有复核记录。'),
    ),
  );
}
