import MedRefBase

/// HTML character references read from `Resources/html-entities.tsv`, for text that still carries them.
package final class EntityTable: Sendable {
  static let shared = EntityTable(tsv: Array(ResourceFile.text("html-entities.tsv").utf8))

  /// Longest entity name MedRef looks for, in bytes, `;` included.
  static let maximumNameLength = 32

  /// Entity name (without `&`, with `;`) → UTF-8 of its characters.
  let entities: [[UInt8]: [UInt8]]

  /// Reads the table's bytes directly (2,000-odd rows: faster than splitting strings).
  convenience init(tsv bytes: [UInt8]) {
    var entities: [[UInt8]: [UInt8]] = [:]
    entities.reserveCapacity(2300)
    var index = 0
    while index < bytes.count {
      let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
      defer { index = lineEnd + 1 }
      guard bytes[index] != UInt8(ascii: "#"), let tab = bytes[index..<lineEnd].firstIndex(of: 0x09) else { continue }
      var replacement: [UInt8] = []
      var value: UInt32 = 0
      var digits = 0
      for byte in bytes[(tab + 1)..<lineEnd] {
        if let digit = Self.hexValue(byte) {
          value = value << 4 | digit
          digits += 1
        } else if digits > 0 {
          UTF8Scanner.append(value, to: &replacement)
          (value, digits) = (0, 0)
        }
      }
      if digits > 0 { UTF8Scanner.append(value, to: &replacement) }
      entities[Array(bytes[index..<tab])] = replacement
    }
    self.init(entities: entities)
  }

  init(entities: [[UInt8]: [UInt8]]) {
    self.entities = entities
  }

  static func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: return UInt32(byte - 0x30)
    case 0x41...0x46: return UInt32(byte - 0x41 + 10)
    case 0x61...0x66: return UInt32(byte - 0x61 + 10)
    default: return nil
    }
  }

  /// Decodes `&name;`, `&#NNN;` and `&#xHHH;` in plain text. Numeric references to C1 controls mean the
  /// Windows-1252 character, as in browsers. References to line breaks, NUL or surrogates are left alone so that
  /// the line structure of the text never changes. Returns nil when nothing changed.
  func decodeEntities(_ bytes: [UInt8], log: inout RepairLog) -> [UInt8]? {
    guard bytes.contains(UInt8(ascii: "&")) else { return nil }
    var rewriter = ByteRewriter(bytes)
    var index = 0
    while index < bytes.count {
      if bytes[index] != UInt8(ascii: "&") {
        index = bytes.withUnsafeBufferPointer { ByteScan.first(0x26, in: $0, from: index, to: $0.count) }
        continue
      }
      if let (replacement, length) = reference(in: bytes, at: index) {
        let offset = rewriter.replace(index..<index + length, with: replacement)
        log.record(
          from: bytes[index..<index + length], to: replacement, rule: "html-entity", exact: true, offset: offset)
        index += length
      } else {
        index += 1
      }
    }
    return rewriter.finish()
  }

  /// In HTML source, turns `&amp;rsquo;` (an entity escaped twice) into `&rsquo;`, which the parser then decodes.
  func collapseDoubleEscapes(_ bytes: [UInt8], log: inout RepairLog) -> [UInt8]? {
    let escapedAmpersand = Array("&amp;".utf8)
    guard bytes.contains(UInt8(ascii: "&")) else { return nil }
    var rewriter = ByteRewriter(bytes)
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "&"), bytes[index...].starts(with: escapedAmpersand),
        let (_, length) = reference(in: bytes, at: index + 4)
      {
        // `length` counts from the `;` of `&amp;`, which stands where the inner reference's `&` belongs.
        let inner = [UInt8(ascii: "&")] + bytes[index + 5..<index + 4 + length]
        let offset = rewriter.replace(index..<index + 4 + length, with: inner)
        log.record(
          from: bytes[index..<index + 4 + length], to: inner, rule: "double-escaped-entity", exact: true,
          offset: offset)
        index += 4 + length
      } else {
        index += 1
      }
    }
    return rewriter.finish()
  }

  /// The character reference starting at `index` (which holds `&`, or the byte after it when called from
  /// `collapseDoubleEscapes`): its replacement and length in bytes.
  private func reference(in bytes: [UInt8], at index: Int) -> ([UInt8], Int)? {
    var end = index + 1
    let limit = min(bytes.count, index + 1 + Self.maximumNameLength)
    while end < limit, bytes[end] != UInt8(ascii: ";") {
      let byte = bytes[end]
      let isNameByte =
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "#")
      guard isNameByte else { return nil }
      end += 1
    }
    guard end < limit, bytes[end] == UInt8(ascii: ";"), end > index + 1 else { return nil }
    let name = Array(bytes[index + 1...end])
    if name.first == UInt8(ascii: "#") {
      guard let value = numericValue(name.dropFirst().dropLast()) else { return nil }
      return (UTF8Scanner.encoded(value), end - index + 1)
    }
    guard let replacement = entities[name] else { return nil }
    return (replacement, end - index + 1)
  }

  /// The scalar a numeric reference (`123` or `x7B`) stands for, or nil when it is not one MedRef decodes.
  private func numericValue(_ digits: ArraySlice<UInt8>) -> UInt32? {
    let text = String(decoding: digits, as: UTF8.self)
    let value: UInt32?
    if text.first == "x" || text.first == "X" {
      value = text.count > 1 && text.count <= 7 ? UInt32(text.dropFirst(), radix: 16) : nil
    } else {
      value = !text.isEmpty && text.count <= 7 ? UInt32(text) : nil
    }
    guard let value, value != 0, value != 0x0A, value != 0x0D, value <= 0x10FFFF,
      !(0xD800...0xDFFF).contains(value)
    else { return nil }
    if (0x80...0x9F).contains(value) {
      return SingleByteEncoding.windows1252.scalars[Int(value)].value
    }
    return value
  }
}
