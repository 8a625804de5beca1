import MedRefBase

/// A single-byte legacy encoding (such as Windows-1252) read from a table in `Resources/encodings/`.
package final class SingleByteEncoding: Sendable {
  /// The encoding's name as MedRef reports it, e.g. `windows-1252`.
  package let name: String
  /// Unicode scalar for each byte 0x00–0xFF.
  let scalars: [Unicode.Scalar]
  /// UTF-8 bytes for each byte 0x00–0xFF, so that decoding is a table copy.
  package let utf8: [[UInt8]]
  /// The byte each non-ASCII scalar of the table encodes as.
  let byteForScalar: [Unicode.Scalar: UInt8]

  init(name: String, resource: String) {
    var scalars = (0..<256).map { Unicode.Scalar(UInt8($0)) }
    for row in ResourceFile.rows(resource) where row.count >= 2 {
      guard let byte = UInt8(row[0], radix: 16), let value = UInt32(row[1], radix: 16),
        let scalar = Unicode.Scalar(value)
      else { continue }
      scalars[Int(byte)] = scalar
    }
    self.name = name
    self.scalars = scalars
    self.utf8 = scalars.map { Array(String(Character($0)).utf8) }
    var reverse: [Unicode.Scalar: UInt8] = [:]
    for (byte, scalar) in scalars.enumerated() where byte >= 0x80 { reverse[scalar] = UInt8(byte) }
    self.byteForScalar = reverse
  }

  /// Windows-1252, the web's default legacy encoding (also what `iso-8859-1` labels mean on the web).
  package static let windows1252 = SingleByteEncoding(name: "windows-1252", resource: "encodings/windows-1252.tsv")

  /// Charset labels (lower case) → encoding names, from `Resources/encodings/labels.tsv`.
  static let labels: [String: String] = {
    var labels: [String: String] = [:]
    for row in ResourceFile.rows("encodings/labels.tsv") where row.count >= 2 {
      labels[String(row[0])] = String(row[1])
    }
    return labels
  }()

  /// Every single-byte encoding a label can name, by name.
  static let byName: [String: SingleByteEncoding] = {
    var encodings: [String: SingleByteEncoding] = ["windows-1252": windows1252]
    for name in Set(labels.values) where name != "utf-8" && encodings[name] == nil {
      encodings[name] = SingleByteEncoding(name: name, resource: "encodings/\(name).tsv")
    }
    return encodings
  }()

  /// The encoding a charset label names (`latin1`, `windows-1251`, `x-mac-roman`...), nil for UTF-8 and unknown
  /// labels.
  package static func forLabel(_ label: String) -> SingleByteEncoding? {
    labels[label.lowercased()].flatMap { byName[$0] }
  }

  /// Decodes bytes; every byte maps to exactly one scalar, so this never fails.
  package func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 8)
    for byte in bytes {
      if byte < 0x80 { out.append(byte) } else { out.append(contentsOf: utf8[Int(byte)]) }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The byte that `scalar` is written as in this encoding, or nil when it has none.
  package func byte(for scalar: Unicode.Scalar) -> UInt8? {
    scalar.value < 0x80 ? UInt8(scalar.value) : byteForScalar[scalar]
  }
}
