import ArgumentParser
import Foundation
import MedRefBase
import MedRefCommandLine
import MedRefExtraction
import MedRefIndex

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
    await CommandLineMain.run(Self.self)
  }
}
