extension String {
  /// The string with every control character written as an escape — `\n`, `\r`, `\t`, else `\u{1B}` — so that
  /// it stays on one line of text output: a file name, id or query with a newline or an escape sequence in it cannot
  /// break the lines of `search`, `show`, `check` or an error message, nor send commands to a terminal. Line and
  /// paragraph separators (U+2028, U+2029) and U+0085 are escaped too. A string without them is returned as it is.
  public var escapingControlCharacters: String {
    guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
    var out = ""
    out.reserveCapacity(utf8.count + 8)
    for scalar in unicodeScalars {
      guard Self.needsEscape(scalar) else {
        out.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      }
    }
    return out
  }

  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) || scalar.value == 0x2028
      || scalar.value == 0x2029
  }
}
