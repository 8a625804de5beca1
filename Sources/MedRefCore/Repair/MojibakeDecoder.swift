/// Exact mojibake repair: finds runs of characters whose Windows-1252/Latin-1 bytes form valid UTF-8 and decodes
/// them (`Ã©` → `é`, `â€™` → `’`, `Ã‚Â` + NBSP → NBSP after two passes).
enum MojibakeDecoder {
  /// The Windows-1252 / Latin-1 byte a character came from when UTF-8 was misread, or nil when it has none.
  /// U+0080–U+009F (C1 controls) map to themselves: that is how Latin-1 reads those bytes.
  @inline(__always)
  static func image(of value: UInt32) -> UInt8? {
    if value >= 0x80 && value <= 0xFF { return UInt8(value) }
    if value < 0x80 { return nil }
    guard let scalar = Unicode.Scalar(value) else { return nil }
    return SingleByteEncoding.windows1252.byteForScalar[scalar]
  }

  /// Whether a decoded character is plausible text. Characters that misread clean text would produce (rare
  /// letters such as IPA, NKo, C1 controls) are refused so that clean text is left alone.
  static func isPlausible(_ value: UInt32, length: Int) -> Bool {
    switch length {
    case 2:
      return (0xA0...0x24F).contains(value) || (0x370...0x3FF).contains(value) || (0x400...0x4FF).contains(value)
        || (0x5D0...0x5EA).contains(value) || (0x600...0x6FF).contains(value)
    case 3:
      return (0x900...0xDFF).contains(value) || (0x1E00...0x1EFF).contains(value)
        || (0x2000...0x2BFF).contains(value) || (0x3000...0x9FFF).contains(value)
        || (0xAC00...0xD7A3).contains(value) || (0xFB00...0xFB06).contains(value)
        || (0xFE30...0xFFFD).contains(value)
    default:
      return (0x1F000...0x1FAFF).contains(value) || (0x20000...0x2FFFF).contains(value)
    }
  }

  /// If the characters starting at `index` are the Windows-1252/Latin-1 reading of one UTF-8 character, returns
  /// that character's bytes, how many input bytes it replaces, and whether a C1 control was involved.
  static func decodeSequence(in bytes: [UInt8], at index: Int) -> (utf8: [UInt8], consumed: Int, latin1: Bool)? {
    let first = UTF8Scalars.scalar(in: bytes, at: index)
    guard let lead = image(of: first.value), lead >= 0xC2, lead <= 0xF4 else { return nil }
    let needed = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
    var sequence: [UInt8] = [lead]
    var position = index + first.length
    var latin1 = (0x80...0x9F).contains(first.value)
    for _ in 0..<needed {
      guard position < bytes.count, bytes[position] >= 0x80 else { return nil }
      let next = UTF8Scalars.scalar(in: bytes, at: position)
      guard let byte = image(of: next.value), byte >= 0x80, byte <= 0xBF else { return nil }
      if (0x80...0x9F).contains(next.value) { latin1 = true }
      sequence.append(byte)
      position += next.length
    }
    guard let decoded = String(validating: sequence, as: UTF8.self),
      let scalar = decoded.unicodeScalars.first,
      isPlausible(scalar.value, length: sequence.count)
    else { return nil }
    return (sequence, position - index, latin1)
  }

  /// One left-to-right pass. Returns nil when nothing changed.
  static func fix(_ bytes: [UInt8], repairs: inout [Repair]) -> [UInt8]? {
    guard let firstHigh = bytes.firstIndex(where: { $0 >= 0xC2 }) else { return nil }
    var output: [UInt8] = []
    var index = firstHigh
    var changed = false
    output.reserveCapacity(bytes.count)
    output.append(contentsOf: bytes[..<firstHigh])
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x80 {
        output.append(byte)
        index += 1
        continue
      }
      guard decodeSequence(in: bytes, at: index) != nil else {
        let length = UTF8Scalars.scalar(in: bytes, at: index).length
        output.append(contentsOf: bytes[index..<index + length])
        index += length
        continue
      }
      // Take the whole run of consecutive sequences as one repair.
      let start = index
      let offset = output.count
      var latin1 = false
      while index < bytes.count, let sequence = decodeSequence(in: bytes, at: index) {
        output.append(contentsOf: sequence.utf8)
        latin1 = latin1 || sequence.latin1
        index += sequence.consumed
      }
      changed = true
      repairs.append(
        Repair(
          from: String(decoding: bytes[start..<index], as: UTF8.self),
          to: String(decoding: output[offset...], as: UTF8.self),
          rule: latin1 ? "utf8-as-latin1" : "utf8-as-windows-1252", exact: true, offset: offset))
    }
    return changed ? output : nil
  }
}
