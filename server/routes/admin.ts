import { Router } from 'express';
import type { Services } from '../services.js';
import { parseOrThrow, entryInputSchema, entryPatchSchema } from '../kb/validate.js';
import { ValidationError } from '../kb/errors.js';
import { requirePermission, principalOf, authorize } from '../auth/middleware.js';
import { approveRevision, editEntry, expectVersion, publishEntry, publishSelected, rejectRevision, withRevision } from '../ops/publishing.js';
import { Tokenizer } from '../search/tokenizer.js';
import { buildSynonyms, loadDictionary, loadSynonyms, parseDictionaryText, parseSynonymsText, saveDictionary, saveSynonyms } from '../search/lexicon.js';
import {
  archiveBody, auditQuery, baseVersion, bulkPublishBody, dictionaryBody, entryListQuery, hitTestRequest, idParam, reasonBody, refuseProvenance,
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

/** Admin API (bearer token with a role): entries, hit test, synonyms and the domain dictionary. */
export function adminRoutes(s: Services): Router {
  const r = Router();
  const actor = (res: Parameters<typeof principalOf>[0]) => principalOf(res).name;

  r.get('/entries', requirePermission('entries:read'), (req, res) => {
    const q = parseOrThrow(entryListQuery, req.query);
    const { items, total } = s.kb.entries.list({ ...q, text: q.q });
    res.json({ total, items: items.map((e) => withRevision(s.kb, e)) });
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
    const items = s.kb.revisions.listPending().map((revision) => ({ revision, entry: s.kb.entries.require(revision.entryId) }));
    res.json({ total: items.length, items });
  });

  // A new entry is always a draft; origin is manual (ingest and import set the others).
  r.post('/entries', requirePermission('entries:write'), async (req, res) => {
    refuseProvenance(req.body);
    const body = parseOrThrow(entryInputSchema, { ...withoutControl(req.body), origin: 'manual' });
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : null;
    const entry = s.kb.entries.create(body, actor(res), reason);
    await s.engine.sync();
    res.status(201).set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  // A draft changes in place; a published entry's change waits as a pending revision (published text still served).
  r.patch('/entries/:id', requirePermission('entries:write'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    refuseProvenance(req.body);
    const body = withoutControl(req.body);
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : null;
    if (!Object.keys(body).length) throw new ValidationError('body', '没有要修改的字段');
    parseOrThrow(entryPatchSchema, body);
    const out = s.kb.transaction(() => {
      expectVersion(s.kb, s.kb.entries.require(id), baseVersion(id, req.body, req.get('if-match')));
      return editEntry(s.kb, id, body, actor(res), reason);
    });
    await s.engine.sync();
    res.set('ETag', `"${out.entry.version}"`).json({ ...out.entry, waitingForReview: out.waitingForReview });
  });

  r.post('/entries/:id/publish', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    const entry = s.kb.transaction(() => {
      expectVersion(s.kb, s.kb.entries.require(id), baseVersion(id, req.body, req.get('if-match')));
      return publishEntry(s.kb, id, actor(res), reason ?? null);
    });
    await s.engine.sync();
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  r.post('/entries/:id/revision/approve', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    const entry = s.kb.transaction(() => {
      expectVersion(s.kb, s.kb.entries.require(id), baseVersion(id, req.body, req.get('if-match')));
      return approveRevision(s.kb, id, actor(res), reason ?? null);
    });
    await s.engine.sync();
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  r.post('/entries/:id/revision/reject', requirePermission('entries:publish'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(rejectBody, req.body ?? {});
    const entry = s.kb.transaction(() => {
      expectVersion(s.kb, s.kb.entries.require(id), baseVersion(id, req.body, req.get('if-match')));
      return rejectRevision(s.kb, id, actor(res), reason);
    });
    res.set('ETag', `"${entry.version}"`).json(withRevision(s.kb, entry));
  });

  /** Publish the selected drafts and approve the selected revisions: all in one transaction, or none. */
  r.post('/entries/publish-selected', requirePermission('entries:publish'), async (req, res) => {
    const { items, reason } = parseOrThrow(bulkPublishBody, req.body ?? {});
    const out = publishSelected(s.kb, items, actor(res), reason ?? null);
    await s.engine.sync();
    res.json({ ...out, message: `已发布 ${out.published.length} 条草稿，批准 ${out.approved.length} 条修改，智能客服即刻按新内容作答` });
  });

  // Archiving a published entry takes an answer away from citizens: that is a publishing decision.
  r.post('/entries/:id/archive', requirePermission('entries:read'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(archiveBody, req.body ?? {});
    const principal = principalOf(res);
    const entry = s.kb.transaction(() => {
      const current = s.kb.entries.require(id);
      if (current.status === 'published') authorize(principal, 'entries:publish', '：已发布条目的归档由审核人员决定');
      else authorize(principal, 'entries:write');
      expectVersion(s.kb, current, baseVersion(id, req.body, req.get('if-match')));
      return s.kb.entries.archive(id, principal.name, reason);
    });
    await s.engine.sync();
    res.json(withRevision(s.kb, entry));
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
    res.json({ groups: loadSynonyms(s.dataDir, s.kb.db) });
  });

  r.put('/synonyms', requirePermission('synonyms:write'), async (req, res) => {
    const groups = typeof req.body?.text === 'string' && Object.keys(req.body).length === 1
      ? parseSynonymsText(req.body.text)
      : numbered(() => parseOrThrow(synonymsBody, req.body).groups, 'groups', '组');
    s.kb.transaction(() => {
      saveSynonyms(s.kb.db, groups, actor(res), s.kb.clock.nowIso());
      s.kb.bumpLexiconVersion(); // the other server processes reload it on their next sync
    });
    await s.engine.reconfigure(null, buildSynonyms(s.dataDir, s.kb.db, groups));
    res.json({ groups: loadSynonyms(s.dataDir, s.kb.db) });
  });

  r.get('/dictionary', requirePermission('entries:read'), (_req, res) => {
    res.json({ words: loadDictionary(s.dataDir, s.kb.db) });
  });

  r.put('/dictionary', requirePermission('synonyms:write'), async (req, res) => {
    const words = typeof req.body?.text === 'string' && Object.keys(req.body).length === 1
      ? parseDictionaryText(req.body.text)
      : numbered(() => parseOrThrow(dictionaryBody, req.body).words, 'words', '个词');
    s.kb.transaction(() => {
      saveDictionary(s.kb.db, words, actor(res), s.kb.clock.nowIso());
      s.kb.bumpLexiconVersion();
    });
    await s.engine.reconfigure(new Tokenizer(words), null);
    res.json({ words: loadDictionary(s.dataDir, s.kb.db) });
  });

  return r;
}
