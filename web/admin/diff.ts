/** A readable diff of two versions of an entry: lines first, then the characters of changed lines (Chinese has no spaces). */
import { h } from './dom.js';

export type Op<T> = { op: 'eq' | 'del' | 'ins'; items: T[] };

/** Longest-common-subsequence diff; fine for the sizes shown here (callers bound n × m). */
export function diffSequence<T>(a: T[], b: T[], same: (x: T, y: T) => boolean = (x, y) => x === y): Array<Op<T>> {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = same(a[i], b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: Array<Op<T>> = [];
  const push = (op: Op<T>['op'], item: T) => {
    const last = out[out.length - 1];
    if (last && last.op === op) last.items.push(item);
    else out.push({ op, items: [item] });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (same(a[i], b[j])) {
      push('eq', a[i]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('del', a[i++]);
    else push('ins', b[j++]);
  }
  while (i < n) push('del', a[i++]);
  while (j < m) push('ins', b[j++]);
  return out;
}

/** Largest character grid diffed per changed block; bigger blocks are shown as whole lines. */
const MAX_CHAR_CELLS = 400_000;

/** Renders the diff of two texts into a <div class="diff"> with <del> and <ins>. */
export function textDiff(before: string, after: string): HTMLElement {
  const box = h('div', { class: 'diff' });
  const ops = diffSequence(before.split('\n'), after.split('\n'));
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    const next = ops[k + 1];
    if (op.op === 'del' && next?.op === 'ins') {
      // a changed block: show what changed inside the lines
      const a = op.items.join('\n');
      const b = next.items.join('\n');
      if (a.length * b.length <= MAX_CHAR_CELLS) {
        for (const c of diffSequence([...a], [...b])) box.append(piece(c.op, c.items.join('')));
      } else {
        box.append(piece('del', a), '\n', piece('ins', b));
      }
      box.append('\n');
      k++;
      continue;
    }
    box.append(piece(op.op, op.items.join('\n')), '\n');
  }
  return box;
}

/** Renders the diff of two lists (similar questions, keywords): removed items struck through, added ones marked. */
export function listDiff(before: string[], after: string[]): HTMLElement {
  const box = h('div', { class: 'diff' });
  diffSequence(before, after).forEach((op) => {
    for (const item of op.items) box.append(piece(op.op, item), '\n');
  });
  return box;
}

function piece(op: Op<unknown>['op'], text: string): Node {
  if (op === 'eq') return document.createTextNode(text);
  return h(op, { title: op === 'del' ? '删除' : '新增' }, text);
}
