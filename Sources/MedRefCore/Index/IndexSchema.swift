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
    migrator.registerMigration("v3: section entities") { db in
      // Each section's entities as a JSON array (the extract object's `entities`), and a view with one row per
      // entity for filters and facets: `SELECT name, count(*) FROM section_entities WHERE type = 'medication'
      // GROUP BY name`.
      try db.execute(
        sql: """
          ALTER TABLE sections ADD COLUMN entities TEXT NOT NULL DEFAULT '[]';
          CREATE VIEW section_entities AS
            SELECT sections.id AS section_id, sections.document_id AS document_id, sections.kind AS section_kind,
              json_extract(entity.value, '$.type') AS type, json_extract(entity.value, '$.text') AS text,
              coalesce(json_extract(entity.value, '$.normalized'), json_extract(entity.value, '$.text')) AS name,
              json_extract(entity.value, '$.hpo') AS hpo,
              coalesce(json_extract(entity.value, '$.red_flag'), 0) AS red_flag,
              json_extract(entity.value, '$.start') AS start, json_extract(entity.value, '$.end') AS "end"
            FROM sections, json_each(sections.entities) AS entity;
          """)
    }
    return migrator
  }
}
