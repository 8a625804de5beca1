import MedRefBase

/// Classifies a section from its heading with the weighted cue lexicon in `Resources/heading-lexicon.json`.
public struct SectionClassifier: Sendable {
  struct Lexicon: Decodable {
    struct Cue: Decodable {
      var term: String
      var weight: Double
    }
    struct KindCues: Decodable {
      var kind: String
      var cues: [Cue]
    }
    var kinds: [KindCues]
    struct ContentCues: Decodable {
      struct KindTerms: Decodable {
        var kind: String
        var terms: [String]
      }
      var minimumHits: Int
      var dominance: Double
      var maximumTextBytes: Int
      var kinds: [KindTerms]
    }
    var contentCues: ContentCues
    /// How entity counts classify a section whose heading and words say nothing: the section kind each entity
    /// type points to, and how clear the count must be.
    struct EntityCues: Decodable {
      var minimumEntities: Int
      var dominance: Double
      var kinds: [String: String]
    }
    var entityCues: EntityCues
    /// When `SectionTextModel` decides a section whose heading names no kind.
    struct TextModelSettings: Decodable {
      /// The text read: its first bytes.
      var maximumTextBytes: Int
      /// How many vocabulary words the text needs.
      var minimumWords: Int
      /// The lead per word the winning kind needs.
      var minimumMargin: Double
      /// The lead with which the text overrides a sub-section's parent kind.
      var overrideParentMargin: Double
      /// Kinds the model does not decide alone (what is left when a text is about nothing in particular).
      var ignoredKinds: Set<String>
      /// Parent kinds a sub-section does not take over.
      var parentKindsNotInherited: Set<String>
      /// The heading score with which a sub-section's own heading overrides its parent's kind (a primary cue in
      /// the heading's frame: "Symptoms" under "Symptoms and causes"); a weaker cue, or one for `other`, does not.
      var overrideParentScore: Double
      /// The most text a group heading has of its own (see `Sectionizer.shareKindsOfGroupHeadings`).
      var maximumGroupLeadInBytes: Int
    }
    var textModel: TextModelSettings
    struct OverviewKinds: Decodable {
      var minimumKinds: Int
      var questionWords: Set<String>
    }
    var overviewKinds: OverviewKinds
  }

  /// A cue ready to match: its words, whether the last is a prefix, its weight and kind.
  struct CompiledCue: Sendable {
    var kind: SectionKind
    var term: String
    /// The cue's words, prefix and anchor (`^`: only at the start of the heading), as written in the lexicon.
    var pattern: CuePattern
    var weight: Double

    var words: [String] { pattern.words }
    var prefix: Bool { pattern.prefix }
  }

  /// The result of classifying one heading.
  public struct Classification: Sendable, Equatable {
    public var kind: SectionKind
    public var confidence: Double
    public var cues: [String]
    /// For a heading: the winning kind's cue weight (a cue in the frame counts double); 0 otherwise.
    public var score: Double = 0
  }

  static let lexicon = ResourceFile.json("heading-lexicon.json", as: Lexicon.self)

  /// Cues read in a section's text when its heading names no kind (weight 1 each).
  static let sharedContentCues: [CompiledCue] = lexicon.contentCues.kinds.flatMap { entry -> [CompiledCue] in
    guard let kind = SectionKind(rawValue: entry.kind) else {
      fatalError("heading-lexicon.json's contentCues name an unknown kind '\(entry.kind)'")
    }
    return entry.terms.map { term in
      CompiledCue(kind: kind, term: term, pattern: CuePattern(term, anchors: false), weight: 1)
    }
  }

  /// Stems of the single-word prefix cues (`treat`, `symptom`) by the FNV-1a hash of their bytes.
  static let prefixStems: [UInt64: String] = Dictionary(
    sharedContentCues.filter { $0.prefix && $0.words.count == 1 }.map {
      (FNV1a.hash($0.words[0].utf8), $0.words[0])
    },
    uniquingKeysWith: { first, _ in first })
  static let longestStem = prefixStems.values.map(\.utf8.count).max() ?? 0

  /// How many words start with each prefix stem, from the counts of distinct words: one hash per word prefix.
  private func prefixCounts(_ counts: [String: Int]) -> [String: Int] {
    var result: [String: Int] = [:]
    for (word, times) in counts {
      var hash = FNV1a()
      var length = 0
      for byte in word.utf8 {
        hash.mix(byte)
        length += 1
        if let stem = Self.prefixStems[hash.value] { result[stem, default: 0] += times }
        if length >= Self.longestStem { break }
      }
    }
    return result
  }

  /// First words of the content cues that are phrases.
  static let phraseStarts: Set<String> = Set(sharedContentCues.filter { $0.words.count > 1 }.map { $0.words[0] })

  static let sharedCues: [CompiledCue] = {
    return lexicon.kinds.flatMap { entry -> [CompiledCue] in
      guard let kind = SectionKind(rawValue: entry.kind) else {
        fatalError("heading-lexicon.json names an unknown kind '\(entry.kind)'")
      }
      return entry.cues.map { cue in
        CompiledCue(kind: kind, term: cue.term, pattern: CuePattern(cue.term), weight: cue.weight)
      }
    }
  }()

  let cues: [CompiledCue]

  /// How many leading words of a heading count as its frame, where cues weigh double.
  static let frameWords = 4

  public init() {
    self.cues = Self.sharedCues
  }

  /// How sure a classification is: `Confidence.base` (a kind no cue speaks for is as likely as not) plus up to
  /// `range` for the winning kind's `share` of the evidence, times its `strength` (0…1), rounded to two decimals.
  /// Each source of evidence (heading cues, text cues, entities) has its range in `Confidence`.
  private static func confidence(range: Double, share: Double, strength: Double = 1) -> Double {
    ((Confidence.base + range * share * strength) * 100).rounded() / 100
  }

  /// The numbers of `confidence(range:share:strength:)` and the fixed confidences.
  private enum Confidence {
    static let base = 0.5
    /// A heading's cues can bring it to 0.95, a section's text cues to 0.8, its entities to 0.75: a heading says
    /// what a section is about more surely than the words below it.
    static let headingRange = 0.45
    static let textRange = 0.3
    static let entityRange = 0.25
    /// The heading score at which its cues count in full (`strength` 1); a weaker score counts in proportion.
    static let fullHeadingScore = 3.0
    /// A heading with no cue: `other`, as likely as not.
    static let noCue = 0.5
    /// A heading naming several kinds ("Causes, Symptoms and Treatment") is an overview, fairly surely.
    static let overview = 0.7
  }

  /// How much more a cue in the heading's frame (its first `frameWords` words) weighs.
  private static let frameWeight = 2.0

  /// Classifies `heading`. Headings with no cue are `other` with confidence 0.5 (`Confidence.noCue`).
  public func classify(heading: String) -> Classification {
    let words = Self.words(heading)
    var scores: [SectionKind: (score: Double, firstPosition: Int, cues: [String])] = [:]
    for cue in cues {
      guard let position = Self.position(of: cue, in: words) else { continue }
      var entry = scores[cue.kind] ?? (0, Int.max, [])
      // A cue in the first words is the heading's frame ("What are the treatments for …"); later ones may be part
      // of the condition's name ("… inherited thyroxine-binding globulin deficiency").
      entry.score += position < Self.frameWords ? cue.weight * Self.frameWeight : cue.weight
      entry.firstPosition = min(entry.firstPosition, position)
      entry.cues.append("heading: \(cue.term)")
      scores[cue.kind] = entry
    }
    guard
      let best = scores.max(by: { a, b in
        a.value.score != b.value.score ? a.value.score < b.value.score : a.value.firstPosition > b.value.firstPosition
      })
    else {
      return Classification(kind: .other, confidence: Confidence.noCue, cues: [])
    }
    // "Ebola Causes, Symptoms, Treatment And Prevention": a heading over all of them is an overview.
    let named = scores.keys.filter { $0 != .other && $0 != .overview }
    if named.count >= Self.lexicon.overviewKinds.minimumKinds,
      !Self.lexicon.overviewKinds.questionWords.contains(words.first ?? "")
    {
      let cues = named.map(\.rawValue).sorted().joined(separator: ", ")
      return Classification(
        kind: .overview, confidence: Confidence.overview, cues: ["heading names \(named.count) kinds: \(cues)"])
    }
    let total = scores.values.reduce(0) { $0 + $1.score }
    let share = best.value.score / total
    let strength = min(1, best.value.score / Confidence.fullHeadingScore)
    let confidence = Self.confidence(range: Confidence.headingRange, share: share, strength: strength)
    return Classification(kind: best.key, confidence: confidence, cues: best.value.cues, score: best.value.score)
  }

  /// Whether a heading asks a question: it ends with `?` or opens with a question word (`overviewKinds.questionWords`).
  public func isQuestion(_ heading: String) -> Bool {
    if heading.trimmingCharacters(in: .whitespaces).hasSuffix("?") { return true }
    return Self.words(heading).first.map(Self.lexicon.overviewKinds.questionWords.contains) ?? false
  }

  /// Classifies a section whose heading names no kind from its text: the kind whose content cues occur most, when
  /// they occur `minimumHits` times and `dominance` times as often as the runner-up's. Nil when the text is not
  /// clear either.
  public func classify(text: String) -> Classification? {
    let settings = Self.lexicon.contentCues
    // The start of a section says what it is about (callers pass its opening, see `Sectionizer.opening(of:)`).
    let words = Self.words(text)
    guard !words.isEmpty else { return nil }
    // Each distinct word once: single-word cues are looked up, prefixes tried on the distinct words, phrases only
    // where their first word stands.
    var counts: [String: Int] = [:]
    var positions: [String: [Int]] = [:]
    for (index, word) in words.enumerated() {
      counts[word, default: 0] += 1
      if Self.phraseStarts.contains(word) { positions[word, default: []].append(index) }
    }
    let stems = prefixCounts(counts)
    var hits: [SectionKind: (count: Int, terms: [String])] = [:]
    for cue in Self.sharedContentCues {
      var count = 0
      if cue.words.count == 1 {
        if cue.prefix {
          count = stems[cue.words[0]] ?? 0
        } else {
          count = counts[cue.words[0]] ?? 0
        }
      } else {
        for start in positions[cue.words[0]] ?? [] where cue.pattern.matches(words, at: start) { count += 1 }
      }
      guard count > 0 else { continue }
      hits[cue.kind, default: (0, [])].count += count
      hits[cue.kind, default: (0, [])].terms.append("text: \(cue.term) ×\(count)")
    }
    let ranked = hits.sorted { $0.value.count > $1.value.count }
    guard let best = ranked.first, best.value.count >= settings.minimumHits else { return nil }
    let runnerUp = ranked.count > 1 ? Double(ranked[1].value.count) : 0
    guard Double(best.value.count) >= settings.dominance * runnerUp else { return nil }
    let share = Double(best.value.count) / Double(ranked.reduce(0) { $0 + $1.value.count })
    let confidence = Self.confidence(range: Confidence.textRange, share: share)
    return Classification(kind: best.key, confidence: confidence, cues: best.value.terms)
  }

  /// Classifies a section whose heading and opening words name no kind from the entities of its text: each entity
  /// votes for the kind its type points to (`entityCues` in the lexicon: medications and procedures for
  /// treatment, tests for tests), counting each distinct term once. The winner needs `minimumEntities` votes and
  /// `dominance` times the runner-up's; nil otherwise.
  public func classify(entities: [Entity]) -> Classification? {
    let settings = Self.lexicon.entityCues
    var seen: Set<String> = []
    var votes: [SectionKind: (count: Int, types: [String: Int])] = [:]
    for entity in entities {
      guard let kindName = settings.kinds[entity.type.rawValue], let kind = SectionKind(rawValue: kindName),
        seen.insert(entity.type.rawValue + "\t" + (entity.normalized ?? entity.text.lowercased())).inserted
      else { continue }
      votes[kind, default: (0, [:])].count += 1
      votes[kind, default: (0, [:])].types[entity.type.rawValue, default: 0] += 1
    }
    let ranked = votes.sorted {
      $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key.rawValue < $1.key.rawValue
    }
    guard let best = ranked.first, best.value.count >= settings.minimumEntities else { return nil }
    let runnerUp = ranked.count > 1 ? Double(ranked[1].value.count) : 0
    guard Double(best.value.count) >= settings.dominance * runnerUp else { return nil }
    let share = Double(best.value.count) / Double(ranked.reduce(0) { $0 + $1.value.count })
    let confidence = Self.confidence(range: Confidence.entityRange, share: share)
    let cues = best.value.types.sorted { $0.key < $1.key }.map { "entities: \($0.key) ×\($0.value)" }
    return Classification(kind: best.key, confidence: confidence, cues: cues)
  }

  /// The words of a heading or text, as `WordScanner` reads them (the cue lexicon and the text model are in this
  /// form).
  static func words(_ text: String) -> [String] { WordScanner.words(text) }

  /// Where the cue's words occur in `words`, or nil.
  static func position(of cue: CompiledCue, in words: [String]) -> Int? { cue.pattern.firstMatch(in: words) }
}
