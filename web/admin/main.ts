/** 帮办知识库管理页面: sign in, then one view per section (hash routes). Offers only what the role may do. */
import { api, session, ApiError, SIGNED_OUT_EVENT } from './api.js';
import { h, replace, field } from './dom.js';
import type { CategoryCount as Category } from '../../shared/entries.js';
import type { Me } from '../../shared/admin.js';
import { dashboardView } from './views/dashboard.js';
import { entriesView, entryView } from './views/entries.js';
import { historyView } from './views/history.js';
import { reviewView } from './views/review.js';
import { gapsView } from './views/gaps.js';
import { documentsView } from './views/documents.js';
import { hitTestView } from './views/hit-test.js';
import { lexiconView } from './views/lexicon.js';
import { jobsView } from './views/jobs.js';

/** What every view gets: who is signed in and what they may do, the categories, navigation. */
export interface Ctx {
  me: Me;
  can(permission: string): boolean;
  categories: Category[];
  categoryLabel(code: string): string;
  go(hash: string): void;
  /** Re-renders the current route. */
  refresh(): void;
}

type View = (root: HTMLElement, ctx: Ctx, params: string[]) => Promise<void>;

interface Section {
  path: string;
  label: string;
  permission: string;
}

const SECTIONS: Section[] = [
  { path: 'dashboard', label: '工作台', permission: 'entries:read' },
  { path: 'entries', label: '知识条目', permission: 'entries:read' },
  { path: 'review', label: '复核队列', permission: 'entries:read' },
  { path: 'gaps', label: '查遗补缺', permission: 'gaps:manage' },
  { path: 'documents', label: '文件与导入导出', permission: 'entries:read' },
  { path: 'hit-test', label: '命中测试', permission: 'hit-test' },
  { path: 'lexicon', label: '同义词与词典', permission: 'entries:read' },
  { path: 'jobs', label: '定时任务', permission: 'audit:read' },
];

/** Routes: #/section or #/entries/12, #/entries/new, #/entries/12/history. */
function resolve(hash: string): { section: string; view: View; params: string[] } {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [section = 'dashboard', ...params] = parts;
  if (section === 'entries' && params[0] && params[1] === 'history') return { section, view: historyView, params };
  if (section === 'entries' && params[0]) return { section, view: entryView, params };
  const views: Record<string, View> = {
    dashboard: dashboardView, entries: entriesView, review: reviewView, gaps: gapsView, documents: documentsView,
    'hit-test': hitTestView, lexicon: lexiconView, jobs: jobsView,
  };
  return views[section] ? { section, view: views[section], params } : { section: 'dashboard', view: dashboardView, params: [] };
}

const app = document.getElementById('app')!;

function signInForm(message = ''): void {
  document.title = '登录 · 帮办知识库';
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, '帮办知识库 · 管理登录'),
    h('p', {}, '请输入管理员发放的访问令牌。令牌只保存在本浏览器标签页中，关闭标签页即退出。'),
    field('访问令牌', token),
    error,
    h('button', { class: 'btn primary', type: 'submit' }, '登录'),
    h('details', { class: 'hint' },
      h('summary', {}, '还没有令牌？'),
      h('p', {}, '请服务管理员在服务器的项目目录中运行下面的命令为您创建（角色可选 editor 编辑、reviewer 审核、agent 坐席、admin 管理员），新令牌只显示一次：'),
      h('pre', {}, h('code', {}, 'npm run token -- create --role editor --name 您的姓名')),
      h('p', {}, '部署时也可以设置环境变量 KB_ADMIN_TOKEN（至少 16 个字符），服务启动时即有一个管理员令牌。')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    session.signIn(token.value.trim());
    try {
      await start();
    } catch (err) {
      session.signOut();
      error.textContent = err instanceof ApiError && err.status === 401 ? '令牌无效或已吊销，请检查后重试' : (err as Error).message;
    }
  });
  replace(app, h('main', {}, form));
  token.focus();
}

async function start(): Promise<void> {
  const me = await api<Me>('GET', '/admin/me');
  const { categories } = await api<{ categories: Category[] }>('GET', '/categories');
  const allowed = SECTIONS.filter((s) => me.permissions.includes(s.permission));
  const view = h('main', { class: 'view', id: 'view', tabindex: '-1' });
  const links = allowed.map((s) => h('a', { href: `#/${s.path}`, 'data-section': s.path }, s.label));
  const ctx: Ctx = {
    me,
    can: (p) => me.permissions.includes(p),
    categories,
    categoryLabel: (code) => categories.find((c) => c.code === code)?.label ?? code,
    go: (hash) => {
      if (location.hash === hash) void render();
      else location.hash = hash;
    },
    refresh: () => void render(),
  };
  const signOut = h('button', { type: 'button', onclick: () => { session.signOut(); location.hash = ''; signInForm(); } }, '退出');
  replace(
    app,
    h('header', { class: 'topbar' }, h('p', { class: 'brand' }, '帮办知识库 · 管理'), h('span', { class: 'who', 'data-testid': 'who' }, `${me.name}（${me.roleLabel}）`), signOut),
    h('div', { class: 'layout' }, h('nav', { class: 'nav', 'aria-label': '功能' }, h('ul', {}, links.map((a) => h('li', {}, a)), h('li', { class: 'nav-api' }, h('a', { href: '/admin/api', target: '_blank', rel: 'noopener' }, '接口说明')))), view),
  );

  let seq = 0;
  async function render(): Promise<void> {
    const route = resolve(location.hash);
    const mine = ++seq;
    const section = allowed.find((s) => s.path === route.section) ?? allowed[0];
    for (const a of links) {
      if (a.dataset.section === section?.path) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (!section || section.path !== route.section) {
      replace(view, h('p', {}, allowed.length ? '没有这个页面。' : '您的角色不能使用管理页面的任何功能。'));
      return;
    }
    document.title = `${section.label} · 帮办知识库`;
    replace(view, h('p', { class: 'hint' }, '正在加载…'));
    try {
      const root = h('div', {});
      await route.view(root, ctx, route.params);
      if (mine !== seq) return; // the user has moved on
      replace(view, root);
      view.focus({ preventScroll: true });
    } catch (err) {
      if (mine !== seq) return;
      replace(view, h('p', { class: 'error', role: 'alert' }, `加载失败：${(err as Error).message}`));
    }
  }
  window.onhashchange = () => void render();
  await render();
}

window.addEventListener(SIGNED_OUT_EVENT, () => {
  if (app.querySelector('.layout')) signInForm('登录已失效，请重新输入令牌。'); // (a wrong token at sign-in reports itself)
});

if (session.token()) {
  start().catch((err) => {
    session.signOut();
    signInForm(err instanceof ApiError && err.status === 401 ? '' : (err as Error).message);
  });
} else {
  signInForm();
}
