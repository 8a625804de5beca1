import Foundation
import MedRefIndex

/// Finds the word of the index a misspelt query word most likely meant ("numbnes" → "numbness").
///
/// The index's vocabulary (`search_vocabulary`, counted from FTS5's vocabulary) holds Porter stems ("numb" for
/// "numbness"), so a stem is compared with the misspelling as itself and with common endings added
/// (`suggestionSuffixes` in `search-words.json`: "numb" + "ness"), by edit distance with transpositions (at most 1
/// for words of up to 4 letters, 2 for longer ones). The closest stem wins, then the one in most sections; the word
/// suggested is the form of it the articles' text uses nearest to what was typed.
package struct SpellingSuggester {
  /// The vocabulary by first letter: each term's bytes and how many sections hold it.
  struct Vocabulary: Sendable {
    /// Terms by first letter, then by length (up to `maximumLength`).
    var buckets: [[[(term: [UInt8], sections: Int, letters: LetterCounts)]]] = Array(
      repeating: Array(repeating: [], count: maximumLength + 1), count: 26)
    static let maximumLength = 40
  }

  let vocabulary: Vocabulary

  /// Every term of `search_vocabulary` of letters only (no numbers or HPO ids), two letters or more, by first
  /// letter.
  static func vocabulary(_ reader: IndexReader) throws -> Vocabulary {
    var vocabulary = Vocabulary()
    try reader.forEachTerm { term, sections in
      let bytes = Array(term.utf8)
      guard bytes.count >= 2, bytes.count <= Vocabulary.maximumLength, bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A })
      else { return }
      vocabulary.buckets[Int(bytes[0] - 0x61)][bytes.count].append((bytes, sections, LetterCounts(bytes)))
    }
    return vocabulary
  }

  /// The suggestion for `word`, or nil when nothing is close enough. Only terms with the same first letter are
  /// tried (misspellings rarely start wrong, and it keeps a suggestion under a millisecond).
  func suggestion(for word: String, reader: IndexReader) throws -> String? {
    let typed = Array(word.lowercased().utf8)
    guard typed.count >= 4, typed.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
    let limit = typed.count <= 4 ? 1 : 2
    let suffixes = QueryWords.shared.suggestionSuffixes.map { Array($0.utf8) }
    var best: (distance: Int, sections: Int, stem: [UInt8], suffix: [UInt8])?
    var scratch = DistanceScratch(capacity: typed.count + 16)
    let typedLetters = LetterCounts(typed)
    let suffixLetters = suffixes.map(LetterCounts.init)
    let byLength = vocabulary.buckets[Int(typed[0] - 0x61)]
    for (suffix, letters) in zip(suffixes, suffixLetters) {
      // Only stems whose length with this ending is within the limit of the typed word's.
      let shortest = max(1, typed.count - suffix.count - limit)
      let longest = min(Vocabulary.maximumLength, typed.count - suffix.count + limit)
      guard shortest <= longest else { continue }
      for length in shortest...longest {
        for (stem, sections, stemLetters) in byLength[length] {
          // Each edit changes the letter counts by at most two: a cheap test that rules out most terms.
          guard typedLetters.difference(stemLetters, letters) <= 2 * limit else { continue }
          guard let distance = scratch.distance(typed, stem, suffix, limit: limit) else { continue }
          if best == nil || distance < best!.distance || (distance == best!.distance && sections > best!.sections) {
            best = (distance, sections, stem, suffix)
          }
        }
      }
    }
    guard let best, best.distance > 0 else { return nil }
    // The form the articles use: the marked words of a few sections holding the stem, nearest to what was typed
    // ("numbness", not "numbes", for "numbnes"); else the stem with the ending that made it closest.
    // Headings and item/entity terms are short: looked at first; the text (slow to mark up) only if they lack it.
    let stem = String(decoding: best.stem, as: UTF8.self)
    var rows = try reader.marked([.heading, .terms], matching: .columns([.heading, .terms], .word(stem)), limit: 3)
    if rows.isEmpty {
      rows = try reader.marked([.text], matching: .column(.text, .word(stem)), limit: 1)
    }
    var nearest: (form: String, distance: Int)?
    for text in rows {
      var rest = Substring(text)
      while let open = rest.firstIndex(of: IndexReader.markStart),
        let close = rest[open...].firstIndex(of: IndexReader.markEnd)
      {
        let form = rest[rest.index(after: open)..<close].lowercased()
        rest = rest[rest.index(after: close)...]
        guard form.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }),
          let distance = scratch.distance(typed, Array(form.utf8), [], limit: 4)
        else { continue }
        if nearest == nil || distance < nearest!.distance { nearest = (form, distance) }
      }
    }
    return nearest?.form ?? String(decoding: best.stem + best.suffix, as: UTF8.self)
  }

  /// The edit distance of `a` and `b` counting a transposition of neighbours as one edit.
  static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int? {
    var scratch = DistanceScratch(capacity: max(a.count, b.count) + 1)
    return scratch.distance(a, b, [], limit: limit)
  }
}

/// Rows reused by the edit-distance computation (optimal string alignment: insertions, deletions, substitutions
/// and transpositions of neighbours), so that trying thousands of terms allocates nothing. Only the band of cells
/// within `limit` of the diagonal is computed (Ukkonen): cells outside it exceed the limit anyway.
package struct DistanceScratch {
  private var rows: [Int]
  private var candidate: [UInt8]
  private var width: Int

  init(capacity: Int) {
    width = capacity + 2
    rows = Array(repeating: 0, count: 3 * width)
    candidate = Array(repeating: 0, count: capacity + 1)
  }

  /// The distance of `a` and `head + tail` (the candidate, without joining it), or nil when it exceeds `limit`.
  mutating func distance(_ a: [UInt8], _ head: [UInt8], _ tail: [UInt8], limit: Int) -> Int? {
    let count = head.count + tail.count
    if abs(a.count - count) > limit { return nil }
    if width < max(count, a.count) + 2 { self = DistanceScratch(capacity: max(count, a.count) + 8) }
    let width = self.width
    let infinity = limit + 1
    return candidate.withUnsafeMutableBufferPointer { b in
      for index in 0..<head.count { b[index] = head[index] }
      for index in 0..<tail.count { b[head.count + index] = tail[index] }
      return rows.withUnsafeMutableBufferPointer { rows in
        a.withUnsafeBufferPointer { a in
          var previous2 = 0
          var previous = width
          var current = 2 * width
          for j in 0...count { rows[previous + j] = j <= limit ? j : infinity }
          guard a.count > 0 else { return count <= limit ? count : nil }
          for i in 1...a.count {
            let low = max(1, i - limit)
            let high = min(count, i + limit)
            rows[current] = i <= limit ? i : infinity
            if low > 1 { rows[current + low - 1] = infinity }
            var rowMinimum = rows[current]
            if low <= high {
              for j in low...high {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                  value = min(value, rows[previous2 + j - 2] + 1)
                }
                rows[current + j] = min(value, infinity)
                rowMinimum = min(rowMinimum, value)
              }
            }
            if high < count { rows[current + high + 1] = infinity }
            if rowMinimum > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
          }
          let result = rows[previous + count]
          return result <= limit ? result : nil
        }
      }
    }
  }
}

/// Which letters a–z occur in a word, as bits: an edit adds or removes at most two letters, so words whose sets
/// differ in more than twice the allowed edits are too far apart to compare letter by letter.
package struct LetterCounts: Sendable {
  let mask: UInt32

  init(_ word: [UInt8]) {
    var mask: UInt32 = 0
    for byte in word where byte >= 0x61 && byte <= 0x7A { mask |= 1 << UInt32(byte - 0x61) }
    self.mask = mask
  }

  /// How many letters are in one of `self` and `a + b` but not in the other.
  @inline(__always)
  func difference(_ a: LetterCounts, _ b: LetterCounts) -> Int {
    (mask ^ (a.mask | b.mask)).nonzeroBitCount
  }
}
