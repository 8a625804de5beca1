/// The repair stage: undoes encoding damage in decoded text and explains every change.
///
/// Rules, in order: HTML entities left in text (or double-escaped in markup); UTF-8 that was decoded as
/// Windows-1252 or Latin-1, possibly several times (`Ã©` → `é`, `â€™` → `’`); and the lossy pattern where the
/// C1 bytes of such text were deleted (`arenât` → `aren’t`, `â¦` → `…`), which is a guess from context.
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
    for _ in 0..<Self.maximumPasses {
      guard let fixed = MojibakeDecoder.fix(bytes, repairs: &repairs) else { break }
      bytes = fixed
    }
    if let fixed = lossy.fix(bytes, repairs: &repairs) { bytes = fixed }
    return RepairedText(text: repairs.isEmpty ? text : String(decoding: bytes, as: UTF8.self), repairs: repairs)
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
