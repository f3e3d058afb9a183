/*
 * 小申 chat widget. Embedded with one tag:
 *   <script src="https://host/widget.js" data-channel="pc" data-audience="enterprise"></script>
 * Optional data-region, data-title and data-api (API base; default: the origin widget.js was loaded from).
 * Loaded as a classic script: document.currentScript gives its own URL and data attributes. esbuild bundles this entry
 * point with what it imports into one self-contained function (web/build.mjs), so it defines nothing on the host page.
 */
import { sanitizeHtml } from '../shared/sanitize.js';
import { WIDGET_CSS } from './styles.js';
import type { AnswerResponse, SuggestResponse } from '../../shared/answer.js';
import type { Audience, Channel } from '../../shared/domain.js';

interface WidgetConfig {
  api: string;
  channel: string;
  audience: string | null;
  region: string | null;
  title: string;
}

const WIDGET_CHANNELS: readonly string[] = ['pc', 'mobile', 'app', 'miniprogram', 'kiosk', 'api'] as const satisfies readonly Channel[];
const WIDGET_AUDIENCES: readonly string[] = ['enterprise', 'individual', 'all'] as const satisfies readonly Audience[];
const ELDER_KEY = 'bangban-kb-elder-mode';
const UNRESOLVED_REASONS = ['答案不对', '看不懂', '没有回答我的问题', '信息过时'];
/** On 猜你想问 or no answer: what the citizen can say about a reply that was not an answer. */
const NOT_FOUND_REASONS = ['都不是我要问的', '问题没有被理解', '需要更具体的答复'];
const TO_EDITORS = '已转给知识库编辑，我们会在 5 个工作日内补充这个问题的答案。';

/** A sentence without its closing punctuation, so that callers can go on after it without “。。”. */
function clause(text: string): string {
  return text.trim().replace(/[。．.！!？?；;，,、\s]+$/u, '');
}

/** What a failed request means to the citizen, in Chinese, as a clause (no closing punctuation). */
function failureText(status: number, message: string | undefined, retryAfter: string | null): string {
  if (status === 429) {
    const seconds = Number(retryAfter);
    return message && /[\u4e00-\u9fff]/.test(message) ? clause(message) : `提问过于频繁，请${seconds > 0 ? ` ${seconds} 秒后` : '稍后'}再试`;
  }
  if (status >= 500) return '服务暂时出了点问题，请稍后再试';
  // the API's 4xx messages are Chinese; anything else (a proxy's page) is not shown
  if (message && /[\u4e00-\u9fff]/.test(message)) return clause(message);
  return `请求没有成功（错误代码 ${status}），请稍后再试`;
}
function widgetConfig(script: HTMLScriptElement | null): WidgetConfig {
  const data = script?.dataset ?? {};
  let api = location.origin;
  try {
    api = data.api ? new URL(data.api, location.href).origin : script?.src ? new URL(script.src).origin : location.origin;
  } catch {
    // keep the page's origin
  }
  const channel = data.channel && WIDGET_CHANNELS.includes(data.channel) ? data.channel : 'pc';
  const audience = data.audience && WIDGET_AUDIENCES.includes(data.audience) ? data.audience : null;
  return { api, channel, audience, region: data.region?.trim() || null, title: data.title?.trim() || '小申 · 智能客服' };
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return 'w_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Creates an element with attributes and children (strings become text, never HTML). */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean> = {},
  ...children: Array<Node | string | null>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null) node.append(c);
  return node;
}

/** The launcher's speech-bubble icon, built as SVG nodes (the widget never assigns HTML strings). */
function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2h-9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5v2h2v-2zm4 0v2h2v-2zm4 0v2h2v-2z');
  svg.append(path);
  return svg;
}

class ChatWidget {
  private readonly root: HTMLDivElement;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly log: HTMLDivElement;
  private readonly input: HTMLInputElement;
  private readonly send: HTMLButtonElement;
  private readonly list: HTMLUListElement;
  private readonly elderButton: HTMLButtonElement;
  private readonly sessionId = randomId();
  private greeted = false;
  private busy = false;
  private suggestTimer: number | undefined;
  private suggestSeq = 0;
  private active = -1;

  constructor(private readonly config: WidgetConfig, private readonly shadow: ShadowRoot) {
    this.launcher = el('button', { type: 'button', class: 'bb-launcher', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'bb-panel', 'aria-label': `打开${config.title}` });
    this.launcher.append(chatIcon(), el('span', {}, '智能客服'));
    this.elderButton = el('button', { type: 'button', class: 'bb-elder-toggle', 'aria-pressed': 'false', title: '放大字号' }, '长者模式');
    const close = el('button', { type: 'button', class: 'bb-close', 'aria-label': '关闭对话窗口' }, '×');
    this.log = el('div', { class: 'bb-log', role: 'log', 'aria-live': 'polite', 'aria-label': '对话记录', tabindex: '0' });
    this.input = el('input', {
      id: 'bb-input', type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'bb-suggest',
      autocomplete: 'off', maxlength: '500', enterkeyhint: 'send', placeholder: '请输入您的问题',
    });
    this.list = el('ul', { id: 'bb-suggest', class: 'bb-suggest', role: 'listbox', 'aria-label': '输入建议', hidden: true });
    this.send = el('button', { type: 'submit', class: 'bb-send' }, '发送');
    const form = el(
      'form',
      { class: 'bb-form', role: 'search', 'aria-label': '提问' },
      el('label', { for: 'bb-input', class: 'bb-sr' }, '输入您的问题'),
      el('div', { class: 'bb-combo' }, this.input, this.list),
      this.send,
    );
    this.panel = el(
      'section',
      { id: 'bb-panel', class: 'bb-panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'bb-title', hidden: true },
      el('header', { class: 'bb-header' }, el('h2', { id: 'bb-title' }, config.title), this.elderButton, close),
      this.log,
      form,
    );
    this.root = el('div', { class: 'bb-root', lang: 'zh-CN' }, this.launcher, this.panel);
    shadow.append(this.root);

    this.launcher.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()));
    close.addEventListener('click', () => this.close());
    this.elderButton.addEventListener('click', () => this.setElder(!this.root.classList.contains('bb-elder'), true));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const option = this.active >= 0 ? (this.list.children[this.active] as HTMLElement) : null;
      void this.ask(option?.textContent ?? this.input.value, option?.dataset.unit ? Number(option.dataset.unit) : undefined);
    });
    this.input.addEventListener('input', () => this.scheduleSuggest());
    this.input.addEventListener('keydown', (e) => this.onInputKey(e));
    this.input.addEventListener('blur', () => window.setTimeout(() => this.hideSuggest(), 150));
    this.panel.addEventListener('keydown', (e) => this.onPanelKey(e));
    let elder = false;
    try {
      elder = localStorage.getItem(ELDER_KEY) === '1';
    } catch {
      // storage may be blocked for third-party pages
    }
    this.setElder(elder, false);
  }

  open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    if (!this.greeted) {
      this.greeted = true;
      this.bot([el('p', {}, '您好，我是小申。请直接输入您想办的事或想问的政策，例如“营业执照丢了怎么补办”。')]);
    }
    this.input.focus();
  }

  close(): void {
    this.hideSuggest();
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  private setElder(on: boolean, remember: boolean): void {
    this.root.classList.toggle('bb-elder', on);
    this.elderButton.setAttribute('aria-pressed', String(on));
    if (!remember) return;
    try {
      localStorage.setItem(ELDER_KEY, on ? '1' : '0');
    } catch {
      // not remembered, still applied
    }
  }

  /** Keeps Tab inside the open panel; Esc closes the typeahead first, then the panel. */
  private onPanelKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      if (!this.list.hidden) this.hideSuggest();
      else this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusable = Array.from(this.panel.querySelectorAll<HTMLElement>('button:not([disabled]), input, textarea, a[href], [tabindex="0"]')).filter(
      (x) => !x.closest('[hidden]') && x.offsetParent !== null,
    );
    if (!focusable.length) return;
    const current = this.shadow.activeElement;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && (current === first || !this.panel.contains(current))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (current === last || !this.panel.contains(current))) {
      e.preventDefault();
      first.focus();
    }
  }

  private onInputKey(e: KeyboardEvent): void {
    const n = this.list.hidden ? 0 : this.list.children.length;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && n) {
      e.preventDefault();
      this.highlight(e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n);
    }
  }

  private highlight(i: number): void {
    Array.from(this.list.children).forEach((li, j) => li.setAttribute('aria-selected', String(i === j)));
    this.active = i;
    if (i >= 0) this.input.setAttribute('aria-activedescendant', `bb-opt-${i}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  private hideSuggest(): void {
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.highlight(-1);
  }

  /** Typeahead from /suggest, 250 ms after the last keystroke; late answers to older input are dropped. */
  private scheduleSuggest(): void {
    window.clearTimeout(this.suggestTimer);
    const q = this.input.value.trim();
    const seq = ++this.suggestSeq;
    if (q.length < 2) {
      this.hideSuggest();
      return;
    }
    this.suggestTimer = window.setTimeout(async () => {
      try {
        const res = await fetch(`${this.config.api}/api/v1/suggest?q=${encodeURIComponent(q.slice(0, 100))}`);
        if (!res.ok || seq !== this.suggestSeq) return;
        const { suggestions } = (await res.json()) as SuggestResponse;
        if (seq !== this.suggestSeq || this.panel.hidden) return;
        this.list.replaceChildren(
          ...suggestions.slice(0, 6).map((s, i) => {
            const li = el('li', { id: `bb-opt-${i}`, role: 'option', 'aria-selected': 'false', 'data-unit': String(s.unitId) }, s.question);
            li.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
            li.addEventListener('click', () => void this.ask(s.question, s.unitId));
            return li;
          }),
        );
        this.list.hidden = suggestions.length === 0;
        this.input.setAttribute('aria-expanded', String(!this.list.hidden));
        this.highlight(-1);
      } catch {
        // typeahead is a convenience: stay quiet when it fails
      }
    }, 250);
  }

  /** POSTs to the API; a failure throws an Error whose message is a Chinese clause a citizen can act on. */
  private async post<T>(path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.config.api}/api/v1/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      // the browser's own words (“Failed to fetch”) are English and say nothing to a citizen
      throw new Error('网络连接失败，请检查网络后再试');
    }
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => ({}))) as { message?: string };
    if (!res.ok) throw new Error(failureText(res.status, data.message, res.headers.get('Retry-After')));
    return data as T;
  }

  /**
   * Asks a question; `pick` is the unit a suggestion stood for, so choosing it shows exactly that answer, and
   * `fromAskId` the 猜你想问 reply it was chosen from (the KB learns from the choice).
   */
  async ask(text: string, pick?: number, fromAskId?: string): Promise<void> {
    const question = text.trim();
    if (!question || this.busy) return;
    this.hideSuggest();
    window.clearTimeout(this.suggestTimer);
    this.suggestSeq++;
    this.input.value = '';
    this.user(question);
    this.busy = true;
    this.send.disabled = true;
    const typing = this.bot([el('p', { class: 'bb-typing' }, '小申正在查找答案…')]);
    this.log.setAttribute('aria-busy', 'true');
    try {
      const body: Record<string, string | number> = { question, channel: this.config.channel, sessionId: this.sessionId };
      if (pick !== undefined) body.pick = pick;
      if (pick !== undefined && fromAskId) body.fromAskId = fromAskId;
      // the portal's default ranks its audience's entries first; it is not the citizen's declaration of who they are
      if (this.config.audience) body.portalAudience = this.config.audience;
      if (this.config.region) body.region = this.config.region;
      const out = await this.post<AnswerResponse>('answer', body);
      typing.remove();
      this.showAnswer(out);
    } catch (err) {
      typing.remove();
      this.bot([el('p', {}, `抱歉，${clause((err as Error).message)}。如需帮助，也可拨打 12345 市民服务热线。`)], 'bb-error');
    } finally {
      this.busy = false;
      this.send.disabled = false;
      this.log.removeAttribute('aria-busy');
      if (!this.panel.hidden) this.input.focus();
    }
  }

  private showAnswer(out: AnswerResponse): void {
    if (out.outcome === 'answered' && out.answer) {
      const a = out.answer;
      const answer = el('div', { class: 'bb-answer' });
      answer.append(sanitizeHtml(a.html));
      const parts: Array<Node | null> = [answer];
      if (a.notice) parts.push(el('p', { class: 'bb-notice' }, a.notice));
      if (a.source) {
        const where = [`《${a.source.documentTitle.replace(/^《|》$/g, '')}》`, a.source.docNumber, a.source.section ? `第 ${a.source.section} 部分` : null].filter(Boolean).join(' ');
        parts.push(el('p', { class: 'bb-source' }, `来源：${where}`));
      }
      const msg = this.bot(parts, 'bb-answered');
      msg.append(this.feedbackBar(out));
      return;
    }
    if (out.outcome === 'out_of_scope') {
      // Routed elsewhere; what the KB says about that channel (仲裁时效, 举报电话) is still offered.
      this.bot([el('p', {}, out.message), ...this.suggestionGroup(out, '相关问答')], 'bb-route');
      return;
    }
    const parts: Node[] = [el('p', {}, out.message), ...this.suggestionGroup(out, '猜你想问')];
    const msg = this.bot(parts, out.outcome === 'suggest' ? 'bb-suggest-msg' : 'bb-no-answer');
    msg.append(this.notFoundBar(out));
  }

  /** 未解决 on 猜你想问 or no answer: the citizen says why, and the question goes to the KB editors. */
  private notFoundBar(out: AnswerResponse): HTMLElement {
    const no = el('button', { type: 'button', class: 'bb-btn' }, '未解决');
    const bar = el('div', { class: 'bb-actions', role: 'group', 'aria-label': '没有找到答案？' }, no, out.handoff.offered ? this.handoffButton(out.askId) : null);
    this.asksWhy(no, bar, out.askId, NOT_FOUND_REASONS, '为什么没有解决？', TO_EDITORS, out.handoff.offered);
    return bar;
  }

  /**
   * 未解决 opens the reason form in place of the bar; sent, a thank-you note (and 转人工 when offered) takes its
   * place; cancelled, the bar comes back.
   */
  private asksWhy(no: HTMLButtonElement, bar: HTMLElement, askId: string, reasons: string[], legend: string, thanksText: string, handoff: boolean): void {
    no.addEventListener('click', () => {
      const form = this.reasonForm(askId, reasons, legend, () => {
        const thanks = el('p', { class: 'bb-thanks', role: 'status' }, thanksText);
        form.replaceWith(thanks);
        if (handoff) thanks.after(el('div', { class: 'bb-actions' }, this.handoffButton(askId)));
      }, () => {
        form.replaceWith(bar);
        no.focus();
      });
      bar.replaceWith(form);
      form.querySelector<HTMLInputElement>('input')?.focus();
    });
  }

  /** 解决 / 未解决 (未解决 asks why, then records it) and 转人工. */
  private feedbackBar(out: AnswerResponse): HTMLElement {
    const yes = el('button', { type: 'button', class: 'bb-btn' }, '解决');
    const no = el('button', { type: 'button', class: 'bb-btn' }, '未解决');
    const bar = el('div', { class: 'bb-actions', role: 'group', 'aria-label': '这个回答解决您的问题了吗？' }, el('span', { class: 'bb-label' }, '解决您的问题了吗？'), yes, no, this.handoffButton(out.askId));
    yes.addEventListener('click', async () => {
      yes.disabled = no.disabled = true;
      try {
        await this.post('feedback', { askId: out.askId, resolved: true });
        bar.replaceWith(el('p', { class: 'bb-thanks', role: 'status' }, '感谢您的评价！'));
      } catch (err) {
        yes.disabled = no.disabled = false;
        this.bot([el('p', {}, `评价未能提交：${clause((err as Error).message)}。`)], 'bb-error');
      }
    });
    this.asksWhy(no, bar, out.askId, UNRESOLVED_REASONS, '哪里没有解决？', '感谢反馈，已转给知识库编辑完善这条答案。', true);
    return bar;
  }

  private reasonForm(askId: string, reasons: string[], legend: string, onSent: () => void, onCancel: () => void): HTMLFormElement {
    const name = `bb-reason-${askId}`;
    const text = el('textarea', { maxlength: '500', 'aria-label': '补充说明（选填）', placeholder: '补充说明（选填）' });
    const submit = el('button', { type: 'submit', class: 'bb-btn bb-primary' }, '提交');
    const cancel = el('button', { type: 'button', class: 'bb-btn' }, '取消');
    const error = el('p', { class: 'bb-sr', role: 'alert' });
    const fieldset = el('fieldset', {}, el('legend', {}, legend));
    for (const r of reasons) fieldset.append(el('label', {}, el('input', { type: 'radio', name, value: r }), r));
    const form = el('form', { class: 'bb-reason', 'aria-label': '未解决的原因' }, fieldset, text, error, el('div', { class: 'bb-actions' }, submit, cancel));
    cancel.addEventListener('click', onCancel);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const chosen = form.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value ?? '';
      const reason = [chosen, text.value.trim()].filter(Boolean).join('：');
      if (!reason) {
        error.className = 'bb-thanks';
        error.textContent = '请选择或填写没有解决的原因';
        return;
      }
      submit.disabled = true;
      try {
        await this.post('feedback', { askId, resolved: false, reason: reason.slice(0, 500) });
        onSent();
      } catch (err) {
        submit.disabled = false;
        error.className = 'bb-thanks';
        error.textContent = `未能提交：${clause((err as Error).message)}。`;
      }
    });
    return form;
  }

  private handoffButton(askId: string): HTMLButtonElement {
    const b = el('button', { type: 'button', class: 'bb-btn bb-handoff' }, '转人工');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const out = await this.post<{ message: string }>('handoff', { askId });
        this.bot([el('p', {}, out.message)], 'bb-handoff-msg');
      } catch (err) {
        b.disabled = false;
        this.bot([el('p', {}, `转人工失败：${clause((err as Error).message)}。请拨打 12345 市民服务热线。`)], 'bb-error');
      }
    });
    return b;
  }

  /** The reply's suggestions as buttons that show exactly the chosen unit (none: nothing). */
  private suggestionGroup(out: AnswerResponse, name: string): Node[] {
    if (!out.suggestions.length) return [];
    const group = el('div', { class: 'bb-suggestions', role: 'group', 'aria-label': name }, el('p', { class: 'bb-label' }, `${name}：`));
    for (const s of out.suggestions) {
      const b = el('button', { type: 'button', class: 'bb-btn' }, s.question);
      b.addEventListener('click', () => void this.ask(s.question, s.unitId, out.askId));
      group.append(b);
    }
    return [group];
  }

  private user(text: string): void {
    this.log.append(el('div', { class: 'bb-msg bb-user' }, el('span', { class: 'bb-sr' }, '我：'), el('p', {}, text)));
    this.scroll();
  }

  private bot(children: Array<Node | null>, kind = ''): HTMLDivElement {
    const msg = el('div', { class: `bb-msg bb-bot ${kind}`.trim() }, el('span', { class: 'bb-sr' }, '小申：'), ...children);
    this.log.append(msg);
    this.scroll();
    return msg;
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function mountWidget(script: HTMLScriptElement | null): void {
  if (document.getElementById('bangban-kb-widget')) return; // embedded twice: keep the first
  const host = document.createElement('div');
  host.id = 'bangban-kb-widget';
  const shadow = host.attachShadow({ mode: 'open' });
  // Constructed style sheets are not inline <style>: they work under a host page's strict CSP too.
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = WIDGET_CSS;
    shadow.append(style);
  }
  document.body.append(host);
  new ChatWidget(widgetConfig(script), shadow);
}

{
  // currentScript is only set while this script first runs: read it now, mount once the body exists.
  const script = document.currentScript as HTMLScriptElement | null;
  if (document.body) mountWidget(script);
  else document.addEventListener('DOMContentLoaded', () => mountWidget(script));
}
