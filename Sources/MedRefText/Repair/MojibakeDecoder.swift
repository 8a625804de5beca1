import MedRefBase

/// Exact mojibake repair: finds runs of characters whose bytes in one of the `CodePages` form UTF-8 and decodes them
/// (`Ã©` → `é`, `â€™` → `’`, `РґРѕ` → `до`, `wei√ü` → `weiß`), when the result is plausible text: characters
/// MedRef expects in text, letters of one script that agrees with the letters around them. Also handles the
/// variants that damage leaves behind: a no-break space turned into a space (`Ã ` → `à `, `8Â h` → `8 h`),
/// CESU-8 surrogate pairs (`í\u{A0}½í¸\u{8D}` → 😍), and sequences with a byte already lost to `?` or U+FFFD, which
/// become U+FFFD as in ftfy.
package enum MojibakeDecoder {
  /// One decoded UTF-8 sequence.
  struct Sequence {
    var scalar: UInt32
    var consumed: Int
    var latin1: Bool
    /// A `?` or U+FFFD stood where a byte was lost.
    var lostByte: Bool
    /// The lost byte was marked by U+FFFD (itself evidence of damage), not by `?`.
    var replacementMarked: Bool
    /// Continuation bytes that were really there.
    var realContinuations: Int
    /// The run must end here (a space that belongs to the text follows).
    var endsRun: Bool
    /// A space stood for the byte A0 (a no-break space turned into a space).
    var restoredSpace = false
  }

  /// Consecutive sequences decoded with one code page.
  struct Run {
    init() {
      utf8 = []
    }

    /// Empties the run for another decoding, keeping its arrays' storage.
    mutating func reset() {
      if !utf8.isEmpty { utf8.removeAll(keepingCapacity: true) }
      count = 0
      firstScalar = 0
      page = 0
      firstLength = 0
      consumed = 0
      latin1 = false
      lostBytes = 0
      evidence = false
      restoredSpace = false
      boxDrawingOnly = true
      firstInput = 0
      lastInput = 0
    }

    var page = 0
    var utf8: [UInt8]
    /// How many characters were decoded, and the first of them.
    var count = 0
    var firstScalar: UInt32 = 0
    /// Bytes of UTF-8 the first decoded character took (2, 3 or 4; 0 for a lost byte).
    var firstLength = 0
    var consumed = 0
    var latin1 = false
    var lostBytes = 0
    var evidence = false
    var restoredSpace = false
    /// The damaged characters were all box-drawing characters (DOS line art, not mojibake).
    var boxDrawingOnly = true
    /// The first damaged character and the last one.
    var firstInput: UInt32 = 0
    var lastInput: UInt32 = 0
  }

  /// Portuguese words that follow `à` without a space (`àquele`), so a space after `Ã` is the lost no-break space.
  static let contractionsAfterGrave: [[UInt8]] = ["quele", "quela", "quilo", "queles", "quelas", "s "].map {
    Array($0.utf8)
  }

  /// Decodes the sequence whose lead character is at `index`, reading characters as bytes of `page`.
  static func decodeSequence(_ array: [UInt8], at index: Int, page: Int, pages: CodePages) -> Sequence? {
    array.withUnsafeBufferPointer { decodeSequence($0, at: index, page: page, pages: pages) }
  }

  /// What a sequence with a lost byte stood for: U+FFFD as in ftfy, except where one character is the only
  /// plausible reading. A Windows-1252 decoder turns the five bytes that code page leaves undefined (81, 8D, 8F, 90,
  /// 9D) into U+FFFD, so `â€` + U+FFFD was E2 80 followed by one of them: U+2001, U+200D, U+200F, U+2010 or U+201D.
  /// Closing a word — after an ASCII letter or digit or `.,!?`, before a space, a closing sign or the line's end
  /// ("water pillsâ€�)") — it is the closing quote ” (U+201D); the others do not close words. Anywhere else the
  /// guess is not made, and the sequence stays U+FFFD.
  static func lostByteGuess(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int, page: Int, lead: UInt8,
    continuation: (UInt8, UInt8, UInt8), count: Int, replacementMarked: Bool
  ) -> UInt32 {
    guard replacementMarked, page == 0, lead == 0xE2, count == 2, continuation.0 == 0x80, index > 0 else {
      return 0xFFFD
    }
    let before = bytes[index - 1] | 0x20
    let closesWord =
      (before >= 0x61 && before <= 0x7A) || (bytes[index - 1] >= 0x30 && bytes[index - 1] <= 0x39)
      || ".,!?".utf8.contains(bytes[index - 1])
    guard closesWord else { return 0xFFFD }
    guard end < bytes.count else { return 0x201D }
    let after = bytes[end]
    return after == 0x20 || after == 0x0A || after == 0x0D || after == 0x09 || ")]}.,;:!?\"'".utf8.contains(after)
      ? 0x201D : 0xFFFD
  }

  /// `decodeSequence` over contiguous bytes (no bounds checks in release builds on the hot path).
  ///
  /// Longer than 80 lines on purpose: it decodes one UTF-8 sequence byte by byte for every lead-like character of
  /// every line (the innermost loop of repair), and its steps share the packed continuation bytes and their flags
  /// (lost byte, restored space, Latin-1). Kept whole in issue 18; a split is only worth trying with
  /// `scripts/bench-repair` numbers before and after.
  static func decodeSequence(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, page: Int, pages: CodePages
  ) -> Sequence? {
    let first = UTF8Scanner.validScalar(in: bytes, at: index)
    guard let lead = pages.byte(first.value, page: page), lead >= 0xC2, lead <= 0xF4 else { return nil }
    let needed = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
    // The sequence's bytes after the lead, packed (at most three).
    var continuation: (UInt8, UInt8, UInt8) = (0, 0, 0)
    var count = 0
    func append(_ byte: UInt8) {
      switch count {
      case 0: continuation.0 = byte
      case 1: continuation.1 = byte
      default: continuation.2 = byte
      }
      count += 1
    }
    var position = index + first.length
    var latin1 = page == 0 && (0x80...0x9F).contains(first.value)
    var lostByte = false
    var replacementMarked = false
    var real = 0
    var spaceAt: Int?
    for _ in 0..<needed {
      guard position < bytes.count else { return nil }
      let byte = bytes[position]
      if byte < 0x80 {
        if byte == 0x20 && spaceAt == nil && !lostByte && (page == 0 ? spaceMayReplace(lead: lead) : lead == 0xC3) {
          spaceAt = position
          append(0xA0)
        } else if byte == UInt8(ascii: "?") && spaceAt == nil {
          lostByte = true
          append(0x80)
        } else {
          return nil
        }
        position += 1
        continue
      }
      let next = UTF8Scanner.validScalar(in: bytes, at: position)
      if next.value == 0xFFFD && spaceAt == nil {
        lostByte = true
        replacementMarked = true
        append(0x80)
      } else {
        guard let byte = pages.byte(next.value, page: page), byte >= 0x80, byte <= 0xBF else { return nil }
        if page == 0 && (0x80...0x9F).contains(next.value) { latin1 = true }
        append(byte)
        real += 1
      }
      position += next.length
    }
    if lostByte {
      return Sequence(
        scalar: lostByteGuess(
          bytes, at: index, end: position, page: page, lead: lead, continuation: continuation, count: count,
          replacementMarked: replacementMarked),
        consumed: position - index, latin1: latin1, lostByte: true,
        replacementMarked: replacementMarked, realContinuations: real, endsRun: false)
    }
    // No overlong forms, no code points above U+10FFFF; a surrogate is read, for CESU-8.
    guard
      var value = UTF8Scanner.scalarValue(
        lead, continuation.0, continuation.1, continuation.2, count: needed + 1, allowingSurrogates: true)
    else { return nil }
    if (0xD800...0xDBFF).contains(value) {
      // CESU-8: a high surrogate must be followed by a low one, together one supplementary character.
      guard position < bytes.count, bytes[position] >= 0x80,
        let low = decodeSequence(bytes, at: position, page: page, pages: pages), !low.lostByte,
        (0xDC00...0xDFFF).contains(low.scalar)
      else { return nil }
      value = 0x10000 + ((value - 0xD800) << 10) + (low.scalar - 0xDC00)
      position += low.consumed
      latin1 = latin1 || low.latin1
      real += low.realContinuations
    } else if (0xDC00...0xDFFF).contains(value) {
      // A lone low surrogate only counts as the second half of a pair (handled above).
      return Sequence(
        scalar: value, consumed: position - index, latin1: latin1, lostByte: false,
        replacementMarked: false, realContinuations: real, endsRun: false)
    }
    var consumed = position - index
    var endsRun = false
    if let spaceAt, lead == 0xC3, needed == 1 {
      // `Ã ` is `à` whose no-break space became a space; the space after `à` was usually merged with it, so the
      // space stays unless another space, a sign (`università .`) or a Portuguese contraction (`àquele`) follows.
      let after = bytes[(spaceAt + 1)...]
      let merged: Bool
      switch after.first {
      case nil, 0x20, 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x5D: merged = true  // space, `.,;:!?)]`
      case 0x71, 0x73: merged = contractionsAfterGrave.contains { after.starts(with: $0) }  // `q`, `s`
      default: merged = false
      }
      if !merged {
        consumed = spaceAt - index
        endsRun = true
      }
    }
    if spaceAt != nil, lead == 0xC5, needed == 1, index > 0, let previous = bytes[..<index].last,
      previous >= 0x80 || (previous | 0x20 >= 0x61 && previous | 0x20 <= 0x7A)
    {
      // `Å ` as `Š` starts a word (`Å iaip`); after a letter it is the Nordic letter before a space (`ÆØÅ æøå`).
      return nil
    }
    return Sequence(
      scalar: value, consumed: consumed, latin1: latin1, lostByte: false,
      replacementMarked: false, realContinuations: real, endsRun: endsRun, restoredSpace: spaceAt != nil)
  }

  /// Lead bytes after which a space may stand for a lost A0 byte: `Â ` (no-break space), `Ã ` (à), `Å ` (Š),
  /// `Î ` (Π), `Ð ` (Р), `× ` (נ), and three-byte leads E0–EF (scripts, signs, CJK: `ä½ ` is 你). Other code pages only
  /// restore `à` (`Г ` in Windows-1251).
  @inline(__always)
  static func spaceMayReplace(lead: UInt8) -> Bool {
    switch lead {
    case 0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD7, 0xE0...0xEF: return true
    default: return false
    }
  }

  /// Whether the character after the lead character at `index` (of `length` bytes) could continue a sequence in one
  /// of the pages of `mask`: a space or `?` (a lost byte), or a character one of them reads as a continuation byte.
  @inline(__always)
  static func mayContinue(
    _ bytes: UnsafeBufferPointer<UInt8>, lead index: Int, length: Int, mask: UInt16, pages: CodePages
  ) -> Bool {
    let after = index + length
    guard after < bytes.count else { return false }
    let next = bytes[after]
    if next < 0x80 { return next == 0x20 || next == 0x3F }
    return pages.mayContinue(leadMask: mask, with: UTF8Scanner.validScalar(in: bytes, at: after).value)
  }

  /// The longest run of sequences from `index` in `page`, decoded into `run` (whose arrays keep their storage from
  /// one call to the next, so that decoding allocates nothing once they have grown). False when there is none.
  static func decodeRun(_ array: [UInt8], at index: Int, page: Int, pages: CodePages, into run: inout Run) -> Bool {
    array.withUnsafeBufferPointer { decodeRun($0, at: index, page: page, pages: pages, into: &run) }
  }

  /// `decodeRun` over contiguous bytes.
  static func decodeRun(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, page: Int, pages: CodePages, into run: inout Run
  ) -> Bool {
    // Most lead-like characters are clean letters followed by ASCII (`é` in `été`): nothing can continue them.
    let first = UTF8Scanner.validScalar(in: bytes, at: index)
    let afterLead = index + first.length
    guard afterLead < bytes.count else { return false }
    let next = bytes[afterLead]
    guard next >= 0x80 || next == 0x20 || next == 0x3F,
      var sequence = decodeSequence(bytes, at: index, page: page, pages: pages)
    else { return false }
    run.reset()
    run.page = page
    run.firstInput = first.value
    var position = index
    while true {
      if (0xDC00...0xDFFF).contains(sequence.scalar) { break }
      let before = run.utf8.count
      UTF8Scanner.append(sequence.scalar, to: &run.utf8)
      if run.count == 0 { run.firstScalar = sequence.scalar }
      run.count += 1
      if before == 0 { run.firstLength = sequence.lostByte ? 0 : run.utf8.count }
      run.restoredSpace = run.restoredSpace || sequence.restoredSpace
      run.latin1 = run.latin1 || sequence.latin1
      if sequence.lostByte { run.lostBytes += 1 }
      if sequence.realContinuations > 0 || sequence.replacementMarked || sequence.restoredSpace { run.evidence = true }
      position += sequence.consumed
      if sequence.endsRun { break }
      guard position < bytes.count, bytes[position] >= 0x80,
        let following = decodeSequence(bytes, at: position, page: page, pages: pages)
      else { break }
      sequence = following
    }
    run.consumed = position - index
    guard run.count > 0, run.evidence else { return false }
    if run.count == 1 {
      // What a single sequence was made of, for the checks on weak runs.
      var scan = index
      while scan < position {
        let character = UTF8Scanner.validScalar(in: bytes, at: scan)
        if !(0x2500...0x257F).contains(character.value) { run.boxDrawingOnly = false }
        run.lastInput = character.value
        scan += character.length
      }
    } else {
      run.boxDrawingOnly = false
    }
    return true
  }

  /// Whether a decoded run is text rather than clean text that happened to decode. `left` and `right` are the
  /// characters touching the run; `before` and `beforeThat` the nearest non-space characters before it and the
  /// one before that, `after` the nearest non-space character after it.
  /// `trusted` tells whether the run's code page has already shown itself on this line (Windows-1252 always has):
  /// only then may a lone letter or a single sign be decoded with it.
  /// `relaxed` is set once the line has shown damage: lone letters, line-art characters and capitals context then
  /// no longer count against a run.
  static func isPlausible(
    _ run: Run, left: UInt32?, right: UInt32?, before: UInt32?, beforeThat: UInt32?, after: UInt32?, trusted: Bool,
    relaxed: Bool = false, characters: RepairCharacters = .shared
  ) -> Bool {
    guard let (script, letters) = Self.letterScript(of: run, left: left, characters: characters) else { return false }
    let latin = characters.latin
    let greek = characters.greek
    let single = run.count == 1
    let twoByte = single && run.firstLength == 2
    // Line art from DOS code page 437 (`├┤`), and one two-byte sign from a page other than Windows-1252
    // (`¬´` read as MacRoman), are clean text.
    if single && run.boxDrawingOnly && !relaxed { return false }
    // `√` and `¬` are MacRoman's readings of the lead bytes C3 and C2; next to a letter or digit (`10 ¬µg`,
    // `1¬Ω`) they are evidence enough on their own.
    func isAlphanumeric(_ value: UInt32?) -> Bool {
      guard let value else { return false }
      return characters.script(value) != 0 || (0x30...0x39).contains(value)
    }
    let touchesAlphanumeric = isAlphanumeric(left) || isAlphanumeric(right)
    let macRomanLead = run.firstInput == 0x221A || run.firstInput == 0x00AC
    if twoByte && letters == 0 && !trusted && !(macRomanLead && touchesAlphanumeric) { return false }
    // A trademark sign after a capital ends a product name (`AHÅ™`, `NICIODATĂ™`); only `Ã™` is mojibake there.
    let rightIsLetter = right.map { characters.script($0) != 0 } ?? false
    if twoByte && run.lastInput == 0x2122 && run.firstInput != 0xC3 && !rightIsLetter,
      let before, isUppercase(before)
    {
      return false
    }
    guard letters > 0 else { return true }
    if twoByte {
      let letter = run.firstScalar
      // `Ã’s`: a letter and an apostrophe before a contraction ending is clean text.
      if run.lastInput == 0x2019, let right, right == 0x73 || right == 0x74 || right == 0x64 || right == 0x6D {
        return false
      }
      // Two capital Latin-1 letters read with another code page as a rarer capital (`ÅØ` as `Ũ`) are Nordic
      // capitals; as a small letter (`ÄÆ` as Lithuanian `į`) they are mojibake.
      let capitalLatin1: (UInt32) -> Bool = { (0xC0...0xDE).contains($0) && $0 != 0xD7 }
      if run.page != 0 && capitalLatin1(run.firstInput) && capitalLatin1(run.lastInput) && letter > 0xFF
        && isUppercase(letter)
      {
        return false
      }
    }
    let leftScript = left.map(characters.script) ?? 0
    let rightScript = right.map(characters.script) ?? 0
    if letters == 1 {
      // One letter must agree with the letters touching it; a Greek letter inside Latin is scientific text.
      let scientific = script == greek && (leftScript == latin || rightScript == latin)
      if !scientific && leftScript != 0 && leftScript != script { return false }
      if !scientific && rightScript != 0 && rightScript != script { return false }
    }
    if single, twoByte {
      return isPlausibleLetter(
        run, script: script, leftScript: leftScript, rightScript: rightScript, before: before,
        beforeThat: beforeThat, after: after, trusted: trusted || macRomanLead, relaxed: relaxed,
        characters: characters)
    }
    return true
  }

  /// The script of the letters of a decoded run (0 for none) and how many there are; nil when a character of it
  /// cannot be text: a C1 control outside Windows-1252/Latin-1, a character of no known kind, a mark after a
  /// space or of another script than its letter, letters of two scripts, a no-break space after a space.
  @inline(__always)
  private static func letterScript(
    of run: Run, left: UInt32?, characters: RepairCharacters
  ) -> (script: UInt8, letters: Int)? {
    var script: UInt8 = 0
    var letters = 0
    var previous = left
    var offset = 0
    while offset < run.utf8.count {
      let (scalar, length) = UTF8Scanner.validScalar(in: run.utf8, at: offset)
      offset += length
      if (0x80...0x9F).contains(scalar) {
        // A C1 control is the intermediate step of text encoded twice, in Windows-1252/Latin-1 only.
        guard run.page == 0 else { return nil }
        previous = scalar
        continue
      }
      switch characters.kind(scalar) {
      case .none:
        return nil
      case .mark:
        guard let previous, previous != 0x20, !run.restoredSpace else { return nil }
        let markScript = characters.markScript(scalar)
        if markScript != 0 && characters.script(previous) != markScript { return nil }
      case .letter:
        let letterScript = characters.script(scalar)
        if script != 0 && letterScript != script { return nil }
        script = letterScript
        letters += 1
      case .symbol:
        // A no-break space follows a word or sign, never a space (`The letter Â appears` is clean).
        if scalar == 0xA0 && (previous == 0x20 || previous == nil) { return nil }
      }
      previous = scalar
    }
    return (script, letters)
  }

  /// Whether the single two-byte run `run`, one letter of `script`, is text in its context (see `isPlausible`;
  /// `trusted` also when the run is a MacRoman lead next to a letter or digit).
  @inline(__always)
  private static func isPlausibleLetter(
    _ run: Run, script: UInt8, leftScript: UInt8, rightScript: UInt8, before: UInt32?, beforeThat: UInt32?,
    after: UInt32?, trusted: Bool, relaxed: Bool, characters: RepairCharacters
  ) -> Bool {
    let latin = characters.latin
    let letter = run.firstScalar
    // A letter standing alone: one-letter words are common in Greek and Cyrillic (`и`, `в`, `Η`); in Latin only
    // the listed ones are words, and a lone `ē` or `ŗ` is clean text followed by a sign (`Ä“`, `Å—`) unless the
    // line shows other damage. A lone letter of another script (`×£` as `ף`) is a sign and a symbol.
    let alone = leftScript == 0 && rightScript == 0
    if alone && script != latin && !characters.alphabeticScripts.contains(script) { return false }
    if relaxed { return true }
    // `Ã ` alone is `à` only on a line that shows other damage; by itself it is the letter `Ã` (`Grade: Ã`).
    if alone && run.restoredSpace { return false }
    if alone && script == latin && (!trusted || !characters.standalone.contains(letter)) {
      return false
    }
    // A lower-case letter inside capitals (`C O N C L U S Ã O`, `AHÅ™`, `NICIODATĂ`) is clean text.
    if isLowercase(letter), let before, isUppercase(before) {
      if let after, isUppercase(after) { return false }
      if let beforeThat, isUppercase(beforeThat), leftScript != 0 { return false }
    }
    return true
  }

  static func isUppercase(_ value: UInt32) -> Bool {
    if value < 0x80 { return value >= 0x41 && value <= 0x5A }
    if value < UInt32(LetterCase.table.count) { return LetterCase.table[Int(value)] == 1 }
    return Unicode.Scalar(value)?.properties.isUppercase ?? false
  }

  static func isLowercase(_ value: UInt32) -> Bool {
    if value < 0x80 { return value >= 0x61 && value <= 0x7A }
    if value < UInt32(LetterCase.table.count) { return LetterCase.table[Int(value)] == 2 }
    return Unicode.Scalar(value)?.properties.isLowercase ?? false
  }

  /// Letter case of the scalars below U+0530 (Latin, Greek, Cyrillic), looked up once: 1 upper, 2 lower, 0 neither.
  enum LetterCase {
    static let table: [UInt8] = (0..<0x530).map { value in
      guard let scalar = Unicode.Scalar(UInt32(value)) else { return 0 }
      return scalar.properties.isUppercase ? 1 : scalar.properties.isLowercase ? 2 : 0
    }
  }

  /// Signs that Windows-1252 puts at bytes 80–9F (`€`, `™`, `’`, `–`...) in a text, counted two ways: right after a
  /// Latin-1 letter that reads as a UTF-8 lead byte (`Ã`, `â`, `ã`: mojibake still standing), and not after any
  /// lead character (correct punctuation).
  static func windows1252Signs(_ bytes: [UInt8]) -> (afterLeadLetter: Int, standalone: Int) {
    let pages = CodePages.shared
    var counts = (afterLeadLetter: 0, standalone: 0)
    var previousIsLead = false
    var previousIsLeadLetter = false
    var index = 0
    while index < bytes.count {
      if bytes[index] < 0x80 {
        (previousIsLead, previousIsLeadLetter) = (false, false)
        index = ByteScan.firstNonASCII(in: bytes, from: index)
        continue
      }
      let current = UTF8Scanner.validScalar(in: bytes, at: index)
      let byte = current.value < 0x10000 ? pages.bytes[Int(current.value)] : 0
      if byte >= 0x80 && byte <= 0x9F && current.value > 0xFF {
        if previousIsLeadLetter { counts.afterLeadLetter += 1 }
        if !previousIsLead { counts.standalone += 1 }
      }
      previousIsLead = byte >= 0xC2 && byte <= 0xF4
      previousIsLeadLetter = previousIsLead && (0xC0...0xFF).contains(current.value)
      index += current.length
    }
    return counts
  }

  /// What one scan of decoded text tells the steps after decoding, so that each of them does not scan it again.
  struct Survey {
    /// Some lead character is followed by something that could continue it: another decoding pass may find
    /// something.
    var candidate = false
    /// `residue`: Windows-1252 signs right after a lead letter (`Ã` or `â` followed by `€`, `™`...).
    var residue = 0
    /// A C1 control character (U+0080–U+009F).
    var c1Control = false
    /// A Latin ligature (U+FB00–U+FB06).
    var ligature = false
    /// A curly quote (U+2018–U+201F).
    var curlyQuote = false

    init(_ bytes: [UInt8], pages: CodePages = .shared) {
      bytes.withUnsafeBufferPointer { buffer in
        let count = buffer.count
        var previousIsLead = false
        var previousIsLeadLetter = false
        var index = 0
        while index < count {
          if buffer[index] < 0x80 {
            previousIsLead = false
            previousIsLeadLetter = false
            index = ByteScan.firstNonASCII(buffer, from: index, to: count)
            continue
          }
          let current = UTF8Scanner.validScalar(in: buffer, at: index)
          let value = current.value
          index += current.length
          guard value < 0x10000 else {
            previousIsLead = false
            previousIsLeadLetter = false
            continue
          }
          let byte = pages.bytes[Int(value)]
          if byte >= 0x80 && byte <= 0x9F {
            if value > 0xFF {
              if previousIsLeadLetter { residue += 1 }
            } else {
              c1Control = true
            }
          }
          switch value {
          case 0xFB00...0xFB06: ligature = true
          case 0x2018...0x201F: curlyQuote = true
          default: break
          }
          previousIsLead = byte >= 0xC2 && byte <= 0xF4
          previousIsLeadLetter = previousIsLead && value >= 0xC0 && value <= 0xFF
          if !candidate, pages.leadMask[Int(value)] != 0, index < count {
            let next = buffer[index]
            if next >= 0x80 {
              let following = UTF8Scanner.validScalar(in: buffer, at: index).value
              candidate = pages.mayContinue(leadMask: pages.leadMask[Int(value)], with: following)
            } else if next == 0x20 || next == UInt8(ascii: "?") {
              candidate = pages.twoByteLead[Int(value)] || (index + 1 < count && buffer[index + 1] >= 0x80)
            }
          }
        }
      }
    }
  }

  /// Whether the text has Windows-1252 punctuation (`–`, `’`, `“`, `…`) that is not itself part of mojibake.
  static func hasCorrectWindows1252Punctuation(_ bytes: [UInt8]) -> Bool { windows1252Signs(bytes).standalone > 0 }

  /// The last scalar of `bytes`, or nil when empty.
  static func lastScalar(_ bytes: ArraySlice<UInt8>) -> UInt32? {
    guard !bytes.isEmpty else { return nil }
    var start = bytes.endIndex - 1
    while start > bytes.startIndex && bytes[start] & 0xC0 == 0x80 { start -= 1 }
    return UTF8Scanner.validScalar(in: bytes, at: start).value
  }

  /// The nearest scalars before the end of `bytes` that are not spaces: the last one and the one before it.
  static func lastNonSpace(_ bytes: ArraySlice<UInt8>) -> (UInt32?, UInt32?) {
    let first = bytes.startIndex
    var end = bytes.endIndex
    while end > first && bytes[end - 1] == 0x20 { end -= 1 }
    guard end > first else { return (nil, nil) }
    var start = end - 1
    while start > first && bytes[start] & 0xC0 == 0x80 { start -= 1 }
    let last = UTF8Scanner.validScalar(in: bytes, at: start).value
    guard start > first else { return (last, nil) }
    var previous = start - 1
    while previous > first && bytes[previous] & 0xC0 == 0x80 { previous -= 1 }
    let beforeLast = UTF8Scanner.validScalar(in: bytes, at: previous).value
    return (last, beforeLast == 0x20 ? nil : beforeLast)
  }

  /// `isPlausible` for a run decoded at `index`, with its context read from the text.
  static func judge(
    _ run: Run, in bytes: [UInt8], at index: Int, output: ArraySlice<UInt8>, trusted: Bool, relaxed: Bool = false,
    pages: CodePages
  ) -> Bool {
    let end = index + run.consumed
    let right = end < bytes.count ? UTF8Scanner.validScalar(in: bytes, at: end).value : nil
    var next = end
    while next < bytes.count && bytes[next] == 0x20 { next += 1 }
    let after = next < bytes.count ? UTF8Scanner.validScalar(in: bytes, at: next).value : nil
    let (before, beforeThat) = lastNonSpace(output)
    return isPlausible(
      run, left: lastScalar(output), right: right, before: before, beforeThat: beforeThat, after: after,
      trusted: trusted, relaxed: relaxed, characters: pages.characters)
  }

  /// Code page numbers in order of preference, packed four bits each (`CodePages` has at most 16 pages), so that
  /// weighing a line allocates nothing.
  struct PageOrder: Swift.Sequence {
    private var packed: UInt64 = 0
    private(set) var count = 0

    mutating func append(_ page: Int) {
      packed |= UInt64(page & 0xF) << UInt64(4 * count)
      count += 1
    }

    subscript(position: Int) -> Int {
      get { Int(packed >> UInt64(4 * position) & 0xF) }
      set {
        let shift = UInt64(4 * position)
        packed = packed & ~(0xF << shift) | UInt64(newValue & 0xF) << shift
      }
    }

    struct Iterator: IteratorProtocol {
      let order: PageOrder
      var position = 0

      mutating func next() -> Int? {
        guard position < order.count else { return nil }
        defer { position += 1 }
        return order[position]
      }
    }

    func makeIterator() -> Iterator { Iterator(order: self) }

    /// The same pages, stably sorted by descending `weight` (indexed by page).
    func sorted(byDescending weight: UnsafeMutableBufferPointer<Int>) -> PageOrder {
      var result = self
      var index = 1
      while index < count {
        let page = result[index]
        var slot = index
        while slot > 0 && weight[result[slot - 1]] < weight[page] {
          result[slot] = result[slot - 1]
          slot -= 1
        }
        result[slot] = page
        index += 1
      }
      return result
    }
  }

  /// The pages that can read characters of this text as UTF-8 lead bytes, best first: the page whose plausible runs
  /// cover most of the text wins, so that one line is read with one code page (`MĂĄm dost tĹ\u{99}etĂ­ho` is
  /// ISO-8859-2 throughout, although Windows-1250 could read its first word).
  /// Also returns the pages trusted on this line: Windows-1252, and every page that decoded a run there.
  /// With `only`, the coverage of the other pages present is not measured (they come last, untrusted).
  /// `run` is scratch storage.
  static func pageOrder(
    _ bytes: [UInt8], pages: CodePages, only: UInt16 = 0xFFFF, run: inout Run
  ) -> (order: PageOrder, trusted: UInt16) {
    var present: UInt16 = 0
    var index = 0
    while index < bytes.count {
      if bytes[index] < 0x80 {
        index = ByteScan.firstNonASCII(in: bytes, from: index)
        continue
      }
      let current = UTF8Scanner.validScalar(in: bytes, at: index)
      if current.value < 0x10000 { present |= pages.leadMask[Int(current.value)] }
      index += current.length
    }
    var order = PageOrder()
    var bits = present
    while bits != 0 {
      order.append(bits.trailingZeroBitCount)
      bits &= bits - 1
    }
    guard order.count > 1 || (order.count == 1 && order[0] != 0) else { return (order, 1) }
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: 16) { coverage in
      coverage.initialize(repeating: 0)
      for page in order where only & (1 << UInt16(page)) != 0 {
        var position = 0
        while position < bytes.count {
          if bytes[position] < 0x80 {
            position = ByteScan.firstNonASCII(in: bytes, from: position)
            continue
          }
          let current = UTF8Scanner.validScalar(in: bytes, at: position)
          if current.value < 0x10000, pages.leadMask[Int(current.value)] & (1 << UInt16(page)) != 0,
            bytes.withUnsafeBufferPointer({
              mayContinue($0, lead: position, length: current.length, mask: 1 << UInt16(page), pages: pages)
            }),
            decodeRun(bytes, at: position, page: page, pages: pages, into: &run),
            judge(
              run, in: bytes, at: position, output: bytes[max(0, position - 12)..<position], trusted: page == 0,
              pages: pages)
          {
            coverage[page] += run.consumed
            position += run.consumed
          } else {
            position += current.length
          }
        }
      }
      var trusted: UInt16 = 1
      for page in order where coverage[page] > 0 { trusted |= 1 << UInt16(page) }
      return (order.sorted(byDescending: coverage), trusted)
    }
  }

  /// The code pages other than Windows-1252 in which some character that only they read as a lead byte starts a
  /// plausible run (`√¢`, `Г‰`, `├╝`): signs that the line is another page's mojibake. 0 when there are none.
  /// `scratch` is scratch storage.
  static func otherPageLeads(_ bytes: [UInt8], pages: CodePages, scratch: inout Run) -> UInt16 {
    var found: UInt16 = 0
    var index = 0
    while index < bytes.count {
      if bytes[index] < 0x80 {
        index = ByteScan.firstNonASCII(in: bytes, from: index)
        continue
      }
      let current = UTF8Scanner.validScalar(in: bytes, at: index)
      let next = index + current.length
      if current.value < 0x10000, next < bytes.count, bytes[next] >= 0x80 || bytes[next] == 0x20 {
        var mask = pages.leadMask[Int(current.value)]
        if mask & 1 == 0 && bytes[next] >= 0x80 {
          // Only the pages that read the next character as a continuation byte can decode anything here.
          let following = UTF8Scanner.validScalar(in: bytes, at: next).value
          if following != 0xFFFD { mask &= following < 0x10000 ? pages.continuationMask[Int(following)] : 0 }
        }
        if mask & 1 == 0 {
          while mask != 0 {
            let page = mask.trailingZeroBitCount
            mask &= mask - 1
            if found & (1 << UInt16(page)) == 0,
              decodeRun(bytes, at: index, page: page, pages: pages, into: &scratch),
              judge(
                scratch, in: bytes, at: index, output: bytes[max(0, index - 12)..<index], trusted: false, pages: pages)
            {
              found |= 1 << UInt16(page)
            }
          }
        }
      }
      index = next
    }
    return found
  }

  /// One left-to-right pass. Returns nil when nothing changed.
  ///
  /// At each character that some code page reads as a lead byte, Windows-1252 is tried first; when it has no
  /// plausible reading, every other page that reads the character as a lead byte is tried. When one plausible
  /// reading exists (or all agree) it is taken; when they disagree, or when a page needs the line's trust for a weak
  /// run, `pageOrder` weighs the whole line once and decides.
  static func fix(
    _ bytes: [UInt8], log: inout RepairLog, lineShowsDamage: Bool = false, mayHaveOtherPages: Bool = true,
    knownCandidate: Bool = false, workspace: inout RepairWorkspace
  ) -> [UInt8]? {
    let pages = CodePages.shared
    guard knownCandidate || Survey(bytes, pages: pages).candidate else { return nil }
    // A line with characters that only other code pages read as lead bytes (`√`, `Г`, `├`) is weighed as a whole
    // first, so that Windows-1252 does not take pieces of another page's mojibake (`Î¨` in MacRoman Korean).
    // The workspace's runs, moved here (not copied) for the pass and moved back after it.
    var scratch = Run()
    // Candidate readings by other pages: the one being judged, and the first plausible one.
    var probe = Run()
    var candidate = Run()
    swap(&scratch, &workspace.run)
    swap(&probe, &workspace.probe)
    swap(&candidate, &workspace.candidate)
    defer {
      swap(&scratch, &workspace.run)
      swap(&probe, &workspace.probe)
      swap(&candidate, &workspace.candidate)
    }
    let foreign = mayHaveOtherPages ? otherPageLeads(bytes, pages: pages, scratch: &scratch) : 0
    var analysis: (order: PageOrder, trusted: UInt16)? =
      foreign != 0 ? pageOrder(bytes, pages: pages, only: foreign | 1, run: &scratch) : nil
    var rewriter = ByteRewriter(bytes)
    var index = 0
    while index < bytes.count {
      if bytes[index] < 0x80 {
        index = ByteScan.firstNonASCII(in: bytes, from: index)
        if index >= bytes.count { break }
      }
      let current = UTF8Scanner.validScalar(in: bytes, at: index)
      let mask = current.value < 0x10000 ? pages.leadMask[Int(current.value)] : 0
      var acceptedCandidate = false
      var acceptedScratch = false
      // Nothing can continue a lead followed by ASCII other than a space or `?`, or by a character that none of
      // the lead's pages reads as a continuation byte.
      if mask != 0,
        !bytes.withUnsafeBufferPointer({
          mayContinue($0, lead: index, length: current.length, mask: mask, pages: pages)
        })
      {
        index += current.length
        continue
      }
      let output = mask == 0 ? bytes[0..<0] : rewriter.context(before: index)
      if mask & 1 != 0, analysis == nil, decodeRun(bytes, at: index, page: 0, pages: pages, into: &scratch),
        judge(scratch, in: bytes, at: index, output: output, trusted: true, relaxed: lineShowsDamage, pages: pages)
      {
        // Windows-1252 (the web's misreading) goes first; a plausible reading with it needs no other page.
        acceptedScratch = true
      } else if mask & ~1 != 0 || (analysis != nil && mask != 0) {
        (acceptedScratch, acceptedCandidate) = readWithOtherPages(
          bytes, at: index, mask: mask, output: output, lineShowsDamage: lineShowsDamage, pages: pages,
          analysis: &analysis, scratch: &scratch, probe: &probe, candidate: &candidate)
      }
      if acceptedScratch {
        accept(scratch)
      } else if acceptedCandidate {
        accept(candidate)
      } else {
        index += current.length
      }
    }
    return rewriter.finish()

    func accept(_ run: Run) {
      let end = index + run.consumed
      let rule = run.page == 0 && run.latin1 ? CodePages.latin1Rule : pages.rules[run.page]
      let offset = rewriter.replace(index..<end, with: run.utf8)
      log.record(from: bytes[index..<end], to: run.utf8, rule: rule, exact: run.lostBytes == 0, offset: offset)
      index = end
    }
  }

  /// Reads the lead-like character at `index` (the pages of `mask` read it as a lead) with the pages other than
  /// Windows-1252, or, once `analysis` is made, with the line's page order. Without an order, the plausible readings
  /// must agree (the first is left in `candidate`); when they disagree, or a page needs the line's trust, the order
  /// is made. Returns whether `scratch` holds the reading to take (with an order), or `candidate` does.
  @inline(__always)
  private static func readWithOtherPages(
    _ bytes: [UInt8], at index: Int, mask: UInt16, output: ArraySlice<UInt8>, lineShowsDamage: Bool,
    pages: CodePages, analysis: inout (order: PageOrder, trusted: UInt16)?, scratch: inout Run, probe: inout Run,
    candidate: inout Run
  ) -> (scratch: Bool, candidate: Bool) {
    var candidates = 0
    var disagree = false
    var needsTrust = false
    var bits = analysis == nil ? mask & ~1 : 0
    while bits != 0 {
      let page = bits.trailingZeroBitCount
      bits &= bits - 1
      guard decodeRun(bytes, at: index, page: page, pages: pages, into: &probe) else { continue }
      let trusted = analysis.map { $0.trusted & (1 << UInt16(page)) != 0 } ?? false
      if judge(
        probe, in: bytes, at: index, output: output, trusted: trusted, relaxed: lineShowsDamage, pages: pages)
      {
        if candidates == 0 {
          swap(&probe, &candidate)
        } else if probe.utf8 != candidate.utf8 || probe.consumed != candidate.consumed {
          disagree = true
        }
        candidates += 1
      } else if !trusted && analysis == nil
        && judge(
          probe, in: bytes, at: index, output: output, trusted: true, relaxed: lineShowsDamage, pages: pages)
      {
        needsTrust = true
      }
    }
    if (disagree || (needsTrust && candidates == 0)) && analysis == nil {
      analysis = pageOrder(bytes, pages: pages, run: &scratch)
    }
    if let analysis {
      for page in analysis.order where mask & (1 << UInt16(page)) != 0 {
        guard decodeRun(bytes, at: index, page: page, pages: pages, into: &scratch) else { continue }
        if judge(
          scratch, in: bytes, at: index, output: output, trusted: analysis.trusted & (1 << UInt16(page)) != 0,
          relaxed: lineShowsDamage, pages: pages)
        {
          return (true, false)
        }
      }
      return (false, false)
    }
    return (false, candidates > 0)
  }
}
