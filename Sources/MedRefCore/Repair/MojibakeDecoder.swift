/// Exact mojibake repair: finds runs of characters whose bytes in one of the `CodePages` form UTF-8 and decodes them
/// (`Ã©` → `é`, `â€™` → `’`, `РґРѕ` → `до`, `wei√ü` → `weiß`), when the result is plausible text: characters
/// MedRef expects in text, letters of one script that agrees with the letters around them. Also handles the
/// variants that damage leaves behind: a no-break space turned into a space (`Ã ` → `à `, `8Â h` → `8 h`),
/// CESU-8 surrogate pairs (`í\u{A0}½í¸\u{8D}` → 😍), and sequences with a byte already lost to `?` or U+FFFD, which
/// become U+FFFD as in ftfy.
enum MojibakeDecoder {
  /// One decoded UTF-8 sequence.
  struct Sequence {
    var utf8: [UInt8]
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
    var utf8: [UInt8] = []
    var scalars: [UInt32] = []
    var consumed = 0
    var latin1 = false
    var lostBytes = 0
    var evidence = false
  }

  static let replacementUTF8: [UInt8] = [0xEF, 0xBF, 0xBD]

  /// Portuguese words that follow `à` without a space (`àquele`), so a space after `Ã` is the lost no-break space.
  static let contractionsAfterGrave: [[UInt8]] = ["quele", "quela", "quilo", "queles", "quelas", "s "].map {
    Array($0.utf8)
  }

  /// Decodes the sequence whose lead character is at `index`, reading characters as bytes of `page`.
  static func decodeSequence(_ bytes: [UInt8], at index: Int, page: Int, pages: CodePages) -> Sequence? {
    let first = UTF8Scalars.scalar(in: bytes, at: index)
    guard let lead = pages.byte(first.value, page: page), lead >= 0xC2, lead <= 0xF4 else { return nil }
    let needed = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
    var sequence: [UInt8] = [lead]
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
        if byte == 0x20 && spaceAt == nil && !lostByte {
          spaceAt = position
          sequence.append(0xA0)
        } else if byte == UInt8(ascii: "?") && spaceAt == nil {
          lostByte = true
          sequence.append(0x80)
        } else {
          return nil
        }
        position += 1
        continue
      }
      let next = UTF8Scalars.scalar(in: bytes, at: position)
      if next.value == 0xFFFD && spaceAt == nil {
        lostByte = true
        replacementMarked = true
        sequence.append(0x80)
      } else {
        guard let byte = pages.byte(next.value, page: page), byte >= 0x80, byte <= 0xBF else { return nil }
        if page == 0 && (0x80...0x9F).contains(next.value) { latin1 = true }
        sequence.append(byte)
        real += 1
      }
      position += next.length
    }
    if lostByte {
      return Sequence(
        utf8: replacementUTF8, scalar: 0xFFFD, consumed: position - index, latin1: latin1, lostByte: true,
        replacementMarked: replacementMarked, realContinuations: real, endsRun: false)
    }
    // Second-byte limits: no overlong forms, no code points above U+10FFFF.
    let second = sequence[1]
    switch lead {
    case 0xE0: if second < 0xA0 { return nil }
    case 0xF0: if second < 0x90 { return nil }
    case 0xF4: if second > 0x8F { return nil }
    default: break
    }
    var value: UInt32
    switch needed {
    case 1: value = UInt32(lead & 0x1F) << 6 | UInt32(second & 0x3F)
    case 2: value = UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(sequence[2] & 0x3F)
    default:
      value =
        UInt32(lead & 0x07) << 18 | UInt32(second & 0x3F) << 12 | UInt32(sequence[2] & 0x3F) << 6
        | UInt32(sequence[3] & 0x3F)
    }
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
        utf8: [], scalar: value, consumed: position - index, latin1: latin1, lostByte: false,
        replacementMarked: false, realContinuations: real, endsRun: false)
    }
    // A space standing for the last byte of a three-byte sequence is nearly always a real space after damage
    // such as `â¢ ` (a bullet whose middle byte was lost), not a lost A0: `⢠` would be wrong.
    if let spaceAt, needed == 2, spaceAt == position - 1 { return nil }
    var consumed = position - index
    var endsRun = false
    if let spaceAt, lead == 0xC3, needed == 1 {
      // `Ã ` is `à` whose no-break space became a space; the space after `à` was usually merged with it, so the
      // space stays unless another space or a Portuguese contraction (`àquele`) follows.
      let after = bytes[(spaceAt + 1)...]
      let merged = after.first == 0x20 || contractionsAfterGrave.contains { after.starts(with: $0) }
      if !merged {
        consumed = spaceAt - index
        endsRun = true
      }
    }
    return Sequence(
      utf8: UTF8Scalars.encode(value), scalar: value, consumed: consumed, latin1: latin1, lostByte: false,
      replacementMarked: false, realContinuations: real, endsRun: endsRun, restoredSpace: spaceAt != nil)
  }

  /// The longest run of sequences from `index` in `page`.
  static func decodeRun(_ bytes: [UInt8], at index: Int, page: Int, pages: CodePages) -> Run? {
    var run = Run()
    var position = index
    while position < bytes.count, bytes[position] >= 0x80,
      let sequence = decodeSequence(bytes, at: position, page: page, pages: pages)
    {
      if (0xDC00...0xDFFF).contains(sequence.scalar) { break }
      run.utf8 += sequence.utf8
      run.scalars.append(sequence.scalar)
      run.latin1 = run.latin1 || sequence.latin1
      if sequence.lostByte { run.lostBytes += 1 }
      if sequence.realContinuations > 0 || sequence.replacementMarked || sequence.restoredSpace { run.evidence = true }
      position += sequence.consumed
      if sequence.endsRun { break }
    }
    run.consumed = position - index
    guard !run.scalars.isEmpty, run.evidence else { return nil }
    return run
  }

  /// Whether a decoded run is text rather than clean text that happened to decode.
  static func isPlausible(_ run: Run, left: UInt32?, right: UInt32?, before: UInt32?, after: UInt32?) -> Bool {
    let characters = RepairCharacters.shared
    var script: UInt8 = 0
    var letters = 0
    var previous = left
    for scalar in run.scalars {
      if (0x80...0x9F).contains(scalar) {
        previous = scalar  // A C1 control: an intermediate step of text encoded twice.
        continue
      }
      switch characters.kind(scalar) {
      case .none:
        return false
      case .mark:
        guard let previous, previous != 0x20 else { return false }
      case .letter:
        let letterScript = characters.script(scalar)
        if script != 0 && letterScript != script { return false }
        script = letterScript
        letters += 1
      case .symbol:
        // A no-break space follows a word or sign, never a space (`The letter Â appears` is clean).
        if scalar == 0xA0 && (previous == 0x20 || previous == nil) { return false }
      }
      previous = scalar
    }
    guard letters > 0 else { return true }
    let leftScript = left.map(characters.script) ?? 0
    let rightScript = right.map(characters.script) ?? 0
    if leftScript != 0 && leftScript != script { return false }
    if rightScript != 0 && rightScript != script { return false }
    if letters == 1 && run.scalars.count == 1, let letter = run.scalars.first {
      // A letter standing alone: one-letter words are common in Greek and Cyrillic (`и`, `в`, `Η`); in Latin only
      // the listed ones are words, and a lone `ē` or `ŗ` is clean text followed by a sign (`Ä“`, `Å—`).
      let alone = leftScript == 0 && rightScript == 0
      if alone && script == 1 && !characters.standalone.contains(letter) { return false }
      if alone && script != 1 && !characters.alphabeticScripts.contains(script) { return false }
      // A lower-case letter inside capitals (`C O N C L U S Ã O`) is clean text.
      if let scalar = Unicode.Scalar(letter), scalar.properties.isLowercase,
        let before, let after, isUppercase(before), isUppercase(after)
      {
        return false
      }
    }
    return true
  }

  static func isUppercase(_ value: UInt32) -> Bool {
    Unicode.Scalar(value)?.properties.isUppercase ?? false
  }

  /// The last scalar of `bytes`, or nil when empty.
  static func lastScalar(_ bytes: [UInt8]) -> UInt32? {
    guard !bytes.isEmpty else { return nil }
    var start = bytes.count - 1
    while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
    return UTF8Scalars.scalar(in: bytes, at: start).value
  }

  /// The nearest scalar before the end of `bytes` that is not a space.
  static func lastNonSpace(_ bytes: [UInt8]) -> UInt32? {
    var end = bytes.count
    while end > 0 && bytes[end - 1] == 0x20 { end -= 1 }
    return lastScalar(Array(bytes[max(0, end - 4)..<end]))
  }

  /// One left-to-right pass. Returns nil when nothing changed.
  static func fix(_ bytes: [UInt8], repairs: inout [Repair]) -> [UInt8]? {
    guard bytes.contains(where: { $0 >= 0xC2 }) else { return nil }
    let pages = CodePages.shared
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    var changed = false
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x80 {
        output.append(byte)
        index += 1
        continue
      }
      let current = UTF8Scalars.scalar(in: bytes, at: index)
      var mask = current.value < 0x10000 ? pages.leadMask[Int(current.value)] : 0
      var accepted = false
      while mask != 0 {
        let page = mask.trailingZeroBitCount
        mask &= mask - 1
        guard let run = decodeRun(bytes, at: index, page: page, pages: pages) else { continue }
        let end = index + run.consumed
        let right = end < bytes.count ? UTF8Scalars.scalar(in: bytes, at: end).value : nil
        var next = end
        while next < bytes.count && bytes[next] == 0x20 { next += 1 }
        let after = next < bytes.count ? UTF8Scalars.scalar(in: bytes, at: next).value : nil
        guard
          isPlausible(
            run, left: lastScalar(output), right: right, before: lastNonSpace(output), after: after)
        else { continue }
        let name = page == 0 && run.latin1 ? "latin1" : pages.names[page]
        repairs.append(
          Repair(
            from: String(decoding: bytes[index..<end], as: UTF8.self),
            to: String(decoding: run.utf8, as: UTF8.self), rule: "utf8-as-\(name)", exact: run.lostBytes == 0,
            offset: output.count))
        output.append(contentsOf: run.utf8)
        index = end
        accepted = true
        changed = true
        break
      }
      if !accepted {
        output.append(contentsOf: bytes[index..<index + current.length])
        index += current.length
      }
    }
    return changed ? output : nil
  }
}
