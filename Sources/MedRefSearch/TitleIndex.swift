import Foundation
import MedRefBase
import MedRefExtraction
import MedRefIndex

/// What every article's title names, to find the articles a query is about. A title's *condition* is its content
/// words without the words that name a facet of a page rather than its subject (`titleFacetWords` of
/// `Resources/search-words.json`: "Cholera Vaccine", "HIV Symptoms", "Dengue in Children", "Hepatitis B virus
/// infection" are about cholera, HIV, dengue, hepatitis B); a query names an article when it has every word of its
/// condition. Each part of a title between separators names the page ("Causes of Dengue Fever | eHow"). Words are
/// folded as the entity lexicons fold them (plurals, possessives); stop words and what is in parentheses
/// ("Klippel-Trenaunay Syndrome (KTS)") are left out.
package struct TitleIndex: Sendable {
  /// One part of a title (`segments(_:)`).
  private struct Part: Sendable {
    var article: String
    /// Its folded content words, and those of its condition.
    var words: Set<String>
    var condition: [String]
    /// Its condition's words as typed (lower-cased), for a title-column match.
    var typedCondition: [String]
    /// The kinds of section its facet words name.
    var kinds: Set<SectionKind>
  }

  private let parts: [Part]
  /// Per condition of two or three words written as one ("small pox" as `smallpox`, folded): the parts with it.
  private let byJoinedWords: [String: [Int]]
  /// Per folded condition word: the parts whose condition has it as its rarest word (a condition is named only if
  /// its rarest word is, so each part is looked at once, under that word).
  private let byRarestWord: [String: [Int]]

  init(_ reader: IndexReader) throws {
    var parts: [Part] = []
    var frequency: [String: Int] = [:]
    let stopWords = QueryWords.shared.stopWords
    let facets = TitleFacets.shared.words
    // The kind a facet word names ("causes": causes), each word looked up once.
    var facetKinds: [String: SectionKind?] = [:]
    func kindOfFacet(_ word: String) -> SectionKind? {
      if let known = facetKinds[word] { return known }
      let kind = facets.contains(TermTokenizer.key(word)) ? QueryKinds.shared.kind(of: [word])?.kind : nil
      facetKinds[word] = kind
      return kind
    }
    for (id, title) in try reader.titles() {
      let segments = Self.segments(Self.outsideParentheses(title))
      for segment in segments {
        let words = Self.words(segment)
        guard !words.isEmpty else { continue }
        // A title of facet words only ("Symptoms") is its own condition; a part of one ("My Baby: Measles", "Flu
        // Tests: The Test") names nothing.
        var condition = Array(Set(words.filter { !facets.contains($0) }))
        if condition.isEmpty && segments.count > 1 { continue }
        if condition.isEmpty { condition = Array(Set(words)) }
        for word in condition { frequency[word, default: 0] += 1 }
        let typed = Query.words(ArraySlice(segment.utf8)).filter { !stopWords.contains($0) }
        let typedCondition = typed.filter { !facets.contains(TermTokenizer.key($0)) }
        parts.append(
          Part(
            article: id, words: Set(words), condition: condition,
            typedCondition: typedCondition.isEmpty ? typed : typedCondition,
            kinds: Set(typed.compactMap { word in kindOfFacet(word) })))
      }
    }
    var byRarestWord: [String: [Int]] = [:]
    var byJoinedWords: [String: [Int]] = [:]
    for (index, part) in parts.enumerated() {
      let rarest = part.condition.min { (frequency[$0] ?? 0, $0) < (frequency[$1] ?? 0, $1) }!
      byRarestWord[rarest, default: []].append(index)
      if (2...3).contains(part.typedCondition.count) {
        byJoinedWords[TermTokenizer.key(part.typedCondition.joined()), default: []].append(index)
      }
    }
    self.parts = parts
    self.byRarestWord = byRarestWord
    self.byJoinedWords = byJoinedWords
  }

  /// How a query names an article.
  struct Naming: Sendable, Equatable {
    /// How many of the title part's words the query has (facet words too: "cholera vaccine" names "Cholera
    /// Vaccine" by two).
    var words: Int
    /// Whether it has them all (else only the condition's).
    var whole: Bool
    /// The kinds of section the part's facet words name ("Causes of Dengue": causes; "Cholera Vaccine":
    /// prevention): what the page is about.
    var kinds: Set<SectionKind> = []
    /// The condition's words as typed, for a title-column match.
    var typedCondition: [String] = []
  }

  /// The articles with a title part whose every condition word is among `queryWords`, with how the query names
  /// them (by the part it names best).
  func named(by queryWords: Set<String>) -> [String: Naming] {
    let folded = Set(
      TermTokenizer.key(queryWords.sorted().joined(separator: " ")).split(separator: " ").map(String.init))
    var hits: [String: Naming] = [:]
    for word in folded {
      // A condition is named by all its words, or by them written as one ("smallpox" names "Small Pox").
      let joined = Set(byJoinedWords[word] ?? [])
      for index in (byRarestWord[word] ?? []) + joined.sorted() {
        let part = parts[index]
        let asOne = joined.contains(index)
        guard asOne || part.condition.allSatisfy(folded.contains) else { continue }
        let count = part.words.filter(folded.contains).count + (asOne ? part.condition.count : 0)
        let naming = Naming(
          words: count, whole: count == part.words.count, kinds: part.kinds, typedCondition: part.typedCondition)
        if let known = hits[part.article],
          (known.whole ? 1 : 0, known.words) >= (naming.whole ? 1 : 0, naming.words)
        {
          continue
        }
        hits[part.article] = naming
      }
    }
    return hits
  }

  /// The parts of a page title between separators: a site's name appended or prepended ("Causes of Dengue Fever
  /// | eHow", "Cholera - Health24") and a series' name before a colon ("A Look at Each Vaccine: Cholera Vaccine")
  /// are parts of their own, and each part names the page.
  static func segments(_ title: String) -> [String] {
    // Byte by byte: Foundation's `components(separatedBy:)` made this most of a process's first search.
    let separators: [[UInt8]] = [" | ", " – ", " — ", " - ", " :: ", " · ", ": "].map { Array($0.utf8) }
    let utf8 = Array(title.utf8)
    var segments: [String] = []
    var start = 0
    var index = 0
    search: while index < utf8.count {
      if utf8[index] == 0x20 || utf8[index] == 0x3A {
        for separator in separators where utf8[index...].starts(with: separator) {
          segments.append(String(decoding: utf8[start..<index], as: UTF8.self))
          index += separator.count
          start = index
          continue search
        }
      }
      index += 1
    }
    segments.append(String(decoding: utf8[start...], as: UTF8.self))
    return segments
  }

  /// Content words of a title part (parentheses already left out), folded.
  static func words(_ part: String) -> [String] {
    let stopWords = QueryWords.shared.stopWords
    return TermTokenizer.key(part).split(separator: " ").map(String.init).filter { !stopWords.contains($0) }
  }

  static func outsideParentheses(_ title: String) -> String {
    guard title.utf8.contains(UInt8(ascii: "(")) || title.utf8.contains(UInt8(ascii: ")")) else { return title }
    var depth = 0
    var bytes: [UInt8] = []
    bytes.reserveCapacity(title.utf8.count)
    for byte in title.utf8 {
      if byte == UInt8(ascii: "(") { depth += 1 }
      if byte == UInt8(ascii: ")") {
        depth = max(0, depth - 1)
        bytes.append(0x20)
        continue
      }
      // Bytes inside are spaces: a multi-byte character inside becomes several, which split nothing apart.
      bytes.append(depth == 0 ? byte : 0x20)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// The words of a title that name a facet of a page rather than its subject (`titleFacetWords` of
/// `Resources/search-words.json`), folded.
package struct TitleFacets: Sendable {
  let words: Set<String>

  static let shared: TitleFacets = {
    struct File: Decodable { var titleFacetWords: [String] }
    let file = ResourceFile.json("search-words.json", as: File.self)
    return TitleFacets(words: Set(file.titleFacetWords.map { TermTokenizer.key($0) }))
  }()
}
