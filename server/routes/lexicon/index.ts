import express, { Router } from 'express';
import type { Services } from '../../services.js';
import { parseOrThrow } from '../../kb/validate.js';
import { ValidationError } from '../../kb/errors.js';
import { requirePermission, principalOf } from '../../auth/middleware.js';
import { saveLexicon } from '../../commands/saveLexicon.js';
import { formatSynonyms } from '../../search/synonyms.js';
import {
  dictionaryContent, LEXICON_FILES, LEXICON_LABELS, LEXICON_NAMES, lexiconContentFromText, lexiconHistory, lexiconText, loadDictionary, loadSynonyms,
  parseColloquialText, type LexiconName,
} from '../../search/lexicon.js';
import { dictionaryBody, lexiconNameParam, synonymsBody, textBody } from './schema.js';

/**
 * Synonyms, the domain dictionary and the colloquial lexicon (admin): each list at its own path
 * (/api/v1/admin/synonyms, /dictionary, /colloquial), their history, export and import at /api/v1/admin/lexicon/:name/….
 * The admin page sends a list as the text typed ({text}, errors name the line); the API also takes the lists
 * ({groups} / {words}, errors name the group or word). Stored in the KB, not in kb-data/.
 */

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

const actor = (res: Parameters<typeof principalOf>[0]) => principalOf(res).name;

/** Saves a list (its content validated, in its file's format): the saveLexicon command. */
const save = (s: Services, name: LexiconName, content: string, by: string) => saveLexicon(s, { name, content, actor: by });
/** A list from its text (the admin page's textarea or an imported file): validated whole, every bad line named. */
const saveText = (s: Services, name: LexiconName, text: string, by: string) => save(s, name, lexiconContentFromText(name, text), by);
/**
 * A list kept as items (synonym groups, dictionary words): GET gives the items; PUT takes the admin page's {text}
 * (errors name the line) or the items (errors name the item as a person counts it: 第 31 组).
 */
function listRoutes<T>(
  s: Services,
  name: 'synonyms' | 'dictionary',
  list: { key: 'groups' | 'words'; unit: string; load: () => T[]; parse: (body: unknown) => T[]; format: (items: T[]) => string },
): Router {
  const r = Router();
  const current = () => ({ [list.key]: list.load() });
  r.get('/', requirePermission('entries:read'), (_req, res) => {
    res.json(current());
  });
  r.put('/', requirePermission('synonyms:write'), async (req, res) => {
    const typed = textBody.safeParse(req.body);
    if (typed.success) await saveText(s, name, typed.data.text, actor(res));
    else await save(s, name, list.format(numbered(() => list.parse(req.body), list.key, list.unit)), actor(res));
    res.json(current());
  });
  return r;
}

/** /api/v1/admin/synonyms: two-way synonym groups. */
export const synonymsRoutes = (s: Services): Router =>
  listRoutes(s, 'synonyms', {
    key: 'groups', unit: '组', load: () => loadSynonyms(s.dataDir, s.kb.lexiconEdits), parse: (body) => parseOrThrow(synonymsBody, body).groups, format: formatSynonyms,
  });

/** /api/v1/admin/dictionary: the domain dictionary (segmentation words). */
export const dictionaryRoutes = (s: Services): Router =>
  listRoutes(s, 'dictionary', {
    key: 'words', unit: '个词', load: () => loadDictionary(s.dataDir, s.kb.lexiconEdits), parse: (body) => parseOrThrow(dictionaryBody, body).words, format: dictionaryContent,
  });

/** /api/v1/admin/colloquial: the colloquial lexicon (口语 => 官方, one-way), edited as text: comments and order are part of it. */
export function colloquialRoutes(s: Services): Router {
  const r = Router();
  const current = () => {
    const text = lexiconText(s.dataDir, s.kb.lexiconEdits, 'colloquial');
    return { text, groups: parseColloquialText(text).groups.length };
  };
  r.get('/', requirePermission('entries:read'), (_req, res) => {
    res.json(current());
  });
  r.put('/', requirePermission('synonyms:write'), async (req, res) => {
    const typed = textBody.safeParse(req.body);
    if (!typed.success) throw new ValidationError('text', '应为 {"text": "口语词 => 官方词\\n…"}', '口语词典');
    await saveText(s, 'colloquial', typed.data.text, actor(res));
    res.json(current());
  });
  return r;
}

/** The list a /lexicon/:name/… request is about: the documented lexiconNameParam, its error naming 词表. */
const lexiconParam = (params: unknown): LexiconName => {
  const given = lexiconNameParam.safeParse(params);
  if (!given.success) throw new ValidationError('name', `应为 ${LEXICON_NAMES.join(' / ')} 之一`, '词表');
  return given.data.name;
};

/** /api/v1/admin/lexicon/:name/…: any of the three lists' save history, export and import as a file. */
export function lexiconRoutes(s: Services): Router {
  const r = Router();

  /** Every save of a list, newest first. */
  r.get('/:name/history', requirePermission('entries:read'), (req, res) => {
    const name = lexiconParam(req.params);
    res.json({ name, label: LEXICON_LABELS[name], saves: lexiconHistory(s.kb.lexiconEdits, name) });
  });

  /** The list in use as a file in the bundled file's format (an edited list, or the file itself). */
  r.get('/:name/export', requirePermission('entries:read'), (req, res) => {
    const name = lexiconParam(req.params);
    res
      .type('text/plain; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${LEXICON_FILES[name]}"`)
      .send(lexiconText(s.dataDir, s.kb.lexiconEdits, name));
  });

  /** A file replacing the list: validated whole (refused with every bad line named), then saved like an edit. */
  r.post('/:name/import', requirePermission('synonyms:write'), express.text({ type: () => true, limit: '2mb' }), async (req, res) => {
    const name = lexiconParam(req.params);
    if (typeof req.body !== 'string' || !req.body.trim()) throw new ValidationError('file', '文件为空或不是文本文件', `导入${LEXICON_LABELS[name]}`);
    const text = req.body.replace(/^\uFEFF/, ''); // a BOM from Windows editors
    await saveText(s, name, text, actor(res));
    res.json({ name, message: `${LEXICON_LABELS[name]}已导入并生效（共 ${lexiconHistory(s.kb.lexiconEdits, name, 1)[0].lines} 行）`, saves: lexiconHistory(s.kb.lexiconEdits, name) });
  });

  return r;
}
