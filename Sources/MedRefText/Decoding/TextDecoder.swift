import MedRefBase

/// Text decoded from a file's bytes, with the encoding MedRef chose and why.
public struct DecodedText: Sendable, Equatable {
  /// The text, without any byte order mark.
  public var text: String
  /// The encoding used: `utf-8`, `utf-16le`/`be`, `utf-32le`/`be`, or a single-byte encoding (`windows-1252`...).
  public var encoding: String
  /// Why that encoding was chosen: `byte order mark`, `meta charset`, `valid UTF-8`, `fallback: invalid UTF-8`...
  public var reason: String
  /// True when no encoding was declared or could be trusted and the bytes were not valid UTF-8, so Windows-1252 was
  /// used because it decodes any bytes (the pipeline notes it; `reason` says what went wrong).
  public var isFallback: Bool

  public init(text: String, encoding: String, reason: String, isFallback: Bool = false) {
    self.text = text
    self.encoding = encoding
    self.reason = reason
    self.isFallback = isFallback
  }
}

/// Turns a file's bytes into text: byte order mark first, then a declared charset (`<meta charset>`, XML
/// declaration: UTF-8, Windows-1250…1258, ISO-8859-x, KOI8, MacRoman, code page 437), then a strict UTF-8 check,
/// and Windows-1252 when the bytes are not UTF-8.
public struct TextDecoder: Sendable {
  /// How far into the file a charset declaration is looked for.
  public static let declarationWindow = 4096

  public init() {}

  /// Decodes `bytes` read from `path` (used only in error messages). A charset the transport declared (`declared`,
  /// an HTTP `Content-Type`'s) is taken before one the bytes declare, as browsers do.
  /// - Throws: `MedRefError.emptyFile` or `.binaryFile`.
  public func decode(_ bytes: [UInt8], path: String, declared transportCharset: String? = nil) throws -> DecodedText {
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      throw MedRefError.emptyFile(path: path)
    }
    if let decoded = decodeWithByteOrderMark(bytes) { return decoded }
    if let littleEndian = Self.utf16WithoutByteOrderMark(bytes) {
      var decoded = decodeUTF16(bytes[...], littleEndian: littleEndian)
      decoded.reason = "no byte order mark; NUL bytes in every other place"
      return decoded
    }
    if looksBinary(bytes) { throw MedRefError.binaryFile(path: path) }

    let validUTF8 = String(validating: bytes, as: UTF8.self)
    if let declared = transportCharset ?? declaredCharset(bytes) {
      if SingleByteEncoding.labels[declared.lowercased()] == "utf-8" {
        if let text = validUTF8 { return DecodedText(text: text, encoding: "utf-8", reason: "declared charset") }
        return DecodedText(
          text: SingleByteEncoding.windows1252.decode(bytes), encoding: "windows-1252",
          reason: "declared utf-8 but not valid UTF-8; windows-1252 fallback", isFallback: true)
      }
      if let encoding = SingleByteEncoding.forLabel(declared) {
        // Pages that declare a legacy charset but were saved as UTF-8 are common; valid UTF-8 with non-ASCII
        // bytes is almost never legacy text by chance.
        if let text = validUTF8, bytes.contains(where: { $0 >= 0x80 }) {
          return DecodedText(text: text, encoding: "utf-8", reason: "declared \(declared) but valid UTF-8")
        }
        return DecodedText(text: encoding.decode(bytes), encoding: encoding.name, reason: "declared charset")
      }
      if MultiByteEncoding.name(forLabel: declared) != nil {
        if let text = validUTF8, bytes.contains(where: { $0 >= 0x80 }) {
          return DecodedText(text: text, encoding: "utf-8", reason: "declared \(declared) but valid UTF-8")
        }
        if let text = MultiByteEncoding.decode(bytes, label: declared) {
          return DecodedText(text: text, encoding: declared.lowercased(), reason: "declared charset")
        }
      }
      // A label MedRef has no decoder for: decide from the bytes below, and say so.
      if let text = validUTF8 {
        return DecodedText(text: text, encoding: "utf-8", reason: "declared \(declared) (unsupported); valid UTF-8")
      }
      return DecodedText(
        text: SingleByteEncoding.windows1252.decode(bytes), encoding: "windows-1252",
        reason: "declared \(declared) (unsupported); windows-1252 fallback", isFallback: true)
    }
    if let text = validUTF8 {
      let ascii = !bytes.contains(where: { $0 >= 0x80 })
      return DecodedText(text: text, encoding: "utf-8", reason: ascii ? "ASCII" : "valid UTF-8")
    }
    return DecodedText(
      text: SingleByteEncoding.windows1252.decode(bytes), encoding: "windows-1252",
      reason: "not valid UTF-8; windows-1252 fallback", isFallback: true)
  }

  private func decodeWithByteOrderMark(_ bytes: [UInt8]) -> DecodedText? {
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      let body = bytes.dropFirst(3)
      if let text = String(validating: body, as: UTF8.self) {
        return DecodedText(text: text, encoding: "utf-8", reason: "byte order mark")
      }
      return DecodedText(
        text: SingleByteEncoding.windows1252.decode(body), encoding: "windows-1252",
        reason: "UTF-8 byte order mark but not valid UTF-8; windows-1252 fallback", isFallback: true)
    }
    if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return decodeUTF32(bytes.dropFirst(4), littleEndian: true) }
    if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return decodeUTF32(bytes.dropFirst(4), littleEndian: false) }
    if bytes.starts(with: [0xFF, 0xFE]) { return decodeUTF16(bytes.dropFirst(2), littleEndian: true) }
    if bytes.starts(with: [0xFE, 0xFF]) { return decodeUTF16(bytes.dropFirst(2), littleEndian: false) }
    return nil
  }

  private func decodeUTF16(_ body: ArraySlice<UInt8>, littleEndian: Bool) -> DecodedText {
    var units: [UInt16] = []
    units.reserveCapacity(body.count / 2)
    var index = body.startIndex
    while index + 1 < body.endIndex {
      let a = UInt16(body[index])
      let b = UInt16(body[index + 1])
      units.append(littleEndian ? a | b << 8 : a << 8 | b)
      index += 2
    }
    return DecodedText(
      text: String(decoding: units, as: UTF16.self), encoding: littleEndian ? "utf-16le" : "utf-16be",
      reason: "byte order mark")
  }

  private func decodeUTF32(_ body: ArraySlice<UInt8>, littleEndian: Bool) -> DecodedText {
    var scalars = String.UnicodeScalarView()
    var index = body.startIndex
    while index + 3 < body.endIndex {
      let bytes = (0..<4).map { UInt32(body[index + $0]) }
      let value =
        littleEndian
        ? bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24
        : bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]
      scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
      index += 4
    }
    return DecodedText(
      text: String(scalars), encoding: littleEndian ? "utf-32le" : "utf-32be", reason: "byte order mark")
  }

  /// NUL bytes, or many control characters, in the first few kilobytes mean the file is not text.
  /// Whether `bytes` are UTF-16 text saved without a byte order mark, and its byte order: text in Latin script
  /// has a NUL in every other byte (the high byte of each code unit). Taken when, in the first 8 KB, at least 90 %
  /// of the bytes at one parity are NUL, none at the other, and the others are mostly printable ASCII.
  static func utf16WithoutByteOrderMark(_ bytes: [UInt8]) -> Bool? {
    // Most files have no NUL among their first bytes: they are not UTF-16, and cost no further look.
    guard bytes.count >= 8, bytes.prefix(16).contains(0) else { return nil }
    let head = bytes.prefix(8192)
    guard head.count % 2 == 0 else { return nil }
    var nulls = (even: 0, odd: 0)
    var printable = (even: 0, odd: 0)
    for (offset, byte) in head.enumerated() {
      let isPrintable = (byte >= 0x20 && byte < 0x7F) || byte == 0x0A || byte == 0x0D || byte == 0x09
      if offset % 2 == 0 {
        if byte == 0 { nulls.even += 1 } else if isPrintable { printable.even += 1 }
      } else {
        if byte == 0 { nulls.odd += 1 } else if isPrintable { printable.odd += 1 }
      }
    }
    let half = head.count / 2
    if nulls.odd * 10 >= half * 9 && nulls.even == 0 && printable.even * 10 >= half * 8 { return true }
    if nulls.even * 10 >= half * 9 && nulls.odd == 0 && printable.odd * 10 >= half * 8 { return false }
    return nil
  }

  private func looksBinary(_ bytes: [UInt8]) -> Bool {
    let head = bytes.prefix(8192)
    var controls = 0
    for byte in head {
      if byte == 0 { return true }
      if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C && byte != 0x1B {
        controls += 1
      }
    }
    return controls * 20 > head.count
  }

  /// The charset named by `<meta charset=...>`, `<meta http-equiv content="...; charset=...">` or an XML
  /// declaration's `encoding="..."` near the start of the file.
  func declaredCharset(_ bytes: [UInt8]) -> String? {
    // ASCII lower case, other bytes as spaces: labels are ASCII.
    let head = bytes.prefix(Self.declarationWindow).map { byte -> UInt8 in
      byte >= 0x80 ? 0x20 : (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
    }
    if head.starts(with: Array("<?xml".utf8)), let end = Self.find(Array("?>".utf8), in: head, from: 0),
      let value = Self.attributeValue(after: Array("encoding".utf8), in: head[..<end])
    {
      return value
    }
    let meta = Array("<meta".utf8)
    let charset = Array("charset".utf8)
    var searchStart = 0
    while let start = Self.find(meta, in: head, from: searchStart) {
      let tagEnd = head[(start + meta.count)...].firstIndex(of: UInt8(ascii: ">")) ?? head.count
      if let value = Self.attributeValue(after: charset, in: head[(start + meta.count)..<tagEnd]) { return value }
      searchStart = tagEnd
    }
    return nil
  }

  private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    bytes.withUnsafeBufferPointer { ByteScan.firstOccurrence(of: pattern, in: $0, from: start) }
  }

  /// The value following `name` and `=` in `text`, with quotes and trailing punctuation removed.
  private static func attributeValue(after name: [UInt8], in text: ArraySlice<UInt8>) -> String? {
    guard let found = Self.find(name, in: Array(text), from: 0) else { return nil }
    var rest = text[(text.startIndex + found + name.count)...].drop(while: { $0 == 0x20 })
    guard rest.first == UInt8(ascii: "=") else { return nil }
    rest = rest.dropFirst().drop(while: { $0 == 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") })
    let value = rest.prefix(while: { byte in
      (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-")
        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    })
    return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
  }

}
