import Foundation

/// The `furniture` cues of `Resources/plaintext-cues.json`.
struct PlainTextFurnitureCues: Sendable, Decodable {
  var minimumWordLength: Int
  var proseMinimumWords: Int
  var subjectWords: Int
  var subjectShare: Double
  var stopWords: Set<String>
  var maximumClosingLines: Int
  var siteVoiceWords: Set<String>
  var closingWords: Set<String>
  var maximumButtonWords: Int
  var maximumCallToActionWords: Int
  var maximumNeighbourOverlap: Double
  var callToActionVerbs: Set<String>
  var callToActionMarkers: Set<String>
}

/// Page furniture found by its features: the closing block of a page (feedback, subscribe, disclaimer) and calls to
/// action ("Book Test Here", "Consult India's best doctors here"). Neither is recognised by its words alone: both must
/// also stay off the article's subject, and a button must stand apart from the text around it.
struct PlainTextFurniture: Sendable {
  let cues: PlainTextFurnitureCues
  let vocabulary: PlainTextVocabulary

  static let shared = PlainTextFurniture(PlainTextCues.shared.furniture)

  init(_ cues: PlainTextFurnitureCues) {
    self.cues = cues
    self.vocabulary = PlainTextVocabulary(minimumWordLength: cues.minimumWordLength, stopWords: cues.stopWords)
  }

  /// Whether `line` is prose: long enough to be a sentence of the article.
  func isProse(_ line: String) -> Bool {
    var words = 0
    for character in line where character == " " {
      words += 1
      if words + 1 >= cues.proseMinimumWords { return true }
    }
    return false
  }

  // MARK: - Closing block

  /// Where the page's closing block starts — the line's index and the position in it — or nil. `isTail(index)` says
  /// whether a line may come after the block (blank, other boilerplate, citations).
  func closingStart(
    _ lines: [String], subject: Set<String>, isTail: (Int) -> Bool
  ) -> (line: Int, at: String.Index)? {
    guard !subject.isEmpty else { return nil }
    var index = lines.count - 1
    while index >= 0, isTail(index) { index -= 1 }
    var start: (line: Int, at: String.Index)?
    var hasClosingWord = false
    var looked = 0
    scan: while index >= 0, looked < cues.maximumClosingLines {
      let line = lines[index]
      if line.isEmpty || isTail(index) {
        index -= 1
        continue
      }
      looked += 1
      for part in PlainTextVocabulary.parts(of: line).reversed() {
        let text = line[part]
        let voice = siteVoice(text)
        // The site speaking of itself ("you are our eyes") may happen to use a subject's word; text that is not in
        // the site's voice and names the subject is the article's.
        if voice.site || voice.closing {
          start = (index, part.lowerBound)
        } else if vocabulary.mentions(subject, in: text) {
          break scan
        }
        hasClosingWord = hasClosingWord || voice.closing
      }
      index -= 1
    }
    return hasClosingWord ? start : nil
  }

  /// Whether `text` is in the site's voice ("we", "our"), and whether it asks for feedback or a subscription or
  /// disclaims.
  func siteVoice(_ text: Substring) -> (site: Bool, closing: Bool) {
    var site = false
    var closing = false
    PlainTextBoilerplate.forEachWord(in: String(text)) { word in
      site = site || cues.siteVoiceWords.contains(word)
      closing = closing || cues.closingWords.contains(word)
    }
    return (site, closing)
  }

  // MARK: - Calls to action

  /// Where the call to action at the end of `line` starts (the whole line when it is one), or nil. `context` holds
  /// the content words of the lines around it; `next` is the next line of text.
  func callToActionStart(
    _ line: String, subject: Set<String>, context: Set<String>, next: String?, nextIsHeading: Bool
  ) -> String.Index? {
    var start: String.Index?
    for part in PlainTextVocabulary.parts(of: line).reversed() {
      guard isCallToAction(line[part], subject: subject, context: context, next: next, nextIsHeading: nextIsHeading)
      else { break }
      start = part.lowerBound
    }
    return start
  }

  /// Whether one part of a line is a call to action: an imperative (`callToActionVerbs`) that names nothing of the
  /// subject and is either a button label (with a marker, before a heading, or sharing no words with the text
  /// around it) or a short sentence with a marker ("here", "now") that does not share its words with that text.
  func isCallToAction(
    _ text: Substring, subject: Set<String>, context: Set<String>, next: String?, nextIsHeading: Bool
  ) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let words = trimmed.split(separator: " ")
    guard let first = words.first, words.count <= cues.maximumCallToActionWords,
      cues.callToActionVerbs.contains(first.lowercased().trimmingCharacters(in: .punctuationCharacters)),
      !vocabulary.mentions(subject, in: trimmed), trimmed.last != ":", trimmed.last != "?"
    else { return false }
    var hasMarker = trimmed.hasSuffix("!")
    for word in words.dropFirst() where cues.callToActionMarkers.contains(
      word.lowercased().trimmingCharacters(in: .punctuationCharacters))
    {
      hasMarker = true
    }
    let isButton =
      words.count <= cues.maximumButtonWords
      && words.allSatisfy { $0.first?.isUppercase == true || $0.first?.isNumber == true }
      && !trimmed.dropLast().contains(where: { ".,;:?".contains($0) }) && !".,;".contains(trimmed.last!)
    if isButton {
      // A button heads nothing: a heading or the end of the page comes after it.
      if hasMarker || nextIsHeading { return true }
      // A capitalised imperative that heads the text after it ("Get Vaccinated" over a paragraph on vaccines) is a
      // heading, not a button.
      let headsNext = next.map { vocabulary.overlap(trimmed, with: Set(vocabulary.contentWords($0))) } ?? 0
      return headsNext <= cues.maximumNeighbourOverlap
        && vocabulary.overlap(trimmed, with: context) <= cues.maximumNeighbourOverlap
    }
    return hasMarker && vocabulary.overlap(trimmed, with: context) <= cues.maximumNeighbourOverlap
  }
}
