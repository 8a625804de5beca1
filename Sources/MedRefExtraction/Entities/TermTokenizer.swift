import Foundation
import MedRefBase

/// One word of a text as the entity lexicons see it: its UTF-8 byte range, what separates it from the word before
/// it, and the hash of its folded form (`PhraseTable.hash`; 0 for a word longer than any lexicon's).
package struct TermToken {
  /// What lies between a word and the word before it.
  enum Gap: UInt8 {
    /// Only spaces (also tabs and no-break spaces): a phrase may continue across it.
    case space
    /// A single hyphen and nothing else ("X-ray"): a phrase may continue across it, but a term may not start or
    /// end there ("pain" is not a symptom in "pain-free").
    case hyphen
    /// Anything else: punctuation, a line break, or the start of the text. No phrase crosses it.
    case other
  }

  var start: Int
  var end: Int
  var gap: Gap
  /// Every letter in capitals, a final lower-case `s` aside ("CBC", "CBCs"): required by one-word acronym terms.
  var capitals: Bool
  /// The 0-based line of the text the word is on.
  var line: Int32
  var word: UInt64 = 0
}

/// Splits text into words and folds each word to the form the lexicons are keyed by. Both lexicon terms and the
/// text being searched go through the same two steps, so they agree by construction.
///
/// A word is a run of word characters (`WordScanner.isWordCharacter`: letters, marks and numbers of any script), with
/// apostrophes inside it (`don't`, `Crohn’s`). Folding: lower case (and, outside ASCII, diacritics removed); `’` read
/// as `'`; `feet`/`teeth` as `foot`/`tooth`; a possessive `'s` or `s'` dropped; plurals folded (`-ies` → `-i`; a final
/// `s` dropped except after `s`, `u` or `i`, or after an acronym: `MRIs`); then a final `e` of a word of five letters
/// or more dropped and a final `y` read as `i`, so that `headache`/`headaches`, `allergy`/`allergies` and
/// `bruise`/`bruises` meet; in words of six letters or more, UK spellings `ae`, `oe` and a final `our` read as `e`,
/// `e`, `or` (`anaemia`, `oedema`, `tumour`). The folded forms are keys, not words: `disease` is `diseas`.
/// `scripts/build-hpo-lexicon` folds the same way (`fold_word`) to drop HPO rows that would be the same key.
package enum TermTokenizer {
  /// What an ASCII byte is to the tokenizer.
  private enum ByteClass: UInt8 {
    case other = 0
    case lower, upper, digit, space, hyphen, apostrophe, nonASCII
  }

  private static let byteClasses: [ByteClass] = (0...255).map { value in
    let byte = UInt8(value)
    switch byte {
    case 0x61...0x7A: return .lower
    case 0x41...0x5A: return .upper
    case 0x30...0x39: return .digit
    case 0x20, 0x09: return .space
    case 0x2D: return .hyphen
    case 0x27: return .apostrophe
    case 0x80...: return .nonASCII
    default: return .other
    }
  }

  /// The longest word folded; longer runs of letters are no word of any lexicon.
  static let maximumWordLength = 128

  /// The words of `utf8`, in order, with the hashes of their folded forms.
  static func tokens(_ utf8: UnsafeBufferPointer<UInt8>) -> [TermToken] {
    var found: [TermToken] = []
    found.reserveCapacity(utf8.count / 5)
    tokens(utf8, into: &found)
    return found
  }

  /// The words of `utf8` appended to `tokens` (to reuse one array for many short texts).
  static func tokens(_ utf8: UnsafeBufferPointer<UInt8>, into tokens: inout [TermToken]) {
    // Each word's bytes are lower-cased into `key` as they are scanned, then folded and hashed there: one pass.
    let key = UnsafeMutablePointer<UInt8>.allocate(capacity: maximumWordLength * 4 + 8)
    defer { key.deallocate() }
    byteClasses.withUnsafeBufferPointer { classes in
      let first = tokens.count
      let count = utf8.count
      var index = 0
      var gap = GapCount()
      var line: Int32 = 0
      while index < count {
        let byteClass = classes[Int(utf8[index])]
        switch byteClass {
        case .lower, .upper, .digit, .nonASCII:
          if byteClass == .nonASCII {
            let (isWord, length) = nonASCIIWordCharacter(utf8, at: index)
            guard isWord else {
              gap.count(nonWordCharacter: utf8, at: index, length: length)
              index += length
              continue
            }
          }
          let word = scanWord(utf8, from: index, classes, key: key)
          let hash = word.length == 0 ? 0 : PhraseTable.hash(key, count: word.length)
          tokens.append(
            TermToken(
              start: index, end: word.end, gap: gap.gap(atTextStart: tokens.count == first),
              capitals: word.capitals, line: line, word: hash))
          gap = GapCount(other: false)
          index = word.end
        case .space:
          gap.spaces += 1
          index += 1
        case .hyphen:
          gap.hyphens += 1
          index += 1
        default:
          if utf8[index] == 0x0A { line += 1 }
          gap.other = true
          index += 1
        }
      }
    }
  }

  /// What `tokens` has seen since the previous word: spaces, hyphens, anything else.
  private struct GapCount {
    var spaces = 0
    var hyphens = 0
    var other = true

    /// Counts the non-ASCII character at `index` (of `length` bytes) that is no letter or digit: a no-break space
    /// as a space, U+2010 hyphen and U+2011 non-breaking hyphen as hyphens, anything else as other.
    @inline(__always)
    mutating func count(nonWordCharacter utf8: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) {
      if length == 2 && utf8[index] == 0xC2 && utf8[index + 1] == 0xA0 {
        spaces += 1  // no-break space
      } else if length == 3 && utf8[index] == 0xE2 && utf8[index + 1] == 0x80
        && (utf8[index + 2] == 0x90 || utf8[index + 2] == 0x91)
      {
        hyphens += 1  // U+2010 hyphen, U+2011 non-breaking hyphen
      } else {
        other = true
      }
    }

    /// The gap before a word; a word at the start of the text (`atTextStart`) has an `other` gap.
    @inline(__always)
    func gap(atTextStart: Bool) -> TermToken.Gap {
      if other || atTextStart {
        return .other
      } else if hyphens == 1 && spaces == 0 {
        return .hyphen
      } else if hyphens == 0 && spaces > 0 {
        return .space
      } else {
        return .other
      }
    }
  }

  /// One word as `scanWord` found it: where it ends, whether it is in capitals, and the length of its folded form
  /// in the key (0 for a word too long to fold).
  private struct ScannedWord {
    var end: Int
    var capitals: Bool
    var length: Int
  }

  /// Scans the word starting at `start` (a letter or digit), lower-casing its ASCII bytes into `key`, then folds
  /// it there.
  @inline(__always)
  private static func scanWord(
    _ utf8: UnsafeBufferPointer<UInt8>, from start: Int, _ classes: UnsafeBufferPointer<ByteClass>,
    key: UnsafeMutablePointer<UInt8>
  ) -> ScannedWord {
    let count = utf8.count
    var end = start
    var upper = 0
    var lower = 0
    var ascii = true
    var lastLower: UInt8 = 0
    while end < count {
      let current = utf8[end]
      switch classes[Int(current)] {
      case .lower:
        if end - start < maximumWordLength { key[end - start] = current }
        lower += 1
        lastLower = current
        end += 1
        continue
      case .upper:
        if end - start < maximumWordLength { key[end - start] = current | 0x20 }
        upper += 1
        lastLower = 0
        end += 1
        continue
      case .digit:
        if end - start < maximumWordLength { key[end - start] = current }
        end += 1
        continue
      case .nonASCII:
        let (isWord, length) = nonASCIIWordCharacter(utf8, at: end)
        if isWord {
          ascii = false
          end += length
          continue
        }
        // ’ inside a word (read as ' when the word is folded from the text).
        if length == 3 && current == 0xE2 && utf8[end + 1] == 0x80 && utf8[end + 2] == 0x99
          && end + 3 < count && isWordStart(utf8, at: end + 3, classes)
        {
          ascii = false
          end += 3
          continue
        }
      case .apostrophe:
        if end + 1 < count && isWordStart(utf8, at: end + 1, classes) {
          if end - start < maximumWordLength { key[end - start] = current }
          end += 1
          continue
        }
      default:
        break
      }
      break
    }
    // In capitals: letters all upper case but for one final lower-case s (CBCs).
    let capitals =
      ascii && upper > 0
      && (lower == 0 || (lower == 1 && lastLower == UInt8(ascii: "s") && utf8[end - 1] == lastLower))
    // The folded word: lower-cased above when ASCII, else folded from the text.
    var length = 0
    if !ascii {
      length = fold(utf8, start: start, end: end, into: key)
    } else if end - start <= maximumWordLength {
      length = end - start
      // The plural of an acronym (MRIs, CBCs): the one lower-case letter is a final s.
      if lower == 1 && length >= 3 && utf8[end - 1] == s { length -= 1 }
      length = foldWord(key, count: length)
    }
    return ScannedWord(end: end, capitals: capitals, length: length)
  }

  /// Whether a letter or digit starts at `index`.
  @inline(__always)
  private static func isWordStart(
    _ utf8: UnsafeBufferPointer<UInt8>, at index: Int, _ classes: UnsafeBufferPointer<ByteClass>
  ) -> Bool {
    switch classes[Int(utf8[index])] {
    case .lower, .upper, .digit: return true
    case .nonASCII: return nonASCIIWordCharacter(utf8, at: index).0
    default: return false
    }
  }

  /// Whether the non-ASCII character at `index` is a word character (`WordScanner.isWordCharacter`: a letter, mark
  /// or number), and its length in bytes.
  @inline(__always)
  package static func nonASCIIWordCharacter(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (Bool, Int) {
    let (scalar, length) = UTF8Scanner.decode(utf8, at: index)
    guard let scalar else { return (false, length) }
    return (WordScanner.isWordCharacter(scalar), length)
  }

  /// Calls `body` with a buffer for folded words (`maximumWordLength` bytes and more).
  static func withFoldBuffer<Result>(_ body: (UnsafeMutablePointer<UInt8>) -> Result) -> Result {
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: maximumWordLength * 4)
    defer { buffer.deallocate() }
    return body(buffer)
  }

  /// Folds the word at `start..<end` of `utf8` into `key` (a fold buffer: not an array passed with `&`, which
  /// would be too short) and returns its length; 0 for a word longer than `maximumWordLength`.
  @inline(__always)
  static func fold(
    _ utf8: UnsafeBufferPointer<UInt8>, start: Int, end: Int, into key: UnsafeMutablePointer<UInt8>
  ) -> Int {
    let length = end - start
    guard length <= maximumWordLength else { return 0 }
    var lowerCase = 0
    var ascii = true
    // ASCII, with the right single quote (’, the usual apostrophe of web text) read as `'` in place: most words
    // never reach Foundation's folding below.
    var offset = 0
    var written = 0
    while offset < length {
      let byte = utf8[start + offset]
      if byte >= 0x80 {
        if byte == 0xE2 && offset + 2 < length && utf8[start + offset + 1] == 0x80
          && utf8[start + offset + 2] == 0x99
        {
          key[written] = apostrophe
          written += 1
          offset += 3
          continue
        }
        ascii = false
        break
      }
      if byte >= 0x41 && byte <= 0x5A {
        key[written] = byte | 0x20
      } else {
        if byte >= 0x61 && byte <= 0x7A { lowerCase += 1 }
        key[written] = byte
      }
      written += 1
      offset += 1
    }
    var count = ascii ? written : length
    if ascii {
      // The plural of an acronym (MRIs, CBCs): the one lower-case letter is a final s.
      if lowerCase == 1 && count >= 3 && utf8[end - 1] == s { count -= 1 }
    } else if !utf8[(start + offset)..<end].contains(where: { $0 >= 0xC3 && $0 <= 0xC9 }) {
      // No Latin letter beyond ASCII (Cyrillic, Greek, CJK...): no term of the lexicons can match, so the word is
      // kept as its bytes instead of going through Foundation's folding (slow, and pointless here).
      count = 0
      for byte in UnsafeBufferPointer(rebasing: utf8[start..<end]) {
        guard count < maximumWordLength * 4 else { return 0 }
        key[count] = byte
        count += 1
      }
      return count
    } else {
      let word = String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<end]), as: UTF8.self)
        .replacingOccurrences(of: "\u{2019}", with: "'")
        .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        .lowercased()
      count = 0
      for byte in word.utf8 {
        guard count < maximumWordLength * 4 else { return 0 }
        key[count] = byte
        count += 1
      }
    }
    return foldWord(key, count: count)
  }

  /// The folded form of the word at `start..<end` of `utf8`.
  static func folded(_ utf8: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> [UInt8] {
    withFoldBuffer { buffer in
      let count = fold(utf8, start: start, end: end, into: buffer)
      return Array(UnsafeBufferPointer(start: buffer, count: count))
    }
  }

  private static let s = UInt8(ascii: "s")
  private static let e = UInt8(ascii: "e")
  private static let i = UInt8(ascii: "i")
  private static let y = UInt8(ascii: "y")
  private static let apostrophe = UInt8(ascii: "'")

  /// Plural, possessive and spelling folding of a lower-cased word of `count` bytes at `word` (see the type's
  /// documentation); returns the folded length.
  @inline(__always)
  static func foldWord(_ word: UnsafeMutablePointer<UInt8>, count length: Int) -> Int {
    var count = length
    if count == 4 && word[0] == UInt8(ascii: "f") && word[1] == e && word[2] == e && word[3] == UInt8(ascii: "t") {
      word[1] = UInt8(ascii: "o")
      word[2] = UInt8(ascii: "o")
      return 4
    }
    if count == 5 && word[0] == UInt8(ascii: "t") && word[1] == e && word[2] == e && word[3] == UInt8(ascii: "t")
      && word[4] == UInt8(ascii: "h")
    {
      word[1] = UInt8(ascii: "o")
      word[2] = UInt8(ascii: "o")
      return 5
    }
    if count >= 2 && word[count - 2] == apostrophe && word[count - 1] == s {
      count -= 2
    } else if count >= 2 && word[count - 2] == s && word[count - 1] == apostrophe {
      count -= 1
    }
    if count > 4 && word[count - 3] == i && word[count - 2] == e && word[count - 1] == s {
      count -= 2
    } else if count > 3 && word[count - 1] == s {
      let before = word[count - 2]
      if before != s && before != UInt8(ascii: "u") && before != i { count -= 1 }
    }
    if count >= 5 && word[count - 1] == e { count -= 1 }
    if count >= 4 && word[count - 1] == y { word[count - 1] = i }
    guard count >= 6 else { return count }
    // UK spellings: ae and oe as e; a final -our as -or.
    var write = 0
    var read = 0
    while read < count {
      let byte = word[read]
      if (byte == UInt8(ascii: "a") || byte == UInt8(ascii: "o")) && read + 1 < count && word[read + 1] == e {
        word[write] = e
        read += 2
      } else {
        word[write] = byte
        read += 1
      }
      write += 1
    }
    count = write
    if count >= 5 && word[count - 3] == UInt8(ascii: "o") && word[count - 2] == UInt8(ascii: "u")
      && word[count - 1] == UInt8(ascii: "r")
    {
      word[count - 2] = UInt8(ascii: "r")
      count -= 1
    }
    return count
  }

  /// The folded words of a term or phrase, joined by spaces: what the lexicons are keyed by (for tests and
  /// diagnostics).
  package static func key(_ text: String) -> String {
    var text = text
    return text.withUTF8 { utf8 in
      tokens(utf8).map { token in
        String(decoding: folded(utf8, start: token.start, end: token.end), as: UTF8.self)
      }.joined(separator: " ")
    }
  }
}
