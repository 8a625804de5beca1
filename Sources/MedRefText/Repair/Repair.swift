/// One change made by the repair stage, with enough to explain and replay it.
///
/// Repairs apply in order: `offset` is the UTF-8 byte offset at which `from` stands in the text as it is after all
/// earlier repairs of the list were applied, so replaying the list on the original text gives the repaired text.
public struct Repair: Sendable, Equatable, Codable {
  /// The damaged text that was replaced.
  public var from: String
  /// What replaced it.
  public var to: String
  /// The rule that decided it, e.g. `utf8-as-windows-1252`, `lossy-latin1-c1`, `html-entity`.
  public var rule: String
  /// True when the original is certain (the bytes decode exactly); false when it is a guess from context.
  public var exact: Bool
  /// UTF-8 byte offset of `from` in the text as it stood when this repair was made.
  public var offset: Int

  public init(from: String, to: String, rule: String, exact: Bool, offset: Int) {
    self.from = from
    self.to = to
    self.rule = rule
    self.exact = exact
    self.offset = offset
  }
}

/// Text after the repair stage, with the list of repairs that produced it.
public struct RepairedText: Sendable, Equatable {
  public var text: String
  public var repairs: [Repair]

  public init(text: String, repairs: [Repair]) {
    self.text = text
    self.repairs = repairs
  }

  /// Applies `repairs` in order to `original`. Returns nil when a repair's `from` is not where it says, which
  /// means the explanation does not match the text.
  public static func replay(_ repairs: [Repair], on original: String) -> String? {
    var bytes = Array(original.utf8)
    for repair in repairs {
      let from = Array(repair.from.utf8)
      guard repair.offset >= 0, repair.offset + from.count <= bytes.count,
        Array(bytes[repair.offset..<repair.offset + from.count]) == from
      else { return nil }
      bytes.replaceSubrange(repair.offset..<repair.offset + from.count, with: Array(repair.to.utf8))
    }
    return String(validating: bytes, as: UTF8.self)
  }
}

/// What kind of text the repair stage works on.
public enum RepairMode: Sendable {
  /// Text shown to readers: HTML entities left in it are decoded.
  case plainText
  /// HTML source: entities are the parser's job, so only double-escaped ones (`&amp;rsquo;`) are collapsed.
  case markup
}

/// Collects the repairs made on one text. With `keepsDetails` false it only counts them, which is all
/// `medref normalize` without `--explain` needs: no strings are made for repairs nobody reads.
public struct RepairLog: Sendable {
  public let keepsDetails: Bool
  public private(set) var count = 0
  public private(set) var repairs: [Repair] = []
  /// `Ã¥` in UTF-8.
  private static let aTildeYen: [UInt8] = [0xC3, 0x83, 0xC2, 0xA5]
  /// Whether the last repair was `Ã¥` → `å` (a letter and a currency sign, which other code pages read otherwise).
  private(set) var lastEndedWithCurrencySign = false

  public init(keepsDetails: Bool = true) {
    self.keepsDetails = keepsDetails
  }

  /// Forgets the repairs after the first `count` (their changes were undone).
  mutating func truncate(to count: Int) {
    guard count < self.count else { return }
    if keepsDetails { repairs.removeLast(repairs.count - count) }
    self.count = count
  }

  /// Adds the repairs of `other` (made on a part of the text that starts at `shift` in this text).
  mutating func append(_ other: RepairLog, shiftedBy shift: Int) {
    count += other.count
    guard keepsDetails else { return }
    repairs += other.repairs.map { repair in
      var moved = repair
      moved.offset += shift
      return moved
    }
  }

  /// Records that `from` became `to` at `offset` (UTF-8 bytes, see `Repair.offset`).
  @inline(__always)
  mutating func record<From: Collection<UInt8>, To: Collection<UInt8>>(
    from: From, to: To, rule: String, exact: Bool, offset: Int
  ) {
    count += 1
    // `Ã¥`: two characters, the second of them ¢ £ ¤ ¥ (C2 A2–A5), making one two-byte character.
    lastEndedWithCurrencySign =
      to.count == 2 && from.count == 4 && from.first == 0xC3 && from.elementsEqual(Self.aTildeYen)
    guard keepsDetails else { return }
    repairs.append(
      Repair(
        from: String(decoding: from, as: UTF8.self), to: String(decoding: to, as: UTF8.self), rule: rule,
        exact: exact, offset: offset))
  }
}

/// Builds a rewritten copy of a byte array only once something changes: a rule that finds nothing to repair
/// copies nothing.
package struct ByteRewriter {
  let source: [UInt8]
  private(set) var output: [UInt8] = []
  /// Source bytes before this index are already in `output` (once started).
  private var copied = 0
  private(set) var started = false

  init(_ source: [UInt8]) {
    self.source = source
  }

  /// Replaces `source[range]` with `replacement` and returns the offset of the replacement in the output.
  @discardableResult
  mutating func replace<Replacement: Collection<UInt8>>(_ range: Range<Int>, with replacement: Replacement) -> Int {
    flush(upTo: range.lowerBound)
    let offset = output.count
    output.append(contentsOf: replacement)
    copied = range.upperBound
    return offset
  }

  /// Copies the source up to `index` into the output (starting it if needed).
  mutating func flush(upTo index: Int) {
    if !started {
      output.reserveCapacity(source.count + 16)
      started = true
    }
    if index > copied {
      output.append(contentsOf: source[copied..<index])
      copied = index
    }
  }

  /// The rewritten text before source position `index` (the last `limit` bytes of it).
  mutating func context(before index: Int, limit: Int = 12) -> ArraySlice<UInt8> {
    // The source itself holds the last `limit` bytes when nothing was replaced in them.
    guard started, index - copied < limit else { return source[max(0, index - limit)..<index] }
    flush(upTo: index)
    // A copy of those few bytes, not a slice of `output`: a slice kept while the next replacement appends would
    // make that append copy the whole output (copy on write), once per repair — quadratic in the line's length.
    return Array(output.suffix(limit))[...]
  }

  /// The rewritten bytes, or nil when nothing was replaced.
  mutating func finish() -> [UInt8]? {
    guard started else { return nil }
    flush(upTo: source.count)
    return output
  }
}
