/** 定时任务 (administrators): the scheduled jobs, their schedules and recent runs with what they flagged. */
import { api } from '../api.js';
import { h, add, badge, fmtTime } from '../dom.js';
import type { Ctx } from '../main.js';
import type { JobRun, JobsOverview as Jobs } from '../../../shared/admin.js';


const STATUS: Record<JobRun['status'], [string, '' | 'ok' | 'bad' | 'warn']> = { ok: ['成功', 'ok'], failed: ['失败', 'bad'], running: ['运行中', 'warn'] };

/** The numbers a run reported (counts only: id lists would be noise here). */
function summaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => `${k}=${v}`)
    .join('  ');
}

export async function jobsView(root: HTMLElement, _ctx: Ctx): Promise<void> {
  const { jobs, runs } = await api<Jobs>('GET', '/admin/jobs?limit=50');
  add(
    root,
    h('h1', {}, '定时任务'),
    h('p', { class: 'hint' }, '缺口时限、半年复核、政策时效和缺口归并按计划自动运行（Asia/Shanghai 时区）；每次运行都有记录。'),
    h(
      'div',
      { class: 'table-wrap panel' },
      h(
        'table',
        { class: 'data', 'aria-label': '任务' },
        h('thead', {}, h('tr', {}, ['任务', '说明', '计划', '最近一次'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, jobs.map((j) => h('tr', {}, h('td', {}, j.name), h('td', {}, j.description), h('td', {}, j.schedule ?? '已停用'), h('td', {}, j.lastRun ? [badge(...STATUS[j.lastRun.status]), ` ${fmtTime(j.lastRun.startedAt)}`] : '—')))),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-label': '运行记录' },
      h('h2', {}, '运行记录'),
      runs.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data' },
              h('thead', {}, h('tr', {}, ['任务', '开始', '结束', '状态', '结果'].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', {}, runs.map((r) => h('tr', {}, h('td', {}, r.job), h('td', {}, fmtTime(r.startedAt)), h('td', {}, fmtTime(r.finishedAt)), h('td', {}, badge(...STATUS[r.status])), h('td', {}, r.error ?? summaryText(r.summary))))),
            ),
          )
        : h('p', { class: 'hint' }, '还没有运行记录。'),
    ),
  );
}
