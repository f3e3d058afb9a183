/**
 * Entry generation: turns a parsed policy document into knowledge-base entries that a citizen, an enterprise or a
 * member of staff would ask about.
 *
 * - "doc": one 政策文件 entry for the whole document (title, 文号, issuer, dates, purpose, level-1 headings);
 * - "s:<path>": one entry per section with content, its questions derived from the heading;
 * - "f:<path>:<kind>:<n>": precise Q&A for one sentence (or ；-clause) holding facts — time limits, frequencies,
 *   targets, counts, deadlines, duties, enumerations, transformations …;
 * - "l:<path>:<n>" / "i:<path>:<n>.<k>": lists introduced by 一是/二是 and their long items;
 * - "d:<path>": the 责任单位 / 牵头单位 a section names; "g:<term>": glossary terms;
 * - "t:<path>:row:<n>", "t:<path>:all", "t:<path>:form": table rows, the whole table, blank forms.
 *
 * Near-duplicates are merged (the more specific entry keeps the other's questions as 相似问法). Pure and
 * deterministic: the same document always gives the same entries, in the same order, with the same keys.
 *
 * Modules: text (tidying, similarity), vocabulary (word lists), sections (outline → sections → sentences → clauses),
 * questions (phrasing), facts + enumeration (what a sentence states), document / section-entries / glossary / tables
 * (the entries of each kind), classify (category, audience, keywords), builder (collecting, merging, finishing).
 */
import type { GeneratedEntry, ParsedDocument } from '../types.js';
import { Builder, finalize, type RejectedEntry } from './builder.js';
import { docContext, documentEntry, isHeaderBoilerplate, isPurposeSentence } from './document.js';
import { headingTermEntries, recurringTerms } from './glossary.js';
import { deptEntry, factEntries, listEntries, sectionEntry } from './section-entries.js';
import { flattenSections, sectionUnits } from './sections.js';
import { tableEntries, tablesOf } from './tables.js';
import { tidyText, trimPunct } from './text.js';
import { BOILERPLATE_HEADING_RE } from './vocabulary.js';
import { foldSameLength, mapStrings, traditionalShare, TRADITIONAL_DOCUMENT, unfolderFor } from '../script.js';

export { summariseDocument } from './document.js';
export { NEAR_DUPLICATE, questionSimilarity } from './text.js';
export { entryQualityProblems } from './quality.js';
export type { RejectedEntry } from './builder.js';

/** The entries of a document that pass the quality gate. */
export function generateEntries(doc: ParsedDocument): GeneratedEntry[] {
  return generateDocumentEntries(doc).entries;
}

/**
 * The entries of a document, and those the quality gate dropped with the reason. A document in traditional
 * characters is read through its simplified folding (the grammar below is written in simplified characters: without
 * it, "繼續推進…" opens with no verb the generator knows and becomes "什么是繼續推進…？"), and its entries are written
 * back in the document's own characters.
 */
export function generateDocumentEntries(doc: ParsedDocument): { entries: GeneratedEntry[]; rejected: RejectedEntry[] } {
  const folded = foldSameLength(doc.text);
  if (traditionalShare(doc.text, folded) < TRADITIONAL_DOCUMENT) return generateFrom(doc);
  const simplified = mapStrings({ text: doc.text, metadata: doc.metadata, outline: doc.outline }, foldSameLength);
  const back = unfolderFor(doc.text, folded);
  const { entries, rejected } = generateFrom({ ...doc, ...simplified });
  // the gate's reasons are the service's own words, for the people who maintain the KB: not re-lettered
  return { entries: mapStrings(entries, back), rejected: rejected.map((r) => ({ ...r, question: back(r.question), sourceSection: back(r.sourceSection) })) };
}

function generateFrom(doc: ParsedDocument): { entries: GeneratedEntry[]; rejected: RejectedEntry[] } {
  const flat = flattenSections(doc.outline);
  const ctx = docContext(doc, flat);
  const b = new Builder(ctx);

  // 1. the document
  documentEntry(b, doc);

  const glossaryTerms = new Set<string>();

  for (const f of flat) {
    const isPreamble = f.path === '';
    const parent = f.parents.length ? trimPunct(tidyText(f.parents[f.parents.length - 1].heading)) : null;
    const annex = /^附件/.test(f.section.marker) || f.parents.some((p) => /^附件/.test(p.marker));

    if (f.section.tables.length || annex) tableEntries(b, f, doc);

    let units = sectionUnits(f);
    if (isPreamble) units = units.filter((u) => !isPurposeSentence(u.text) && !isHeaderBoilerplate(u.text, ctx));
    if (annex && (f.section.tables.length || tablesOf(f).length)) units = [];

    // 2. the section itself
    if (!isPreamble && !annex) sectionEntry(b, f, parent, units);
    if (f.heading && BOILERPLATE_HEADING_RE.test(f.heading)) continue; // slogans: one entry, no facts

    // 3. responsible units
    if (!isPreamble && f.units.length && f.heading) deptEntry(b, f, units);

    // 4. lists introduced by 一是 / 二是
    listEntries(b, f, units);

    // 5. facts, one entry per sentence / ；-clause (the terms they define become glossary entries)
    factEntries(b, f, units, glossaryTerms);

    // 6. quoted terms of a heading become glossary entries
    if (!isPreamble && f.heading) headingTermEntries(b, f, units, glossaryTerms);
  }

  recurringTerms(b, flat, glossaryTerms);
  return finalize(b.out, ctx);
}
