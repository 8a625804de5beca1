import Foundation

/// What an ingest run did.
public struct IngestReport: Sendable, Codable, Equatable {
  public var added: [String] = []
  public var updated: [String] = []
  public var unchanged: [String] = []
  public var pruned: [String] = []
  /// Files inside folders that were not articles.
  public var skipped: [String] = []
  /// One line per file that failed: `path: reason`.
  public var failed: [String] = []
  /// Guessed repairs and fallbacks, one line each.
  public var notes: [String] = []

  public init() {}

  public var processed: Int { added.count + updated.count + unchanged.count }
}

/// Reads files and folders through the pipeline into an index, one transaction per document. Unchanged files are
/// recognised by their content hash and not processed again; a file that fails is reported and the rest go on.
public struct Ingestor: Sendable {
  public let store: IndexStore
  public let pipeline: Pipeline

  public init(store: IndexStore, pipeline: Pipeline = Pipeline()) {
    self.store = store
    self.pipeline = pipeline
  }

  /// Ingests `paths`. `progress` is called before each file with its 1-based number, the total and the path.
  public func ingest(
    _ paths: [String], prune: Bool = false, progress: (Int, Int, String) -> Void = { _, _, _ in }
  ) throws -> IngestReport {
    var report = IngestReport()
    let listing = pipeline.reader.list(paths)
    report.failed = listing.failures.map(\.description)
    report.skipped = listing.skipped.compactMap(\.file)
    var claimed: [String: String] = [:]
    for (number, file) in listing.files.enumerated() {
      progress(number + 1, listing.files.count, file.path)
      do {
        let bytes = try pipeline.reader.read(file.path)
        let id = try uniqueID(for: file.path, claimed: &claimed)
        if try store.isCurrent(id: id, contentHash: ContentHash.of(bytes)) {
          report.unchanged.append(id)
          continue
        }
        let article = try pipeline.process(bytes: bytes, file: file, id: id)
        report.notes += article.diagnostics.map(\.description)
        switch try store.store(article) {
        case .added: report.added.append(id)
        case .updated: report.updated.append(id)
        case .unchanged: report.unchanged.append(id)
        }
      } catch let error as MedRefError {
        if case .indexFailure = error { throw error }
        report.failed.append(error.description)
      }
    }
    if prune { report.pruned = try store.pruneMissing() }
    // Also after an earlier ingest that was stopped between storing articles and recounting.
    let changed = !report.added.isEmpty || !report.updated.isEmpty || !report.pruned.isEmpty
    if try changed || store.searchStatisticsStale() {
      try store.refreshSearchStatistics()
    }
    return report
  }

  /// The file's id; when another file already has it (`a.html` and `a.txt` side by side), the id keeps the
  /// extension (`a.txt`) so that neither replaces the other.
  func uniqueID(for path: String, claimed: inout [String: String]) throws -> String {
    let id = store.ids.id(forPath: path)
    let absolute = DocumentID.absolute(path)
    var taken = claimed[id].map { $0 != absolute } ?? false
    if !taken, let stored = try store.storedPath(id: id), DocumentID.absolute(stored) != absolute,
      FileManager.default.fileExists(atPath: stored)
    {
      taken = true
    }
    let chosen = taken ? id + "." + (path as NSString).pathExtension : id
    claimed[chosen] = absolute
    return chosen
  }
}
