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
  }

  /// A cue ready to match: its words, whether the last is a prefix, its weight and kind.
  struct CompiledCue: Sendable {
    var kind: SectionKind
    var term: String
    var words: [String]
    var prefix: Bool
    var weight: Double
  }

  /// The result of classifying one heading.
  public struct Classification: Sendable, Equatable {
    public var kind: SectionKind
    public var confidence: Double
    public var cues: [String]
  }

  static let sharedCues: [CompiledCue] = {
    let lexicon = ResourceFile.json("heading-lexicon.json", as: Lexicon.self)
    return lexicon.kinds.flatMap { entry -> [CompiledCue] in
      guard let kind = SectionKind(rawValue: entry.kind) else {
        fatalError("heading-lexicon.json names an unknown kind '\(entry.kind)'")
      }
      return entry.cues.map { cue in
        let prefix = cue.term.hasSuffix("*")
        let words = (prefix ? String(cue.term.dropLast()) : cue.term).split(separator: " ").map(String.init)
        return CompiledCue(kind: kind, term: cue.term, words: words, prefix: prefix, weight: cue.weight)
      }
    }
  }()

  let cues: [CompiledCue]

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
      entry.score += cue.weight
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
    for start in 0...(words.count - cue.words.count) {
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
