import MedRefBase

/// Guesses for mojibake whose C1 bytes were deleted (UTF-8 read as Latin-1, then control characters stripped), read
/// from `Resources/lossy-patterns.tsv`. Every repair it makes is marked as not exact.
package final class LossyPatternTable: Sendable {
  /// Where a damaged sequence stands, which decides what it was.
  enum Context: String, Sendable {
    case any, contraction
    case betweenDigits = "between-digits"
    case spaced, opening
    case betweenWords = "between-words"
    case closing
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
  /// The bytes every pattern starts with (`â`, C3 A2, in the shipped table): nothing else needs a closer look.
  let commonPrefix: [UInt8]

  init(rows: [[Substring]]) {
    patterns = rows.filter { $0.count >= 3 }.compactMap { row in
      guard let context = Context(rawValue: String(row[2])) else {
        fatalError("lossy-patterns.tsv: unknown context '\(row[2])'")
      }
      return Pattern(damaged: Array(row[0].utf8), original: Array(row[1].utf8), context: context)
    }
    var prefix = patterns.first?.damaged ?? []
    for pattern in patterns {
      prefix = Array(zip(prefix, pattern.damaged).prefix { $0.0 == $0.1 }.map(\.0))
    }
    commonPrefix = prefix
  }

  /// Whether `bytes` has the common prefix of the patterns at `index`.
  @inline(__always)
  private func hasCommonPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    guard index + commonPrefix.count <= bytes.count else { return false }
    for (offset, byte) in commonPrefix.enumerated() where bytes[index + offset] != byte { return false }
    return true
  }

  /// Repairs lossy damage in `bytes`. The contexts that could also be clean text are used only when the line shows
  /// other damage: a sure lossy repair on it, or `earlierRepairs` made on it by the exact rules.
  func fix(_ bytes: [UInt8], earlierRepairs: Int, log: inout RepairLog) -> [UInt8]? {
    // Look for the patterns' common prefix (`â`) before anything else.
    guard !patterns.isEmpty, !bytes.isEmpty else { return nil }
    let found = bytes.withUnsafeBufferPointer { buffer in
      var index = commonPrefix.isEmpty ? 0 : ByteScan.first(commonPrefix[0], in: buffer, from: 0, to: buffer.count)
      while index < buffer.count {
        if hasCommonPrefix(buffer, at: index) { return true }
        index = ByteScan.first(commonPrefix[0], in: buffer, from: index + 1, to: buffer.count)
      }
      return false
    }
    guard found else { return nil }
    let before = log.count
    var current = bytes
    var changed = false
    if let fixed = pass(current, allowAmbiguous: false, log: &log) {
      current = fixed
      changed = true
    }
    if earlierRepairs > 0 || log.count > before,
      let fixed = pass(current, allowAmbiguous: true, log: &log)
    {
      current = fixed
      changed = true
    }
    return changed ? current : nil
  }

  private func pass(_ bytes: [UInt8], allowAmbiguous: Bool, log: inout RepairLog) -> [UInt8]? {
    var rewriter = ByteRewriter(bytes)
    var index = 0
    while index < bytes.count {
      if bytes[index] < 0x80 {
        index = ByteScan.firstNonASCII(in: bytes, from: index)
        continue
      }
      if bytes.withUnsafeBufferPointer({ hasCommonPrefix($0, at: index) }),
        let pattern = match(bytes, at: index, allowAmbiguous: allowAmbiguous)
      {
        let offset = rewriter.replace(index..<index + pattern.damaged.count, with: pattern.original)
        log.record(from: pattern.damaged, to: pattern.original, rule: "lossy-latin1-c1", exact: false, offset: offset)
        index += pattern.damaged.count
      } else {
        index += 1
      }
    }
    return rewriter.finish()
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
        // After a non-ASCII character (`ã‚â¢`) the `â` belongs to mojibake that is still whole, not lossy.
        if let previous, previous >= 0x80 { return nil }
        return pattern
      case .contraction:
        if isContraction(bytes, damagedAt: index, length: pattern.damaged.count) { return pattern }
      case .betweenDigits:
        if let previous, let next, Self.isDigit(previous), Self.isDigit(next) { return pattern }
      case .spaced:
        // `â € ` is an exact sequence whose A0 byte became a space, not a dash.
        let afterSpace = end + 1 < bytes.count ? bytes[end + 1] : nil
        let afterSpaceIsLossy = end + 2 < bytes.count && bytes[end + 1] == 0xC3 && bytes[end + 2] == 0xA2
        if previous == 0x20 && next == 0x20 && ((afterSpace ?? 0) < 0x80 || afterSpaceIsLossy) { return pattern }
      case .opening:
        let startsWord =
          previous == nil || previous == 0x20 || previous == UInt8(ascii: "(")
          || previous == UInt8(ascii: "[")
        guard startsWord, let next, Self.isASCIILetter(next) || Self.isDigit(next) else { continue }
        // Before a capital or a digit this is a quote; before a small letter it could be French `âge`.
        if allowAmbiguous || !Self.isLowercase(next) { return pattern }
        return nil
      case .betweenWords:
        guard let previous, let next, Self.isASCIILetter(previous), Self.isASCIILetter(next) else { continue }
        return allowAmbiguous ? pattern : nil
      case .closing:
        // After an ASCII word or sign, or right after a lossy ellipsis (`âWaitâ¦â`).
        let afterEllipsis = index >= 4 && Array(bytes[(index - 4)..<index]) == [0xC3, 0xA2, 0xC2, 0xA6]
        guard let previous, previous != 0x20, previous < 0x80 || afterEllipsis else { continue }
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
