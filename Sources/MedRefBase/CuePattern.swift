/// A cue of MedRef's lexicons as written there: words that must stand in a row, the last one also as the start of a
/// word when the cue ends with `*` ("treat*" is "treat", "treatment", "treating"), and only at the start of the
/// text when it begins with `^`. The heading lexicon, the content cues and the query's kind words are all read and
/// matched by this one type.
package struct CuePattern: Sendable, Equatable {
  /// The cue's words, without its `^` and `*`.
  package var words: [String]
  /// The last word also matches words it starts (`*`).
  package var prefix: Bool
  /// The cue matches only at the start (`^`).
  package var anchored: Bool

  /// A pattern of `words`.
  package init(words: [String], prefix: Bool, anchored: Bool) {
    self.words = words
    self.prefix = prefix
    self.anchored = anchored
  }

  /// The pattern written `term`; with `anchors: false` a leading `^` is a character like another.
  package init(_ term: String, anchors: Bool = true) {
    anchored = anchors && term.hasPrefix("^")
    var body = anchored ? String(term.dropFirst()) : term
    prefix = body.hasSuffix("*")
    if prefix { body.removeLast() }
    words = body.split(separator: " ").map(String.init)
  }

  /// Whether `word` matches the cue's word at `offset`: the same word, or, for the last word of a prefix cue, a
  /// word it starts.
  @inlinable @inline(__always)
  package func word(_ offset: Int, matches word: String) -> Bool {
    word == words[offset] || (prefix && offset == words.count - 1 && word.hasPrefix(words[offset]))
  }

  /// Whether the cue's words stand in `text` from `start` on.
  @inlinable
  package func matches(_ text: [String], at start: Int) -> Bool {
    guard start >= 0, start + words.count <= text.count, !words.isEmpty else { return false }
    for offset in words.indices where !word(offset, matches: text[start + offset]) { return false }
    return true
  }

  /// The first place in `text` where the cue's words stand (only the start for an anchored cue), or nil.
  package func firstMatch(in text: [String]) -> Int? {
    guard !words.isEmpty, text.count >= words.count else { return nil }
    for start in 0...(anchored ? 0 : text.count - words.count) where matches(text, at: start) { return start }
    return nil
  }
}
