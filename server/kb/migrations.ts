/**
 * Versioned schema. Each migration runs once, in order, inside one transaction; PRAGMA user_version records
 * how far a database has come. Never edit a released migration: add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'documents, entries with history, document links, meta',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      INSERT INTO meta (key, value) VALUES ('kb_version', '0');

      -- A source file: a policy document, or a Q&A spreadsheet (kind = 'qa_sheet').
      CREATE TABLE documents (
        id                 INTEGER PRIMARY KEY,
        source_key         TEXT NOT NULL UNIQUE,
        kind               TEXT NOT NULL CHECK (kind IN ('policy', 'qa_sheet')),
        title              TEXT NOT NULL,
        doc_number         TEXT,
        doc_number_source  TEXT CHECK (doc_number_source IN ('own', 'cited')),
        issuer             TEXT,
        issue_date         TEXT,
        effective_date     TEXT,
        expiry_date        TEXT,
        level              TEXT NOT NULL CHECK (level IN ('city', 'district')),
        region             TEXT NOT NULL,
        file_name          TEXT NOT NULL,
        format             TEXT NOT NULL,
        sha256             TEXT NOT NULL,
        text               TEXT NOT NULL,
        outline            TEXT NOT NULL DEFAULT '[]',
        citations          TEXT NOT NULL DEFAULT '[]',
        version            INTEGER NOT NULL DEFAULT 1,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      );

      -- 知识库“关联”: a document citing another by title or 文号.
      CREATE TABLE document_links (
        from_document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        to_document_id     INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        via                TEXT NOT NULL CHECK (via IN ('title', 'doc_number')),
        cited_title        TEXT NOT NULL,
        cited_doc_number   TEXT,
        PRIMARY KEY (from_document_id, to_document_id)
      );

      CREATE TABLE entries (
        id                 INTEGER PRIMARY KEY,
        category           TEXT NOT NULL CHECK (category IN ('guide','faq','glossary','policy','notice','hotline','department')),
        question           TEXT NOT NULL,
        similar_questions  TEXT NOT NULL DEFAULT '[]',
        answer             TEXT NOT NULL,
        keywords           TEXT NOT NULL DEFAULT '[]',
        service_item       TEXT,
        department         TEXT,
        level              TEXT NOT NULL CHECK (level IN ('city', 'district')),
        region             TEXT NOT NULL,
        audience           TEXT NOT NULL CHECK (audience IN ('enterprise', 'individual', 'all')),
        document_id        INTEGER REFERENCES documents(id),
        source_section     TEXT,
        source_key         TEXT UNIQUE,
        source_hash        TEXT,
        effective_from     TEXT,
        expires_at         TEXT,
        status             TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
        review_due         INTEGER NOT NULL DEFAULT 0,
        review_reason      TEXT,
        origin             TEXT NOT NULL CHECK (origin IN ('ingest', 'manual', 'agent', 'gap-fill', 'import')),
        version            INTEGER NOT NULL DEFAULT 1,
        last_reviewed_at   TEXT,
        created_at         TEXT NOT NULL,
        created_by         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        updated_by         TEXT NOT NULL,
        published_at       TEXT,
        archived_at        TEXT
      );
      CREATE INDEX entries_status ON entries(status, category);
      CREATE INDEX entries_document ON entries(document_id);
      CREATE INDEX entries_department ON entries(department);

      -- Every version of every entry, the first included: who changed it, when, why.
      CREATE TABLE entry_versions (
        entry_id   INTEGER NOT NULL REFERENCES entries(id),
        version    INTEGER NOT NULL,
        action     TEXT NOT NULL,
        snapshot   TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        changed_by TEXT NOT NULL,
        reason     TEXT,
        PRIMARY KEY (entry_id, version)
      );
    `,
  },
  {
    version: 2,
    description: 'api tokens',
    sql: `
      -- API access tokens. Only the SHA-256 (hex) of a token is stored, plus its first characters for display.
      CREATE TABLE api_tokens (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'agent', 'admin')),
        token_hash    TEXT NOT NULL UNIQUE,
        prefix        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        last_used_at  TEXT,
        revoked_at    TEXT
      );
    `,
  },
  {
    version: 3,
    description: 'ask log, feedback (好差评), hand-offs (转人工)',
    sql: `
      -- Every question asked, personal data masked before it is stored.
      CREATE TABLE asks (
        id               TEXT PRIMARY KEY,
        asked_at         TEXT NOT NULL,
        channel          TEXT NOT NULL,
        audience         TEXT NOT NULL,
        region           TEXT,
        session_id       TEXT,
        question         TEXT NOT NULL,
        outcome          TEXT NOT NULL CHECK (outcome IN ('answered', 'suggest', 'no_answer', 'out_of_scope')),
        entry_id         INTEGER REFERENCES entries(id),
        score            REAL,
        results          TEXT NOT NULL DEFAULT '[]',
        latency_ms       REAL NOT NULL,
        resolved         INTEGER,
        feedback_reason  TEXT,
        feedback_at      TEXT,
        handoff_channel  TEXT,
        handoff_at       TEXT
      );
      CREATE INDEX asks_time ON asks(asked_at);
      CREATE INDEX asks_outcome ON asks(outcome, asked_at);

      -- 好差评: every verdict is kept; the ask row holds the last word.
      CREATE TABLE feedback (
        id          INTEGER PRIMARY KEY,
        ask_id      TEXT NOT NULL REFERENCES asks(id),
        resolved    INTEGER NOT NULL,
        reason      TEXT,
        created_at  TEXT NOT NULL
      );

      -- 转人工: online agent in working hours, otherwise 12345.
      CREATE TABLE handoffs (
        id          INTEGER PRIMARY KEY,
        ask_id      TEXT NOT NULL REFERENCES asks(id),
        channel     TEXT NOT NULL CHECK (channel IN ('online_agent', '12345')),
        created_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: 'KB operations: gaps (查遗补缺), reviews, agent answers, replaced documents, job runs',
    sql: `
      -- A gap: questions the KB could not answer, clustered; due 5 working days after the first ask.
      CREATE TABLE gaps (
        id                INTEGER PRIMARY KEY,
        status            TEXT NOT NULL CHECK (status IN ('open', 'filled', 'dismissed')),
        question          TEXT NOT NULL,
        first_asked_at    TEXT NOT NULL,
        last_asked_at     TEXT NOT NULL,
        due_date          TEXT NOT NULL,
        ask_count         INTEGER NOT NULL DEFAULT 0,
        enterprise_count  INTEGER NOT NULL DEFAULT 0,
        individual_count  INTEGER NOT NULL DEFAULT 0,
        channels          TEXT NOT NULL DEFAULT '{}',
        priority          INTEGER NOT NULL DEFAULT 2,
        entry_id          INTEGER REFERENCES entries(id),
        fill_mode         TEXT CHECK (fill_mode IN ('new_entry', 'linked')),
        resolved_at       TEXT,
        resolved_by       TEXT,
        dismiss_reason    TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      );
      CREATE INDEX gaps_status ON gaps(status, due_date);

      -- The asks gathered in a gap (masked question text as logged).
      CREATE TABLE gap_questions (
        gap_id     INTEGER NOT NULL REFERENCES gaps(id),
        ask_id     TEXT NOT NULL UNIQUE REFERENCES asks(id),
        question   TEXT NOT NULL,
        asked_at   TEXT NOT NULL,
        channel    TEXT NOT NULL,
        audience   TEXT NOT NULL,
        reason     TEXT NOT NULL CHECK (reason IN ('no_answer', 'unresolved'))
      );
      CREATE INDEX gap_questions_gap ON gap_questions(gap_id);

      -- Agent answers and gap fills link an entry to the ask and gap it came from.
      ALTER TABLE entries ADD COLUMN ask_id TEXT REFERENCES asks(id);
      ALTER TABLE entries ADD COLUMN gap_id INTEGER REFERENCES gaps(id);

      -- Half-yearly review actions (confirm / update / archive), each with a note.
      CREATE TABLE reviews (
        id           INTEGER PRIMARY KEY,
        entry_id     INTEGER NOT NULL REFERENCES entries(id),
        action       TEXT NOT NULL CHECK (action IN ('confirm', 'update', 'archive')),
        note         TEXT NOT NULL,
        reviewer     TEXT NOT NULL,
        half_year    TEXT NOT NULL,
        reviewed_at  TEXT NOT NULL
      );
      CREATE INDEX reviews_entry ON reviews(entry_id, reviewed_at);

      -- A document superseded by another: its entries are due for review at once.
      ALTER TABLE documents ADD COLUMN replaced_by INTEGER REFERENCES documents(id);

      -- Every run of a scheduled job, with what it flagged.
      CREATE TABLE job_runs (
        id           INTEGER PRIMARY KEY,
        job          TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        now          TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
        summary      TEXT NOT NULL DEFAULT '{}',
        error        TEXT
      );
      CREATE INDEX job_runs_job ON job_runs(job, started_at);
    `,
  },
  {
    version: 5,
    description: 'audit log of admin and agent writes',
    sql: `
      CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        role        TEXT NOT NULL,
        method      TEXT NOT NULL,
        path        TEXT NOT NULL,
        status      INTEGER NOT NULL,
        ip          TEXT,
        request_id  TEXT
      );
      CREATE INDEX audit_log_actor ON audit_log(actor, id);
      -- feedback and hand-offs are looked up by ask
      CREATE INDEX feedback_ask ON feedback(ask_id);
      CREATE INDEX handoffs_ask ON handoffs(ask_id);
    `,
  },
  {
    version: 6,
    description: 'learning from use: the suggestion a citizen chose, proposed similar questions; lexicon edits in the KB',
    sql: `
      -- The 猜你想问 suggestion a citizen chose on a suggest reply.
      ALTER TABLE asks ADD COLUMN chosen_entry_id INTEGER;

      -- How many asks a gap had when it was dismissed: the same question asked again is counted, not reopened.
      ALTER TABLE gaps ADD COLUMN asks_at_dismissal INTEGER;

      -- A citizen's phrasing that led (via 猜你想问) to an entry: proposed to editors as a similar question.
      CREATE TABLE phrasing_proposals (
        id            INTEGER PRIMARY KEY,
        entry_id      INTEGER NOT NULL REFERENCES entries(id),
        question      TEXT NOT NULL,
        question_key  TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected')),
        choice_count  INTEGER NOT NULL DEFAULT 0,
        first_at      TEXT NOT NULL,
        last_at       TEXT NOT NULL,
        decided_at    TEXT,
        decided_by    TEXT,
        UNIQUE (entry_id, question_key)
      );
      CREATE INDEX phrasing_proposals_status ON phrasing_proposals(status, choice_count);

      -- Synonyms and the domain dictionary as edited in the admin page, every save kept (the latest is in use);
      -- without an edit the bundled kb-data files are used.
      CREATE TABLE lexicon_edits (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL CHECK (name IN ('synonyms', 'dictionary')),
        content    TEXT NOT NULL,
        edited_at  TEXT NOT NULL,
        edited_by  TEXT NOT NULL
      );
      CREATE INDEX lexicon_edits_name ON lexicon_edits(name, id);
    `,
  },
  {
    version: 7,
    description: 'pending revisions of published entries (editors draft, reviewers approve)',
    sql: `
      -- A change to a published entry waits here until a reviewer approves it; the entry row keeps the published text.
      CREATE TABLE entry_revisions (
        id            INTEGER PRIMARY KEY,
        entry_id      INTEGER NOT NULL REFERENCES entries(id),
        base_version  INTEGER NOT NULL,
        changes       TEXT NOT NULL,
        source_key    TEXT,
        source_hash   TEXT,
        reason        TEXT,
        proposed_by   TEXT NOT NULL,
        proposed_at   TEXT NOT NULL,
        state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected', 'superseded')),
        decided_by    TEXT,
        decided_at    TEXT,
        decision_note TEXT
      );
      CREATE UNIQUE INDEX entry_revisions_pending ON entry_revisions(entry_id) WHERE state = 'pending';
      CREATE INDEX entry_revisions_entry ON entry_revisions(entry_id, id);
    `,
  },
  {
    version: 8,
    description: 'the colloquial lexicon editable in the admin page like synonyms and the dictionary',
    sql: `
      -- SQLite cannot change a CHECK constraint in place: the table is rebuilt with the same rows and ids.
      CREATE TABLE lexicon_edits_new (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL CHECK (name IN ('synonyms', 'dictionary', 'colloquial')),
        content    TEXT NOT NULL,
        edited_at  TEXT NOT NULL,
        edited_by  TEXT NOT NULL
      );
      INSERT INTO lexicon_edits_new (id, name, content, edited_at, edited_by) SELECT id, name, content, edited_at, edited_by FROM lexicon_edits;
      DROP TABLE lexicon_edits;
      ALTER TABLE lexicon_edits_new RENAME TO lexicon_edits;
      CREATE INDEX lexicon_edits_name ON lexicon_edits(name, id);
    `,
  },
  {
    version: 9,
    description: 'gap_questions ids never reused (the open-gap index follows them)',
    sql: `
      -- Asks leave gap_questions (a citizen picked a suggestion): without AUTOINCREMENT SQLite reuses the highest rowid,
      -- and the open-gap index (server/ops/gap-index.ts), which reads the rows added since the last id it saw, would
      -- miss the new row or rebuild. Rebuilt with the same rows, in the same order, with the same ids.
      CREATE TABLE gap_questions_new (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        gap_id     INTEGER NOT NULL REFERENCES gaps(id),
        ask_id     TEXT NOT NULL UNIQUE REFERENCES asks(id),
        question   TEXT NOT NULL,
        asked_at   TEXT NOT NULL,
        channel    TEXT NOT NULL,
        audience   TEXT NOT NULL,
        reason     TEXT NOT NULL CHECK (reason IN ('no_answer', 'unresolved'))
      );
      INSERT INTO gap_questions_new (id, gap_id, ask_id, question, asked_at, channel, audience, reason)
        SELECT rowid, gap_id, ask_id, question, asked_at, channel, audience, reason FROM gap_questions ORDER BY rowid;
      DROP TABLE gap_questions;
      ALTER TABLE gap_questions_new RENAME TO gap_questions;
      CREATE INDEX gap_questions_gap ON gap_questions(gap_id);
    `,
  },
  {
    version: 10,
    description: 'scheduled job runs claimed per cron slot (one run per slot across replicas)',
    sql: `
      -- The cron slot a scheduled run was for (its fire time, to the second) and the process that ran it: every
      -- replica's scheduler fires, the first to claim the slot runs it, the others see the claim and skip.
      ALTER TABLE job_runs ADD COLUMN slot TEXT;
      ALTER TABLE job_runs ADD COLUMN runner TEXT;
      CREATE UNIQUE INDEX job_runs_slot ON job_runs(job, slot);
    `,
  },
  {
    version: 11,
    description: 'one change notification per committed transaction (PostgreSQL)',
    // Nothing to do in SQLite (its processes compare versions on each search); PostgreSQL's text is its own
    // (postgres/migrations.ts).
    sql: `-- nothing in SQLite`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
