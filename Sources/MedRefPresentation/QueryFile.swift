import Foundation
import MedRefText

/// A JSON Lines file of queries: one {"qid", "query"} object per line ("question" or "text" may stand for "query").
public enum QueryFile {
  /// One non-blank line of the file.
  public struct Entry: Sendable, Equatable {
    /// The line's qid (a string, or a number as written); `line:N` when it has none (N its line number, with `#2`,
    /// `#3`… added in the unlikely case that a line's qid is already that).
    public var qid: String
    /// The 1-based line number.
    public var line: Int
    public var content: Content
  }

  /// What a line holds.
  public enum Content: Sendable, Equatable {
    /// The query to search.
    case query(String)
    /// Not a {"qid", "query"} object: why.
    case malformed(String)
  }

  /// Every non-blank line in order (lines end at `\n`; a `\r` before it is dropped).
  /// - Throws: `MedRefError` when the file cannot be read.
  public static func read(_ file: String) throws -> [Entry] {
    let bytes = try SourceReader().read(file)
    var entries: [Entry] = []
    var missing: [Int] = []
    var given: Set<String> = []
    for (number, slice) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      var line = slice
      if line.last == 0x0D { line = line.dropLast() }
      guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
      // Bytes that are not UTF-8 become U+FFFD here, which the query drops (`Query.normalized`).
      let (qid, content) = parse(Data(String(decoding: line, as: UTF8.self).utf8))
      if let qid { given.insert(qid) } else { missing.append(entries.count) }
      entries.append(Entry(qid: qid ?? "", line: number + 1, content: content))
    }
    for index in missing {
      var qid = "line:\(entries[index].line)"
      var copy = 1
      while given.contains(qid) {
        copy += 1
        qid = "line:\(entries[index].line)#\(copy)"
      }
      entries[index].qid = qid
    }
    return entries
  }

  /// The qid (nil when absent or null) and the query or problem of one line.
  package static func parse(_ line: Data) -> (qid: String?, content: Content) {
    guard let object = try? JSONDecoder().decode(LineObject.self, from: line) else {
      return (nil, .malformed("not a JSON object (expected {\"qid\": …, \"query\": \"…\"})"))
    }
    var qid: String?
    switch object.qid {
    case nil: qid = nil
    case .string(let text), .number(let text): qid = text
    case .other: return (nil, .malformed("\"qid\" must be a string or a number"))
    }
    // "query" is the contract's field; "question" and "text" are accepted for evaluation sets that use them.
    guard case .string(let text) = object.query ?? object.question ?? object.text else {
      return (qid, .malformed("no \"query\" string"))
    }
    return (qid, .query(text))
  }

  private struct LineObject: Decodable {
    var qid: Value?
    var query: Value?
    var question: Value?
    var text: Value?
  }

  /// A JSON value as far as a query line needs it.
  private enum Value: Decodable {
    case string(String)
    /// A number, as Swift writes it (`2`, `2.5`).
    case number(String)
    case other

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let text = try? container.decode(String.self) {
        self = .string(text)
      } else if (try? container.decode(Bool.self)) != nil {
        self = .other
      } else if let number = try? container.decode(Int64.self) {
        self = .number(String(number))
      } else if let number = try? container.decode(Double.self) {
        self = .number(String(number))
      } else {
        self = .other
      }
    }
  }
}
