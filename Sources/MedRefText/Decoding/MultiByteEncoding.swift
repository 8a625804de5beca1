import Foundation
import MedRefBase

/// Legacy multi-byte encodings (GBK/GB18030, Big5, Shift_JIS, EUC-JP, ISO-2022-JP, EUC-KR), decoded with the C
/// library's `iconv` when a page declares one. Labels and the converter each names are in
/// `Resources/encodings/multibyte-labels.tsv`.
package enum MultiByteEncoding {
  /// Charset labels (lower case) → iconv encoding names.
  static let labels: [String: String] = {
    var labels: [String: String] = [:]
    for row in ResourceFile.rows("encodings/multibyte-labels.tsv") where row.count >= 2 {
      labels[String(row[0])] = String(row[1])
    }
    return labels
  }()

  /// The iconv name for a charset label, nil when the label names no multi-byte encoding MedRef knows.
  package static func name(forLabel label: String) -> String? { labels[label.lowercased()] }

  /// Decodes `bytes` from the encoding named by `label`; a byte sequence the encoding does not define becomes
  /// U+FFFD. Nil when the label is unknown or the C library has no converter for it.
  package static func decode(_ bytes: [UInt8], label: String) -> String? {
    guard let name = name(forLabel: label) else { return nil }
    let converter = iconv_open("UTF-8", name)
    guard converter != iconv_t(bitPattern: -1) else { return nil }
    defer { iconv_close(converter) }
    var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
    var written = 0
    var input = bytes
    return input.withUnsafeMutableBufferPointer { source -> String? in
      guard let sourceBase = source.baseAddress else { return "" }
      var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(sourceBase).assumingMemoryBound(
        to: CChar.self)
      var inLeft = source.count
      while inLeft > 0 {
        if output.count - written < 16 { output.append(contentsOf: repeatElement(0, count: output.count)) }
        let result = output.withUnsafeMutableBufferPointer { target -> (Int, Int32) in
          var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(target.baseAddress! + written)
            .assumingMemoryBound(to: CChar.self)
          var outLeft = target.count - written
          let status = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
          let code = status == -1 ? errno : 0
          written = target.count - outLeft
          return (status, code)
        }
        guard result.0 == -1 else { continue }
        switch result.1 {
        case E2BIG:
          output.append(contentsOf: repeatElement(0, count: output.count))
        default:
          // An invalid or truncated sequence: one byte becomes U+FFFD and decoding goes on.
          if output.count - written < 3 { output.append(contentsOf: repeatElement(0, count: output.count)) }
          output.replaceSubrange(written..<(written + 3), with: [0xEF, 0xBF, 0xBD])
          written += 3
          inPointer = inPointer.map { $0 + 1 }
          inLeft -= 1
        }
      }
      return String(decoding: output[..<written], as: UTF8.self)
    }
  }
}
