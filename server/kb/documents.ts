import { stmt } from './db.js';
import type { Db } from './db.js';
import type { Level } from './categories.js';
import type { DocumentKind } from '../../shared/domain.js';
import type { KbClock } from './clock.js';
import type { DocumentMetadata, Section } from './types.js';

export type { DocumentKind };

export interface PolicyDocument {
  id: number;
  /** Identity of the source across runs: its file name. */
  sourceKey: string;
  kind: DocumentKind;
  title: string;
  docNumber: string | null;
  /** 'own' when the document states its 文号, 'cited' when taken from a document that cites it. */
  docNumberSource: 'own' | 'cited' | null;
  issuer: string | null;
  issueDate: string | null;
  effectiveDate: string | null;
  expiryDate: string | null;
  level: Level;
  region: string;
  fileName: string;
  format: string;
  sha256: string;
  version: number;
  /** The document that superseded this one, if any. */
  replacedBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentLink {
  fromDocumentId: number;
  toDocumentId: number;
  via: 'title' | 'doc_number';
  citedTitle: string;
  citedDocNumber: string | null;
}

export interface DocumentInput {
  sourceKey: string;
  kind: DocumentKind;
  fileName: string;
  format: string;
  sha256: string;
  text: string;
  outline: Section[];
  metadata: DocumentMetadata;
}

interface DocumentTableRow {
  id: number; source_key: string; kind: string; title: string; doc_number: string | null; doc_number_source: string | null;
  issuer: string | null; issue_date: string | null; effective_date: string | null; expiry_date: string | null;
  level: string; region: string; file_name: string; format: string; sha256: string; version: number;
  replaced_by: number | null; created_at: string; updated_at: string;
}

const SUMMARY_COLUMNS =
  'id, source_key, kind, title, doc_number, doc_number_source, issuer, issue_date, effective_date, expiry_date, level, region, file_name, format, sha256, version, replaced_by, created_at, updated_at';

function toDocument(r: DocumentTableRow): PolicyDocument {
  return {
    id: r.id, sourceKey: r.source_key, kind: r.kind as DocumentKind, title: r.title, docNumber: r.doc_number,
    docNumberSource: r.doc_number_source as PolicyDocument['docNumberSource'], issuer: r.issuer, issueDate: r.issue_date,
    effectiveDate: r.effective_date, expiryDate: r.expiry_date, level: r.level as Level, region: r.region,
    fileName: r.file_name, format: r.format, sha256: r.sha256, version: r.version, replacedBy: r.replaced_by,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Titles compare without book-title marks, quotes, spaces and a leading 本市/上海市. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .replace(/[《》«»“”"'‘’\s]/g, '')
    .replace(/^(本市|上海市)/, '');
}

/** Source files of the knowledge base (policy documents and Q&A sheets) and the links between documents. */
export class DocumentStore {
  constructor(private readonly db: Db, private readonly clock: KbClock) {}

  /**
   * Documents in force or upcoming on `today` (not replaced, not expired) that have an effective date, earliest first,
   * with their entries counted by status and the ids of the drafts.
   */
  inForceWithEntryCounts(today: string): Array<{
    id: number; title: string; docNumber: string | null; effectiveDate: string; published: number; drafts: number; archived: number; draftIds: number[];
  }> {
    const rows = stmt(this.db,
      `SELECT d.id, d.title, d.doc_number, d.effective_date,
              count(CASE WHEN e.status = 'published' THEN 1 END) AS published,
              count(CASE WHEN e.status = 'draft' THEN 1 END) AS drafts,
              count(CASE WHEN e.status = 'archived' THEN 1 END) AS archived
         FROM documents d LEFT JOIN entries e ON e.document_id = d.id
        WHERE d.effective_date IS NOT NULL AND d.replaced_by IS NULL AND (d.expiry_date IS NULL OR d.expiry_date >= ?)
        GROUP BY d.id ORDER BY d.effective_date, d.id`,
    ).all(today) as Array<{ id: number; title: string; doc_number: string | null; effective_date: string; published: number; drafts: number; archived: number }>;
    const drafts = new Map<number, number[]>();
    for (const d of stmt(this.db, `SELECT document_id AS doc, id FROM entries WHERE status = 'draft' AND document_id IS NOT NULL ORDER BY id`).all() as Array<{ doc: number; id: number }>) {
      drafts.set(d.doc, [...(drafts.get(d.doc) ?? []), d.id]);
    }
    return rows.map((r) => ({
      id: r.id, title: r.title, docNumber: r.doc_number, effectiveDate: r.effective_date, published: r.published, drafts: r.drafts, archived: r.archived,
      draftIds: drafts.get(r.id) ?? [],
    }));
  }

  get(id: number): PolicyDocument | null {
    const row = stmt(this.db, `SELECT ${SUMMARY_COLUMNS} FROM documents WHERE id = ?`).get(id) as DocumentTableRow | undefined;
    return row ? toDocument(row) : null;
  }

  getBySourceKey(sourceKey: string): PolicyDocument | null {
    const row = stmt(this.db, `SELECT ${SUMMARY_COLUMNS} FROM documents WHERE source_key = ?`).get(sourceKey) as DocumentTableRow | undefined;
    return row ? toDocument(row) : null;
  }

  list(kind?: DocumentKind): PolicyDocument[] {
    const rows = stmt(this.db, `SELECT ${SUMMARY_COLUMNS} FROM documents ${kind ? 'WHERE kind = ?' : ''} ORDER BY id`)
      .all(...(kind ? [kind] : [])) as DocumentTableRow[];
    return rows.map(toDocument);
  }

  text(id: number): string | null {
    const row = stmt(this.db, 'SELECT text FROM documents WHERE id = ?').get(id) as { text: string } | undefined;
    return row?.text ?? null;
  }

  outline(id: number): Section[] {
    const row = stmt(this.db, 'SELECT outline FROM documents WHERE id = ?').get(id) as { outline: string } | undefined;
    return row ? JSON.parse(row.outline) : [];
  }

  /** The metadata as stored, with the 文号 a citing document supplied when the document states none. */
  metadata(id: number): DocumentMetadata | null {
    const doc = this.get(id);
    if (!doc) return null;
    const row = stmt(this.db, 'SELECT citations FROM documents WHERE id = ?').get(id) as { citations: string };
    return {
      title: doc.title, docNumber: doc.docNumber, issuer: doc.issuer, issueDate: doc.issueDate,
      effectiveDate: doc.effectiveDate, expiryDate: doc.expiryDate, citations: JSON.parse(row.citations),
      level: doc.level, region: doc.region,
    };
  }

  /** Inserts a new source or replaces a changed one (version + 1). Callers wrap it in their transaction. */
  upsert(input: DocumentInput): PolicyDocument {
    const m = input.metadata;
    const now = this.clock.nowIso();
    const existing = this.getBySourceKey(input.sourceKey);
    const values = [
      input.kind, m.title, m.docNumber, m.docNumber ? 'own' : null, m.issuer, m.issueDate, m.effectiveDate, m.expiryDate,
      m.level, m.region, input.fileName, input.format, input.sha256, input.text, JSON.stringify(input.outline), JSON.stringify(m.citations),
    ];
    if (existing) {
      stmt(this.db, 
          `UPDATE documents SET kind = ?, title = ?, doc_number = ?, doc_number_source = ?, issuer = ?, issue_date = ?, effective_date = ?,
             expiry_date = ?, level = ?, region = ?, file_name = ?, format = ?, sha256 = ?, text = ?, outline = ?, citations = ?,
             version = version + 1, updated_at = ? WHERE id = ?`,
        )
        .run(...values, now, existing.id);
      return this.get(existing.id)!;
    }
    const info = stmt(this.db, 
        `INSERT INTO documents (kind, title, doc_number, doc_number_source, issuer, issue_date, effective_date, expiry_date, level, region,
           file_name, format, sha256, text, outline, citations, source_key, created_at, updated_at)
         VALUES (${Array(19).fill('?').join(', ')}) RETURNING id`,
      )
      .get(...values, input.sourceKey, now, now) as { id: number };
    return this.get(info.id)!;
  }

  links(documentId?: number): DocumentLink[] {
    const rows = stmt(this.db, `SELECT * FROM document_links ${documentId ? 'WHERE from_document_id = ? OR to_document_id = ?' : ''} ORDER BY from_document_id, to_document_id`)
      .all(...(documentId ? [documentId, documentId] : [])) as Array<{ from_document_id: number; to_document_id: number; via: string; cited_title: string; cited_doc_number: string | null }>;
    return rows.map((r) => ({
      fromDocumentId: r.from_document_id, toDocumentId: r.to_document_id, via: r.via as DocumentLink['via'],
      citedTitle: r.cited_title, citedDocNumber: r.cited_doc_number,
    }));
  }

  /**
   * Recomputes 知识库“关联” across all policy documents: a citation matches a document by 文号, or by title.
   * A document without its own 文号 takes the one its citers give. Returns the documents whose 文号 changed.
   */
  resolveLinks(): PolicyDocument[] {
    const docs = stmt(this.db, `SELECT id, title, doc_number, doc_number_source, citations FROM documents WHERE kind = 'policy' ORDER BY id`)
      .all() as Array<{ id: number; title: string; doc_number: string | null; doc_number_source: string | null; citations: string }>;
    const byTitle = new Map(docs.map((d) => [titleKey(d.title), d]));
    const links: DocumentLink[] = [];
    const citedNumbers = new Map<number, string>();
    for (const from of docs) {
      const citations = JSON.parse(from.citations) as DocumentMetadata['citations'];
      for (const c of citations) {
        let target = c.docNumber ? docs.find((d) => d.id !== from.id && d.doc_number_source === 'own' && d.doc_number === c.docNumber) : undefined;
        let via: DocumentLink['via'] = 'doc_number';
        if (!target) {
          const t = byTitle.get(titleKey(c.title));
          if (t && t.id !== from.id) { target = t; via = 'title'; }
        }
        if (!target || links.some((l) => l.fromDocumentId === from.id && l.toDocumentId === target!.id)) continue;
        links.push({ fromDocumentId: from.id, toDocumentId: target.id, via, citedTitle: c.title, citedDocNumber: c.docNumber });
        if (c.docNumber && target.doc_number_source !== 'own' && !citedNumbers.has(target.id)) citedNumbers.set(target.id, c.docNumber);
      }
    }
    stmt(this.db, 'DELETE FROM document_links').run();
    const insert = stmt(this.db, 'INSERT INTO document_links (from_document_id, to_document_id, via, cited_title, cited_doc_number) VALUES (?, ?, ?, ?, ?)');
    for (const l of links) insert.run(l.fromDocumentId, l.toDocumentId, l.via, l.citedTitle, l.citedDocNumber);
    const changed: PolicyDocument[] = [];
    for (const d of docs) {
      if (d.doc_number_source === 'own') continue;
      const cited = citedNumbers.get(d.id) ?? null;
      if (cited === d.doc_number) continue;
      stmt(this.db, 'UPDATE documents SET doc_number = ?, doc_number_source = ? WHERE id = ?').run(cited, cited ? 'cited' : null, d.id);
      changed.push(this.get(d.id)!);
    }
    return changed;
  }
}
