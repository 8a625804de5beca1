import MedRefBase

/// One record of a WARC file (ISO 28500, WARC 1.0 and 1.1): its named fields and its content block.
package struct WARCRecord: Sendable {
  /// `WARC/1.0`, `WARC/1.1`.
  package var version: String
  /// The header fields in order, names as written.
  package var fields: [(name: String, value: String)]
  /// The content block, or nil when it was longer than the reader keeps (`blockLength` says how long).
  package var block: [UInt8]?
  package var blockLength: Int64
  /// Where the record starts in the file (for a gzip-compressed file, its gzip member).
  package var offset: Int64

  /// The value of the field `name` (compared without case), the first if there are several.
  package func field(_ name: String) -> String? {
    fields.first { $0.name.caseInsensitiveEquals(name) }?.value
  }
}

/// Reads the records of a WARC file one after another, streaming (`ArchiveByteStream`): each record's header is
/// parsed, its block kept when it is at most `maximumBlock` bytes and skipped otherwise. A record whose header is
/// malformed is reported (`problems`) and the reader looks for the next line that starts a record; a record cut
/// short by the end of the file is reported and ends the reading.
package struct WARCRecordReader {
  /// The longest header MedRef reads; a longer one is malformed.
  static let maximumHeaderBytes = 1 << 16

  package let stream: ArchiveByteStream
  package let maximumBlock: Int
  /// What was wrong, each with the file offset it was found at.
  package private(set) var problems: [(offset: Int64, reason: String)] = []

  package init(stream: ArchiveByteStream, maximumBlock: Int) {
    self.stream = stream
    self.maximumBlock = maximumBlock
  }

  /// The next record, or nil at the end of the file.
  /// - Throws: `MedRefError.unreadable` when the file cannot be read.
  package mutating func next() throws -> WARCRecord? {
    while true {
      guard try skipBlankLines() else { return finish() }
      let recordStart = rewind?.position ?? stream.position
      let offset = stream.fileOffset(of: recordStart)
      guard let versionLine = try line() else { return finish(truncatedAt: offset) }
      guard versionLine.hasPrefix("WARC/") else {
        problems.append((offset, "not the start of a WARC record: \(Self.preview(versionLine))"))
        guard try resynchronize() else { return finish() }
        continue
      }
      var fields: [(name: String, value: String)] = []
      var headerBytes = versionLine.utf8.count
      var malformed: String?
      while true {
        guard let fieldLine = try line() else { return finish(truncatedAt: offset) }
        if fieldLine.isEmpty { break }
        headerBytes += fieldLine.utf8.count
        if headerBytes > Self.maximumHeaderBytes {
          malformed = "header longer than \(Self.maximumHeaderBytes) bytes"
          break
        }
        if let first = fieldLine.first, first == " " || first == "\t", !fields.isEmpty {
          // A continuation line (folded header, WARC 1.0 §4).
          fields[fields.count - 1].value += " " + fieldLine.trimmingASCIISpaces()
          continue
        }
        guard let colon = fieldLine.firstIndex(of: ":") else {
          malformed = "header line without a colon: \(Self.preview(fieldLine))"
          break
        }
        fields.append(
          (
            String(fieldLine[..<colon]).trimmingASCIISpaces(),
            String(fieldLine[fieldLine.index(after: colon)...]).trimmingASCIISpaces()
          ))
      }
      let lengthField = fields.first { $0.name.caseInsensitiveEquals("Content-Length") }?.value
      if malformed == nil && lengthField == nil { malformed = "no Content-Length" }
      guard malformed == nil, let lengthText = lengthField, let length = Int64(lengthText), length >= 0 else {
        problems.append((offset, malformed ?? "Content-Length is not a number: \(Self.preview(lengthField ?? ""))"))
        guard try resynchronize() else { return finish() }
        continue
      }
      var block: [UInt8]?
      if length <= Int64(maximumBlock) {
        guard let bytes = try take(Int(length)) else {
          return finish(truncatedAt: offset, detail: "record cut short: its block has \(length) bytes")
        }
        block = bytes
      } else {
        guard try discard(length) else {
          return finish(truncatedAt: offset, detail: "record cut short: its block has \(length) bytes")
        }
      }
      return WARCRecord(
        version: versionLine, fields: fields, block: block, blockLength: length, offset: offset)
    }
  }

  /// Records the damage the byte stream found, if any, and ends the reading.
  private mutating func finish(truncatedAt offset: Int64? = nil, detail: String = "record cut short") -> WARCRecord? {
    if let damage = stream.damage {
      problems.append((offset ?? stream.fileOffset(of: stream.position), damage))
    } else if let offset {
      problems.append((offset, detail))
    }
    return nil
  }

  /// Skips empty lines (the two line ends after each block, and any extra ones); false at the end of the file.
  private mutating func skipBlankLines() throws -> Bool {
    while true {
      while stream.start < stream.buffer.count {
        let byte = stream.buffer[stream.start]
        guard byte == 0x0D || byte == 0x0A else { return true }
        stream.consume(1)
      }
      guard try stream.fill() else { return false }
    }
  }

  /// Moves to the next line that starts with `WARC/`; false when there is none.
  private mutating func resynchronize() throws -> Bool {
    while true {
      let start = stream.position
      guard let next = try line(limit: 1 << 20) else { return false }
      if next.hasPrefix("WARC/") {
        // Read again as the version line, the record starting where it did.
        rewind = (next, start)
        return true
      }
    }
  }

  /// A line read again by `line()` (the version line `resynchronize()` found), and where it starts.
  private var rewind: (line: String, position: Int64)?

  /// The next line without its line end (CRLF or LF), as Latin-1 where it is not UTF-8; nil at the end of the file.
  private mutating func line(limit: Int = maximumHeaderBytes) throws -> String? {
    if let again = rewind {
      rewind = nil
      return again.line
    }
    var scanned = 0
    while true {
      let start = stream.start
      // The line is made into a string before `consume` or `fill` change the buffer, so no copy of the buffer is
      // held while it changes (which would copy it whole).
      let found: (line: String, end: Int)? = {
        let buffer = stream.buffer
        guard let end = buffer[(start + scanned)...].firstIndex(of: 0x0A) else { return nil }
        var lineEnd = end
        if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let bytes = buffer[start..<lineEnd]
        return (String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) }), end)
      }()
      if let found {
        stream.consume(found.end + 1 - start)
        return found.line
      }
      scanned = stream.buffer.count - start
      if scanned > limit {
        // A "line" this long is binary data, not a header: drop it.
        stream.consume(scanned)
        scanned = 0
      }
      guard try stream.fill() else {
        // The last line of the file, without a line end.
        let rest = Array(stream.buffer[stream.start...])
        stream.consume(rest.count)
        return rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self)
      }
    }
  }

  /// The next `count` bytes, or nil when the file ends first.
  private mutating func take(_ count: Int) throws -> [UInt8]? {
    while stream.buffer.count - stream.start < count {
      guard try stream.fill() else { return nil }
    }
    let bytes = Array(stream.buffer[stream.start..<stream.start + count])
    stream.consume(count)
    return bytes
  }

  /// Skips `count` bytes; false when the file ends first.
  private mutating func discard(_ count: Int64) throws -> Bool {
    var left = count
    while left > 0 {
      if stream.start == stream.buffer.count {
        guard try stream.fill() else { return false }
      }
      let step = Int(min(left, Int64(stream.buffer.count - stream.start)))
      stream.consume(step)
      left -= Int64(step)
    }
    return true
  }

  static func preview(_ text: String) -> String {
    let printable = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    return printable.count > 60 ? printable.prefix(60) + "…" : printable
  }
}

extension StringProtocol {
  /// Equal to `other` with ASCII letters compared without case.
  func caseInsensitiveEquals(_ other: String) -> Bool {
    utf8.count == other.utf8.count
      && zip(utf8, other.utf8).allSatisfy { ($0 | 0x20) == ($1 | 0x20) || $0 == $1 }
  }

  /// Without spaces and tabs at either end.
  func trimmingASCIISpaces() -> String {
    let bytes = Array(utf8)
    var start = 0
    var end = bytes.count
    while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
    while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}
