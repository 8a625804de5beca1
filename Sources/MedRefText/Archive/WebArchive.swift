import MedRefBase

/// One page of a web archive: an HTML or text payload with where and when it was fetched.
public struct ArchivedPage: Sendable {
  /// `WARC-Target-URI`.
  public var uri: String
  /// `WARC-Date` (ISO 8601, as written), when the record has one.
  public var date: String?
  /// Where the record starts in the archive file (for a gzip-compressed file, its gzip member).
  public var offset: Int64
  /// The page's bytes, transfer and content codings undone.
  public var payload: [UInt8]
  public var format: SourceFormat
  /// The charset the HTTP `Content-Type` (or the record's) declares, if any.
  public var charset: String?
}

/// Why a record of a web archive gave no page; `WebArchiveSummary` counts records by these.
public enum ArchiveSkipReason: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// A record of another type: `request`, `revisit`, `warcinfo`, `metadata`, `conversion`, `continuation`.
  case recordType(String)
  /// A response whose HTTP status is not 2xx (the status's class: 3xx, 4xx, 5xx).
  case status(String)
  /// A payload that is neither HTML nor text (its media type).
  case mediaType(String)
  /// A content coding MedRef cannot undo, or compressed data that does not inflate.
  case contentEncoding(String)
  /// A response whose block is not an HTTP response.
  case notHTTP
  /// A page longer than MedRef reads as one article.
  case tooLarge
  /// No `WARC-Target-URI`.
  case noTargetURI
  /// A target URI of a scheme that names no web page (`metadata:`, `dns:`, `urn:`): a crawler's own records.
  case scheme(String)
  /// An empty payload.
  case empty

  public var description: String {
    switch self {
    case .recordType(let type): return "\(type) records"
    case .status(let status): return "HTTP status \(status)"
    case .mediaType(let type): return "not HTML or text (\(type))"
    case .contentEncoding(let coding): return "content encoding \(coding) not decoded"
    case .notHTTP: return "response without an HTTP status line"
    case .tooLarge: return "payload too large"
    case .noTargetURI: return "no WARC-Target-URI"
    case .scheme(let scheme): return "\(scheme): URI"
    case .empty: return "empty payload"
    }
  }
}

/// What reading one web archive came to.
public struct WebArchiveSummary: Sendable {
  /// Records read (pages and skipped ones).
  public var records = 0
  /// Records that gave a page.
  public var pages = 0
  /// Records skipped, by reason.
  public var skipped: [ArchiveSkipReason: Int] = [:]
  /// Malformed or truncated records and damaged compressed data, each naming the file and offset.
  public var badRecords: [MedRefError] = []
  /// Notes on pages read despite a fault (a chunked body that was not in chunks).
  public var notes: [Diagnostic] = []

  public init() {}

  /// One line for people: `crawl.warc.gz: 12 records, 8 pages; skipped: 3 request records, 1 HTTP status 3xx`
  /// (and the bad records' count), reasons by count then name.
  public func line(path: String) -> String {
    var text = "\(path.escapingControlCharacters): \(records) records, \(pages) pages"
    if !skipped.isEmpty {
      let reasons = skipped.sorted {
        $0.value != $1.value ? $0.value > $1.value : $0.key.description < $1.key.description
      }
      text += "; skipped: " + reasons.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }
    if !badRecords.isEmpty { text += "; \(badRecords.count) bad" }
    return text
  }
}

/// Reads web archives: WARC 1.0 and 1.1 files, plain or gzip-compressed (a member per record or one for the whole
/// file), streaming with bounded memory. `response` records with an HTTP 2xx status and `resource` records give
/// pages when their media type is HTML or text (`text/html`, `application/xhtml+xml`, `text/plain`; a missing one
/// is sniffed); the HTTP charset, chunked transfer coding and gzip or deflate content coding are read. Every other
/// record is skipped and counted by reason; a malformed record is a diagnostic naming the file and offset, and the
/// rest of the file is read.
public struct WebArchiveReader: Sendable {
  /// File name endings read as web archives.
  public static let extensions = [".warc", ".warc.gz"]
  /// The longest page read; longer ones are skipped (`tooLarge`).
  public var maximumPageSize: Int

  public init(maximumPageSize: Int = 16 << 20) {
    self.maximumPageSize = maximumPageSize
  }

  /// The path of a page of the archive at `archive`: the archive's path, `#`, the page's URI.
  public static func pagePath(archive: String, uri: String) -> String { archive + "#" + uri }

  /// Whether `path`'s name says it is a web archive.
  public static func isArchive(_ path: String) -> Bool {
    let lower = path.lowercased()
    return extensions.contains { lower.hasSuffix($0) }
  }

  /// Reads the archive at `path`, calling `page` with each page in the file's order.
  /// - Throws: `MedRefError.unreadable` when the file cannot be opened or read; what `page` throws.
  public func read(_ path: String, page: (ArchivedPage) throws -> Void) throws -> WebArchiveSummary {
    let stream = try ArchiveByteStream(path: path)
    // A record's block holds the HTTP head too, and a compressed body inflates: allow some room above a page.
    var reader = WARCRecordReader(stream: stream, maximumBlock: maximumPageSize + (1 << 16))
    var summary = WebArchiveSummary()
    while let record = try reader.next() {
      summary.records += 1
      switch self.page(of: record) {
      case .success(let (found, notes)):
        summary.pages += 1
        for note in notes {
          summary.notes.append(Diagnostic(.note, "record at offset \(record.offset): \(note)", file: path))
        }
        try page(found)
      case .failure(let skip):
        summary.skipped[skip.reason, default: 0] += 1
      }
    }
    summary.badRecords = reader.problems.map {
      MedRefError.badArchiveRecord(path: path, offset: $0.offset, reason: $0.reason)
    }
    return summary
  }

  /// A reason, as an `Error` for `Result`.
  struct Skip: Error {
    var reason: ArchiveSkipReason
  }

  /// The page a record holds, with notes on faults read past; or why it holds none.
  func page(of record: WARCRecord) -> Result<(ArchivedPage, [String]), Skip> {
    let type = record.field("WARC-Type")?.lowercased() ?? "unknown"
    guard type == "response" || type == "resource" else { return .failure(Skip(reason: .recordType(type))) }
    // Spaces are not allowed in a URI but crawlers write them: encoded, as warcio reads them.
    guard let uri = record.field("WARC-Target-URI").map(Self.unbracketed)?.replacingOccurrences(of: " ", with: "%20"),
      !uri.isEmpty
    else {
      return .failure(Skip(reason: .noTargetURI))
    }
    let scheme = uri.prefix { $0 != ":" }.lowercased()
    guard Self.pageSchemes.contains(scheme) else { return .failure(Skip(reason: .scheme(scheme))) }
    guard let block = record.block else { return .failure(Skip(reason: .tooLarge)) }
    var payload = block
    var contentType = record.field("Content-Type")
    var notes: [String] = []
    if type == "response" {
      let recordType = contentType?.lowercased() ?? ""
      // A response record of a non-HTTP scheme (dns:, ftp:) holds no HTTP message.
      guard recordType.isEmpty || recordType.hasPrefix("application/http") else {
        return .failure(Skip(reason: .mediaType(Self.mediaType(of: recordType))))
      }
      let http: HTTPPayload
      do throws(HTTPPayload.Failure) {
        http = try HTTPPayload(parsing: block, limit: maximumPageSize)
      } catch {
        switch error {
        case .noStatusLine: return .failure(Skip(reason: .notHTTP))
        case .contentEncoding(let coding): return .failure(Skip(reason: .contentEncoding(coding)))
        }
      }
      guard (200..<300).contains(http.status) else {
        return .failure(Skip(reason: .status("\(http.status / 100)xx")))
      }
      payload = http.body
      contentType = http.field("Content-Type")
      notes = http.notes
    }
    guard payload.count <= maximumPageSize else { return .failure(Skip(reason: .tooLarge)) }
    guard payload.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
      return .failure(Skip(reason: .empty))
    }
    let media = Self.mediaType(of: contentType ?? "")
    let format: SourceFormat
    switch media {
    case "text/html", "application/xhtml+xml": format = .html
    case "text/plain": format = .plainText
    case "":
      guard let sniffed = Self.sniff(payload) else { return .failure(Skip(reason: .mediaType("none"))) }
      format = sniffed
    default: return .failure(Skip(reason: .mediaType(media)))
    }
    let page = ArchivedPage(
      uri: uri, date: record.field("WARC-Date"), offset: record.offset, payload: payload, format: format,
      charset: Self.charset(of: contentType ?? ""))
    return .success((page, notes))
  }

  /// The URI schemes of web pages; records of others (`metadata:`, `dns:`) are a crawler's own.
  static let pageSchemes: Set<String> = ["http", "https", "ftp", "file"]

  /// `<uri>` as WARC 1.0's grammar wrote it, without the brackets (1.1 writes it bare).
  static func unbracketed(_ uri: String) -> String {
    uri.hasPrefix("<") && uri.hasSuffix(">") ? String(uri.dropFirst().dropLast()) : uri
  }

  /// The media type of a `Content-Type` value, lower case, parameters left out.
  static func mediaType(of contentType: String) -> String {
    let type = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
    return type.trimmingASCIISpaces().lowercased()
  }

  /// The `charset` parameter of a `Content-Type` value.
  static func charset(of contentType: String) -> String? {
    for parameter in contentType.split(separator: ";").dropFirst() {
      let parts = parameter.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, parts[0].trimmingASCIISpaces().lowercased() == "charset" else { continue }
      var value = parts[1].trimmingASCIISpaces()
      if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
        value = String(value.dropFirst().dropLast())
      }
      return value.isEmpty ? nil : value
    }
    return nil
  }

  /// A payload without a media type: HTML when it starts like a page, text when it is valid UTF-8 without NUL bytes.
  static func sniff(_ payload: [UInt8]) -> SourceFormat? {
    let head = payload.prefix(1024).drop(while: {
      $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF
    })
    let lower = String(decoding: head.prefix(16).map { $0 | 0x20 }, as: UTF8.self)
    if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head") {
      return .html
    }
    let sample = Array(payload.prefix(4096))
    if !sample.contains(0), String(validating: sample, as: UTF8.self) != nil || sample.count == 4096 {
      return .plainText
    }
    return nil
  }
}
