import Foundation
import MedRefBase

/// The boilerplate rules of `Resources/plaintext-cues.json` (`boilerplate`), as written there.
package struct LineBoilerplateCues: Sendable, Decodable {
  struct Rule: Sendable, Decodable {
    var kind: String
    var words: [String]
    var patterns: [String]
  }

  struct Patterns: Sendable, Decodable {
    var patterns: [String]
  }

  struct Opener: Sendable, Decodable {
    var explicit: Bool
    var pattern: String
  }

  struct Cue: Sendable, Decodable {
    var weight: Double
    var pattern: String
  }

  struct Bio: Sendable, Decodable {
    var maximumCharacters: Int
    var minimumScore: Double
    var minimumStrongCues: Int
    var strongWeight: Double
    var openerWords: Set<String>
    var openers: [Opener]
    var personCues: [String]
    var cues: [Cue]
  }

  var maximumLineCharacters: Int
  var maximumSegmentCharacters: Int
  var segmentSeparators: [String]
  var definitions: [String: String]
  var labelKinds: Set<String>
  var rules: [Rule]
  var citation: Patterns
  var bio: Bio
}

/// Recognises the lines of pasted web text that are not article content — view counters, "Co-authored by",
/// "Last Updated: …", "Sources", "Advertisement", share bars, newsletter and cookie notices, copyright lines — and
/// author bios, with the patterns and cue phrases of `Resources/plaintext-cues.json`. Both parsers use it, so it sits
/// with the document model they build on: the plain-text parser drops such lines, the HTML parser such paragraphs
/// inside the article.
package struct LineBoilerplate: Sendable {
  /// A rule ready to match: its kind, the words that make it worth trying, and its whole-line patterns.
  struct LineRule: Sendable {
    var kind: String
    /// Lower-case words (or single symbols) one of which a line must hold for the rule to be tried; empty: always.
    var words: Set<String>
    var patterns: [LazyPattern]
  }

  /// A weighted bio cue.
  struct BioCue: Sendable {
    var weight: Double
    var pattern: LazyPattern
  }

  let maximumLineCharacters: Int
  let maximumSegmentCharacters: Int
  let separators: Set<Character>
  /// Whether a UTF-8 byte starts one of the separators, indexed by byte: a quick test before splitting.
  let separatorLeadBytes: [Bool]
  /// For each trigger word, the rules (bits by index in `rules`) that it makes worth trying.
  let triggers: [String: UInt64]
  /// The rules without words, tried on every line.
  let alwaysTried: UInt64
  let labelKinds: Set<String>
  let rules: [LineRule]
  let citations: [LazyPattern]
  let bio: LineBoilerplateCues.Bio
  let bioOpeners: [(explicit: Bool, pattern: LazyPattern)]
  let personCues: [LazyPattern]
  let bioCues: [BioCue]

  static let shared = LineBoilerplate(PlainTextCues.shared.boilerplate)

  init(_ cues: LineBoilerplateCues) {
    maximumLineCharacters = cues.maximumLineCharacters
    maximumSegmentCharacters = cues.maximumSegmentCharacters
    separators = Set(cues.segmentSeparators.compactMap(\.first))
    var leadBytes = [Bool](repeating: false, count: 256)
    for separator in cues.segmentSeparators { if let first = separator.utf8.first { leadBytes[Int(first)] = true } }
    separatorLeadBytes = leadBytes
    labelKinds = cues.labelKinds
    let expand = { (pattern: String) in Self.expand(pattern, definitions: cues.definitions) }
    rules = cues.rules.map { rule in
      LineRule(
        kind: rule.kind, words: Set(rule.words.map { $0.lowercased() }),
        patterns: rule.patterns.map { Self.compile(Self.wholeLine(expand($0))) })
    }
    precondition(rules.count <= 64, "plaintext-cues.json: at most 64 boilerplate rules")
    var triggers: [String: UInt64] = [:]
    var alwaysTried: UInt64 = 0
    for (index, rule) in rules.enumerated() {
      if rule.words.isEmpty { alwaysTried |= 1 << index }
      for word in rule.words { triggers[word, default: 0] |= 1 << index }
    }
    self.triggers = triggers
    self.alwaysTried = alwaysTried
    citations = cues.citation.patterns.map { Self.compile(Self.wholeLine(expand($0))) }
    bio = cues.bio
    bioOpeners = cues.bio.openers.map { ($0.explicit, Self.compile("^" + expand($0.pattern))) }
    personCues = cues.bio.personCues.map { Self.compile(expand($0)) }
    bioCues = cues.bio.cues.map { BioCue(weight: $0.weight, pattern: Self.compile(expand($0.pattern))) }
  }

  // MARK: - Lines

  /// The kind of boilerplate `line` is (a line of text, white space collapsed), or nil for content. The whole line
  /// must match a rule, or else every part of it between separators (`|`, `•`, `·`) must.
  func kind(of line: String) -> String? {
    guard !line.isEmpty, line.utf8.count <= maximumLineCharacters else { return nil }
    if let kind = ruleKind(line) { return kind }
    guard line.utf8.contains(where: { separatorLeadBytes[Int($0)] }) else { return nil }
    let segments = line.split(whereSeparator: separators.contains).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
    guard segments.count >= 2 else { return nil }
    var first: String?
    for segment in segments {
      guard segment.utf8.count <= maximumSegmentCharacters, let kind = ruleKind(segment) else { return nil }
      first = first ?? kind
    }
    return first
  }

  /// Whether `kind` names a label ("Sources") that is boilerplate only when citations or nothing follow it.
  func isLabel(_ kind: String) -> Bool { labelKinds.contains(kind) }

  /// Whether `line` looks like a citation (a link, a DOI, "et al.", a year...), as lines after "Sources" do.
  func isCitation(_ line: String) -> Bool {
    citations.contains { Self.matches($0, line) }
  }

  private func ruleKind(_ text: String) -> String? {
    var candidates = candidateRules(text)
    while candidates != 0 {
      let index = candidates.trailingZeroBitCount
      candidates &= candidates - 1
      if rules[index].patterns.contains(where: { Self.matches($0, text) }) { return rules[index].kind }
    }
    return nil
  }

  /// The rules worth trying on `text` (bits by index in `rules`): those with one of its words.
  func candidateRules(_ text: String) -> UInt64 {
    var mask = alwaysTried
    Self.forEachWord(in: text) { word in
      if let rules = triggers[word] { mask |= rules }
    }
    return mask
  }

  /// Calls `body` with each word of `text` and each symbol of its own (`©`, `›`, `%`), as `WordScanner` reads them
  /// with `symbols`.
  static func forEachWord(in text: some StringProtocol, _ body: (String) -> Void) {
    WordScanner.forEachToken(in: text, options: .symbols) { bytes, _ in body(String(decoding: bytes, as: UTF8.self)) }
  }

  // MARK: - Bios

  /// Whether `paragraph` is an author bio: it opens like one ("Dr. …", "Jane Doe, MD, is …", "She has …",
  /// "This article was co-authored by …") and its cues (professions, degrees, credentials, years of experience)
  /// add up to the thresholds of the data file.
  func isBio(_ paragraph: String) -> Bool {
    let firstWords = paragraph.split(separator: " ", maxSplits: 2).prefix(2)
    guard let firstWord = firstWords.first else { return false }
    let opensWithOpenerWord = bio.openerWords.contains(
      firstWord.lowercased().trimmingCharacters(in: .punctuationCharacters))
    let opensWithName =
      firstWords.count == 2 && firstWords.allSatisfy { $0.first?.isUppercase == true && $0.count > 1 }
    guard opensWithOpenerWord || opensWithName, paragraph.count <= bio.maximumCharacters,
      let opener = bioOpeners.first(where: { Self.matches($0.pattern, paragraph) })
    else { return false }
    var score = 0.0
    var strong = 0
    for cue in bioCues where Self.matches(cue.pattern, paragraph) {
      score += cue.weight
      if cue.weight >= bio.strongWeight { strong += 1 }
    }
    guard score >= bio.minimumScore, strong >= bio.minimumStrongCues else { return false }
    return opener.explicit || personCues.contains { Self.matches($0, paragraph) }
  }

  // MARK: - Patterns

  /// `{NAME}` replaced by its definition, repeatedly (definitions may use one another).
  static func expand(_ pattern: String, definitions: [String: String]) -> String {
    var expanded = pattern
    for _ in 0..<4 {
      var changed = false
      for (name, definition) in definitions where expanded.contains("{\(name)}") {
        expanded = expanded.replacingOccurrences(of: "{\(name)}", with: definition)
        changed = true
      }
      if !changed { break }
    }
    return expanded
  }

  /// A pattern that must match a whole line, allowing punctuation and symbols around it (`— Advertisement —`,
  /// `Sources:`).
  static func wholeLine(_ pattern: String) -> String {
    "^" + edgeClass + "*(?:" + pattern + ")" + edgeClass + "*$"
  }

  /// Spaces, punctuation and symbols as an explicit class: ASCII punctuation, Latin-1 signs, general punctuation
  /// (dashes, quotes, bullets, `…`), currency, arrows, technical and box symbols, dingbats, CJK and full-width
  /// punctuation and emoji. ICU builds `\p{P}` and `\p{S}` from its property tables every time a pattern names
  /// them, which made compiling the rules cost tens of millions of instructions per process.
  static let edgeClass =
    "[\\s!-/:-@\\[-`{-~\\x{A1}-\\x{A9}\\x{AB}-\\x{B1}\\x{B4}\\x{B6}-\\x{B8}\\x{BB}\\x{BF}\\x{D7}\\x{F7}"
    + "\\x{2010}-\\x{205E}\\x{20A0}-\\x{20CF}"
    + "\\x{2100}-\\x{214F}\\x{2190}-\\x{2BFF}\\x{3000}-\\x{303F}\\x{FE30}-\\x{FE4F}\\x{FF01}-\\x{FF0F}"
    + "\\x{1F000}-\\x{1FAFF}]"

  static func compile(_ pattern: String) -> LazyPattern { LazyPattern(pattern) }

  /// Compiles `pattern` now (case-insensitive); a bad pattern in the resource is a programming error.
  static func compileNow(_ pattern: String) -> NSRegularExpression {
    do {
      return try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    } catch {
      fatalError("MedRef's resource plaintext-cues.json has a bad pattern \(pattern): \(error)")
    }
  }

  /// Whether `pattern` matches somewhere in `text` (whole-line patterns carry their own anchors).
  static func matches(_ pattern: LazyPattern, _ text: String) -> Bool { matches(pattern.regex, text) }

  static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
    pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }
}

/// A regular expression compiled on first use: the rules' patterns take tens of milliseconds to compile, and most
/// runs try only a few of them. Safe to share between threads.
package final class LazyPattern: Sendable {
  private let source: String
  private let compiled = Locked<NSRegularExpression?>(nil)

  init(_ source: String) { self.source = source }

  var regex: NSRegularExpression {
    compiled.withLock { compiled in
      if let compiled { return compiled }
      let regex = LineBoilerplate.compileNow(source)
      compiled = regex
      return regex
    }
  }
}
