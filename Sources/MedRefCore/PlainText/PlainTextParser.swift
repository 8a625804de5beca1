import Foundation

/// Cues for reading pasted plain text, from `Resources/plaintext-cues.json`.
struct PlainTextCues: Sendable, Decodable {
  var minorWords: Set<String>
  var leadInWords: Set<String>
  var maximumHeadingWords: Int
  var maximumHeadingCharacters: Int
  var maximumColonHeadingWords: Int
  var titleCaseRatio: Double
  var maximumQuestionHeadingWords: Int
  var maximumQuestionHeadingCharacters: Int
  var questionWords: Set<String>
  var questionFollowers: Set<String>

  static let shared = ResourceFile.json("plaintext-cues.json", as: PlainTextCues.self)
}

/// Reads text pasted from a web page: headings flattened into lines (Title Case lines, questions, lines ending
/// with `:` or `-`), paragraphs, and list items drawn with `•`, `-`, `*` or numbers.
public struct PlainTextParser: Sendable {
  let cues: PlainTextCues

  public init() {
    self.cues = PlainTextCues.shared
  }

  /// Parses `text` (already decoded and repaired).
  public func parse(_ text: String) -> Document {
    var blocks: [Block] = []
    var title: String?
    var previousWasBlank = true
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = TextNormalizer.collapseWhitespace(String(rawLine))
      if line.isEmpty {
        previousWasBlank = true
        continue
      }
      defer { previousWasBlank = false }
      if let item = TextNormalizer.listItemText(line) {
        blocks.append(Block(.listItem, item.text))
        continue
      }
      if let level = headingLevel(line) {
        if title == nil && blocks.isEmpty {
          title = line
          blocks.append(Block(.heading, line, level: 1))
        } else {
          blocks.append(Block(.heading, stripHeadingPunctuation(line), level: level))
        }
        continue
      }
      // A hard-wrapped paragraph: a line that goes on a sentence the previous line left open.
      if !previousWasBlank, let last = blocks.last, last.kind == .paragraph || last.kind == .listItem,
        let lastCharacter = last.text.last, !".!?:;\"”)".contains(lastCharacter),
        line.first?.isLowercase == true
      {
        blocks[blocks.count - 1].text += " " + line
        continue
      }
      blocks.append(Block(.paragraph, line))
    }
    return Document(title: title, blocks: blocks)
  }

  /// The heading level a line has (2 for headings, 3 for sentence-case `Label:` sub-headings), or nil for text.
  func headingLevel(_ line: String) -> Int? {
    guard let last = line.last else { return nil }
    let words = line.split(separator: " ")
    guard !line.contains(". "), !line.contains("; ") else { return nil }
    // A question on a line of its own heads what answers it (FAQ pages), even when it is long.
    if last == "?" {
      let fits = words.count <= cues.maximumQuestionHeadingWords
        && line.count <= cues.maximumQuestionHeadingCharacters
      return fits ? 2 : nil
    }
    guard line.count <= cues.maximumHeadingCharacters, words.count <= cues.maximumHeadingWords else { return nil }
    if last == ":" || (last == "-" && !line.hasSuffix("--")) {
      let body = String(line.dropLast()).trimmingCharacters(in: .whitespaces)
      guard !body.isEmpty else { return nil }
      if isTitleCase(body) { return 2 }
      let lastWord = body.split(separator: " ").last.map { String($0).lowercased() } ?? ""
      if cues.leadInWords.contains(lastWord) || words.count > cues.maximumColonHeadingWords { return nil }
      return 3
    }
    if ".,;!\"”'’)]".contains(last) { return nil }
    if !line.contains("?") && isQuestion(words) { return 2 }
    return isTitleCase(line) ? 2 : nil
  }

  /// Whether a line's words ask a question without its question mark: a question word followed by a verb or `to`
  /// ("How is lumbar strain diagnosed", "What to do for a sprain"; not "When you feel pain").
  func isQuestion(_ words: [Substring]) -> Bool {
    guard words.count >= 3 else { return false }
    return cues.questionWords.contains(words[0].lowercased()) && cues.questionFollowers.contains(words[1].lowercased())
  }

  /// Most significant words start with a capital letter (or digit), and so does the first word.
  func isTitleCase(_ text: String) -> Bool {
    let words = text.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }.filter {
      !$0.isEmpty
    }
    guard let first = words.first?.first, first.isUppercase || first.isNumber else { return false }
    if words.count == 1 { return words[0].count >= 3 && words[0].first!.isUppercase }
    let significant = words.dropFirst().filter { !cues.minorWords.contains($0.lowercased()) }
    guard !significant.isEmpty else { return true }
    let capitalised = significant.filter { $0.first!.isUppercase || $0.first!.isNumber }.count
    return Double(capitalised) >= cues.titleCaseRatio * Double(significant.count)
  }

  private func stripHeadingPunctuation(_ line: String) -> String {
    var heading = line
    while let last = heading.last, last == ":" || last == "-" { heading.removeLast() }
    return heading.trimmingCharacters(in: .whitespaces)
  }
}
