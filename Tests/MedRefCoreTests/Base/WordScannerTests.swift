import Foundation
import Testing

@testable import MedRefBase

@Suite("Word scanner: the one word splitter, against a reference written on Unicode scalars")
struct WordScannerTests {
  /// The contract of `WordScanner`, written the slow and obvious way on `Unicode.Scalar`s and `String`s.
  static func reference(_ text: String, options: WordScanner.Options) -> [(String, WordScanner.Token)] {
    var tokens: [(String, WordScanner.Token)] = []
    var word = ""
    func end() {
      while word.hasSuffix("-") || word.hasSuffix("'") { word.removeLast() }
      if !word.isEmpty { tokens.append((word.lowercased(), .word)) }
      word = ""
    }
    for scalar in text.unicodeScalars {
      let category = scalar.properties.generalCategory
      let isWord: Bool
      switch category {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
        .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
        isWord = true
      default: isWord = false
      }
      if scalar == "-" || scalar == "'" || scalar == "\u{2019}" {
        if options.contains(.splitAtJoiners) {
          end()
        } else if !word.isEmpty {
          word.unicodeScalars.append(scalar == "-" ? "-" : "'")
        }
      } else if isWord {
        word.unicodeScalars.append(scalar)
      } else {
        end()
        let separator =
          scalar.properties.isWhitespace || scalar.value < 0x21 || scalar.value == 0x7F
          || ".,;:!?\"()[]{}".unicodeScalars.contains(scalar)
        if options.contains(.symbols) && !separator { tokens.append((String(scalar), .symbol)) }
      }
    }
    end()
    return tokens
  }

  static func scanned(_ text: String, options: WordScanner.Options) -> [(String, WordScanner.Token)] {
    var tokens: [(String, WordScanner.Token)] = []
    WordScanner.forEachToken(in: text, options: options) { tokens.append((String(decoding: $0, as: UTF8.self), $1)) }
    return tokens
  }

  /// Characters of every class the scanner tells apart: ASCII letters, digits, joiners and punctuation, Latin
  /// letters with precomposed and combining accents, upper-case letters whose lower case is longer (`İ`), Greek,
  /// CJK, Arabic-Indic digits, superscripts, no-break and ideographic spaces, dashes, bullets, signs and emoji.
  static let alphabet: [String] = [
    "a", "Z", "q", "7", "0", "-", "'", "\u{2019}", " ", "\n", "\t", ".", ",", "(", "\"", "!", "%", "/", "&", "#",
    "é", "É", "e\u{301}", "İ", "ß", "Ω", "λ", "中", "٣", "²", "½", "\u{A0}", "\u{3000}", "–", "—", "•", "©", "›",
    "😀", "\u{FE0F}", "\u{200B}", "Ⅻ",
  ]

  @Test("Every option gives what the reference gives, on random text of every character class")
  func randomText() {
    var generator = SplitMix64(state: 18)
    let options: [WordScanner.Options] = [[], .symbols, .splitAtJoiners, [.symbols, .splitAtJoiners]]
    for _ in 0..<2000 {
      let length = Int.random(in: 0...24, using: &generator)
      let text = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
      for option in options {
        let expected = Self.reference(text, options: option)
        let actual = Self.scanned(text, options: option)
        #expect(actual.map { $0.0 } == expected.map { $0.0 }, "\(text.debugDescription) with \(option.rawValue)")
        #expect(actual.map { $0.1 } == expected.map { $0.1 }, "\(text.debugDescription) with \(option.rawValue)")
      }
      #expect(WordScanner.words(text) == Self.reference(text, options: []).map { $0.0 })
      #expect(WordScanner.words(utf8: ArraySlice(text.utf8)) == WordScanner.words(text))
    }
  }

  @Test("Words of real phrases: joiners inside, case folded, dashes and bullets between words")
  func phrases() {
    #expect(
      WordScanner.words("Don’t ignore well-known signs—see a GP.") == [
        "don't", "ignore", "well-known", "signs", "see", "a", "gp",
      ])
    #expect(
      WordScanner.words("• Pain–relief (NSAIDs) 24/7 É-coli x- 'quoted'") == [
        "pain", "relief", "nsaids", "24", "7", "é-coli", "x", "quoted",
      ])
    #expect(WordScanner.words("self-care, India's", options: .splitAtJoiners) == ["self", "care", "india", "s"])
    #expect(
      Self.scanned("© 2024 Clinic › Home | 50% off", options: .symbols).map { $0.0 } == [
        "©", "2024", "clinic", "›", "home", "|", "50", "%", "off",
      ])
  }

  @Test("Bytes cut inside a character end a word and are never read past")
  func cutBytes() {
    let bytes = Array("naïve café".utf8)
    // Cut after the first byte of "é": the lone lead byte is not a word character.
    #expect(WordScanner.words(utf8: bytes[0..<(bytes.count - 1)]) == ["naïve", "caf"])
    #expect(WordScanner.words(utf8: bytes[3...]) == ["ve", "café"])
  }
}
