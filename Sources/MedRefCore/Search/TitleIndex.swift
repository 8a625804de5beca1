import Foundation
import GRDB

/// What every article's title names, to find the articles a query is about. A title's *condition* is its content
/// words without the words that name a facet of a page rather than its subject (`titleFacetWords` of
/// `Resources/search-words.json`: "Cholera Vaccine", "HIV Symptoms", "Dengue in Children", "Hepatitis B virus
/// infection" are about cholera, HIV, dengue, hepatitis B); a query names an article when it has every word of its
/// condition. A site's name after a separator ("| eHow") is not part of the title. Words are folded as the entity lexicons fold them (plurals, possessives); stop words and what is in
/// parentheses ("Klippel-Trenaunay Syndrome (KTS)") are left out.
struct TitleIndex: Sendable {
  /// Per article: its folded title words, and those of its condition.
  private let foldedWords: [String: (all: Set<String>, condition: [String])]
  /// Per article: the kinds its title's facet words name.
  private let titleKinds: [String: Set<SectionKind>]
  /// Per folded condition word: the articles whose condition has it as its rarest word (a condition is named
  /// only if its rarest word is, so each article is looked at once, under that word).
  private let articles: [String: [String]]
  /// Per article: its condition's words as typed (lower-cased), for a title-column match.
  private let conditionWords: [String: [String]]

  init(_ db: Database) throws {
    var foldedWords: [String: (all: Set<String>, condition: [String])] = [:]
    var conditionWords: [String: [String]] = [:]
    var titleKinds: [String: Set<SectionKind>] = [:]
    var frequency: [String: Int] = [:]
    let stopWords = QueryWords.shared.stopWords
    let facets = TitleFacets.shared.words
    for row in try Row.fetchAll(db, sql: "SELECT id, title FROM documents") {
      let id: String = row[0]
      let title = Self.withoutSiteName(row[1])
      let words = Self.words(title)
      guard !words.isEmpty else { continue }
      // A title of facet words only ("Symptoms") is its own condition.
      var condition = Array(Set(words.filter { !facets.contains($0) }))
      if condition.isEmpty { condition = Array(Set(words)) }
      foldedWords[id] = (Set(words), condition)
      for word in condition { frequency[word, default: 0] += 1 }
      let typed = Query.words(ArraySlice(Self.outsideParentheses(title).utf8)).filter { !stopWords.contains($0) }
      let typedCondition = typed.filter { !facets.contains(TermTokenizer.key($0)) }
      conditionWords[id] = typedCondition.isEmpty ? typed : typedCondition
      let kinds = Set(typed.compactMap { QueryKinds.shared.kind(of: [$0])?.kind })
      if !kinds.isEmpty { titleKinds[id] = kinds }
    }
    var articles: [String: [String]] = [:]
    for (id, words) in foldedWords {
      let rarest = words.condition.min { (frequency[$0] ?? 0, $0) < (frequency[$1] ?? 0, $1) }!
      articles[rarest, default: []].append(id)
    }
    self.foldedWords = foldedWords
    self.articles = articles
    self.conditionWords = conditionWords
    self.titleKinds = titleKinds
  }

  /// How a query names an article.
  struct Naming: Sendable, Equatable {
    /// How many of the title's words the query has (facet words too: "cholera vaccine" names "Cholera Vaccine"
    /// by two).
    var words: Int
    /// Whether it has them all (else only the condition's).
    var whole: Bool
    /// The kinds of section the title's facet words name ("Causes of Dengue": causes; "Cholera Vaccine":
    /// prevention): what the page is about.
    var kinds: Set<SectionKind> = []
  }

  /// The articles whose every condition word is among `queryWords`, with how the query names them.
  func named(by queryWords: Set<String>) -> [String: Naming] {
    let folded = Set(TermTokenizer.key(queryWords.sorted().joined(separator: " ")).split(separator: " ").map(String.init))
    var hits: [String: Naming] = [:]
    for word in folded {
      for id in articles[word] ?? [] {
        guard let words = foldedWords[id], words.condition.allSatisfy(folded.contains) else { continue }
        let count = words.all.filter(folded.contains).count
        hits[id] = Naming(words: count, whole: count == words.all.count, kinds: titleKinds[id] ?? [])
      }
    }
    return hits
  }

  /// The condition words of article `id` as typed, for a title-column match.
  func words(of id: String) -> [String]? { conditionWords[id] }

  /// A page title without the site's name that pages append or prepend after a separator ("Causes of Dengue Fever
  /// | eHow", "Cholera - Health24"): the segment with the most words.
  static func withoutSiteName(_ title: String) -> String {
    var segments = [title]
    for separator in [" | ", " – ", " — ", " - ", " :: ", " · "] {
      segments = segments.flatMap { $0.components(separatedBy: separator) }
    }
    guard segments.count > 1 else { return title }
    return segments.max { $0.split(separator: " ").count < $1.split(separator: " ").count } ?? title
  }

  /// Content words of a title, folded; what is in parentheses left out.
  static func words(_ title: String) -> [String] {
    let stopWords = QueryWords.shared.stopWords
    return TermTokenizer.key(outsideParentheses(title)).split(separator: " ").map(String.init)
      .filter { !stopWords.contains($0) }
  }

  static func outsideParentheses(_ title: String) -> String {
    var depth = 0
    return String(
      title.compactMap { character -> Character? in
        if character == "(" { depth += 1 }
        if character == ")" {
          depth = max(0, depth - 1)
          return " "
        }
        return depth == 0 ? character : " "
      })
  }
}

/// The words of a title that name a facet of a page rather than its subject (`titleFacetWords` of
/// `Resources/search-words.json`), folded.
struct TitleFacets: Sendable {
  let words: Set<String>

  static let shared: TitleFacets = {
    struct File: Decodable { var titleFacetWords: [String] }
    let file = ResourceFile.json("search-words.json", as: File.self)
    return TitleFacets(words: Set(file.titleFacetWords.map { TermTokenizer.key($0) }))
  }()
}
