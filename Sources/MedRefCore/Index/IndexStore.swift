import Foundation
import GRDB

/// What storing one article did.
public enum StoreOutcome: String, Sendable, Codable {
  case added, updated, unchanged
}

/// The SQLite index: articles, their sections and a full-text table over them.
public struct IndexStore: Sendable {
  /// The default location, relative to the current folder.
  public static let defaultPath = "Index/medref.sqlite"

  /// The index path from `--index`, else `MEDREF_INDEX`, else the default.
  public static func resolvePath(_ option: String?) -> String {
    if let option, !option.isEmpty { return option }
    if let environment = ProcessInfo.processInfo.environment["MEDREF_INDEX"], !environment.isEmpty {
      return environment
    }
    return defaultPath
  }

  public let path: String
  /// A queue (one connection) for the commands; a pool of read-only connections for `medref serve`.
  let database: any DatabaseWriter
  /// Ids are relative to the folder above `Index/`.
  public let ids: DocumentID

  /// Opens the index at `path`, creating it (and its folder) when `create` is true.
  /// - Throws: `MedRefError.missingIndex` when it does not exist and `create` is false; `.indexFailure` when it
  ///   cannot be opened or is not a MedRef index.
  public init(path: String, create: Bool) throws {
    self.path = path
    self.ids = DocumentID(base: DocumentID.base(forIndex: path))
    let manager = FileManager.default
    if !manager.fileExists(atPath: path) {
      guard create else { throw MedRefError.missingIndex(path: path) }
      let folder = (path as NSString).deletingLastPathComponent
      if !folder.isEmpty {
        do {
          try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
          throw MedRefError.indexFailure(path: path, reason: "cannot create folder \(folder)")
        }
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    // Write-ahead log with NORMAL sync: a commit per article without an fsync each time. A crash can lose the
    // last commits but never leaves the index half-written.
    configuration.prepareDatabase { db in
      // Memory-mapped reads: queries touch index pages without a system call each (see BENCHMARKS.md).
      try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536")
    }
    do {
      database = try DatabaseQueue(path: path, configuration: configuration)
      if create {
        try IndexSchema.migrator.migrate(database)
      } else {
        let applied = try database.read { db in try IndexSchema.migrator.hasCompletedMigrations(db) }
        if !applied { try IndexSchema.migrator.migrate(database) }
      }
    } catch let error as DatabaseError {
      throw MedRefError.indexFailure(path: path, reason: Self.describe(error))
    } catch {
      throw MedRefError.indexFailure(path: path, reason: "\(error)")
    }
  }

  /// Opens an existing index read-only, with a pool of up to `readers` connections that read side by side (for
  /// `medref serve`): nothing through it can change the index, and an ingest may write meanwhile (WAL).
  /// - Throws: `MedRefError.missingIndex` when there is no index at `path`; `.indexFailure` when it cannot be read,
  ///   is not a MedRef index, or was made by another version of MedRef (run `medref ingest` to upgrade it).
  public init(readOnlyAt path: String, readers: Int = 2 * ProcessInfoCores.count) throws {
    self.path = path
    self.ids = DocumentID(base: DocumentID.base(forIndex: path))
    guard FileManager.default.fileExists(atPath: path) else { throw MedRefError.missingIndex(path: path) }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.maximumReaderCount = max(1, readers)
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384")
    }
    do {
      let pool = try DatabasePool(path: path, configuration: configuration)
      let applied = try pool.read { db in
        try IndexSchema.migrator.hasCompletedMigrations(db)
          && !(try IndexSchema.migrator.hasBeenSuperseded(db))
      }
      guard applied else {
        throw MedRefError.indexFailure(
          path: path, reason: "made by another version of medref (run 'medref ingest' on it to upgrade)")
      }
      database = pool
    } catch let error as DatabaseError {
      throw MedRefError.indexFailure(path: path, reason: Self.describe(error))
    }
  }

  static func describe(_ error: DatabaseError) -> String {
    switch error.resultCode {
    case .SQLITE_NOTADB: return "not a MedRef index (not an SQLite database)"
    case .SQLITE_CANTOPEN: return "cannot open the index file"
    case .SQLITE_READONLY: return "the index is read-only"
    case .SQLITE_BUSY, .SQLITE_LOCKED: return "the index is busy (another medref is writing?)"
    case .SQLITE_FULL: return "disk full"
    case .SQLITE_CORRUPT: return "the index is damaged; delete it and ingest again"
    default: return error.message ?? "\(error.resultCode)"
    }
  }

  /// Runs a database call, turning SQLite errors into `MedRefError.indexFailure`.
  func run<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as MedRefError {
      throw error
    } catch let error as DatabaseError {
      throw MedRefError.indexFailure(path: path, reason: Self.describe(error))
    }
  }

  // MARK: - Writing

  /// What the index knows of a stored article's source file.
  public struct StoredFile: Sendable, Equatable {
    public var path: String
    public var contentHash: String
    public var pipelineVersion: Int
    /// Size in bytes and modification time (nanoseconds since 1970) when stored; -1 when not known.
    public var size: Int64
    public var modified: Int64
  }

  /// Every stored article's source file, by document id.
  public func storedFiles() throws -> [String: StoredFile] {
    try run {
      try database.read { db in
        var files: [String: StoredFile] = [:]
        let cursor = try Row.fetchCursor(
          db, sql: "SELECT id, path, content_hash, pipeline_version, file_size, file_modified FROM documents")
        while let row = try cursor.next() {
          files[row[0]] = StoredFile(path: row[1], contentHash: row[2], pipelineVersion: row[3], size: row[4], modified: row[5])
        }
        return files
      }
    }
  }

  /// An article to store with its source file's size and modification time, its columns already written as the
  /// index stores them (so that the JSON is made on the worker threads, not by the one writer).
  public struct Pending: Sendable {
    public var article: Article
    public var size: Int64
    public var modified: Int64
    let metadata: String
    let repairs: String
    let blocks: String
    /// Per section: cues, items, entities and search terms.
    let sections: [(cues: String, items: String, entities: String, terms: String)]
    /// Whether the article's text is its blocks' text, one per line (then it is not stored twice).
    let textFromBlocks: Bool

    public init(article: Article, size: Int64 = -1, modified: Int64 = -1) {
      self.article = article
      self.size = size
      self.modified = modified
      metadata = StoredJSON.metadata(article.metadata)
      repairs = StoredJSON.repairs(article.repairs)
      blocks = StoredJSON.blocks(article.blocks)
      textFromBlocks = !article.blocks.isEmpty && article.blocks.map(\.text).joined(separator: "\n") == article.text
      sections = article.sections.map { section in
        (StoredJSON.strings(section.cues), StoredJSON.strings(section.items), StoredEntities.encode(section.entities),
          SearchTerms.of(section))
      }
    }
  }

  /// Stores articles in one transaction, each replacing any earlier version with the same id: a crash loses the
  /// whole batch or nothing, never part of an article. Returns what happened to each, in order.
  @discardableResult
  public func store(batch: [Pending]) throws -> [StoreOutcome] {
    try run {
      try database.write { db in
        try batch.map { try Self.store($0, db) }
      }
    }
  }

  /// Records the size and modification time of source files whose content was found unchanged (by hash).
  public func recordFileStates(_ states: [(id: String, size: Int64, modified: Int64)]) throws {
    guard !states.isEmpty else { return }
    try run {
      try database.write { db in
        let update = try db.cachedStatement(sql: "UPDATE documents SET file_size = ?, file_modified = ? WHERE id = ?")
        for state in states { try update.execute(arguments: [state.size, state.modified, state.id]) }
      }
    }
  }

  /// Stores an article in one transaction, replacing any earlier version with the same id.
  @discardableResult
  public func store(_ article: Article) throws -> StoreOutcome {
    try run { try database.write { db in try Self.store(Pending(article: article), db) } }
  }

  /// Stores one prepared article. The document's `text` is left empty: it is its blocks' text, one per line, and
  /// `article(id:)` puts it back together.
  private static func store(_ pending: Pending, _ db: Database) throws -> StoreOutcome {
    let article = pending.article
    let existing = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT content_hash, pipeline_version FROM documents WHERE id = ?"),
      arguments: [article.id])
    if let existing, existing["content_hash"] == article.contentHash,
      existing["pipeline_version"] == Pipeline.version
    {
      return .unchanged
    }
    // The vocabulary is stale until the ingest recounts it, in its own transaction after this one.
    try db.cachedStatement(sql: Self.markSearchStatisticsStale).execute()
    // Only an article stored before is deleted: a delete that cascades to `sections` runs their delete trigger's
    // program even when no row matches (measured: 0.65 s of 1.7 s writing MedQuAD into an empty index).
    if existing != nil {
      try db.cachedStatement(sql: "DELETE FROM documents WHERE id = ?").execute(arguments: [article.id])
    }
    try db.cachedStatement(
      sql: """
        INSERT INTO documents (id, path, title, content_hash, pipeline_version, ingested_at, encoding,
          encoding_reason, metadata, repairs, text, blocks, file_size, file_modified)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(
      arguments: [
        article.id, article.path, article.title, article.contentHash, Pipeline.version,
        Self.timestamp(), article.encoding, article.encodingReason, pending.metadata, pending.repairs,
        pending.textFromBlocks ? "" : article.text, pending.blocks, pending.size, pending.modified,
      ])
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO sections (document_id, ordinal, heading, level, kind, confidence, cues, text, items, entities,
          terms, title)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    let insertSearchable = try db.cachedStatement(
      sql: "INSERT INTO sections_fts(rowid, title, heading, terms, text, kind) VALUES (?, ?, ?, ?, ?, ?)")
    for (ordinal, (section, stored)) in zip(article.sections, pending.sections).enumerated() {
      try insert.execute(arguments: [
        article.id, ordinal, section.heading, section.level, section.kind.rawValue, section.confidence,
        stored.cues, section.text, stored.items, stored.entities, stored.terms, article.title,
      ])
      try insertSearchable.execute(arguments: [
        db.lastInsertedRowID, article.title, section.heading, stored.terms, section.text, section.kind.rawValue,
      ])
    }
    return existing == nil ? .added : .updated
  }

  /// Now as ISO 8601 (UTC, seconds), without a formatter per call.
  private static func timestamp() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
  }

  /// Marks `search_vocabulary` out of date, in the transaction that changes documents: a row no indexed term can be
  /// (FTS5 never yields an empty term; readers skip it), removed only by `refreshSearchStatistics`, which recounts
  /// in the same transaction. An ingest killed after storing its last article but before the recount leaves the
  /// mark, and the next ingest recounts although it changes nothing.
  static let markSearchStatisticsStale = "INSERT OR IGNORE INTO search_vocabulary (term, sections) VALUES ('', -1)"

  /// True when documents changed after `search_vocabulary` was last recounted (an ingest stopped before the end).
  public func searchStatisticsStale() throws -> Bool {
    try run {
      try database.read { db in
        try Bool.fetchOne(db, sql: "SELECT 1 FROM search_vocabulary WHERE term = ''") ?? false
      }
    }
  }

  /// Recounts `search_vocabulary` (how many sections hold each indexed term, for query planning and spelling
  /// suggestions) from the full-text index, and merges the index's segments so that queries read fewer of them.
  /// Called after an ingest that changed something or found the statistics stale; takes about 0.3 s for the 5,490
  /// MedQuAD articles.
  public func refreshSearchStatistics() throws {
    try run {
      try database.write { db in
        try db.execute(
          sql: """
            DELETE FROM search_vocabulary;
            INSERT INTO search_vocabulary SELECT term, doc FROM sections_vocabulary;
            INSERT INTO sections_fts(sections_fts) VALUES ('optimize');
            """)
      }
    }
  }

  /// Runs `body` with the write-ahead log's automatic checkpoints off, then checkpoints once: during a long ingest
  /// SQLite would otherwise copy the log into the database file every few megabytes, writing much of it twice
  /// (measured: the writer's time −16 % on MedQuAD). The log grows to about the size of what the ingest writes
  /// meanwhile; searches keep reading through it. A failed final checkpoint (a reader holding the log) is left to
  /// the next one.
  ///
  /// FTS5's automatic merging of index segments is off meanwhile too: the ingest ends with `optimize`
  /// (`refreshSearchStatistics`), which merges them all at once (measured: writer −0.1 s on MedQuAD).
  public func withBulkWrites<T>(_ body: () throws -> T) throws -> T {
    try run {
      try database.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        try db.execute(sql: "INSERT INTO sections_fts(sections_fts, rank) VALUES ('automerge', 0)")
      }
    }
    defer {
      _ = try? database.writeWithoutTransaction { db in
        try db.execute(sql: "INSERT INTO sections_fts(sections_fts, rank) VALUES ('automerge', 4)")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
        _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      }
    }
    return try body()
  }

  /// Deletes documents whose source file no longer exists. Returns their ids.
  public func pruneMissing() throws -> [String] {
    try run {
      try database.write { db in
        let rows = try Row.fetchAll(db, sql: "SELECT id, path FROM documents ORDER BY id")
        var removed: [String] = []
        for row in rows {
          let path: String = row["path"]
          if !FileManager.default.fileExists(atPath: path) {
            let id: String = row["id"]
            if removed.isEmpty { try db.execute(sql: Self.markSearchStatisticsStale) }
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
            removed.append(id)
          }
        }
        return removed
      }
    }
  }

  // MARK: - Reading

  /// The id of a stored document from what a user typed: the exact id, or the one id ending with `/<text>`.
  public func resolveID(_ text: String) throws -> String {
    try run {
      try database.read { db in
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM documents WHERE id = ?", arguments: [text]) == true {
          return text
        }
        let matches = try String.fetchAll(
          db, sql: "SELECT id FROM documents WHERE id LIKE ? ESCAPE '\\' ORDER BY id",
          arguments: ["%/" + Self.escapeLike(text)])
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw MedRefError.unknownDocument(id: text, reason: "no such document in the index") }
        throw MedRefError.unknownDocument(
          id: text, reason: "ambiguous; matches " + matches.prefix(5).joined(separator: ", "))
      }
    }
  }

  static func escapeLike(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_")
  }

  /// All stored ids, sorted.
  public func allIDs() throws -> [String] {
    try run { try database.read { db in try String.fetchAll(db, sql: "SELECT id FROM documents ORDER BY id") } }
  }

  /// How many articles the index holds.
  public func documentCount() throws -> Int {
    try run { try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0 } }
  }

  /// A stored article, rebuilt from the index.
  public func article(id: String) throws -> Article {
    try run {
      try database.read { db in
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id]) else {
          throw MedRefError.unknownDocument(id: id, reason: "no such document in the index")
        }
        let sectionRows = try Row.fetchAll(
          db, sql: "SELECT * FROM sections WHERE document_id = ? ORDER BY ordinal", arguments: [id])
        let sections = sectionRows.map { section in
          Section(
            heading: section["heading"], level: section["level"],
            kind: SectionKind(rawValue: section["kind"]) ?? .other, confidence: section["confidence"],
            cues: Self.decodeJSON(section["cues"], as: [String].self) ?? [], text: section["text"],
            items: Self.decodeJSON(section["items"], as: [String].self) ?? [],
            entities: StoredEntities.decode(section["entities"], text: section["text"]))
        }
        let blocks = Self.decodeJSON(row["blocks"], as: [Block].self) ?? []
        let storedText: String = row["text"]
        return Article(
          id: row["id"], path: row["path"], title: row["title"],
          metadata: Self.decodeJSON(row["metadata"], as: DocumentMetadata.self) ?? DocumentMetadata(),
          encoding: row["encoding"], encodingReason: row["encoding_reason"],
          repairs: Self.decodeJSON(row["repairs"], as: [Repair].self) ?? [],
          text: storedText.isEmpty ? blocks.map(\.text).joined(separator: "\n") : storedText, sections: sections,
          blocks: blocks, contentHash: row["content_hash"],
          diagnostics: [])
      }
    }
  }

  static func decodeJSON<T: Decodable>(_ text: String, as type: T.Type) -> T? {
    try? JSONDecoder().decode(T.self, from: Data(text.utf8))
  }

  // MARK: - Figures

  /// Figures about the index.
  public struct Statistics: Sendable, Codable, Equatable {
    public var documents: Int
    public var sections: Int
    public var sectionsByKind: [String: Int]
    /// Entity mentions by type (`symptom`, `test`, `medication`, `procedure`).
    public var entitiesByType: [String: Int]
    /// Mentions of red-flag symptoms.
    public var redFlags: Int
    public var repairs: Int
    public var bytes: Int
    public var path: String
  }

  /// One entity term across the index: how many articles and sections name it, for facets and filters.
  public struct EntityFacet: Sendable, Codable, Equatable {
    public var type: String
    /// The normalised name (the HPO preferred name of a symptom, the generic name of a drug).
    public var name: String
    public var hpo: String?
    public var documents: Int
    public var mentions: Int
  }

  /// The most frequent entity terms (by the number of articles naming them), optionally of one `type` and in
  /// sections of one `kind`.
  public func entityFacets(type: String? = nil, kind: SectionKind? = nil, limit: Int = 20) throws -> [EntityFacet] {
    try run {
      try database.read { db in
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let type {
          conditions.append("type = ?")
          arguments.append(type)
        }
        if let kind {
          conditions.append("section_kind = ?")
          arguments.append(kind.rawValue)
        }
        arguments.append(limit)
        let rows = try Row.fetchAll(
          db,
          sql: """
            SELECT type, name, max(hpo) AS hpo, count(DISTINCT document_id) AS documents, count(*) AS mentions
            FROM section_entities \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            GROUP BY type, name ORDER BY documents DESC, mentions DESC, name LIMIT ?
            """, arguments: StatementArguments(arguments))
        return rows.map { row in
          EntityFacet(
            type: row["type"], name: row["name"], hpo: row["hpo"], documents: row["documents"],
            mentions: row["mentions"])
        }
      }
    }
  }

  public func statistics() throws -> Statistics {
    try run {
      try database.read { db in
        let documents = try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0
        let sections = try Int.fetchOne(db, sql: "SELECT count(*) FROM sections") ?? 0
        var byKind: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM sections GROUP BY kind") {
          byKind[row["kind"]] = row["n"]
        }
        var byType: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, count(*) AS n FROM section_entities GROUP BY type") {
          byType[row["type"]] = row["n"]
        }
        let redFlags = try Int.fetchOne(db, sql: "SELECT count(*) FROM section_entities WHERE red_flag") ?? 0
        let repairs =
          try Int.fetchOne(db, sql: "SELECT coalesce(sum(json_array_length(repairs)), 0) FROM documents") ?? 0
        let bytes = ["", "-wal", "-shm", "-journal"].reduce(0) { total, suffix in
          let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
          return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
        return Statistics(
          documents: documents, sections: sections, sectionsByKind: byKind, entitiesByType: byType,
          redFlags: redFlags, repairs: repairs, bytes: bytes, path: path)
      }
    }
  }

  /// A stored article whose source file changed or went away since it was ingested.
  public struct ChangedSource: Sendable, Equatable, Codable {
    public var id: String
    public var path: String
    /// `changed` (other bytes), `missing` (no such file) or `unreadable`.
    public var state: String
  }

  /// The stored articles whose source files differ from what was ingested: size or modification time first, and
  /// when those differ, the bytes' hash (a file only touched is not reported).
  public func changedSources(reader: SourceReader = SourceReader(maximumFileSize: 1 << 40)) throws -> [ChangedSource] {
    var changed: [ChangedSource] = []
    for (id, stored) in try storedFiles().sorted(by: { $0.key < $1.key }) {
      guard FileManager.default.fileExists(atPath: stored.path) else {
        changed.append(ChangedSource(id: id, path: stored.path, state: "missing"))
        continue
      }
      do {
        let status = try reader.status(stored.path)
        if status.size == stored.size && status.modified == stored.modified { continue }
        if ContentHash.of(try reader.read(stored.path)) != stored.contentHash {
          changed.append(ChangedSource(id: id, path: stored.path, state: "changed"))
        }
      } catch {
        changed.append(ChangedSource(id: id, path: stored.path, state: "unreadable"))
      }
    }
    return changed
  }

  /// Problems found by SQLite's integrity check, FTS5's own check and a count of full-text rows; empty when sound.
  public func integrityProblems() throws -> [String] {
    try run {
      try database.write { db in
        var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        do {
          try db.execute(sql: "INSERT INTO sections_fts(sections_fts) VALUES('integrity-check')")
        } catch let error as DatabaseError {
          problems.append("full-text index: \(error.message ?? "damaged")")
        }
        let sections = try Int.fetchOne(db, sql: "SELECT count(*) FROM sections") ?? 0
        let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM sections_fts") ?? 0
        if sections != indexed { problems.append("\(sections) sections but \(indexed) full-text rows") }
        let orphans = try Int.fetchOne(
          db, sql: "SELECT count(*) FROM sections WHERE document_id NOT IN (SELECT id FROM documents)") ?? 0
        if orphans > 0 { problems.append("\(orphans) sections without a document") }
        return problems
      }
    }
  }
}
