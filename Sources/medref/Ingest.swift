import ArgumentParser
import Foundation
import MedRefCore

struct Ingest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Add articles from files and folders to the index.",
    discussion: """
      Folders are read recursively; inside them only .html, .htm and .txt files are taken (others are listed as
      skipped). A file named directly is always taken. Each article is stored in one transaction. Files whose
      bytes have not changed since the last ingest are skipped, and a changed file replaces its old version, so
      running the same ingest again changes nothing. A file that cannot be read or parsed is named on stderr and
      the others still go in; the exit status is then 1.

      Examples:
        medref ingest Corpus
        medref ingest ~/articles/page.html --index /tmp/test.sqlite
        medref ingest Corpus --prune     # also forget articles whose file is gone
      """)

  @Argument(help: ArgumentHelp("Files and folders to ingest.", valueName: "path"))
  var paths: [String]

  @OptionGroup var indexOptions: IndexOptions

  @Flag(help: "Remove articles whose source file no longer exists.")
  var prune = false

  @Flag(help: "Print no progress.")
  var quiet = false

  @Flag(help: "Print the summary as JSON.")
  var json = false

  @Flag(help: "Also list guessed repairs and encoding fallbacks on stderr.")
  var verbose = false

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one file or folder to ingest.") }
  }

  func run() throws {
    let store = try indexOptions.open(create: true)
    let showProgress = !quiet && Terminal.stderrIsTerminal
    let report = try Ingestor(store: store).ingest(paths, prune: prune) { progress in
      guard showProgress else { return }
      FileHandle.standardError.write(Data("\r\u{1B}[K[\(progress.done)/\(progress.total)] \(progress.path)".utf8))
    }
    if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    for failure in report.failed { Terminal.error(failure) }
    if verbose { for note in report.notes { Terminal.note(note) } }
    if json {
      print(JSONOutput.line(report))
    } else {
      var summary =
        "Ingested \(report.processed) of \(report.processed + report.failed.count) files into \(store.path): "
        + "\(report.added.count) added, \(report.updated.count) updated, \(report.unchanged.count) unchanged, "
        + "\(report.failed.count) failed"
      if !report.skipped.isEmpty { summary += ", \(report.skipped.count) skipped (not .html, .htm or .txt)" }
      if prune { summary += ", \(report.pruned.count) pruned" }
      print(summary + ".")
    }
    if !report.failed.isEmpty { throw ExitCode(1) }
  }
}
