import GRDB
import GRDBSQLite
import MedRefExtraction

/// The reads a search makes of an index, in one read transaction (`IndexStore.read`): typed values in and out, and
/// the only SQL a search runs. Matches take an `FTS5Expression`, never a string.
package struct IndexReader {
  private let db: Database

  /// A reader on `db` (`IndexStore.read` makes them; tests make them on a database of their own).
  init(_ db: Database) { self.db = db }

  /// Identifies the connection the reads run on (a pool has several): `dataVersion` only compares within one.
  package var connection: ObjectIdentifier { ObjectIdentifier(db) }

  /// SQLite's `data_version`: it changes when another connection commits (compare values of one `connection`).
  package func dataVersion() throws -> Int {
    try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
  }

  /// How many sections the index holds.
  package func sectionCount() throws -> Int {
    try Int.fetchOne(db, sql: "SELECT count(*) FROM sections") ?? 0
  }

  /// Calls `body` with every section's id, article id and kind as stored.
  package func forEachSection(_ body: (_ id: Int64, _ document: String, _ kind: String) throws -> Void) throws {
    let cursor = try Row.fetchCursor(db, sql: "SELECT id, document_id, kind FROM sections")
    while let row = try cursor.next() { try body(row[0], row[1], row[2]) }
  }

  /// Every article's id and title.
  package func titles() throws -> [(id: String, title: String)] {
    try Row.fetchAll(db, sql: "SELECT id, title FROM documents").map { ($0[0], $0[1]) }
  }

  /// The path and title of the articles `ids` (those that exist), by id.
  package func documents(ids: [String]) throws -> [String: (path: String, title: String)] {
    guard !ids.isEmpty else { return [:] }
    let sql = "SELECT id, path, title FROM documents WHERE id IN (" + Self.placeholders(ids.count) + ")"
    var found: [String: (path: String, title: String)] = [:]
    for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(ids)) {
      found[row[0]] = (row[1], row[2])
    }
    return found
  }

  /// The text (its first `characters` characters), entities (as stored: JSON) and heading of the sections `ids`.
  package func sectionTexts(
    ids: [Int64], characters: Int
  ) throws -> [Int64: (text: String, entities: String, heading: String)] {
    guard !ids.isEmpty else { return [:] }
    let sql =
      "SELECT id, substr(text, 1, \(max(characters, 0))), entities, heading FROM sections WHERE id IN ("
      + Self.placeholders(ids.count) + ")"
    var found: [Int64: (text: String, entities: String, heading: String)] = [:]
    for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(ids)) {
      found[row[0]] = (row[1], row[2], row[3])
    }
    return found
  }

  // MARK: - The vocabulary (`search_vocabulary`: each index term and how many sections hold it)

  /// Calls `body` with every term of the index and the number of sections holding it.
  package func forEachTerm(_ body: (_ term: String, _ sections: Int) throws -> Void) throws {
    let cursor = try Row.fetchCursor(db, sql: "SELECT term, sections FROM search_vocabulary")
    while let row = try cursor.next() { try body(row[0], row[1]) }
  }

  /// How many sections hold each of `terms` (index terms; those no section holds are missing).
  package func sectionCounts(terms: Set<String>) throws -> [String: Int] {
    guard !terms.isEmpty else { return [:] }
    let sql = "SELECT term, sections FROM search_vocabulary WHERE term IN (" + Self.placeholders(terms.count) + ")"
    var counts: [String: Int] = [:]
    for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(Array(terms))) {
      counts[row[0]] = row[1]
    }
    return counts
  }

  /// How many index terms start with `prefix` (an index term, as the tokenizer reads it), and how many sections
  /// they are found in, added up.
  package func terms(prefixed prefix: String) throws -> (terms: Int, sections: Double) {
    let sql = "SELECT count(*), total(sections) FROM search_vocabulary WHERE term >= ? AND term < ?"
    guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [prefix, prefix + "\u{10FFFF}"])
    else { return (0, 0) }
    return (row[0], row[1])
  }

  // MARK: - Full-text matches

  /// The weights `bm25` gives a match in each column (the `kind` column weighs nothing).
  package struct ColumnWeights: Sendable, Equatable {
    package var title: Double
    package var heading: Double
    package var terms: Double
    package var text: Double

    package init(title: Double, heading: Double, terms: Double, text: Double) {
      self.title = title
      self.heading = heading
      self.terms = terms
      self.text = text
    }
  }

  /// Calls `body` with the id and score (`-bm25`, higher is better) of the best `limit` sections matching
  /// `expression`, best first. The full-text table alone is ranked: joining it to `sections` before sorting would
  /// read every matching row's section.
  package func forEachRanked(
    _ expression: FTS5Expression, weights: ColumnWeights, limit: Int, _ body: (_ id: Int64, _ score: Double) -> Void
  ) throws {
    let weights = "\(weights.title), \(weights.heading), \(weights.terms), \(weights.text), 0"
    let sql = """
      SELECT rowid, -bm25(sections_fts, \(weights)) FROM sections_fts WHERE sections_fts MATCH ?
      ORDER BY bm25(sections_fts, \(weights)) LIMIT ?
      """
    let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [expression.text, limit])
    while let row = try cursor.next() { body(row[0], row[1]) }
  }

  /// The ids of the first `limit` sections matching `expression` by FTS5's own rank (default bm25 weights): the
  /// plain full-text search a benchmark compares with.
  package func rankedByFTS5(_ expression: FTS5Expression, limit: Int) throws -> [Int64] {
    try Int64.fetchAll(
      db.cachedStatement(sql: "SELECT rowid FROM sections_fts WHERE sections_fts MATCH ? ORDER BY rank LIMIT ?"),
      arguments: [expression.text, limit])
  }

  /// Calls `body` with the id of every section matching `expression` (the full-text table alone, unranked).
  package func forEachMatch(_ expression: FTS5Expression, _ body: (Int64) throws -> Void) throws {
    let cursor = try Int64.fetchCursor(
      db.cachedStatement(sql: "SELECT rowid FROM sections_fts WHERE sections_fts MATCH ?"),
      arguments: [expression.text])
    while let id = try cursor.next() { try body(id) }
  }

  /// What marks the start and the end of a matched word in `marked(_:matching:limit:)` (private-use characters).
  package static let markStart: Character = "\u{E000}"
  package static let markEnd: Character = "\u{E001}"

  /// The text of `columns` of the first `limit` sections matching `expression`, the matched words between
  /// `markStart` and `markEnd`: per section, one string per column, in the order given.
  package func marked(_ columns: [IndexColumn], matching expression: FTS5Expression, limit: Int) throws -> [String] {
    guard !columns.isEmpty else { return [] }
    let start = Self.markStart.unicodeScalars.first!.value
    let end = Self.markEnd.unicodeScalars.first!.value
    let sql =
      "SELECT "
      + columns.map { "highlight(sections_fts, \($0.number), char(\(start)), char(\(end)))" }
      .joined(separator: ", ") + " FROM sections_fts WHERE sections_fts MATCH ? LIMIT ?"
    return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [expression.text, limit]).flatMap { row in
      columns.indices.map { row[$0] as String }
    }
  }

  // MARK: - Interruption

  /// Thrown by `interruptible` when `shouldStop` stopped a statement.
  package struct Interrupted: Error {}

  /// Runs `body` with SQLite's progress handler calling `shouldStop` every `interval` virtual-machine instructions;
  /// when it returns true the running statement stops and this throws `Interrupted`. The handler is removed
  /// afterwards (the connection goes back to a pool).
  package func interruptible<T>(
    every interval: Int32, shouldStop: @escaping () -> Bool, _ body: () throws -> T
  ) throws -> T {
    guard let connection = db.sqliteConnection else { return try body() }
    let check = StopCheck(shouldStop)
    sqlite3_progress_handler(
      connection, interval,
      { context in
        guard let context else { return 0 }
        return Unmanaged<StopCheck>.fromOpaque(context).takeUnretainedValue().shouldStop() ? 1 : 0
      }, Unmanaged.passUnretained(check).toOpaque())
    defer { sqlite3_progress_handler(connection, 0, nil, nil) }
    do {
      return try withExtendedLifetime(check) { try body() }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && check.stopped {
      throw Interrupted()
    }
  }

  /// The progress handler's test, and whether it said to stop.
  private final class StopCheck {
    let test: () -> Bool
    var stopped = false
    init(_ test: @escaping () -> Bool) { self.test = test }
    func shouldStop() -> Bool {
      if test() { stopped = true }
      return stopped
    }
  }

  private static func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
  }
}

extension IndexStore {
  /// Runs `body` with a reader of the index in one read transaction; SQLite errors become
  /// `MedRefError.indexFailure`.
  package func read<T>(_ body: (IndexReader) throws -> T) throws -> T {
    try run { try database.read { try body(IndexReader($0)) } }
  }
}
