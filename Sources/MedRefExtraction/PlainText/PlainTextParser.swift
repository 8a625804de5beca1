import Foundation
import MedRefBase

/// Cues for reading pasted plain text, from `Resources/plaintext-cues.json`.
package struct PlainTextCues: Sendable, Decodable {
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
  var maximumStandaloneHeadingWords: Int
  var minimumLabelLetters: Int
  var maximumTwinGap: Int
  var romanNumerals: String
  var columns: PlainTextColumnCues
  var furniture: PlainTextFurnitureCues
  var page: PlainTextPageCues
  var boilerplate: LineBoilerplateCues

  static let shared = ResourceFile.json("plaintext-cues.json", as: PlainTextCues.self)
}

/// Reads text pasted from a web page: headings flattened into lines (Title Case lines, questions, lines ending
/// with `:` or `-`), paragraphs, and list items drawn with `•`, `-`, `*` or numbers (nested by indentation).
/// Lines that are not article content — author bios, view counters, bylines, "Sources" with its citations, share
/// bars, newsletter and cookie notices (see `LineBoilerplate`) — are left out and recorded in
/// `Document.dropped` with their line numbers.
public struct PlainTextParser: Sendable {
  let cues: PlainTextCues
  /// The boilerplate rules, compiled on first use (their regular expressions take tens of milliseconds, which
  /// runs over HTML pages only never pay).
  var boilerplate: LineBoilerplate { LineBoilerplate.shared }
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
    var lines = sourceLines(text)
    var kinds = boilerplateKinds(lines)
    var dropped: [DroppedBlock] = []
    let twinHeadings = mergeHeadingTwins(&lines, kinds: kinds, dropped: &dropped)
    dropFurniture(&lines, kinds: &kinds, headings: twinHeadings, dropped: &dropped)
    let next = Self.nextTextLines(lines)
    var pass = ParsePass(dropped: dropped)
    for (index, source) in lines.enumerated() {
      if source.text.isEmpty {
        pass.previousWasBlank = true
        pass.droppedKind = nil
        continue
      }
      defer { pass.previousWasBlank = false }
      let item = TextNormalizer.listItemText(source.text)
      if drops(source, isItem: item != nil, kind: kinds[index], pass: &pass) { continue }
      pass.droppedKind = nil
      read(source, at: index, item: item, lines: lines, next: next, twinHeadings: twinHeadings, pass: &pass)
    }
    var blocks = pass.blocks
    // Author bios are whole paragraphs (wrapped lines joined), so they are recognised last.
    blocks.removeAll { block in
      guard block.kind == .paragraph, boilerplate.isBio(block.text) else { return false }
      pass.dropped.append(DroppedBlock(line: block.line, kind: "bio", text: block.text))
      return true
    }
    pass.dropped.sort { ($0.line ?? 0) < ($1.line ?? 0) }
    return Document(title: pass.title, blocks: blocks, dropped: pass.dropped)
  }

  /// The state of `parse`'s pass over the lines: what it made and dropped so far, and what the lines before say
  /// about the next one.
  private struct ParsePass {
    var blocks: [Block] = []
    var title: String?
    var dropped: [DroppedBlock]
    var previousWasBlank = true
    /// The kind of the line before when it was dropped: a line that goes on its sentence is dropped with it.
    var droppedKind: String?
    /// After a dropped "Sources" label, its citations are dropped until a line that is not one.
    var inCitations = false
    /// The indentation of each open level of the current list.
    var listIndents: [Int] = []
  }

  /// Whether the non-blank line `source` is left out (recorded in `pass.dropped`): a citation after a "Sources"
  /// label, a line of boilerplate `kind`, or a line that goes on (or answers) the dropped line before it.
  private func drops(_ source: SourceLine, isItem: Bool, kind: String?, pass: inout ParsePass) -> Bool {
    let line = source.text
    if pass.inCitations {
      if isItem || boilerplate.isCitation(line) {
        pass.dropped.append(DroppedBlock(line: source.number, kind: "citation", text: line))
        pass.droppedKind = "citation"
        return true
      }
      pass.inCitations = false
    }
    if let kind {
      pass.dropped.append(DroppedBlock(line: source.number, kind: kind, text: line))
      pass.droppedKind = kind
      pass.inCitations = pass.inCitations || boilerplate.isLabel(kind)
      return true
    }
    if let kind = pass.droppedKind, !pass.previousWasBlank, line.first?.isLowercase == true {
      pass.dropped.append(DroppedBlock(line: source.number, kind: kind, text: line))
      return true
    }
    // The buttons under a dropped question ("Did you find this helpful?" / "Yes" / "No") go with it.
    if let kind = pass.droppedKind, !pass.previousWasBlank, cues.answerButtons.contains(line.lowercased()) {
      pass.dropped.append(DroppedBlock(line: source.number, kind: kind, text: line))
      return true
    }
    return false
  }

  /// Adds the content line `source` (line `index` of `lines`) to `pass.blocks`: as a heading (a merged twin, a
  /// numbered or Title Case heading, a line standing alone), a list item, the continuation of a hard-wrapped
  /// paragraph, or a paragraph.
  private func read(
    _ source: SourceLine, at index: Int, item: (text: String, ordered: Bool)?, lines: [SourceLine], next: [Int?],
    twinHeadings: [Int: FoundHeading], pass: inout ParsePass
  ) {
    let line = source.text
    if let heading = twinHeadings[index] {
      pass.listIndents = []
      if pass.title == nil && pass.blocks.isEmpty {
        pass.title = heading.text
        pass.blocks.append(Block(.heading, heading.text, level: 1, line: source.number))
      } else {
        pass.blocks.append(Block(.heading, heading.text, level: heading.level, line: source.number))
      }
      return
    }
    let numbered = item.flatMap { $0.ordered ? $0.text : nil } ?? (item == nil ? romanItemText(line) : nil)
    if let numbered, isNumberedHeading(numbered, next: next[index].map { lines[$0].text }) {
      pass.listIndents = []
      pass.blocks.append(Block(.heading, stripHeadingPunctuation(line), level: 3, line: source.number))
      return
    }
    if let item {
      let depth = Self.listDepth(indent: source.indent, open: &pass.listIndents)
      pass.blocks.append(Block(.listItem, item.text, ordered: item.ordered, depth: depth, line: source.number))
      return
    }
    if let level = headingLevel(line) {
      pass.listIndents = []
      if pass.title == nil && pass.blocks.isEmpty {
        pass.title = line
        pass.blocks.append(Block(.heading, line, level: 1, line: source.number))
      } else {
        pass.blocks.append(Block(.heading, stripHeadingPunctuation(line), level: level, line: source.number))
      }
      return
    }
    if pass.previousWasBlank, let following = next[index], following > index + 1,
      isStandaloneHeading(line, next: lines[following].text)
    {
      pass.listIndents = []
      let level = pass.title == nil && pass.blocks.isEmpty ? 1 : 2
      pass.blocks.append(Block(.heading, line, level: level, line: source.number))
      if pass.title == nil && pass.blocks.count == 1 { pass.title = line }
      return
    }
    // A hard-wrapped paragraph: a line that goes on a sentence the previous line left open.
    if !pass.previousWasBlank, let last = pass.blocks.last, last.kind == .paragraph || last.kind == .listItem,
      let lastCharacter = last.text.last, !".!?:;\"”)".contains(lastCharacter),
      line.first?.isLowercase == true
    {
      pass.blocks[pass.blocks.count - 1].text += " " + line
      return
    }
    pass.listIndents = []
    pass.blocks.append(Block(.paragraph, line, line: source.number))
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

  /// The lines of `text`, split at `\n`, `\r\n` and a lone `\r` (text saved on Windows or old Macs), each with
  /// its white space collapsed and its indentation; side-by-side columns (see `PlainTextColumns`) are read one
  /// after the other, each piece keeping the number of the line it comes from. One pass over the UTF-8 bytes:
  /// splitting the `String` would walk grapheme clusters, and would not split at `\r\n`, which is one cluster.
  func sourceLines(_ text: String) -> [SourceLine] {
    var text = text
    return text.withUTF8 { bytes in
      var ranges: [Range<Int>] = []
      var start = 0
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
          ranges.append(start..<index)
          if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
          start = index + 1
        }
        index += 1
      }
      ranges.append(start..<bytes.count)
      let pieces =
        PlainTextColumns(cues: cues.columns).unfold(bytes, lines: ranges)
        ?? ranges.enumerated().map { PlainTextColumns.Piece(line: $0.offset + 1, bytes: $0.element) }
      return pieces.map { piece in
        let line = UnsafeBufferPointer(rebasing: bytes[piece.bytes])
        return SourceLine(
          number: piece.line, text: TextNormalizer.collapseWhitespace(utf8: line), indent: Self.indentation(of: line))
      }
    }
  }

  /// Columns of white space before a line's text (a tab counts 4, a space or no-break space 1).
  static func indentation(of line: UnsafeBufferPointer<UInt8>) -> Int {
    var columns = 0
    var index = 0
    while index < line.count {
      if line[index] == UInt8(ascii: "\t") {
        columns += 4
      } else if line[index] == UInt8(ascii: " ") {
        columns += 1
      } else if line[index] == 0xC2, index + 1 < line.count, line[index + 1] == 0xA0 {
        columns += 1
        index += 1
      } else {
        break
      }
      index += 1
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
    let maximumCharacters = isQuestion ? cues.maximumQuestionHeadingCharacters : cues.maximumHeadingCharacters
    // A character takes at most four UTF-8 bytes, so most lines of text are ruled out before they are counted.
    guard line.utf8.count <= 4 * maximumCharacters, !Self.holdsSentenceBreak(line), line.count <= maximumCharacters
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

  /// Whether `line` holds ". " or "; " (a sentence or clause ends inside it).
  static func holdsSentenceBreak(_ line: String) -> Bool {
    var previous: UInt8 = 0
    for byte in line.utf8 {
      if byte == UInt8(ascii: " "), previous == UInt8(ascii: ".") || previous == UInt8(ascii: ";") { return true }
      previous = byte
    }
    return false
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
    var firstWord: Substring?
    var words = 0
    var significant = 0
    var capitalised = 0
    for raw in text.split(separator: " ") {
      let word = Self.trimmingPunctuation(raw)
      guard let initial = word.first else { continue }
      words += 1
      let isCapital = initial.isUppercase || initial.isNumber
      guard firstWord != nil else {
        guard isCapital else { return false }
        firstWord = word
        continue
      }
      if cues.minorWords.contains(word.lowercased()) { continue }
      significant += 1
      if isCapital { capitalised += 1 }
    }
    guard let firstWord else { return false }
    if words == 1 {
      // One word: a heading only when it is a real word, capitalised.
      return firstWord.count >= 3 && firstWord.first!.isUppercase
    }
    guard significant > 0 else { return true }
    return Double(capitalised) >= cues.titleCaseRatio * Double(significant)
  }

  /// `word` without the punctuation (Unicode general category P) at either end.
  static func trimmingPunctuation(_ word: Substring) -> Substring {
    let scalars = word.unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isPunctuation(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isPunctuation(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return Substring(scalars[start..<end])
  }

  private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }

  func stripHeadingPunctuation(_ line: String) -> String {
    var heading = line
    while let last = heading.last, last == ":" || last == "-" { heading.removeLast() }
    return heading.trimmingCharacters(in: .whitespaces)
  }
}
