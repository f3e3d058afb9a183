import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import type { Page } from 'playwright-core';
import * as esbuild from 'esbuild';
import { fixedClock } from '../../server/kb/clock.js';
import { checkScope } from '../../server/search/scope.js';
import type { EntryInput } from '../../server/kb/validate.js';
import { servicesFor } from '../helpers/services.js';
import { tempDir, REPO_ROOT } from '../helpers/paths.js';
import { WEB_DIR } from '../../server/routes/pages/index.js';
import { browserTestsRun, serve, launch, startRig, askWidget, lastBot, screenshotPath, W, POLICY_TEXT, WORKDAY_10AM, type BrowserRig } from './harness.js';

const ENTRIES: EntryInput[] = [
  { category: 'guide', question: '企业开办需要哪些材料？', similarQuestions: ['开办企业要准备什么'], answer: '企业开办需要**公司章程**、股东身份证明等材料。' },
  { category: 'guide', question: '企业注销需要哪些材料？', similarQuestions: ['注销企业要准备什么'], answer: '企业注销需要清算报告、注销申请书等材料。' },
  {
    category: 'guide', question: '营业执照遗失了怎么补办？', similarQuestions: ['执照丢了怎么补', '营业执照丢失补领'], audience: 'enterprise',
    answer: '登录“一网通办”，搜索“营业执照补领”，在线提交申请，审核通过后可领取新执照。', keywords: ['营业执照', '补领'],
  },
  { category: 'faq', question: '申请劳动人事争议仲裁的时效是多久？', answer: '仲裁时效为一年，从当事人知道或者应当知道其权利被侵害之日起计算。' },
  {
    category: 'faq', question: '帮办页面显示异常怎么办？', similarQuestions: ['页面乱码怎么办'],
    answer: '请刷新页面后重试。<img src=x onerror="window.__xssImg = 1"><script>window.__xssScript = 1</script>\n\n' +
      '[查看说明](javascript:window.__xssLink=1) <a href="https://zwdt.sh.gov.cn" onclick="window.__xssClick=1">一网通办</a>',
  },
];

describe.skipIf(!browserTestsRun)('chat widget in Chromium', () => {
  let rig: BrowserRig;
  let s: BrowserRig['s'];
  let server: BrowserRig['server'];
  let browser: BrowserRig['browser'];
  let page: Page;
  let policyDir: string;

  beforeAll(async () => {
    policyDir = tempDir();
    const policy = path.join(policyDir, '示例区企业年报帮办服务规定.txt');
    fs.writeFileSync(policy, POLICY_TEXT);
    rig = await startRig({ sources: [policy], published: ENTRIES });
    ({ s, server, browser } = rig);
  });
  afterAll(async () => {
    await rig?.close();
    fs.rmSync(policyDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
  });

  it('answers a question with the answer and its source (document title and 文号), then takes 解决', async () => {
    await askWidget(page, '《示例区企业年报帮办服务规定》是什么文件？');
    const answer = lastBot(page);
    await expect.poll(() => answer.locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('示例区行政服务中心印发');
    await expect.poll(() => answer.locator('.bb-source').textContent(), { timeout: 10_000 }).toBe('来源：《示例区企业年报帮办服务规定》 示例服〔2026〕3号');
    await page.screenshot({ path: screenshotPath('widget.png') });
    await answer.getByRole('button', { name: '解决', exact: true }).click();
    await answer.getByRole('status').filter({ hasText: '感谢您的评价' }).waitFor();
    const row = s.kb.db.prepare('SELECT resolved, channel, audience FROM asks ORDER BY asked_at DESC LIMIT 1').get();
    // the demo page's data-audience is the portal's default, not the citizen's declaration: recorded as nobody's
    expect(row).toEqual({ resolved: 1, channel: 'pc', audience: 'all' });
    expect(browser.errors).toEqual([]);
  });

  it('猜你想问: the suggestions are buttons, and clicking one asks it', async () => {
    await askWidget(page, '企业需要哪些材料');
    const suggest = lastBot(page);
    const group = suggest.getByRole('group', { name: '猜你想问' });
    await expect(group.getByRole('button').allTextContents()).resolves.toEqual(expect.arrayContaining(['企业开办需要哪些材料？', '企业注销需要哪些材料？']));
    await group.getByRole('button', { name: '企业开办需要哪些材料？' }).click();
    await page.locator(`${W} .bb-answered`).waitFor();
    await expect.poll(() => page.locator(`${W} .bb-user`).last().textContent(), { timeout: 10_000 }).toContain('企业开办需要哪些材料？');
    await expect.poll(() => lastBot(page).locator('.bb-answer strong').textContent(), { timeout: 10_000 }).toBe('公司章程');
  });

  it('未解决 asks for a reason and records it with the feedback', async () => {
    await askWidget(page, '执照丢了怎么补');
    const answer = lastBot(page);
    await answer.getByRole('button', { name: '未解决' }).click();
    const form = answer.getByRole('form', { name: '未解决的原因' });
    await form.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('请选择或填写');
    await form.getByLabel('答案不对').check();
    await form.getByRole('textbox').fill('没有说在哪个窗口领取');
    await form.getByRole('button', { name: '提交' }).click();
    await answer.getByText('感谢反馈，已转给知识库编辑完善这条答案。').waitFor();
    const ask = s.kb.db.prepare(`SELECT id, question, outcome, resolved, feedback_reason FROM asks WHERE question = '执照丢了怎么补'`).get() as Record<string, unknown>;
    expect(ask).toMatchObject({ outcome: 'answered', resolved: 0, feedback_reason: '答案不对：没有说在哪个窗口领取' });
    const feedback = s.kb.db.prepare('SELECT resolved, reason FROM feedback WHERE ask_id = ?').all(ask.id);
    expect(feedback).toEqual([{ resolved: 0, reason: '答案不对：没有说在哪个窗口领取' }]);
    // and 转人工 is offered next to the thanks
    await answer.getByRole('button', { name: '转人工' }).last().click();
    await page.locator(`${W} .bb-handoff-msg`, { hasText: '正在为您转接线上人工帮办' }).waitFor();
    expect(s.kb.db.prepare('SELECT channel FROM handoffs WHERE ask_id = ?').all(ask.id)).toEqual([{ channel: 'online_agent' }]);
  });

  it('routes an out-of-scope question with the routing message, without answering it', async () => {
    const question = '我要投诉区政务服务中心窗口工作人员态度差';
    await askWidget(page, question);
    const bot = lastBot(page);
    await expect(bot.getAttribute('class')).resolves.toContain('bb-route');
    await expect.poll(() => bot.locator('p').last().textContent(), { timeout: 10_000 }).toBe(checkScope(question)!.message);
    await expect(bot.locator('.bb-answer').count()).resolves.toBe(0);
  });

  it('a routed question still offers what the KB says about that channel, and choosing it shows that entry', async () => {
    const question = '劳动仲裁要交钱吗';
    await askWidget(page, question);
    const bot = lastBot(page);
    await expect(bot.getAttribute('class')).resolves.toContain('bb-route');
    await bot.locator('p', { hasText: checkScope(question)!.message }).waitFor();
    await bot.getByRole('group', { name: '相关问答' }).getByRole('button', { name: '申请劳动人事争议仲裁的时效是多久？' }).click();
    await page.locator(`${W} .bb-answered`, { hasText: '仲裁时效为一年' }).waitFor();
  });

  it('an answer carrying <img onerror> and <script> renders inert', async () => {
    await askWidget(page, '帮办页面显示异常怎么办？');
    const answer = lastBot(page).locator('.bb-answer');
    await expect.poll(() => answer.textContent(), { timeout: 10_000 }).toContain('请刷新页面后重试。');
    await expect(answer.locator('img, script, [onerror], [onclick]').count()).resolves.toBe(0);
    await expect(answer.getByRole('link', { name: '查看说明' }).count()).resolves.toBe(0);
    await expect(answer.getByRole('link', { name: '一网通办' }).getAttribute('href')).resolves.toBe('https://zwdt.sh.gov.cn');
    const flags = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return [w.__xssImg, w.__xssScript, w.__xssLink, w.__xssClick];
    });
    expect(flags).toEqual([undefined, undefined, undefined, undefined]);
    // even HTML that got past the server is cleaned by the widget's own pass (web/shared/sanitize.ts, bundled into widget.js);
    // the same module is bundled here on its own to try it on a blank page
    const widgetJs = fs.readFileSync(path.join(WEB_DIR, 'widget.js'), 'utf8');
    expect(widgetJs).toContain('// web/shared/sanitize.ts');
    expect(widgetJs).toContain('function sanitizeHtml(');
    const sanitizer = (await esbuild.build({
      entryPoints: [path.join(REPO_ROOT, 'web/shared/sanitize.ts')], bundle: true, format: 'iife', globalName: 'bangbanSanitizer', target: 'es2020', write: false,
    })).outputFiles[0].text;
    const blank = await browser.context.newPage();
    await blank.setContent('<!DOCTYPE html><html><body></body></html>');
    await blank.addScriptTag({ content: sanitizer });
    const cleaned = await blank.evaluate(async () => {
      const box = document.createElement('div');
      const clean = (window as unknown as { bangbanSanitizer: { sanitizeHtml(html: string): DocumentFragment } }).bangbanSanitizer.sanitizeHtml;
      box.append(clean('<p>好<img src=x onerror="window.__xssRaw=1"><a href=" java\tscript:alert(1)">链接</a><svg><script>window.__xssRaw=2</script></svg><iframe src="javascript:window.__xssRaw=3"></iframe></p>'));
      document.body.append(box);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { html: box.innerHTML, flag: (window as unknown as Record<string, unknown>).__xssRaw };
    });
    expect(cleaned).toEqual({ html: '<p>好<a rel="noopener noreferrer" target="_blank">链接</a></p>', flag: undefined });
    await blank.close();
  });

  it('typeahead suggests questions from the suggest API; arrow keys and Enter ask one', async () => {
    await page.locator(`${W} .bb-launcher`).click();
    const input = page.locator(`${W} #bb-input`);
    await input.pressSequentially('营业执照');
    const option = page.locator(`${W} #bb-suggest [role="option"]`, { hasText: '营业执照遗失了怎么补办？' });
    await option.waitFor();
    await expect(input.getAttribute('aria-expanded')).resolves.toBe('true');
    const index = await page.locator(`${W} #bb-suggest [role="option"]`).allTextContents().then((all) => all.indexOf('营业执照遗失了怎么补办？'));
    for (let i = 0; i <= index; i++) await input.press('ArrowDown');
    await expect(option.getAttribute('aria-selected')).resolves.toBe('true');
    await input.press('Enter');
    await page.locator(`${W} .bb-answered`).waitFor();
    await expect.poll(() => lastBot(page).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('营业执照补领');
    await expect(page.locator(`${W} #bb-suggest`).isHidden()).resolves.toBe(true);
  });

  it('is keyboard accessible: opens from the keyboard, keeps Tab inside, Esc closes and returns focus', async () => {
    const launcher = page.locator(`${W} .bb-launcher`);
    await expect(launcher.getAttribute('aria-label')).resolves.toBe('打开小申 · 智能客服');
    await launcher.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '小申 · 智能客服' });
    await dialog.waitFor();
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(page.evaluate(() => document.getElementById('bangban-kb-widget')!.shadowRoot!.activeElement?.id)).resolves.toBe('bb-input');
    // Tab through everything: focus never leaves the dialog
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => {
        const root = document.getElementById('bangban-kb-widget')!.shadowRoot!;
        return Boolean(root.activeElement && root.getElementById('bb-panel')!.contains(root.activeElement));
      });
      expect(inside).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog.isHidden()).resolves.toBe(true);
    await expect(page.evaluate(() => document.getElementById('bangban-kb-widget')!.shadowRoot!.activeElement?.className)).resolves.toBe('bb-launcher');
    await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('false');
  });

  it('长者模式 enlarges the text and is remembered', async () => {
    await page.locator(`${W} .bb-launcher`).click();
    const toggle = page.locator(`${W} .bb-elder-toggle`);
    const size = () => page.locator(`${W} #bb-input`).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const normal = await size();
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    expect(await size()).toBeGreaterThanOrEqual(normal * 1.3);
    await page.reload();
    await page.locator(`${W} .bb-launcher`).click();
    await expect(page.locator(`${W} .bb-elder-toggle`).getAttribute('aria-pressed')).resolves.toBe('true');
    await page.locator(`${W} .bb-elder-toggle`).click();
  });

  it('is usable at 360 px wide: the panel fits the screen and nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await askWidget(page, '企业开办需要哪些材料？');
    const box = await page.locator(`${W} .bb-panel`).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    const send = await page.locator(`${W} .bb-send`).boundingBox();
    expect(send!.x + send!.width).toBeLessThanOrEqual(360);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await page.screenshot({ path: screenshotPath('widget-360.png') });
  });
});

describe.skipIf(!browserTestsRun)('widget embedded on another origin', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  /** Allows the portal's origin in KB_WIDGET_ORIGINS. */
  let allowing: Awaited<ReturnType<typeof serve>>;
  /** Allows another origin only. */
  let refusing: Awaited<ReturnType<typeof serve>>;
  let portal: http.Server;
  let portalUrl: string;
  let browser: Awaited<ReturnType<typeof launch>>;
  const saved = process.env.KB_WIDGET_ORIGINS;

  beforeAll(async () => {
    // The portal: its own origin, its own broad styles, a strict CSP of its own, and the one script tag.
    portal = http.createServer((req, res) => {
      const kb = req.url === '/refused' ? refusing.url : allowing.url;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': `default-src 'self'; script-src ${kb}; connect-src ${kb}; style-src 'self'` });
      res.end(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>门户</title></head><body><h1>门户首页</h1>
        <script src="${kb}/widget.js" data-channel="mobile" data-audience="individual"></script></body></html>`);
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    s = await servicesFor([], { clock: fixedClock(WORKDAY_10AM) });
    for (const e of ENTRIES) s.kb.entries.publish(s.kb.entries.create(e, 'test').id, 'test');
    await s.engine.sync();
    process.env.KB_WIDGET_ORIGINS = `https://portal.example.cn, ${portalUrl}`;
    allowing = await serve(s);
    process.env.KB_WIDGET_ORIGINS = 'https://portal.example.cn';
    refusing = await serve(s);
    browser = await launch();
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.KB_WIDGET_ORIGINS;
    else process.env.KB_WIDGET_ORIGINS = saved;
    await browser?.close();
    await allowing?.close();
    await refusing?.close();
    await new Promise((resolve) => portal?.close(resolve));
    s?.cleanup();
  });

  it('calls the API at the origin widget.js came from, allowed by KB_WIDGET_ORIGINS, styled in its shadow root only', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/`);
    await askWidget(page, '企业注销需要哪些材料？');
    await expect.poll(() => lastBot(page).locator('.bb-answer').textContent(), { timeout: 10_000 }).toContain('清算报告');
    const ask = s.kb.db.prepare(`SELECT channel, audience FROM asks WHERE question = '企业注销需要哪些材料？'`).get();
    expect(ask).toEqual({ channel: 'mobile', audience: 'all' }); // data-audience ranks, it does not declare
    // the widget's styles apply (a constructed style sheet passes the portal's CSP) and stay inside the shadow root
    await expect(page.locator(`${W} .bb-send`).evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(11, 92, 173)');
    await expect(page.evaluate(() => getComputedStyle(document.querySelector('h1')!).fontFamily)).resolves.not.toContain('YaHei');
    expect(browser.errors).toEqual([]);
  });

  it('a portal whose origin is not allowed gets no answers: the browser blocks the call', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/refused`);
    await askWidget(page, '企业注销需要哪些材料？');
    await expect(lastBot(page).getAttribute('class')).resolves.toContain('bb-error');
    expect(browser.errors.some((e) => /CORS|Access-Control-Allow-Origin/.test(e))).toBe(true);
    browser.errors.length = 0;
  });
});
