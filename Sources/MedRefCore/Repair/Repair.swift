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
