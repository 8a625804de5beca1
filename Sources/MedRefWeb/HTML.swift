/// A piece of HTML markup. Strings interpolated into it are escaped, so article text — scraped, hostile — can only
/// ever become text on the page: `"<p>\(title)</p>" as HTML` turns a title of `<script>` into `&lt;script&gt;`.
/// Only other `HTML` values are inserted as markup.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
  /// The markup.
  public private(set) var markup: String

  /// Trusted markup, as is. Only for constants of this code, never for anything read from an article or request.
  public init(trusted markup: String) {
    self.markup = markup
  }

  public init(stringLiteral value: String) {
    markup = value
  }

  public init(stringInterpolation: Interpolation) {
    markup = stringInterpolation.markup
  }

  public var description: String { markup }

  /// Several pieces one after another.
  public init(joining pieces: [HTML], separator: HTML = "") {
    markup = pieces.map(\.markup).joined(separator: separator.markup)
  }

  public static func + (left: HTML, right: HTML) -> HTML {
    HTML(trusted: left.markup + right.markup)
  }

  public static func += (left: inout HTML, right: HTML) {
    left.markup += right.markup
  }

  /// Builds markup: literals as written, strings escaped, `HTML` as markup.
  public struct Interpolation: StringInterpolationProtocol {
    var markup = ""

    public init(literalCapacity: Int, interpolationCount: Int) {
      markup.reserveCapacity(literalCapacity + 16 * interpolationCount)
    }

    public mutating func appendLiteral(_ literal: String) {
      markup += literal
    }

    /// Text: escaped for element content and quoted attribute values alike.
    public mutating func appendInterpolation(_ text: String) {
      markup += HTML.escape(text)
    }

    public mutating func appendInterpolation(_ number: Int) {
      markup += String(number)
    }

    public mutating func appendInterpolation(_ html: HTML) {
      markup += html.markup
    }

    /// A URL query value or path segment, percent-encoded (then escaped, which changes nothing left).
    public mutating func appendInterpolation(component text: String) {
      markup += HTML.escape(HTML.percentEncode(text))
    }
  }

  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe inside elements and inside
  /// quoted attribute values. Control characters other than tab and newline are dropped (they are not allowed in
  /// HTML, and U+0000 ends strings in some readers).
  public static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: needsEscaping) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Whether `byte` is one `escape` replaces or drops.
  private static func needsEscaping(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x00..<0x20: return true
    default: return false
    }
  }

  /// `text` percent-encoded for a URL query value or path segment: only unreserved characters stay
  /// (`A–Z a–z 0–9 - . _ ~`), and `/`, which ids contain.
  public static func percentEncode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        out += "%"
        out.unicodeScalars.append(digits[Int(byte >> 4)])
        out.unicodeScalars.append(digits[Int(byte & 0x0F)])
      }
    }
    return out
  }

  /// Percent-decodes a URL component (`+` is a space in query values when `plusIsSpace`). Invalid escapes stay
  /// as written; bytes that are not UTF-8 become U+FFFD.
  public static func percentDecode<S: StringProtocol>(_ text: S, plusIsSpace: Bool) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    let source = Array(text.utf8)
    var index = 0
    func hex(_ byte: UInt8) -> UInt8? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
      default: return nil
      }
    }
    while index < source.count {
      let byte = source[index]
      if byte == UInt8(ascii: "%"), index + 2 < source.count, let high = hex(source[index + 1]),
        let low = hex(source[index + 2])
      {
        bytes.append(high << 4 | low)
        index += 3
      } else {
        bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
