/*
 * Allowlist HTML sanitiser for answers, run in the browser on top of the server's own (defence in depth).
 * Bundled into both the chat widget and the admin page (web/build.mjs). Parsing happens in a DOMParser document, which never runs scripts nor loads
 * images, so nothing in the input can act before it is cleaned.
 */

/** Tags kept, with the attributes each may keep: the server sanitiser's tags, links to absolute http(s)/tel/mailto URLs only. */
const SANITIZE_ALLOWED: Record<string, readonly string[]> = {
  p: [], br: [], strong: [], em: [], b: [], i: [], ul: [], ol: ['start'], li: [], a: ['href', 'title'], code: [], pre: [],
  blockquote: [], h3: [], h4: [], h5: [], h6: [], table: [], thead: [], tbody: [], tr: [], th: ['align'], td: ['align'],
  hr: [], del: [],
};

/** Tags removed with everything inside them (other unknown tags are unwrapped: their text stays). */
const SANITIZE_DROP = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'noscript', 'svg', 'math',
  'form', 'input', 'button', 'textarea', 'select', 'option', 'link', 'meta', 'base', 'img', 'picture', 'source', 'video',
  'audio', 'track', 'canvas', 'map', 'area', 'head', 'title',
]);

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** Absolute http(s), mailto and tel links only (control characters and spaces are ignored, as browsers do). */
function isSafeHref(value: string): boolean {
  const compact = value.replace(/[\u0000-\u0020\u007f]/g, '');
  return /^(?:https?:\/\/|mailto:|tel:)/i.test(compact);
}

function sanitizeChildren(parent: Element): void {
  for (const node of Array.from(parent.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) continue;
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node.parentNode?.removeChild(node); // comments, processing instructions
      continue;
    }
    const el = node as Element;
    const tag = el.localName.toLowerCase();
    if (el.namespaceURI !== HTML_NS || SANITIZE_DROP.has(tag)) {
      el.remove();
      continue;
    }
    sanitizeChildren(el);
    const allowed = SANITIZE_ALLOWED[tag];
    if (!allowed) {
      el.replaceWith(...Array.from(el.childNodes));
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      if (!allowed.includes(attr.name) || (attr.name === 'href' && !isSafeHref(attr.value))) el.removeAttribute(attr.name);
    }
    if (tag === 'a') {
      el.setAttribute('rel', 'noopener noreferrer');
      el.setAttribute('target', '_blank');
    }
  }
}

/** Cleans untrusted HTML into nodes owned by `target` (default: this document), ready to append. */
export function sanitizeHtml(html: string, target: Document = document): DocumentFragment {
  const parsed = new DOMParser().parseFromString(`<!DOCTYPE html><html><body>${html}</body></html>`, 'text/html');
  sanitizeChildren(parsed.body);
  const fragment = target.createDocumentFragment();
  while (parsed.body.firstChild) fragment.appendChild(target.adoptNode(parsed.body.firstChild));
  return fragment;
}
