import Foundation

/// The `page` cues of `Resources/plaintext-cues.json`: how a whole web page dumped as text (menus, link rails,
/// footers around the article) is told apart from the article.
package struct PlainTextPageCues: Sendable, Decodable {
  var wrapPercentile: Double
  var wrapShare: Double
  var minimumMenuRun: Int
  var menuCapitalShare: Double
  var menuTitleCaseShare: Double
  var maximumMenuOverlap: Double
  var minimumEdgeUnits: Int
  var minimumEdgeEvidence: Int
  var maximumKeptHeadings: Int
  var headerLookBack: Int
  var maximumMenuItemWords: Int
  var minimumLeadInWords: Int
  var minimumSentenceWords: Int
  var genericWords: Set<String>
  /// Headings that open a page's back matter ("References", "For More Information"), matched whole.
  var endHeadings: Set<String>
  /// Words that make a short heading one of the page's reader sections ("Comments", "Leave a Reply", "Related
  /// Articles") when it does not name the subject.
  var endWords: Set<String>
  var maximumEndHeadingWords: Int
  var maximumResumptionGap: Int
}

/// Finds the furniture of a page dumped to text by a scraper that keeps every visible line (`w3m -dump`): there is
/// no markup, so the article is found by its structure. The text is cut into units (a paragraph with its
/// hard-wrapped lines, or a list item with its wrapped lines); the article spans from the first to the last prose
/// unit that names the subject. Before that span a page with furniture (at least `minimumEdgeUnits` short units)
/// keeps only the few headings just before the article; after it, such a page keeps only prose on the subject.
/// Inside it, runs of link-like units (a label and the items under it: capitalised, Title Case, no sentence
/// punctuation, sharing few words with the article's prose) are menus and link rails.
package struct PlainTextPageLayout {
  /// A paragraph (its hard-wrapped lines joined) or a list item, with what the rules ask of it.
  struct Unit {
    var first: Int
    var last: Int
    var text: String
    var isItem: Bool
    /// Already boilerplate by a line rule.
    var isDropped: Bool
    var isProse = false
    var namesSubject = false
    /// The share of its content words found in the article's prose elsewhere.
    var overlap = 1.0
    var isCapitalised = false
    var endsWithPunctuation = false
    /// A sentence of at least `minimumSentenceWords` words, ending with `.`, `!` or `?`.
    var isSentence = false
    var words = 0
  }

  let cues: PlainTextPageCues

  /// The units of `lines` (their texts and indentations; `isDropped` for lines boilerplate already, `itemText` the
  /// text of a list item without its marker, nil for other lines). An item's unit holds its text without the marker.
  func units(
    _ lines: [PlainTextParser.SourceLine], isDropped: (Int) -> Bool, itemText: (String) -> String?
  ) -> [Unit] {
    let width = wrapWidth(lines)
    var units: [Unit] = []
    var index = 0
    while index < lines.count {
      let line = lines[index]
      guard !line.text.isEmpty else {
        index += 1
        continue
      }
      let itemLine = itemText(line.text)
      let item = itemLine != nil
      var text = itemLine ?? line.text
      var last = index
      let dropped = isDropped(index)
      if !dropped {
        while last + 1 < lines.count {
          let next = lines[last + 1]
          guard !next.text.isEmpty, !isDropped(last + 1), itemText(next.text) == nil else { break }
          if item {
            // A wrapped list item goes on indented deeper than its marker.
            guard next.indent > line.indent else { break }
          } else {
            // A paragraph's line that reaches (nearly) the wrap width goes on on the next line.
            let previous = lines[last]
            guard Double(previous.indent + previous.text.utf8.count) >= cues.wrapShare * Double(width) else { break }
          }
          text += " " + next.text
          last += 1
        }
      }
      units.append(Unit(first: index, last: last, text: text, isItem: item, isDropped: dropped))
      index = last + 1
    }
    return units
  }

  /// The width text was wrapped at: the `wrapPercentile` of the lengths of its lines in bytes (indentation
  /// included), from a count per length.
  func wrapWidth(_ lines: [PlainTextParser.SourceLine]) -> Int {
    var counts: [Int: Int] = [:]
    var total = 0
    for line in lines where !line.text.isEmpty {
      counts[line.indent + line.text.utf8.count, default: 0] += 1
      total += 1
    }
    guard total > 0 else { return 0 }
    let wanted = Int(cues.wrapPercentile * Double(total - 1))
    var seen = 0
    for length in counts.keys.sorted() {
      seen += counts[length]!
      if seen > wanted { return length }
    }
    return counts.keys.max() ?? 0
  }

  /// Whether `lines` hold a run of `minimumMenuRun` short capitalised lines without end punctuation that no lead-in
  /// introduces: `mayHoldFurniture` asked of lines, before any unit is made (a wrapped paragraph's lines are long,
  /// so a run of units is a run of lines).
  func mayHoldMenu(_ lines: [PlainTextParser.SourceLine]) -> Bool {
    var run = 0
    var introduced = false
    for line in lines where !line.text.isEmpty {
      let text = TextNormalizer.listItemText(line.text)?.text ?? line.text
      if isLinkLike(text) {
        run += 1
        if run >= cues.minimumMenuRun && !introduced { return true }
      } else {
        run = 0
        introduced = isLeadIn(text)
      }
    }
    return false
  }

  /// Capitalised, without end punctuation, at most `maximumMenuItemWords` words.
  func isLinkLike(_ text: String) -> Bool {
    text.first.map { $0.isUppercase || $0.isNumber || !$0.isLetter } == true
      && !(text.last.map { ".:;,".contains($0) } ?? true)
      && text.utf8.reduce(1, { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 }) <= cues.maximumMenuItemWords
  }

  /// Whether any rule could apply, judged without reading words: a unit boilerplate by a line rule (the evidence
  /// an edge needs) or a run of `minimumMenuRun` short capitalised units without end punctuation that no lead-in
  /// introduces.
  func mayHoldFurniture(_ units: [Unit]) -> Bool {
    var run = 0
    var introduced = false
    for unit in units {
      if unit.isDropped { return true }
      if isLinkLike(unit.text) {
        run += 1
        if run >= cues.minimumMenuRun && !introduced { return true }
      } else {
        run = 0
        introduced = isLeadIn(unit.text)
      }
    }
    return false
  }

  /// The boilerplate kind of each unit (nil to keep), given its features filled in by `describe`; `isTitleCase`
  /// judges the case of a menu's labels.
  func kinds(_ units: [Unit], isTitleCase: (String) -> Bool) -> [String?] {
    var kinds = [String?](repeating: nil, count: units.count)
    let span = units.indices.filter { units[$0].isProse && units[$0].namesSubject && !units[$0].isDropped }
    guard var start = span.first, var end = span.last else { return kinds }
    // The article may open with a short sentence on its subject ("Plague is a severe bacterial infection.").
    if let opening = units[..<start].firstIndex(where: { $0.isSentence && $0.namesSubject && !$0.isDropped }) {
      start = opening
    }
    // Before the article: on a page with furniture, only the headings just above the article stay.
    if hasFurniture(units[..<start]) {
      // The page title and the first heading sit just above the article, maybe with a date, a byline or a
      // language link between them: up to `maximumKeptHeadings` capitalised lines among the `headerLookBack`
      // units above the article stay.
      var kept = Set<Int>()
      var index = start - 1
      while index >= 0, start - index <= cues.headerLookBack, kept.count < cues.maximumKeptHeadings {
        let unit = units[index]
        if unit.isProse && !unit.isDropped { break }
        if !unit.isItem && unit.isCapitalised && !unit.isDropped { kept.insert(index) }
        index -= 1
      }
      for index in 0..<start where !units[index].isDropped && !kept.contains(index) { kinds[index] = "page-header" }
    }
    // After the article: on a page with furniture, only prose on the subject stays.
    if hasFurniture(units[(end + 1)...]) {
      for index in (end + 1)..<units.count where !units[index].isDropped {
        if units[index].isProse && units[index].namesSubject { continue }
        kinds[index] = "page-footer"
      }
    }
    // The article ends at a heading of back matter or of a reader section; only a heading on the subject with prose
    // on the subject under it goes back to the article.
    var ended = false
    for index in (start + 1)..<units.count where !units[index].isDropped {
      if !ended, isEndHeading(units[index]) {
        ended = true
        end = min(end, index - 1)
      } else if ended, isResumption(units, at: index) {
        ended = false
      }
      if ended { kinds[index] = "page-footer" }
    }
    // Inside it: menus and link rails.
    var index = start
    while index <= end {
      guard !units[index].isProse else {
        index += 1
        continue
      }
      // A stretch of short units between prose is judged by groups: a label with the items under it.
      var last = index
      while last + 1 <= end, !units[last + 1].isProse, !(units[last].isItem && !units[last + 1].isItem) {
        last += 1
      }
      let run = index...last
      if isMenu(units, run, isTitleCase: isTitleCase) {
        for member in run where !units[member].isDropped { kinds[member] = "menu" }
      }
      index = last + 1
    }
    return kinds
  }

  /// Whether a unit is a heading that ends the article (`endHeadings`, or `endWords` in a short heading off the
  /// subject).
  func isEndHeading(_ unit: Unit) -> Bool {
    guard !unit.isProse, !unit.isItem, unit.isCapitalised, unit.words <= cues.maximumEndHeadingWords else {
      return false
    }
    var key = unit.text.lowercased()
    while let last = key.last, last == ":" || last == " " { key.removeLast() }
    if cues.endHeadings.contains(key) { return true }
    guard !unit.namesSubject else { return false }
    return key.split(whereSeparator: { !$0.isLetter }).contains { cues.endWords.contains(String($0)) }
  }

  /// Whether the article goes on at `index` after an ending heading (a page that holds a second article on the
  /// subject): a heading naming the subject, then prose naming it, with at most `maximumResumptionGap` other short
  /// units (a source line, a sub-heading) between them.
  func isResumption(_ units: [Unit], at index: Int) -> Bool {
    let unit = units[index]
    guard !unit.isProse, !unit.isItem, unit.isCapitalised, unit.namesSubject, !isEndHeading(unit) else {
      return false
    }
    var between = 0
    for next in units[(index + 1)...] where !next.isDropped {
      if next.isProse { return next.namesSubject }
      if next.isItem || isEndHeading(next) || between == cues.maximumResumptionGap { return false }
      between += 1
    }
    return false
  }

  /// Whether `text` introduces a list: a sentence of a few words or more ending with ':' ("Symptoms include:"), not a
  /// label ("Contact Us:").
  func isLeadIn(_ text: String) -> Bool {
    guard text.hasSuffix(":") else { return false }
    return text.utf8.reduce(1, { $1 == UInt8(ascii: " ") ? $0 + 1 : $0 }) >= cues.minimumLeadInWords
  }

  /// Whether the units before or after the article are a page's furniture: at least `minimumEdgeUnits` short
  /// units, and at least `minimumEdgeEvidence` of them boilerplate by a line rule (a copyright, "Skip to content",
  /// a share bar). A clean article's closing list is short units too, but carries no such line.
  func hasFurniture(_ region: ArraySlice<Unit>) -> Bool {
    var short = 0
    var evidence = 0
    for unit in region {
      if unit.isDropped { evidence += 1 }
      if unit.isDropped || !unit.isProse { short += 1 }
    }
    return short >= cues.minimumEdgeUnits && evidence >= cues.minimumEdgeEvidence
  }

  /// Whether a run of short units is a menu or link rail: long enough, not introduced by a lead-in (`isLeadIn`),
  /// link-like (capitalised, no sentence punctuation, multi-word labels in Title Case) and off the article's words.
  func isMenu(_ units: [Unit], _ run: ClosedRange<Int>, isTitleCase: (String) -> Bool) -> Bool {
    let members = run.filter { !units[$0].isDropped }
    guard members.count >= cues.minimumMenuRun else { return false }
    if run.lowerBound > 0 && isLeadIn(units[run.lowerBound - 1].text) { return false }
    var capitalised = 0
    var multiWord = 0
    var titleCase = 0
    var overlap = 0.0
    for member in members {
      let unit = units[member]
      if unit.endsWithPunctuation || unit.words > cues.maximumMenuItemWords { return false }
      if unit.isCapitalised { capitalised += 1 }
      overlap += unit.overlap
    }
    let count = Double(members.count)
    guard Double(capitalised) >= cues.menuCapitalShare * count, overlap / count < cues.maximumMenuOverlap else {
      return false
    }
    // Case last: it costs most to read.
    for member in members where units[member].words > 1 {
      multiWord += 1
      if isTitleCase(units[member].text) { titleCase += 1 }
    }
    return multiWord == 0 || Double(titleCase) >= cues.menuTitleCaseShare * Double(multiWord)
  }
}
