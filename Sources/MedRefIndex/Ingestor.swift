import Foundation
import MedRefBase
import MedRefExtraction
import MedRefText

/// What an ingest run did.
public struct IngestReport: Sendable, Codable, Equatable {
  public var added: [String] = []
  public var updated: [String] = []
  public var unchanged: [String] = []
  public var pruned: [String] = []
  /// One line per web archive read: its records, pages and what was skipped, by reason.
  public var archives: [String] = []
  /// Files inside folders that were not articles.
  public var skipped: [String] = []
  /// One line per file that failed: `path: reason`.
  public var failed: [String] = []
  /// Guessed repairs and fallbacks, one line each.
  public var notes: [String] = []
  /// Where the time went.
  public var timings = IngestTimings()

  public init() {}

  public var processed: Int { added.count + updated.count + unchanged.count }
}

/// Where an ingest run is, for a progress display.
public struct IngestProgress: Sendable {
  /// Files done (stored, unchanged or failed) and in all.
  public var done: Int
  public var total: Int
  /// Bytes of the files read so far.
  public var bytes: Int64
  /// Seconds since the run started.
  public var elapsed: Double
  /// The file just done.
  public var path: String
}

/// Where an ingest run's time went, for `medref bench ingest`: wall-clock seconds of each step on the writing
/// thread, and the processing time summed over the worker threads (on two cores it can exceed the wall time).
public struct IngestTimings: Sendable, Codable, Equatable {
  /// Listing the folders and comparing each file's size and modification time with the index.
  public var planning = 0.0
  /// Reading and hashing files, summed over the workers.
  public var reading = 0.0
  /// Decoding, repair, parsing, sections and entities, summed over the workers.
  public var processing = 0.0
  /// Writing batches to SQLite on the writing thread (the full-text index is updated in the same statements).
  public var writing = 0.0
  /// Recounting the vocabulary and merging the full-text index after the run.
  public var finishing = 0.0
  /// Copying the write-ahead log into the database file at the end.
  public var checkpoint = 0.0
  /// The whole run.
  public var total = 0.0
  /// Bytes read.
  public var bytes: Int64 = 0

  public init() {}
}

/// Reads files and folders through the pipeline into an index.
///
/// Files are compared with the index first: a file whose size and modification time (and MedRef's pipeline
/// version) match the stored article is not read at all; one whose bytes hash the same is not processed again. The
/// rest are read and processed on every core (`OrderedParallel`, a bounded window of files in flight), and their
/// articles reach one writer, in order, which stores them in batches of several articles per transaction (a
/// crash loses at most the batch being written, never part of an article). A file that fails is reported and the
/// rest go on.
public struct Ingestor: Sendable {
  public let store: IndexStore
  public let pipeline: Pipeline
  /// The most articles, and bytes of source, one transaction takes.
  public var batchArticles = 256
  public var batchBytes = 8 << 20

  public init(store: IndexStore, pipeline: Pipeline = Pipeline()) {
    self.store = store
    self.pipeline = pipeline
  }

  /// A file to read, with its id and what `stat` said about it.
  private struct Work: Sendable {
    var file: SourceFile
    var id: String
    var size: Int64
    var modified: Int64
    /// The stored article's content hash and pipeline version, if there is one.
    var storedHash: String?
    var storedVersion: Int?
    /// The file's absolute path, recorded with its article.
    var absolute: String
    /// For a web archive: the articles stored from it before, by id.
    var storedPages: [String: IndexStore.StoredFile] = [:]
  }

  /// What a worker made of one file.
  private enum Outcome: Sendable {
    case article(IndexStore.Pending, seconds: (reading: Double, processing: Double), bytes: Int)
    /// The bytes hash as stored: only the size and modification time are recorded.
    case sameContent(seconds: Double, bytes: Int)
    case failed(MedRefError, seconds: Double)
  }

  /// Ingests `paths`. `progress` is called on the calling thread after each file.
  public func ingest(
    _ paths: [String], prune: Bool = false, progress: (IngestProgress) -> Void = { _ in }
  ) throws -> IngestReport {
    try ingest(listing: pipeline.reader.list(paths), prune: prune, progress: progress)
  }

  /// Ingests extract objects made elsewhere (`medref extract` output: JSON Lines files, also gzip-compressed, and
  /// folders of them, recursively), without processing their sources again: each object is stored as the ingest of
  /// its source would store it (its id, path, sections, entities, blocks and content hash), in the same batches and
  /// transactions, an unchanged file of objects or an object whose content hash is stored already not stored again,
  /// and with `prune`, the objects of a file that is gone, or no longer in a file read again, removed.
  public func ingest(
    extracts paths: [String], prune: Bool = false, progress: (IngestProgress) -> Void = { _ in }
  ) throws -> IngestReport {
    let listing = pipeline.reader.list(paths, extracts: true)
    return try ingest(listing: listing, prune: prune, progress: progress)
  }

  private func ingest(
    listing: SourceListing, prune: Bool, progress: (IngestProgress) -> Void
  ) throws -> IngestReport {
    var run = Run(started: Self.now())
    run.prune = prune
    run.report.failed = listing.failures.map(\.description)
    run.report.skipped = listing.skipped.compactMap(\.file)
    // Why each was skipped (another extension, a link, a FIFO), for --verbose.
    run.report.notes += listing.skipped.map(\.description)
    run.total = listing.files.count
    let work = try plan(listing.files, run: &run)
    run.times.planning = Self.now() - run.started
    if run.done > 0 {
      progress(IngestProgress(done: run.done, total: run.total, bytes: 0, elapsed: run.times.planning, path: ""))
    }
    var checkpointStart = Self.now()
    try store.withBulkWrites {
      try process(work, run: &run, progress: progress)
      try store.recordFileStates(run.sameContent)

      // Still inside the bulk writes: the log is copied into the database once, after the merge of the index.
      let finishing = Self.now()
      if prune { run.report.pruned = try store.remove(ids: run.pagesGone) + store.pruneMissing() }
      // Also after an earlier ingest that was stopped between storing articles and recounting.
      let changed = !run.report.added.isEmpty || !run.report.updated.isEmpty || !run.report.pruned.isEmpty
      if try changed || store.searchStatisticsStale() {
        try store.refreshSearchStatistics()
      }
      run.times.finishing = Self.now() - finishing
      checkpointStart = Self.now()
    }
    run.times.checkpoint = Self.now() - checkpointStart
    run.times.total = Self.now() - run.started
    run.report.timings = run.times
    run.report.unchanged.sort()
    return run.report
  }

  /// What an ingest has found and done so far.
  private struct Run {
    var started: Double
    var times = IngestTimings()
    var report = IngestReport()
    /// Files found unchanged whose stored state is recorded anew (an article stored before MedRef kept its
    /// absolute path gets it).
    var sameContent: [(id: String, size: Int64, modified: Int64, sourcePath: String)] = []
    /// Files done (stored, unchanged or failed) and in all.
    var done = 0
    var total = 0
    /// The ids of web archives' pages read in this run: a later record of the same URI is left out.
    var pageIDs: Set<String> = []
    /// With `prune`: pages stored from an archive read again that it no longer holds.
    var pagesGone: [String] = []
    /// Whether articles no longer found are removed.
    var prune = false
  }

  /// The plan of an ingest: the ids of `files`, and which of them must be read (the others are unchanged, or
  /// failed, as `run` records).
  private func plan(_ files: [SourceFile], run: inout Run) throws -> [Work] {
    let stored = try store.storedFiles()
    var claimed: [String: String] = [:]
    var work: [Work] = []
    for file in files {
      let status: (size: Int64, modified: Int64)
      do {
        // A web archive or a file of extracts holds many articles: `--max-size` is for each of them, not the file.
        let reader = file.isWebArchive || file.isExtracts ? SourceReader(maximumFileSize: .max) : pipeline.reader
        status = try reader.status(file.path)
      } catch let error as MedRefError {
        run.report.failed.append(error.description)
        run.done += 1
        continue
      }
      // Each path is resolved once (realpath): for its id, and to tell whether a stored article is this file's.
      let absolute = DocumentID.absolute(file.path)
      if file.isWebArchive || file.isExtracts {
        let prefix = absolute + "#"
        let pages = stored.filter { $0.value.sourcePath.hasPrefix(prefix) }
        let unchanged = pages.values.allSatisfy {
          $0.size == status.size && $0.modified == status.modified && $0.pipelineVersion == Pipeline.version
        }
        if !pages.isEmpty && unchanged {
          run.report.unchanged += pages.keys
          run.pageIDs.formUnion(pages.keys)
          run.done += 1
        } else {
          work.append(
            Work(
              file: file, id: "", size: status.size, modified: status.modified, storedHash: nil, storedVersion: nil,
              absolute: absolute, storedPages: pages))
        }
        continue
      }
      let id = uniqueID(for: file.path, absolute: absolute, claimed: &claimed, stored: stored)
      let known = stored[id]
      if let known, known.size == status.size, known.modified == status.modified,
        known.pipelineVersion == Pipeline.version, Self.isSameFile(known, path: file.path, absolute: absolute)
      {
        run.report.unchanged.append(id)
        if known.sourcePath.isEmpty { run.sameContent.append((id, status.size, status.modified, absolute)) }
        run.done += 1
        continue
      }
      work.append(
        Work(
          file: file, id: id, size: status.size, modified: status.modified, storedHash: known?.contentHash,
          storedVersion: known?.pipelineVersion, absolute: absolute))
    }
    return work
  }

  /// Reads and processes `items` on every core, and stores their articles in order, in batches (of at most
  /// `batchArticles` articles and `batchBytes` bytes of source).
  private func process(_ items: [Work], run: inout Run, progress: (IngestProgress) -> Void) throws {
    var batch: [IndexStore.Pending] = []
    var batchBytes = 0

    func flush() throws {
      guard !batch.isEmpty else { return }
      let start = Self.now()
      let outcomes = try store.store(batch: batch)
      run.times.writing += Self.now() - start
      for (pending, outcome) in zip(batch, outcomes) {
        switch outcome {
        case .added: run.report.added.append(pending.article.id)
        case .updated: run.report.updated.append(pending.article.id)
        case .unchanged: run.report.unchanged.append(pending.article.id)
        }
      }
      batch.removeAll(keepingCapacity: true)
      batchBytes = 0
    }
    let pipeline = self.pipeline
    /// Takes a worker's outcome for the article `id` (from `item`: the file, or the archive the page is in).
    func accept(_ outcome: Outcome, id: String, item: Work, sourcePath: String) throws {
      switch outcome {
      case .article(let pending, let seconds, let bytes):
        run.times.reading += seconds.reading
        run.times.processing += seconds.processing
        run.times.bytes += Int64(bytes)
        run.report.notes += pending.article.diagnostics.map(\.description)
        batch.append(pending)
        batchBytes += bytes
        if batch.count >= batchArticles || batchBytes >= self.batchBytes { try flush() }
      case .sameContent(let seconds, let bytes):
        run.times.reading += seconds
        run.times.bytes += Int64(bytes)
        run.report.unchanged.append(id)
        run.sameContent.append((id, item.size, item.modified, sourcePath))
      case .failed(let error, let seconds):
        run.times.reading += seconds
        if case .indexFailure = error { throw error }
        run.report.failed.append(error.description)
      }
    }
    /// The pages of the web archive `item`, read in batches (`Extractor.archiveBatchPages`, `archiveBatchBytes`),
    /// each batch processed on every core and handed to `accept` in the archive's order. Bad records are failures;
    /// with `prune`, pages stored from this archive before that it no longer holds are marked gone.
    func ingestArchive(_ item: Work) throws {
      var seen: Set<String> = []
      var repeated = 0
      var summary = WebArchiveSummary()
      let reader = WebArchiveReader(maximumPageSize: pipeline.reader.maximumFileSize)
      do {
        // Read and gunzipped on this thread while the workers process the pages before (`OrderedParallel.stream`).
        try OrderedParallel.stream(window: batchArticles * 3 / 4) { (page: (ArchivedPage, String)) in
          (page.0.uri, page.1, Self.read(page.0, id: page.1, of: item, pipeline: pipeline))
        } deliver: { uri, id, outcome in
          do {
            try accept(
              outcome, id: id, item: item, sourcePath: WebArchiveReader.pagePath(archive: item.absolute, uri: uri))
          } catch {
            throw DeliveryFailure(error: error)
          }
          progress(
            IngestProgress(
              done: run.done, total: run.total, bytes: run.times.bytes, elapsed: Self.now() - run.started,
              path: WebArchiveReader.pagePath(archive: item.file.path, uri: uri)))
        } produce: { submit in
          summary = try reader.read(item.file.path) { page in
            let id = DocumentID.id(forURI: page.uri)
            guard run.pageIDs.insert(id).inserted else {
              repeated += 1
              return
            }
            seen.insert(id)
            try submit((page, id))
          }
        }
      } catch let failure as DeliveryFailure {
        throw failure.error
      } catch let error as MedRefError {
        // The archive could not be read on: what was read is stored; nothing is marked gone.
        run.report.failed.append(error.description)
        run.done += 1
        return
      }
      run.report.failed += summary.badRecords.map(\.description)
      run.report.notes += summary.notes.map(\.description)
      run.report.archives.append(summary.line(path: item.file.path))
      if repeated > 0 {
        run.report.notes.append(
          "\(item.file.path): note: \(repeated) records repeat the URI of a page read before in this run; the first was kept"
        )
      }
      if run.prune && summary.badRecords.isEmpty {
        run.pagesGone += item.storedPages.keys.filter { !seen.contains($0) }.sorted()
      }
      run.done += 1
    }
    func ingestExtracts(_ item: Work) throws {
      var seen: Set<String> = []
      var repeated = 0
      var lines: ByteLines
      do {
        lines = ByteLines(stream: try ArchiveByteStream(path: item.file.path), maximumLength: 1 << 28)
      } catch let error as MedRefError {
        run.report.failed.append(error.description)
        run.done += 1
        return
      }
      do {
        try OrderedParallel.stream(window: batchArticles * 3 / 4) { (line: ([UInt8], Int)) in
          Self.read(extract: line.0, number: line.1, of: item)
        } deliver: { read in
          do {
            switch read {
            case .failed(let message):
              run.report.failed.append(message)
            case .outcome(let id, let outcome):
              guard run.pageIDs.insert(id).inserted else {
                repeated += 1
                return
              }
              seen.insert(id)
              try accept(outcome, id: id, item: item, sourcePath: item.absolute + "#" + id)
            }
          } catch {
            throw DeliveryFailure(error: error)
          }
          progress(
            IngestProgress(
              done: run.done, total: run.total, bytes: run.times.bytes, elapsed: Self.now() - run.started,
              path: item.file.path))
        } produce: { submit in
          while let line = try lines.next(path: item.file.path) {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            try submit((line, lines.number))
          }
        }
      } catch let failure as DeliveryFailure {
        throw failure.error
      } catch let error as MedRefError {
        if case .indexFailure = error { throw error }
        run.report.failed.append(error.description)
        run.done += 1
        return
      }
      if let damage = lines.stream.damage { run.report.failed.append("\(item.file.path): \(damage)") }
      if repeated > 0 {
        run.report.notes.append(
          "\(item.file.path): note: \(repeated) objects repeat the id of one read before in this run; the first was kept"
        )
      }
      if run.prune && lines.stream.damage == nil {
        run.pagesGone += item.storedPages.keys.filter { !seen.contains($0) }.sorted()
      }
      run.done += 1
    }
    var start = 0
    while start < items.count {
      if items[start].file.isWebArchive {
        try ingestArchive(items[start])
        start += 1
        continue
      }
      if items[start].file.isExtracts {
        try ingestExtracts(items[start])
        start += 1
        continue
      }
      let files = Array(items[start...].prefix { !$0.file.isWebArchive && !$0.file.isExtracts })
      start += files.count
      // The window of files in flight spans most of a batch: while the writer stores one, the workers go on with
      // the next instead of stopping after a few files.
      try OrderedParallel.map(count: files.count, window: batchArticles * 3 / 4) { index -> Outcome in
        Self.read(files[index], pipeline: pipeline)
      } deliver: { index, outcome in
        let item = files[index]
        try accept(outcome, id: item.id, item: item, sourcePath: item.absolute)
        run.done += 1
        progress(
          IngestProgress(
            done: run.done, total: run.total, bytes: run.times.bytes, elapsed: Self.now() - run.started,
            path: item.file.path))
      }
    }
    try flush()
  }

  /// What a worker makes of `item`: its article, or the news that its bytes are the stored ones, or its failure.
  private static func read(_ item: Work, pipeline: Pipeline) -> Outcome {
    let start = Self.now()
    do {
      let bytes = try pipeline.reader.read(item.file.path)
      let hash = ContentHash.of(bytes)
      let read = Self.now()
      if hash == item.storedHash && item.storedVersion == Pipeline.version {
        return .sameContent(seconds: read - start, bytes: bytes.count)
      }
      let article = try pipeline.process(bytes: bytes, file: item.file, id: item.id, contentHash: hash)
      let pending = IndexStore.Pending(
        article: article, size: item.size, modified: item.modified, sourcePath: item.absolute)
      return .article(pending, seconds: (read - start, Self.now() - read), bytes: bytes.count)
    } catch let error as MedRefError {
      return .failed(error, seconds: Self.now() - start)
    } catch {
      return .failed(.unreadable(path: item.file.path, reason: "\(error)"), seconds: Self.now() - start)
    }
  }

  /// What a worker makes of one page of the archive `item`: as `read(_:pipeline:)` does for a file, the stored
  /// article's hash compared with the page's.
  private static func read(_ page: ArchivedPage, id: String, of item: Work, pipeline: Pipeline) -> Outcome {
    let start = Self.now()
    let hash = ContentHash.of(page.payload)
    if let known = item.storedPages[id], known.contentHash == hash, known.pipelineVersion == Pipeline.version {
      return .sameContent(seconds: Self.now() - start, bytes: page.payload.count)
    }
    do {
      let article = try pipeline.process(page, in: item.file.path, contentHash: hash)
      let pending = IndexStore.Pending(
        article: article, size: item.size, modified: item.modified,
        sourcePath: WebArchiveReader.pagePath(archive: item.absolute, uri: page.uri))
      return .article(pending, seconds: (0, Self.now() - start), bytes: page.payload.count)
    } catch let error as MedRefError {
      return .failed(error, seconds: Self.now() - start)
    } catch {
      let path = WebArchiveReader.pagePath(archive: item.file.path, uri: page.uri)
      return .failed(.unreadable(path: path, reason: "\(error)"), seconds: Self.now() - start)
    }
  }

  /// What a worker makes of one line of a file of extract objects.
  private enum ExtractLine: Sendable {
    /// An object, as `read(_:pipeline:)` makes an outcome of a file.
    case outcome(id: String, Outcome)
    /// A line that is no extract object, or the failure record of a source that failed where it was extracted.
    case failed(String)
  }

  /// The failure record `medref extract` writes in a failed source's place.
  private struct FailureRecord: Decodable {
    var error: String
    var path: String
  }

  /// One line of the extract file `item`, decoded and compared with the stored article by its content hash (the
  /// object's `content_hash`, else the hash of the line).
  private static func read(extract line: [UInt8], number: Int, of item: Work) -> ExtractLine {
    let start = Self.now()
    let data = Data(line)
    let record: ExtractRecord
    do {
      record = try JSONDecoder().decode(ExtractRecord.self, from: data)
    } catch {
      if let failure = try? JSONDecoder().decode(FailureRecord.self, from: data) {
        return .failed(
          "\(failure.path.escapingControlCharacters): \(failure.error) (line \(number) of \(item.file.path))")
      }
      return .failed("\(item.file.path): line \(number): not an extract object (\(Self.describe(error)))")
    }
    let hash = record.contentHash ?? ContentHash.of(line)
    if let known = item.storedPages[record.id], known.contentHash == hash, known.pipelineVersion == Pipeline.version {
      return .outcome(id: record.id, .sameContent(seconds: Self.now() - start, bytes: line.count))
    }
    do {
      let article = try record.article(fallbackHash: hash)
      let pending = IndexStore.Pending(
        article: article, size: item.size, modified: item.modified, sourcePath: item.absolute + "#" + record.id)
      return .outcome(id: record.id, .article(pending, seconds: (0, Self.now() - start), bytes: line.count))
    } catch {
      return .failed("\(item.file.path): line \(number): \(error.reason)")
    }
  }

  /// A decoding error in a few words.
  static func describe(_ error: any Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, _): return "no '\(key.stringValue)'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
    case .dataCorrupted: return "not JSON"
    default: return "\(error)"
    }
  }

  /// The file's id; when another file already has it (`a.html` and `a.txt` side by side), the id keeps the
  /// extension (`a.txt`) so that neither replaces the other.
  func uniqueID(
    for path: String, absolute: String, claimed: inout [String: String], stored: [String: IndexStore.StoredFile]
  ) -> String {
    let id = store.ids.id(forAbsolutePath: absolute)
    var taken = claimed[id].map { $0 != absolute } ?? false
    if !taken, let known = stored[id], !Self.isSameFile(known, path: path, absolute: absolute),
      !IndexStore.isKnownGone(path: known.path, sourcePath: known.sourcePath, base: store.ids.base)
    {
      taken = true
    }
    let chosen = taken ? id + "." + (path as NSString).pathExtension : id
    claimed[chosen] = absolute
    return chosen
  }

  /// Whether a stored article came from the file at `absolute` (named `path` this time): by the absolute path
  /// recorded with it, or, for an article stored before MedRef recorded one, by the path as given then.
  static func isSameFile(_ known: IndexStore.StoredFile, path: String, absolute: String) -> Bool {
    if !known.sourcePath.isEmpty { return known.sourcePath == absolute }
    return known.path == path || DocumentID.absolute(known.path) == absolute
  }

  static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000
  }
}
