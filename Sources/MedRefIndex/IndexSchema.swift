import GRDB

/// The index's schema, created and upgraded by GRDB's migrator. The full-text table is an external-content table
/// over `sections` (since v5): `IndexStore` inserts a section's full-text row itself, right after the section;
/// deletes and updates of sections (and title changes of documents) reach it through the triggers defined here.
package enum IndexSchema {
  /// The tokenizer of the full-text table, which a query's words must also go through (`QueryStemmer`) to match.
  /// The first two migrations below spell out the tokenizer of the tables they made then, which later ones dropped.
  package static let tokenizer = "porter unicode61 remove_diacritics 2"

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
    migrator.registerMigration("v4: search columns and vocabulary") { db in
      // The full-text table gains a `terms` column between heading and text: the section's list items and the
      // names of its entities with their HPO ids (`SearchTerms.of`), so that a query naming a symptom in other
      // words ("pins and needles") finds sections that name its class ("tingling" → Paresthesia), and bm25 can
      // weight items and entities on their own; and a `kind` column (weight 0), so that a section-kind filter is
      // part of the full-text match instead of a join. Rows stored before it get empty terms until they are
      // ingested again (`Pipeline.version` 4). `search_vocabulary` keeps how many sections hold each indexed
      // term (FTS5's vocabulary counts them from the postings, milliseconds per common term); `IndexStore`
      // refreshes it after every ingest that changed something. `sections_for_search` covers what a search looks
      // up about the sections it ranked, without reading their rows.
      try db.execute(
        sql: """
          ALTER TABLE sections ADD COLUMN terms TEXT NOT NULL DEFAULT '';
          DROP TRIGGER sections_fts_insert;
          DROP TRIGGER sections_fts_delete;
          DROP TRIGGER sections_fts_update;
          DROP TRIGGER documents_fts_title;
          DROP TABLE sections_fts;
          CREATE VIRTUAL TABLE sections_fts USING fts5(
            title, heading, terms, text, kind,
            tokenize = 'porter unicode61 remove_diacritics 2'
          );
          INSERT INTO sections_fts(rowid, title, heading, terms, text, kind)
            SELECT s.id, d.title, s.heading, s.terms, s.text, s.kind
            FROM sections s JOIN documents d ON d.id = s.document_id;
          CREATE TRIGGER sections_fts_insert AFTER INSERT ON sections BEGIN
            INSERT INTO sections_fts(rowid, title, heading, terms, text, kind)
            VALUES (new.id, (SELECT title FROM documents WHERE id = new.document_id), new.heading, new.terms,
              new.text, new.kind);
          END;
          CREATE TRIGGER sections_fts_delete AFTER DELETE ON sections BEGIN
            DELETE FROM sections_fts WHERE rowid = old.id;
          END;
          CREATE TRIGGER sections_fts_update AFTER UPDATE ON sections BEGIN
            DELETE FROM sections_fts WHERE rowid = old.id;
            INSERT INTO sections_fts(rowid, title, heading, terms, text, kind)
            VALUES (new.id, (SELECT title FROM documents WHERE id = new.document_id), new.heading, new.terms,
              new.text, new.kind);
          END;
          CREATE TRIGGER documents_fts_title AFTER UPDATE OF title ON documents BEGIN
            UPDATE sections_fts SET title = new.title
            WHERE rowid IN (SELECT id FROM sections WHERE document_id = new.id);
          END;
          CREATE VIRTUAL TABLE sections_vocabulary USING fts5vocab(sections_fts, row);
          CREATE TABLE search_vocabulary (term TEXT PRIMARY KEY NOT NULL, sections INTEGER NOT NULL) WITHOUT ROWID;
          CREATE INDEX sections_for_search ON sections(id, document_id, kind, heading);
          INSERT INTO search_vocabulary SELECT term, doc FROM sections_vocabulary;
          """)
    }
    migrator.registerMigration("v5: source file states, compact entities") { db in
      // What an ingest compares before reading a file again: an unchanged size and modification time (and pipeline
      // version) mean the stored article is current. -1: not known yet (the file is read and hashed once).
      try db.execute(
        sql: """
          ALTER TABLE documents ADD COLUMN file_size INTEGER NOT NULL DEFAULT -1;
          ALTER TABLE documents ADD COLUMN file_modified INTEGER NOT NULL DEFAULT -1;
          """)
      // The full-text table becomes an external-content table over `sections` (which gains the article's title):
      // the section texts are stored once, not again inside FTS5. `IndexStore` inserts a section's full-text row
      // itself, right after the section (a trigger doing it cost twice the time of the insert); deletes and
      // updates stay with triggers, which hand FTS5 the old values it needs. Searches no longer read
      // `sections_for_search`. Entities are stored as positional arrays (`StoredEntities`); the view reads those
      // (and, until a document is ingested again, the keyed form written before).
      try db.execute(
        sql: """
          ALTER TABLE sections ADD COLUMN title TEXT NOT NULL DEFAULT '';
          UPDATE sections SET title = (SELECT title FROM documents WHERE id = sections.document_id);
          DROP TRIGGER sections_fts_insert;
          DROP TRIGGER sections_fts_delete;
          DROP TRIGGER sections_fts_update;
          DROP TRIGGER documents_fts_title;
          DROP TABLE sections_fts;
          CREATE VIRTUAL TABLE sections_fts USING fts5(
            title, heading, terms, text, kind, content = 'sections', content_rowid = 'id',
            tokenize = '\(tokenizer)'
          );
          INSERT INTO sections_fts(sections_fts) VALUES ('rebuild');
          CREATE TRIGGER sections_fts_delete AFTER DELETE ON sections BEGIN
            INSERT INTO sections_fts(sections_fts, rowid, title, heading, terms, text, kind)
            VALUES ('delete', old.id, old.title, old.heading, old.terms, old.text, old.kind);
          END;
          CREATE TRIGGER sections_fts_update AFTER UPDATE ON sections BEGIN
            INSERT INTO sections_fts(sections_fts, rowid, title, heading, terms, text, kind)
            VALUES ('delete', old.id, old.title, old.heading, old.terms, old.text, old.kind);
            INSERT INTO sections_fts(rowid, title, heading, terms, text, kind)
            VALUES (new.id, new.title, new.heading, new.terms, new.text, new.kind);
          END;
          CREATE TRIGGER documents_title AFTER UPDATE OF title ON documents BEGIN
            UPDATE sections SET title = new.title WHERE document_id = new.id;
          END;
          DROP INDEX sections_for_search;
          DROP VIEW section_entities;
          CREATE VIEW section_entities AS
            SELECT sections.id AS section_id, sections.document_id AS document_id, sections.kind AS section_kind,
              coalesce(json_extract(entity.value, '$[2]'), json_extract(entity.value, '$.type')) AS type,
              coalesce(
                CAST(substr(CAST(sections.text AS BLOB), json_extract(entity.value, '$[0]') + 1,
                  json_extract(entity.value, '$[1]') - json_extract(entity.value, '$[0]')) AS TEXT),
                json_extract(entity.value, '$.text')) AS text,
              coalesce(json_extract(entity.value, '$[3]'), json_extract(entity.value, '$.normalized'),
                CAST(substr(CAST(sections.text AS BLOB), json_extract(entity.value, '$[0]') + 1,
                  json_extract(entity.value, '$[1]') - json_extract(entity.value, '$[0]')) AS TEXT),
                json_extract(entity.value, '$.text')) AS name,
              coalesce(json_extract(entity.value, '$[4]'), json_extract(entity.value, '$.hpo')) AS hpo,
              coalesce(json_extract(entity.value, '$[5]'), json_extract(entity.value, '$.red_flag'), 0) AS red_flag,
              coalesce(json_extract(entity.value, '$[0]'), json_extract(entity.value, '$.start')) AS start,
              coalesce(json_extract(entity.value, '$[1]'), json_extract(entity.value, '$.end')) AS "end"
            FROM sections, json_each(sections.entities) AS entity;
          """)
    }
    migrator.registerMigration("v6: absolute source paths") { db in
      // `path` is the source path as the user gave it, often relative to the folder the ingest ran in. The
      // resolved absolute path is what `--prune` and later ingests compare, so that the working folder does not
      // matter. '' for articles stored before: they are compared by `path`, carefully (`IndexStore.pruneMissing`).
      try db.execute(sql: "ALTER TABLE documents ADD COLUMN source_path TEXT NOT NULL DEFAULT ''")
    }
    migrator.registerMigration("v7: checksums") { db in
      // A checksum of what was written for the article (its columns and its sections'), which `medref check`
      // recomputes: damage inside a text that leaves the file's structure sound is found too. '' before.
      try db.execute(sql: "ALTER TABLE documents ADD COLUMN checksum TEXT NOT NULL DEFAULT ''")
    }
    return migrator
  }
}
