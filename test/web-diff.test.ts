import { describe, it, expect } from 'vitest';
import { textDiffPieces, listDiffPieces, type DiffPiece } from '../web/admin/diff.js';

/** The pieces as the admin page shows them: [-removed-] and {+added+}. */
const show = (pieces: DiffPiece[]) => pieces.map((p) => (p.op === 'del' ? `[-${p.text}-]` : p.op === 'ins' ? `{+${p.text}+}` : p.text)).join('');

describe('history diff (web/admin/diff.ts, jsdiff)', () => {
  it('marks the changed characters inside a changed line, leaving the rest of the text as it was', () => {
    expect(show(textDiffPieces('第一行\n补贴8000元，比例50%。\n第三行', '第一行\n补贴10000元，比例80%。\n第三行'))).toBe(
      '第一行\n补贴[-8-]{+1+}000{+0+}元，比例[-5-]{+8+}0%。\n第三行\n',
    );
  });

  it('shows removed and added lines, and nothing for identical texts', () => {
    expect(show(textDiffPieces('甲\n乙', '甲\n乙\n丙'))).toBe('甲\n乙\n{+丙+}\n');
    expect(show(textDiffPieces('甲\n乙\n丙', '甲\n丙'))).toBe('甲\n[-乙-]\n丙\n');
    expect(textDiffPieces('同样的答案', '同样的答案').filter((p) => p.op !== 'eq')).toEqual([]);
  });

  it('treats characters outside the BMP as one character', () => {
    expect(show(textDiffPieces('𠀀甲', '𠀁甲'))).toBe('[-𠀀-]{+𠀁+}甲\n');
  });

  it('shows a block rewritten beyond recognition as whole lines, removed then added', () => {
    const before = 'ab'.repeat(2000);
    const after = 'cd'.repeat(2000);
    expect(textDiffPieces(before, after)).toEqual([
      { op: 'del', text: before }, { op: 'eq', text: '\n' }, { op: 'ins', text: after }, { op: 'eq', text: '\n' },
    ]);
  });

  it('diffs lists item by item', () => {
    expect(show(listDiffPieces(['执照丢了怎么补', '营业执照丢失补领'], ['执照丢了怎么补', '营业执照遗失补办', '补办执照']))).toBe(
      '执照丢了怎么补\n[-营业执照丢失补领-]\n{+营业执照遗失补办+}\n{+补办执照+}\n',
    );
  });
});
