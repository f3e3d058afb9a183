/**
 * A readable diff of two versions of an entry: lines first, then the characters of changed lines (Chinese has no
 * spaces). The diffing is jsdiff's (Myers' algorithm, bundled into the page); this module only decides what is
 * shown as removed (<del>) and added (<ins>).
 */
import { diffArrays, diffChars } from 'diff';
import { h } from './dom.js';

export type DiffOp = 'eq' | 'del' | 'ins';
/** A run of text as shown: unchanged, removed or added. */
export interface DiffPiece {
  op: DiffOp;
  text: string;
}

/** Changed blocks whose characters differ in more places than this are shown as whole lines (removed, then added). */
const MAX_CHAR_EDITS = 500;

const opOf = (c: { added: boolean; removed: boolean }): DiffOp => (c.added ? 'ins' : c.removed ? 'del' : 'eq');

/** The pieces of the diff of two texts, line breaks included (as unchanged '\n'). */
export function textDiffPieces(before: string, after: string): DiffPiece[] {
  const out: DiffPiece[] = [];
  const blocks = diffArrays(before.split('\n'), after.split('\n'));
  for (let k = 0; k < blocks.length; k++) {
    const block = blocks[k];
    const next = blocks[k + 1];
    if (block.removed && next?.added) {
      // a changed block: show what changed inside the lines
      const a = block.value.join('\n');
      const b = next.value.join('\n');
      const chars = diffChars(a, b, { maxEditLength: MAX_CHAR_EDITS });
      if (chars) for (const c of chars) out.push({ op: opOf(c), text: c.value });
      else out.push({ op: 'del', text: a }, { op: 'eq', text: '\n' }, { op: 'ins', text: b });
      out.push({ op: 'eq', text: '\n' });
      k++;
      continue;
    }
    out.push({ op: opOf(block), text: block.value.join('\n') }, { op: 'eq', text: '\n' });
  }
  return out;
}

/** The pieces of the diff of two lists (similar questions, keywords): one item a line. */
export function listDiffPieces(before: string[], after: string[]): DiffPiece[] {
  return diffArrays(before, after).flatMap((block) => block.value.flatMap((item): DiffPiece[] => [{ op: opOf(block), text: item }, { op: 'eq', text: '\n' }]));
}

/** Renders the diff of two texts into a <div class="diff"> with <del> and <ins>. */
export function textDiff(before: string, after: string): HTMLElement {
  return render(textDiffPieces(before, after));
}

/** Renders the diff of two lists: removed items struck through, added ones marked. */
export function listDiff(before: string[], after: string[]): HTMLElement {
  return render(listDiffPieces(before, after));
}

function render(pieces: DiffPiece[]): HTMLElement {
  const box = h('div', { class: 'diff' });
  for (const p of pieces) box.append(p.op === 'eq' ? document.createTextNode(p.text) : h(p.op, { title: p.op === 'del' ? '删除' : '新增' }, p.text));
  return box;
}
