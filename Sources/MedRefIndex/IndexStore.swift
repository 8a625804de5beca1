import Foundation
import GRDB
import MedRefBase
import MedRefExtraction
import MedRefText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
  package let database: any DatabaseWriter
  /// Ids are relative to the folder above `Index/`.
  public let ids: DocumentID

  /// Opens the index at `path`, creating it (and its folder) when `create` is true. Without `create` (the read
  /// commands) an index that this process may not write — in a read-only folder, or a read-only file — is opened
  /// read-only; a writable one made by an older MedRef is upgraded. A database that is not a MedRef index is
  /// refused before anything is written to it.
  /// - Throws: `MedRefError.missingIndex` when it does not exist and `create` is false; `.indexFailure` when it
  ///   cannot be opened or is not a MedRef index.
  public init(path: String, create: Bool) throws {
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
    } else if !create && !Self.isWritable(path) {
      try self.init(readOnlyAt: path, readers: 1)
      return
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      // Memory-mapped reads: queries touch index pages without a system call each (see BENCHMARKS.md). These
      // settings last as long as the connection; nothing here writes to the file.
      try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536")
    }
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      let state = try queue.read { db in try Self.indexState(db) }
      switch state {
      case .foreign(let tables):
        throw MedRefError.indexFailure(
          path: path, reason: "not a MedRef index (it holds other tables: \(tables.prefix(5).joined(separator: ", ")))")
      case .empty, .medRef:
        // An empty database is where an ingest killed before its first commit left one: it becomes an index.
        break
      }
      // Write-ahead log with NORMAL sync: a commit per article without an fsync each time. A crash can lose the
      // last commits but never leaves the index half-written. The mode is kept in the file: set once, by the
      // commands that write.
      if create { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") } }
      let applied = try queue.read { db in try IndexSchema.migrator.hasCompletedMigrations(db) }
      if !applied { try IndexSchema.migrator.migrate(queue) }
      self.init(path: path, database: queue)
    } catch let error as MedRefError {
      throw error
    } catch let error as DatabaseError {
      throw MedRefError.indexFailure(path: path, reason: Self.describe(error))
    } catch {
      throw MedRefError.indexFailure(path: path, reason: "\(error)")
    }
  }

  /// What a database file holds: nothing yet, a MedRef index (made by this version or an older one), or the
  /// tables of another program.
  enum IndexState: Equatable {
    case empty
    case medRef
    case foreign(tables: [String])
  }

  /// The name of MedRef's first migration: a database whose `grdb_migrations` lists it is a MedRef index.
  static let firstMigration = "v1: documents, sections, full-text search"

  static func indexState(_ db: Database) throws -> IndexState {
    let tables = try String.fetchAll(
      db,
      sql: """
        SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name
        """)
    // Only GRDB's bookkeeping table: an index whose creation was killed after the migrator made its table and
    // before the first migration committed (its own transaction). Nothing of anyone's is in it: it becomes an index.
    if tables.isEmpty || tables == ["grdb_migrations"] { return .empty }
    guard tables.contains("grdb_migrations"),
      try Bool.fetchOne(
        db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = ?", arguments: [firstMigration]) == true
    else { return .foreign(tables: tables) }
    return .medRef
  }

  /// Whether this process may write the index: its file, and its folder (SQLite keeps the write-ahead log and the
  /// shared-memory file beside it).
  static func isWritable(_ path: String) -> Bool {
    let folder = (path as NSString).deletingLastPathComponent
    return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
  }

  /// Opens an existing index read-only, with a pool of up to `readers` connections that read side by side (for
  /// `medref serve`): nothing through it can change the index, and an ingest may write meanwhile (WAL). In a
  /// folder this process cannot write, where SQLite could not make the index's shared-memory file, a closed index
  /// (no write-ahead log beside it) is opened as immutable. With `immutable`, it always is: a copy of the index that
  /// nothing writes (on another machine, a shared or read-only volume), read with no locks and no `-wal` or `-shm`
  /// file made beside it, so any number of processes can serve copies of one file.
  /// - Throws: `MedRefError.missingIndex` when there is no index at `path`; `.indexFailure` when it cannot be read,
  ///   is not a MedRef index, or was made by another version of MedRef (run `medref ingest` to upgrade it), or, with
  ///   `immutable`, when a write-ahead log beside it still holds changes (an immutable open would not see them).
  public init(readOnlyAt path: String, readers: Int = 2 * ProcessInfoCores.count, immutable: Bool = false) throws {
    guard FileManager.default.fileExists(atPath: path) else { throw MedRefError.missingIndex(path: path) }
    if immutable, let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int,
      size > 0
    {
      throw MedRefError.indexFailure(
        path: path,
        reason: "its write-ahead log (\(path)-wal) holds changes an immutable copy would not see; copy the index "
          + "when no medref has it open (the log is then empty), or open it without --immutable")
    }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.maximumReaderCount = max(1, readers)
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384")
    }
    let manager = FileManager.default
    let folder = (path as NSString).deletingLastPathComponent
    let hasLog = manager.fileExists(atPath: path + "-wal") && manager.fileExists(atPath: path + "-shm")
    let opened =
      immutable || (access(folder.isEmpty ? "." : folder, W_OK) != 0 && !hasLog)
      ? "file:" + Self.uriPath(path) + "?immutable=1" : path
    do {
      let pool = try DatabasePool(path: opened, configuration: configuration)
      let state = try pool.read { db in try Self.indexState(db) }
      if case .foreign(let tables) = state {
        throw MedRefError.indexFailure(
          path: path, reason: "not a MedRef index (it holds other tables: \(tables.prefix(5).joined(separator: ", ")))")
      }
      let applied = try pool.read { db in
        try IndexSchema.migrator.hasCompletedMigrations(db)
          && !(try IndexSchema.migrator.hasBeenSuperseded(db))
      }
      guard applied else {
        throw MedRefError.indexFailure(
          path: path, reason: "made by another version of medref (run 'medref ingest' on it to upgrade)")
      }
      self.init(path: path, database: pool)
    } catch let error as MedRefError {
      throw error
    } catch let error as DatabaseError {
      throw MedRefError.indexFailure(path: path, reason: Self.describe(error))
    }
  }

  private init(path: String, database: any DatabaseWriter) {
    self.path = path
    self.ids = DocumentID(base: DocumentID.base(forIndex: path))
    self.database = database
  }

  /// `path` for an SQLite URI: absolute, with `%`, `?` and `#` escaped.
  static func uriPath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var escaped = ""
    for character in absolute {
      switch character {
      case "%": escaped += "%25"
      case "?": escaped += "%3F"
      case "#": escaped += "%23"
      default: escaped.append(character)
      }
    }
    return escaped
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
  package func run<T>(_ body: () throws -> T) throws -> T {
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
    /// The source file's absolute path when it was stored ('' for articles stored before MedRef recorded it).
    public var sourcePath: String
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
          db,
          sql: "SELECT id, path, source_path, content_hash, pipeline_version, file_size, file_modified FROM documents")
        while let row = try cursor.next() {
          files[row[0]] = StoredFile(
            path: row[1], sourcePath: row[2], contentHash: row[3], pipelineVersion: row[4], size: row[5],
            modified: row[6])
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
    /// The source file's absolute path ('' when the article has no file of its own).
    public var sourcePath: String
    let metadata: String
    let repairs: String
    let blocks: String
    /// Per section: cues, items, entities and search terms.
    let sections: [(cues: String, items: String, entities: String, terms: String)]
    /// Whether the article's text is its blocks' text, one per line (then it is not stored twice).
    let textFromBlocks: Bool
    /// `StoredChecksum` of the columns as they are written.
    let checksum: String

    public init(article: Article, size: Int64 = -1, modified: Int64 = -1, sourcePath: String = "") {
      self.article = article
      self.size = size
      self.modified = modified
      self.sourcePath = sourcePath
      metadata = StoredJSON.metadata(article.metadata)
      repairs = StoredJSON.repairs(article.repairs)
      blocks = StoredJSON.blocks(article.blocks)
      textFromBlocks = !article.blocks.isEmpty && article.blocks.map(\.text).joined(separator: "\n") == article.text
      sections = article.sections.map { section in
        (
          StoredJSON.strings(section.cues), StoredJSON.strings(section.items), StoredEntities.encode(section.entities),
          SearchTerms.of(section)
        )
      }
      var checksum = StoredChecksum()
      checksum.add(document: [
        article.id, article.path, article.title, article.contentHash, String(Pipeline.version), article.encoding,
        article.encodingReason, metadata, repairs, textFromBlocks ? "" : article.text, blocks,
      ])
      for (section, stored) in zip(article.sections, sections) {
        checksum.add(section: [
          section.heading, String(section.level), section.kind.rawValue, String(section.confidence), stored.cues,
          section.text, stored.items, stored.entities, stored.terms, article.title,
        ])
      }
      self.checksum = checksum.value
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

  /// Records the size, modification time and absolute path of source files whose content was found unchanged.
  public func recordFileStates(_ states: [(id: String, size: Int64, modified: Int64, sourcePath: String)]) throws {
    guard !states.isEmpty else { return }
    try run {
      try database.write { db in
        let update = try db.cachedStatement(
          sql: "UPDATE documents SET file_size = ?, file_modified = ?, source_path = ? WHERE id = ?")
        for state in states {
          try update.execute(arguments: [state.size, state.modified, state.sourcePath, state.id])
        }
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
          encoding_reason, metadata, repairs, text, blocks, file_size, file_modified, source_path, checksum)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(
      arguments: [
        article.id, article.path, article.title, article.contentHash, Pipeline.version,
        Self.timestamp(), article.encoding, article.encodingReason, pending.metadata, pending.repairs,
        pending.textFromBlocks ? "" : article.text, pending.blocks, pending.size, pending.modified,
        pending.sourcePath, pending.checksum,
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
  /// Removes the articles `ids` (pages no longer in their re-read web archive) in one transaction; returns them.
  public func remove(ids: [String]) throws -> [String] {
    guard !ids.isEmpty else { return [] }
    return try run {
      try database.write { db in
        try db.execute(sql: Self.markSearchStatisticsStale)
        for id in ids { try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id]) }
        return ids
      }
    }
  }

  public func pruneMissing() throws -> [String] {
    try run {
      try database.write { db in
        let rows = try Row.fetchAll(db, sql: "SELECT id, path, source_path FROM documents ORDER BY id")
        var removed: [String] = []
        for row in rows {
          let path: String = row["path"]
          let sourcePath: String = row["source_path"]
          if Self.isKnownGone(path: path, sourcePath: sourcePath, base: ids.base) {
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

  /// Whether an article's source file is known to be gone: the system says there is no such file (not that it may
  /// not look: a folder without permission keeps its articles). The recorded absolute path decides; an article
  /// stored before MedRef recorded one, with a relative `path`, is gone only when that path is missing both from
  /// the current folder and from the index's base folder (where the default layout runs its ingests).
  static func isKnownGone(path: String, sourcePath: String, base: String) -> Bool {
    // A page of a web archive, or an object of a file of extracts, is gone with its file.
    if let container = container(ofSourcePath: sourcePath) { return isMissing(container) }
    if !sourcePath.isEmpty { return isMissing(sourcePath) }
    if path.hasPrefix("/") { return isMissing(path) }
    return isMissing(path) && isMissing((base as NSString).appendingPathComponent(path))
  }

  /// The file an article's source path names a part of: the web archive of a page (`ARCHIVE#URI`) or the file of
  /// extract objects of an article ingested with `--extracts` (`FILE.jsonl#ID`); nil for an article of its own file.
  static func container(ofSourcePath path: String) -> String? {
    var index = path.startIndex
    while let mark = path[index...].firstIndex(of: "#") {
      let prefix = String(path[..<mark])
      let lower = prefix.lowercased()
      if WebArchiveReader.isArchive(prefix) || lower.hasSuffix(".jsonl") || lower.hasSuffix(".jsonl.gz") {
        return prefix
      }
      index = path.index(after: mark)
    }
    return nil
  }

  /// Whether `stat` says that nothing is at `path` (`ENOENT`, or a part of it is not a folder).
  static func isMissing(_ path: String) -> Bool {
    var info = stat()
    if stat(path, &info) == 0 { return false }
    return errno == ENOENT || errno == ENOTDIR
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
        let sections = try sectionRows.map { section in
          Section(
            heading: section["heading"], level: section["level"],
            kind: SectionKind(rawValue: section["kind"]) ?? .other, confidence: section["confidence"],
            cues: try self.decodeStored(section["cues"], as: [String].self, column: "sections.cues", id: id),
            text: section["text"],
            items: try self.decodeStored(section["items"], as: [String].self, column: "sections.items", id: id),
            entities: StoredEntities.decode(section["entities"], text: section["text"]))
        }
        let blocks = try self.decodeStored(row["blocks"], as: [Block].self, column: "documents.blocks", id: id)
        let storedText: String = row["text"]
        return Article(
          id: row["id"], path: row["path"], title: row["title"],
          metadata: try self.decodeStored(
            row["metadata"], as: DocumentMetadata.self, column: "documents.metadata", id: id),
          encoding: row["encoding"], encodingReason: row["encoding_reason"],
          repairs: try self.decodeStored(row["repairs"], as: [Repair].self, column: "documents.repairs", id: id),
          text: storedText.isEmpty ? blocks.map(\.text).joined(separator: "\n") : storedText, sections: sections,
          blocks: blocks, contentHash: row["content_hash"],
          diagnostics: [])
      }
    }
  }

  /// How much of a stored article one reader asks for: `show` and the web pages render a few screens of a
  /// 15 MB article, and must not read (or decode) all of it to do so.
  public struct ArticleLimits: Sendable, Equatable {
    /// Characters of each section's text.
    public var sectionCharacters: Int
    /// List items, and entities, per section.
    public var items: Int
    public var entities: Int
    /// Blocks of the article (its text is made from them); 0 reads none, and the text is the sections'.
    public var blocks: Int
    /// Characters of all the sections' texts together, and of all the blocks' texts together.
    public var totalCharacters: Int
    /// Sections of the article.
    public var sections: Int

    public init(
      sectionCharacters: Int, items: Int, entities: Int, blocks: Int, totalCharacters: Int, sections: Int = 2_000
    ) {
      self.sectionCharacters = sectionCharacters
      self.items = items
      self.entities = entities
      self.blocks = blocks
      self.totalCharacters = totalCharacters
      self.sections = sections
    }

    /// What a page or a report of one article shows: 2,000 sections, 100,000 characters, 1,000 items and 2,000
    /// entities a section, 5,000 blocks, 1,000,000 characters in all.
    public static let page = ArticleLimits(
      sectionCharacters: 100_000, items: 1_000, entities: 2_000, blocks: 5_000, totalCharacters: 1_000_000)
  }

  /// A stored article read within `limits`, and whether anything was left out (a section's text cut, items,
  /// entities or blocks beyond the limits). The work is bounded by the limits, not by the article: texts are cut
  /// by SQLite (`substr`), arrays read only to their limit (`json_each`).
  /// - Throws: `.unknownDocument`; `.indexFailure` when a stored column does not parse (run `medref check`).
  public func article(id: String, limits: ArticleLimits) throws -> (article: Article, cut: Bool) {
    try run {
      try database.read { db in
        guard
          let row = try Row.fetchOne(
            db,
            sql: """
              SELECT id, path, title, metadata, encoding, encoding_reason, repairs, content_hash,
                (SELECT count(*) FROM json_each(blocks)) AS block_count FROM documents WHERE id = ?
              """, arguments: [id])
        else { throw MedRefError.unknownDocument(id: id, reason: "no such document in the index") }
        var cut = false
        let sectionRows = try Row.fetchAll(
          db,
          sql: """
            SELECT heading, level, kind, confidence, cues, length(text) AS length, id AS section_id
            FROM sections WHERE document_id = ? ORDER BY ordinal LIMIT ?
            """, arguments: [id, limits.sections + 1])
        if sectionRows.count > limits.sections { cut = true }
        var sections: [Section] = []
        var remaining = limits.totalCharacters
        for section in sectionRows.prefix(limits.sections) {
          let length: Int = section["length"]
          let allowed = min(limits.sectionCharacters, remaining)
          if length > allowed { cut = true }
          let sectionID: Int64 = section["section_id"]
          let text =
            try String.fetchOne(
              db, sql: "SELECT substr(text, 1, ?) FROM sections WHERE id = ?", arguments: [allowed, sectionID]) ?? ""
          remaining -= min(length, allowed)
          let items = try String.fetchAll(
            db, sql: "SELECT json_each.value FROM sections, json_each(sections.items) WHERE sections.id = ? LIMIT ?",
            arguments: [sectionID, limits.items + 1])
          let entityJSON = try String.fetchAll(
            db,
            sql: "SELECT json_each.value FROM sections, json_each(sections.entities) WHERE sections.id = ? LIMIT ?",
            arguments: [sectionID, limits.entities + 1])
          if items.count > limits.items || entityJSON.count > limits.entities { cut = true }
          sections.append(
            Section(
              heading: section["heading"], level: section["level"],
              kind: SectionKind(rawValue: section["kind"]) ?? .other, confidence: section["confidence"],
              cues: try self.decodeStored(section["cues"], as: [String].self, column: "sections.cues", id: id),
              text: text, items: Array(items.prefix(limits.items)),
              entities: StoredEntities.decode(
                "[" + entityJSON.prefix(limits.entities).joined(separator: ",") + "]",
                text: text)))
        }
        var blocks: [Block] = []
        if limits.blocks > 0 {
          // Blocks one by one, until the count or the characters run out.
          var blockJSON: [String] = []
          var characters = 0
          let cursor = try String.fetchCursor(
            db,
            sql: "SELECT json_each.value FROM documents, json_each(documents.blocks) WHERE documents.id = ? LIMIT ?",
            arguments: [id, limits.blocks])
          while characters < limits.totalCharacters, let block = try cursor.next() {
            blockJSON.append(block)
            characters += block.utf8.count
          }
          blocks = try self.decodeStored(
            "[" + blockJSON.joined(separator: ",") + "]", as: [Block].self, column: "documents.blocks", id: id)
        }
        let blockCount: Int = row["block_count"]
        if blockCount > blocks.count && limits.blocks > 0 { cut = true }
        let article = Article(
          id: row["id"], path: row["path"], title: row["title"],
          metadata: try self.decodeStored(
            row["metadata"], as: DocumentMetadata.self, column: "documents.metadata", id: id),
          encoding: row["encoding"], encodingReason: row["encoding_reason"],
          repairs: try self.decodeStored(row["repairs"], as: [Repair].self, column: "documents.repairs", id: id),
          text: (blocks.isEmpty ? sections.map(\.text) : blocks.map(\.text)).joined(separator: "\n"),
          sections: sections, blocks: blocks, contentHash: row["content_hash"], diagnostics: [])
        return (article, cut)
      }
    }
  }

  /// A stored JSON column decoded, or an error naming it: damage is reported, never read as empty.
  func decodeStored<T: Decodable>(_ text: String, as type: T.Type, column: String, id: String) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    } catch {
      throw MedRefError.indexFailure(
        path: path, reason: "\(column) of \(id) does not parse as JSON: the index is damaged (run 'medref check')")
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
    /// What became of the source file.
    public enum State: String, Sendable, Equatable, Codable {
      /// Other bytes than were ingested.
      case changed
      /// No such file any more.
      case missing
      /// The file is there but cannot be read.
      case unreadable
    }

    public var state: State
  }

  /// The stored articles whose source files differ from what was ingested: size or modification time first, and
  /// when those differ, the bytes' hash (a file only touched is not reported).
  public func changedSources(reader: SourceReader = SourceReader(maximumFileSize: 1 << 40)) throws -> [ChangedSource] {
    var changed: [ChangedSource] = []
    for (id, stored) in try storedFiles().sorted(by: { $0.key < $1.key }) {
      if Self.isKnownGone(path: stored.path, sourcePath: stored.sourcePath, base: ids.base) {
        changed.append(ChangedSource(id: id, path: stored.path, state: .missing))
        continue
      }
      // The recorded absolute path, so that the working folder does not matter.
      let file = stored.sourcePath.isEmpty ? stored.path : stored.sourcePath
      do {
        if let container = Self.container(ofSourcePath: file) {
          // A page of a web archive or an object of extracts: changed when its file is (not hashed alone).
          let status = try reader.status(container)
          if status.size != stored.size || status.modified != stored.modified {
            changed.append(ChangedSource(id: id, path: stored.path, state: .changed))
          }
          continue
        }
        let status = try reader.status(file)
        if status.size == stored.size && status.modified == stored.modified { continue }
        if ContentHash.of(try reader.read(file)) != stored.contentHash {
          changed.append(ChangedSource(id: id, path: stored.path, state: .changed))
        }
      } catch {
        changed.append(ChangedSource(id: id, path: stored.path, state: .unreadable))
      }
    }
    return changed
  }

  /// Problems found by SQLite's integrity check, FTS5's own check of the full-text index against `sections` (with
  /// `rank` 1, which compares every row with the content table), the JSON columns (each must parse), the counts
  /// of sections, full-text rows and documents; empty when sound. On an index opened read-only the full-text check
  /// (SQLite runs it as a write) is left to the counts.
  public func integrityProblems() throws -> [String] {
    try run {
      try database.writeWithoutTransaction { db in
        var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        do {
          try db.execute(sql: "INSERT INTO sections_fts(sections_fts, rank) VALUES('integrity-check', 1)")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
          // A read-only connection: no full-text check beyond the counts below.
        } catch let error as DatabaseError {
          problems.append("full-text index: \(error.message ?? "damaged") (it differs from the sections)")
        }
        let sections = try Int.fetchOne(db, sql: "SELECT count(*) FROM sections") ?? 0
        let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM sections_fts") ?? 0
        if sections != indexed { problems.append("\(sections) sections but \(indexed) full-text rows") }
        let orphans =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM sections WHERE document_id NOT IN (SELECT id FROM documents)") ?? 0
        if orphans > 0 { problems.append("\(orphans) sections without a document") }
        problems += try Self.checksumProblems(db)
        for (table, columns) in Self.jsonColumns {
          for column in columns {
            let bad = try String.fetchAll(
              db,
              sql: """
                SELECT \(table == "documents" ? "id" : "document_id") FROM \(table)
                WHERE \(column) != '' AND json_valid(\(column)) = 0 LIMIT 6
                """)
            if !bad.isEmpty {
              let named = Set(bad).sorted().prefix(5).joined(separator: ", ")
              problems.append("\(table).\(column) does not parse as JSON for \(named)\(bad.count > 5 ? ", …" : "")")
            }
          }
        }
        return problems
      }
    }
  }

  /// Articles whose stored columns no longer give the checksum written with them (at most five named).
  static func checksumProblems(_ db: Database) throws -> [String] {
    var damaged: [String] = []
    let documents = try Row.fetchCursor(
      db,
      sql: """
        SELECT id, path, title, content_hash, pipeline_version, encoding, encoding_reason, metadata, repairs, text,
          blocks, checksum FROM documents WHERE checksum != '' ORDER BY id
        """)
    let sections = try db.cachedStatement(
      sql: """
        SELECT heading, level, kind, confidence, cues, text, items, entities, terms, title FROM sections
        WHERE document_id = ? ORDER BY ordinal
        """)
    while let row = try documents.next() {
      var checksum = StoredChecksum()
      checksum.add(document: (0..<11).map { Self.storedText(row, $0) })
      let id: String = row["id"]
      let rows = try Row.fetchCursor(sections, arguments: [id])
      while let section = try rows.next() {
        checksum.add(section: (0..<10).map { Self.storedText(section, $0) })
      }
      if checksum.value != row["checksum"] { damaged.append(id) }
    }
    guard !damaged.isEmpty else { return [] }
    let named = damaged.prefix(5).joined(separator: ", ") + (damaged.count > 5 ? ", …" : "")
    return ["\(damaged.count) articles no longer match what was written for them (checksum): \(named)"]
  }

  /// A column as the checksum reads it: text as stored, a number as Swift prints it.
  private static func storedText(_ row: Row, _ index: Int) -> String {
    let value: DatabaseValue = row[index]
    switch value.storage {
    case .int64(let number): return String(number)
    case .double(let number): return String(number)
    case .string(let text): return text
    case .blob(let data): return String(decoding: data, as: UTF8.self)
    case .null: return ""
    }
  }

  /// The columns that hold JSON, by table.
  static let jsonColumns = [
    ("documents", ["metadata", "repairs", "blocks"]), ("sections", ["cues", "items", "entities"]),
  ]
}

/// FNV-1a over an article's stored values, each followed by a separator, documents and sections marked apart: the
/// same values give the same checksum, one changed byte another (almost surely).
package struct StoredChecksum {
  private var hash = FNV1a()

  mutating func add(document values: [String]) { add(0x1E, values) }
  mutating func add(section values: [String]) { add(0x1D, values) }

  private mutating func add(_ mark: UInt8, _ values: [String]) {
    mix(mark)
    for value in values {
      for byte in value.utf8 { mix(byte) }
      mix(0x1F)
    }
  }

  private mutating func mix(_ byte: UInt8) { hash.mix(byte) }

  var value: String { hash.hexDigits }
}
