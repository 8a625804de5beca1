import ArgumentParser
import Foundation
import MedRefBase
import MedRefExtraction
import MedRefIndex

/// Options shared by every command that uses the index.
package struct IndexOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The index database (default: $MEDREF_INDEX, else Index/medref.sqlite).", valueName: "path"))
  package var index: String?

  @Flag(
    help: ArgumentHelp(
      """
      Read the index as an immutable copy (one on another machine, a shared or read-only volume): no locks, no \
      -wal or -shm file beside it, so many processes can serve copies of one file. Nothing may write the file \
      meanwhile. Not for 'ingest'.
      """))
  package var immutable = false

  package init() {}

  package var path: String { IndexStore.resolvePath(index) }

  package func open(create: Bool = false) throws -> IndexStore {
    if immutable {
      if create { throw ValidationError("--immutable opens the index read-only; 'ingest' writes it.") }
      return try IndexStore(readOnlyAt: path, readers: 1, immutable: true)
    }
    return try IndexStore(path: path, create: create)
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
package enum Terminal {
  package static func error(_ message: String) {
    FileHandle.standardError.write(Data("medref: \(message)\n".utf8))
  }

  package static func note(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
  }

  package static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  package static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Whether reports use colour (MedRefPresentation's `TextStyle.ansi`): on a terminal, without `NO_COLOR`.
  package static var useColor: Bool {
    stdoutIsTerminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
  }

  /// Writes text to standard output without a trailing newline.
  package static func write(_ text: String) {
    print(text, terminator: "")
  }
}
