import { Router } from 'express';
import type { Services } from '../services.js';
import { parseOrThrow, entryInputSchema, entryPatchSchema } from '../kb/validate.js';
import { ValidationError } from '../kb/errors.js';
import { requirePermission, principalOf } from '../auth/middleware.js';
import { Tokenizer } from '../search/tokenizer.js';
import { buildSynonyms, loadDictionary, loadSynonyms, parseDictionaryText, parseSynonymsText, saveDictionary, saveSynonyms } from '../search/lexicon.js';
import { archiveBody, auditQuery, dictionaryBody, entryListQuery, hitTestRequest, idParam, reasonBody, synonymsBody } from './schemas.js';

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
    res.json({ total, items });
  });

  r.get('/entries/:id', requirePermission('entries:read'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json(s.kb.entries.require(id));
  });

  r.get('/entries/:id/history', requirePermission('entries:read'), (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    res.json({ versions: s.kb.entries.history(id) });
  });

  r.post('/entries', requirePermission('entries:write'), async (req, res) => {
    const body = { origin: 'manual', ...(req.body ?? {}) };
    const reason = typeof body.reason === 'string' ? body.reason : null;
    delete body.reason;
    parseOrThrow(entryInputSchema, body);
    const entry = s.kb.entries.create(body, actor(res), reason);
    await s.engine.sync();
    res.status(201).json(entry);
  });

  r.patch('/entries/:id', requirePermission('entries:write'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const body = { ...(req.body ?? {}) };
    const reason = typeof body.reason === 'string' ? body.reason : null;
    delete body.reason;
    if (!Object.keys(body).length) throw new ValidationError('body', '没有要修改的字段');
    parseOrThrow(entryPatchSchema, body);
    const entry = s.kb.entries.update(id, body, actor(res), reason);
    await s.engine.sync();
    res.json(entry);
  });

  r.post('/entries/:id/publish', requirePermission('entries:publish'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(reasonBody, req.body ?? {});
    // Publishing an entry that answers a gap fills the gap, in the same transaction.
    const entry = s.kb.transaction(() => s.gaps.onEntryPublished(s.kb.entries.publish(id, actor(res), reason ?? null)));
    await s.engine.sync();
    res.json(entry);
  });

  r.post('/entries/:id/archive', requirePermission('entries:write'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const { reason } = parseOrThrow(archiveBody, req.body ?? {});
    const entry = s.kb.entries.archive(id, actor(res), reason);
    await s.engine.sync();
    res.json(entry);
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
