import CCompression

/// An HTTP response as a WARC `response` record holds it: status, header fields and the body as sent, then the body
/// as the server meant it (chunked transfer coding and gzip or deflate content coding undone).
package struct HTTPPayload: Sendable {
  package var status: Int
  package var fields: [(name: String, value: String)]
  package var body: [UInt8]
  /// What could not be undone but was read anyway (chunks that do not add up: the body is taken as it is).
  package var notes: [String] = []

  /// The value of the field `name` (compared without case), the first if there are several.
  package func field(_ name: String) -> String? {
    fields.first { $0.name.caseInsensitiveEquals(name) }?.value
  }

  /// Why a response cannot be read.
  package enum Failure: Error, Equatable {
    /// No `HTTP/x.y NNN` status line.
    case noStatusLine
    /// A content coding MedRef cannot undo (`br`, `compress`), or gzip/deflate data that does not inflate.
    case contentEncoding(String)
  }

  /// Parses `block`, the content block of a `response` record; the body is at most `limit` bytes once decoded.
  package init(parsing block: [UInt8], limit: Int) throws(Failure) {
    guard let (status, fields, bodyStart) = Self.head(block) else { throw .noStatusLine }
    self.status = status
    self.fields = fields
    var body = Array(block[bodyStart...])
    let transfer = fields.first { $0.name.caseInsensitiveEquals("Transfer-Encoding") }?.value.lowercased() ?? ""
    if transfer.contains("chunked") {
      if let joined = Self.dechunked(body) {
        body = joined
      } else {
        // Writers often store the body already de-chunked but keep the header: read it as it is.
        notes.append("Transfer-Encoding: chunked, but the body is not in chunks; read as it is")
      }
    }
    let coding = (fields.first { $0.name.caseInsensitiveEquals("Content-Encoding") }?.value ?? "")
      .lowercased().trimmingASCIISpaces()
    switch coding {
    case "", "identity", "none":
      break
    case "gzip", "x-gzip", "deflate":
      // Some servers label a body gzip that is not compressed at all (and WARC writers store it decoded).
      if let inflated = Inflater.inflate(body, limit: limit) {
        body = inflated
      } else if !(body.first == 0x1F && body.dropFirst().first == 0x8B) {
        notes.append("Content-Encoding: \(coding), but the body is not compressed; read as it is")
      } else {
        throw .contentEncoding(coding)
      }
    default:
      throw .contentEncoding(coding)
    }
    self.body = body
  }

  /// The status, the fields and where the body starts; nil without a status line.
  static func head(_ block: [UInt8]) -> (Int, [(name: String, value: String)], Int)? {
    var index = 0
    var lines: [String] = []
    while index < block.count {
      guard let end = block[index...].firstIndex(of: 0x0A) else { return nil }
      var lineEnd = end
      if lineEnd > index && block[lineEnd - 1] == 0x0D { lineEnd -= 1 }
      let bytes = block[index..<lineEnd]
      index = end + 1
      if bytes.isEmpty { break }
      lines.append(String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) }))
      if lines.count > 1000 { return nil }
    }
    guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/") else { return nil }
    let parts = statusLine.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
    var fields: [(name: String, value: String)] = []
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields.append(
        (String(line[..<colon]).trimmingASCIISpaces(), String(line[line.index(after: colon)...]).trimmingASCIISpaces()))
    }
    return (status, fields, index)
  }

  /// The body of a chunked transfer (RFC 9112 §7.1), or nil when it is not one: each chunk a hexadecimal size (with
  /// optional extensions) on its own line, its bytes and a line end, then a zero-size chunk and optional trailers.
  static func dechunked(_ body: [UInt8]) -> [UInt8]? {
    var output: [UInt8] = []
    var index = 0
    while true {
      guard let end = body[index...].firstIndex(of: 0x0A), end - index <= 64 else { return nil }
      var sizeText = String(decoding: body[index..<end], as: UTF8.self).trimmingASCIISpaces()
      if sizeText.hasSuffix("\r") { sizeText.removeLast() }
      if let semicolon = sizeText.firstIndex(of: ";") { sizeText = String(sizeText[..<semicolon]) }
      guard !sizeText.isEmpty, let size = Int(sizeText.trimmingASCIISpaces(), radix: 16), size >= 0 else { return nil }
      index = end + 1
      if size == 0 { return output }
      guard index + size <= body.count else { return nil }
      output.append(contentsOf: body[index..<index + size])
      index += size
      // The line end after the chunk's bytes.
      if index < body.count && body[index] == 0x0D { index += 1 }
      if index < body.count && body[index] == 0x0A { index += 1 }
      if index >= body.count { return output }
    }
  }
}

/// zlib's inflate over whole buffers, with a bound on the output.
package enum Inflater {
  /// `data` inflated: gzip or zlib-wrapped (told apart by their headers), else raw deflate; nil when it is none of
  /// these, or when its output passes `limit` bytes.
  package static func inflate(_ data: [UInt8], limit: Int) -> [UInt8]? {
    guard !data.isEmpty else { return nil }
    return inflate(data, windowBits: 15 + 32, limit: limit) ?? inflate(data, windowBits: -15, limit: limit)
  }

  private static func inflate(_ data: [UInt8], windowBits: Int32, limit: Int) -> [UInt8]? {
    var stream = z_stream()
    guard medref_inflate_init(&stream, windowBits) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = data
    return input.withUnsafeMutableBufferPointer { inputBuffer -> [UInt8]? in
      stream.next_in = inputBuffer.baseAddress
      stream.avail_in = UInt32(inputBuffer.count)
      while true {
        let (status, produced) = chunk.withUnsafeMutableBufferPointer { outputBuffer in
          stream.next_out = outputBuffer.baseAddress
          stream.avail_out = UInt32(outputBuffer.count)
          let status = CCompression.inflate(&stream, Z_NO_FLUSH)
          return (status, outputBuffer.count - Int(stream.avail_out))
        }
        output.append(contentsOf: chunk[..<produced])
        if output.count > limit { return nil }
        switch status {
        case Z_STREAM_END: return output
        case Z_OK: continue
        case Z_BUF_ERROR:
          // No progress possible: input ended inside the stream. A body cut short still has its text.
          return output.isEmpty ? nil : output
        default: return nil
        }
      }
    }
  }
}
