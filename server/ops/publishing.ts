import type { KnowledgeBase, Entry } from '../kb/index.js';
import type { EntryWithRevision } from '../../shared/entries.js';
import type { EntryPatch } from '../kb/validate.js';
import type { SourceLink } from '../kb/entries.js';
import { ConflictError, ValidationError, VersionConflictError } from '../kb/errors.js';
import { fillGapsAnsweredBy } from './gaps.js';

/**
 * The publishing workflow: the only way content reaches citizens. Editors draft; a change to a published entry waits
 * as a pending revision (the published text keeps being served) until someone allowed to publish approves it.
 * Routes, the import and the gap queue all call these functions; who may call which is decided by the caller's
 * permission (server/auth/tokens.ts PERMISSIONS).
 */

/** An entry as the admin API shows it: with the change waiting for review, if any (shared/entries.ts). */
export type { EntryWithRevision };

export function withRevision(kb: KnowledgeBase, entry: Entry): EntryWithRevision {
  return { ...entry, pendingRevision: entry.status === 'published' ? kb.revisions.pending(entry.id) : null };
}

/** 409 with the entry as it is now when the caller's version is not the current one. */
export function expectVersion(kb: KnowledgeBase, entry: Entry, expected: number): void {
  if (entry.version === expected) return;
  throw new VersionConflictError(entry.id, expected, withRevision(kb, entry), entry.version, entry.updatedBy);
}

/** Publishes a draft and fills the gaps it answers, in one transaction. Publishing a published entry changes nothing. */
export function publishEntry(kb: KnowledgeBase, id: number, actor: string, reason: string | null): Entry {
  return kb.transaction(() => {
    const current = kb.entries.require(id);
    if (current.status === 'archived') throw new ConflictError(`条目 ${id} 已归档，不能发布；如需恢复请新建条目`);
    if (current.status === 'published') return current;
    return fillGapsAnsweredBy(kb, kb.entries.publish(id, actor, reason));
  });
}

export interface EditOutcome {
  entry: EntryWithRevision;
  /** True when the change waits for a reviewer: citizens keep getting the published text until it is approved. */
  waitingForReview: boolean;
}

export interface EditOptions {
  source?: SourceLink;
  /**
   * The actor may publish (a reviewer, an admin, an editor under KB_SINGLE_PERSON): a change to a published entry
   * goes live at once. Otherwise it waits as the entry's pending revision.
   */
  live?: boolean;
}

/**
 * Every change to an entry's content: a draft is changed in place; a published entry changes at once when the
 * actor may publish, or else gets (or extends) its pending revision and keeps answering with the published text.
 * (Approving a revision later refuses if a field it changes was changed live meanwhile: see RevisionStore.approve.)
 */
export function editEntry(kb: KnowledgeBase, id: number, patch: EntryPatch, actor: string, reason: string | null, options: EditOptions = {}): EditOutcome {
  return kb.transaction(() => {
    const current = kb.entries.require(id);
    if (current.status === 'archived') throw new ConflictError(`条目 ${id} 已归档，不能修改`);
    if (current.status === 'draft' || options.live) {
      return { entry: withRevision(kb, kb.entries.update(id, patch, actor, reason, options.source)), waitingForReview: false };
    }
    const revision = kb.revisions.propose(id, patch, actor, reason, options.source);
    return { entry: withRevision(kb, kb.entries.require(id)), waitingForReview: revision !== null };
  });
}

/** Approves an entry's pending revision: the change goes live. */
export function approveRevision(kb: KnowledgeBase, id: number, actor: string, note: string | null): Entry {
  return kb.revisions.approve(id, actor, note);
}

export function rejectRevision(kb: KnowledgeBase, id: number, actor: string, note: string): Entry {
  return kb.revisions.reject(id, actor, note);
}

export interface BulkItem {
  id: number;
  version: number;
}

/**
 * The bulk actions' one loop: no entry chosen twice; all or none, in one transaction; each entry's state checked
 * (`check` throws what is wrong with it) before its version, so a stale selection reads alike whatever the action.
 */
function eachSelected(kb: KnowledgeBase, items: BulkItem[], check: (entry: Entry) => void, act: (entry: Entry) => void): void {
  const ids = new Set<number>();
  for (const it of items) {
    if (ids.has(it.id)) throw new ValidationError('items', `条目 ${it.id} 重复选择`);
    ids.add(it.id);
  }
  kb.transaction(() => {
    for (const it of items) {
      const entry = kb.entries.require(it.id);
      check(entry);
      expectVersion(kb, entry, it.version);
      act(entry);
    }
  });
}

const named = (entry: Entry) => `条目 ${entry.id}（${entry.question}）`;

/**
 * A reviewer's “publish / approve the selected”: drafts are published (their gaps filled), pending revisions
 * approved — all or nothing, in one transaction. Any stale version or entry with nothing to publish refuses the lot.
 */
export function publishSelected(kb: KnowledgeBase, items: BulkItem[], actor: string, reason: string | null): { published: number[]; approved: number[] } {
  const out = { published: [] as number[], approved: [] as number[] };
  eachSelected(kb, items, (entry) => {
    if (entry.status === 'draft' || (entry.status === 'published' && kb.revisions.pending(entry.id))) return;
    throw new ConflictError(`${named(entry)}${entry.status === 'archived' ? '已归档' : '已发布且没有待审核的修改'}，没有可发布的内容：请刷新后重新选择`);
  }, (entry) => {
    if (entry.status === 'draft') {
      publishEntry(kb, entry.id, actor, reason ?? '批量发布');
      out.published.push(entry.id);
    } else {
      approveRevision(kb, entry.id, actor, reason ?? '批量批准');
      out.approved.push(entry.id);
    }
  });
  return out;
}

/**
 * Archives the selected entries, all or none in one transaction. `mayArchive` is the caller's permission check of
 * one entry (a published entry takes an answer away from citizens: a publishing decision; a draft is an editor's).
 */
export function archiveSelected(kb: KnowledgeBase, items: BulkItem[], actor: string, reason: string, mayArchive: (entry: Entry) => void): { archived: number[] } {
  const archived: number[] = [];
  eachSelected(kb, items, (entry) => {
    if (entry.status === 'archived') throw new ConflictError(`${named(entry)}已归档：请刷新后重新选择`);
    mayArchive(entry);
  }, (entry) => {
    kb.entries.archive(entry.id, actor, reason);
    archived.push(entry.id);
  });
  return { archived };
}

/**
 * Marks the selected published entries 待复核 (they keep answering until a reviewer confirms, changes or archives
 * them), all or none in one transaction. An entry already due keeps its reason: the more urgent one stays.
 */
export function flagSelected(kb: KnowledgeBase, items: BulkItem[], actor: string, reason: string): { flagged: number[]; alreadyDue: number[] } {
  const out = { flagged: [] as number[], alreadyDue: [] as number[] };
  eachSelected(kb, items, (entry) => {
    if (entry.status !== 'published') {
      throw new ConflictError(`${named(entry)}${entry.status === 'archived' ? '已归档' : '是草稿'}，复核只针对已发布的条目：请刷新后重新选择`);
    }
  }, (entry) => {
    if (entry.reviewDue) out.alreadyDue.push(entry.id);
    else {
      kb.entries.flagForReview(entry.id, reason, actor);
      out.flagged.push(entry.id);
    }
  });
  return out;
}
