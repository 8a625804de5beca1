import Dispatch
import Foundation
import MedRefBase

/// The repair stage: undoes encoding damage in decoded text and explains every change.
///
/// Rules, in order: HTML entities left in text (or double-escaped in markup); the lossy pattern where the C1 bytes
/// of mojibake were deleted (`arenât` → `aren’t`, `â¦` → `…`), a guess from context; UTF-8 that was decoded with
/// a single-byte code page, possibly several times (`Ã©` → `é`, `â€™` → `’`, `РґРѕ` → `до`); and C1 controls
/// left in text, read as Windows-1252.
public struct TextRepairer: Sendable {
  /// How many times the mojibake rule may run over its own output (text encoded wrongly twice needs two).
  public static let maximumPasses = 3

  /// Whether curly quotes become straight ones.
  private let uncurlQuotes: Bool
  // The tables are loaded on first use, so that text that needs none of them costs nothing to set up.
  private var entities: EntityTable { EntityTable.shared }
  private var lossy: LossyPatternTable { LossyPatternTable.shared }
  private var typography: TypographyTable { TypographyTable.shared }
  /// The replacements of `typography.tsv` applied to plain text.
  private var typographyReplacements: [TypographyTable.Replacement] {
    uncurlQuotes ? TypographyTable.withUncurling : TypographyTable.ligaturesOnly
  }

  /// - Parameter uncurlQuotes: also turn curly quotes into straight ones (off by default: MedRef keeps them).
  public init(uncurlQuotes: Bool = false) {
    self.uncurlQuotes = uncurlQuotes
  }

  /// Starts loading the repair tables on another thread, so that they are ready by the time the input has been
  /// read (`medref normalize` calls this before reading standard input).
  public static func loadTablesInBackground() {
    DispatchQueue.global(qos: .userInitiated).async {
      _ = CodePages.shared
      _ = RepairCharacters.shared
      _ = EntityTable.shared
      _ = LossyPatternTable.shared
      _ = TypographyTable.withUncurling
    }
  }

  /// Repairs `text`. Clean text comes back unchanged with no repairs.
  public func repair(_ text: String, mode: RepairMode = .plainText) -> RepairedText {
    let bytes = Array(text.utf8)
    var log = RepairLog()
    guard let fixed = repair(utf8: bytes, mode: mode, log: &log) else { return RepairedText(text: text, repairs: []) }
    return RepairedText(text: String(decoding: fixed, as: UTF8.self), repairs: log.repairs)
  }

  /// Repairs valid UTF-8 bytes, recording what changed in `log`; nil when nothing changed.
  ///
  /// Text is repaired line by line (split on `\n`): whether a line shows damage is decided for that line alone.
  public func repair(utf8 input: [UInt8], mode: RepairMode = .plainText, log: inout RepairLog) -> [UInt8]? {
    guard input.contains(0x0A) else { return repairLine(input, mode: mode, log: &log) }
    var rewriter = ByteRewriter(input)
    var workspace = RepairWorkspace()
    // Hints that make `repairLine` do anything: a line with only non-ASCII text (beyond Latin-1 or not, curly
    // quotes that stay curly) is left as it is, so it is not copied.
    var actionable: RepairHints = [.ampersand, .circumflexA, .c1Control, .mojibakeCandidate, .ligature]
    if mode == .plainText && uncurlQuotes { actionable.insert(.curlyQuote) }
    var start = 0
    input.withUnsafeBufferPointer { buffer in
      while start <= buffer.count {
        let end = Self.lineEnd(in: buffer, from: start)
        // Most lines show nothing to repair: decided on the bytes in place, without copying the line.
        if end > start, let hints = RepairHints.scan(buffer: UnsafeBufferPointer(rebasing: buffer[start..<end])),
          !hints.isDisjoint(with: actionable)
        {
          var lineLog = RepairLog(keepsDetails: log.keepsDetails)
          if let fixed = repairLine(
            Array(buffer[start..<end]), mode: mode, log: &lineLog, knownHints: hints, workspace: &workspace)
          {
            let offset = rewriter.replace(start..<end, with: fixed)
            log.append(lineLog, shiftedBy: offset)
          }
        }
        start = end + 1
      }
    }
    return rewriter.finish()
  }

  /// The index of the next `\n` at or after `start`, or the end of the buffer.
  private static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    guard start < buffer.count, let base = buffer.baseAddress else { return buffer.count }
    guard let found = memchr(base + start, 0x0A, buffer.count - start) else { return buffer.count }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
  }

  /// The most mojibake a repaired line may still show before its decoding is taken back as hopeless.
  static let hopelessResidue = 3

  /// Repairs one line. `knownHints` are the line's `RepairHints` when the caller has them already.
  public func repairLine(
    _ input: [UInt8], mode: RepairMode, log: inout RepairLog, knownHints: RepairHints? = nil
  ) -> [UInt8]? {
    var workspace = RepairWorkspace()
    return repairLine(input, mode: mode, log: &log, knownHints: knownHints, workspace: &workspace)
  }

  /// `repairLine` with storage that is kept from one line to the next (`LineNormalizer` keeps one per chunk).
  public func repairLine(
    _ input: [UInt8], mode: RepairMode, log: inout RepairLog, knownHints: RepairHints?,
    workspace: inout RepairWorkspace
  ) -> [UInt8]? {
    guard var hints = knownHints ?? RepairHints.scan(input) else { return nil }
    guard !hints.isEmpty else { return nil }
    var bytes = input
    let start = log.count
    // Lossy damage first: the bare `â` it looks for must be one the text had, not one that an entity (`&acirc;`)
    // or an exact repair (`pÃ¢te` → `pâte`) made; and a line with any character beyond Latin-1 was not read as
    // Latin-1 as a whole, so its `â` are real (Vietnamese `dân`, Turkish `hâlâ`, Romanian `România`).
    if hints.contains(.circumflexA) && !hints.contains(.beyondLatin1),
      let fixed = lossy.fix(bytes, earlierRepairs: 0, log: &log)
    {
      bytes = fixed
    }
    if hints.contains(.ampersand) {
      fixEntities(&bytes, mode: mode, log: &log)
      if log.count > start { hints = RepairHints.scan(bytes) ?? hints }
    }
    guard hints.contains(.nonASCII) else { return log.count == start ? nil : bytes }
    let beforeDecoding = (bytes, log.count)
    /// What the text after decoding holds, surveyed once for the steps below (nil until decoding changed it).
    var (decoded, survey) = decodeMojibake(
      &bytes, hints: hints, damaged: log.count > start, log: &log, start: start, workspace: &workspace)
    let lone =
      log.count == beforeDecoding.1 + 1 && log.lastEndedWithCurrencySign
      && MojibakeDecoder.hasCorrectWindows1252Punctuation(input)
    if lone || (survey?.residue ?? 0) >= Self.hopelessResidue {
      // `lone`: one `Ã¥` (a letter and a currency sign, which MacRoman would read otherwise) in a line
      // whose punctuation (`–`, `’`) is correct UTF-8 is inconsistent evidence (`Bremer/Mccoy – DrÃ¥ber`): leave
      // the line as it is.
      // Residue: decoding left a line that still reads as mojibake everywhere (`ã†â€™ãƒâ€ ã¢â‚¬`, text lower-cased
      // after the damage): the pieces it changed are guesses among garbage. Keep the line as it was.
      (bytes, decoded) = (beforeDecoding.0, false)
      log.truncate(to: beforeDecoding.1)
      survey = nil
    }
    // Without decoding, the scan's hints still describe the text (entities and lossy repairs add no C1 controls).
    if survey?.c1Control ?? hints.contains(.c1Control), let fixed = Self.fixC1Controls(bytes, log: &log) {
      bytes = fixed
      // C1 controls become Windows-1252 punctuation, curly quotes among it: look again.
      survey = nil
    }
    let typographyHint: Bool
    if let survey {
      typographyHint = survey.ligature || (uncurlQuotes && survey.curlyQuote)
    } else {
      typographyHint =
        hints.contains(.ligature) || (uncurlQuotes && hints.contains(.curlyQuote)) || decoded
        || log.count > start
    }
    if mode == .plainText, typographyHint,
      let fixed = typography.apply(bytes, active: typographyReplacements, log: &log)
    {
      bytes = fixed
    }
    return log.count == start ? nil : bytes
  }

  /// Decodes the HTML entities of `bytes` (plain text: up to `maximumPasses` times, for `&amp;rsquo;`), or in
  /// markup only collapses doubly escaped ones.
  @inline(__always)
  private func fixEntities(_ bytes: inout [UInt8], mode: RepairMode, log: inout RepairLog) {
    switch mode {
    case .plainText:
      for _ in 0..<Self.maximumPasses {
        guard let fixed = entities.decodeEntities(bytes, log: &log) else { break }
        bytes = fixed
      }
    case .markup:
      if let fixed = entities.collapseDoubleEscapes(bytes, log: &log) { bytes = fixed }
    }
  }

  /// Undoes mojibake in `bytes`, up to `maximumPasses` times (text encoded twice), when the scan's `hints` saw a
  /// candidate or the line was `damaged` by the steps before (the log held `start` entries before the line).
  /// Returns whether anything was decoded, and the survey of the result (nil when nothing was).
  @inline(__always)
  private func decodeMojibake(
    _ bytes: inout [UInt8], hints: RepairHints, damaged: Bool, log: inout RepairLog, start: Int,
    workspace: inout RepairWorkspace
  ) -> (decoded: Bool, survey: MojibakeDecoder.Survey?) {
    var decoded = false
    var survey: MojibakeDecoder.Survey?
    // The first pass needs a candidate the scan saw (the lossy pass only ever adds characters that are not leads
    // followed by anything new); later passes need one the survey of the last pass's output saw.
    if hints.contains(.mojibakeCandidate) || damaged {
      // Another code page's mojibake is looked for where the scan saw a candidate for it, in the first pass (later
      // passes undo Windows-1252 applied twice).
      for pass in 0..<Self.maximumPasses {
        if pass > 0 {
          let surveyed = MojibakeDecoder.Survey(bytes)
          survey = surveyed
          guard surveyed.candidate else { break }
        }
        let otherPages = pass == 0 && hints.contains(.otherPageCandidate)
        // Once the line has shown damage, the rules that protect clean text from lone look-alikes relax.
        guard
          let fixed = MojibakeDecoder.fix(
            bytes, log: &log, lineShowsDamage: log.count > start, mayHaveOtherPages: otherPages,
            knownCandidate: pass > 0 || hints.contains(.mojibakeCandidate), workspace: &workspace)
        else { break }
        bytes = fixed
        decoded = true
        survey = nil
      }
    }
    if decoded && survey == nil { survey = MojibakeDecoder.Survey(bytes) }
    return (decoded, survey)
  }

}

extension TextRepairer {
  /// C1 controls left in text (U+0080–U+009F) are Windows-1252 bytes read as Latin-1: `\u{93}quoted\u{94}` is
  /// `“quoted”`, `\u{85}` is `…`. Returns nil when there are none.
  static func fixC1Controls(_ bytes: [UInt8], log: inout RepairLog) -> [UInt8]? {
    guard !bytes.isEmpty else { return nil }
    let first = bytes.withUnsafeBufferPointer { ByteScan.first(0xC2, in: $0, from: 0, to: $0.count) }
    guard first < bytes.count else { return nil }
    var output: [UInt8] = []
    var index = first
    var changed = false
    while index < bytes.count {
      if bytes[index] != 0xC2 {
        let next = bytes.withUnsafeBufferPointer { ByteScan.first(0xC2, in: $0, from: index, to: $0.count) }
        if changed { output.append(contentsOf: bytes[index..<next]) }
        index = next
        continue
      }
      if index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
        if !changed {
          output.reserveCapacity(bytes.count)
          output.append(contentsOf: bytes[..<index])
          changed = true
        }
        let replacement = SingleByteEncoding.windows1252.utf8[Int(bytes[index + 1])]
        log.record(
          from: bytes[index..<index + 2], to: replacement, rule: "c1-control", exact: true, offset: output.count)
        output.append(contentsOf: replacement)
        index += 2
      } else {
        if changed { output.append(bytes[index]) }
        index += 1
      }
    }
    return changed ? output : nil
  }
}

/// Storage the repair stage reuses from one line to the next, so that repairing allocates little.
public struct RepairWorkspace {
  var run = MojibakeDecoder.Run()
  var probe = MojibakeDecoder.Run()
  var candidate = MojibakeDecoder.Run()
  /// A copy of the line being repaired.
  public var line: [UInt8] = []

  public init() {}

}

/// What one scan of a text found, so that repair rules with nothing to look at are skipped.
public struct RepairHints: OptionSet, Sendable {
  public let rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  /// An `&` (possible HTML entity).
  public static let ampersand = RepairHints(rawValue: 1)
  /// Any byte above ASCII.
  public static let nonASCII = RepairHints(rawValue: 2)
  /// `â` (C3 A2), where lossy damage starts.
  public static let circumflexA = RepairHints(rawValue: 4)
  /// A C1 control character (C2 80–C2 9F).
  public static let c1Control = RepairHints(rawValue: 8)
  /// A character some code page reads as a UTF-8 lead byte, followed by something that could continue it.
  public static let mojibakeCandidate = RepairHints(rawValue: 16)
  /// A ligature (EF AC xx).
  public static let ligature = RepairHints(rawValue: 32)
  /// A character above U+00FF: the line was not decoded as Latin-1 as a whole, so it has no lossy damage.
  public static let beyondLatin1 = RepairHints(rawValue: 64)
  /// A character only code pages other than Windows-1252 read as a lead byte, followed by something that could
  /// continue it.
  public static let otherPageCandidate = RepairHints(rawValue: 128)
  /// A curly quote (E2 80 98–9F).
  public static let curlyQuote = RepairHints(rawValue: 256)

  /// Scans `bytes` once; nil when they are not valid UTF-8.
  public static func scan<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> RepairHints? {
    if let result = bytes.withContiguousStorageIfAvailable({ scan(buffer: $0) }) { return result }
    return Array(bytes).withUnsafeBufferPointer { scan(buffer: $0) }
  }

  /// `scan` over contiguous bytes.
  static func scan(buffer bytes: UnsafeBufferPointer<UInt8>) -> RepairHints? {
    let pages = CodePages.shared
    var hints: RepairHints = []
    var index = 0
    let end = bytes.count
    var previousIsLead = false
    /// The pages that read the previous character as a lead byte.
    var previousMask: UInt16 = 0
    var previousIsOtherPageLead = false
    var previousIsWindows1252Lead = false
    /// Whether the previous character is a two-byte lead in some page (which a lone space may complete).
    var previousIsTwoByteLead = false
    pages.leadMask.withUnsafeBufferPointer { leadMask in
      pages.twoByteLead.withUnsafeBufferPointer { twoByteLead in
        pages.continuationMask.withUnsafeBufferPointer { continuationMask in
          while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
              if !previousIsLead {
                // Skip plain ASCII eight bytes at a time; only `&` matters there.
                let stop = ByteScan.firstNonASCII(bytes, from: index, to: end)
                if stop > index + 1 {
                  if ByteScan.first(0x26, in: bytes, from: index, to: stop) < stop { hints.insert(.ampersand) }
                  index = stop
                  continue
                }
              }
              if lead == 0x26 { hints.insert(.ampersand) }
              // A space or `?` completes a two-byte lead (`Ã `), or stands inside a longer sequence that goes on.
              if previousIsLead && (lead == 0x20 || lead == 0x3F)
                && (previousIsTwoByteLead || (index + 1 < end && bytes[index + 1] >= 0x80))
              {
                hints.insert(.mojibakeCandidate)
                if previousIsOtherPageLead { hints.insert(.otherPageCandidate) }
              }
              previousIsLead = false
              previousMask = 0
              previousIsOtherPageLead = false
              previousIsWindows1252Lead = false
              index += 1
              continue
            }
            hints.insert(.nonASCII)
            guard let (value, length) = multiByteScalar(bytes, at: index, end: end) else {
              hints = RepairHints(rawValue: 0xFFFF)
              return
            }
            // A lead followed by a character one of its pages reads as a continuation byte (or by U+FFFD, a lost byte).
            if previousIsLead
              && (value == 0xFFFD || (value < 0x10000 && continuationMask[Int(value)] & previousMask != 0))
            {
              hints.insert(.mojibakeCandidate)
              if previousIsOtherPageLead { hints.insert(.otherPageCandidate) }
            }
            hints.formUnion(characterHints(value))
            let mask = value < 0x10000 ? leadMask[Int(value)] : 0
            previousIsLead = mask != 0
            previousMask = mask
            // Right after a Windows-1252 lead (`â€`), a sign is that page's continuation, not another page's lead.
            previousIsOtherPageLead = mask != 0 && mask & 1 == 0 && !previousIsWindows1252Lead
            previousIsWindows1252Lead = mask & 1 != 0
            previousIsTwoByteLead = value < 0x10000 && twoByteLead[Int(value)]
            index += length
          }
        }
      }
    }
    // All bits set marks bytes that are not UTF-8 (no real scan sets them all).
    return hints.rawValue == 0xFFFF ? nil : hints
  }

  /// The scalar value and length of the multi-byte UTF-8 character at `index` (its lead byte 80 or above) of
  /// `bytes[..<end]`; nil when it is not valid UTF-8 (a bad lead, an overlong form, a surrogate, a value
  /// above U+10FFFF, a missing continuation byte).
  @inline(__always)
  private static func multiByteScalar(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int
  ) -> (value: UInt32, length: Int)? {
    let (scalar, length) = UTF8Scanner.decode(UnsafeBufferPointer(rebasing: bytes[..<end]), at: index)
    return scalar.map { ($0.value, length) }
  }

  /// What the character `value` (above ASCII) tells the repair rules: beyond Latin-1, `â`, a C1 control, a
  /// ligature, a curly quote.
  @inline(__always)
  private static func characterHints(_ value: UInt32) -> RepairHints {
    var hints: RepairHints = value > 0xFF ? .beyondLatin1 : []
    switch value {
    case 0xE2: hints.insert(.circumflexA)
    case 0x80...0x9F: hints.insert(.c1Control)
    case 0xFB00...0xFB06: hints.insert(.ligature)
    case 0x2018...0x201F: hints.insert(.curlyQuote)
    default: break
    }
    return hints
  }

}
