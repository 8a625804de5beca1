import Foundation

/// The words a page is about, and how much a line shares with the lines around it. Boilerplate is told from
/// article text by these properties rather than by any site's strings: a feedback box, a "Book Now" button or a
/// menu does not talk about the article's subject, and does not share words with its neighbours.
struct PlainTextVocabulary: Sendable {
  let minimumWordLength: Int
  let stopWords: Set<String>

  init(minimumWordLength: Int, stopWords: Set<String>) {
    self.minimumWordLength = minimumWordLength
    self.stopWords = stopWords
  }

  /// The content words of `text`: runs of letters (lower case) of at least `minimumWordLength` letters that are not
  /// stop words, with a possessive `'s` and a plural `s` cut so that "doctors" and "doctor" meet.
  func contentWords(_ text: some StringProtocol) -> [String] {
    var words: [String] = []
    var word = ""
    func end() {
      defer { word.removeAll(keepingCapacity: true) }
      guard word.count >= minimumWordLength else { return }
      var stem = word
      if stem.hasSuffix("s") && !stem.hasSuffix("ss") && stem.count > minimumWordLength { stem.removeLast() }
      guard !stopWords.contains(word), !stopWords.contains(stem) else { return }
      words.append(stem)
    }
    var afterApostrophe = false
    for character in text {
      if character.isLetter {
        if afterApostrophe {
          // "India's": the letters after the apostrophe are not a word of their own.
          continue
        }
        word.append(contentsOf: character.lowercased())
      } else if character == "'" || character == "\u{2019}" {
        end()
        afterApostrophe = true
        continue
      } else {
        end()
      }
      afterApostrophe = false
    }
    end()
    return words
  }

  /// The subject of a page: the `count` content words found in the most prose lines, each in at least `share` of
  /// the lines the most frequent one is in (so a page about dengue has `dengue`, and a word that one paragraph
  /// repeats does not come in). Words every health page uses (`generic`: disease, symptoms) are no page's subject.
  func subject(proseLines: [String], count: Int, share: Double, generic: Set<String>) -> Set<String> {
    var frequency: [String: Int] = [:]
    for line in proseLines {
      for word in Set(contentWords(line)) where !generic.contains(word) { frequency[word, default: 0] += 1 }
    }
    guard let most = frequency.values.max(), most >= 2 else { return [] }
    let ranked = frequency.filter { Double($0.value) >= share * Double(most) }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }
    return Set(ranked.prefix(count).map(\.key))
  }

  /// Whether `text` names one of the subject's words.
  func mentions(_ subject: Set<String>, in text: some StringProtocol) -> Bool {
    guard !subject.isEmpty else { return false }
    return contentWords(text).contains(where: subject.contains)
  }

  /// The share of `text`'s content words that `context` also has (1 when `text` has none).
  func overlap(_ text: some StringProtocol, with context: Set<String>) -> Double {
    let words = Set(contentWords(text))
    guard !words.isEmpty else { return 1 }
    return Double(words.filter(context.contains).count) / Double(words.count)
  }

  /// The parts of a line: split after sentence ends (`.`, `!`, `?` before a capital letter, with or without a space)
  /// and between words glued without a space ("feedbackSubscribe", "home.BOOK TEST HERE"). Scraped pages glue
  /// buttons and boxes onto the text before them; their parts are judged one by one.
  static func parts(of line: String) -> [Range<String.Index>] {
    var parts: [Range<String.Index>] = []
    var start = line.startIndex
    var previous: Character?
    var beforePrevious: Character?
    var index = line.startIndex
    while index < line.endIndex {
      let character = line[index]
      var splitHere = false
      if character.isUppercase, let previous {
        if ".!?".contains(previous), let beforePrevious, beforePrevious.isLetter || beforePrevious == ")" {
          // "strong.Did", but not "U.S.": a sentence end needs a word of more than one letter before it.
          splitHere = !isInitial(line, before: index)
        } else if previous.isLowercase, let next = line[line.index(after: index)...].first, next.isLowercase {
          splitHere = beforePrevious?.isLetter == true
        } else if previous == " ", let beforePrevious, ".!?".contains(beforePrevious) {
          splitHere = !isInitial(line, before: index)
        }
      }
      if splitHere {
        let range = start..<index
        if !line[range].trimmingCharacters(in: .whitespaces).isEmpty { parts.append(range) }
        start = index
      }
      beforePrevious = previous
      previous = character
      index = line.index(after: index)
    }
    if start < line.endIndex { parts.append(start..<line.endIndex) }
    return parts
  }

  /// Whether the punctuation just before `index` ends an initial or an abbreviation of one letter ("J. Smith",
  /// "U.S. Army").
  private static func isInitial(_ line: String, before index: String.Index) -> Bool {
    var cursor = index
    // Back over white space and the punctuation mark.
    while cursor > line.startIndex, line[line.index(before: cursor)] == " " { cursor = line.index(before: cursor) }
    guard cursor > line.startIndex else { return false }
    cursor = line.index(before: cursor)
    var letters = 0
    while cursor > line.startIndex {
      let before = line[line.index(before: cursor)]
      guard before.isLetter else { break }
      letters += 1
      cursor = line.index(before: cursor)
    }
    return letters <= 1
  }
}
