import GRDB

/// The index's schema, created and upgraded by GRDB's migrator. The full-text table is kept in sync with `sections`
/// by the triggers defined here and nowhere else.
enum IndexSchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: documents, sections, full-text search") { db in
      try db.execute(
        sql: """
          CREATE TABLE documents (
            id TEXT PRIMARY KEY NOT NULL,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            pipeline_version INTEGER NOT NULL,
            ingested_at TEXT NOT NULL,
            encoding TEXT NOT NULL,
            encoding_reason TEXT NOT NULL,
            metadata TEXT NOT NULL,
            repairs TEXT NOT NULL,
            text TEXT NOT NULL
          );
          CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            heading TEXT NOT NULL,
            level INTEGER NOT NULL,
            kind TEXT NOT NULL,
            confidence REAL NOT NULL,
            cues TEXT NOT NULL,
            text TEXT NOT NULL,
            items TEXT NOT NULL,
            UNIQUE (document_id, ordinal)
          );
          CREATE INDEX sections_by_kind ON sections(kind);
          CREATE VIRTUAL TABLE sections_fts USING fts5(
            title, heading, text,
            tokenize = 'porter unicode61 remove_diacritics 2'
          );
          CREATE TRIGGER sections_fts_insert AFTER INSERT ON sections BEGIN
            INSERT INTO sections_fts(rowid, title, heading, text)
            VALUES (new.id, (SELECT title FROM documents WHERE id = new.document_id), new.heading, new.text);
          END;
          CREATE TRIGGER sections_fts_delete AFTER DELETE ON sections BEGIN
            DELETE FROM sections_fts WHERE rowid = old.id;
          END;
          CREATE TRIGGER sections_fts_update AFTER UPDATE ON sections BEGIN
            DELETE FROM sections_fts WHERE rowid = old.id;
            INSERT INTO sections_fts(rowid, title, heading, text)
            VALUES (new.id, (SELECT title FROM documents WHERE id = new.document_id), new.heading, new.text);
          END;
          CREATE TRIGGER documents_fts_title AFTER UPDATE OF title ON documents BEGIN
            UPDATE sections_fts SET title = new.title
            WHERE rowid IN (SELECT id FROM sections WHERE document_id = new.id);
          END;
          """)
    }
    migrator.registerMigration("v2: document blocks") { db in
      try db.execute(sql: "ALTER TABLE documents ADD COLUMN blocks TEXT NOT NULL DEFAULT '[]'")
    }
    return migrator
  }
}
