import Foundation

/// The compiled form of the bundled lexicons (`Resources/lexicons/compiled.bin`): the finished phrase table and
/// entries of `EntityLexicon`, so that a process loads them by copying arrays (about a millisecond) instead of
/// reading 30,000 terms from the tab-separated files (about 35 ms). The tab-separated files stay the source: the
/// compiled file is made from them by `medref lexicons --compile`, and a test fails when it no longer matches them.
///
/// Layout (integers little-endian): the magic `MEDREFLX`, the format version, the phrase table's slots and
/// first-word bits, the entries (type, red-flag rule, acronym length, name, HP id, red-flag words), the term counts
/// and the problems. Strings are a length and UTF-8 bytes.
extension EntityLexicon {
  /// The version of the layout; a file of another version is ignored and the lexicons are read from their files.
  static let compiledFormatVersion: UInt32 = 1
  private static let magic = Array("MEDREFLX".utf8)

  /// The name of the compiled lexicons in the resources.
  public static let compiledResource = "lexicons/compiled.bin"

  /// The lexicon in compiled form.
  public func compiled() -> [UInt8] {
    var writer = BinaryWriter()
    writer.bytes(Self.magic)
    writer.u32(Self.compiledFormatVersion)
    let (slots, firstWords) = phrases.storedArrays
    writer.words(slots)
    writer.words(firstWords)
    writer.u32(UInt32(entries.count))
    for entry in entries {
      writer.u8(EntityType.allCases.firstIndex(of: entry.type).map(UInt8.init) ?? 0)
      writer.u32(UInt32(entry.acronymLength))
      writer.string(entry.name)
      writer.string(entry.hpo ?? "")
      switch entry.redFlag {
      case .never: writer.u8(0)
      case .always: writer.u8(1)
      case .with(let words):
        writer.u8(2)
        writer.words(words)
      }
    }
    writer.u32(UInt32(termCounts.count))
    for (file, count) in termCounts.sorted(by: { $0.key < $1.key }) {
      writer.string(file)
      writer.u32(UInt32(count))
    }
    writer.u32(UInt32(problems.count))
    for problem in problems { writer.string(problem) }
    return writer.output
  }

  /// A lexicon from its compiled form; nil when `bytes` is not one of this version (or is damaged).
  public init?(compiled bytes: [UInt8]) {
    var reader = BinaryReader(bytes)
    guard reader.bytes(Self.magic.count) == Self.magic, reader.u32() == Self.compiledFormatVersion,
      let slots = reader.words(), let firstWords = reader.words(),
      let phrases = PhraseTable(slots: slots, firstWords: firstWords), let entryCount = reader.u32()
    else { return nil }
    var entries: [Entry] = []
    entries.reserveCapacity(Int(entryCount))
    for _ in 0..<entryCount {
      guard let typeNumber = reader.u8(), Int(typeNumber) < EntityType.allCases.count,
        let acronymLength = reader.u32(), let name = reader.string(), let hpo = reader.string(),
        let flagKind = reader.u8()
      else { return nil }
      let redFlag: RedFlag
      switch flagKind {
      case 0: redFlag = .never
      case 1: redFlag = .always
      case 2:
        guard let words = reader.words() else { return nil }
        redFlag = .with(words)
      default: return nil
      }
      entries.append(
        Entry(
          type: EntityType.allCases[Int(typeNumber)], name: name, hpo: hpo.isEmpty ? nil : hpo, redFlag: redFlag,
          acronymLength: Int(acronymLength)))
    }
    guard let countCount = reader.u32() else { return nil }
    var termCounts: [String: Int] = [:]
    for _ in 0..<countCount {
      guard let file = reader.string(), let count = reader.u32() else { return nil }
      termCounts[file] = Int(count)
    }
    guard let problemCount = reader.u32() else { return nil }
    var problems: [String] = []
    for _ in 0..<problemCount {
      guard let problem = reader.string() else { return nil }
      problems.append(problem)
    }
    // Every entry number in the table must name an entry.
    guard reader.isAtEnd,
      !slots.contains(where: { Int($0 & PhraseTable.entryMask) > entries.count })
    else { return nil }
    self.init(entries: entries, phrases: phrases, termCounts: termCounts, problems: problems)
  }
}

/// Appends little-endian integers and length-prefixed strings.
private struct BinaryWriter {
  var output: [UInt8] = []

  mutating func bytes(_ bytes: [UInt8]) { output += bytes }
  mutating func u8(_ value: UInt8) { output.append(value) }

  mutating func u32(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { output += $0 }
  }

  mutating func words(_ words: [UInt64]) {
    u32(UInt32(words.count))
    for word in words { withUnsafeBytes(of: word.littleEndian) { output += $0 } }
  }

  mutating func string(_ text: String) {
    u32(UInt32(text.utf8.count))
    output += text.utf8
  }
}

/// Reads what `BinaryWriter` wrote; every read is nil past the end.
private struct BinaryReader {
  private let input: [UInt8]
  private var offset = 0

  init(_ input: [UInt8]) { self.input = input }

  var isAtEnd: Bool { offset == input.count }

  mutating func bytes(_ count: Int) -> [UInt8]? {
    guard count >= 0, input.count - offset >= count else { return nil }
    defer { offset += count }
    return Array(input[offset..<offset + count])
  }

  mutating func u8() -> UInt8? {
    guard offset < input.count else { return nil }
    defer { offset += 1 }
    return input[offset]
  }

  mutating func u32() -> UInt32? {
    guard input.count - offset >= 4 else { return nil }
    defer { offset += 4 }
    return input.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
  }

  mutating func words() -> [UInt64]? {
    guard let count = u32().map(Int.init), (input.count - offset) / 8 >= count else { return nil }
    defer { offset += count * 8 }
    return input.withUnsafeBytes { raw in
      [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
        for index in 0..<count {
          buffer[index] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + index * 8, as: UInt64.self))
        }
        initialized = count
      }
    }
  }

  mutating func string() -> String? {
    guard let count = u32().map(Int.init), input.count - offset >= count else { return nil }
    defer { offset += count }
    return input.withUnsafeBufferPointer {
      String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + count]), as: UTF8.self)
    }
  }
}
