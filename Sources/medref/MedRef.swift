import ArgumentParser
import Foundation
import MedRefBase
import MedRefExtraction
import MedRefIndex
import MedRefWeb

/// The `medref` command: parses arguments, calls the library, maps errors to exit statuses
/// (0 success, 1 some inputs failed, 2 usage errors and unusable queries).
@main
struct MedRef: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "medref",
    abstract: "Turn scraped health articles into a searchable clinical reference.",
    discussion: """
      Pipeline: bytes are decoded (BOM, <meta charset>, UTF-8, else Windows-1252), encoding damage is repaired \
      (mojibake, HTML entities), HTML is parsed with libxml2 and plain text by its lines, boilerplate is dropped, \
      the article is split into sections by its headings and each section is classified (symptoms, causes, \
      tests, treatment, prevention, ...). 'ingest' stores the result in an SQLite full-text index that 'search' \
      queries; 'extract' runs the same pipeline without an index and prints JSON.

      The index is Index/medref.sqlite unless --index or MEDREF_INDEX says otherwise.

      Exit status: 0 success; 1 the command ran but some inputs failed (named on stderr); 2 usage errors and \
      unusable queries.

      Example:
        medref ingest Corpus
        medref search numbness --section symptoms
      """,
    version: "0.1.0",
    subcommands: [
      Ingest.self, Search.self, Extract.self, Export.self, Show.self, Stats.self, Check.self, Normalize.self,
      Schema.self, Serve.self, Lexicons.self, Bench.self,
    ]
  )

  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()  // `serve`
      } else {
        try command.run()
      }
    } catch let error as MedRefError {
      Terminal.error(error.description)
      Foundation.exit(error.isUsageError ? 2 : 1)
    } catch let error as ExitCode {
      Foundation.exit(error.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        // One line: the message's lines joined (a list of allowed values included), usage text left out.
        let lines = self.message(for: error).split(separator: "\n")
          .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "- ", with: "") }
          .prefix { !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }.filter { !$0.isEmpty }
        var message = lines.joined(separator: " ").escapingControlCharacters
        // An argument echoed in the message (a 30,000-character query taken for an option) is cut.
        if message.count > 500 { message = message.prefix(500) + "…" }
        Terminal.error(message.prefix(1).lowercased() + message.dropFirst() + " (see 'medref help')")
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}

/// Options shared by every command that uses the index.
struct IndexOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The index database (default: $MEDREF_INDEX, else Index/medref.sqlite).", valueName: "path"))
  var index: String?

  var path: String { IndexStore.resolvePath(index) }

  func open(create: Bool = false) throws -> IndexStore {
    try IndexStore(path: path, create: create)
  }
}

extension SectionKind: ExpressibleByArgument {
  public init?(argument: String) {
    self.init(rawValue: argument.lowercased().replacingOccurrences(of: "-", with: "_"))
  }

  public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension ExtractFormat: ExpressibleByArgument {}

/// Writing to the terminal: errors on stderr, colour only on a terminal and when NO_COLOR is unset.
enum Terminal {
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("medref: \(message)\n".utf8))
  }

  static func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  static var useColor: Bool {
    stdoutIsTerminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
  }

  static func bold(_ text: String) -> String { useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
  static func dim(_ text: String) -> String { useColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

  /// Writes text to standard output without a trailing newline.
  static func write(_ text: String) {
    print(text, terminator: "")
  }
}
