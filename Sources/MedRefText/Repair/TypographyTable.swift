import MedRefBase

/// Ligature expansion and (optionally) quote uncurling, from `Resources/typography.tsv`.
package final class TypographyTable: Sendable {
  struct Replacement: Sendable {
    var character: [UInt8]
    var replacement: [UInt8]
    var group: String
  }

  static let shared = TypographyTable(rows: ResourceFile.rows("typography.tsv"))
  static let ligaturesOnly = shared.replacements(in: ["latin-ligature"])
  static let withUncurling = shared.replacements(in: ["latin-ligature", "uncurl"])

  let replacements: [Replacement]

  init(rows: [[Substring]]) {
    replacements = rows.filter { $0.count >= 3 }.map {
      Replacement(character: Array($0[0].utf8), replacement: Array($0[1].utf8), group: String($0[2]))
    }
  }

  /// The replacements of `groups`.
  func replacements(in groups: Set<String>) -> [Replacement] {
    replacements.filter { groups.contains($0.group) }
  }

  /// Whether `bytes` hold a character of `active` (all start with E2 80 or EF AC).
  static func mayApply(_ bytes: [UInt8], active: [Replacement]) -> Bool {
    let curly = active.contains { $0.character.first == 0xE2 }
    return bytes.withUnsafeBufferPointer { buffer in
      var index = 0
      while index + 2 < buffer.count {
        if buffer[index] < 0x80 {
          index = ByteScan.firstNonASCII(buffer, from: index, to: buffer.count)
          continue
        }
        let byte = buffer[index]
        if byte == 0xEF && buffer[index + 1] == 0xAC { return true }
        if curly && byte == 0xE2 && buffer[index + 1] == 0x80 && (0x98...0x9F).contains(buffer[index + 2]) {
          return true
        }
        index += 1
      }
      return false
    }
  }

  /// Applies the `active` replacements. Returns nil when nothing changed.
  func apply(_ bytes: [UInt8], active: [Replacement], log: inout RepairLog) -> [UInt8]? {
    guard !active.isEmpty, Self.mayApply(bytes, active: active) else { return nil }
    var rewriter = ByteRewriter(bytes)
    var index = 0
    while index < bytes.count {
      // Every listed character is E2 80 xx or EF AC xx.
      let byte = bytes[index]
      if byte == 0xE2 || byte == 0xEF,
        let match = active.first(where: { bytes[index...].starts(with: $0.character) })
      {
        let range = index..<index + match.character.count
        let offset = rewriter.replace(range, with: match.replacement)
        log.record(from: bytes[range], to: match.replacement, rule: match.group, exact: true, offset: offset)
        index = range.upperBound
      } else {
        index += 1
      }
    }
    return rewriter.finish()
  }
}
