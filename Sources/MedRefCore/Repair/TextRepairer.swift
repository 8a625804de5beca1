/// The repair stage: undoes encoding damage in decoded text and explains every change.
///
/// Rules, in order: HTML entities left in text (or double-escaped in markup); the lossy pattern where the C1 bytes
/// of mojibake were deleted (`arenât` → `aren’t`, `â¦` → `…`), a guess from context; UTF-8 that was decoded with
/// a single-byte code page, possibly several times (`Ã©` → `é`, `â€™` → `’`, `РґРѕ` → `до`); and C1 controls
/// left in text, read as Windows-1252.
public struct TextRepairer: Sendable {
  /// How many times the mojibake rule may run over its own output (text encoded wrongly twice needs two).
  public static let maximumPasses = 3

  private let entities: EntityTable
  private let lossy: LossyPatternTable

  public init() {
    self.entities = EntityTable.shared
    self.lossy = LossyPatternTable.shared
  }

  /// Repairs `text`. Clean text comes back unchanged with no repairs.
  public func repair(_ text: String, mode: RepairMode = .plainText) -> RepairedText {
    var bytes = Array(text.utf8)
    guard bytes.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "&") }) else {
      return RepairedText(text: text, repairs: [])
    }
    var repairs: [Repair] = []
    switch mode {
    case .plainText:
      for _ in 0..<Self.maximumPasses {
        guard let fixed = entities.decodeEntities(bytes, repairs: &repairs) else { break }
        bytes = fixed
      }
    case .markup:
      if let fixed = entities.collapseDoubleEscapes(bytes, repairs: &repairs) { bytes = fixed }
    }
    // Lossy damage first: the bare `â` it looks for must be one the text had, not one an exact repair made
    // (`pÃ¢te` → `pâte`).
    if let fixed = lossy.fix(bytes, earlierRepairs: repairs.count, repairs: &repairs) { bytes = fixed }
    for _ in 0..<Self.maximumPasses {
      guard let fixed = MojibakeDecoder.fix(bytes, repairs: &repairs) else { break }
      bytes = fixed
    }
    if let fixed = Self.fixC1Controls(bytes, repairs: &repairs) { bytes = fixed }
    return RepairedText(text: repairs.isEmpty ? text : String(decoding: bytes, as: UTF8.self), repairs: repairs)
  }
}

extension TextRepairer {
  /// C1 controls left in text (U+0080–U+009F) are Windows-1252 bytes read as Latin-1: `\u{93}quoted\u{94}` is
  /// `“quoted”`, `\u{85}` is `…`. Returns nil when there are none.
  static func fixC1Controls(_ bytes: [UInt8], repairs: inout [Repair]) -> [UInt8]? {
    guard bytes.contains(0xC2) else { return nil }
    var output: [UInt8] = []
    var index = 0
    var changed = false
    while index < bytes.count {
      if bytes[index] == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
        if !changed {
          output.reserveCapacity(bytes.count)
          output.append(contentsOf: bytes[..<index])
          changed = true
        }
        let replacement = SingleByteEncoding.windows1252.utf8[Int(bytes[index + 1])]
        repairs.append(
          Repair(
            from: String(decoding: bytes[index..<index + 2], as: UTF8.self),
            to: String(decoding: replacement, as: UTF8.self), rule: "c1-control", exact: true, offset: output.count))
        output.append(contentsOf: replacement)
        index += 2
      } else {
        if changed { output.append(bytes[index]) }
        index += 1
      }
    }
    return changed ? output : nil
  }
}

/// Reads UTF-8 scalars from valid UTF-8 bytes.
enum UTF8Scalars {
  /// The scalar value starting at `index` and its length in bytes. The bytes must be valid UTF-8.
  @inline(__always)
  static func scalar(in bytes: [UInt8], at index: Int) -> (value: UInt32, length: Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (UInt32(lead), 1) }
    if lead < 0xE0 { return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
    if lead < 0xF0 {
      return (
        UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3
      )
    }
    return (
      UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
        | UInt32(bytes[index + 3] & 0x3F), 4
    )
  }

  /// The UTF-8 encoding of a scalar value.
  static func encode(_ value: UInt32) -> [UInt8] {
    Array(String(Character(Unicode.Scalar(value) ?? "\u{FFFD}")).utf8)
  }
}
