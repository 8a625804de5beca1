import Foundation
import MedRefBase
import MedRefExtraction
import MedRefIndex

/// How a `Query` is searched: the FTS5 expressions of its tiers (the whole query as a phrase, every term, any
/// term), the kind of section it asks about, and how MedRef read it. Every word is quoted, so the expressions are
/// safe whatever the user typed.
///
/// Each term becomes a group of alternatives: the words as typed; for a contraction typed without its apostrophe
/// both forms (`dont` = `don't`, which FTS5 indexes as `don t`); for the words of a symptom, test or drug the
/// lexicons know, its normalised name (`pins and needles` → `paresthesia`, `Tylenol` → `acetaminophen`), which
/// every section naming that class carries in its `terms` column; and later a spelling suggestion.
///
/// The query fuzz target (`Sources/Fuzz/FuzzQuery`) checks that every expression a plan makes is valid FTS5 syntax.
package struct SearchPlan: Sendable {
  /// One term of the query and the expressions that may stand for it.
  struct Group: Sendable, Equatable {
    /// FTS5 expressions, the term as typed first.
    var alternatives: [FTS5Expression]
    /// How it is shown in `interpreted`.
    var display: String
    /// Words that name the kind of section asked about ("tests", "treat"): they rank, but are not required.
    var optional = false
    /// The plain word typed, when the group is one (for spelling suggestions).
    var word: String?
    /// The words typed for the term (for its document frequency).
    var words: [String] = []
    /// How many sections hold the term (the rarest of its words), once the index was asked.
    var sections: Int?
    /// Normalised names and HPO ids of the entity the group stands for (to find it in a section for a snippet).
    var entityNames: [String] = []
    /// The HPO classes (`HP:0003401`) of the symptom the group names; empty when it names none. A query naming
    /// two or more symptoms ranks articles by how many of them their symptoms sections name (`SymptomCoverage`).
    var classes: [String] = []
    /// How much a match of each class counts, in the order of `classes` (1 when none is given).
    var classWeights: [Double] = []
    /// How much a match of each alternative counts (1 for the words as typed and the names the lexicons give them;
    /// less for a looser synonym), in the order of `alternatives`.
    var weights: [Double] = []

    /// The weight of alternative `index` (1 when none was given).
    func weight(of index: Int) -> Double { index < weights.count ? weights[index] : 1 }
  }

  /// The searches `Searcher` runs in turn: the whole query as a phrase, every term, any (rare) term.
  package enum Tier: Int, Sendable, Comparable, CaseIterable {
    case phrase, all, any

    package static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
  }

  var groups: [Group]
  /// Expressions that must not match (`-word`).
  var excluded: [FTS5Expression]
  /// The query's plain words in order, stop words included, when it is only plain words (two or more).
  var phraseWords: [String]?
  /// Section kinds to keep: `--section` and `kind:term` together; empty for all.
  var kinds: [SectionKind]
  /// The kind of section the query asks about, from its words.
  var askedKind: SectionKind?

  /// The plan of `query`, keeping only sections of `kinds` (with the query's own `kind:term` filters; empty for
  /// all); `extractor` finds the entities named in the query (nil: none).
  package init(_ query: Query, kinds: [SectionKind], extractor: EntityExtractor? = .shared) {
    self.init(query, kinds: kinds, extractor: extractor, vocabulary: extractor == nil ? nil : .shared)
  }

  /// The plan of `query`, as above, with `vocabulary` giving the words it has that `extractor` does not know their
  /// weighted alternatives (nil: none).
  init(_ query: Query, kinds: [SectionKind], extractor: EntityExtractor?, vocabulary: LayVocabulary?) {
    let words = QueryWords.shared
    var kinds = kinds
    for kind in query.kinds where !kinds.contains(kind) { kinds.append(kind) }
    self.kinds = kinds
    // Each term once: `fever fever fever` is `fever` (FTS5 would rank every copy, in time quadratic in the
    // number of terms).
    var prefixes: [String] = []
    var seenPrefixes: Set<String> = []
    func addPrefix(_ term: Query.Term) {
      if term.prefix && seenPrefixes.insert(term.words[0]).inserted { prefixes.append(term.words[0]) }
    }
    excluded = Self.exclusions(query, addPrefix: addPrefix)

    let positive = query.terms.enumerated().filter { !$0.element.excluded }
    // Stop words go unless nothing else is left.
    let content = positive.filter { !($0.element.isPlainWord && words.stopWords.contains($0.element.words[0])) }
    let kept = content.isEmpty ? positive : content
    let plain = positive.allSatisfy { $0.element.isPlainWord }
    // The phrase tier is for short queries ("normal pressure hydrocephalus"), not questions.
    phraseWords =
      plain && positive.count >= 2 && positive.count <= Self.longestPhrase ? positive.map { $0.element.words[0] } : nil

    // The kind asked about, and the words that asked (stop words among them: "how long" asks about the outlook).
    let cue = QueryKinds.shared.kind(of: positive.map { $0.element.isPlainWord ? $0.element.words[0] : "" })
    askedKind = cue?.kind
    var positivePosition: [Int: Int] = [:]
    for (position, term) in positive.enumerated() { positivePosition[term.offset] = position }

    let entityAt = extractor.map { Self.entitySpans(in: query, extractor: $0) } ?? [:]
    let sharedNoun =
      extractor.map { Self.sharedNouns(in: query, entities: entityAt, extractor: $0, words: words) } ?? [:]
    let layAt =
      vocabulary.map {
        Self.layPhrases(in: query, entities: entityAt, sharedNouns: sharedNoun, vocabulary: $0, words: words)
      } ?? [:]

    var groups: [Group] = []
    var index = 0
    // The kept terms (not stop words).
    var keptPosition: [Int: Int] = [:]
    for (position, term) in kept.enumerated() { keptPosition[term.offset] = position }
    /// Adds `group` unless a group of the same alternatives is there already.
    var seen: Set<[FTS5Expression]> = []
    func add(_ group: Group) {
      guard seen.insert(group.alternatives).inserted else { return }
      groups.append(group)
    }
    while index < query.terms.count {
      let term = query.terms[index]
      if let (last, entity) = entityAt[index] ?? sharedNoun[index].map({ (index, $0.entity) }) {
        let spanWords = sharedNoun[index]?.words ?? query.terms[index...last].flatMap(\.words)
        // A stop word inside an entity ("pins and needles") is part of it; an entity of stop words alone is not.
        if query.terms[index...last].contains(where: { !words.stopWords.contains($0.words[0]) }) || content.isEmpty {
          add(Self.entityGroup(spanWords, entity: entity))
        }
        index = last + 1
        continue
      }
      if let (last, targets) = layAt[index] {
        add(Self.layGroup(query.terms[index...last].flatMap(\.words), targets: targets))
        index = last + 1
        continue
      }
      defer { index += 1 }
      guard !term.excluded, keptPosition[index] != nil else { continue }
      let asksKind = cue.map { cue in positivePosition[index].map { cue.indices.contains($0) } ?? false } ?? false
      addPrefix(term)
      add(Self.termGroup(term, contractions: words.contractions, asksKind: asksKind))
    }
    // Words naming the kind stay required when nothing else is.
    if groups.allSatisfy(\.optional) {
      for index in groups.indices { groups[index].optional = false }
    }
    self.groups = groups
    self.prefixes = prefixes
  }

  /// The expressions of the excluded terms of `query`, each once; `addPrefix` is called with each term kept.
  private static func exclusions(_ query: Query, addPrefix: (Query.Term) -> Void) -> [FTS5Expression] {
    var excluded: [FTS5Expression] = []
    var seen: Set<FTS5Expression> = []
    for term in query.terms where term.excluded {
      let expression = Self.expression(term)
      guard seen.insert(expression).inserted else { continue }
      excluded.append(expression)
      addPrefix(term)
    }
    return excluded
  }

  /// Entities in the query text, by the index of their first term, with the index of their last: their words
  /// become one group with the normalised name as an alternative. Terms and entities are both in text order and do
  /// not overlap, so one walk pairs them.
  private static func entitySpans(
    in query: Query, extractor: EntityExtractor
  ) -> [Int: (last: Int, entity: Entity)] {
    var entityAt: [Int: (last: Int, entity: Entity)] = [:]
    var next = 0
    for entity in extractor.entities(in: query.text) {
      while next < query.terms.count && query.terms[next].range.lowerBound < entity.start { next += 1 }
      var end = next
      while end < query.terms.count && query.terms[end].range.upperBound <= entity.end { end += 1 }
      let covered = next..<end
      next = end
      guard !covered.isEmpty, covered.allSatisfy({ query.terms[$0].isPlainWord }) else { continue }
      entityAt[covered.lowerBound] = (covered.upperBound - 1, entity)
    }
    return entityAt
  }

  /// Coordinated modifiers that share the noun of the entity after them, by term index: "red itchy watery eyes"
  /// names red eyes and itchy eyes as well as watery eyes, "painful swollen lymph nodes" painful lymph nodes.
  private static func sharedNouns(
    in query: Query, entities entityAt: [Int: (last: Int, entity: Entity)], extractor: EntityExtractor,
    words: QueryWords
  ) -> [Int: (words: [String], entity: Entity)] {
    var sharedNoun: [Int: (words: [String], entity: Entity)] = [:]
    var covered = Set<Int>()
    for (first, entry) in entityAt { covered.formUnion(first...entry.last) }
    for (first, entry) in entityAt where entry.last > first {
      let noun = query.terms[(first + 1)...entry.last].flatMap(\.words)
      var index = first - 1
      while index >= 0, query.terms[index].isPlainWord, !covered.contains(index) {
        let word = query.terms[index].words[0]
        if word == "and" || word == "or" {
          index -= 1
          continue
        }
        guard !words.stopWords.contains(word) else { break }
        let phrase = ([word] + noun).joined(separator: " ")
        guard let entity = extractor.entities(in: phrase).first, entity.start == 0, entity.end == phrase.utf8.count
        else { break }
        sharedNoun[index] = ([word] + noun, entity)
        index -= 1
      }
    }
    return sharedNoun
  }

  /// Lay words the lexicons do not know ("peeing", "potato nose"), by the index of their first term: the longest
  /// phrase of the vocabulary at each plain word outside the entities, with the index of its last term.
  private static func layPhrases(
    in query: Query, entities entityAt: [Int: (last: Int, entity: Entity)],
    sharedNouns sharedNoun: [Int: (words: [String], entity: Entity)], vocabulary: LayVocabulary, words: QueryWords
  ) -> [Int: (last: Int, targets: [LayVocabulary.Target])] {
    var layAt: [Int: (last: Int, targets: [LayVocabulary.Target])] = [:]
    var covered = Set<Int>()
    for (first, entry) in entityAt { covered.formUnion(first...entry.last) }
    covered.formUnion(sharedNoun.keys)
    var start = 0
    while start < query.terms.count {
      var found = false
      for length in stride(from: min(vocabulary.longestPhrase, query.terms.count - start), through: 1, by: -1) {
        let span = start..<(start + length)
        guard span.allSatisfy({ query.terms[$0].isPlainWord && !covered.contains($0) }),
          span.contains(where: { !words.stopWords.contains(query.terms[$0].words[0]) }),
          let targets = vocabulary.targets(of: span.map { query.terms[$0].words[0] })
        else { continue }
        layAt[start] = (span.upperBound - 1, Array(targets.prefix(Self.layTargets)))
        start = span.upperBound
        found = true
        break
      }
      if !found { start += 1 }
    }
    return layAt
  }

  /// The group of the words `spanWords` that name `entity`: the words, and its normalised name and HPO id.
  private static func entityGroup(_ spanWords: [String], entity: Entity) -> Group {
    var group = Group(
      alternatives: [Self.phrase(spanWords)], display: Self.display(spanWords, quoted: spanWords.count > 1))
    group.words = spanWords
    var names: [String] = []
    if let normalized = entity.normalized {
      let normalizedWords = Query.words(ArraySlice(normalized.utf8))
      if normalizedWords != spanWords {
        group.alternatives.append(Self.phrase(normalizedWords))
        group.display = "(\(group.display) OR \(Self.display(normalizedWords, quoted: normalizedWords.count > 1)))"
      }
      names.append(normalized.lowercased())
    }
    if let hpo = entity.hpo {
      names.append(hpo)
      if entity.type == .symptom { group.classes = [hpo] }
    }
    group.entityNames = names
    return group
  }

  /// The group of the lay words `spanWords`: the words, and each of `targets` (an HPO class or words) weighted.
  private static func layGroup(_ spanWords: [String], targets: [LayVocabulary.Target]) -> Group {
    var group = Group(alternatives: [Self.phrase(spanWords)], display: "")
    group.words = spanWords
    group.weights = [1]
    var shown = [Self.display(spanWords, quoted: spanWords.count > 1)]
    for target in targets {
      if target.isClass {
        group.classes.append(target.target)
        group.classWeights.append(target.weight)
        group.alternatives.append(Self.classExpression(target.target))
        group.entityNames.append(target.target)
        shown.append(target.target)
      } else {
        let targetWords = Query.words(ArraySlice(target.target.utf8))
        group.alternatives.append(Self.phrase(targetWords))
        shown.append(Self.display(targetWords, quoted: targetWords.count > 1))
      }
      group.weights.append(target.weight)
    }
    group.display = "(" + shown.joined(separator: " OR ") + ")"
    return group
  }

  /// The group of one term outside entities and lay phrases: the term, for a contraction its other form; optional
  /// when it is a plain word that asks about the kind (`asksKind`).
  private static func termGroup(_ term: Query.Term, contractions: [String: String], asksKind: Bool) -> Group {
    var group = Group(alternatives: [Self.expression(term)], display: Self.display(term))
    group.words = term.prefix ? [] : term.words
    if term.isPlainWord {
      group.word = term.words[0]
      // Contractions: `dont` also as `don't`, `don't` also as `dont`.
      let word = term.words[0]
      if let written = contractions[word] {
        group.alternatives.append(Self.phrase([written]))
      } else if word.contains("'") {
        group.alternatives.append(Self.phrase([word.replacingOccurrences(of: "'", with: "")]))
      }
      if asksKind { group.optional = true }
    }
    return group
  }

  /// The words typed before a `*`, each once (of excluded terms too).
  var prefixes: [String]

  /// The groups that name a symptom of the HPO.
  var symptomGroups: [Group] { groups.filter { !$0.classes.isEmpty && !$0.optional } }

  /// The FTS5 expressions matching a section that names what `group` stands for, each with the weight such a match
  /// counts for, heaviest first: its words and names, and the HPO classes of a symptom in the `terms` column (where
  /// a section naming the class in any of its synonyms has it); alternatives of one weight are one expression.
  static func coverageMatchers(_ group: Group) -> [(expression: FTS5Expression, weight: Double)] {
    var byWeight: [Double: [FTS5Expression]] = [:]
    for (index, alternative) in group.alternatives.enumerated() {
      byWeight[group.weight(of: index), default: []].append(alternative)
    }
    let known = Set(group.alternatives)
    for (index, id) in group.classes.enumerated() where !known.contains(classExpression(id)) {
      let weight = index < group.classWeights.count ? group.classWeights[index] : 1
      byWeight[weight, default: []].append(classExpression(id))
    }
    return byWeight.sorted { $0.key > $1.key }.map { (weight, expressions) in (.either(expressions), weight) }
  }

  /// How many different terms the query searches for or excludes.
  var termCount: Int { groups.count + excluded.count }

  /// Throws `MedRefError.unusableQuery` for `query` (the text as typed) when the plan has more different terms or
  /// prefixes than `limits` allow. (How much the prefixes stand for is checked against the index, by `Searcher`.)
  func check(_ limits: SearchLimits, query: String) throws {
    if termCount > limits.terms {
      throw MedRefError.unusableQuery(
        query: query,
        reason: "too many terms: \(termCount) different ones (at most \(limits.terms)); shorten the query")
    }
    if prefixes.count > limits.prefixTerms {
      throw MedRefError.unusableQuery(
        query: query,
        reason: "too many prefixes: \(prefixes.count) different word* terms (at most \(limits.prefixTerms))")
    }
  }

  /// Whether the query describes symptoms without asking about a kind (set with `conditions`): symptoms sections
  /// rank higher, as for a query asking about them.
  var describesSymptoms = false

  /// The kind of section that ranks higher: the one asked about, else symptoms for a query describing them.
  var rankedKind: SectionKind? { askedKind ?? (describesSymptoms ? .symptoms : nil) }

  /// The conditions the query names, as the titles of the index have them ("hepatitis b"), once the index was
  /// asked (`TitleIndex`): the articles on them rank higher.
  var conditions: [String] = []

  /// How the query was read, e.g. `numbness AND (legs) [symptoms]` or `dengue AND fever (asks about causes: catch)
  /// (condition: dengue fever)`.
  package var interpreted: String {
    var parts = groups.filter { !$0.optional }.map(\.display).joined(separator: " AND ")
    let optional = groups.filter(\.optional).map(\.display)
    if !optional.isEmpty {
      let kind = askedKind.map { " " + $0.rawValue } ?? ""
      parts += (parts.isEmpty ? "" : " ") + "(asks about\(kind): " + optional.joined(separator: ", ") + ")"
    }
    if !conditions.isEmpty { parts += " (condition: " + conditions.joined(separator: "; ") + ")" }
    if describesSymptoms { parts += " (describes symptoms)" }
    if !excluded.isEmpty { parts += " NOT " + excluded.map(\.text).joined(separator: " NOT ") }
    if !kinds.isEmpty { parts += " [" + kinds.map(\.rawValue).joined(separator: ", ") + "]" }
    return parts
  }

  /// The FTS5 expression of a tier; nil when the tier does not apply (a phrase tier for a one-word query). With
  /// `filteringKinds`, the section-kind filter is part of it (else the caller filters the ranked sections).
  package func expression(_ tier: Tier, filteringKinds: Bool = true) -> FTS5Expression? {
    var positive: FTS5Expression
    switch tier {
    case .phrase:
      guard let phraseWords else { return nil }
      positive = Self.phrase(phraseWords)
    case .all:
      let required = groups.filter { !$0.optional }
      guard !required.isEmpty else { return nil }
      positive = .all(required.map(Self.alternatives))
    case .any:
      let chosen = anyTierGroups
      guard !chosen.isEmpty else { return nil }
      positive = .any(chosen.map(Self.alternatives) + titleClauses)
    }
    if filteringKinds && !kinds.isEmpty {
      positive = .restricted(positive, to: .any(kinds.map { .column(.kind, .word($0.rawValue)) }))
    }
    if !excluded.isEmpty { positive = .excluding(positive, .any(excluded)) }
    return positive
  }

  /// A section naming HPO class `id` (`HP:0000414`): the id's number in its `terms` column. FTS5 reads the id
  /// as two tokens, `hp` and `0000414`; the number alone is the class (no other word of the column is seven
  /// digits), and looking up `hp` as well would read the postings of every section naming any class.
  static func classExpression(_ id: String) -> FTS5Expression {
    .column(.terms, .word(id.hasPrefix("HP:") ? String(id.dropFirst(3)) : id))
  }

  /// Whether `alternative` matches the `terms` column only (an HPO class), not words of the text.
  static func isClassExpression(_ alternative: FTS5Expression) -> Bool { alternative.isFiltered(to: .terms) }

  /// The most alternatives a lay phrase adds.
  static let layTargets = 6

  /// The most words a query may have to be searched as a phrase first.
  static let longestPhrase = 8

  /// Most terms an any-term search uses, and the largest share of sections a term may be in to be used.
  static let anyTierTerms = 5
  static let anyTierShare = 0.03
  /// The share's count is at least this many sections: in a small index every term is in a large share.
  private static let anyTierMinimumSections = 50
  /// The most title clauses an any-term search adds (each is one more FTS5 match to rank).
  private static let titleClauseLimit = 8
  /// How many sections the index holds (for `anyTierShare`), once the index was asked.
  var sectionCount: Int?
  /// Titles the query names, as title-column matches (`title : ("heart" AND "attack")`): an any-term search also
  /// finds the articles they head when it leaves their words out as too common.
  var titleClauses: [FTS5Expression] = []

  /// Adds title clauses for the title words of articles the query names (the longest titles first, at most
  /// `titleClauseLimit`).
  mutating func addTitles(_ titles: [[String]]) {
    for words in titles.sorted(by: { $0.count > $1.count }).prefix(Self.titleClauseLimit) where !words.isEmpty {
      titleClauses.append(.column(.title, .all(words.map(FTS5Expression.word))))
    }
  }

  /// The terms an any-term search uses: the rarest ones, each in at most `anyTierShare` of the sections (and
  /// then `anyTierTerms` of them), so that a long question ranks by what is specific in it ("peroxide", "wax")
  /// and does not make SQLite rank thousands of sections for "use" and "minutes"; the rarest term when every term
  /// is common. Without counts (before the index is asked), all terms.
  var anyTierGroups: [Group] {
    guard let sectionCount, groups.count > 1 else { return groups }
    let limit = max(Self.anyTierMinimumSections, Int(Double(sectionCount) * Self.anyTierShare))
    let counted = groups.sorted { ($0.sections ?? 0) < ($1.sections ?? 0) }
    let rare = counted.filter { ($0.sections ?? 0) <= limit }.prefix(Self.anyTierTerms)
    return rare.isEmpty ? Array(counted.prefix(1)) : Array(rare)
  }

  private static func alternatives(_ group: Group) -> FTS5Expression { .either(group.alternatives) }

  /// A term as an FTS5 expression: a quoted word or phrase, `"word"*` for a prefix.
  static func expression(_ term: Query.Term) -> FTS5Expression {
    .phrase(term.words, prefix: term.prefix)
  }

  /// Words as one quoted FTS5 string (`FTS5Expression.phrase`).
  static func phrase(_ words: [String]) -> FTS5Expression { .phrase(words) }

  private static func display(_ term: Query.Term) -> String {
    (term.excluded ? "-" : "") + display(term.words, quoted: term.quoted || term.words.count > 1)
      + (term.prefix ? "*" : "")
  }

  private static func display(_ words: [String], quoted: Bool) -> String {
    quoted ? "\"" + words.joined(separator: " ") + "\"" : words.joined(separator: " ")
  }
}

/// The words that say which kind of section a query asks about (`queryKinds` in `Resources/search-words.json`).
package struct QueryKinds: Sendable {
  struct Cue: Sendable {
    var kind: SectionKind
    var pattern: CuePattern
  }

  let cues: [Cue]

  static let shared: QueryKinds = {
    struct File: Decodable { var queryKinds: [String: [String]] }
    let file = ResourceFile.json("search-words.json", as: File.self)
    var cues: [Cue] = []
    for (name, terms) in file.queryKinds.sorted(by: { $0.key < $1.key }) {
      guard let kind = SectionKind(rawValue: name) else {
        fatalError("search-words.json's queryKinds name an unknown kind '\(name)'")
      }
      for term in terms { cues.append(Cue(kind: kind, pattern: CuePattern(term, anchors: false))) }
    }
    return QueryKinds(cues: cues)
  }()

  /// The kind named by the most cue words of `words` (ties: the earliest), and the indices of those words; nil
  /// when no word names a kind.
  func kind(of words: [String]) -> (kind: SectionKind, indices: Set<Int>)? {
    var found: [SectionKind: (count: Int, first: Int, indices: Set<Int>)] = [:]
    for cue in cues {
      let length = cue.pattern.words.count
      guard length <= words.count else { continue }
      for start in 0...(words.count - length) where cue.pattern.matches(words, at: start) {
        var entry = found[cue.kind] ?? (0, start, [])
        entry.count += length
        entry.first = min(entry.first, start)
        entry.indices.formUnion(start..<(start + length))
        found[cue.kind] = entry
      }
    }
    guard
      let best = found.max(by: { a, b in
        a.value.count != b.value.count ? a.value.count < b.value.count : a.value.first > b.value.first
      })
    else { return nil }
    return (best.key, best.value.indices)
  }
}
