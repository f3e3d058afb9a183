/** 查遗补缺: unanswered questions clustered into gaps, due 5 working days after the first ask; fill or dismiss. */
import { api, query } from '../api.js';
import { h, add, replace, field, select, badge, fmtTime, lines, attempt, askText, toast, AUDIENCE_LABELS } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import type { Ctx } from '../main.js';
import type { GapView, HitTest, PhrasingProposal } from '../../../shared/admin.js';

const TABS: Array<{ key: string; label: string; params: Record<string, string> }> = [
  { key: 'open', label: '待补', params: { state: 'open' } },
  { key: 'soon', label: '即将到期', params: { due: 'soon' } },
  { key: 'overdue', label: '已超期', params: { due: 'overdue' } },
  { key: 'filled', label: '已补', params: { state: 'filled' } },
  { key: 'dismissed', label: '已驳回', params: { state: 'dismissed' } },
  { key: 'phrasings', label: '市民问法建议', params: {} },
];
let currentTab = 'open';

function dueBadge(g: GapView): HTMLElement | null {
  if (g.status === 'filled') return badge(g.filledOnTime ? '按时补齐' : '逾期补齐', g.filledOnTime ? 'ok' : 'bad');
  if (g.status === 'dismissed') return badge('已驳回');
  if (g.overdue) return badge(`已超期 ${Math.abs(g.workingDaysLeft ?? 0)} 个工作日`, 'bad');
  if (g.workingDaysLeft === 0) return badge('今天到期', 'warn');
  return badge(`还剩 ${g.workingDaysLeft} 个工作日`, g.dueSoon ? 'warn' : 'info');
}

/** Writing a new entry for the gap (its other questions become similar questions on the server). */
function newEntryForm(ctx: Ctx, g: GapView, done: () => void): HTMLElement {
  const question = h('input', { value: g.question, required: true, maxlength: 500 });
  const answer = h('textarea', { rows: 8, required: true, placeholder: '答复口径（Markdown）' });
  const preview = h('div', { class: 'preview' }, h('p', { class: 'hint' }, '（答案预览）'));
  answer.addEventListener('input', () => replace(preview, answer.value.trim() ? renderMarkdown(answer.value) : h('p', { class: 'hint' }, '（答案预览）')));
  const similar = h('textarea', { rows: 3, placeholder: '可不填：缺口中的其他问法会自动加入' });
  const category = select('category', ctx.categories.map((c): [string, string] => [c.code, c.label]), 'faq');
  const audience = select('audience', Object.entries(AUDIENCE_LABELS), g.suggestedAudience);
  const department = h('input', { maxlength: 200 });
  const canPublish = ctx.can('entries:publish');
  const publish = h('input', { type: 'checkbox', checked: canPublish });
  const form = h(
    'form',
    { class: 'subform', 'aria-label': '写新条目补缺' },
    field('问题', question),
    field('答案（Markdown）', answer),
    preview,
    field('相似问法（每行一个）', similar),
    h('div', { class: 'grid2' }, field('分类', category), field('对象', audience), field('责任单位', department)),
    canPublish ? h('label', { class: 'check' }, publish, '立即发布（发布后即补齐缺口）') : h('p', { class: 'hint' }, '保存为草稿，审核人员发布后补齐缺口。'),
    h('div', { class: 'actions' }, h('button', { class: 'btn primary', type: 'submit' }, '保存补缺条目')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const entry = {
      question: question.value.trim(), answer: answer.value.trim(), similarQuestions: lines(similar.value), category: category.value,
      audience: audience.value, ...(department.value.trim() ? { department: department.value.trim() } : {}),
    };
    const out = await attempt(() => api('POST', `/admin/gaps/${g.id}/fill`, { entry, publish: canPublish && publish.checked }), canPublish && publish.checked ? '已补齐缺口' : '已保存补缺草稿');
    if (out) done();
  });
  return form;
}

/** Linking an existing published entry: the hit test of the gap's question proposes candidates. */
async function linkForm(g: GapView, done: () => void): Promise<HTMLElement> {
  const link = async (entryId: number) => {
    if (await attempt(() => api('POST', `/admin/gaps/${g.id}/fill`, { entryId }), `已关联条目 ${entryId}，缺口的问法已加入其相似问法`)) done();
  };
  const hit = await api<HitTest>('POST', '/admin/hit-test', { question: g.question }).catch(() => null);
  const id = h('input', { type: 'number', min: 1, inputmode: 'numeric', 'aria-label': '条目编号' });
  const form = h('form', { class: 'row' }, field('条目编号', id), h('div', { class: 'field' }, h('button', { class: 'btn primary', type: 'submit' }, '关联')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (Number(id.value) > 0) void link(Number(id.value));
  });
  return h(
    'div',
    { class: 'subform', 'aria-label': '关联已有条目' },
    h('p', {}, '知识库中最接近的条目：'),
    hit && hit.candidates.length
      ? h('ul', { class: 'list-plain' }, hit.candidates.slice(0, 5).map((c) =>
          h('li', {}, h('button', { class: 'btn small', type: 'button', onclick: () => void link(c.entryId) }, '关联'), ' ', h('a', { href: `#/entries/${c.entryId}` }, `${c.entryId} ${c.question}`), h('span', { class: 'hint' }, ` · 得分 ${c.score.toFixed(2)}`))))
      : h('p', { class: 'hint' }, '没有相近的条目。'),
    form,
  );
}

function gapCard(ctx: Ctx, g: GapView): HTMLElement {
  const slot = h('div', {});
  const toggle = (make: () => HTMLElement | Promise<HTMLElement>) => async () => {
    const node = await attempt(async () => make());
    if (node) replace(slot, node);
  };
  const actions =
    g.status === 'open'
      ? h(
          'div',
          { class: 'actions' },
          // writing is an editor's work; a reviewer publishes the editor's draft (待审核 in the review queue)
          ctx.can('entries:write') ? h('button', { class: 'btn primary small', type: 'button', onclick: toggle(() => newEntryForm(ctx, g, () => ctx.refresh())) }, '写新条目补缺') : null,
          h('button', { class: 'btn small', type: 'button', onclick: toggle(() => linkForm(g, () => ctx.refresh())) }, '关联已有条目'),
          h('button', {
            class: 'btn danger small', type: 'button',
            onclick: async () => {
              const reason = await askText('驳回缺口', '驳回原因（如：超出知识库范围）', { confirm: '驳回' });
              if (reason && (await attempt(() => api('POST', `/admin/gaps/${g.id}/dismiss`, { reason }), '已驳回'))) ctx.refresh();
            },
          }, '驳回'),
        )
      : g.status === 'dismissed'
        ? h('div', { class: 'actions' }, h('button', {
            class: 'btn small', type: 'button',
            onclick: async () => {
              if (await attempt(() => api('POST', `/admin/gaps/${g.id}/reopen`, {}), '已重新打开，缺口回到待补')) ctx.refresh();
            },
          }, '重新打开'))
        : null;
  return h(
    'article',
    { class: 'item', 'aria-label': g.question, 'data-gap-id': String(g.id) },
    h('div', { class: 'item-head' }, h('h3', {}, g.question), g.priority === 1 ? badge('涉企优先', 'info') : null, dueBadge(g)),
    h(
      'p',
      { class: 'hint' },
      `提问 ${g.askCount} 次（企业 ${g.enterpriseCount} · 个人 ${g.individualCount}） · 首次 ${fmtTime(g.firstAskedAt)} · 最近 ${fmtTime(g.lastAskedAt)} · 到期 ${g.dueDate}`,
    ),
    h('ul', { class: 'questions', 'aria-label': '缺口中的问法' }, g.questions.map((q) => h('li', {}, q.question, h('span', { class: 'hint' }, ` × ${q.count}`)))),
    g.citizenReasons.length
      ? h('div', { class: 'citizen-reasons' }, h('p', {}, `市民说明（${g.citizenReasons.length} 条）：`),
          h('ul', { 'aria-label': '市民说明的未解决原因' }, g.citizenReasons.map((r) => h('li', {}, `“${r.reason}”`, h('span', { class: 'hint' }, ` · 问：${r.question} · ${fmtTime(r.at)}`)))))
      : null,
    g.status === 'dismissed' && g.askedSinceDismissal ? h('p', { class: 'hint' }, `驳回后又被问 ${g.askedSinceDismissal} 次（计入此缺口，未另开新缺口）。`) : null,
    g.status === 'filled' && g.entryId ? h('p', {}, `${g.fillMode === 'linked' ? '已关联' : '已补充'}条目 `, h('a', { href: `#/entries/${g.entryId}` }, String(g.entryId)), `（${g.resolvedBy ?? ''} ${fmtTime(g.resolvedAt)}）`) : null,
    g.status === 'open' && g.entryId ? h('p', { class: 'hint' }, '已有补缺草稿 ', h('a', { href: `#/entries/${g.entryId}` }, String(g.entryId)), '，发布后补齐。') : null,
    g.status === 'dismissed' ? h('p', {}, `驳回原因：${g.dismissReason ?? ''}（${g.resolvedBy ?? ''} ${fmtTime(g.resolvedAt)}）`) : null,
    actions,
    slot,
  );
}

/**
 * 市民问法建议: citizens asked in their own words and chose this entry from 猜你想问. Accepting (as written or edited;
 * gaps:manage) adds the phrasing to the entry's similar questions so it is answered directly: a new version at once
 * when the person may publish, else the entry's pending revision, live once a reviewer approves it.
 */
function proposalCard(ctx: Ctx, p: PhrasingProposal): HTMLElement {
  const text = h('input', { value: p.question, maxlength: 500, 'aria-label': '问法（可先修改再采纳）' });
  const canDecide = ctx.can('gaps:manage');
  return h(
    'article',
    { class: 'item', 'aria-label': p.question, 'data-proposal-id': String(p.id) },
    h('div', { class: 'item-head' }, h('h3', {}, p.question), badge(`${p.choiceCount} 次选中`, 'info')),
    h('p', { class: 'hint' }, '市民这样问，并从“猜你想问”中选了条目 ', h('a', { href: `#/entries/${p.entryId}` }, `${p.entryId} ${p.entryQuestion}`), ` · 最近 ${fmtTime(p.lastAt)}`),
    canDecide
      ? h('div', { class: 'row' }, field('问法', text), h('div', { class: 'actions' },
          h('button', {
            class: 'btn primary small', type: 'button',
            onclick: async () => {
              const question = text.value.trim();
              const out = await attempt(() => api<{ waitingForReview: boolean }>('POST', `/admin/phrasings/${p.id}/accept`, question && question !== p.question ? { question } : {}));
              if (!out) return;
              // an editor's acceptance waits for a reviewer like any change to a published entry: say which happened
              toast(out.waitingForReview ? `已作为条目 ${p.entryId} 的修改提交审核，审核通过后生效` : `已加入条目 ${p.entryId} 的相似问法，立即生效`);
              ctx.refresh();
            },
          }, '采纳为相似问法'),
          h('button', {
            class: 'btn small', type: 'button',
            onclick: async () => {
              if (await attempt(() => api('POST', `/admin/phrasings/${p.id}/reject`, {}), '已不采纳')) ctx.refresh();
            },
          }, '不采纳')))
      : h('p', { class: 'hint' }, '采纳或不采纳需要处理查遗补缺的权限（编辑、审核或管理员）。'),
  );
}

export async function gapsView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const tab = TABS.find((t) => t.key === currentTab) ?? TABS[0];
  const tabs = h(
    'div',
    { class: 'tabs', role: 'tablist', 'aria-label': '缺口状态' },
    TABS.map((t) =>
      h('button', { type: 'button', role: 'tab', 'aria-selected': String(t.key === tab.key), onclick: () => { currentTab = t.key; ctx.refresh(); } }, t.label),
    ),
  );
  if (tab.key === 'phrasings') {
    const proposals = await api<{ total: number; items: PhrasingProposal[] }>('GET', '/admin/phrasings');
    add(root,
      h('h1', {}, '查遗补缺'),
      h('p', { class: 'hint' }, '市民用自己的话提问、得到“猜你想问”后选中了某个条目：这些问法建议加入该条目的相似问法（可先修改措辞）。审核人员或管理员采纳的作为条目的新版本立即生效；编辑采纳的作为条目的修改提交审核，审核通过后生效。生效后同样的问法直接作答；不采纳的不会再提示。'),
      tabs,
      h('p', { role: 'status' }, `${tab.label} ${proposals.total} 条`),
      proposals.items.length ? proposals.items.map((p) => proposalCard(ctx, p)) : h('p', { class: 'panel' }, '没有待处理的问法建议。'),
    );
    return;
  }
  const list = await api<{ today: string; total: number; items: GapView[] }>('GET', `/admin/gaps${query({ ...tab.params, limit: 200 })}`);
  add(root, 
    h('h1', {}, '查遗补缺'),
    h('p', { class: 'hint' }, '智能客服答不上、只给出“猜你想问”而市民没有选中、或市民评价“未解决”的问题按语义归并为缺口，须在首次提问后 5 个工作日内补进知识库。问题本身涉及企业办事、求助和热点政策的优先。驳回的问题再被问到时计入原缺口，不另开新缺口。'),
    tabs,
    h('p', { role: 'status' }, `${tab.label} ${list.total} 个`),
    list.items.length ? list.items.map((g) => gapCard(ctx, g)) : h('p', { class: 'panel' }, '没有缺口。'),
  );
}
