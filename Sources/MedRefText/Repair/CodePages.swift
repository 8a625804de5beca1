import MedRefBase

/// The single-byte code pages whose misreading of UTF-8 the repair stage undoes, in the order they are tried:
/// Windows-1252 (with Latin-1's C1 controls), then Central European, Cyrillic, Greek, Turkish and Baltic Windows
/// code pages, ISO-8859-2, MacRoman and DOS code page 437. Tables are in `Resources/encodings/`.
package final class CodePages: Sendable {
  static let shared = CodePages()

  /// Names used in repair rules (`utf8-as-<name>`).
  let names: [String]
  /// The repair rule of each page: `utf8-as-` and its name.
  let rules: [String]
  /// The rule of Windows-1252 decoding that needed C1 controls (Latin-1).
  static let latin1Rule = "utf8-as-latin1"
  /// The byte each BMP scalar is written as in each page (0 when the page has no byte for it), all pages in one
  /// array at `page << 16 | scalar`, so that a look-up touches one array.
  let bytes: [UInt8]
  /// Per BMP scalar, bit `i` set when page `i` writes it as a byte that can start a UTF-8 sequence (C2–F4).
  let leadMask: [UInt16]
  /// Per BMP scalar, whether some page writes it as a two-byte lead (C2–DF), which a lone space may complete.
  let twoByteLead: [Bool]
  /// Per BMP scalar, bit `i` set when page `i` writes it as a continuation byte (80–BF). A lead character can start
  /// a sequence only when the character after it shares a page with it here (or stands for a lost byte: a space,
  /// `?` or U+FFFD), which lets every scan skip lead characters that nothing continues (`д` before `о`).
  let continuationMask: [UInt16]
  /// The character table the decoder judges its readings with (held here so that hot loops need one look-up).
  let characters = RepairCharacters.shared

  init() {
    let files: [(String, String)] = [
      ("windows-1252", "windows-1252"), ("windows-1250", "windows-1250"), ("windows-1251", "windows-1251"),
      ("windows-1253", "windows-1253"), ("windows-1254", "windows-1254"), ("windows-1257", "windows-1257"),
      ("iso-8859-2", "iso-8859-2"), ("macroman", "macroman"), ("cp437", "cp437"),
    ]
    var names: [String] = []
    var bytes = [UInt8](repeating: 0, count: files.count << 16)
    var leadMask = [UInt16](repeating: 0, count: 0x10000)
    var twoByteLead = [Bool](repeating: false, count: 0x10000)
    var continuationMask = [UInt16](repeating: 0, count: 0x10000)
    for (index, (name, file)) in files.enumerated() {
      // Each page's 128 upper bytes; Latin-1's reading (C1 controls stand for their own byte) joins Windows-1252.
      var entries: [(scalar: Int, byte: UInt8)] = index == 0 ? (0x80...0x9F).map { ($0, UInt8($0)) } : []
      for row in ResourceFile.rows("encodings/\(file).tsv") where row.count >= 2 {
        guard let byte = UInt8(row[0], radix: 16), let scalar = Int(row[1], radix: 16), scalar < 0x10000 else {
          continue
        }
        entries.append((scalar, byte))
      }
      for entry in entries {
        bytes[index << 16 | entry.scalar] = entry.byte
      }
      for entry in entries
      where bytes[index << 16 | entry.scalar] >= 0xC2 && bytes[index << 16 | entry.scalar] <= 0xF4 {
        leadMask[entry.scalar] |= 1 << UInt16(index)
        if bytes[index << 16 | entry.scalar] <= 0xDF { twoByteLead[entry.scalar] = true }
      }
      for entry in entries
      where bytes[index << 16 | entry.scalar] >= 0x80 && bytes[index << 16 | entry.scalar] <= 0xBF {
        continuationMask[entry.scalar] |= 1 << UInt16(index)
      }
      names.append(name)
    }
    self.names = names
    self.rules = names.map { "utf8-as-\($0)" }
    self.bytes = bytes
    self.leadMask = leadMask
    self.twoByteLead = twoByteLead
    self.continuationMask = continuationMask
  }

  /// Whether the character `next` can continue a sequence whose lead character has `mask`: some page of `mask`
  /// writes it as a continuation byte, or it is U+FFFD (a byte already lost). Spaces and `?` are judged apart.
  @inline(__always)
  func mayContinue(leadMask mask: UInt16, with next: UInt32) -> Bool {
    next == 0xFFFD || (next < 0x10000 && continuationMask[Int(next)] & mask != 0)
  }

  /// The byte page `page` writes `scalar` as, or nil. ASCII is itself.
  @inline(__always)
  func byte(_ scalar: UInt32, page: Int) -> UInt8? {
    if scalar < 0x80 { return UInt8(scalar) }
    guard scalar < 0x10000 else { return nil }
    let byte = bytes[page << 16 | Int(scalar)]
    return byte == 0 ? nil : byte
  }
}

/// What kind of character a repair produced, from `Resources/repair-characters.tsv`.
package final class RepairCharacters: Sendable {
  enum Kind: UInt8 {
    case none = 0
    case symbol, mark, letter
  }

  static let shared = RepairCharacters()

  /// Per BMP scalar: kind in the low 2 bits, script number above them (letters only).
  private let bmp: [UInt8]
  /// Ranges above the BMP.
  private let astral: [(ClosedRange<UInt32>, UInt8)]
  /// Letters allowed as one-letter words.
  let standalone: Set<UInt32>
  /// Scripts whose one-letter words are common enough that a lone repaired letter is accepted (Greek, Cyrillic).
  let alphabeticScripts: Set<UInt8>

  init() {
    var bmp = [UInt8](repeating: 0, count: 0x10000)
    var astral: [(ClosedRange<UInt32>, UInt8)] = []
    var scripts: [String: UInt8] = ["latin": 1]
    for row in ResourceFile.rows("repair-characters.tsv") where row.count >= 4 {
      guard let first = UInt32(row[0], radix: 16), let last = UInt32(row[1], radix: 16) else { continue }
      let kind: Kind = row[2] == "letter" ? .letter : row[2] == "mark" ? .mark : .symbol
      var code = kind.rawValue
      if row[3] != "-" {
        let name = String(row[3])
        let number = scripts[name] ?? UInt8(scripts.count + 1)
        scripts[name] = number
        code |= number << 2
      }
      if last < 0x10000 {
        for value in first...last { bmp[Int(value)] = code }
      } else {
        astral.append((first...last, code))
      }
    }
    // ASCII letters are Latin, for judging the letters around a repair.
    for value in UInt32(0x41)...0x5A { bmp[Int(value)] = Kind.letter.rawValue | 1 << 2 }
    for value in UInt32(0x61)...0x7A { bmp[Int(value)] = Kind.letter.rawValue | 1 << 2 }
    self.bmp = bmp
    self.astral = astral
    self.alphabeticScripts = Set(["greek", "cyrillic"].compactMap { scripts[$0] })
    self.scriptNumbers = scripts
    self.latin = scripts["latin"] ?? 1
    self.greek = scripts["greek"] ?? 0
    self.standalone = Set(
      ResourceFile.text("repair-standalone-letters.txt").split(separator: "\n")
        .filter { !$0.hasPrefix("#") && !$0.isEmpty }.compactMap { $0.unicodeScalars.first?.value })
  }

  @inline(__always)
  private func code(_ scalar: UInt32) -> UInt8 {
    if scalar < 0x10000 { return bmp[Int(scalar)] }
    return astral.first { $0.0.contains(scalar) }?.1 ?? 0
  }

  @inline(__always)
  func kind(_ scalar: UInt32) -> Kind { Kind(rawValue: code(scalar) & 3) ?? .none }

  /// The script number of a letter (0 for anything else).
  @inline(__always)
  func script(_ scalar: UInt32) -> UInt8 { code(scalar) & 3 == Kind.letter.rawValue ? code(scalar) >> 2 : 0 }

  /// The script a combining mark belongs to (0 for marks of any script).
  @inline(__always)
  func markScript(_ scalar: UInt32) -> UInt8 { code(scalar) >> 2 }

  /// The script number of a name in the table, 0 when absent.
  let scriptNumbers: [String: UInt8]
  /// The numbers of the Latin and Greek scripts.
  let latin: UInt8
  let greek: UInt8
}
