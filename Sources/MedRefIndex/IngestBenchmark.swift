import Foundation
import GRDB
import MedRefExtraction

/// Ingestion speed of a corpus against the limit SQLite sets (`medref bench ingest`): each run ingests the corpus
/// into a fresh index, then inserts the same section texts (title, heading, terms, text, kind of every section just
/// stored) into a fresh FTS5 table with the same tokenizer in one transaction — the raw insert time, the floor for
/// any ingest of that text — then ingests again with nothing changed.
public struct IngestBenchmark: Sendable {
  /// Figures of one run.
  public struct Run: Sendable, Codable, Equatable {
    public var timings: IngestTimings
    public var files: Int
    /// Seconds to insert the section texts into a bare FTS5 table, one transaction.
    public var rawInsert: Double
    /// Seconds of the second ingest, nothing changed.
    public var rerun: Double
    /// Bytes of the section texts inserted.
    public var sectionBytes: Int64
  }

  public let paths: [String]
  public let pipeline: Pipeline

  public init(paths: [String], pipeline: Pipeline = Pipeline()) {
    self.paths = paths
    self.pipeline = pipeline
  }

  /// One run in a temporary folder (removed after).
  public func run() throws -> Run {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medref-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try IndexStore(path: folder.appendingPathComponent("Index/medref.sqlite").path, create: true)
    let report = try Ingestor(store: store, pipeline: pipeline).ingest(paths)
    let rerun = try Ingestor(store: store, pipeline: pipeline).ingest(paths).timings.total

    // The raw insert of the same section texts.
    let rows = try store.database.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.title, s.heading, s.terms, s.text, s.kind FROM sections s JOIN documents d ON d.id = s.document_id
          ORDER BY s.id
          """)
    }
    let raw = try DatabaseQueue(path: folder.appendingPathComponent("raw.sqlite").path)
    try raw.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
      try db.execute(
        sql: """
          CREATE VIRTUAL TABLE raw USING fts5(title, heading, terms, text, kind,
            tokenize = '\(IndexSchema.tokenizer)')
          """)
    }
    var bytes: Int64 = 0
    let start = Ingestor.now()
    try raw.write { db in
      let insert = try db.makeStatement(
        sql: "INSERT INTO raw(title, heading, terms, text, kind) VALUES (?, ?, ?, ?, ?)")
      for row in rows {
        let values: [String] = (0..<5).map { row[$0] }
        bytes += Int64(values.reduce(0) { $0 + $1.utf8.count })
        try insert.execute(arguments: StatementArguments(values))
      }
    }
    let rawInsert = Ingestor.now() - start
    return Run(
      timings: report.timings, files: report.processed + report.failed.count, rawInsert: rawInsert, rerun: rerun,
      sectionBytes: bytes)
  }
}
