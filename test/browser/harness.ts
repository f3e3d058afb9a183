/** Browser tests: Debian's Chromium driven by playwright-core against the real server on loopback. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { createApp } from '../../server/app.js';
import { WEB_DIR } from '../../server/routes/pages/index.js';
import type { Services } from '../../server/services.js';
import type { EntryInput } from '../../server/kb/validate.js';
import { fixedClock } from '../../server/kb/clock.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { servicesFor } from '../helpers/services.js';

export const CHROMIUM = process.env.KB_CHROMIUM ?? '/usr/bin/chromium';

/** In CI the browser tests must run (and fail without Chromium); elsewhere they skip when it is not installed. */
export const browserTestsRun = Boolean(process.env.CI) || fs.existsSync(CHROMIUM);
if (!browserTestsRun) console.log(`跳过浏览器测试：没有 ${CHROMIUM}（apt-get install -y chromium 后即可运行）`);

/** Screenshots for people to look at (git-ignored). */
export const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output');

export async function serve(s: Services): Promise<{ url: string; close(): Promise<void> }> {
  if (!fs.existsSync(path.join(WEB_DIR, 'widget.js')) || !fs.existsSync(path.join(WEB_DIR, 'admin', 'main.js'))) {
    throw new Error('浏览器代码尚未构建：请先运行 npm run build（npm test 会先构建）');
  }
  const server: Server = await new Promise((resolve) => {
    const srv = createApp(s).listen(0, '127.0.0.1', () => resolve(srv));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A fresh Chromium profile in a temporary folder, Chinese locale, with its page errors collected. */
export async function launch(): Promise<{ context: BrowserContext; errors: string[]; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`没有找到 Chromium：${CHROMIUM}（CI 中由 .ci/run 用 apt-get install -y chromium 安装）`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  // A step that cannot happen fails within the test's time with Playwright's message naming the step.
  context.setDefaultTimeout(10_000);
  const errors: string[] = [];
  context.on('page', (page) => watch(page, errors));
  for (const page of context.pages()) watch(page, errors);
  return {
    context,
    errors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

function watch(page: Page, errors: string[]): void {
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // favicon.ico is not served, and tests provoke 401/403 on purpose; anything else is a fault
    if (msg.type() !== 'error' || /favicon\.ico$/.test(msg.location().url) || /status of 40[13]/.test(msg.text())) return;
    errors.push(`console: ${msg.text()}`);
  });
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  return path.join(OUTPUT_DIR, name);
}

/** 2026-07-01 is a Wednesday: 10:00 in Shanghai, within the online agents' hours. The browser tests' clock. */
export const WORKDAY_10AM = '2026-07-01T02:00:00Z';

export interface BrowserRig {
  s: Awaited<ReturnType<typeof servicesFor>>;
  server: Awaited<ReturnType<typeof serve>>;
  browser: Awaited<ReturnType<typeof launch>>;
  /** Closes the browser, the server and the services (removing their data directory). */
  close(): Promise<void>;
}

/**
 * What each browser test starts from: services at WORKDAY_10AM (`sources` imported and published, `published`
 * entries created and published, the index in step), served on loopback, and a fresh Chromium.
 */
export async function startRig(opts: { sources?: string[]; published?: EntryInput[] } = {}): Promise<BrowserRig> {
  const s = await servicesFor(opts.sources ?? [], { clock: fixedClock(WORKDAY_10AM) });
  let server: BrowserRig['server'] | undefined;
  try {
    for (const e of opts.published ?? []) s.kb.entries.publish(s.kb.entries.create(e, 'test').id, 'test');
    await s.engine.sync();
    server = await serve(s);
    const browser = await launch();
    const srv = server;
    return {
      s, server: srv, browser,
      async close() {
        await browser.close();
        await srv.close();
        s.cleanup();
      },
    };
  } catch (err) {
    await server?.close();
    s.cleanup();
    throw err;
  }
}

/** Opens the admin page in a new tab and signs in with a token; resolves once the navigation is shown. */
export async function signInAdmin(context: BrowserContext, baseUrl: string, token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/admin`);
  await page.getByLabel('访问令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '功能' }).waitFor();
  return page;
}

/** The widget's shadow root content (Playwright's CSS selectors pierce open shadow roots). */
export const W = '#bangban-kb-widget';

/** Opens the widget and asks a question; resolves once the answer (not the typing indicator) is shown. */
export async function askWidget(page: Page, question: string): Promise<void> {
  const bots = page.locator(`${W} .bb-bot`);
  const before = await bots.count();
  if (await page.locator(`${W} .bb-panel`).isHidden()) await page.locator(`${W} .bb-launcher`).click();
  const input = page.locator(`${W} #bb-input`);
  await input.fill(question);
  await input.press('Enter');
  await page.locator(`${W} .bb-bot:not(:has(.bb-typing))`).nth(Math.max(before, 1)).waitFor();
}

/** The last bot message of the widget. */
export function lastBot(page: Page) {
  return page.locator(`${W} .bb-bot`).last();
}

/** An .xlsx Q&A sheet with the import's Chinese headers. */
export async function writeSheet(file: string, rows: Array<Record<string, string>>): Promise<void> {
  const columns = ['问题', '答案', '相似问法', '分类', '事项', '责任单位', '层级', '区域', '对象', '关键词', '生效日期', '失效日期'];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问答');
  ws.addRow(columns);
  for (const r of rows) ws.addRow(columns.map((c) => r[c] ?? ''));
  await wb.xlsx.writeFile(file);
}

/** Cell texts of an .xlsx file's first sheet. */
export async function readSheet(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cell.text));
    rows.push(Array.from({ length: 12 }, (_, i) => cells[i] ?? ''));
  });
  return rows;
}

/** A small policy document of our own (title, 文号, sections, effective date). */
export const POLICY_TEXT = [
  '示例区行政服务中心', '', '示例服〔2026〕3号', '', '示例区企业年报帮办服务规定', '',
  '为做好企业年度报告帮办服务，现规定如下。', '', '一、办理时限', '', '企业年报帮办申请，区行政服务中心应当在3个工作日内办结。', '',
  '二、服务渠道', '', '企业可以通过“一网通办”网站或者“随申办”APP申请年报帮办服务，也可以到区行政服务中心窗口申请。', '',
  '三、施行日期', '', '本规定自2026年6月1日起施行。',
].join('\n');
