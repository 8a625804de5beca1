import Foundation

/// Finds named entities — symptoms, tests, medications, procedures — in a section's text by dictionary matching
/// against `EntityLexicon`.
///
/// Matching is by whole words, case-insensitive, with plurals, possessives and UK spellings folded
/// (`TermTokenizer`); the longest term starting at a word wins and matching resumes after it, so entities never
/// overlap. A term continues across spaces or a single hyphen (`X-ray` = `x ray`), never across punctuation or a
/// line break, and never starts or ends at a hyphen joining it to another word (no `pain` in `pain-free`). A
/// one-word term written in capitals in its lexicon (`CBC`, `TENS`) matches only that word in capitals (or with a
/// plural `s`: `CBCs`).
///
/// Offsets (`start`, `end`) are UTF-8 byte offsets into the text given, `end` exclusive: the entity's `text` is
/// `Array(text.utf8)[start..<end]`.
public struct EntityExtractor: Sendable {
  /// The extractor over the bundled lexicons, loaded on first use.
  public static let shared = EntityExtractor(lexicon: .bundled)

  /// Builds the shared lexicon on a thread of its own (tens of milliseconds), so that a run over many files does
  /// not wait for it when its first article is ready.
  public static func prepareInBackground() {
    Thread.detachNewThread { _ = EntityExtractor.shared }
  }

  /// The terms matched.
  public let lexicon: EntityLexicon

  public init(lexicon: EntityLexicon) {
    self.lexicon = lexicon
  }

  /// The entities of `text` in order. For red flags that depend on other words (fever is a red flag with back pain,
  /// not with a cold), those words count on the symptom's own line of `text` and in `context` (the article's title
  /// and the section's heading).
  public func entities(in text: String, context: String = "") -> [Entity] {
    var text = text
    return text.withUTF8 { utf8 in
      let tokens = TermTokenizer.tokens(utf8)
      var found: [Entity] = []
      var contextWords: Set<UInt64>?
      var lineWords: [Int32: Set<UInt64>] = [:]
      var index = 0
      while index < tokens.count {
        guard let (last, entry) = longestTerm(at: index, in: tokens, utf8) else {
          index += 1
          continue
        }
        let start = tokens[index].start
        let end = tokens[last].end
        let record = lexicon.entries[Int(entry)]
        var redFlag = false
        switch record.redFlag {
        case .never: break
        case .always: redFlag = true
        case .with(let words):
          if contextWords == nil { contextWords = self.contextWords(context) }
          // The words of the entity's line, gathered once per line (a text of one huge line has thousands of
          // such symptoms; scanning the line for each would take quadratic time).
          let line = tokens[index].line
          if lineWords[line] == nil {
            var lineStart = index
            while lineStart > 0 && tokens[lineStart - 1].line == line { lineStart -= 1 }
            var lineEnd = last + 1
            while lineEnd < tokens.count && tokens[lineEnd].line == line { lineEnd += 1 }
            lineWords[line] = Set(tokens[lineStart..<lineEnd].map(\.word))
          }
          redFlag = words.contains { word in contextWords!.contains(word) || lineWords[line]!.contains(word) }
        }
        found.append(
          Entity(
            text: String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<end]), as: UTF8.self),
            type: record.type, start: start, end: end, hpo: record.hpo, normalized: record.name,
            redFlag: redFlag))
        index = last + 1
      }
      return found
    }
  }

  /// The last token and the entry of the longest term starting at `tokens[first]`, if one does.
  @inline(__always)
  private func longestTerm(
    at first: Int, in tokens: [TermToken], _ utf8: UnsafeBufferPointer<UInt8>
  ) -> (Int, Int32)? {
    let token = tokens[first]
    guard token.word != 0, token.gap != .hyphen, lexicon.phrases.mayStart(token.word) else { return nil }
    var phrase = token.word
    var value = lexicon.phrases.value(phrase)
    var best: (Int, Int32)?
    var last = first
    while value != 0 {
      let entry = Int32(value & PhraseTable.entryMask) - 1
      if entry >= 0, last + 1 == tokens.count || tokens[last + 1].gap != .hyphen,
        value & PhraseTable.acronym == 0 || isAcronym(tokens[last], of: entry, utf8)
      {
        best = (last, entry)
      }
      let next = last + 1
      guard value & PhraseTable.continues != 0, next < tokens.count, tokens[next].gap != .other,
        tokens[next].word != 0
      else { break }
      phrase = PhraseTable.extend(phrase, tokens[next].word)
      value = lexicon.phrases.value(phrase)
      last = next
    }
    return best
  }

  /// Whether `token` is the acronym of `entry` as written in its lexicon, in capitals, or with a plural `s`.
  private func isAcronym(_ token: TermToken, of entry: Int32, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    let length = lexicon.entries[Int(entry)].acronymLength
    let written = token.end - token.start
    return token.capitals && (written == length || (written == length + 1 && utf8[token.end - 1] == 0x73))
  }

  /// The hashes of the words of `context`.
  private func contextWords(_ context: String) -> Set<UInt64> {
    var context = context
    return context.withUTF8 { utf8 in Set(TermTokenizer.tokens(utf8).map(\.word)) }
  }
}
