/*
 * Styles of the chat widget, applied inside its shadow root only (the host page's CSS cannot reach in and these
 * rules cannot leak out). Sizes are in em of the root so 长者模式 scales everything by changing one font size.
 */
export const WIDGET_CSS = `
:host { all: initial; }
.bb-root {
  --bb-blue: #0b5cad; --bb-blue-dark: #083f78; --bb-ink: #1f2329; --bb-muted: #5c6470; --bb-line: #d9dee6; --bb-soft: #f2f5f9;
  --bb-ok: #1b7f3b; --bb-warn: #a15c00;
  font: 15px/1.6 "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", system-ui, sans-serif;
  color: var(--bb-ink);
}
.bb-root.bb-elder { font-size: 20px; }
.bb-root *, .bb-root *::before, .bb-root *::after { box-sizing: border-box; }
.bb-sr { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
button, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }

.bb-launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  display: flex; align-items: center; gap: .4em; padding: .7em 1.1em; border: 0; border-radius: 2em;
  background: var(--bb-blue); color: #fff; font-size: 1em; font-weight: 600; box-shadow: 0 4px 16px rgba(0, 0, 0, .25);
}
.bb-launcher:hover { background: var(--bb-blue-dark); }
.bb-launcher svg { width: 1.3em; height: 1.3em; fill: currentColor; }

.bb-panel {
  position: fixed; right: 20px; bottom: 84px; z-index: 2147483001;
  width: min(400px, calc(100vw - 24px)); height: min(640px, calc(100vh - 108px));
  display: flex; flex-direction: column; background: #fff; border: 1px solid var(--bb-line); border-radius: 12px;
  box-shadow: 0 12px 40px rgba(0, 0, 0, .22); overflow: hidden;
}
.bb-elder .bb-panel { width: min(520px, calc(100vw - 24px)); }
.bb-panel[hidden] { display: none; }
.bb-header { display: flex; align-items: center; gap: .5em; padding: .6em .8em; background: var(--bb-blue); color: #fff; }
.bb-header h2 { flex: 1; margin: 0; font-size: 1.05em; font-weight: 600; }
.bb-header button { border: 1px solid rgba(255, 255, 255, .6); background: transparent; color: #fff; border-radius: 6px; padding: .15em .55em; font-size: .9em; }
.bb-header button[aria-pressed="true"] { background: #fff; color: var(--bb-blue); }
.bb-header .bb-close { font-size: 1.2em; line-height: 1; padding: .15em .45em; }

.bb-log { flex: 1; overflow-y: auto; padding: .8em; background: var(--bb-soft); }
.bb-msg { max-width: 92%; margin: 0 0 .8em; padding: .6em .8em; border-radius: 10px; word-wrap: break-word; overflow-wrap: anywhere; }
.bb-user { margin-left: auto; background: var(--bb-blue); color: #fff; border-bottom-right-radius: 2px; }
.bb-user p { margin: 0; white-space: pre-wrap; }
.bb-bot { background: #fff; border: 1px solid var(--bb-line); border-bottom-left-radius: 2px; }
.bb-bot p { margin: 0 0 .4em; }
.bb-bot p:last-child { margin-bottom: 0; }
.bb-answer :is(ul, ol) { margin: .3em 0 .3em 1.3em; padding: 0; }
.bb-answer table { border-collapse: collapse; margin: .4em 0; font-size: .92em; }
.bb-answer :is(th, td) { border: 1px solid var(--bb-line); padding: .2em .4em; }
.bb-answer a { color: var(--bb-blue); }
.bb-answer pre { white-space: pre-wrap; }
.bb-source { margin-top: .5em !important; padding-top: .4em; border-top: 1px dashed var(--bb-line); color: var(--bb-muted); font-size: .85em; }
.bb-notice { margin-top: .5em !important; padding: .3em .5em; border-radius: 4px; background: #fff7e0; color: #7a4b00; font-size: .9em; }
.bb-route { border-left: 4px solid var(--bb-warn); }
.bb-error { border-left: 4px solid #c0392b; }
.bb-actions { display: flex; flex-wrap: wrap; align-items: center; gap: .4em; margin-top: .6em; font-size: .9em; }
.bb-actions .bb-label { color: var(--bb-muted); margin-right: .2em; }
.bb-btn { border: 1px solid var(--bb-blue); background: #fff; color: var(--bb-blue); border-radius: 16px; padding: .2em .8em; }
.bb-btn:hover { background: #e8f0fa; }
.bb-btn.bb-primary { background: var(--bb-blue); color: #fff; }
.bb-btn:disabled { opacity: .55; cursor: default; }
.bb-suggestions { display: flex; flex-direction: column; align-items: flex-start; gap: .35em; margin-top: .5em; }
.bb-suggestions .bb-btn { text-align: left; border-radius: 8px; }
.bb-thanks { color: var(--bb-ok); font-size: .9em; margin-top: .5em !important; }
.bb-reason { margin-top: .6em; padding: .5em; background: var(--bb-soft); border-radius: 8px; }
.bb-reason fieldset { border: 0; margin: 0; padding: 0; }
.bb-reason legend { padding: 0; margin-bottom: .3em; font-size: .9em; }
.bb-reason label { display: inline-flex; align-items: center; gap: .25em; margin: 0 .6em .3em 0; font-size: .9em; }
.bb-reason textarea { width: 100%; min-height: 3.2em; margin: .2em 0 .4em; padding: .3em; border: 1px solid var(--bb-line); border-radius: 6px; resize: vertical; }
.bb-typing { color: var(--bb-muted); font-size: .9em; }

.bb-form { position: relative; display: flex; gap: .5em; padding: .6em; border-top: 1px solid var(--bb-line); background: #fff; }
.bb-combo { position: relative; flex: 1; }
.bb-form input { width: 100%; padding: .55em .7em; border: 1px solid #aab3c0; border-radius: 8px; background: #fff; }
.bb-form input:focus { border-color: var(--bb-blue); }
.bb-send { border: 0; border-radius: 8px; padding: 0 1em; background: var(--bb-blue); color: #fff; font-weight: 600; }
.bb-send:disabled { opacity: .6; cursor: default; }
.bb-suggest {
  position: absolute; left: 0; right: 0; bottom: calc(100% + 4px); margin: 0; padding: .25em 0; list-style: none;
  background: #fff; border: 1px solid var(--bb-line); border-radius: 8px; box-shadow: 0 -4px 16px rgba(0, 0, 0, .12); max-height: 14em; overflow-y: auto;
}
.bb-suggest[hidden] { display: none; }
.bb-suggest li { padding: .4em .7em; cursor: pointer; }
.bb-suggest li[aria-selected="true"], .bb-suggest li:hover { background: #e8f0fa; }

@media (max-width: 480px) {
  .bb-panel, .bb-elder .bb-panel { right: 0; bottom: 0; width: 100vw; height: 100%; border-radius: 0; border: 0; }
  .bb-launcher { right: 12px; bottom: 12px; }
  .bb-msg { max-width: 100%; }
  .bb-user { max-width: 85%; }
}
`;
