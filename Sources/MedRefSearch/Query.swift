import Foundation
import MedRefBase
import MedRefExtraction

/// A user's search text, read: words, quoted phrases, `word*` prefixes, `-word` exclusions and `kind:term`
/// filters. Nothing of the text reaches SQLite as syntax: `SearchPlan` quotes every word it hands to FTS5.
public struct Query: Sendable, Equatable {
  /// One word, phrase or prefix of the query.
  public struct Term: Sendable, Equatable {
    /// The lower-cased words: one for a word or prefix, several for a phrase. A word may keep inner apostrophes
    /// and hyphens (`don't`, `x-ray`); FTS5 indexes those as several tokens.
    public var words: [String]
    /// Matches any word starting with the (single) word.
    public var prefix = false
    /// Written in quotes: kept as written, never dropped as a stop word or rewritten.
    public var quoted = false
    /// `-word`: results must not contain it.
    public var excluded = false
    /// Where the term stands in the query text (UTF-8 offsets), to line it up with the entities found there.
    public var range: Range<Int>

    /// A plain word: no quotes, no prefix, not excluded.
    var isPlainWord: Bool { !quoted && !prefix && !excluded && words.count == 1 }
  }

  /// The text as typed.
  public let typed: String
  /// The text as read: `typed` after `Query.normalized(_:)` (NFKC, no U+FFFD or control characters). Term ranges
  /// refer to it.
  public let text: String
  public var terms: [Term]
  /// Section kinds named with `kind:term` (the term itself is one of `terms`).
  public var kinds: [SectionKind]

  /// Reads `typed`, normalised first (`Query.normalized(_:)`).
  /// - Throws: `MedRefError.unusableQuery` when it has no word to search for (only punctuation or operators, or
  ///   only exclusions).
  public init(_ typed: String) throws {
    self.typed = typed
    let text = Self.normalized(typed)
    self.text = text
    var terms: [Term] = []
    var kinds: [SectionKind] = []
    let utf8 = Array(text.utf8)
    var index = 0
    // Whether the next term is excluded (a `-` at the start of a token), and the kind a `kind:` prefix named.
    var excluded = false
    var kind: SectionKind?
    while index < utf8.count {
      let byte = utf8[index]
      if byte == UInt8(ascii: "\"") {
        let start = index + 1
        var end = start
        while end < utf8.count && utf8[end] != UInt8(ascii: "\"") { end += 1 }
        let words = Self.words(utf8[start..<end])
        if !words.isEmpty {
          terms.append(Term(words: words, quoted: true, excluded: excluded, range: start..<end))
          if let kind { kinds.append(kind) }
        }
        excluded = false
        kind = nil
        index = min(end + 1, utf8.count)
        continue
      }
      if byte == UInt8(ascii: "-")
        && (index == 0 || Self.isSpace(utf8[index - 1]) || utf8[index - 1] == UInt8(ascii: "("))
      {
        excluded = true
        index += 1
        continue
      }
      if Self.isWordByte(utf8, index) {
        let start = index
        let end = Self.wordEnd(utf8, from: start)
        var word = String(decoding: utf8[start..<end], as: UTF8.self).lowercased()
          .replacingOccurrences(of: "\u{2019}", with: "'")
        index = end
        // `kind:` before a term filters by section kind.
        if index < utf8.count && utf8[index] == UInt8(ascii: ":"), let named = Self.kind(named: word) {
          kind = named
          index += 1
          continue
        }
        var prefix = false
        if index < utf8.count && utf8[index] == UInt8(ascii: "*") {
          prefix = true
          index += 1
        }
        if word.hasSuffix("'") { word.removeLast() }
        terms.append(Term(words: [word], prefix: prefix, excluded: excluded, range: start..<end))
        if let kind { kinds.append(kind) }
        excluded = false
        kind = nil
        continue
      }
      // Any other character separates terms and cancels a dangling `-` or `kind:`.
      excluded = false
      kind = nil
      index += Self.characterLength(byte)
    }
    guard terms.contains(where: { !$0.excluded }) else {
      throw MedRefError.unusableQuery(
        query: typed,
        reason: terms.isEmpty
          ? "nothing to search for; type some words" : "only exclusions; say what to search for as well")
    }
    self.terms = terms
    self.kinds = kinds
  }

  /// Where the word starting at `start` of `utf8` ends: word characters, with an apostrophe or hyphen between two
  /// of them (`don't`, `x-ray`) and a `’` before one.
  private static func wordEnd(_ utf8: [UInt8], from start: Int) -> Int {
    var end = start
    while end < utf8.count {
      if Self.isWordByte(utf8, end) {
        end += Self.characterLength(utf8[end])
      } else if (utf8[end] == UInt8(ascii: "'") || utf8[end] == UInt8(ascii: "-")) && end + 1 < utf8.count
        && Self.isWordByte(utf8, end + 1) && end > start
      {
        end += 1
      } else if utf8[end] == 0xE2 && end + 3 < utf8.count && utf8[end + 1] == 0x80 && utf8[end + 2] == 0x99
        && Self.isWordByte(utf8, end + 3)
      {
        end += 3  // ’ inside a word
      } else {
        break
      }
    }
    return end
  }

  /// A query's text as it is read: NFKC (so `ﬁ` is `fi` and full-width `Ｆｅｖｅｒ` is `Fever`, as the index's
  /// repaired text has them), with every replacement character U+FFFD (what is left of bytes that were not UTF-8,
  /// or of a broken percent-escape such as `%E0%A4`), control character, private-use character (the snippet
  /// highlight marks among them) and noncharacter turned into a space: the rest of the query is literal text, and
  /// none of those ever reaches FTS5.
  public static func normalized(_ text: String) -> String {
    // Printable ASCII needs nothing (NFKC leaves it alone).
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
    var scalars = String.UnicodeScalarView()
    for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars {
      scalars.append(isDropped(scalar) ? " " : scalar)
    }
    return String(scalars)
  }

  /// Whether `scalar` is one that `normalized(_:)` turns into a space.
  static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .privateUse, .surrogate: return true
    default: return scalar == "\u{FFFD}" || scalar.properties.isNoncharacterCodePoint
    }
  }

  /// The words of a quoted part, as `WordScanner` reads them.
  static func words(_ bytes: ArraySlice<UInt8>) -> [String] { WordScanner.words(utf8: bytes) }

  /// A section kind by its name or one of `QueryWords.kindNames` (`diagnosis:` → tests).
  static func kind(named word: String) -> SectionKind? {
    SectionKind(rawValue: word.replacingOccurrences(of: "-", with: "_"))
      ?? QueryWords.shared.kindNames[word].flatMap(SectionKind.init(rawValue:))
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// Whether a word character starts at `index` (an ASCII letter or digit, or `WordScanner.isWordCharacter`).
  private static func isWordByte(_ utf8: [UInt8], _ index: Int) -> Bool {
    let byte = utf8[index]
    if byte < 0x80 {
      return (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }
    return utf8.withUnsafeBufferPointer { TermTokenizer.nonASCIIWordCharacter($0, at: index).0 }
  }

  /// The length of the character starting with `lead` (a Swift string's bytes: always well-formed UTF-8).
  private static func characterLength(_ lead: UInt8) -> Int { max(1, UTF8Scanner.sequenceLength(lead: lead)) }
}

/// The word lists of `Resources/search-words.json`.
package struct QueryWords: Sendable {
  struct File: Decodable {
    var stopWords: [String]
    var contractions: [String]
    var kindNames: [String: String]
    var suggestionSuffixes: [String]
  }

  let stopWords: Set<String>
  /// Contractions by their form without the apostrophe (`dont` → `don't`).
  let contractions: [String: String]
  let kindNames: [String: String]
  let suggestionSuffixes: [String]

  static let shared: QueryWords = {
    let file = ResourceFile.json("search-words.json", as: File.self)
    var stopWords = Set(file.stopWords)
    // A stop word with an apostrophe is a stop word without it too ("dont").
    for word in file.stopWords where word.contains("'") {
      stopWords.insert(word.replacingOccurrences(of: "'", with: ""))
    }
    return QueryWords(
      stopWords: stopWords,
      contractions: Dictionary(
        file.contractions.map { ($0.replacingOccurrences(of: "'", with: ""), $0) }, uniquingKeysWith: { a, _ in a }),
      kindNames: file.kindNames, suggestionSuffixes: file.suggestionSuffixes)
  }()
}
