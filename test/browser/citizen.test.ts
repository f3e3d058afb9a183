import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { EntryInput } from '../../server/kb/validate.js';
import { SERVICE_ENTRIES } from '../helpers/small-kb.js';
import { browserTestsRun, startRig, signInAdmin, askWidget, lastBot, screenshotPath, W, type BrowserRig } from './harness.js';

/** The citizen's loop in Chromium (issue 12): the widget at 360 px, then the editor's gap queue. */

const ENTRIES: EntryInput[] = [
  ...SERVICE_ENTRIES,
  {
    category: 'policy', question: '新能源汽车充电补贴标准是多少？', similarQuestions: ['充电补贴给多少钱'],
    answer: '个人充电设施按每千瓦时 0.2 元给予补贴。', effectiveFrom: '2027-01-01',
  },
];

describe.skipIf(!browserTestsRun)("the citizen's loop in Chromium", () => {
  let rig: BrowserRig;
  let s: BrowserRig['s'];
  let server: BrowserRig['server'];
  let browser: BrowserRig['browser'];
  let editor: string;
  let reviewer: string;

  beforeAll(async () => {
    rig = await startRig({ published: ENTRIES });
    ({ s, server, browser } = rig);
    editor = s.tokens.create('张编辑', 'editor', 'test').token;
    reviewer = s.tokens.create('李审核', 'reviewer', 'test').token;
  });
  afterAll(() => rig?.close());

  async function phone(): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${server.url}/`);
    return page;
  }

  async function gapQueue(tab?: string, token = editor): Promise<Page> {
    const page = await signInAdmin(browser.context, server.url, token);
    await page.goto(`${server.url}/admin#/gaps`);
    await page.getByRole('heading', { name: '查遗补缺' }).waitFor();
    if (tab) await page.getByRole('tab', { name: tab }).click();
    return page;
  }

  it('the login page says how to get a token', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByText('还没有令牌？').click();
    await expect.poll(() => page.locator('form.signin').textContent(), { timeout: 10_000 }).toContain('npm run token -- create --role editor --name 您的姓名');
    await expect.poll(() => page.locator('form.signin').textContent(), { timeout: 10_000 }).toContain('KB_ADMIN_TOKEN');
    await page.screenshot({ path: screenshotPath('admin-login-token-help.png') });
    await page.close();
  });

  it('未解决 on a 猜你想问 reply reaches the gap queue, with the reason on the gap card', async () => {
    const page = await phone();
    await askWidget(page, '社保交了多少年在哪看');
    const reply = lastBot(page);
    await reply.getByRole('group', { name: '猜你想问' }).waitFor();
    await reply.getByRole('button', { name: '未解决' }).click();
    const form = reply.getByRole('form', { name: '未解决的原因' });
    await form.getByLabel('都不是我要问的').check();
    await form.getByRole('textbox').fill('我想知道一共交了几年');
    await form.getByRole('button', { name: '提交' }).click();
    await reply.getByRole('status').filter({ hasText: '已转给知识库编辑' }).waitFor();
    await page.screenshot({ path: screenshotPath('widget-suggest-unresolved-360.png') });
    await page.close();

    const admin = await gapQueue();
    const card = admin.getByRole('article', { name: '社保交了多少年在哪看' });
    await expect.poll(() => card.getByRole('list', { name: '市民说明的未解决原因' }).textContent(), { timeout: 10_000 }).toContain('“都不是我要问的：我想知道一共交了几年”');
    await card.screenshot({ path: screenshotPath('admin-gap-citizen-reason.png') });
    expect(browser.errors).toEqual([]);
    await admin.close();
  });

  it('a dismissed question stays dismissed when asked again, and an editor can reopen it', async () => {
    const page = await phone();
    await askWidget(page, '上海迪士尼门票多少钱');
    const admin = await gapQueue();
    const card = admin.getByRole('article', { name: '上海迪士尼门票多少钱' });
    await card.getByRole('button', { name: '驳回' }).click();
    await admin.getByRole('dialog', { name: '驳回缺口' }).getByRole('textbox').fill('不属于政务服务');
    await admin.getByRole('dialog', { name: '驳回缺口' }).getByRole('button', { name: '驳回' }).click();
    await card.waitFor({ state: 'detached' });

    await askWidget(page, '上海迪士尼门票多少钱？');
    await admin.reload();
    await admin.getByRole('heading', { name: '查遗补缺' }).waitFor();
    await expect.poll(() => admin.getByRole('article', { name: /迪士尼/ }).count(), { timeout: 10_000 }).toBe(0);
    await admin.getByRole('tab', { name: '已驳回' }).click();
    const dismissed = admin.getByRole('article', { name: /迪士尼/ });
    await expect.poll(() => dismissed.textContent(), { timeout: 10_000 }).toContain('驳回后又被问 1 次');
    await dismissed.screenshot({ path: screenshotPath('admin-gap-dismissed-asked-again.png') });
    await dismissed.getByRole('button', { name: '重新打开' }).click();
    await admin.getByRole('tab', { name: '待补' }).click();
    await admin.getByRole('article', { name: /迪士尼/ }).waitFor();
    expect(browser.errors).toEqual([]);
    await Promise.all([page.close(), admin.close()]);
  });

  it('choosing a 猜你想问 suggestion proposes the phrasing; accepted by a reviewer, it is answered directly', async () => {
    const page = await phone();
    await askWidget(page, '我的社保单子哪里打');
    await lastBot(page).getByRole('group', { name: '猜你想问' }).getByRole('button', { name: '社会保险缴费记录怎么查询？' }).click();
    await page.locator(`${W} .bb-answered`).waitFor();

    // a reviewer's acceptance goes live at once (an editor's waits in 待审核, see test/citizen-loop.test.ts)
    const admin = await gapQueue('市民问法建议', reviewer);
    const proposal = admin.getByRole('article', { name: '我的社保单子哪里打' });
    await expect.poll(() => proposal.textContent(), { timeout: 10_000 }).toContain('社会保险缴费记录怎么查询？');
    await proposal.screenshot({ path: screenshotPath('admin-phrasing-proposal.png') });
    await proposal.getByRole('button', { name: '采纳为相似问法' }).click();
    await proposal.waitFor({ state: 'detached' });

    await askWidget(page, '我的社保单子哪里打');
    await expect.poll(async () => (await lastBot(page).getAttribute('class')) ?? '', { timeout: 10_000 }).toContain('bb-answered');
    await expect.poll(() => lastBot(page).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('社会保险缴费记录');
    expect(browser.errors).toEqual([]);
    await Promise.all([page.close(), admin.close()]);
  });

  it('an answer from a policy not yet in force says from when it applies', async () => {
    const page = await phone();
    await askWidget(page, '新能源汽车充电补贴标准是多少');
    await expect.poll(() => lastBot(page).locator('.bb-notice').textContent(), { timeout: 10_000 }).toBe('本政策自2027年1月1日起施行。');
    await page.screenshot({ path: screenshotPath('widget-not-in-force-360.png') });
    await page.close();
  });

  it('a network error reads in Chinese, and a 429 without doubled punctuation', async () => {
    const page = await phone();
    await page.route('**/api/v1/answer', (route) => route.abort('internetdisconnected'));
    await askWidget(page, '居住证怎么办理');
    const offline = await lastBot(page).textContent();
    expect(offline).toContain('抱歉，网络连接失败，请检查网络后再试。');
    expect(offline).not.toMatch(/Failed|fetch|[A-Za-z]{4,}/);
    await page.screenshot({ path: screenshotPath('widget-network-error-360.png') });

    await page.unroute('**/api/v1/answer');
    await page.route('**/api/v1/answer', (route) => route.fulfill({
      status: 429, headers: { 'Retry-After': '30' }, contentType: 'application/json',
      body: JSON.stringify({ error: 'rate_limited', message: '提问过于频繁，请 30 秒后再试。' }),
    }));
    await askWidget(page, '居住证怎么办理');
    const limited = (await lastBot(page).textContent()) ?? '';
    expect(limited).toContain('抱歉，提问过于频繁，请 30 秒后再试。');
    expect(limited).not.toMatch(/[。，！？]{2}/);

    await page.unroute('**/api/v1/answer');
    await page.route('**/api/v1/answer', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>502 Bad Gateway</h1>' }));
    await askWidget(page, '居住证怎么办理');
    const broken = (await lastBot(page).textContent()) ?? '';
    expect(broken).toContain('服务暂时出了点问题，请稍后再试。');
    expect(broken).not.toMatch(/Bad Gateway|[A-Za-z]{4,}/);
    await page.close();
  });
});
