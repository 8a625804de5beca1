import Foundation

/// A fatal problem with one input, one query or the index. Each case names what it is about and why, so that the
/// command line can print it as one line: `medref: <subject>: <reason>`.
public enum MedRefError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file or folder could not be read (missing, permission denied, not a regular file...).
  case unreadable(path: String, reason: String)
  /// The file holds nothing to work on.
  case emptyFile(path: String)
  /// The file looks like binary data rather than text or HTML.
  case binaryFile(path: String)
  /// The file is larger than MedRef accepts for one article.
  case fileTooLarge(path: String, bytes: Int, limit: Int)
  /// The file was read but no article text could be found in it.
  case noContent(path: String)
  /// A record of a web archive that cannot be read (malformed, cut short, its compressed data damaged), at `offset`
  /// of the file (for a gzip-compressed file, the start of its gzip member). The rest of the archive is read on.
  case badArchiveRecord(path: String, offset: Int64, reason: String)
  /// The search query holds nothing that can be searched for, or more than `SearchLimits` allow.
  case unusableQuery(query: String, reason: String)
  /// The search was stopped: it took longer than its time limit (`SearchLimits.seconds`).
  case queryTooCostly(query: String, reason: String)
  /// The index does not exist where it was expected.
  case missingIndex(path: String)
  /// The index exists but cannot be opened or used.
  case indexFailure(path: String, reason: String)
  /// A document id that is not in the index, or that matches several documents.
  case unknownDocument(id: String, reason: String)
  /// `medref serve` could not listen at the address (in use, not permitted, not a local address...).
  case serverFailure(address: String, reason: String)

  /// What the message is about: a file, a query or the index.
  public var subject: String {
    switch self {
    case .unreadable(let path, _), .emptyFile(let path), .binaryFile(let path), .fileTooLarge(let path, _, _),
      .noContent(let path), .missingIndex(let path), .indexFailure(let path, _), .badArchiveRecord(let path, _, _):
      // On one line whatever the file's name (a newline in it would start a false message).
      return path.escapingControlCharacters
    case .serverFailure(let address, _):
      return address
    case .unusableQuery(let query, _), .queryTooCostly(let query, _):
      return "query '\(Self.shown(query))'"
    case .unknownDocument(let id, _):
      return id.escapingControlCharacters
    }
  }

  /// Why it failed, in a few words.
  public var reason: String {
    switch self {
    case .unreadable(_, let reason): return reason
    case .emptyFile: return "empty file"
    case .binaryFile: return "binary file, not text or HTML"
    case .fileTooLarge(_, let bytes, let limit):
      return "file too large (\(bytes) bytes; the limit is \(limit) bytes)"
    case .noContent: return "no article text found"
    case .badArchiveRecord(_, let offset, let reason): return "record at offset \(offset): \(reason)"
    case .unusableQuery(_, let reason), .queryTooCostly(_, let reason): return reason
    case .missingIndex:
      return "no index here; run 'medref ingest PATH' first or pass --index"
    case .indexFailure(_, let reason): return reason
    case .unknownDocument(_, let reason): return reason
    case .serverFailure(_, let reason): return reason
    }
  }

  /// True for errors caused by what the user typed (exit status 2), false for failing inputs (exit status 1).
  public var isUsageError: Bool {
    switch self {
    case .unusableQuery, .queryTooCostly, .unknownDocument, .missingIndex: return true
    default: return false
    }
  }

  public var description: String { "\(subject): \(reason)" }

  /// A query as a message shows it: on one line (control characters escaped), and a long one cut to its first 200
  /// characters with the number left out.
  static func shown(_ query: String) -> String {
    let line = query.escapingControlCharacters
    guard line.count > 200 else { return line }
    return line.prefix(200) + "… (\(line.count - 200) more characters)"
  }
}
