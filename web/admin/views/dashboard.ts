/** 工作台: resolution rate against the targets, asks by outcome, gaps due soon / overdue, review coverage, policy watch. */
import { api } from '../api.js';
import { h, add, badge, pct } from '../dom.js';
import type { Ctx } from '../main.js';
import type { RateFigure, Stats, GapBrief, WatchedDocument } from '../../../shared/admin.js';

function verdictBadge(f: RateFigure): HTMLElement {
  return badge(f.verdict, f.verdict === '达标' ? 'ok' : f.verdict === '未达标' ? 'bad' : '');
}

/** A big percentage with a bar and the target marked on it. */
function rateCard(title: string, f: RateFigure, caption: string): HTMLElement {
  const ok = f.verdict === '达标';
  const fill = h('div', { class: `fill ${f.rate === null ? '' : ok ? 'ok' : 'bad'}`.trim() });
  fill.style.width = `${Math.min(100, (f.rate ?? 0) * 100)}%`;
  const target = h('div', { class: 'target', title: `目标 ${pct(f.target, 0)}` });
  target.style.left = `${f.target * 100}%`;
  return h(
    'section',
    { class: 'card', 'aria-label': title },
    h('h2', {}, title),
    h('div', { class: 'big' }, pct(f.rate), h('small', {}, `${f.numerator} / ${f.denominator}`)),
    h('div', { class: 'meter', role: 'img', 'aria-label': `${pct(f.rate)}，目标${f.direction === 'atLeast' ? '不低于' : '不高于'} ${pct(f.target, 0)}` }, fill, target),
    h('p', { class: 'hint' }, `${caption}：目标${f.direction === 'atLeast' ? '≥' : '≤'} ${pct(f.target, 0)} `, verdictBadge(f)),
  );
}

function gapItem(g: GapBrief, overdue: boolean, linkable: boolean): HTMLElement {
  return h(
    'li',
    {},
    overdue ? badge('已超期', 'bad') : badge(g.workingDaysLeft === 0 ? '今天到期' : '即将到期', 'warn'),
    ' ',
    linkable ? h('a', { href: '#/gaps' }, g.question) : g.question,
    h('span', { class: 'hint' }, ` · 到期 ${g.dueDate} · 提问 ${g.askCount} 次`),
  );
}

function watchItem(d: WatchedDocument, late: boolean): HTMLElement {
  return h(
    'li',
    {},
    late ? badge('已施行仍未发布', 'bad') : badge('即将施行', 'warn'),
    ' ',
    h('a', { href: '#/documents' }, d.title),
    h('span', { class: 'hint' }, ` · 施行 ${d.effectiveDate} · 最迟发布 ${d.publishBy} · 待发布 ${d.draftEntries} 条`),
  );
}

export async function dashboardView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const s = await api<Stats>('GET', '/admin/stats');
  const outcomes = Object.entries(s.asks.byOutcome) as Array<[keyof Stats['asks']['byOutcome'], number]>;
  const max = Math.max(1, ...outcomes.map(([, n]) => n));
  const bars = h('div', { class: 'bars' });
  for (const [outcome, n] of outcomes) {
    const bar = h('div', { class: 'bar' });
    bar.style.width = `${(n / max) * 100}%`;
    bars.append(h('span', {}, s.asks.outcomeLabels[outcome] ?? outcome), h('div', { role: 'presentation' }, bar), h('span', { class: 'num' }, String(n)));
  }
  const linkable = ctx.can('gaps:manage');
  const alerts = [...s.gaps.overdue.map((g) => gapItem(g, true, linkable)), ...s.gaps.dueSoon.map((g) => gapItem(g, false, linkable))];
  const watch = [...s.policyWatch.late.map((d) => watchItem(d, true)), ...s.policyWatch.atRisk.map((d) => watchItem(d, false))];

  add(root, 
    h('h1', {}, `工作台 · ${s.period.label}`),
    h('p', { class: 'hint' }, `统计截至 ${s.today}（上海时间），口径与半年度审计报告相同。`),
    h(
      'div',
      { class: 'cards' },
      rateCard('智能客服解决率（好差评）', s.resolution, '全部评价'),
      rateCard('涉企解决率', s.enterpriseResolution, '企业评价'),
      rateCard('转 12345 派单率', s.hotlineShare, '需人工的提问中转 12345 的比例'),
      h(
        'section',
        { class: 'card', 'aria-label': '咨询结果' },
        h('h2', {}, '咨询结果'),
        h('div', { class: 'big' }, String(s.asks.total), h('small', {}, '次提问')),
        bars,
      ),
      rateCard('半年复核覆盖率', s.review.coverage, `待复核 ${s.review.due} 条`),
      h(
        'section',
        { class: 'card', 'aria-label': '知识条目' },
        h('h2', {}, '知识条目'),
        h('div', { class: 'big' }, String(s.entries.published), h('small', {}, '条已发布')),
        h('p', { class: 'hint' }, `草稿 ${s.entries.draft} 条 · 已归档 ${s.entries.archived} 条`),
        ctx.can('entries:write') ? h('a', { class: 'btn small', href: '#/entries/new' }, '新建条目') : null,
      ),
    ),
    h(
      'div',
      { class: 'cards' },
      h(
        'section',
        { class: 'card', 'aria-label': '查遗补缺' },
        h('h2', {}, '查遗补缺（5 个工作日内补齐）'),
        h('p', {}, `待补 ${s.gaps.open} 个 · `, h('strong', {}, `已超期 ${s.gaps.overdue.length}`), ` · 1 个工作日内到期 ${s.gaps.dueSoon.length}`),
        alerts.length ? h('ul', { class: 'list-plain' }, alerts.slice(0, 8)) : h('p', { class: 'hint' }, '没有超期或即将到期的缺口。'),
        ctx.can('gaps:manage') ? h('a', { class: 'btn small', href: '#/gaps' }, '查看缺口') : null,
      ),
      h(
        'section',
        { class: 'card', 'aria-label': '政策时效预警' },
        h('h2', {}, '政策时效预警（施行前 1 个工作日发布）'),
        h('p', {}, `已逾期 ${s.policyWatch.late.length} · 有风险 ${s.policyWatch.atRisk.length} · 待发布 ${s.policyWatch.pending} · 已就绪 ${s.policyWatch.onTime}`),
        watch.length ? h('ul', { class: 'list-plain' }, watch.slice(0, 8)) : h('p', { class: 'hint' }, '没有逾期或有风险的政策文件。'),
        h('a', { class: 'btn small', href: '#/documents' }, '查看文件'),
      ),
    ),
  );
}
