/// Guesses for mojibake whose C1 bytes were deleted (UTF-8 read as Latin-1, then control characters stripped), read
/// from `Resources/lossy-patterns.tsv`. Every repair it makes is marked as not exact.
struct LossyPatternTable: Sendable {
  /// Where a damaged sequence stands, which decides what it was.
  enum Context: String, Sendable {
    case any, contraction, betweenDigits = "between-digits", spaced, opening, betweenWords = "between-words", closing
  }

  struct Pattern: Sendable {
    var damaged: [UInt8]
    var original: [UInt8]
    var context: Context
  }

  static let shared = LossyPatternTable(rows: ResourceFile.rows("lossy-patterns.tsv"))

  /// English contraction endings after which a bare `â` was an apostrophe.
  static let contractionEndings: [[UInt8]] = ["s", "t", "re", "ve", "ll", "d", "m"].map { Array($0.utf8) }

  let patterns: [Pattern]
  /// The first byte every pattern starts with (`â` is C3 A2).
  let leadBytes: Set<UInt8>

  init(rows: [[Substring]]) {
    patterns = rows.filter { $0.count >= 3 }.compactMap { row in
      guard let context = Context(rawValue: String(row[2])) else {
        fatalError("lossy-patterns.tsv: unknown context '\(row[2])'")
      }
      return Pattern(damaged: Array(row[0].utf8), original: Array(row[1].utf8), context: context)
    }
    leadBytes = Set(patterns.compactMap(\.damaged.first))
  }

  /// Repairs lossy damage in `bytes`. The contexts that could also be clean text are used only when the line shows
  /// other damage: a sure lossy repair on it, or `earlierRepairs` made on it by the exact rules.
  func fix(_ bytes: [UInt8], earlierRepairs: Int, repairs: inout [Repair]) -> [UInt8]? {
    guard bytes.contains(where: { leadBytes.contains($0) }) else { return nil }
    let before = repairs.count
    var current = bytes
    var changed = false
    if let fixed = pass(current, allowAmbiguous: false, repairs: &repairs) {
      current = fixed
      changed = true
    }
    if earlierRepairs > 0 || repairs.count > before,
      let fixed = pass(current, allowAmbiguous: true, repairs: &repairs)
    {
      current = fixed
      changed = true
    }
    return changed ? current : nil
  }

  private func pass(_ bytes: [UInt8], allowAmbiguous: Bool, repairs: inout [Repair]) -> [UInt8]? {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    var changed = false
    while index < bytes.count {
      if leadBytes.contains(bytes[index]), let pattern = match(bytes, at: index, allowAmbiguous: allowAmbiguous) {
        repairs.append(
          Repair(
            from: String(decoding: pattern.damaged, as: UTF8.self),
            to: String(decoding: pattern.original, as: UTF8.self), rule: "lossy-latin1-c1", exact: false,
            offset: output.count))
        output.append(contentsOf: pattern.original)
        index += pattern.damaged.count
        changed = true
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return changed ? output : nil
  }

  private func match(_ bytes: [UInt8], at index: Int, allowAmbiguous: Bool) -> Pattern? {
    for pattern in patterns where bytes[index...].starts(with: pattern.damaged) {
      let end = index + pattern.damaged.count
      let previous = index > 0 ? bytes[index - 1] : nil
      let next = end < bytes.count ? bytes[end] : nil
      // A bare `â` followed by a byte that continues a character is part of some other text (`âš`, `â€`).
      if let next, next >= 0x80, pattern.context != .any { return nil }
      switch pattern.context {
      case .any:
        return pattern
      case .contraction:
        if isContraction(bytes, damagedAt: index, length: pattern.damaged.count) { return pattern }
      case .betweenDigits:
        if let previous, let next, Self.isDigit(previous), Self.isDigit(next) { return pattern }
      case .spaced:
        // `â € ` is an exact sequence whose A0 byte became a space, not a dash.
        let afterSpace = end + 1 < bytes.count ? bytes[end + 1] : nil
        if previous == 0x20 && next == 0x20 && (afterSpace ?? 0) < 0x80 { return pattern }
      case .opening:
        let startsWord = previous == nil || previous == 0x20 || previous == UInt8(ascii: "(")
          || previous == UInt8(ascii: "[")
        guard startsWord, let next, Self.isASCIILetter(next) || Self.isDigit(next) else { continue }
        // Before a capital or a digit this is a quote; before a small letter it could be French `âge`.
        if allowAmbiguous || !Self.isLowercase(next) { return pattern }
        return nil
      case .betweenWords:
        guard let previous, let next, Self.isASCIILetter(previous), Self.isASCIILetter(next) else { continue }
        return allowAmbiguous ? pattern : nil
      case .closing:
        guard let previous, previous != 0x20, previous < 0x80 else { continue }
        if next == nil || next == 0x20 || (next.map { !Self.isASCIILetter($0) && !Self.isDigit($0) } ?? false) {
          return pattern
        }
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

  static func isLowercase(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
