import Foundation

/// Headings told by their shape (a tab label and its twin, numbered sub-headings) and page furniture told by its
/// features (closing blocks, calls to action), found in passes over the lines before they become blocks.
extension PlainTextParser {
  /// A heading found before the block pass: its text and level.
  struct FoundHeading {
    var text: String
    var level: Int
  }

  // MARK: - Tab labels and their twins

  /// Merges each upper-case tab label ("SYMPTOMS OF DENGUE") with the line after it that repeats it in other case
  /// ("Symptoms Of Dengue", often glued to the text: "OverviewDengue is …") into one heading, by line index. The twin
  /// is cut from its line and recorded as dropped (`heading-twin`); what follows it stays as text.
  func mergeHeadingTwins(
    _ lines: inout [SourceLine], kinds: [String?], dropped: inout [DroppedBlock]
  ) -> [Int: FoundHeading] {
    var headings: [Int: FoundHeading] = [:]
    var index = 0
    while index < lines.count {
      defer { index += 1 }
      let label = lines[index].text
      guard kinds[index] == nil, isUpperCaseLabel(label) else { continue }
      var twin = index + 1
      var gap = 0
      while twin < lines.count, lines[twin].text.isEmpty, gap < cues.maximumTwinGap {
        twin += 1
        gap += 1
      }
      guard twin < lines.count, kinds[twin] == nil, !lines[twin].text.isEmpty,
        let end = Self.twinEnd(of: label, in: lines[twin].text)
      else { continue }
      let twinLine = lines[twin].text
      let twinText = String(twinLine[..<end]).trimmingCharacters(in: .whitespaces)
      // The label's numbering ("1. ", "2.") makes it a sub-heading.
      let level = label.first?.isNumber == true || romanItemText(label) != nil ? 3 : 2
      headings[index] = FoundHeading(text: stripHeadingPunctuation(twinText), level: level)
      dropped.append(DroppedBlock(line: lines[twin].number, kind: "heading-twin", text: twinText))
      lines[twin].text = String(twinLine[end...]).trimmingCharacters(in: .whitespaces)
      index = twin - 1
    }
    return headings
  }

  /// Whether `line` is an upper-case label: at least `minimumLabelLetters` letters, none in lower case, not a
  /// sentence, short enough to be a heading.
  func isUpperCaseLabel(_ line: String) -> Bool {
    guard line.isShorter(than: cues.maximumHeadingCharacters + 1), let last = line.last, !".,;".contains(last)
    else { return false }
    var letters = 0
    for character in line where character.isLetter {
      if character.isLowercase { return false }
      if character.isUppercase { letters += 1 }
    }
    return letters >= cues.minimumLabelLetters
  }

  /// The end of `label`'s twin at the start of `line`: the same letters and digits in the same order, ignoring
  /// case, spaces and punctuation, ending the line or glued to text that starts with a capital ("OverviewDengue is
  /// …"); nil otherwise ("Dengue is a viral disease" under "DENGUE" is a sentence, not a twin).
  static func twinEnd(of label: String, in line: String) -> String.Index? {
    let wanted = Array(label.filter { $0.isLetter || $0.isNumber }.lowercased())
    guard !wanted.isEmpty else { return nil }
    var matched = 0
    var index = line.startIndex
    while index < line.endIndex, matched < wanted.count {
      let character = line[index]
      if character.isLetter || character.isNumber {
        guard Array(character.lowercased()) == [wanted[matched]] else { return nil }
        matched += 1
      }
      index = line.index(after: index)
    }
    guard matched == wanted.count else { return nil }
    // Closing punctuation of the heading ("(IF NEEDED)", "Did You Know?") belongs to it.
    while index < line.endIndex, ")]:?!".contains(line[index]) { index = line.index(after: index) }
    guard index < line.endIndex else { return index }
    return line[index].isUppercase || line[index].isNumber ? index : nil
  }

  // MARK: - Numbered sub-headings

  /// The text after a roman numeral ("IV. Treatment" → "Treatment"), or nil.
  func romanItemText(_ line: String) -> String? {
    let numeral = line.prefix(while: { cues.romanNumerals.contains($0) })
    guard (1...5).contains(numeral.count) else { return nil }
    let rest = line.dropFirst(numeral.count)
    guard let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first == " " else { return nil }
    let text = rest.dropFirst().drop { $0 == " " }
    guard let first = text.first, first.isUppercase else { return nil }
    return String(text)
  }

  /// Whether a numbered line's text (`text`, the number cut) is a sub-heading rather than a list item: short, not a
  /// sentence, and either in upper case ("DRINK ENOUGH FLUIDS") or capitalised and followed by prose instead of the
  /// next item ("Prevent water stagnation" over a paragraph).
  func isNumberedHeading(_ text: String, next: String?) -> Bool {
    guard let last = text.last, !".,;".contains(last), !text.contains(". "), !text.contains("; "),
      text.isShorter(than: cues.maximumHeadingCharacters + 1)
    else { return false }
    let words = text.split(separator: " ")
    guard words.count <= cues.maximumNumberedHeadingWords else { return false }
    if isUpperCaseLabel(text) { return true }
    guard last != ":", text.first?.isUppercase == true, let next, !next.isEmpty,
      TextNormalizer.listItemText(next) == nil, romanItemText(next) == nil
    else { return false }
    return furniture.isProse(next) && next.count > text.count
  }

  /// Whether a line that stands alone between blank lines is a heading in sentence case ("Signs and symptoms",
  /// "Types of meditation"): a page's styling made it a heading, and its text kept only the blank lines. It is one
  /// when short (at most maximumStandaloneHeadingWords words), capitalised, not ended like a sentence, and prose
  /// follows it, as for a numbered heading.
  func isStandaloneHeading(_ text: String, next: String) -> Bool {
    guard text.first?.isUppercase == true, text.last.map({ !".,;!?\"”)".contains($0) }) == true,
      text.isShorter(than: cues.maximumHeadingCharacters + 1),
      text.utf8.reduce(1, { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 }) <= cues.maximumStandaloneHeadingWords
    else { return false }
    return isNumberedHeading(text, next: next)
  }

  /// For each line, the index of the next line with text (nil at the end).
  static func nextTextLines(_ lines: [SourceLine]) -> [Int?] {
    var next = [Int?](repeating: nil, count: lines.count)
    var following: Int?
    for index in lines.indices.reversed() {
      next[index] = following
      if !lines[index].text.isEmpty { following = index }
    }
    return next
  }

  // MARK: - Furniture

  /// Drops the page's closing block and its calls to action (see `PlainTextFurniture`): whole lines get a kind in
  /// `kinds`; a block or button glued to the end of a line of text is cut from it and recorded in `dropped`.
  func dropFurniture(
    _ lines: inout [SourceLine], kinds: inout [String?], headings: [Int: FoundHeading], dropped: inout [DroppedBlock]
  ) {
    let layout = PlainTextPageLayout(cues: cues.page)
    let lineKinds = kinds
    // Units, and the subject (the content words of every unit), are found only when a rule needs them.
    var units: [PlainTextPageLayout.Unit] = []
    var unitsFound = false
    func findUnits(_ lines: [SourceLine]) {
      guard !unitsFound else { return }
      units = layout.units(
        lines, isDropped: { lineKinds[$0] != nil }, itemText: { TextNormalizer.listItemText($0)?.text })
      unitsFound = true
    }
    let vocabulary = furniture.vocabulary
    var words: [[PlainTextVocabulary.Word]] = []
    var foundSubject: Set<PlainTextVocabulary.Word>?
    /// The subject of the page whose lines are `lines` now (found on the first call).
    func subject(_ lines: [SourceLine]) -> Set<PlainTextVocabulary.Word> {
      if let foundSubject { return foundSubject }
      findUnits(lines)
      words.reserveCapacity(units.count)
      for index in units.indices {
        guard !units[index].isDropped else {
          words.append([])
          continue
        }
        units[index].isProse = furniture.isProse(units[index].text)
        words.append(vocabulary.contentWords(units[index].text))
      }
      let subject = vocabulary.subject(
        prose: units.indices.lazy.filter { units[$0].isProse }.map { words[$0] }, count: cues.furniture.subjectWords,
        share: cues.furniture.subjectShare)
      foundSubject = subject
      return subject
    }
    if lineKinds.contains(where: { $0 != nil }) || layout.mayHoldMenu(lines),
      case let found = subject(lines), layout.mayHoldFurniture(units), !found.isEmpty
    {
      describe(&units, words: words, subject: found)
      for (unit, kind) in zip(units, layout.kinds(units, isTitleCase: isTitleCase)) {
        guard let kind else { continue }
        for index in unit.first...unit.last where headings[index] == nil { kinds[index] = kind }
      }
    }
    dropClosing(
      &lines, kinds: &kinds, headings: headings, dropped: &dropped, lineKinds: lineKinds, subject: subject)
    dropCallsToAction(&lines, kinds: &kinds, headings: headings, dropped: &dropped, subject: subject)
  }

  /// Drops the page's closing block (`PlainTextFurniture.closingStart`): from its first line (cut there when it is
  /// glued to text) to the end, passing over blank lines, lines of boilerplate (`lineKinds`) and citations.
  private func dropClosing(
    _ lines: inout [SourceLine], kinds: inout [String?], headings: [Int: FoundHeading], dropped: inout [DroppedBlock],
    lineKinds: [String?], subject: ([SourceLine]) -> Set<PlainTextVocabulary.Word>
  ) {
    let texts = lines.map(\.text)
    let isTail = { (index: Int) -> Bool in
      texts[index].isEmpty || lineKinds[index] != nil || Self.looksLikeCitation(texts[index])
    }
    guard let start = furniture.closingStart(texts, subject: { subject(lines) }, isTail: isTail) else { return }
    let tailKinds = (start.line..<lines.count).map { isTail($0) }
    for index in start.line..<lines.count where index == start.line || !tailKinds[index - start.line] {
      guard !lines[index].text.isEmpty, headings[index] == nil else { continue }
      let text = lines[index].text
      let cut = index == start.line ? start.at : text.startIndex
      if cut == text.startIndex {
        kinds[index] = "closing"
      } else {
        dropped.append(DroppedBlock(line: lines[index].number, kind: "closing", text: String(text[cut...])))
        lines[index].text = String(text[..<cut]).trimmingCharacters(in: .whitespaces)
      }
    }
  }

  /// Drops the calls to action ("Book a test", "Order now!") that are whole lines, or cuts them from the end of a
  /// line of text (`PlainTextFurniture.callToActionStart`, with the lines around as context).
  private func dropCallsToAction(
    _ lines: inout [SourceLine], kinds: inout [String?], headings: [Int: FoundHeading], dropped: inout [DroppedBlock],
    subject: ([SourceLine]) -> Set<PlainTextVocabulary.Word>
  ) {
    var previous: Int?
    let next = Self.nextTextLines(lines)
    for index in lines.indices {
      let text = lines[index].text
      guard !text.isEmpty else { continue }
      defer { previous = index }
      // A line read as a heading is a call to action only with a marker ("BOOK TEST HERE", "Order Now!"): an
      // imperative heading without one ("Get Vaccinated") heads text.
      guard kinds[index] == nil, headings[index] == nil || furniture.hasCallToActionMarker(text),
        furniture.mayEndWithCallToAction(text), TextNormalizer.listItemText(text) == nil
      else { continue }
      let nextText = next[index].map { lines[$0].text }
      let previousText = previous.map { lines[$0].text }
      let context = { () -> Set<PlainTextVocabulary.Word> in
        var context = Set<PlainTextVocabulary.Word>()
        if let previousText { context.formUnion(self.furniture.vocabulary.contentWords(previousText)) }
        if let nextText { context.formUnion(self.furniture.vocabulary.contentWords(nextText)) }
        return context
      }
      let nextIsHeading = { nextText.map { self.isUpperCaseLabel($0) || self.headingLevel($0) != nil } ?? true }
      guard
        let cut = furniture.callToActionStart(
          text, subject: { subject(lines) }, context: context, next: nextText, nextIsHeading: nextIsHeading)
      else { continue }
      if cut == text.startIndex {
        kinds[index] = "call-to-action"
      } else {
        dropped.append(DroppedBlock(line: lines[index].number, kind: "call-to-action", text: String(text[cut...])))
        lines[index].text = String(text[..<cut]).trimmingCharacters(in: .whitespaces)
      }
    }
  }

  /// Fills in what the page rules ask of each unit (`words`: its content words): its words, whether it names the
  /// subject, the share of its content words that the article's prose elsewhere uses, whether it is capitalised and
  /// its last character.
  func describe(
    _ units: inout [PlainTextPageLayout.Unit], words: [[PlainTextVocabulary.Word]],
    subject: Set<PlainTextVocabulary.Word>
  ) {
    var frequency: [PlainTextVocabulary.Word: Int] = [:]
    for index in units.indices where units[index].isProse {
      for word in Set(words[index]) { frequency[word, default: 0] += 1 }
    }
    for index in units.indices where !units[index].isDropped {
      let text = units[index].text
      let content = Set(words[index])
      let own = units[index].isProse ? 1 : 0
      units[index].words = text.utf8.reduce(1) { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 }
      units[index].namesSubject = content.contains(where: subject.contains)
      units[index].overlap =
        content.isEmpty ? 1 : Double(content.filter { (frequency[$0] ?? 0) - own >= 1 }.count) / Double(content.count)
      units[index].isCapitalised = text.first.map { $0.isUppercase || $0.isNumber || !$0.isLetter } ?? false
      units[index].endsWithPunctuation = text.last.map { ".:;,".contains($0) } ?? false
      units[index].isSentence =
        units[index].words >= cues.page.minimumSentenceWords && text.last.map { ".!?".contains($0) } == true

    }
  }

  /// Whether a line looks like a citation as the lines after a page's closing do: it holds a link (`://`, `www.`),
  /// a DOI, "et al" or a year (19xx, 20xx) — a scan of its bytes, where the citation patterns would cost a regular
  /// expression per line.
  static func looksLikeCitation(_ line: String) -> Bool {
    var line = line
    return line.withUTF8(looksLikeCitation(bytes:))
  }

  private static func looksLikeCitation(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: ":"):
        if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") {
          return true
        }
      case UInt8(ascii: "w"), UInt8(ascii: "W"):
        if index + 3 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "w"),
          bytes[index + 2] | 0x20 == UInt8(ascii: "w"),
          bytes[index + 3] == UInt8(ascii: ".")
        {
          return true
        }
      case UInt8(ascii: "1"), UInt8(ascii: "2"):
        let startsWord = index == 0 || !Self.isAlphanumeric(bytes[index - 1])
        if startsWord, index + 3 < bytes.count, bytes[(index + 1)...(index + 3)].allSatisfy(Self.isDigit),
          (byte == UInt8(ascii: "1") && bytes[index + 1] == UInt8(ascii: "9"))
            || (byte == UInt8(ascii: "2") && bytes[index + 1] == UInt8(ascii: "0")),
          index + 4 == bytes.count || !Self.isAlphanumeric(bytes[index + 4])
        {
          return true
        }
      case UInt8(ascii: "e"):
        if index + 4 < bytes.count, bytes[index + 1] == UInt8(ascii: "t"), bytes[index + 2] == UInt8(ascii: " "),
          bytes[index + 3] == UInt8(ascii: "a"), bytes[index + 4] == UInt8(ascii: "l")
        {
          return true
        }
      case UInt8(ascii: "d"), UInt8(ascii: "D"):
        if index + 3 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "o"),
          bytes[index + 2] | 0x20 == UInt8(ascii: "i"),
          bytes[index + 3] == UInt8(ascii: ":") || bytes[index + 3] == UInt8(ascii: " ")
        {
          return true
        }
      default: break
      }
      index += 1
    }
    return false
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
  }
}
