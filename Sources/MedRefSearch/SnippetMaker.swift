import MedRefExtraction

/// Cuts the passage of a section's text shown under a search result: about 24 words where the query's terms are
/// densest, the matching words marked with `Searcher.highlightStart` and `highlightEnd`.
///
/// A word matches when it begins with one of the query's index terms (its Porter stem: "numbness" begins with
/// "numb"; a stem ending in "i" also matches the word with "y": "bodi" – "body"). FTS5's own `snippet()` would
/// cost a full-text lookup per section, about as much as the whole search. When no word matches (the section was
/// found by its title, heading or the normalised name of an entity: "pins and needles" finding "tingling"), the
/// passage is cut around the first entity the query names, else it is the start of the text.
package struct SnippetMaker {
  let terms: [[UInt8]]
  let entityNames: Set<String>
  static let length = 24

  /// The terms by their first byte.
  private let termsByFirstByte: [[[UInt8]]]

  init(terms: Set<String>, entityNames: Set<String>) {
    self.terms = terms.filter { !$0.isEmpty }.map { Array($0.utf8) }
    self.entityNames = entityNames
    var byFirst = [[[UInt8]]](repeating: [], count: 256)
    for term in self.terms { byFirst[Int(term[0])].append(term) }
    termsByFirstByte = byFirst
  }

  /// The passage of `text`; `entities` (the section's, decoded only if no word matched) may place it.
  func snippet(_ text: String, entities: () -> [Entity]) -> String {
    var text = text
    return text.withUTF8 { utf8 in
      // Words: runs of bytes between spaces, tabs and line breaks.
      var starts: [Int] = []
      var ends: [Int] = []
      var index = 0
      while index < utf8.count {
        while index < utf8.count && Self.isSpace(utf8[index]) { index += 1 }
        guard index < utf8.count else { break }
        let start = index
        while index < utf8.count && !Self.isSpace(utf8[index]) { index += 1 }
        starts.append(start)
        ends.append(index)
      }
      guard !starts.isEmpty else { return "" }
      let marks = starts.indices.map { matches(utf8, starts[$0], ends[$0]) }
      if !marks.contains(true), !entityNames.isEmpty,
        let entity = entities().first(where: { entity in
          entityNames.contains(entity.normalized?.lowercased() ?? "") || entity.hpo.map(entityNames.contains) == true
        })
      {
        return Self.passage(String(decoding: utf8, as: UTF8.self), around: entity.start..<entity.end)
      }
      // The window of `length` words with the most matches (the earliest of equals).
      var best = 0
      var bestCount = -1
      var count = 0
      for index in marks.indices {
        if marks[index] { count += 1 }
        if index >= Self.length, marks[index - Self.length] { count -= 1 }
        if index >= Self.length - 1 || index == marks.count - 1, count > bestCount {
          bestCount = count
          best = max(0, index - Self.length + 1)
        }
      }
      let end = min(marks.count, best + Self.length)
      var out: [UInt8] = best > 0 ? Array("…".utf8) : []
      out.reserveCapacity(256)
      for index in best..<end {
        if index > best { out.append(0x20) }
        let word = UnsafeBufferPointer(rebasing: utf8[starts[index]..<ends[index]])
        if marks[index] { out += Self.marked(word) } else { out += word }
      }
      if end < marks.count { out += Array("…".utf8) }
      return String(decoding: out, as: UTF8.self)
    }
  }

  private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }

  /// Letters and digits: ASCII ones, and any byte of a non-ASCII character.
  private static func isWordByte(_ byte: UInt8) -> Bool {
    byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
  }

  private static let startMark = Array(Searcher.highlightStart.utf8)
  private static let endMark = Array(Searcher.highlightEnd.utf8)

  /// The word with its letters and digits marked, punctuation around it left outside ("[numbness],").
  private static func marked(_ word: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    guard let first = word.firstIndex(where: isWordByte), let last = word.lastIndex(where: isWordByte) else {
      return Array(word)
    }
    return Array(word[..<first]) + startMark + Array(word[first...last]) + endMark + Array(word[(last + 1)...])
  }

  /// Whether a word of the text starts with one of the terms (any part of it split at inner punctuation, as FTS5
  /// splits "x-ray" and "don't"); ASCII letters compared without case.
  private func matches(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    guard !terms.isEmpty, !Self.isRespelling(utf8, start, end) else { return false }
    var partStart = start
    var index = start
    while index <= end {
      if index == end || !Self.isWordByte(utf8[index]) {
        if index > partStart && matchesPart(utf8, partStart, index) { return true }
        partStart = index + 1
      }
      index += 1
    }
    return false
  }

  /// Whether a word is a pronunciation respelling, "(bron-KOS-ko-pee)", "pee-TEE-kee-ee": three or more short
  /// syllables joined by hyphens, one of them in capitals. Its syllables are not words ("pee" in it is not the
  /// "pee" of a query).
  static func isRespelling(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    var syllables = 0
    var length = 0
    var upper = 0
    var capitalSyllable = false
    var index = start
    while index <= end {
      let byte = index < end ? utf8[index] : 0x2D
      if byte == 0x2D {
        guard length > 0, length <= 5 else { return false }
        if upper == length && length >= 2 { capitalSyllable = true }
        syllables += 1
        length = 0
        upper = 0
      } else if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A {
        length += 1
        if byte <= 0x5A { upper += 1 }
      } else if index == start || index == end - 1 || !(byte == 0x28 || byte == 0x29 || byte == 0x2C || byte == 0x2E) {
        // Brackets and punctuation only around the word.
        if !(byte == 0x28 || byte == 0x29 || byte == 0x2C || byte == 0x2E || byte == 0x3B) { return false }
      }
      index += 1
    }
    return syllables >= 3 && capitalSyllable
  }

  private func matchesPart(_ utf8: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
    let count = end - start
    var first = utf8[start]
    if first >= 0x41 && first <= 0x5A { first |= 0x20 }
    for term in termsByFirstByte[Int(first)] where count >= term.count {
      var equal = true
      for offset in 0..<term.count {
        var byte = utf8[start + offset]
        if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
        if byte != term[offset] {
          // Porter's y → i: "bodi" for "body".
          if !(offset == term.count - 1 && term[offset] == UInt8(ascii: "i") && byte == UInt8(ascii: "y")
            && count == term.count)
          {
            equal = false
          }
          break
        }
      }
      if equal { return true }
    }
    return false
  }

  /// About 24 words of `text` around the UTF-8 range `range`, which is marked.
  static func passage(_ text: String, around range: Range<Int>) -> String {
    let utf8 = Array(text.utf8)
    guard range.upperBound <= utf8.count else { return text }
    func words(_ bytes: ArraySlice<UInt8>) -> [Substring] {
      String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    }
    let before = words(utf8[..<range.lowerBound])
    let after = words(utf8[range.upperBound...])
    let match = String(decoding: utf8[range], as: UTF8.self)
    let leading = before.suffix(10).joined(separator: " ")
    let trailing = after.prefix(12).joined(separator: " ")
    let joinBefore = range.lowerBound > 0 && utf8[range.lowerBound - 1] != 0x20 && !leading.isEmpty ? "" : " "
    let joinAfter = range.upperBound < utf8.count && utf8[range.upperBound] != 0x20 ? "" : " "
    return (before.count > 10 ? "…" : "") + leading + (leading.isEmpty ? "" : joinBefore) + Searcher.highlightStart
      + match + Searcher.highlightEnd + (trailing.isEmpty ? "" : joinAfter + trailing) + (after.count > 12 ? "…" : "")
  }
}
