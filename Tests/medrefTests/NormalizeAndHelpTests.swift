import Foundation
import Testing

@Suite("medref normalize")
struct NormalizeTests {
  /// Five lines (the last one empty): clean text, UTF-8 read as Windows-1252 twice, lossy mojibake, clean text.
  static let input =
    "plain line stays\ndon\u{E2}\u{20AC}\u{2122}t stop\nthe caf\u{C3}\u{A9} is open\nHowever\u{E2}\u{A6} it hurts\n"
  static let expected = "plain line stays\ndon\u{2019}t stop\nthe caf\u{E9} is open\nHowever\u{2026} it hurts\n"

  @Test("normalize repairs each line and keeps the number of newlines")
  func normalizeRepairsLines() async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref("normalize", stdin: Data(Self.input.utf8))
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      #expect(result.stdout == Self.expected, "\(result)")
      #expect(result.stdout.filter { $0 == "\n" }.count == Self.input.filter { $0 == "\n" }.count)
      #expect(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 5)
    }
  }

  @Test("normalize keeps blank lines, carriage returns and a missing final newline")
  func normalizeKeepsLineStructure() async throws {
    try await Sandbox.with { sandbox in
      let input = "first\r\n\n\ncaf\u{C3}\u{A9}\r\nlast without newline"
      let result = try await sandbox.medref("normalize", stdin: Data(input.utf8))
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout == "first\r\n\n\ncaf\u{E9}\r\nlast without newline", "\(result)")
    }
  }

  @Test("normalize of empty input prints nothing")
  func normalizeEmptyInput() async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref("normalize", stdin: Data())
      #expect(result.status == 0, "\(result)")
      #expect(result.stdoutData.isEmpty, "\(result)")
    }
  }

  @Test("normalize --explain prints one JSON line per changed line; the guessed … repair is not exact")
  func normalizeExplain() async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref("normalize", "--explain", stdin: Data(Self.input.utf8))
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      let lines = try result.stdoutLines.map { try JSON.object($0) }
      #expect(lines.map { $0["line"] as? Int } == [2, 3, 4], "one object per changed line\n\(result)")
      let fixed = Self.expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let original = Self.input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for object in lines {
        guard let number = object["line"] as? Int, number >= 1, number <= 5 else { continue }
        #expect(object["original"] as? String == original[number - 1], "\(result)")
        #expect(object["fixed"] as? String == fixed[number - 1], "\(result)")
        #expect(!(object["repairs"] as? [Any] ?? []).isEmpty, "\(result)")
      }

      func repairs(onLine number: Int) -> [[String: Any]] {
        lines.first { $0["line"] as? Int == number }?["repairs"] as? [[String: Any]] ?? []
      }
      let ellipsis = repairs(onLine: 4).first { $0["to"] as? String == "\u{2026}" }
      #expect(ellipsis?["from"] as? String == "\u{E2}\u{A6}", "\(result)")
      #expect(ellipsis?["exact"] as? Bool == false, "the … repair is a guess\n\(result)")
      for exactLine in [2, 3] {
        let found = repairs(onLine: exactLine)
        #expect(!found.isEmpty && found.allSatisfy { $0["exact"] as? Bool == true }, "line \(exactLine)\n\(result)")
      }
    }
  }
}

@Suite("medref --help")
struct HelpTests {
  @Test(
    "every subcommand's --help exits 0 and shows an example",
    arguments: ["ingest", "search", "extract", "export", "show", "stats", "check", "normalize", "lexicons"])
  func subcommandHelp(command: String) async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref(command, "--help")
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.contains("USAGE: medref \(command)"), "\(result)")
      #expect(result.stdout.contains("Example"), "'medref \(command) --help' has no example\n\(result)")
      // Every example line names the command it documents.
      let exampleLines = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0.hasPrefix("medref ") || $0.hasPrefix("echo ") }
      #expect(exampleLines.contains { $0.contains("medref \(command)") }, "\(result)")
    }
  }

  @Test("medref --help exits 0 and lists the subcommands")
  func rootHelp() async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref("--help")
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.contains("Example"), "\(result)")
      for command in ["ingest", "search", "extract", "export", "show", "stats", "check", "normalize"] {
        #expect(result.stdout.contains("  \(command)"), "\(command) missing from the help\n\(result)")
      }
    }
  }

  @Test("an unknown subcommand is a usage error: exit 2, one line")
  func unknownSubcommand() async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref("frobnicate")
      #expect(result.status == 2, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: "), "\(result)")
      #expect(result.stderr.contains("frobnicate"), "\(result)")
    }
  }
}
