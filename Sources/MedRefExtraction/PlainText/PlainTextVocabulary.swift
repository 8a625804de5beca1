import Foundation
import MedRefBase

/// The words a page is about, and how much a line shares with the lines around it. Boilerplate is told from
/// article text by these properties rather than by any site's strings: a feedback box, a "Book Now" button or a
/// menu does not talk about the article's subject, and does not share words with its neighbours.
package struct PlainTextVocabulary: Sendable {
  /// A content word, as the 64-bit FNV-1a hash of its lower-case UTF-8 bytes: pages are compared by sets of
  /// words, and hashes spare a string per word.
  typealias Word = UInt64

  let minimumWordLength: Int
  let stemLength: Int
  let stopWords: Set<Word>
  /// Words every health page uses (disease, symptoms): no page's subject.
  let genericWords: Set<Word>

  init(minimumWordLength: Int, stemLength: Int, stopWords: Set<String>, genericWords: Set<String> = []) {
    self.minimumWordLength = minimumWordLength
    self.stemLength = stemLength
    self.stopWords = Set(stopWords.map { Self.hash(Array($0.lowercased().utf8)) })
    var generic = Set<Word>()
    let plain = PlainTextVocabulary(minimumWordLength: 1, stemLength: stemLength, stopWords: Set<Word>())
    for word in genericWords { generic.formUnion(plain.contentWords(word)) }
    self.genericWords = generic
  }

  private init(minimumWordLength: Int, stemLength: Int, stopWords: Set<Word>) {
    self.minimumWordLength = minimumWordLength
    self.stemLength = stemLength
    self.stopWords = stopWords
    self.genericWords = []
  }

  /// The content words of `text`: its words as `WordScanner` reads them, split at joiners ("self-care" is "self"
  /// and "care", the `s` of "India's" too short to count), of at least `minimumWordLength` bytes and with a letter
  /// a–z or a non-ASCII one, that are not stop words; a plural `s` is cut so that "doctors" and "doctor" meet, and
  /// each is kept as its `stem`.
  func contentWords(_ text: some StringProtocol) -> [Word] {
    var words: [Word] = []
    WordScanner.forEachToken(in: text, options: .splitAtJoiners) { word, _ in
      guard word.count >= minimumWordLength, word.contains(where: { $0 >= 0x61 }) else { return }
      let whole = Self.hash(word)
      guard !stopWords.contains(whole) else { return }
      guard word.count > minimumWordLength, word.last == UInt8(ascii: "s"), word[word.count - 2] != UInt8(ascii: "s")
      else {
        words.append(stem(word[...]))
        return
      }
      if !stopWords.contains(Self.hash(word.dropLast())) { words.append(stem(word.dropLast())) }
    }
    return words
  }

  /// A word as compared: its first `stemLength` bytes ("vaccinated" and "vaccination", "diagnosed" and "diagnosis"
  /// meet), hashed.
  func stem(_ word: ArraySlice<UInt8>) -> Word { Self.hash(word.prefix(stemLength)) }

  /// FNV-1a over `bytes`.
  static func hash(_ bytes: some Sequence<UInt8>) -> Word { FNV1a.hash(bytes) }

  /// The subject of a page: of the content words of its prose units (`prose`), the `count` found in the most units,
  /// each in at least `share` of the units the most frequent one is in (so a page about dengue has `dengue`, and a
  /// word that one paragraph repeats does not come in); never a generic word.
  func subject(prose: some Sequence<[Word]>, count: Int, share: Double) -> Set<Word> {
    var frequency: [Word: Int] = [:]
    for words in prose {
      for word in Set(words) where !genericWords.contains(word) { frequency[word, default: 0] += 1 }
    }
    guard let most = frequency.values.max(), most >= 2 else { return [] }
    // A subject word is in two units at least: one paragraph's words are not what the page is about.
    let ranked = frequency.filter { $0.value >= 2 && Double($0.value) >= share * Double(most) }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }
    return Set(ranked.prefix(count).map(\.key))
  }

  /// Whether `text` names one of the subject's words.
  func mentions(_ subject: Set<Word>, in text: some StringProtocol) -> Bool {
    guard !subject.isEmpty else { return false }
    return contentWords(text).contains(where: subject.contains)
  }

  /// The share of `text`'s content words that `context` also has (1 when `text` has none).
  func overlap(_ text: some StringProtocol, with context: Set<Word>) -> Double {
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
