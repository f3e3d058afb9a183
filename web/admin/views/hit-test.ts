/** 命中测试: what a question would get — every candidate with its scores, and the decision (nothing is logged). */
import { api } from '../api.js';
import { h, add, replace, field, select, badge, attempt, AUDIENCE_LABELS, LEVEL_LABELS, OUTCOME_LABELS } from '../dom.js';
import type { Ctx } from '../main.js';
import type { HitTest } from '../../../shared/admin.js';

const num = (n: number | null) => (n === null ? '—' : String(n));
const COLUMNS = ['#', '条目', '分类', '得分', '融合', '词法名次', 'BM25', '向量名次', '余弦', '字面名次', '覆盖', '问题覆盖', '问题相似'];

function result(ctx: Ctx, r: HitTest): HTMLElement {
  const chosen = r.candidates.find((c) => c.entryId === r.entryId);
  const kind = r.outcome === 'answered' ? 'ok' : r.outcome === 'suggest' ? 'warn' : 'bad';
  const rows = r.candidates.map((c, i) =>
    h(
      'tr',
      { class: c.entryId === r.entryId ? 'chosen' : '' },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', {}, h('a', { href: `#/entries/${c.entryId}` }, `${c.entryId} ${c.question}`)),
      h('td', {}, ctx.categoryLabel(c.category)),
      ...[c.score, c.fused, c.lexicalRank, c.bm25, c.vectorRank, c.cosine, c.bigramRank, c.coverage, c.questionCoverage, c.questionSimilarity].map((v) => h('td', { class: 'num' }, num(v))),
    ),
  );
  return h(
    'div',
    {},
    h(
      'section',
      { class: 'panel', 'aria-label': '判定' },
      h('h2', {}, '判定 ', badge(OUTCOME_LABELS[r.outcome] ?? r.outcome, kind)),
      h(
        'dl',
        { class: 'kv' },
        h('dt', {}, '作答条目'), h('dd', {}, chosen ? h('a', { href: `#/entries/${chosen.entryId}` }, `${chosen.entryId} ${chosen.question}`) : '—'),
        h('dt', {}, '规范化后'), h('dd', {}, r.normalized),
        h('dt', {}, '词语'), h('dd', {}, r.concepts.map((c) => `${c.text}${c.unknown ? '（未登录）' : ''}×${c.weight}${c.forms.length > 1 ? `［${c.forms.join('/')}］` : ''}`).join('  ') || '—'),
        h('dt', {}, '未登录词占比'), h('dd', {}, String(r.unknownShare)),
        h('dt', {}, '阈值'), h('dd', {}, Object.entries(r.thresholds).map(([k, v]) => `${k}=${v}`).join('  ')),
      ),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', 'aria-label': '候选条目' },
        h('thead', {}, h('tr', {}, COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: COLUMNS.length }, '没有候选条目'))),
      ),
    ),
  );
}

export async function hitTestView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const question = h('input', { name: 'question', required: true, maxlength: 500, placeholder: '输入一个市民或企业会问的问题' });
  const audience = select('audience', [['', '不限'], ...Object.entries(AUDIENCE_LABELS)], '');
  const region = h('input', { name: 'region', maxlength: 50, placeholder: '如：普陀区' });
  const category = select('category', [['', '不限'], ...ctx.categories.map((c): [string, string] => [c.code, c.label])], '');
  const level = select('level', [['', '不限'], ...Object.entries(LEVEL_LABELS)], '');
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'panel', role: 'search', 'aria-label': '命中测试' },
    field('问题', question),
    h('div', { class: 'row' }, field('对象', audience), field('区域', region), field('分类', category), field('层级', level), h('div', { class: 'field' }, h('button', { class: 'btn primary', type: 'submit' }, '测试'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { question: question.value };
    if (audience.value) body.audience = audience.value;
    if (region.value.trim()) body.region = region.value.trim();
    if (category.value) body.category = category.value;
    if (level.value) body.level = level.value;
    const r = await attempt(() => api<HitTest>('POST', '/admin/hit-test', body));
    if (r) replace(out, result(ctx, r));
  });
  add(root, h('h1', {}, '命中测试'), h('p', { class: 'hint' }, '查看一个问题会得到什么：所有候选条目的各项得分和最终判定。测试不计入提问记录。'), form, out);
  question.focus();
}
