import Foundation

/// A recoverable problem or remark found while processing one input: an uncertain repair, a skipped file, a
/// fallback decoding. Diagnostics never stop the pipeline.
public struct Diagnostic: Equatable, Sendable, Codable, CustomStringConvertible {
  /// How much the user should care.
  public enum Severity: String, Sendable, Codable {
    case note, warning, error
  }

  public var severity: Severity
  public var message: String
  /// The file the diagnostic is about, when there is one.
  public var file: String?
  /// The 1-based line in that file, when known.
  public var line: Int?

  public init(_ severity: Severity, _ message: String, file: String? = nil, line: Int? = nil) {
    self.severity = severity
    self.message = message
    self.file = file
    self.line = line
  }

  public var description: String {
    var location = (file ?? "").escapingControlCharacters
    if let line { location += ":\(line)" }
    return location.isEmpty ? "\(severity.rawValue): \(message)" : "\(location): \(severity.rawValue): \(message)"
  }
}
