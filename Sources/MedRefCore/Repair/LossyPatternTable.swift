/// Guesses for mojibake whose C1 bytes were deleted (UTF-8 read as Latin-1, then control characters stripped), read
/// from `Resources/lossy-patterns.tsv`. Every repair it makes is marked as not exact.
struct LossyPatternTable: Sendable {
  struct Pattern: Sendable {
    var damaged: [UInt8]
    var original: String
    var context: String
  }

  static let shared = LossyPatternTable(rows: ResourceFile.rows("lossy-patterns.tsv"))

  /// English contraction endings after which a bare `â` was an apostrophe.
  static let contractionEndings: [[UInt8]] = ["s", "t", "re", "ve", "ll", "d", "m"].map { Array($0.utf8) }

  let patterns: [Pattern]

  init(rows: [[Substring]]) {
    patterns = rows.filter { $0.count >= 3 }.map {
      Pattern(damaged: Array($0[0].utf8), original: String($0[1]), context: String($0[2]))
    }.sorted { $0.damaged.count > $1.damaged.count }
  }

  /// One pass over `bytes`. Returns nil when nothing changed.
  func fix(_ bytes: [UInt8], repairs: inout [Repair]) -> [UInt8]? {
    guard let firstLead = patterns.compactMap(\.damaged.first).min(),
      bytes.contains(where: { $0 >= firstLead })
    else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    var changed = false
    while index < bytes.count {
      if bytes[index] >= 0x80, let pattern = match(bytes, at: index) {
        repairs.append(
          Repair(
            from: String(decoding: pattern.damaged, as: UTF8.self), to: pattern.original, rule: "lossy-latin1-c1",
            exact: false, offset: output.count))
        output.append(contentsOf: pattern.original.utf8)
        index += pattern.damaged.count
        changed = true
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return changed ? output : nil
  }

  private func match(_ bytes: [UInt8], at index: Int) -> Pattern? {
    for pattern in patterns where bytes[index...].starts(with: pattern.damaged) {
      switch pattern.context {
      case "any":
        return pattern
      case "contraction":
        if isContraction(bytes, damagedAt: index, length: pattern.damaged.count) { return pattern }
      default:
        continue
      }
    }
    return nil
  }

  /// A letter before, a contraction ending after and then no letter: `aren|â|t `, `it|â|s,`. A `t` ending needs an
  /// `n` before the damage (don't, isn't), which keeps French or Romanian words such as `cât` intact.
  private func isContraction(_ bytes: [UInt8], damagedAt index: Int, length: Int) -> Bool {
    guard index > 0, Self.isASCIILetter(bytes[index - 1]) else { return false }
    let after = index + length
    for ending in Self.contractionEndings where bytes[after...].starts(with: ending) {
      let end = after + ending.count
      if end < bytes.count && (Self.isASCIILetter(bytes[end]) || bytes[end] >= 0x80) { continue }
      if ending == [UInt8(ascii: "t")] && bytes[index - 1] | 0x20 != UInt8(ascii: "n") { continue }
      return true
    }
    return false
  }

  static func isASCIILetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }
}
