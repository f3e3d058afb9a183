import { stmt, type Db } from './db.js';

/** One save of a list made in the admin page: its whole content, in the list's file format. */
export interface LexiconEdit {
  id: number;
  name: string;
  content: string;
  editedAt: string;
  editedBy: string;
}

interface EditRow {
  id: number;
  name: string;
  content: string;
  edited_at: string;
  edited_by: string;
}

const toEdit = (r: EditRow): LexiconEdit => ({ id: r.id, name: r.name, content: r.content, editedAt: r.edited_at, editedBy: r.edited_by });

/**
 * The lexicon_edits table: every save of the synonyms, the domain dictionary and the colloquial lexicon (by list
 * name), the latest being the list in use. What the lists mean and how their text is checked is server/search/lexicon.ts.
 */
export class LexiconEditStore {
  constructor(private readonly db: Db) {}

  /** The content of the latest save of a list, or null when it was never edited. */
  latestContent(name: string): string | null {
    const row = stmt(this.db, 'SELECT content FROM lexicon_edits WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as { content: string } | undefined;
    return row ? row.content : null;
  }

  /** The saves of a list, newest first. */
  history(name: string, limit: number): LexiconEdit[] {
    const rows = stmt(this.db, 'SELECT id, name, content, edited_at, edited_by FROM lexicon_edits WHERE name = ? ORDER BY id DESC LIMIT ?').all(name, limit) as EditRow[];
    return rows.map(toEdit);
  }

  /** Keeps a save (one INSERT: atomic by itself). */
  add(name: string, content: string, editedBy: string, editedAt: string): void {
    stmt(this.db, 'INSERT INTO lexicon_edits (name, content, edited_at, edited_by) VALUES (?, ?, ?, ?)').run(name, content, editedAt, editedBy);
  }
}
