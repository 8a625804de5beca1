/// The one word splitter of MedRef: the section classifier's cues and text model, the boilerplate rules, the
/// plain-text vocabulary and the query all read words by this contract, and `scripts/train-section-model` mirrors it.
///
/// A word is a run of word characters (Unicode letters, marks and numbers: general categories L, M and N), lower
/// cased, with the joiners `-`, `'` and `’` (read as `'`) kept inside it: a joiner after a word character
/// continues the word, and joiners at the end of a word are dropped ("well-known", "don't"; "x-" is "x"). Every
/// other character ends a word. Two options change what a caller sees:
/// - `symbols`: a character that is neither a word character, white space, a joiner nor common ASCII punctuation
///   (`. , ; : ! ? " ( ) [ ] { }`) is a token of its own (`©`, `›`, `%`), as the boilerplate rules match them;
/// - `splitAtJoiners`: joiners end words as other characters do ("well", "known"), for callers that compare words
///   across compounds.
package enum WordScanner {
  /// How a caller reads words.
  package struct Options: OptionSet, Sendable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }
    /// Characters that are not words, white space, joiners or common punctuation are tokens of their own.
    package static let symbols = Options(rawValue: 1)
    /// Joiners end words.
    package static let splitAtJoiners = Options(rawValue: 2)
  }

  /// What a token is.
  package enum Token: Sendable, Equatable {
    /// A word, lower cased.
    case word
    /// One character that is not a word (only with `Options.symbols`).
    case symbol
  }

  /// The words of `text`.
  package static func words(_ text: some StringProtocol, options: Options = []) -> [String] {
    var words: [String] = []
    forEachToken(in: text, options: options) { bytes, token in
      if token == .word { words.append(String(decoding: bytes, as: UTF8.self)) }
    }
    return words
  }

  /// The words of UTF-8 `bytes` (ill-formed bytes end a word).
  package static func words(utf8 bytes: ArraySlice<UInt8>, options: Options = []) -> [String] {
    var words: [String] = []
    bytes.withUnsafeBufferPointer { buffer in
      scan(buffer, options: options) { bytes, token in
        if token == .word { words.append(String(decoding: bytes, as: UTF8.self)) }
      }
    }
    return words
  }

  /// Calls `body` with the UTF-8 bytes of each token of `text`, in order.
  package static func forEachToken(
    in text: some StringProtocol, options: Options = [], _ body: ([UInt8], Token) -> Void
  ) {
    let done: Void? = text.utf8.withContiguousStorageIfAvailable { scan($0, options: options, body) }
    if done == nil { Array(text.utf8).withUnsafeBufferPointer { scan($0, options: options, body) } }
  }

  /// How a character reads.
  private enum Class {
    case word, joiner, separator, symbol
  }

  /// The class of each ASCII byte.
  private static let asciiClasses: [Class] = (0..<128).map { byte in
    switch UInt8(byte) {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .word
    case UInt8(ascii: "-"), UInt8(ascii: "'"): return .joiner
    case 0...0x20, 0x7F: return .separator
    default: return Set(".,;:!?\"()[]{}".utf8).contains(UInt8(byte)) ? .separator : .symbol
    }
  }

  /// Whether `scalar` is a word character: a letter, mark or number (general categories L, M and N). MedRef's
  /// other tokenizers (the entity lexicons' `TermTokenizer`, the query's) ask this too, so all agree on what a word
  /// is made of.
  package static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
      .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
      return true
    default: return false
    }
  }

  /// The class of a non-ASCII scalar.
  private static func nonASCIIClass(_ scalar: Unicode.Scalar) -> Class {
    if scalar == "\u{2019}" { return .joiner }
    if isWordCharacter(scalar) { return .word }
    return scalar.properties.isWhitespace ? .separator : .symbol
  }

  private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, options: Options, _ body: ([UInt8], Token) -> Void) {
    let symbols = options.contains(.symbols)
    let joinersSplit = options.contains(.splitAtJoiners)
    var word: [UInt8] = []
    word.reserveCapacity(32)
    var nonASCII = false
    func end() {
      while let last = word.last, last == UInt8(ascii: "-") || last == UInt8(ascii: "'") { word.removeLast() }
      if !word.isEmpty {
        body(nonASCII ? Array(String(decoding: word, as: UTF8.self).lowercased().utf8) : word, .word)
      }
      word.removeAll(keepingCapacity: true)
      nonASCII = false
    }
    let classes = asciiClasses
    var index = 0
    while index < bytes.count {
      let lead = bytes[index]
      var length = 1
      let kind: Class
      if lead < 0x80 {
        kind = classes[Int(lead)]
      } else {
        // Checked decoding: a slice cut inside a character reads its bytes as a symbol, never past the end.
        let decoded = UTF8Scanner.decode(bytes, at: index)
        length = decoded.length
        kind = decoded.scalar.map(nonASCIIClass) ?? .symbol
      }
      switch kind {
      case .word:
        if lead < 0x80 {
          word.append(lead >= 0x41 && lead <= 0x5A ? lead | 0x20 : lead)
        } else {
          word.append(contentsOf: bytes[index..<index + length])
          nonASCII = true
        }
      case .joiner:
        if joinersSplit {
          end()
        } else if !word.isEmpty {
          word.append(lead < 0x80 ? lead : UInt8(ascii: "'"))
        }
      case .separator:
        end()
      case .symbol:
        end()
        if symbols { body(Array(bytes[index..<index + length]), .symbol) }
      }
      index += length
    }
    end()
  }
}
