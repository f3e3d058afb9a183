import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { EntryInput } from '../../server/kb/validate.js';
import { ingestFile } from '../../ingest/pipeline.js';
import { tempDir } from '../helpers/paths.js';
import { browserTestsRun, startRig, signInAdmin, askWidget, lastBot, screenshotPath, writeSheet, readSheet, POLICY_TEXT, type BrowserRig } from './harness.js';

const PUBLISHED: EntryInput[] = [
  { category: 'guide', question: '企业开办需要哪些材料？', similarQuestions: ['开办企业要准备什么'], answer: '企业开办需要公司章程、股东身份证明等材料。', department: '区市场监管局' },
  { category: 'guide', question: '企业注销需要哪些材料？', similarQuestions: ['注销企业要准备什么'], answer: '企业注销需要清算报告、注销申请书等材料。', department: '区市场监管局' },
  { category: 'hotline', question: '12345是什么热线？', similarQuestions: ['市民热线电话是多少'], answer: '12345 是上海市民服务热线，24 小时受理咨询。' },
  { category: 'glossary', question: '免申即享是什么意思？', similarQuestions: ['什么叫免申即享'], answer: '符合条件的企业和个人无需申请，即可直接享受政策。', department: '区发展改革委' },
];
const DRAFT: EntryInput = { category: 'guide', question: '社区食堂怎么申请备案？', similarQuestions: ['社区食堂备案怎么办'], answer: '旧口径：到街道办事处窗口申请备案。', department: '区民政局' };
const NEW_ANSWER = '新口径：在“一网通办”搜索“社区食堂备案”在线申请，**3个工作日**内办结。';
const UNANSWERED = '养犬登记证年检去哪里办理？';

describe.skipIf(!browserTestsRun)('admin page in Chromium', () => {
  let rig: BrowserRig;
  let s: BrowserRig['s'];
  let server: BrowserRig['server'];
  let browser: BrowserRig['browser'];
  let dir: string;
  let admin: string;
  let reviewer: string;
  let draftId: number;
  let flaggedId: number;

  beforeAll(async () => {
    dir = tempDir();
    rig = await startRig();
    ({ s, server, browser } = rig);
    const ids = PUBLISHED.map((e) => s.kb.entries.publish(s.kb.entries.create(e, 'test').id, 'test').id);
    draftId = s.kb.entries.create(DRAFT, 'test').id;
    flaggedId = s.kb.entries.flagForReview(ids[3], '半年度复核：2026H2', 'system').id;
    // a policy taking effect tomorrow with its Q&A still drafts: a policy watch alert
    const policy = path.join(dir, '示例区企业年报帮办服务规定.txt');
    fs.writeFileSync(policy, POLICY_TEXT.replace('2026年6月1日', '2026年7月2日'));
    expect((await ingestFile(s.kb, policy, { publish: false, actor: 'test' })).status).toBe('new');
    await s.engine.sync();
    admin = s.tokens.create('李管理', 'admin', 'test').token;
    reviewer = s.tokens.create('王审核', 'reviewer', 'test').token;
    // some traffic for the dashboard
    const post = (p: string, body: object) => fetch(`${server.url}/api/v1/${p}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const ask = async (question: string, audience = 'enterprise') => (await (await post('answer', { question, channel: 'pc', audience })).json()) as { askId: string; outcome: string };
    for (const [q, resolved] of [['企业开办需要哪些材料？', true], ['开办企业要准备什么', true], ['注销企业要准备什么', false], ['12345是什么热线？', true]] as const) {
      await post('feedback', { askId: (await ask(q)).askId, resolved, ...(resolved ? {} : { reason: '没有说在哪里提交' }) });
    }
    await ask('我要投诉窗口工作人员态度差', 'individual');
    await s.answers.settled(); // the gap queue gathers asks and 未解决 right after the reply
  });
  afterAll(async () => {
    await rig?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (token: string): Promise<Page> => signInAdmin(browser.context, server.url, token);

  const view = (page: Page) => page.locator('#view');

  it('signs in with a token (a wrong one is refused) and shows the dashboard', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('访问令牌').fill('bbk_wrong-token');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('令牌无效或已吊销');
    await page.getByLabel('访问令牌').fill(admin);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 10_000 }).toBe('李管理（管理员）');
    const resolution = page.getByRole('region', { name: '智能客服解决率（好差评）' });
    await expect.poll(() => resolution.locator('.big').textContent(), { timeout: 10_000 }).toBe('75%3 / 4');
    await expect.poll(() => resolution.textContent(), { timeout: 10_000 }).toContain('达标');
    await expect.poll(() => page.getByRole('region', { name: '咨询结果' }).textContent(), { timeout: 10_000 }).toContain('超出范围');
    await expect.poll(() => page.getByRole('region', { name: '半年复核覆盖率' }).textContent(), { timeout: 10_000 }).toContain('待复核 1 条');
    const watch = page.getByRole('region', { name: '政策时效预警' });
    await expect.poll(() => watch.textContent(), { timeout: 10_000 }).toContain('示例区企业年报帮办服务规定');
    await expect.poll(() => watch.textContent(), { timeout: 10_000 }).toContain('最迟发布 2026-07-01');
    await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
    // the token lives in this tab only
    await expect(page.evaluate(() => Object.keys(sessionStorage))).resolves.toEqual(['bangban-kb-admin-token']);
    await expect(page.evaluate(() => localStorage.length)).resolves.toBe(0);
    expect(browser.errors).toEqual([]);
  });

  it('edits a draft with a live Markdown preview and publishes it: the widget answers with the new text; the history shows the diff', async () => {
    const page = await signIn(admin);
    await page.getByRole('link', { name: '知识条目' }).click();
    await page.getByRole('searchbox', { name: '搜索' }).fill('社区食堂');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: DRAFT.question }).click();
    const answer = page.getByLabel('答案（Markdown）');
    await answer.fill(NEW_ANSWER);
    await expect.poll(() => page.getByTestId('answer-preview').locator('strong').textContent(), { timeout: 10_000 }).toBe('3个工作日');
    await page.getByLabel('修改说明（记入历史）').fill('按新办理方式更新');
    await page.getByRole('button', { name: '保存并发布' }).click();
    await view(page).locator('.meta .badge', { hasText: '已发布' }).waitFor();
    expect(s.kb.entries.get(draftId)).toMatchObject({ status: 'published', answer: NEW_ANSWER });

    const portal = await browser.context.newPage();
    await portal.goto(`${server.url}/`);
    await askWidget(portal, DRAFT.question);
    await expect.poll(() => lastBot(portal).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('新口径：在“一网通办”搜索“社区食堂备案”在线申请');
    await portal.close();

    await page.getByRole('link', { name: '历史版本' }).click();
    const diff = page.getByTestId('diff');
    await page.getByRole('combobox', { name: '从' }).selectOption('1');
    await expect(diff.locator('del').allTextContents()).resolves.toContain('草稿');
    await expect(diff.locator('ins').allTextContents()).resolves.toContain('已发布');
    await expect.poll(() => diff.textContent(), { timeout: 10_000 }).toContain('答案');
    await expect(diff.locator('del').allTextContents().then((t) => t.join(''))).resolves.toContain('旧');
    await expect(diff.locator('ins').allTextContents().then((t) => t.join(''))).resolves.toContain('新');
    await expect.poll(() => view(page).getByRole('table', { name: '版本列表' }).textContent(), { timeout: 10_000 }).toContain('按新办理方式更新');
  });

  it('the answer preview renders <img onerror> and <script> inert', async () => {
    const page = await signIn(admin);
    await page.goto(`${server.url}/admin#/entries/new`);
    await page.getByLabel('答案（Markdown）').fill('说明<img src=x onerror="window.__adminXss=1"><script>window.__adminXss=2</script>[链接](javascript:window.__adminXss=3)');
    const preview = page.getByTestId('answer-preview');
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toContain('说明');
    await expect(preview.locator('img, script').count()).resolves.toBe(0);
    await expect(preview.locator('a').count()).resolves.toBe(1);
    await expect(preview.locator('a').getAttribute('href')).resolves.toBeNull();
    await preview.locator('a').click();
    await expect(page.evaluate(() => (window as unknown as Record<string, unknown>).__adminXss)).resolves.toBeUndefined();
  });

  it('fills a gap with a new entry: asking its question again is answered', async () => {
    const portal = await browser.context.newPage();
    await portal.goto(`${server.url}/`);
    await askWidget(portal, UNANSWERED);
    await expect(lastBot(portal).getAttribute('class')).resolves.toContain('bb-no-answer');

    const page = await signIn(admin);
    await page.getByRole('link', { name: '查遗补缺' }).click();
    const gap = view(page).getByRole('article', { name: UNANSWERED });
    await expect.poll(() => gap.getByRole('list', { name: '缺口中的问法' }).textContent(), { timeout: 10_000 }).toContain(UNANSWERED);
    await expect.poll(() => gap.textContent(), { timeout: 10_000 }).toContain('还剩 5 个工作日');
    await gap.getByRole('button', { name: '写新条目补缺' }).click();
    const form = gap.getByRole('form', { name: '写新条目补缺' });
    await form.getByLabel('答案（Markdown）').fill('携带犬只免疫证明，到居住地居委会办理养犬登记证年检。');
    await form.getByLabel('责任单位').fill('区公安分局');
    await expect(form.getByLabel('立即发布（发布后即补齐缺口）').isChecked()).resolves.toBe(true);
    await form.getByRole('button', { name: '保存补缺条目' }).click();
    await page.locator('.toast', { hasText: '已补齐缺口' }).waitFor();
    await page.getByRole('tab', { name: '已补' }).click();
    await view(page).getByRole('article', { name: UNANSWERED }).filter({ hasText: '按时补齐' }).waitFor();

    await askWidget(portal, UNANSWERED);
    await expect.poll(() => lastBot(portal).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('到居住地居委会办理养犬登记证年检');
    await portal.close();
  });

  it('uploads a Q&A spreadsheet: preview shows what it would create, nothing is written until imported', async () => {
    const file = path.join(dir, '社区服务问答.xlsx');
    await writeSheet(file, [
      { 问题: '老年助餐点在哪里查询？', 答案: '在“随申办”搜索“老年助餐”查看附近助餐点。', 分类: '常见问题', 责任单位: '区民政局', 对象: '个人' },
      { 问题: '高龄老人津贴怎么申请？', 答案: '年满80周岁的本市户籍老人可在社区事务受理服务中心申请。', 相似问法: '高龄津贴去哪申请|80岁老人补贴怎么领', 分类: '常见问题' },
    ]);
    const before = s.kb.entries.list().total;
    const page = await signIn(admin);
    await page.getByRole('link', { name: '文件与导入导出' }).click();
    await page.getByLabel('政策文件（txt、md、html、docx、pdf）或问答表（xlsx、csv）').setInputFiles(file);
    await page.getByRole('button', { name: '预览' }).click();
    const summary = page.getByTestId('preview-summary');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toContain('将新增 2 条草稿（发布前不会作答）；0 条未变化。');
    await expect(page.getByRole('table', { name: '导入预览' }).locator('tbody tr[data-action="create"]').count()).resolves.toBe(2);
    expect(s.kb.entries.list().total).toBe(before);

    await page.getByLabel('导入后直接发布').check();
    await page.getByRole('button', { name: '确认导入' }).click();
    await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 10_000 }).toContain('已新增 2 条（已发布）；0 条未变化。');
    // the document list shows the new sheet without reloading the page
    await expect.poll(() => view(page).getByRole('table', { name: '文件列表' }).textContent(), { timeout: 10_000 }).toContain('社区服务问答.xlsx');
    const imported = s.kb.entries.list({ text: '高龄老人津贴' }).items[0];
    expect(imported).toMatchObject({ status: 'published', origin: 'import', similarQuestions: ['高龄津贴去哪申请', '80岁老人补贴怎么领'] });
  });

  it('a sheet with problem rows: the preview lists each with counts per kind, and the rejected rows download as a sheet', async () => {
    // Errors of earlier tests (the XSS test's blocked handler is CSP doing its job) are not this test's.
    const errorsBefore = browser.errors.length;
    const file = path.join(dir, '部门问答.csv');
    fs.writeFileSync(file, [
      '问题,答案,分类,责任单位',
      '养老顾问在哪里咨询？,到街镇养老顾问点咨询。,常见问题,区民政局',
      '助餐补贴标准是多少？,,常见问题,区民政局',
      '养老顾问在哪里咨询？,拨打 12345 转养老顾问。,常见问题,区民政局',
      '长护险怎么申请？,&lt;随申办&gt;搜索“长护险”。,杂项,区医保局',
    ].join('\r\n'));
    const before = s.kb.entries.list().total;
    const page = await signIn(admin);
    await page.getByRole('link', { name: '文件与导入导出' }).click();
    await page.getByLabel('政策文件（txt、md、html、docx、pdf）或问答表（xlsx、csv）').setInputFiles(file);
    await page.getByRole('button', { name: '预览' }).click();
    const problems = page.getByTestId('sheet-problems');
    await expect.poll(() => problems.textContent(), { timeout: 10_000 }).toContain('表格共 4 行：将导入 1 行，未导入 2 行，转入查遗补缺 1 行');
    const counts = page.getByRole('table', { name: '问题行分类计数' });
    await expect(counts.locator('tr[data-kind="duplicate_conflict"]').textContent()).resolves.toContain('1');
    await expect(counts.locator('tr[data-kind="bad_value"]').textContent()).resolves.toContain('1');
    const rows = page.getByRole('table', { name: '问题行', exact: true }).locator('tbody tr');
    await expect(rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row'), tr.getAttribute('data-outcome')]))).resolves.toEqual([['3', 'gap'], ['4', 'rejected'], ['5', 'rejected']]);
    await expect(rows.nth(1).textContent()).resolves.toContain('与第 2 行问题相同、答案不同');
    await page.screenshot({ path: screenshotPath('import-problems.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载未导入的行（XLSX）' }).click()]);
    expect(download.suggestedFilename()).toBe('部门问答-未导入的行.xlsx');
    const saved = path.join(dir, '部门问答-未导入的行.xlsx');
    await download.saveAs(saved);
    const sheet = await readSheet(saved);
    expect(sheet.map((r) => r.slice(0, 6))).toEqual([
      ['问题', '答案', '分类', '责任单位', '原行号', '未导入原因'],
      ['养老顾问在哪里咨询？', '拨打 12345 转养老顾问。', '常见问题', '区民政局', '4', expect.stringContaining('第 2 行')],
      ['长护险怎么申请？', '<随申办>搜索“长护险”。', '杂项', '区医保局', '5', expect.stringContaining('不是栏目')],
    ]);
    expect(s.kb.entries.list().total).toBe(before);
    expect(browser.errors.slice(errorsBefore)).toEqual([]);
  });

  it('a long sheet previews a page at a time: 下一页 shows the next entries and problem rows, the counts cover the whole sheet', async () => {
    const file = path.join(dir, '长表格.csv');
    const rows = Array.from({ length: 250 }, (_, i) => `第${i + 1}号事项怎么办理？,${(i + 1) % 2 ? '' : `登录一网通办搜索第${i + 1}号事项。`},常见问题`);
    fs.writeFileSync(file, ['问题,答案,分类', ...rows].join('\r\n'));
    const page = await signIn(admin);
    await page.getByRole('link', { name: '文件与导入导出' }).click();
    await page.getByLabel('政策文件（txt、md、html、docx、pdf）或问答表（xlsx、csv）').setInputFiles(file);
    await page.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => page.getByTestId('preview-summary').textContent(), { timeout: 10_000 }).toContain('将新增 125 条');
    const plan = page.getByRole('table', { name: '导入预览' }).locator('tbody tr');
    const problems = page.getByRole('table', { name: '问题行', exact: true }).locator('tbody tr');
    await expect(plan.count()).resolves.toBe(100);
    await expect(problems.first().getAttribute('data-row')).resolves.toBe('2');
    const entriesPager = page.locator('[aria-label="条目翻页"]');
    await expect(entriesPager.textContent()).resolves.toContain('第 1 / 2 页（共 125 条）');
    await entriesPager.getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => page.locator('[aria-label="条目翻页"]').textContent(), { timeout: 10_000 }).toContain('第 2 / 2 页');
    await expect(plan.count()).resolves.toBe(25);
    await expect(plan.first().textContent()).resolves.toContain('第202号事项');
    await page.locator('[aria-label="问题行翻页"]').getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => page.locator('[aria-label="问题行翻页"]').textContent(), { timeout: 10_000 }).toContain('第 2 / 2 页');
    await expect(problems.first().getAttribute('data-row')).resolves.toBe('202');
    await expect(plan.count()).resolves.toBe(25); // the entries stay on their page
    await expect(page.getByTestId('sheet-problems').textContent()).resolves.toContain('表格共 250 行');
  });

  it('exports XLSX; importing the export changes nothing and the next export is the same', async () => {
    const page = await signIn(admin);
    await page.getByRole('link', { name: '文件与导入导出' }).click();
    const exportXlsx = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 XLSX' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^知识库条目-2026-07-01\.xlsx$/);
      const file = path.join(dir, name);
      await download.saveAs(file);
      return file;
    };
    const first = await exportXlsx('导出-1.xlsx');
    const rows = await readSheet(first);
    const live = s.kb.entries.list({ limit: 1000 }).items.filter((e) => e.status !== 'archived');
    expect(rows.length).toBe(live.length + 1);
    const versions = live.map((e) => [e.id, e.version]);

    await page.getByLabel('政策文件（txt、md、html、docx、pdf）或问答表（xlsx、csv）').setInputFiles(first);
    await page.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => page.getByTestId('preview-summary').textContent(), { timeout: 10_000 }).toContain(`${live.length} 条未变化。`);
    await page.getByRole('button', { name: '记录导入（内容无变化）' }).click();
    await page.getByTestId('import-result').waitFor();
    expect(s.kb.entries.list({ limit: 1000 }).items.filter((e) => e.status !== 'archived').map((e) => [e.id, e.version])).toEqual(versions);
    expect(await readSheet(await exportXlsx('导出-2.xlsx'))).toEqual(rows);
  });

  it('a reviewer reviews the queue, and is not offered what only editors and admins may do (and the API refuses it)', async () => {
    const page = await signIn(reviewer);
    await expect.poll(() => page.getByTestId('who').textContent(), { timeout: 10_000 }).toBe('王审核（审核）');
    const nav = page.getByRole('navigation', { name: '功能' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['工作台', '知识条目', '复核队列', '查遗补缺', '文件与导入导出', '命中测试', '同义词与词典', '接口说明']);

    // review: confirm with a note
    await nav.getByRole('link', { name: '复核队列' }).click();
    const item = view(page).getByRole('article', { name: '免申即享是什么意思？' });
    await item.getByRole('button', { name: '复核' }).click();
    await item.getByLabel('复核说明').fill('政策仍有效，口径无变化');
    await item.getByRole('button', { name: '确认无误' }).click();
    await view(page).getByText('没有待复核的条目。').waitFor();
    expect(s.kb.entries.get(flaggedId)).toMatchObject({ reviewDue: false });
    expect(s.kb.db.prepare('SELECT action, note, reviewer FROM reviews WHERE entry_id = ?').all(flaggedId)).toEqual([{ action: 'confirm', note: '政策仍有效，口径无变化', reviewer: '王审核' }]);

    // entries: read-only, no new / save / archive
    await nav.getByRole('link', { name: '知识条目' }).click();
    await view(page).getByRole('table', { name: '条目列表' }).waitFor();
    await expect(view(page).getByRole('link', { name: '新建条目' }).count()).resolves.toBe(0);
    await page.goto(`${server.url}/admin#/entries/${flaggedId}`);
    await view(page).getByRole('heading', { name: `条目 ${flaggedId}` }).waitFor();
    for (const name of ['保存修改', '提交修改（审核后上线）', '保存为草稿']) await expect(view(page).getByRole('button', { name }).count()).resolves.toBe(0);
    // taking a published answer offline is a reviewer's decision: offered here
    await expect(view(page).getByRole('button', { name: '归档' }).count()).resolves.toBe(1);
    await expect(page.getByLabel('答案（Markdown）').isDisabled()).resolves.toBe(true);
    // documents: export yes, upload no; lexicon: no saving
    await nav.getByRole('link', { name: '文件与导入导出' }).click();
    await view(page).getByRole('button', { name: '导出 XLSX' }).waitFor();
    await expect(view(page).locator('input[type="file"]').count()).resolves.toBe(0);
    await nav.getByRole('link', { name: '同义词与词典' }).click();
    await view(page).getByRole('heading', { name: '同义词与领域词典' }).waitFor();
    await expect(view(page).getByRole('button', { name: /保存/ }).count()).resolves.toBe(0);
    // the job log is for administrators: not in the menu, not reachable by URL, and the API says 403
    await page.goto(`${server.url}/admin#/jobs`);
    await view(page).getByText('没有这个页面').waitFor();

    const status = await page.evaluate(async (id) => {
      const auth = { Authorization: `Bearer ${sessionStorage.getItem('bangban-kb-admin-token')}`, 'Content-Type': 'application/json' };
      const patch = await fetch(`/api/v1/admin/entries/${id}`, { method: 'PATCH', headers: auth, body: JSON.stringify({ answer: '改掉' }) });
      const jobs = await fetch('/api/v1/admin/jobs', { headers: auth });
      const synonyms = await fetch('/api/v1/admin/synonyms', { method: 'PUT', headers: auth, body: JSON.stringify({ groups: [] }) });
      return [patch.status, jobs.status, synonyms.status];
    }, flaggedId);
    expect(status).toEqual([403, 403, 403]);
    expect(s.kb.entries.get(flaggedId)!.answer).toBe(PUBLISHED[3].answer);

    // what the administrator has instead
    const adminPage = await signIn(admin);
    await adminPage.getByRole('link', { name: '定时任务' }).click();
    await view(adminPage).getByRole('table', { name: '任务' }).waitFor();
  });
  it('importing an edited sheet says truthfully that the changed published answer waits for review, and citizens keep the published one', async () => {
    const editor = s.tokens.create('张编辑', 'editor', 'test').token;
    const file = path.join(dir, '社区服务问答.xlsx'); // imported and published above
    await writeSheet(file, [
      { 问题: '老年助餐点在哪里查询？', 答案: '在“随申办”搜索“老年助餐”查看附近助餐点。', 分类: '常见问题', 责任单位: '区民政局', 对象: '个人' },
      { 问题: '高龄老人津贴怎么申请？', 答案: '年满80周岁的本市户籍老人可在“随申办”在线申请高龄津贴。', 相似问法: '高龄津贴去哪申请|80岁老人补贴怎么领', 分类: '常见问题' },
      { 问题: '社区长者食堂怎么找？', 答案: '在“随申办”搜索“长者食堂”。', 分类: '常见问题' },
    ]);
    const target = s.kb.entries.list({ text: '高龄老人津贴' }).items[0];
    const page = await signIn(editor);
    await page.getByRole('link', { name: '文件与导入导出' }).click();
    await expect(page.getByLabel(/导入后直接发布/).count()).resolves.toBe(0); // an editor does not publish
    await page.getByLabel('政策文件（txt、md、html、docx、pdf）或问答表（xlsx、csv）').setInputFiles(file);
    await page.getByRole('button', { name: '预览' }).click();
    await page.getByTestId('preview-summary').waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toContain('已新增 1 条草稿（发布前不会作答）；1 条已发布条目的修改等待审核（审核前市民仍看到原内容）；1 条未变化。');
    await expect(result.textContent()).resolves.not.toContain('已发布）');
    await page.screenshot({ path: screenshotPath('import-pending-revisions.png'), fullPage: true });
    expect(s.kb.entries.get(target.id)!.answer).toBe(target.answer);
    const portal = await browser.context.newPage();
    await portal.goto(`${server.url}/`);
    await askWidget(portal, '高龄老人津贴怎么申请？');
    await expect.poll(() => lastBot(portal).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('社区事务受理服务中心');
    await portal.close();
  });

  it('two editors save the same entry: the second sees both texts side by side and keeps theirs on top of the current version', async () => {
    const editor = s.tokens.create('钱编辑', 'editor', 'test').token;
    const entry = s.kb.entries.list({ text: '企业注销需要哪些材料' }).items[0];
    const page = await signIn(editor);
    await page.goto(`${server.url}/admin#/entries/${entry.id}`);
    const answer = page.getByLabel('答案（Markdown）');
    await expect.poll(() => answer.inputValue(), { timeout: 10_000 }).toBe(entry.answer);
    // meanwhile another editor's change is saved (it waits for review)
    const { updateEntryTx } = await import('../../server/commands/updateEntry.js');
    updateEntryTx(s.kb, { id: entry.id, patch: { answer: '企业注销需要清算报告、注销申请书、税务清税证明等材料。' }, actor: '孙编辑', reason: '补充清税证明' });
    await answer.fill('企业注销需要清算报告、注销申请书等材料，可在“一网通办”在线提交。');
    await page.getByRole('button', { name: '提交修改（审核后上线）' }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    await expect.poll(() => conflict.textContent(), { timeout: 10_000 }).toContain('孙编辑');
    const row = conflict.locator('tr[data-field="answer"]');
    await expect(row.getByTestId('mine').textContent()).resolves.toBe('企业注销需要清算报告、注销申请书等材料，可在“一网通办”在线提交。');
    await expect(row.getByTestId('current').textContent()).resolves.toBe('企业注销需要清算报告、注销申请书、税务清税证明等材料。');
    await page.screenshot({ path: screenshotPath('entry-conflict.png'), fullPage: true });
    expect(s.kb.revisions.pending(entry.id)!.changes.answer).toBe('企业注销需要清算报告、注销申请书、税务清税证明等材料。'); // nothing overwritten

    await conflict.getByRole('button', { name: '在当前版本上保留我的修改' }).click();
    await page.locator('.toast', { hasText: '等待审核人员批准后上线' }).waitFor();
    await page.getByTestId('pending-revision').waitFor();
    expect(s.kb.revisions.pending(entry.id)).toMatchObject({ proposedBy: '钱编辑', changes: { answer: '企业注销需要清算报告、注销申请书等材料，可在“一网通办”在线提交。' } });
    expect(s.kb.entries.get(entry.id)!.answer).toBe(entry.answer); // still the published text
    await expect(page.getByTestId('conflict').count()).resolves.toBe(0);
  });

  it('a reviewer selects drafts and changes and publishes / approves them in one go', async () => {
    const { updateEntryTx } = await import('../../server/commands/updateEntry.js');
    const a = s.kb.entries.create({ category: 'faq', question: '残疾人证怎么补办？', answer: '在“随申办”申请补办残疾人证。' }, '张编辑');
    const b = s.kb.entries.create({ category: 'faq', question: '独生子女证遗失怎么办？', answer: '到街道社区事务受理服务中心申请补办。' }, '张编辑');
    const hotline = s.kb.entries.list({ text: '12345是什么热线' }).items[0];
    updateEntryTx(s.kb, { id: hotline.id, patch: { answer: '12345 是上海市民服务热线，24 小时受理咨询、求助和建议。' }, actor: '张编辑', reason: '补充受理范围' });
    await s.engine.sync();
    const policyDrafts = s.kb.entries.list({ status: 'draft', limit: 1000 }).items.filter((e) => e.id !== a.id && e.id !== b.id).map((e) => e.id);

    const page = await signIn(reviewer);
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: '复核队列' }).click();
    const box = view(page).getByRole('region', { name: '待审核' });
    const revision = box.locator(`li[data-kind="revision"][data-entry-id="${hotline.id}"]`);
    await revision.getByText('查看修改').click();
    await expect.poll(() => revision.locator('ins').allTextContents().then((t) => t.join('')), { timeout: 10_000 }).toContain('求助和建议');
    for (const id of [a.id, b.id, hotline.id]) await box.locator(`li[data-entry-id="${id}"] input[type="checkbox"]`).check();
    await expect.poll(() => box.getByTestId('publish-selected').textContent(), { timeout: 10_000 }).toBe('发布 / 批准所选（3 条）');
    await page.screenshot({ path: screenshotPath('bulk-approve.png'), fullPage: true });
    await box.getByTestId('publish-selected').click();
    await page.locator('.toast', { hasText: '已发布 2 条草稿，批准 1 条修改' }).waitFor();
    expect([a.id, b.id].map((id) => s.kb.entries.get(id)!.status)).toEqual(['published', 'published']);
    expect(s.kb.entries.get(hotline.id)!.answer).toContain('求助和建议');
    expect(s.kb.revisions.pending(hotline.id)).toBeNull();
    // what was not selected stays as it was
    for (const id of policyDrafts) expect(s.kb.entries.get(id)!.status).toBe('draft');
    const portal = await browser.context.newPage();
    await portal.goto(`${server.url}/`);
    await askWidget(portal, '残疾人证怎么补办？');
    await expect.poll(() => lastBot(portal).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('申请补办残疾人证');
    await portal.close();
  });

  it('a changed source file puts only the changed entry in the review queue, with its diff; approving it there puts it live and counts as reviewed', async () => {
    const target = s.kb.entries.list({ text: '高龄老人津贴' }).items[0]; // changed by the sheet re-imported above
    const page = await signIn(reviewer);
    await page.getByRole('link', { name: '复核队列' }).click();
    const queue = view(page).locator('article.item');
    await expect.poll(() => queue.allTextContents().then((t) => t.filter((x) => x.includes('源文件已更新')).length), { timeout: 10_000 }).toBe(1);
    const item = view(page).getByRole('article', { name: target.question });
    await item.getByRole('button', { name: '复核' }).click();
    const diff = item.getByTestId('review-diff');
    await expect.poll(() => diff.locator('del').allTextContents().then((t) => t.join('')), { timeout: 10_000 }).toContain('社区事务受理服务中心');
    await expect(diff.locator('ins').allTextContents().then((t) => t.join(''))).resolves.toContain('在线申');
    await page.screenshot({ path: screenshotPath('review-diff.png'), fullPage: true });
    await item.getByLabel('复核说明').fill('按新的办理渠道更新');
    await item.getByRole('button', { name: '批准修改并确认' }).click();
    await page.locator('.toast', { hasText: '已批准修改并确认' }).waitFor();
    expect(s.kb.entries.get(target.id)).toMatchObject({ answer: '年满80周岁的本市户籍老人可在“随申办”在线申请高龄津贴。', reviewDue: false });
    expect(s.kb.revisions.pending(target.id)).toBeNull();
  });

  it('the review queue offers “保存修改并复核” only after “修改内容…” is clicked', async () => {
    const entry = s.kb.entries.list({ text: '企业开办需要哪些材料' }).items[0];
    s.kb.entries.flagForReview(entry.id, '半年度复核：2026H2', 'system');
    const page = await signIn(admin);
    await page.getByRole('link', { name: '复核队列' }).click();
    const item = view(page).getByRole('article', { name: entry.question });
    await item.getByRole('button', { name: '复核' }).click();
    const save = item.getByRole('button', { name: '保存修改并复核' });
    await item.getByRole('button', { name: '修改内容…' }).waitFor();
    await expect(save.isVisible()).resolves.toBe(false);
    await item.getByRole('button', { name: '修改内容…' }).click();
    await expect(save.isVisible()).resolves.toBe(true);
  });

  it('importing a word list after the token was revoked goes back to the sign-in form, and the list is unchanged', async () => {
    const { token, record } = s.tokens.create('临时编辑', 'editor', 'test');
    const page = await signIn(token);
    await page.getByRole('navigation', { name: '功能' }).getByRole('link', { name: '同义词与词典' }).click();
    await page.getByTestId('synonyms-import').waitFor();
    const before = s.kb.db.prepare(`SELECT count(*) AS n FROM lexicon_edits`).get() as { n: number };
    s.tokens.revoke(record.id);
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('synonyms-import-file').setInputFiles({ name: 'synonyms.txt', mimeType: 'text/plain', buffer: Buffer.from('公司 企业\n') });
    await page.getByLabel('访问令牌').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('form.signin [role=alert]').textContent(), { timeout: 10_000 }).toContain('登录已失效');
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    expect(s.kb.db.prepare(`SELECT count(*) AS n FROM lexicon_edits`).get()).toEqual(before);
  });

  it('“接口说明” in the admin page opens the API page: the answer API with its fields and example, styled, without errors', async () => {
    const page = await signIn(reviewer);
    const errorsBefore = browser.errors.length;
    const [api] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: '接口说明' }).click()]);
    await api.waitForLoadState();
    await expect(api.title()).resolves.toBe('接口说明 — bangban-kb');
    const answer = api.locator('section.op', { hasText: '提问并取得答复' });
    await expect(answer.locator('h3').textContent()).resolves.toBe('POST/api/v1/answer — 提问并取得答复');
    await expect(answer.getByRole('cell', { name: 'question', exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(answer.locator('pre').first().textContent()).resolves.toContain('营业执照丢了怎么补办？');
    // the inline stylesheet is allowed by its hash in the page's CSP: the method badge is coloured
    await expect(answer.locator('.m.post').evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(5, 150, 105)');
    await api.screenshot({ path: screenshotPath('admin-api-page.png') });
    expect(browser.errors.slice(errorsBefore)).toEqual([]);
  });
});
