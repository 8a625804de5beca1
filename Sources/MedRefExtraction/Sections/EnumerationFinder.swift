import Foundation
import MedRefBase

/// Finds the items a sentence enumerates after a cue ("Symptoms include headache, fever and a stiff neck.",
/// "… such as ibuprofen or naproxen"), so that a section's `items` hold them as they hold its list items. Cues and
/// limits are in `Resources/enumeration-cues.json`.
package struct EnumerationFinder: Sendable {
  struct Cues: Sendable, Decodable {
    /// Words or phrases after which a list starts (lower case): `include`, `such as`, `for example`...
    var openers: [String]
    /// Words that join the last item: `and`, `or`.
    var conjunctions: [String]
    /// An item longer than this many words is prose, not a list: the sentence is left alone.
    var maximumItemWords: Int
    /// Fewer items than this is no list.
    var minimumItems: Int
    /// Paragraphs and sentences longer than these (UTF-8 bytes) are not searched.
    var maximumParagraphBytes: Int
    var maximumSentenceBytes: Int
  }

  let cues: Cues
  private let openers: [[String]]
  /// The openers as bytes (words joined by a space).
  private let openerBytes: [[UInt8]]

  static let shared = EnumerationFinder(ResourceFile.json("enumeration-cues.json", as: Cues.self))

  init(_ cues: Cues) {
    self.cues = cues
    openers = cues.openers.map { $0.split(separator: " ").map(String.init) }
    openerBytes = cues.openers.map { Array($0.utf8) }
    canPrefilter = cues.openers.allSatisfy { opener in
      Self.openerMiddles.contains {
        opener.utf8.count >= $0.count && opener.contains(String(decoding: $0, as: UTF8.self))
      }
    }
  }

  /// Whether every opener holds one of `openerMiddles`, so that a text holding none of them holds no opener.
  private let canPrefilter: Bool

  /// The items `text` enumerates, in order; empty when it enumerates nothing.
  func items(in text: String) -> [String] {
    // Enumerating sentences are short: long paragraphs and sentences are not read (they cost time, not items).
    guard text.utf8.count <= cues.maximumParagraphBytes, mayHoldOpener(text) else { return [] }
    var found: [String] = []
    for sentence in Self.sentences(text)
    where sentence.utf8.count <= cues.maximumSentenceBytes && mayHoldOpener(sentence) {
      let words = sentence.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      let lower = words.map { Self.bare($0) }
      // An opener set off by a comma ("A herniated disc, for example, can cause…") introduces no list.
      guard let start = opener(in: lower), !words[start - 1].hasSuffix(",") else { continue }
      var rest = words[start...].joined(separator: " ")
      // A dash ends the list: "…or GLP-1 agonists – may be added".
      for dash in [" – ", " — ", " - "] {
        if let range = rest.range(of: dash) { rest = String(rest[..<range.lowerBound]) }
      }
      rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: " :"))
      while let last = rest.last, ".;!".contains(last) { rest.removeLast() }
      let items = split(rest)
      if items.count >= cues.minimumItems
        && items.allSatisfy({ !$0.isEmpty && $0.split(separator: " ").count <= cues.maximumItemWords })
      {
        found.append(contentsOf: items)
      }
    }
    return found
  }

  /// A word lower-cased, without the punctuation around it ("include:" → "include").
  static func bare(_ word: String) -> String {
    let lower = word.lowercased()
    guard let first = lower.firstIndex(where: \.isLetter), let last = lower.lastIndex(where: \.isLetter) else {
      return ""
    }
    return String(lower[first...last])
  }

  /// A quick test on the bytes: whether the text holds an opener (ASCII, any case).
  private func mayHoldOpener(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      // Most paragraphs hold no opener: a lower-case middle of each ("includ", "ollowing", "uch as", "xample"),
      // found with memchr, rules them out before the openers are searched for in any case.
      guard !canPrefilter || Self.openerMiddles.contains(where: { ByteScan.firstOccurrence(of: $0, in: bytes) != nil })
      else {
        return false
      }
      return openerBytes.contains { ByteScan.firstOccurrence(of: $0, in: bytes, foldingCase: true) != nil }
    }
  }

  /// A lower-case part of every opener of the bundled cues; an opener without one is always searched for.
  private static let openerMiddles = ["nclud", "ollowing", "uch as", "xample"].map { Array($0.utf8) }

  /// The index of the first word after an opener, when the sentence has one.
  private func opener(in words: [String]) -> Int? {
    for index in words.indices {
      for phrase in openers where index + phrase.count < words.count && words[index] == phrase[0] {
        if phrase.indices.allSatisfy({ words[index + $0] == phrase[$0] }) { return index + phrase.count }
      }
    }
    return nil
  }

  /// "a, b, and c" → [a, b, c]; parenthesised asides stay with their item.
  private func split(_ list: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var depth = 0
    for character in list {
      if character == "(" { depth += 1 }
      if character == ")" { depth = max(0, depth - 1) }
      if character == "," && depth == 0 {
        parts.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    // The last part may join two items: "fever and a stiff neck".
    if var last = parts.popLast() {
      last = " " + last.trimmingCharacters(in: .whitespaces)
      var joined = false
      for conjunction in cues.conjunctions {
        if let range = last.range(of: " \(conjunction) ", options: .backwards), range.lowerBound != last.startIndex {
          parts.append(String(last[..<range.lowerBound]))
          parts.append(String(last[range.upperBound...]))
          joined = true
          break
        } else if last.hasPrefix(" \(conjunction) ") {
          parts.append(String(last.dropFirst(conjunction.count + 2)))
          joined = true
          break
        }
      }
      if !joined { parts.append(last) }
    }
    return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// Sentences of a paragraph (split after `.`, `!`, `?` followed by a space, but not after an initial such as the
  /// `E.` of `E. coli`).
  static func sentences(_ text: String) -> [String] {
    // On the UTF-8 bytes: the separators are ASCII, so a split never falls inside a character.
    let utf8 = Array(text.utf8)
    var sentences: [String] = []
    var start = 0
    var index = 1
    while index < utf8.count {
      let previous = utf8[index - 1]
      if utf8[index] == 0x20
        && (previous == UInt8(ascii: ".") || previous == UInt8(ascii: "!") || previous == UInt8(ascii: "?"))
        && !endsWithInitial(utf8, start..<index)
      {
        sentences.append(String(decoding: utf8[start..<index], as: UTF8.self))
        start = index + 1
      }
      index += 1
    }
    if start < utf8.count { sentences.append(String(decoding: utf8[start...], as: UTF8.self)) }
    return sentences
  }

  /// Whether the bytes `range` end with a single ASCII letter and a period (`E.`), as an initial does.
  private static func endsWithInitial(_ utf8: [UInt8], _ range: Range<Int>) -> Bool {
    let count = range.count
    guard count >= 2, utf8[range.upperBound - 1] == UInt8(ascii: ".") else { return false }
    let letter = utf8[range.upperBound - 2] | 0x20
    guard letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z") else { return false }
    return count == 2 || utf8[range.upperBound - 3] == 0x20
  }
}
