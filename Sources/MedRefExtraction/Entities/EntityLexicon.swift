import Foundation
import MedRefBase

/// What kind of thing a named entity is.
public enum EntityType: String, Sendable, Codable, CaseIterable {
  /// A symptom, sign or other phenotypic feature (in the Human Phenotype Ontology's sense, which includes findings
  /// such as arthritis or obesity).
  case symptom
  /// A test, imaging study or examination.
  case test
  /// A medication: generic name, brand name or drug class.
  case medication
  /// A procedure or non-drug treatment: therapy, injection, surgery.
  case procedure
}

/// The terms `EntityExtractor` recognises, read from the data files in `Resources/lexicons/` (their headers give
/// the formats): `hpo-symptoms.tsv` (generated from the Human Phenotype Ontology by `scripts/build-hpo-lexicon`),
/// the hand-written `symptoms.tsv`, `tests.tsv`, `medications.tsv` and `procedures.tsv`, and `red-flags.tsv`.
///
/// Terms are stored in a `PhraseTable`, keyed by the hashes of their folded words (`TermTokenizer`). When two files
/// give the same term, red-flag phrases win over the hand-written lexicons, which win over the HPO.
public struct EntityLexicon: Sendable {
  /// What a term stands for.
  struct Entry: Sendable {
    var type: EntityType
    /// The canonical or preferred name.
    var name: String
    var hpo: String?
    var redFlag: RedFlag
    /// The length in bytes of a one-word term written in capitals (`CRP`), which matches only the same word in
    /// capitals, or with a lower-case plural `s` (`CRPs`, not `CRPS`); 0 for other terms.
    var acronymLength = 0
  }

  /// When a symptom is a red flag.
  enum RedFlag: Sendable, Equatable {
    case never
    case always
    /// When one of these words (hashes of folded words) occurs on the symptom's line, in the section's heading or
    /// in the article's title.
    case with([UInt64])
  }

  let entries: [Entry]
  /// The terms and the runs of words they start with.
  let phrases: PhraseTable
  /// How many terms each file gave (after red-flag phrases were expanded), for reports.
  public let termCounts: [String: Int]
  /// Rows that could not be used (unknown type or HP id, malformed pattern) and terms given twice by one kind of
  /// file: empty for the bundled files, which a test checks.
  public let problems: [String]

  /// The lexicons bundled with MedRef: their compiled form (`compiled.bin`) when it is there and of this version,
  /// else read from their files.
  public static let bundled: EntityLexicon =
    ResourceFile.optionalBytes(compiledResource).flatMap(EntityLexicon.init(compiled:)) ?? bundledSources()

  /// The bundled lexicons read from their tab-separated files (what `compiled.bin` is made from).
  public static func bundledSources() -> EntityLexicon {
    EntityLexicon(
      hpo: ResourceFile.bytes("lexicons/hpo-symptoms.tsv"),
      lexicons: ["symptoms", "tests", "medications", "procedures"].map {
        ($0 + ".tsv", ResourceFile.bytes("lexicons/\($0).tsv"))
      },
      redFlags: ResourceFile.bytes("lexicons/red-flags.tsv"))
  }

  init(entries: [Entry], phrases: PhraseTable, termCounts: [String: Int], problems: [String]) {
    self.entries = entries
    self.phrases = phrases
    self.termCounts = termCounts
    self.problems = problems
  }

  /// A lexicon from the text of its files: the HPO lexicon (`term, HP id, preferred name`), hand-written lexicons
  /// as (file name, text) (`term, type, canonical name, HP id`) and the red flags (`pattern, HP id, name, only
  /// with`).
  public init(hpo: String, lexicons: [(String, String)], redFlags: String) {
    self.init(
      hpo: Array(hpo.utf8), lexicons: lexicons.map { ($0.0, Array($0.1.utf8)) }, redFlags: Array(redFlags.utf8))
  }

  /// The same from the files' bytes. The HPO lexicon (tens of thousands of rows) is read without making a `String`
  /// of each row, so that loading everything takes about 20 ms.
  init(hpo: [UInt8], lexicons: [(String, [UInt8])], redFlags: [UInt8]) {
    var builder = Builder()
    let flagRows = Self.rows(redFlags)
    // Red flags by HPO class first: the HPO and hand-written entries of those classes are flagged as they are made.
    var classFlags: [Int: RedFlag] = [:]
    for row in flagRows {
      if let id = Self.hpoNumber(row[0]) {
        classFlags[id] = builder.redFlag(onlyWith: row.count > 3 ? row[3] : "")
      }
    }

    var names: [Int: String] = [:]
    var counts = ["hpo-symptoms.tsv": Self.addHPO(hpo, classFlags: classFlags, names: &names, to: &builder)]
    for (file, text) in lexicons {
      counts[file] = Self.addLexicon(file, text, names: names, classFlags: classFlags, to: &builder)
    }
    counts["red-flags.tsv"] = Self.addRedFlagPhrases(flagRows, names: names, to: &builder)
    for (id, _) in classFlags where names[id] == nil {
      builder.problems.append("red-flags.tsv: HP:\(id) is not in hpo-symptoms.tsv")
    }

    builder.finish()
    entries = builder.entries
    phrases = builder.phrases
    termCounts = counts
    problems = builder.problems
  }

  /// Adds the HPO: one entry per class, shared by its names and synonyms (the rows of a class are consecutive),
  /// flagged by `classFlags`. Records each class's name in `names`; returns how many terms it added.
  private static func addHPO(
    _ hpo: [UInt8], classFlags: [Int: RedFlag], names: inout [Int: String], to builder: inout Builder
  ) -> Int {
    var hpoTerms = 0
    hpo.withUnsafeBufferPointer { bytes in
      var lineStart = 0
      var currentClass = -1
      var entry: Int32 = -1
      while lineStart < bytes.count {
        let lineEnd = Self.lineEnd(bytes, from: lineStart)
        defer { lineStart = lineEnd + 1 }
        guard lineEnd > lineStart, bytes[lineStart] != UInt8(ascii: "#") else { continue }
        let firstTab = Self.tab(bytes, from: lineStart, to: lineEnd)
        let secondTab = Self.tab(bytes, from: firstTab + 1, to: lineEnd)
        guard secondTab < lineEnd, let id = Self.hpoNumber(bytes, firstTab + 1..<secondTab) else {
          builder.problems.append("hpo-symptoms.tsv: malformed row \(Self.string(bytes, lineStart..<lineEnd))")
          continue
        }
        if id != currentClass {
          var nameEnd = Self.tab(bytes, from: secondTab + 1, to: lineEnd)
          if nameEnd > secondTab + 1 && bytes[nameEnd - 1] == 0x0D { nameEnd -= 1 }
          let name = Self.string(bytes, secondTab + 1..<nameEnd)
          names[id] = name
          entry = builder.add(
            Entry(
              type: .symptom, name: name, hpo: Self.string(bytes, firstTab + 1..<secondTab),
              redFlag: classFlags[id] ?? .never),
            priority: 2, file: "hpo-symptoms.tsv")
          currentClass = id
        }
        let term = UnsafeBufferPointer(rebasing: bytes[lineStart..<firstTab])
        builder.insert(term, entry: entry)
        hpoTerms += 1
      }
    }
    return hpoTerms
  }

  /// Adds the hand-written lexicon `file` (its bytes `text`), whose HPO ids must be classes of `names`; returns how
  /// many terms it added.
  private static func addLexicon(
    _ file: String, _ text: [UInt8], names: [Int: String], classFlags: [Int: RedFlag], to builder: inout Builder
  ) -> Int {
    var terms = 0
    for row in Self.rows(text) {
      guard row.count >= 2, let type = EntityType(rawValue: row[1]) else {
        builder.problems.append("\(file): unknown type in row \(row.joined(separator: "\t"))")
        continue
      }
      let canonical = row.count > 2 && !row[2].isEmpty ? row[2] : nil
      let id = row.count > 3 && !row[3].isEmpty ? row[3] : nil
      let number = id.flatMap(Self.hpoNumber)
      if let id, number.flatMap({ names[$0] }) == nil {
        builder.problems.append("\(file): \(row[0]): \(id) is not in hpo-symptoms.tsv")
        continue
      }
      let entry = builder.add(
        Entry(
          type: type, name: canonical ?? number.flatMap { names[$0] } ?? row[0], hpo: id,
          redFlag: number.flatMap { classFlags[$0] } ?? .never),
        priority: 1, file: file)
      builder.insert(row[0], entry: entry)
      terms += 1
    }
    return terms
  }

  /// Adds the red-flag phrases of `flagRows` (the rows not keyed by an HPO class), each pattern expanded; returns
  /// how many phrases it added.
  private static func addRedFlagPhrases(
    _ flagRows: [[String]], names: [Int: String], to builder: inout Builder
  ) -> Int {
    var flagPhrases = 0
    for row in flagRows where Self.hpoNumber(row[0]) == nil {
      let id = row.count > 1 && !row[1].isEmpty ? row[1] : nil
      let number = id.flatMap(Self.hpoNumber)
      if let id, number.flatMap({ names[$0] }) == nil {
        builder.problems.append("red-flags.tsv: \(row[0]): \(id) is not in hpo-symptoms.tsv")
        continue
      }
      guard let expansions = Self.expand(Substring(row[0])), let first = expansions.first else {
        builder.problems.append("red-flags.tsv: malformed pattern \(row[0])")
        continue
      }
      let given = row.count > 2 && !row[2].isEmpty ? row[2] : nil
      let flag = builder.redFlag(onlyWith: row.count > 3 ? row[3] : "")
      let entry = builder.add(
        Entry(type: .symptom, name: given ?? number.flatMap { names[$0] } ?? first, hpo: id, redFlag: flag),
        priority: 0, file: "red-flags.tsv")
      for phrase in expansions {
        builder.insert(phrase, entry: entry)
      }
      flagPhrases += expansions.count
    }
    return flagPhrases
  }

  /// Calls `body` with the fields (byte ranges) of each row of a tab-separated file, leaving out blank lines and
  /// `#` comments.
  private static func forEachRow(_ bytes: UnsafeBufferPointer<UInt8>, _ body: ([Range<Int>]) -> Void) {
    var fields: [Range<Int>] = []
    var lineStart = 0
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
      var contentEnd = lineEnd
      if contentEnd > lineStart && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      var first = lineStart
      while first < contentEnd && (bytes[first] == 0x20 || bytes[first] == 0x09) { first += 1 }
      if first < contentEnd && bytes[first] != UInt8(ascii: "#") {
        fields.removeAll(keepingCapacity: true)
        var fieldStart = lineStart
        for index in lineStart..<contentEnd where bytes[index] == 0x09 {
          fields.append(fieldStart..<index)
          fieldStart = index + 1
        }
        fields.append(fieldStart..<contentEnd)
        body(fields)
      }
      lineStart = lineEnd + 1
    }
  }

  /// The index of the line feed ending the line that starts at `start`, or the end of `bytes`.
  @inline(__always)
  private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    guard start < bytes.count,
      let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start)
    else { return bytes.count }
    return bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
  }

  /// The index of the first tab from `start` before `end`, or `end`.
  @inline(__always)
  private static func tab(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
    var index = start
    while index < end && bytes[index] != 0x09 { index += 1 }
    return index
  }

  /// The rows of a small tab-separated file as strings.
  private static func rows(_ bytes: [UInt8]) -> [[String]] {
    var rows: [[String]] = []
    bytes.withUnsafeBufferPointer { buffer in
      forEachRow(buffer) { fields in rows.append(fields.map { string(buffer, $0) }) }
    }
    return rows
  }

  private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// The number of an HP id (`HP:0003401` → 3401), or nil when `text` is not one.
  private static func hpoNumber(_ text: String) -> Int? {
    var text = text
    return text.withUTF8 { hpoNumber($0, 0..<$0.count) }
  }

  private static func hpoNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    let start = range.lowerBound
    guard range.count > 3, bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "P"),
      bytes[start + 2] == UInt8(ascii: ":")
    else { return nil }
    var number = 0
    for index in (start + 3)..<range.upperBound {
      let digit = bytes[index] &- 0x30
      guard digit < 10 else { return nil }
      number = number * 10 + Int(digit)
    }
    return number
  }

  /// Every phrase a red-flag pattern stands for: `(a|b c)` is a choice, `[a|b]` an optional choice. Nil for a
  /// malformed pattern (unclosed bracket, nesting).
  static func expand(_ pattern: Substring) -> [String]? {
    var choices: [[String]] = []
    var index = pattern.startIndex
    while index < pattern.endIndex {
      let character = pattern[index]
      if character == " " {
        index = pattern.index(after: index)
      } else if character == "(" || character == "[" {
        let close: Character = character == "(" ? ")" : "]"
        guard let end = pattern[index...].firstIndex(of: close) else { return nil }
        let inside = pattern[pattern.index(after: index)..<end]
        guard !inside.contains("("), !inside.contains("[") else { return nil }
        var options = inside.split(separator: "|", omittingEmptySubsequences: false).map {
          $0.trimmingCharacters(in: .whitespaces)
        }
        if close == "]" { options.append("") }
        choices.append(options)
        index = pattern.index(after: end)
      } else {
        let end = pattern[index...].firstIndex(where: { $0 == " " || $0 == "(" || $0 == "[" }) ?? pattern.endIndex
        choices.append([String(pattern[index..<end])])
        index = end
      }
    }
    var phrases = [""]
    for options in choices {
      phrases = phrases.flatMap { phrase in
        options.map { option in option.isEmpty ? phrase : phrase.isEmpty ? option : phrase + " " + option }
      }
    }
    phrases = phrases.filter { !$0.isEmpty }
    return phrases.isEmpty ? nil : phrases
  }

  /// Fills the phrase table.
  private struct Builder {
    var entries: [Entry] = []
    /// Per entry: the priority of its file (0 red flags, 1 hand-written, 2 HPO) and the file's number in `files`.
    var priorities: [UInt8] = []
    var fileNumbers: [UInt8] = []
    var files: [String] = []
    var phrases = PhraseTable(capacity: 100_000)
    var problems: [String] = []
    var tokens: [TermToken] = []

    init() {
      entries.reserveCapacity(20_000)
    }

    mutating func finish() {
      phrases.finish()
    }

    mutating func add(_ entry: Entry, priority: UInt8, file: String) -> Int32 {
      entries.append(entry)
      priorities.append(priority)
      if files.last != file { files.append(file) }
      fileNumbers.append(UInt8(truncatingIfNeeded: files.count - 1))
      return Int32(entries.count - 1)
    }

    /// The red-flag rule of an `only with` field: always when it is empty.
    func redFlag(onlyWith words: String) -> RedFlag {
      guard !words.isEmpty else { return .always }
      var hashes: [UInt64] = []
      var text = words
      text.withUTF8 { utf8 in
        hashes = TermTokenizer.tokens(utf8).map(\.word)
      }
      return .with(hashes)
    }

    mutating func insert(_ term: String, entry: Int32) {
      var term = term
      term.withUTF8 { insert($0, entry: entry) }
    }

    /// Adds the term `utf8` for `entry`, unless a term of a higher priority (a lower number) is the same words.
    mutating func insert(_ utf8: UnsafeBufferPointer<UInt8>, entry: Int32) {
      tokens.removeAll(keepingCapacity: true)
      TermTokenizer.tokens(utf8, into: &tokens)
      let file = files[Int(fileNumbers[Int(entry)])]
      guard !tokens.isEmpty else {
        problems.append("\(file): no words in term '\(String(decoding: utf8, as: UTF8.self))'")
        return
      }
      var phrase: UInt64 = 0
      phrases.markStart(tokens[0].word)
      for (index, token) in tokens.enumerated() {
        let word = token.word
        guard word != 0 else {
          problems.append("\(file): a word too long in '\(String(decoding: utf8, as: UTF8.self))'")
          return
        }
        phrase = index == 0 ? word : PhraseTable.extend(phrase, word)
        if index < tokens.count - 1 {
          phrases.set(phrase, phrases.value(phrase) | PhraseTable.continues)
        }
      }
      let old = phrases.value(phrase)
      let oldEntry = Int(old & PhraseTable.entryMask) - 1
      if oldEntry == Int(entry) { return }
      let priority = priorities[Int(entry)]
      if oldEntry >= 0 && priority >= priorities[oldEntry] {
        // Hand-written files must not give a term twice, nor the HPO file (its script folds words as MedRef does
        // and keeps one row per folded form).
        if priority == priorities[oldEntry] {
          let term = String(decoding: utf8, as: UTF8.self)
          let other = files[Int(fileNumbers[oldEntry])]
          problems.append("\(file): '\(term)' is already in \(other) (same folded words)")
        }
        return
      }
      let acronym = tokens.count == 1 && tokens[0].capitals && tokens[0].end - tokens[0].start >= 2
      if acronym { entries[Int(entry)].acronymLength = tokens[0].end - tokens[0].start }
      phrases.set(
        phrase, old & PhraseTable.continues | (acronym ? PhraseTable.acronym : 0) | UInt64(entry + 1))
    }
  }
}
