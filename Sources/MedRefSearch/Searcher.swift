import Foundation
import MedRefBase
import MedRefExtraction
import MedRefIndex

/// A search request.
public struct SearchRequest: Sendable {
  public var text: String
  /// Only sections of these kinds; empty for all.
  public var kinds: [SectionKind]
  public var limit: Int
  public var offset: Int
  /// Most sections shown per article.
  public var sectionsPerArticle: Int
  /// Whether to count the matching articles per section kind (`SearchResponse.facets`).
  public var facets: Bool
  /// Bounds on the work of the search: terms, prefixes, time.
  public var limits: SearchLimits

  /// A request; `limit` is cut to 0…`SearchLimits.results`, `offset` to 0…`SearchLimits.offset` and
  /// `sectionsPerArticle` to 0…100 when the search runs.
  public init(
    text: String, kinds: [SectionKind] = [], limit: Int = 10, offset: Int = 0, sectionsPerArticle: Int = 3,
    facets: Bool = false, limits: SearchLimits = SearchLimits()
  ) {
    self.text = text
    self.kinds = kinds
    self.limit = limit
    self.offset = offset
    self.sectionsPerArticle = sectionsPerArticle
    self.facets = facets
    self.limits = limits
  }
}

/// Search results in the contract's shape: articles, best first, each with its best matching sections.
public struct SearchResponse: Sendable, Codable, Equatable {
  public struct SectionHit: Sendable, Codable, Equatable {
    public var heading: String
    public var kind: SectionKind
    /// The matching passage; matched words between `Searcher.highlightStart` and `Searcher.highlightEnd`.
    public var snippet: String
    public var score: Double
  }

  public struct ArticleHit: Sendable, Codable, Equatable {
    public var id: String
    public var path: String
    public var title: String
    public var score: Double
    /// How an article matched; articles come in this order, by score within each.
    public enum Match: String, Sendable, Codable, Equatable {
      /// The whole query as written.
      case phrase
      /// Every term.
      case all
      /// Some terms, after every term found too little (named apart from `Optional.some`; "some" in JSON).
      case someTerms = "some"

      /// The match of an article found by the plan's `tier`.
      init(_ tier: SearchPlan.Tier) {
        switch tier {
        case .phrase: self = .phrase
        case .all: self = .all
        case .any: self = .someTerms
        }
      }
    }

    /// How the article matched.
    public var match: Match
    public var sections: [SectionHit]
    /// For a query naming several symptoms: those the article names, as the query has them ("itching", "red
    /// eyes"), in the query's order. Absent otherwise.
    public var symptoms: [String]?
  }

  public var query: String
  /// How the query was read: its terms with their alternatives, the words naming a kind, exclusions, filters.
  public var interpreted: String
  /// The query with misspelt words replaced by words of the index ("numbnes" → "numbness"); empty when every
  /// word is known.
  public var suggestions: [String]
  /// Articles that match in all.
  public var total: Int
  public var results: [ArticleHit]
  /// When asked for (`SearchRequest.facets`): per section kind, how many articles have a section of that kind
  /// matching the query, whatever the kind filter (so that each kind can be offered as a filter with its count).
  /// Counted for the broadest tier the search used. Absent from the JSON otherwise.
  public var facets: [String: Int]?

  public init(
    query: String, interpreted: String, suggestions: [String], total: Int, results: [ArticleHit],
    facets: [String: Int]? = nil
  ) {
    self.query = query
    self.interpreted = interpreted
    self.suggestions = suggestions
    self.total = total
    self.results = results
    self.facets = facets
  }

  /// The response with snippet highlights written `[word]`, as `medref search --json` and `/api/search` give
  /// them.
  public func bracketed() -> SearchResponse {
    var copy = self
    for a in copy.results.indices {
      for s in copy.results[a].sections.indices {
        copy.results[a].sections[s].snippet = copy.results[a].sections[s].snippet
          .replacingOccurrences(of: Searcher.highlightStart, with: "[")
          .replacingOccurrences(of: Searcher.highlightEnd, with: "]")
      }
    }
    return copy
  }
}

/// Searches the index. A query is read by `Query` and planned by `SearchPlan`, then run in tiers until enough
/// articles are found: the whole query as a phrase, then every term (each with its alternatives: contractions,
/// the normalised names of the symptoms, tests and drugs it names, spelling suggestions), then any term. Within a
/// tier, sections rank by bm25 over title, heading, terms (items and entity names) and text, weighted as
/// `search-words.json` says, times a boost when a section is of the kind the query asks about; an article ranks by
/// its best section plus a share of its next two. Results are grouped by article with their best sections.
public struct Searcher: Sendable {
  /// Marks around matched words in snippets (private-use characters, so they never clash with article text).
  public static let highlightStart = "\u{E000}"
  public static let highlightEnd = "\u{E001}"

  public let store: IndexStore
  /// What the searcher keeps between queries of the same index state: its size, vocabulary and title words.
  private let caches = SearchCaches()
  /// Query words to index terms.
  private let stemmer = QueryStemmer()

  public init(store: IndexStore) {
    self.store = store
  }

  /// Runs `request`.
  /// - Throws: `MedRefError.unusableQuery` for a query with no words or over `request.limits`;
  ///   `.queryTooCostly` when it ran out of time; `.indexFailure` for database trouble.
  public func search(_ request: SearchRequest) throws -> SearchResponse {
    let deadline = SearchDeadline(seconds: request.limits.seconds)
    // The word lists and lexicons load on a process's first search: not the query's doing.
    deadline.unmetered { Self.loadResources() }
    var request = request
    request.limit = min(max(request.limit, 0), SearchLimits.results)
    request.offset = min(max(request.offset, 0), SearchLimits.offset)
    request.sectionsPerArticle = min(max(request.sectionsPerArticle, 0), Tuning.sectionsPerArticle)
    let query = try Query(request.text)
    var plan = SearchPlan(query, kinds: request.kinds)
    try plan.check(request.limits, query: request.text)
    let ranking = SearchRanking.shared
    let stems = try stemmer.terms(of: Array(Set(plan.groups.flatMap(\.words))))
    try deadline.check(request.text)
    deadline.suspend()  // the database work may run on another thread; `watching` starts the clock there
    return try store.read { reader in
      try deadline.watching(reader, query: request.text) {
        try search(request, query: query, plan: &plan, stems: stems, deadline: deadline, ranking: ranking, reader)
      }
    }
  }

  /// Loads the word lists, ranking settings and entity lexicons searches use (once per process).
  static func loadResources() {
    _ = QueryWords.shared
    _ = QueryKinds.shared
    _ = SearchRanking.shared
    _ = TitleFacets.shared
    _ = EntityExtractor.shared
  }

  /// The search of `search(_:)` on the index's connection, with the progress handler of `deadline` installed.
  private func search(
    _ request: SearchRequest, query: Query, plan: inout SearchPlan, stems: [String: [String]],
    deadline: SearchDeadline, ranking: SearchRanking, _ reader: IndexReader
  ) throws -> SearchResponse {
    let statistics = try deadline.unmetered { try caches.current(reader) }
    try checkPrefixes(plan, request: request, reader)
    plan.sectionCount = statistics.sectionCount
    try Self.countSections(&plan, stems: stems, reader)
    let replacements = try suggestSpellings(&plan, request: request, statistics: statistics, deadline: deadline, reader)
    try deadline.check(request.text)
    let titleIndex = try deadline.unmetered { try statistics.titles(reader) }
    let directory = try deadline.unmetered { try statistics.sections(reader) }
    let namedTitles = Self.nameConditions(&plan, query: query, replacements: replacements, titles: titleIndex)

    // Several symptoms, and not a question about something else ("can an abscess cause a heart attack") or a
    // story that names some in passing (a long question with a few symptoms among many other words).
    let rankBySymptoms =
      plan.symptomGroups.count >= 2 && (plan.askedKind == nil || plan.askedKind == .symptoms)
      && SymptomCoverage.symptomShare(plan) >= ranking.coverageMinimumShare
    var ranked = try Self.rankTiers(
      plan, request: request, rankBySymptoms: rankBySymptoms, namedTitles: namedTitles, ranking: ranking,
      directory: directory, deadline: deadline, reader)

    var coverage: SymptomCoverage?
    if rankBySymptoms {
      try deadline.check(request.text)
      let found = try SymptomCoverage(reader, plan: plan, sections: directory, ranking: ranking)
      coverage = found
      ranked.order = Self.rankedBySymptoms(ranked.order, articles: ranked.articles, coverage: found, ranking: ranking)
      ranked.total = max(ranked.total, ranked.order.count)
    }

    let page = Array(ranked.order.dropFirst(request.offset).prefix(request.limit))
    if let coverage { Self.withCoverage(page, articles: &ranked.articles, coverage: coverage) }
    let results = try articleHits(
      page, articles: ranked.articles, coverage: coverage, plan: plan, request: request, deadline: deadline, reader)
    var suggestions: [String] = []
    if !replacements.isEmpty {
      suggestions.append(Self.replacingWords(in: query.text, replacements))
    }
    var facets: [String: Int]?
    if request.facets {
      facets =
        try ranked.broadestTier.flatMap { plan.expression($0, filteringKinds: false) }.map {
          try Self.articlesByKind(reader, expression: $0, sections: directory)
        } ?? [:]
    }
    return SearchResponse(
      query: request.text, interpreted: plan.interpreted, suggestions: suggestions, total: ranked.total,
      results: results, facets: facets)
  }

  /// Numbers that tune a search.
  private enum Tuning {
    /// The most sections shown per article (`SearchRequest.sectionsPerArticle`): more is never a useful page.
    static let sectionsPerArticle = 100
    /// The most misspelt words a query gets suggestions for: a question full of names must not spend its time on
    /// them.
    static let spellingSuggestions = 3
    /// The shortest word that gets a spelling suggestion (shorter ones have too many near neighbours).
    static let suggestedWordLength = 4
    /// The most conditions `interpreted` shows.
    static let shownConditions = 3
    /// The fewest sections a tier ranks, and how many times the sections a page shows it ranks beyond that (an
    /// article's sections spread over the ranked rows).
    static let minimumSectionLimit = 40
    static let sectionLimitFactor = 2
    /// How many sections after an article's best add to its score (by `SearchRanking.otherSectionsShare`).
    static let scoredOtherSections = 2
  }

  /// What the tiers of a search found: articles best first, each with its score, sections and tier.
  private struct Ranked {
    var order: [String] = []
    var articles: [String: (score: Double, sections: [SectionRow], tier: SearchPlan.Tier)] = [:]
    /// Articles that match in all.
    var total = 0
    /// The last tier searched (for the facets).
    var broadestTier: SearchPlan.Tier?
  }

  /// Sets how many sections hold each group of `plan`: the rarest of its words' index terms (`stems`).
  private static func countSections(_ plan: inout SearchPlan, stems: [String: [String]], _ reader: IndexReader) throws {
    let terms = Set(stems.values.joined())
    let counts = try reader.sectionCounts(terms: terms)
    for index in plan.groups.indices {
      let perWord = plan.groups[index].words.map { word in
        (stems[word] ?? []).map { counts[$0] ?? 0 }.min() ?? 0
      }
      plan.groups[index].sections = perWord.min()
    }
  }

  /// Gives words no section holds the nearest word of the index as an alternative (at most
  /// `Tuning.spellingSuggestions` per query); returns the replacements, by the word typed.
  private func suggestSpellings(
    _ plan: inout SearchPlan, request: SearchRequest, statistics: SearchCaches.Statistics, deadline: SearchDeadline,
    _ reader: IndexReader
  ) throws -> [String: String] {
    var replacements: [String: String] = [:]
    for index in plan.groups.indices where replacements.count < Tuning.spellingSuggestions {
      guard let word = plan.groups[index].word, plan.groups[index].sections == 0,
        word.count >= Tuning.suggestedWordLength, plan.groups[index].alternatives.count == 1
      else { continue }
      try deadline.check(request.text)
      let vocabulary = try deadline.unmetered { try statistics.vocabulary(reader) }
      if let suggestion = try SpellingSuggester(vocabulary: vocabulary).suggestion(for: word, reader: reader) {
        plan.groups[index].alternatives.append(SearchPlan.phrase([suggestion]))
        plan.groups[index].display = "(\(word) OR \(suggestion))"
        let suggestedStems = try stemmer.terms(of: [suggestion])[suggestion] ?? []
        let suggestedCounts = try reader.sectionCounts(terms: Set(suggestedStems))
        plan.groups[index].sections = suggestedStems.map { suggestedCounts[$0] ?? 0 }.min() ?? 0
        replacements[word] = suggestion
      }
    }
    return replacements
  }

  /// Finds the articles whose title words all stand in the query (with its spelling suggestions `replacements`
  /// and the names of what it names), adds their titles and conditions to `plan` and says whether the query
  /// describes symptoms; returns how the query names each of those articles, by id.
  private static func nameConditions(
    _ plan: inout SearchPlan, query: Query, replacements: [String: String], titles titleIndex: TitleIndex
  ) -> [String: TitleIndex.Naming] {
    var queryWords = Set(query.terms.filter { !$0.excluded }.flatMap(\.words))
    queryWords.formUnion(replacements.values)
    // The names of what the query names in other words ("high blood pressure" names "Hypertension").
    for group in plan.groups { queryWords.formUnion(group.entityNames.flatMap { Query.words(ArraySlice($0.utf8)) }) }
    let namedTitles = titleIndex.named(by: queryWords)
    let conditions = Set(namedTitles.values.map(\.typedCondition)).sorted { $0.joined() < $1.joined() }
    plan.addTitles(conditions)
    // Shown: the conditions not part of a longer one named ("dengue fever", not "dengue" as well).
    let conditionNames = conditions.map { $0.joined(separator: " ") }
    plan.conditions = conditionNames.filter { name in
      !conditionNames.contains { $0 != name && " \($0) ".contains(" \(name) ") }
    }.sorted().prefix(Tuning.shownConditions).map { $0 }
    // A query that asks nothing and names no condition but names a symptom or a complaint in lay words ("burning
    // when peeing") describes symptoms.
    if plan.askedKind == nil && plan.conditions.isEmpty && plan.kinds.isEmpty
      && plan.groups.contains(where: { !$0.classes.isEmpty || $0.weights.count > 1 })
    {
      plan.describesSymptoms = true
    }
    return namedTitles
  }

  /// Runs the tiers of `plan` in turn (phrase, every term, any term) until enough articles are found; each tier's
  /// new articles rank by their best section plus a share of the next ones, boosted when the query names their
  /// title, after the articles of the tiers before.
  private static func rankTiers(
    _ plan: SearchPlan, request: SearchRequest, rankBySymptoms: Bool, namedTitles: [String: TitleIndex.Naming],
    ranking: SearchRanking, directory: SectionDirectory, deadline: SearchDeadline, _ reader: IndexReader
  ) throws -> Ranked {
    let wanted = request.offset + request.limit
    let sectionLimit = max(
      Tuning.minimumSectionLimit, wanted * request.sectionsPerArticle * Tuning.sectionLimitFactor)
    var ranked = Ranked()
    let typedMatches = try Self.typedMatches(reader, plan: plan)
    for tier in [SearchPlan.Tier.phrase, .all, .any] {
      // Any term only when every term found too little: fewer articles than asked for, and fewer than five (and
      // always for several symptoms, which rank by how many of them an article names).
      if tier == .any && ranked.order.count >= min(wanted, Self.enoughArticles) && ranked.total > 0
        && !rankBySymptoms
      {
        break
      }
      guard let expression = plan.expression(tier) else { continue }
      try deadline.check(request.text)
      ranked.broadestTier = tier
      var rows = try Self.sections(
        reader, plan: plan, tier: tier, limit: sectionLimit, ranking: ranking, sections: directory)
      if !typedMatches.isEmpty { rows = Self.weighted(rows, typedMatches) }
      var byArticle: [String: [SectionRow]] = [:]
      var tierOrder: [String] = []
      for row in rows {
        if byArticle[row.document] == nil { tierOrder.append(row.document) }
        byArticle[row.document, default: []].append(row)
      }
      var scored: [(String, Double)] = []
      for id in tierOrder where ranked.articles[id] == nil {
        let sections = byArticle[id]!
        let others = sections.dropFirst().prefix(Tuning.scoredOtherSections).reduce(0) { $0 + $1.score }
        var score = sections[0].score + ranking.otherSectionsShare * others
        // An article whose whole title the query names ("… my iron pills" and "Iron") is about what was asked.
        // … and one whose title's condition it names ("how is cholera treated" and "Cholera Vaccine"), less so.
        // A page on the condition whose title names the concern asked about ("how do you catch dengue" and
        // "Causes of Dengue") answers it.
        if let named = namedTitles[id] {
          score *= 1 + (named.whole ? ranking.titleBoost : ranking.conditionBoost) * Double(named.words)
          if let asked = plan.askedKind, named.kinds.contains(asked) { score *= 1 + ranking.titleKindBoost }
        }
        scored.append((id, score))
        ranked.articles[id] = (score, sections, tier)
      }
      scored.sort { $0.1 > $1.1 }
      ranked.order += scored.map(\.0)
      if tier != .phrase {
        let count =
          rows.count < sectionLimit
          ? byArticle.count : try Self.countArticles(reader, expression: expression, sections: directory)
        ranked.total = max(ranked.total, count, ranked.order.count)
      }
    }
    return ranked
  }

  /// The results of `page` (article ids): each article with its best sections, their snippets marking the words
  /// of the query (and of its alternatives), and for several symptoms those the article names.
  private func articleHits(
    _ page: [String], articles: [String: (score: Double, sections: [SectionRow], tier: SearchPlan.Tier)],
    coverage: SymptomCoverage?, plan: SearchPlan, request: SearchRequest, deadline: SearchDeadline,
    _ reader: IndexReader
  ) throws -> [SearchResponse.ArticleHit] {
    let documents = try reader.documents(ids: page)
    // Snippets: the shown sections' text, with the words of the query (and of its alternatives) marked.
    let shown = page.flatMap { (articles[$0]?.sections ?? []).prefix(request.sectionsPerArticle).map(\.id) }
    // The snippet is cut from the first 4,000 characters: long sections (symptom tables) cost time, not snippets.
    // Entities stay JSON until a snippet needs them (see `SnippetMaker`); most do not.
    let texts = try reader.sectionTexts(ids: shown, characters: 4000)
    let alternativeWords = plan.groups.flatMap { $0.alternatives.dropFirst() }
      .filter { !SearchPlan.isClassExpression($0) }.flatMap { $0.phrases.joined() }
    let markedTerms = Set(
      try stemmer.terms(of: Array(Set(plan.groups.flatMap(\.words) + alternativeWords))).values.joined())
    let snippets = SnippetMaker(terms: markedTerms, entityNames: Set(plan.groups.flatMap(\.entityNames)))
    var results: [SearchResponse.ArticleHit] = []
    for id in page {
      try deadline.check(request.text)
      guard let article = articles[id], let document = documents[id] else { continue }
      var sections: [SearchResponse.SectionHit] = []
      for row in article.sections.prefix(request.sectionsPerArticle) {
        let stored = texts[row.id] ?? (text: "", entities: "[]", heading: "")
        let snippet = snippets.snippet(stored.text) {
          StoredEntities.decode(stored.entities, text: stored.text)
        }
        sections.append(
          SearchResponse.SectionHit(
            heading: stored.heading, kind: row.kind, snippet: snippet, score: Self.round(row.score)))
      }
      results.append(
        SearchResponse.ArticleHit(
          id: id, path: document.path, title: document.title, score: Self.round(article.score),
          match: SearchResponse.ArticleHit.Match(article.tier), sections: sections,
          symptoms: coverage.map { $0.named(by: id) }))
    }
    return results
  }

  /// Throws `MedRefError.unusableQuery` when the plan's prefixes stand for more index words, or for words found in
  /// more sections, than `request.limits` allow (counted in `search_vocabulary`, on the prefix as the index's
  /// tokenizer reads it: `running*` is `run*`).
  private func checkPrefixes(_ plan: SearchPlan, request: SearchRequest, _ reader: IndexReader) throws {
    guard !plan.prefixes.isEmpty else { return }
    let limits = request.limits
    let stems = try stemmer.terms(of: plan.prefixes)
    var words = 0
    var sections = 0
    for prefix in plan.prefixes {
      guard let stem = stems[prefix]?.last else { continue }
      let (found, foundIn) = try reader.terms(prefixed: stem)
      words += found
      sections += Int(min(foundIn, 1e15))
      guard words <= limits.prefixWords && sections <= limits.prefixSections else {
        throw MedRefError.unusableQuery(
          query: request.text,
          reason: "too broad: \(prefix)* stands for \(found) words of the index, found in \(Int(foundIn)) sections "
            + "(the prefixes of a query may stand for at most \(limits.prefixWords) words and "
            + "\(limits.prefixSections) sections); make it longer")
      }
    }
  }

  /// `order` ranked by how much of the query each article names (`SymptomCoverage`) plus a share of its score
  /// (as a fraction of the best), then by score; articles naming none keep their order after the others. Within
  /// that, the tiers keep their order: an article with the query as a phrase first, then one with a section
  /// having every term.
  static func rankedBySymptoms(
    _ order: [String], articles: [String: (score: Double, sections: [SectionRow], tier: SearchPlan.Tier)],
    coverage: SymptomCoverage, ranking: SearchRanking
  ) -> [String] {
    let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    // A list of symptoms ranks by how many an article names; the more other words the query has ("… after a hike
    // near prairie dogs"), the more the article's bm25 score counts as well.
    let lambda = ranking.coverageScoreShare * (1 - coverage.symptomShare)
    let maxCovered = max(coverage.entries.values.map(\.covered).max() ?? 1, 1e-9)
    let maxScore = max(articles.values.map(\.score).max() ?? 1, 1e-9)
    // The sort keys, made once per article: (tier, blended, score, position, id).
    let keyed = coverage.entries.map { id, entry -> (tier: Int, blended: Double, score: Double, at: Int, id: String) in
      let article = articles[id]
      let score = article?.score ?? 0
      return (
        (article?.tier ?? .any).rawValue, entry.covered / maxCovered + lambda * score / maxScore, score,
        position[id] ?? Int.max, id
      )
    }
    let named = keyed.sorted { a, b in
      if a.tier != b.tier { return a.tier < b.tier }
      if a.blended != b.blended { return a.blended > b.blended }
      if a.score != b.score { return a.score > b.score }
      return (a.at, a.id) < (b.at, b.id)
    }.map(\.id)
    return named + order.filter { coverage.entries[$0] == nil }
  }

  /// The articles `ids` (a page of results ranked by `rankedBySymptoms`) with their sections naming the most
  /// symptoms first (an article found only by the coverage has those alone, score 0, and is `some`).
  static func withCoverage(
    _ ids: [String], articles: inout [String: (score: Double, sections: [SectionRow], tier: SearchPlan.Tier)],
    coverage: SymptomCoverage
  ) {
    for id in ids {
      guard let entry = coverage.entries[id] else { continue }
      var article = articles[id] ?? (0, [], .any)
      let known = Dictionary(article.sections.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
      var sections = entry.sections.map { known[$0.id] ?? SectionRow(id: $0.id, document: id, kind: $0.kind, score: 0) }
      let first = Set(sections.map(\.id))
      sections += article.sections.filter { !first.contains($0.id) }
      article.sections = sections
      articles[id] = article
    }
  }

  /// For each group of `plan` with looser alternatives (a lay phrase's synonyms): the sections that have its words
  /// as typed, and the weight of its heaviest looser alternative.
  static func typedMatches(_ reader: IndexReader, plan: SearchPlan) throws -> [(sections: Set<Int64>, weight: Double)] {
    var found: [(sections: Set<Int64>, weight: Double)] = []
    for group in plan.groups where group.weights.count > 1 {
      let looser = group.weights.dropFirst().max() ?? 1
      guard looser < 1 else { continue }
      var ids = Set<Int64>()
      try reader.forEachMatch(group.alternatives[0]) { ids.insert($0) }
      found.append((ids, looser))
    }
    return found
  }

  /// `rows` with the score of each section lacking a group's words as typed times the weight of that group's
  /// looser alternatives (the words typed outrank a synonym), best first.
  static func weighted(_ rows: [SectionRow], _ typed: [(sections: Set<Int64>, weight: Double)]) -> [SectionRow] {
    var rows = rows
    for index in rows.indices {
      for (sections, weight) in typed where !sections.contains(rows[index].id) { rows[index].score *= weight }
    }
    return rows.enumerated().sorted { ($0.element.score, $1.offset) > ($1.element.score, $0.offset) }.map(\.element)
  }

  /// How many articles matching every term are enough not to search for any term as well.
  static let enoughArticles = 5

  /// A matching section.
  struct SectionRow {
    var id: Int64
    var document: String
    var kind: SectionKind
    var score: Double
  }

  /// The best sections of a tier, by bm25 times the kind boost. The full-text table is ranked on its own (joining
  /// it to `sections` before sorting would read every matching row's section); documents and kinds come from
  /// `statistics`. With a section-kind filter, the sections are ranked without it first and filtered here (a kind
  /// in the full-text match makes FTS5 read the postings of every section of that kind); only when that leaves
  /// too few is the filter put in the match.
  static func sections(
    _ reader: IndexReader, plan: SearchPlan, tier: SearchPlan.Tier, limit: Int, ranking: SearchRanking,
    sections: SectionDirectory
  ) throws -> [SectionRow] {
    let weights = IndexReader.ColumnWeights(
      title: ranking.titleWeight, heading: ranking.headingWeight, terms: ranking.termsWeight, text: ranking.textWeight)
    let kinds = Set(plan.kinds)
    func ranked(_ expression: FTS5Expression?, limit: Int) throws -> (rows: [SectionRow], scanned: Int) {
      var rows: [SectionRow] = []
      var scanned = 0
      guard let expression else { return (rows, scanned) }
      try reader.forEachRanked(expression, weights: weights, limit: limit) { id, score in
        scanned += 1
        guard let section = sections.section(id), kinds.isEmpty || kinds.contains(section.kind) else { return }
        var score = score
        if let boosted = plan.rankedKind, section.kind == boosted { score *= ranking.kindBoost }
        rows.append(SectionRow(id: id, document: section.document, kind: section.kind, score: score))
      }
      return (rows, scanned)
    }
    var rows: [SectionRow]
    if kinds.isEmpty {
      rows = try ranked(plan.expression(tier), limit: limit).rows
    } else {
      let unfiltered = limit * 4
      let first = try ranked(plan.expression(tier, filteringKinds: false), limit: unfiltered)
      rows =
        first.scanned < unfiltered || first.rows.count >= limit
        ? Array(first.rows.prefix(limit)) : try ranked(plan.expression(tier), limit: limit).rows
    }
    if plan.rankedKind != nil { rows.sort { $0.score > $1.score } }
    return rows
  }

  /// Calls `body` with the article number and kind number (`SectionDirectory`) of every section matching
  /// `expression` (the full-text table alone, unranked).
  static func forEachMatch(
    _ reader: IndexReader, expression: FTS5Expression, sections: SectionDirectory,
    _ body: (_ document: Int, _ kind: Int) -> Void
  ) throws {
    try reader.forEachMatch(expression) { id in
      if let entry = sections.numbers(id) { body(entry.document, entry.kind) }
    }
  }

  /// How many articles have a section matching `expression`.
  static func countArticles(_ reader: IndexReader, expression: FTS5Expression, sections: SectionDirectory) throws -> Int
  {
    var seen = [Bool](repeating: false, count: sections.documentCount)
    var count = 0
    try forEachMatch(reader, expression: expression, sections: sections) { document, _ in
      if !seen[document] {
        seen[document] = true
        count += 1
      }
    }
    return count
  }

  /// Per section kind, how many articles have a section of that kind matching `expression`.
  static func articlesByKind(
    _ reader: IndexReader, expression: FTS5Expression, sections: SectionDirectory
  ) throws -> [String: Int] {
    let kinds = SectionDirectory.kinds
    var seen = [Bool](repeating: false, count: sections.documentCount * kinds.count)
    var counts = [Int](repeating: 0, count: kinds.count)
    try forEachMatch(reader, expression: expression, sections: sections) { document, kind in
      if !seen[document * kinds.count + kind] {
        seen[document * kinds.count + kind] = true
        counts[kind] += 1
      }
    }
    return Dictionary(uniqueKeysWithValues: zip(kinds.map(\.rawValue), counts).filter { $0.1 > 0 })
  }

  /// `text` with whole words replaced (case-insensitively) as `replacements` says.
  static func replacingWords(in text: String, _ replacements: [String: String]) -> String {
    var result = ""
    var word = ""
    func flush() {
      result += replacements[word.lowercased()] ?? word
      word = ""
    }
    for character in text {
      if character.isLetter || character.isNumber || (character == "'" && !word.isEmpty) {
        word.append(character)
      } else {
        flush()
        result.append(character)
      }
    }
    flush()
    return result
  }

  static func round(_ value: Double) -> Double {
    (value * 1000).rounded() / 1000
  }
}

/// The ranking settings of `Resources/search-words.json`.
package struct SearchRanking: Sendable, Decodable {
  var titleWeight: Double
  var headingWeight: Double
  var termsWeight: Double
  var textWeight: Double
  var kindBoost: Double
  var otherSectionsShare: Double
  var titleBoost: Double
  /// The same when the query names only the condition of the title (`TitleIndex`).
  var conditionBoost: Double
  /// The factor less 1 for such an article whose title names the kind of section the query asks about.
  var titleKindBoost: Double
  /// How much a symptom named outside a symptoms section counts, for a query naming several (`SymptomCoverage`).
  var symptomElsewhereShare: Double
  /// How much an article's score (as a share of the best) adds to how much of such a query it names, when all
  /// the query's words are other than symptoms (times the share of those words).
  var coverageScoreShare: Double
  /// Terms in more than this share of the sections do not count in what an article names of such a query.
  var coverageCommonShare: Double
  /// The least share of a query's words that must name symptoms for it to rank as a list of symptoms.
  var coverageMinimumShare: Double

  static let shared: SearchRanking = {
    struct File: Decodable { var ranking: SearchRanking }
    return ResourceFile.json("search-words.json", as: File.self).ranking
  }()
}

/// What a `Searcher` keeps between queries while the index does not change (SQLite's `data_version` tells): the
/// number of sections, the vocabulary (for spelling suggestions) and the title words, each read on first need.
package final class SearchCaches: Sendable {
  final class Statistics: Sendable {
    /// What is read on first need.
    private struct Made {
      var words: SpellingSuggester.Vocabulary?
      var titleIndex: TitleIndex?
      var directory: SectionDirectory?
    }

    let sectionCount: Int
    private let made = Locked(Made())

    init(sectionCount: Int) { self.sectionCount = sectionCount }

    func vocabulary(_ reader: IndexReader) throws -> SpellingSuggester.Vocabulary {
      try cached(\.words) { try SpellingSuggester.vocabulary(reader) }
    }

    func sections(_ reader: IndexReader) throws -> SectionDirectory {
      try cached(\.directory) { try SectionDirectory(reader) }
    }

    func titles(_ reader: IndexReader) throws -> TitleIndex {
      try cached(\.titleIndex) { try TitleIndex(reader) }
    }

    /// The value in `slot`, made by `make` on first use (under the lock: concurrent searches make it once).
    private func cached<Value>(_ slot: WritableKeyPath<Made, Value?>, _ make: () throws -> Value) rethrows -> Value {
      try made.withLock { made in
        if let value = made[keyPath: slot] { return value }
        let value = try make()
        made[keyPath: slot] = value
        return value
      }
    }
  }

  /// The statistics of the index state last seen, and the connections that saw it.
  private struct Seen {
    var versions: [ObjectIdentifier: Int] = [:]
    var statistics: Statistics?
  }

  /// The `data_version` each connection gave when last asked. The value only means something to the connection
  /// that gave it (it changes when *other* connections commit), so each connection is compared with itself: a
  /// pool of readers (`medref serve`) keeps one set of statistics instead of rebuilding them whenever the next
  /// query runs on another connection. A connection not seen before cannot tell what changed, so it rebuilds once.
  private let seen = Locked(Seen())

  /// The statistics of the index as it is now.
  func current(_ reader: IndexReader) throws -> Statistics {
    let version = try reader.dataVersion()
    let connection = reader.connection
    return try seen.withLock { seen in
      if let statistics = seen.statistics, seen.versions[connection] == version { return statistics }
      let fresh = Statistics(sectionCount: try reader.sectionCount())
      seen.statistics = fresh
      seen.versions[connection] = version
      return fresh
    }
  }
}

/// Every section's article and kind by section id, read once per index state: ranking reads the full-text table
/// alone and places the ranked sections with this, instead of looking each up in `sections`.
package struct SectionDirectory: Sendable {
  private var documents: [String] = []
  private var entries: [Int64: (document: Int32, kind: UInt8)] = [:]
  /// Kinds by kind number.
  static let kinds = SectionKind.allCases

  init(_ reader: IndexReader) throws {
    var documentNumbers: [String: Int32] = [:]
    var documents: [String] = []
    var entries: [Int64: (document: Int32, kind: UInt8)] = [:]
    try reader.forEachSection { id, document, storedKind in
      let number: Int32
      if let known = documentNumbers[document] {
        number = known
      } else {
        number = Int32(documents.count)
        documentNumbers[document] = number
        documents.append(document)
      }
      let kind = SectionKind(rawValue: storedKind) ?? .other
      entries[id] = (number, UInt8(Self.kinds.firstIndex(of: kind) ?? Self.kinds.count - 1))
    }
    self.documents = documents
    self.entries = entries
  }

  var documentCount: Int { documents.count }

  /// The article number (0..<documentCount) and kind number (an index of `kinds`) of section `id`.
  func numbers(_ id: Int64) -> (document: Int, kind: Int)? {
    entries[id].map { (Int($0.document), Int($0.kind)) }
  }

  /// The id of article number `number` (0..<documentCount).
  func document(_ number: Int) -> String { documents[number] }

  /// The article and kind of section `id`.
  func section(_ id: Int64) -> (document: String, kind: SectionKind)? {
    guard let entry = entries[id] else { return nil }
    return (documents[Int(entry.document)], Self.kinds[Int(entry.kind)])
  }
}
