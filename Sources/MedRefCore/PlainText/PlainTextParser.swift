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
  /// Verbs that open a yes/no question ("Do", "Is", "Can") when one of `questionSubjects` follows.
  var auxiliaryQuestionWords: Set<String>
  var questionSubjects: Set<String>
  /// Answer buttons ("Yes", "No") that go with a dropped line just above them.
  var answerButtons: Set<String>
  var maximumNumberedHeadingWords: Int
  var minimumLabelLetters: Int
  var maximumTwinGap: Int
  var romanNumerals: String
  var furniture: PlainTextFurnitureCues
  var page: PlainTextPageCues
  var boilerplate: PlainTextBoilerplateCues

  static let shared = ResourceFile.json("plaintext-cues.json", as: PlainTextCues.self)
}

/// Reads text pasted from a web page: headings flattened into lines (Title Case lines, questions, lines ending
/// with `:` or `-`), paragraphs, and list items drawn with `•`, `-`, `*` or numbers (nested by indentation).
/// Lines that are not article content — author bios, view counters, bylines, "Sources" with its citations, share
/// bars, newsletter and cookie notices (see `PlainTextBoilerplate`) — are left out and recorded in
/// `Document.dropped` with their line numbers.
public struct PlainTextParser: Sendable {
  let cues: PlainTextCues
  /// The boilerplate rules, compiled on first use (their regular expressions take tens of milliseconds, which
  /// runs over HTML pages only never pay).
  var boilerplate: PlainTextBoilerplate { PlainTextBoilerplate.shared }
  var furniture: PlainTextFurniture { PlainTextFurniture.shared }

  public init() {
    self.cues = PlainTextCues.shared
  }

  /// One line of the source: its 1-based number, its text with white space collapsed, and its indentation.
  struct SourceLine {
    var number: Int
    var text: String
    var indent: Int
  }

  /// Parses `text` (already decoded and repaired).
  public func parse(_ text: String) -> Document {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, raw in
      SourceLine(
        number: index + 1, text: TextNormalizer.collapseWhitespace(String(raw)), indent: Self.indentation(of: raw))
    }
    var kinds = boilerplateKinds(lines)
    var dropped: [DroppedBlock] = []
    let twinHeadings = mergeHeadingTwins(&lines, kinds: kinds, dropped: &dropped)
    dropFurniture(&lines, kinds: &kinds, headings: twinHeadings, dropped: &dropped)
    let next = Self.nextTextLines(lines)
    var blocks: [Block] = []
    var title: String?
    var previousWasBlank = true
    // The kind of the line before when it was dropped: a line that goes on its sentence is dropped with it.
    var droppedKind: String?
    // After a dropped "Sources" label, its citations are dropped until a line that is not one.
    var inCitations = false
    // The indentation of each open level of the current list.
    var listIndents: [Int] = []
    for (index, source) in lines.enumerated() {
      let line = source.text
      if line.isEmpty {
        previousWasBlank = true
        droppedKind = nil
        continue
      }
      defer { previousWasBlank = false }
      let item = TextNormalizer.listItemText(line)
      if inCitations {
        if item != nil || boilerplate.isCitation(line) {
          dropped.append(DroppedBlock(line: source.number, kind: "citation", text: line))
          droppedKind = "citation"
          continue
        }
        inCitations = false
      }
      if let kind = kinds[index] {
        dropped.append(DroppedBlock(line: source.number, kind: kind, text: line))
        droppedKind = kind
        inCitations = inCitations || boilerplate.isLabel(kind)
        continue
      }
      if let kind = droppedKind, !previousWasBlank, line.first?.isLowercase == true {
        dropped.append(DroppedBlock(line: source.number, kind: kind, text: line))
        continue
      }
      // The buttons under a dropped question ("Did you find this helpful?" / "Yes" / "No") go with it.
      if let kind = droppedKind, !previousWasBlank, cues.answerButtons.contains(line.lowercased()) {
        dropped.append(DroppedBlock(line: source.number, kind: kind, text: line))
        continue
      }
      droppedKind = nil
      if let heading = twinHeadings[index] {
        listIndents = []
        if title == nil && blocks.isEmpty {
          title = heading.text
          blocks.append(Block(.heading, heading.text, level: 1, line: source.number))
        } else {
          blocks.append(Block(.heading, heading.text, level: heading.level, line: source.number))
        }
        continue
      }
      let numbered = item.flatMap { $0.ordered ? $0.text : nil } ?? (item == nil ? romanItemText(line) : nil)
      if let numbered, isNumberedHeading(numbered, next: next[index].map { lines[$0].text }) {
        listIndents = []
        blocks.append(Block(.heading, stripHeadingPunctuation(line), level: 3, line: source.number))
        continue
      }
      if let item {
        let depth = Self.listDepth(indent: source.indent, open: &listIndents)
        blocks.append(Block(.listItem, item.text, ordered: item.ordered, depth: depth, line: source.number))
        continue
      }
      if let level = headingLevel(line) {
        listIndents = []
        if title == nil && blocks.isEmpty {
          title = line
          blocks.append(Block(.heading, line, level: 1, line: source.number))
        } else {
          blocks.append(Block(.heading, stripHeadingPunctuation(line), level: level, line: source.number))
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
      listIndents = []
      blocks.append(Block(.paragraph, line, line: source.number))
    }
    // Author bios are whole paragraphs (wrapped lines joined), so they are recognised last.
    blocks.removeAll { block in
      guard block.kind == .paragraph, boilerplate.isBio(block.text) else { return false }
      dropped.append(DroppedBlock(line: block.line, kind: "bio", text: block.text))
      return true
    }
    dropped.sort { ($0.line ?? 0) < ($1.line ?? 0) }
    return Document(title: title, blocks: blocks, dropped: dropped)
  }

  /// The boilerplate kind of every line (nil for content and blank lines). A label such as "Sources" counts only
  /// when citations, other boilerplate or nothing follow it.
  func boilerplateKinds(_ lines: [SourceLine]) -> [String?] {
    var kinds = lines.map { $0.text.isEmpty ? nil : boilerplate.kind(of: $0.text) }
    for index in kinds.indices {
      guard let kind = kinds[index], boilerplate.isLabel(kind) else { continue }
      guard let next = lines[(index + 1)...].firstIndex(where: { !$0.text.isEmpty }) else { continue }
      if kinds[next] == nil && !boilerplate.isCitation(lines[next].text) { kinds[index] = nil }
    }
    return kinds
  }

  /// Columns of white space before a line's text (a tab counts 4).
  static func indentation(of line: Substring) -> Int {
    var columns = 0
    for character in line {
      if character == "\t" {
        columns += 4
      } else if character == " " || character == "\u{A0}" {
        columns += 1
      } else {
        break
      }
    }
    return columns
  }

  /// The nesting depth of a list item indented by `indent`, given the indentation of the list's open levels: deeper
  /// than the innermost level opens a level, shallower closes levels.
  static func listDepth(indent: Int, open levels: inout [Int]) -> Int {
    while let last = levels.last, indent < last { levels.removeLast() }
    if let last = levels.last, indent == last { return levels.count - 1 }
    levels.append(indent)
    return levels.count - 1
  }

  /// The heading level a line has (2 for headings, 3 for sentence-case `Label:` sub-headings), or nil for text.
  func headingLevel(_ line: String) -> Int? {
    guard let last = line.last else { return nil }
    // A question on a line of its own heads what answers it (FAQ pages), even when it is long.
    let isQuestion = last == "?"
    let characters = line.count
    guard characters <= (isQuestion ? cues.maximumQuestionHeadingCharacters : cues.maximumHeadingCharacters),
      !line.contains(". "), !line.contains("; ")
    else { return nil }
    let words = line.split(separator: " ")
    guard words.count <= (isQuestion ? cues.maximumQuestionHeadingWords : cues.maximumHeadingWords) else { return nil }
    if isQuestion { return 2 }
    if last == ":" || (last == "-" && !line.hasSuffix("--")) {
      let body = String(line.dropLast()).trimmingCharacters(in: .whitespaces)
      guard !body.isEmpty else { return nil }
      if isTitleCase(body) { return 2 }
      let lastWord = body.split(separator: " ").last.map { String($0).lowercased() } ?? ""
      if cues.leadInWords.contains(lastWord) || words.count > cues.maximumColonHeadingWords { return nil }
      return 3
    }
    if ".,;!\"”'’)]".contains(last) { return nil }
    if !line.contains("?") && opensQuestion(words) { return 2 }
    return isTitleCase(line) ? 2 : nil
  }

  /// Whether a line's words ask a question without its question mark: a question word followed by a verb or `to`
  /// ("How is lumbar strain diagnosed", "What to do for a sprain"; not "When you feel pain"), or a verb followed by
  /// its subject ("Do you have information about air pollution").
  func opensQuestion(_ words: [Substring]) -> Bool {
    guard words.count >= 3 else { return false }
    let first = words[0].lowercased()
    let second = words[1].lowercased()
    if cues.questionWords.contains(first) && cues.questionFollowers.contains(second) { return true }
    // A yes/no question: "Do you have information about …", "Is it sciatica pain", "Can I exercise with …".
    return cues.auxiliaryQuestionWords.contains(first) && cues.questionSubjects.contains(second)
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

  func stripHeadingPunctuation(_ line: String) -> String {
    var heading = line
    while let last = heading.last, last == ":" || last == "-" { heading.removeLast() }
    return heading.trimmingCharacters(in: .whitespaces)
  }
}
