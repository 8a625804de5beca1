import Foundation

/// The `furniture` cues of `Resources/plaintext-cues.json`.
package struct PlainTextFurnitureCues: Sendable, Decodable {
  var minimumWordLength: Int
  var stemLength: Int
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
package struct PlainTextFurniture: Sendable {
  let cues: PlainTextFurnitureCues
  let vocabulary: PlainTextVocabulary
  /// `closingWords` as lower-case bytes, by their first byte.
  let closingWordsByFirstByte: [[[UInt8]]]

  static let shared = PlainTextFurniture(
    PlainTextCues.shared.furniture, genericWords: PlainTextCues.shared.page.genericWords)

  init(_ cues: PlainTextFurnitureCues, genericWords: Set<String>) {
    self.cues = cues
    var byFirstByte = [[[UInt8]]](repeating: [], count: 256)
    for word in cues.closingWords.sorted() {
      let bytes = Array(word.lowercased().utf8)
      if let first = bytes.first { byFirstByte[Int(first)].append(bytes) }
    }
    self.closingWordsByFirstByte = byFirstByte
    self.vocabulary = PlainTextVocabulary(
      minimumWordLength: cues.minimumWordLength, stemLength: cues.stemLength, stopWords: cues.stopWords,
      genericWords: genericWords)
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
  /// whether a line may come after the block (blank, other boilerplate, citations); `subject` is asked for only
  /// when a closing word is near the end.
  func closingStart(
    _ lines: [String], subject: () -> Set<PlainTextVocabulary.Word>, isTail: (Int) -> Bool
  ) -> (line: Int, at: String.Index)? {
    // The lines worth reading, last first; without a closing word among them (glued ones too: "feedbackSubscribe")
    // there is no closing block.
    var window: [Int] = []
    var index = lines.count - 1
    while index >= 0, window.count < cues.maximumClosingLines {
      if !isTail(index) { window.append(index) }
      index -= 1
    }
    guard window.contains(where: { holdsClosingWord(lines[$0]) }) else { return nil }
    let subject = subject()
    guard !subject.isEmpty else { return nil }
    var start: (line: Int, at: String.Index)?
    var hasClosingWord = false
    scan: for index in window {
      let line = lines[index]
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
    }
    return hasClosingWord ? start : nil
  }

  /// Whether one of `closingWords` occurs in `line`, inside a word or not (ASCII letters compared in lower case).
  func holdsClosingWord(_ line: String) -> Bool {
    var line = line
    return line.withUTF8 { bytes in
      // One pass: at each byte, only the words that start with it are compared.
      for index in bytes.indices {
        for word in closingWordsByFirstByte[Int(Self.lower(bytes[index]))] where index + word.count <= bytes.count {
          var offset = 1
          while offset < word.count, Self.lower(bytes[index + offset]) == word[offset] { offset += 1 }
          if offset == word.count { return true }
        }
      }
      return false
    }
  }

  /// An ASCII capital in lower case; any other byte as it is.
  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  /// Whether `text` is in the site's voice ("we", "our"), and whether it asks for feedback or a subscription or
  /// disclaims.
  func siteVoice(_ text: Substring) -> (site: Bool, closing: Bool) {
    var site = false
    var closing = false
    LineBoilerplate.forEachWord(in: text) { word in
      site = site || cues.siteVoiceWords.contains(word)
      closing = closing || cues.closingWords.contains(word)
    }
    return (site, closing)
  }

  // MARK: - Calls to action

  /// What a call to action is judged against: the subject, the content words of the lines around it, and whether a
  /// heading (or the page's end) comes next.
  typealias Surroundings = (
    subject: Set<PlainTextVocabulary.Word>, context: Set<PlainTextVocabulary.Word>, heading: Bool
  )

  /// Where the call to action at the end of `line` starts (the whole line when it is one), or nil. `context` gives
  /// the content words of the lines around it; `next` is the next line of text. The closures are called only for a
  /// line with a capitalised imperative in it.
  func callToActionStart(
    _ line: String, subject: () -> Set<PlainTextVocabulary.Word>, context: () -> Set<PlainTextVocabulary.Word>,
    next: String?, nextIsHeading: () -> Bool
  ) -> String.Index? {
    // The last part must be a call to action, so its verb is among the last words.
    guard mayEndWithCallToAction(line) else { return nil }
    var found: Surroundings?
    let around = { () -> Surroundings in
      if let found { return found }
      let computed = (subject(), context(), nextIsHeading())
      found = computed
      return computed
    }
    var start: String.Index?
    for part in PlainTextVocabulary.parts(of: line).reversed() {
      guard isCallToAction(line[part], next: next, around: around) else { break }
      start = part.lowerBound
    }
    return start
  }

  /// The last `count` words of `line` (all of it when it has fewer), found from its end.
  static func lastWords(of line: String, count: Int) -> Substring {
    let utf8 = line.utf8
    var spaces = 0
    var index = utf8.endIndex
    while index > utf8.startIndex {
      let before = utf8.index(before: index)
      if utf8[before] == UInt8(ascii: " ") {
        spaces += 1
        if spaces >= count { return line[index...] }
      }
      index = before
    }
    return line[...]
  }

  /// Whether `line` may end with a call to action: a capitalised verb of `callToActionVerbs` among its last words.
  func mayEndWithCallToAction(_ line: String) -> Bool {
    mayHoldCallToAction(Self.lastWords(of: line, count: cues.maximumCallToActionWords))
  }

  /// Whether some word of `line` that starts with a capital letter is one of `callToActionVerbs` — a quick test
  /// on its bytes, before the line is cut into parts (a call to action opens a part, so its verb is capitalised).
  func mayHoldCallToAction(_ line: Substring) -> Bool {
    var found = false
    var word: [UInt8] = []
    var inWord = false
    var candidate = false
    func end() {
      if candidate, !word.isEmpty, cues.callToActionVerbs.contains(String(decoding: word, as: UTF8.self)) {
        found = true
      }
      word.removeAll(keepingCapacity: true)
      candidate = false
    }
    var previousWasLower = false
    for byte in line.utf8 {
      let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
      let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
      defer { previousWasLower = isLower }
      if isUpper || isLower {
        if !inWord { candidate = isUpper }
        // A verb glued to the word before it ("homeBook") starts at its capital; in an upper-case word ("BOOK")
        // a capital goes on the word.
        if inWord && isUpper && previousWasLower {
          end()
          candidate = true
        }
        if candidate { word.append(isUpper ? byte + 32 : byte) }
        inWord = true
      } else {
        end()
        inWord = false
      }
      if found { return true }
    }
    end()
    return found
  }

  /// Whether a line ends with `!` or holds one of `callToActionMarkers` ("here", "now") after its first word.
  func hasCallToActionMarker(_ text: String) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.hasSuffix("!") { return true }
    return trimmed.split(separator: " ").dropFirst().contains {
      cues.callToActionMarkers.contains($0.lowercased().trimmingCharacters(in: .punctuationCharacters))
    }
  }

  /// Whether one part of a line is a call to action: an imperative (`callToActionVerbs`) that names nothing of the
  /// subject and is either a button label (with a marker, before a heading, or sharing no words with the text
  /// around it) or a short sentence with a marker ("here", "now") that does not share its words with that text.
  func isCallToAction(_ text: Substring, next: String?, around: () -> Surroundings) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let words = trimmed.split(separator: " ")
    guard let first = words.first, words.count <= cues.maximumCallToActionWords,
      cues.callToActionVerbs.contains(first.lowercased().trimmingCharacters(in: .punctuationCharacters)),
      trimmed.last != ":", trimmed.last != "?"
    else { return false }
    var hasMarker = trimmed.hasSuffix("!")
    for word in words.dropFirst()
    where cues.callToActionMarkers.contains(
      word.lowercased().trimmingCharacters(in: .punctuationCharacters))
    {
      hasMarker = true
    }
    let isButton =
      words.count <= cues.maximumButtonWords
      && words.allSatisfy { $0.first?.isUppercase == true || $0.first?.isNumber == true }
      && !trimmed.dropLast().contains(where: { ".,;:?".contains($0) }) && !".,;".contains(trimmed.last!)
    // The shape first; the words around the line are read only for an imperative of the right shape.
    guard isButton || hasMarker else { return false }
    let (subject, context, nextIsHeading) = around()
    guard !subject.isEmpty, !vocabulary.mentions(subject, in: trimmed) else { return false }
    if isButton {
      // A button heads nothing: a heading or the end of the page comes after it.
      if hasMarker || nextIsHeading { return true }
      // A capitalised imperative that heads the text after it ("Get Vaccinated" over a paragraph on vaccines) is a
      // heading, not a button.
      let headsNext = next.map { vocabulary.overlap(trimmed, with: Set(vocabulary.contentWords($0))) } ?? 0
      return headsNext <= cues.maximumNeighbourOverlap
        && vocabulary.overlap(trimmed, with: context) <= cues.maximumNeighbourOverlap
    }
    return vocabulary.overlap(trimmed, with: context) <= cues.maximumNeighbourOverlap
  }

}
