import express, { Router } from 'express';
import type { Services } from '../services.js';
import { parseOrThrow, entryInputSchema, entryPatchSchema } from '../kb/validate.js';
import { ValidationError } from '../kb/errors.js';
import type { Entry } from '../kb/index.js';
import type { Principal } from '../auth/tokens.js';
import { requirePermission, principalOf, authorize } from '../auth/middleware.js';
import { withRevision } from '../commands/context.js';
import { createEntry } from '../commands/createEntry.js';
import { updateEntry } from '../commands/updateEntry.js';
import { publishEntry } from '../commands/publishEntry.js';
import { approveRevision } from '../commands/approveRevision.js';
import { rejectRevision } from '../commands/rejectRevision.js';
import { archiveEntry } from '../commands/archiveEntry.js';
import { publishSelected } from '../commands/publishSelected.js';
import { archiveSelected } from '../commands/archiveSelected.js';
import { flagSelected } from '../commands/flagSelected.js';
import { saveLexicon } from '../commands/saveLexicon.js';
import { formatSynonyms } from '../search/synonyms.js';
import {
  dictionaryContent, LEXICON_FILES, LEXICON_LABELS, LEXICON_NAMES, lexiconContentFromText, lexiconHistory, lexiconText, loadDictionary, loadSynonyms,
  parseColloquialText, type LexiconName,
} from '../search/lexicon.js';
import {
  archiveBody, auditQuery, baseVersion, bulkArchiveBody, bulkFlagBody, bulkPublishBody, dictionaryBody, entryListQuery, hitTestRequest, idParam, reasonBody, refuseProvenance,
  rejectBody, synonymsBody, withoutControl,
} from './schemas.js';

/** A list's validation error names the item as a person counts (第 31 组), not its 0-based path (groups.30). */
function numbered<T>(parse: () => T, list: string, unit: string): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const at = new RegExp(`^${list}\\.(\\d+)`).exec(err.field);
    if (!at) throw err;
    throw new ValidationError(err.field, err.message.replace(/^[^：]*：/, ''), `第 ${Number(at[1]) + 1} ${unit}`);
  }
}

/** Archiving a published entry takes an answer away from citizens: a publishing decision; a draft is an editor's. */
function mayArchive(principal: Principal, entry: Entry): void {
  if (entry.status === 'published') authorize(principal, 'entries:publish', `：条目 ${entry.id} 已发布，已发布条目的归档由审核人员决定`);
  else authorize(principal, 'entries:write');
}

/** Admin API (bearer token with a role): entries, hit test, synonyms and the domain dictionary. */
export function adminRoutes(s: Services): Router {
  const r = Router();
  const actor = (res: Parameters<typeof principalOf>[0]) => principalOf(res).name;

  r.get('/entries', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(entryListQuery, req.query);
    const { items, total } = s.kb.entries.list({ ...q, text: q.q });
    const pending = s.kb.revisions.pendingOf(items.filter((e) => e.status === 'published').map((e) => e.id));
    res.json({ total, items: items.map((e) => ({ ...e, pendingRevision: pending.get(e.id) ?? null })) });
  });

  r.get('/entries/:id', requirePermission('entries:read'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const entry = withRevision(s.kb, s.kb.entries.require(id));
    res.set('ETag', `"${entry.version}"`).json(entry);
  });

  r.get('/entries/:id/history', requirePermission('entries:read'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json({ versions: s.kb.entries.history(id) });
  });

  /** Changes waiting for a reviewer, each with the published entry it would change. */
  r.get('/revisions', requirePermission('entries:read'), (_req, res) => {
    const revisions = s.kb.revisions.listPending();
    const entries = new Map(s.kb.entries.getMany(revisions.map((r) => r.entryId)).map((e) => [e.id, e]));
    const items = revisions.map((revision) => ({ revision, entry: entries.get(revision.entryId)! }));
    res.json({ total: items.length, items });
  });

  // A new entry is always a draft; origin is manual (ingest and import set the others).
  r.post('/entries', requirePermission('entries:write'), async (req, res) => {
    refuseProvenance(req.body);
    const fields = parseOrThrow(entryInputSchema, { ...withoutControl(req.body), origin: 'manual' });
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : null;
    const entry = await createEntry(s, { fields, actor: actor(res), reason });
    res.status(201).set('ETag', `"${entry.version}"`).json(entry);
  });

  // A draft changes in place; a published entry's change waits as a pending revision (published text still served).
  r.patch('/entries/:id', requirePermission('entries:write'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    refuseProvenance(req.body);
    const patch = withoutControl(req.body);
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : null;
    if (!Object.keys(patch).length) throw new ValidationError('body', '没有要修改的字段');
    parseOrThrow(entryPatchSchema, patch);
    const out = await updateEntry(s, { id, patch, actor: actor(res), reason, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${out.entry.version}"`).json({ ...out.entry, waitingForReview: out.waitingForReview });
  });

  r.post('/entries/:id/publish', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    const entry = await publishEntry(s, { id, actor: actor(res), reason: reason ?? null, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  r.post('/entries/:id/revision/approve', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    const entry = await approveRevision(s, { id, actor: actor(res), note: reason ?? null, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  r.post('/entries/:id/revision/reject', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(rejectBody, req.body ?? {});
    const entry = await rejectRevision(s, { id, actor: actor(res), note: reason, expectedVersion: () => baseVersion(id, req.body, req.get('if-match')) });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  /** Publish the selected drafts and approve the selected revisions: all in one transaction, or none. */
  r.post('/entries/publish-selected', requirePermission('entries:publish'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkPublishBody, req.body ?? {});
    const out = await publishSelected(s, { items, actor: actor(res), reason: reason ?? null });
    res.json({ ...out, message: `已发布 ${out.published.length} 条草稿，批准 ${out.approved.length} 条修改，智能客服即刻按新内容作答` });
  });

  /** Archive the selected entries: each checked like the single archive (published ones need entries:publish); all or none. */
  r.post('/entries/archive-selected', requirePermission('entries:read'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkArchiveBody, req.body ?? {});
    const principal = principalOf(res);
    const out = await archiveSelected(s, { items, actor: principal.name, reason, mayArchive: (entry) => mayArchive(principal, entry) });
    res.json({ ...out, message: `已归档 ${out.archived.length} 条，智能客服不再用它们作答` });
  });

  /** Mark the selected published entries 待复核 (they keep answering until reviewed); all or none. */
  r.post('/entries/flag-selected', requirePermission('entries:flag'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkFlagBody, req.body ?? {});
    const out = await flagSelected(s, { items, actor: actor(res), reason: `送复核：${reason}` });
    const already = out.alreadyDue.length ? `，${out.alreadyDue.length} 条原已在复核队列（保留原因）` : '';
    res.json({ ...out, message: `已把 ${out.flagged.length} 条送复核${already}；复核前照常作答` });
  });

  // Archiving a published entry takes an answer away from citizens: that is a publishing decision.
  r.post('/entries/:id/archive', requirePermission('entries:read'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(archiveBody, req.body ?? {});
    const principal = principalOf(res);
    const expectedVersion = baseVersion(id, req.body, req.get('if-match'));
    res.json(await archiveEntry(s, { id, actor: principal.name, reason, expectedVersion, mayArchive: (entry) => mayArchive(principal, entry) }));
  });

  r.post('/hit-test', requirePermission('hit-test'), async (req, res) => {
    const { question, ...filters } = parseOrThrow(hitTestRequest, req.body);
    res.json(await s.answers.hitTest(question, filters));
  });

  r.get('/audit', requirePermission('audit:read'), (req, res) => {
    const { actor, limit, offset } = parseOrThrow(auditQuery, req.query);
    res.json(s.audit.list({ actor, limit, offset }));
  });

  // Synonyms and the dictionary: the admin page sends the text as typed ({text}, errors name the line); the API also
  // takes the lists ({groups} / {words}, errors name the group or word). Stored in the KB, not in kb-data/.
  r.get('/synonyms', requirePermission('entries:read'), (_req, res) => {
    res.json({ groups: loadSynonyms(s.dataDir, s.kb.lexiconEdits) });
  });

  /** Saves a list (its content validated, in its file's format): the saveLexicon command. */
  const save = (name: LexiconName, content: string, by: string) => saveLexicon(s, { name, content, actor: by });
  /** A list from its text (the admin page's textarea or an imported file): validated whole, every bad line named. */
  const saveText = (name: LexiconName, text: string, by: string) => save(name, lexiconContentFromText(name, text), by);
  const typedText = (body: unknown): string | null =>
    body && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string' && Object.keys(body).length === 1 ? (body as { text: string }).text : null;

  r.put('/synonyms', requirePermission('synonyms:write'), async (req, res) => {
    const text = typedText(req.body);
    if (text !== null) await saveText('synonyms', text, actor(res));
    else await save('synonyms', formatSynonyms(numbered(() => parseOrThrow(synonymsBody, req.body).groups, 'groups', '组')), actor(res));
    res.json({ groups: loadSynonyms(s.dataDir, s.kb.lexiconEdits) });
  });

  r.get('/dictionary', requirePermission('entries:read'), (_req, res) => {
    res.json({ words: loadDictionary(s.dataDir, s.kb.lexiconEdits) });
  });

  r.put('/dictionary', requirePermission('synonyms:write'), async (req, res) => {
    const text = typedText(req.body);
    if (text !== null) await saveText('dictionary', text, actor(res));
    else await save('dictionary', dictionaryContent(numbered(() => parseOrThrow(dictionaryBody, req.body).words, 'words', '个词')), actor(res));
    res.json({ words: loadDictionary(s.dataDir, s.kb.lexiconEdits) });
  });

  // The colloquial lexicon (口语 => 官方, one-way) is edited as text: comments and order are part of it.
  r.get('/colloquial', requirePermission('entries:read'), (_req, res) => {
    const text = lexiconText(s.dataDir, s.kb.lexiconEdits, 'colloquial');
    res.json({ text, groups: parseColloquialText(text).groups.length });
  });

  r.put('/colloquial', requirePermission('synonyms:write'), async (req, res) => {
    const text = typedText(req.body);
    if (text === null) throw new ValidationError('text', '应为 {"text": "口语词 => 官方词\\n…"}', '口语词典');
    await saveText('colloquial', text, actor(res));
    const saved = lexiconText(s.dataDir, s.kb.lexiconEdits, 'colloquial');
    res.json({ text: saved, groups: parseColloquialText(saved).groups.length });
  });

  const lexiconParam = (name: unknown): LexiconName => {
    if (typeof name !== 'string' || !(LEXICON_NAMES as readonly string[]).includes(name)) throw new ValidationError('name', `应为 ${LEXICON_NAMES.join(' / ')} 之一`, '词表');
    return name as LexiconName;
  };

  /** Every save of a list, newest first. */
  r.get('/lexicon/:name/history', requirePermission('entries:read'), (req, res) => {
    const name = lexiconParam(req.params.name);
    res.json({ name, label: LEXICON_LABELS[name], saves: lexiconHistory(s.kb.lexiconEdits, name) });
  });

  /** The list in use as a file in the bundled file's format (an edited list, or the file itself). */
  r.get('/lexicon/:name/export', requirePermission('entries:read'), (req, res) => {
    const name = lexiconParam(req.params.name);
    res
      .type('text/plain; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${LEXICON_FILES[name]}"`)
      .send(lexiconText(s.dataDir, s.kb.lexiconEdits, name));
  });

  /** A file replacing the list: validated whole (refused with every bad line named), then saved like an edit. */
  r.post('/lexicon/:name/import', requirePermission('synonyms:write'), express.text({ type: () => true, limit: '2mb' }), async (req, res) => {
    const name = lexiconParam(req.params.name);
    if (typeof req.body !== 'string' || !req.body.trim()) throw new ValidationError('file', '文件为空或不是文本文件', `导入${LEXICON_LABELS[name]}`);
    const text = req.body.replace(/^\uFEFF/, ''); // a BOM from Windows editors
    await saveText(name, text, actor(res));
    res.json({ name, message: `${LEXICON_LABELS[name]}已导入并生效（共 ${lexiconHistory(s.kb.lexiconEdits, name, 1)[0].lines} 行）`, saves: lexiconHistory(s.kb.lexiconEdits, name) });
  });

  return r;
}
