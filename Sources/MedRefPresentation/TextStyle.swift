/// How a text report marks emphasis (`medref show`, `medref search`): ANSI escapes on a terminal, nothing (or
/// brackets around matched words) for pipes and files.
public struct TextStyle: Sendable {
  public var bold: @Sendable (String) -> String
  public var dim: @Sendable (String) -> String
  public var alert: @Sendable (String) -> String
  /// What opens and closes a matched word in a search snippet.
  public var highlight: (open: String, close: String)

  public init(
    bold: @escaping @Sendable (String) -> String, dim: @escaping @Sendable (String) -> String,
    alert: @escaping @Sendable (String) -> String, highlight: (open: String, close: String) = ("[", "]")
  ) {
    self.bold = bold
    self.dim = dim
    self.alert = alert
    self.highlight = highlight
  }

  /// No emphasis; matched words in brackets.
  public static let plain = TextStyle(bold: { $0 }, dim: { $0 }, alert: { $0 })

  /// ANSI escapes: bold, dim, bold red, and matched words bold yellow.
  public static let ansi = TextStyle(
    bold: { "\u{1B}[1m\($0)\u{1B}[0m" }, dim: { "\u{1B}[2m\($0)\u{1B}[0m" }, alert: { "\u{1B}[1;31m\($0)\u{1B}[0m" },
    highlight: ("\u{1B}[1;33m", "\u{1B}[0m"))
}
