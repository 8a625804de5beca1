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
      var kinds: [KindTerms]
    }
    var contentCues: ContentCues
  }

  /// A cue ready to match: its words, whether the last is a prefix, its weight and kind.
  struct CompiledCue: Sendable {
    var kind: SectionKind
    var term: String
    var words: [String]
    var prefix: Bool
    /// Matches only at the start of the heading (`^` in the lexicon).
    var anchored: Bool
    var weight: Double
  }

  /// The result of classifying one heading.
  public struct Classification: Sendable, Equatable {
    public var kind: SectionKind
    public var confidence: Double
    public var cues: [String]
  }

  static let lexicon = ResourceFile.json("heading-lexicon.json", as: Lexicon.self)

  /// Cues read in a section's text when its heading names no kind (weight 1 each).
  static let sharedContentCues: [CompiledCue] = lexicon.contentCues.kinds.flatMap { entry -> [CompiledCue] in
    guard let kind = SectionKind(rawValue: entry.kind) else {
      fatalError("heading-lexicon.json's contentCues name an unknown kind '\(entry.kind)'")
    }
    return entry.terms.map { term in
      let prefix = term.hasSuffix("*")
      let words = (prefix ? String(term.dropLast()) : term).split(separator: " ").map(String.init)
      return CompiledCue(kind: kind, term: term, words: words, prefix: prefix, anchored: false, weight: 1)
    }
  }

  static let sharedCues: [CompiledCue] = {
    return lexicon.kinds.flatMap { entry -> [CompiledCue] in
      guard let kind = SectionKind(rawValue: entry.kind) else {
        fatalError("heading-lexicon.json names an unknown kind '\(entry.kind)'")
      }
      return entry.cues.map { cue in
        let anchored = cue.term.hasPrefix("^")
        var term = anchored ? String(cue.term.dropFirst()) : cue.term
        let prefix = term.hasSuffix("*")
        if prefix { term.removeLast() }
        let words = term.split(separator: " ").map(String.init)
        return CompiledCue(
          kind: kind, term: cue.term, words: words, prefix: prefix, anchored: anchored, weight: cue.weight)
      }
    }
  }()

  let cues: [CompiledCue]

  /// How many leading words of a heading count as its frame, where cues weigh double.
  static let frameWords = 4

  public init() {
    self.cues = Self.sharedCues
  }

  /// Classifies `heading`. Headings with no cue are `other` with confidence 0.5.
  public func classify(heading: String) -> Classification {
    let words = Self.words(heading)
    var scores: [SectionKind: (score: Double, firstPosition: Int, cues: [String])] = [:]
    for cue in cues {
      guard let position = Self.position(of: cue, in: words) else { continue }
      var entry = scores[cue.kind] ?? (0, Int.max, [])
      // A cue in the first words is the heading's frame ("What are the treatments for …"); later ones may be part
      // of the condition's name ("… inherited thyroxine-binding globulin deficiency").
      entry.score += position < Self.frameWords ? cue.weight * 2 : cue.weight
      entry.firstPosition = min(entry.firstPosition, position)
      entry.cues.append("heading: \(cue.term)")
      scores[cue.kind] = entry
    }
    guard
      let best = scores.max(by: { a, b in
        a.value.score != b.value.score ? a.value.score < b.value.score : a.value.firstPosition > b.value.firstPosition
      })
    else {
      return Classification(kind: .other, confidence: 0.5, cues: [])
    }
    let total = scores.values.reduce(0) { $0 + $1.score }
    let share = best.value.score / total
    let strength = min(1, best.value.score / 3)
    let confidence = (0.5 + 0.45 * share * strength) * 100
    return Classification(kind: best.key, confidence: confidence.rounded() / 100, cues: best.value.cues)
  }

  /// Classifies a section whose heading names no kind from its text: the kind whose content cues occur most, when
  /// they occur `minimumHits` times and `dominance` times as often as the runner-up's. Nil when the text is not
  /// clear either.
  public func classify(text: String) -> Classification? {
    let settings = Self.lexicon.contentCues
    let words = Self.words(text)
    guard !words.isEmpty else { return nil }
    var hits: [SectionKind: (count: Int, terms: [String])] = [:]
    for cue in Self.sharedContentCues {
      let count = Self.occurrences(of: cue, in: words)
      guard count > 0 else { continue }
      hits[cue.kind, default: (0, [])].count += count
      hits[cue.kind, default: (0, [])].terms.append("text: \(cue.term) ×\(count)")
    }
    let ranked = hits.sorted { $0.value.count > $1.value.count }
    guard let best = ranked.first, best.value.count >= settings.minimumHits else { return nil }
    let runnerUp = ranked.count > 1 ? Double(ranked[1].value.count) : 0
    guard Double(best.value.count) >= settings.dominance * runnerUp else { return nil }
    let share = Double(best.value.count) / Double(ranked.reduce(0) { $0 + $1.value.count })
    let confidence = ((0.5 + 0.3 * share) * 100).rounded() / 100
    return Classification(kind: best.key, confidence: confidence, cues: best.value.terms)
  }

  /// How many times the cue's words occur in `words`.
  static func occurrences(of cue: CompiledCue, in words: [String]) -> Int {
    guard !cue.words.isEmpty, words.count >= cue.words.count else { return 0 }
    var count = 0
    for start in 0...(words.count - cue.words.count) {
      var matched = true
      for (offset, cueWord) in cue.words.enumerated() {
        let word = words[start + offset]
        if !(word == cueWord || (offset == cue.words.count - 1 && cue.prefix && word.hasPrefix(cueWord))) {
          matched = false
          break
        }
      }
      if matched { count += 1 }
    }
    return count
  }

  /// Lower-cased words of a heading (letters, digits, `-` and `'` kept inside words).
  static func words(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    for character in text.lowercased() {
      if character.isLetter || character.isNumber || ((character == "-" || character == "'") && !current.isEmpty) {
        current.append(character)
      } else if !current.isEmpty {
        words.append(current)
        current = ""
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// Where the cue's words occur in `words`, or nil.
  static func position(of cue: CompiledCue, in words: [String]) -> Int? {
    guard !cue.words.isEmpty, words.count >= cue.words.count else { return nil }
    for start in 0...(cue.anchored ? 0 : words.count - cue.words.count) {
      var matched = true
      for (offset, cueWord) in cue.words.enumerated() {
        let word = words[start + offset]
        let isLast = offset == cue.words.count - 1
        if !(word == cueWord || (isLast && cue.prefix && word.hasPrefix(cueWord))) {
          matched = false
          break
        }
      }
      if matched { return start }
    }
    return nil
  }
}
