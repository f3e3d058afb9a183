import type { Entry } from '../kb/index.js';
import type { EntryPatch } from '../kb/validate.js';
import { ConflictError, ValidationError } from '../kb/errors.js';
import { halfYearOf, type ReviewAction, type ReviewRecord } from '../ops/review.js';
import { expectVersion, indexChanged, type CommandContext, type ExpectedVersion } from './context.js';
import { updateEntryTx } from './updateEntry.js';
import { archiveEntryTx } from './archiveEntry.js';
import { approveRevisionTx } from './approveRevision.js';

export interface ReviewEntryInput {
  entryId: number;
  action: ReviewAction;
  note: string;
  /** update only: the fields the review changes (live: whoever may review and write changes a published entry at once). */
  changes?: EntryPatch;
  /** confirm only: approve the entry's pending revision first, in the same transaction (批准修改并确认). */
  approvePending?: boolean;
  reviewer: string;
  expectedVersion?: ExpectedVersion;
}

const ACTION_LABEL: Record<ReviewAction, string> = { confirm: '复核确认', update: '复核修改', archive: '复核归档' };

/**
 * 半年复核: a reviewer's confirm / update / archive of a published entry, with a note. The review row, the entry's
 * change (updateEntry live, or archiveEntry), the cleared review flag and last-reviewed stamp are one transaction.
 * Only published entries are reviewed: a draft gets published, an archived one is gone. Who may update or approve is
 * the caller's check (routes: the permission table).
 */
export async function reviewEntry(ctx: CommandContext, input: ReviewEntryInput): Promise<{ review: ReviewRecord; entry: Entry }> {
  const { kb } = ctx;
  const note = input.note.trim();
  if (!note) throw new ValidationError('note', '复核需要填写说明');
  if (input.action === 'update' && (!input.changes || !Object.keys(input.changes).length)) {
    throw new ValidationError('changes', '修改（update）需要给出要修改的字段');
  }
  if (input.action !== 'update' && input.changes !== undefined) throw new ValidationError('changes', '只有修改（update）可以带 changes');
  if (input.approvePending && input.action !== 'confirm') throw new ValidationError('approvePending', '只有确认（confirm）可以同时批准待审核的修改');
  const out = kb.transaction(() => {
    const current = kb.entries.require(input.entryId);
    expectVersion(kb, current, input.expectedVersion);
    if (current.status !== 'published') {
      throw new ConflictError(`条目 ${input.entryId} 当前为${current.status === 'draft' ? '草稿' : '已归档'}状态，只复核已发布的条目`);
    }
    if (input.approvePending) approveRevisionTx(kb, { id: input.entryId, actor: input.reviewer, note });
    const reason = `${ACTION_LABEL[input.action]}：${note}`;
    let entry: Entry;
    if (input.action === 'archive') {
      entry = archiveEntryTx(kb, { id: input.entryId, actor: input.reviewer, reason });
    } else {
      if (input.action === 'update') updateEntryTx(kb, { id: input.entryId, patch: input.changes!, actor: input.reviewer, reason, live: true });
      entry = kb.entries.markReviewed(input.entryId, input.reviewer, reason);
    }
    const at = kb.clock.now();
    const review = kb.reviews.add({ entryId: input.entryId, action: input.action, note, reviewer: input.reviewer, halfYear: halfYearOf(at), reviewedAt: at.toISOString() });
    return { review, entry };
  });
  await indexChanged(ctx);
  return out;
}
