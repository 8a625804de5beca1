import Foundation
import MedRefBase
import MedRefText

/// `medref extract`'s use case: files and folders in, one extract object per file out, without an index. Files are
/// extracted on every core (`OrderedParallel`) and handed on in the order they were given (a folder's files in its
/// listing's order); a file that fails is reported in its place and the others still go through.
public struct Extractor: Sendable {
  /// What became of one path.
  public enum Outcome: Sendable {
    /// A file extracted.
    case extracted(Extracted)
    /// A path that could not be listed, a file that could not be read or held no article, or a malformed record of
    /// a web archive.
    case failed(Failure)
    /// A web archive read to its end (after its pages' outcomes): its records, pages and what was skipped.
    case archive(path: String, summary: WebArchiveSummary)
  }

  /// One file's extract object.
  public struct Extracted: Sendable {
    public var file: SourceFile
    public var record: ExtractRecord
    /// The record as one JSON line, written on the worker thread, with `ExtractFormat.jsonl`; nil with `.json`.
    public var jsonLine: String?
    /// The notes to show about the article (guessed repairs, encoding fallbacks, lines left out as boilerplate):
    /// its diagnostics when notes were asked for (`Extractor.notes`), else none.
    public var notes: [Diagnostic]
  }

  /// A path that gave no extract object.
  public struct Failure: Sendable, Equatable {
    /// The path as given (or as found in a folder given).
    public var path: String
    /// Why, in a few words ("empty file").
    public var reason: String
    /// The message for the user, one line: `path: reason` (control characters in the path escaped).
    public var message: String
    /// With `ExtractFormat.jsonl`, the record standing in the file's place, `{"error": reason, "path": path}`; nil
    /// with `.json`, and for a path that could not be listed (it names no file to stand in for).
    public var jsonLine: String?
  }

  /// What a run came to.
  public struct Summary: Sendable, Equatable {
    /// Files and archived pages extracted or failed (paths that could not be listed not counted).
    public var files: Int
    /// Paths and files that failed.
    public var failed: Int
  }

  public let pipeline: Pipeline
  /// Whether sections' entities are found.
  public let findEntities: Bool
  public let ids: DocumentID
  /// `jsonl`: each record's JSON line is written as it is extracted; `json`: the records only.
  public let format: ExtractFormat
  /// Whether each article's diagnostics are handed on as notes.
  public let notes: Bool

  /// An extractor with a pipeline that finds entities or not; ids relative to `ids`' base (by default the working
  /// folder); notes when `MEDREF_DEBUG_EXTRACT` is set (`notesRequested`).
  public init(
    findEntities: Bool = true, format: ExtractFormat = .jsonl,
    ids: DocumentID = DocumentID(base: FileManager.default.currentDirectoryPath), notes: Bool = Extractor.notesRequested
  ) {
    self.pipeline = Pipeline(findEntities: findEntities)
    self.findEntities = findEntities
    self.ids = ids
    self.format = format
    self.notes = notes
  }

  /// Whether `MEDREF_DEBUG_EXTRACT` asks for each article's notes (it also makes the HTML parser print how it chose
  /// the content).
  public static var notesRequested: Bool { ProcessInfo.processInfo.environment["MEDREF_DEBUG_EXTRACT"] != nil }

  /// Extracts every file of `paths` (folders recursively, `.html`, `.htm`, `.txt`, `.warc` and `.warc.gz` files in
  /// them; every HTML or text page of a web archive). `deliver` gets, on the calling thread, first a failure for
  /// each path that could not be listed, then each file's outcome in order, each as soon as it and all before it
  /// are done; an archive's pages in the archive's order, its malformed records, then its summary.
  /// - Throws: What `deliver` throws (no file starts after that).
  public func extract(_ paths: [String], deliver: (Outcome) throws -> Void) throws -> Summary {
    let listing = pipeline.reader.list(paths)
    for error in listing.failures { try deliver(.failed(Self.failure(error))) }
    let files = listing.files
    var summary = Summary(files: files.filter { !$0.isWebArchive }.count, failed: listing.failures.count)
    if findEntities && files.count > 1 || files.contains(where: \.isWebArchive) {
      EntityExtractor.prepareInBackground()
    }
    var index = 0
    while index < files.count {
      if files[index].isWebArchive {
        try extractArchive(files[index].path, summary: &summary, deliver: deliver)
        index += 1
        continue
      }
      let run = files[index...].prefix { !$0.isWebArchive }
      try extractFiles(Array(run), summary: &summary, deliver: deliver)
      index += run.count
    }
    return summary
  }

  /// Files on every core, delivered in order.
  private func extractFiles(
    _ files: [SourceFile], summary: inout Summary, deliver: (Outcome) throws -> Void
  ) throws {
    try OrderedParallel.map(count: files.count) { index in
      Result { try extracted(files[index]) }
    } deliver: { index, result in
      switch result {
      case .success(let extracted):
        try deliver(.extracted(extracted))
      case .failure(let error):
        summary.failed += 1
        try deliver(.failed(failure(files[index].path, error)))
      }
    }
  }

  /// The pages of the web archive at `path`, read and gunzipped on the calling thread as workers extract the pages
  /// before them (`OrderedParallel.stream`), delivered in the archive's order.
  private func extractArchive(_ path: String, summary: inout Summary, deliver: (Outcome) throws -> Void) throws {
    let reader = WebArchiveReader(maximumPageSize: pipeline.reader.maximumFileSize)
    var archive = WebArchiveSummary()
    do {
      try OrderedParallel.stream { (page: ArchivedPage) in
        (page.uri, Result { try extracted(page, in: path) })
      } deliver: { uri, result in
        do {
          switch result {
          case .success(let extracted):
            try deliver(.extracted(extracted))
          case .failure(let error):
            summary.failed += 1
            try deliver(.failed(failure(WebArchiveReader.pagePath(archive: path, uri: uri), error)))
          }
        } catch {
          throw DeliveryFailure(error: error)
        }
      } produce: { submit in
        archive = try reader.read(path) { page in
          summary.files += 1
          try submit(page)
        }
      }
    } catch let failure as DeliveryFailure {
      throw failure.error
    } catch let error as MedRefError {
      // The archive could not be opened or read on: what was read is delivered, then the failure.
      summary.failed += 1
      try deliver(.failed(failure(path, error)))
      return
    }
    for problem in archive.badRecords {
      summary.failed += 1
      try deliver(.failed(failure(path, problem)))
    }
    try deliver(.archive(path: path, summary: archive))
  }

  /// One page of a web archive through the pipeline (on a worker thread).
  func extracted(_ page: ArchivedPage, in archive: String) throws -> Extracted {
    let article = try pipeline.process(page, in: archive, contentHash: ContentHash.of(page.payload))
    let record = ExtractRecord(article)
    return Extracted(
      file: SourceFile(path: article.path, format: page.format), record: record,
      jsonLine: format == .jsonl ? record.jsonLine : nil, notes: notes ? article.diagnostics : [])
  }

  /// One file through the pipeline (on a worker thread).
  func extracted(_ file: SourceFile) throws -> Extracted {
    let article = try pipeline.process(file, ids: ids)
    let record = ExtractRecord(article)
    return Extracted(
      file: file, record: record, jsonLine: format == .jsonl ? record.jsonLine : nil,
      notes: notes ? article.diagnostics : [])
  }

  /// The failure of a file that was listed: with `jsonl`, its error record.
  func failure(_ path: String, _ error: any Error) -> Failure {
    let known = error as? MedRefError
    let reason = known?.reason ?? "\(error)"
    let line = format == .jsonl ? JSONOutput.line(ErrorRecord(error: reason, path: path)) : nil
    return Failure(path: path, reason: reason, message: known?.description ?? "\(path): \(reason)", jsonLine: line)
  }

  /// The failure of a path that could not be listed.
  static func failure(_ error: MedRefError) -> Failure {
    var path = error.subject
    if case .unreadable(let given, _) = error { path = given }
    return Failure(path: path, reason: error.reason, message: error.description, jsonLine: nil)
  }

  /// `{"error", "path"}`: a file that failed, in its place among the extract objects.
  struct ErrorRecord: JSONLineWritable {
    var error: String
    var path: String

    func write(into json: inout CompactJSON) {
      json.raw("{")
      json.field("error", error)
      json.field("path", path)
      json.raw("}")
    }
  }
}
