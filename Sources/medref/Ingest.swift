import ArgumentParser
import Foundation
import MedRefBase
import MedRefCommandLine
import MedRefExtraction
import MedRefIndex
import MedRefPresentation
import MedRefText

struct Ingest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Add articles from files and folders to the index.",
    discussion: """
      Folders are read recursively; inside them only .html, .htm, .txt, .warc and .warc.gz files are taken (others \
      are listed as skipped). A file named directly is always taken. A web archive (WARC 1.0 or 1.1, plain or \
      gzip-compressed) gives one article per HTML or text page it holds (HTTP 2xx responses and resource records), \
      with its URI as the article's url and the basis of its id; every other record is skipped and counted, and a \
      line per archive on stderr says how many of each. Each article is stored in one transaction. Files whose \
      bytes have not changed since the last ingest are skipped, and a changed file replaces its old version, so \
      running the same ingest again changes nothing. A file that cannot be read or parsed is named on stderr and \
      the others still go in; the exit status is then 1.

      Examples:
        medref ingest Corpus
        medref ingest ~/articles/page.html --index /tmp/test.sqlite
        medref ingest Corpus --prune     # also forget articles whose file is gone
        medref ingest --extracts shards/ # extract objects made elsewhere by 'medref extract'
      """)

  @Argument(help: ArgumentHelp("Files and folders to ingest.", valueName: "path"))
  var paths: [String] = []

  @OptionGroup var indexOptions: IndexOptions

  @Flag(help: "Remove articles whose source file no longer exists.")
  var prune = false

  @Flag(
    help: ArgumentHelp(
      """
      The paths are files of extract objects ('medref extract' output, JSON Lines, also .jsonl.gz) or folders of \
      them: index the objects as they are, without processing their sources again.
      """))
  var extracts = false

  @Flag(help: "Print no progress (on a terminal a progress bar, otherwise a line every few seconds, on stderr).")
  var quiet = false

  @Option(
    name: .customLong("max-size"),
    // Unconditional: `--max-size -1` is a wrong value (said so), not a missing one.
    parsing: .unconditional,
    help: ArgumentHelp(
      "Skip files larger than this many megabytes, with a message (articles are rarely over 1).",
      valueName: "MB"))
  var maximumMegabytes = 16.0

  /// The largest `--max-size`: a file is read whole into memory, so anything larger is a typing error.
  static let largestMaximumMegabytes = 4096.0

  @Flag(help: "Print the summary as JSON.")
  var json = false

  @Flag(help: "Also list guessed repairs and encoding fallbacks on stderr.")
  var verbose = false

  func validate() throws {
    // A finite number in a range whose bytes fit an Int: `inf`, `nan` or `1e308` would trap when converted.
    guard maximumMegabytes > 0, maximumMegabytes <= Self.largestMaximumMegabytes else {
      throw ValidationError(
        "--max-size must be a number of megabytes above 0 and at most \(Int(Self.largestMaximumMegabytes)).")
    }
  }

  func run() throws {
    // Checked here, not in validate(), which runs before an unknown option is reported: `ingest --bogus` names it.
    if paths.isEmpty { throw ValidationError("Give at least one file or folder to ingest.") }
    let store = try indexOptions.open(create: true)
    let reader = SourceReader(maximumFileSize: Int(maximumMegabytes * 1_048_576))
    let display = ProgressDisplay(mode: quiet ? .off : Terminal.stderrIsTerminal ? .bar : .lines)
    let ingestor = Ingestor(store: store, pipeline: Pipeline(reader: reader))
    let report =
      try extracts
      ? ingestor.ingest(extracts: paths, prune: prune) { display.show($0) }
      : ingestor.ingest(paths, prune: prune) { display.show($0) }
    display.finish()
    for failure in report.failed { Terminal.error(failure) }
    for archive in report.archives { Terminal.note(archive) }
    if verbose { for note in report.notes { Terminal.note(note) } }
    if json {
      print(JSONOutput.line(report))
    } else {
      var summary =
        "Ingested \(report.processed) of \(report.processed + report.failed.count) files into \(store.path): "
        + "\(report.added.count) added, \(report.updated.count) updated, \(report.unchanged.count) unchanged, "
        + "\(report.failed.count) failed"
      if !report.skipped.isEmpty {
        summary += ", \(report.skipped.count) skipped (not .html, .htm, .txt or web archive files; --verbose says why)"
      }
      if prune { summary += ", \(report.pruned.count) pruned" }
      print(summary + ".")
    }
    if !report.failed.isEmpty { throw ExitCode(1) }
  }
}

/// Ingest progress on stderr: a bar with files/s and the time left on a terminal (redrawn at most ten times a
/// second), a plain line every five seconds otherwise (logs, CI), nothing with --quiet.
final class ProgressDisplay {
  enum Mode { case off, bar, lines }

  let mode: Mode
  private var lastShown = -1.0
  private var drawn = false

  init(mode: Mode) { self.mode = mode }

  func show(_ progress: IngestProgress) {
    guard mode != .off, progress.total > 0 else { return }
    if mode == .lines && drawn == false && lastShown < 0 { lastShown = 0 }
    let interval = mode == .bar ? 0.1 : 5
    // Lines: none for a run shorter than the interval (the summary says it all), then one per interval and the last.
    if mode == .lines && !drawn && progress.elapsed < interval { return }
    guard progress.done == progress.total || progress.elapsed - lastShown >= interval else { return }
    lastShown = progress.elapsed
    let rate = progress.elapsed > 0 ? Double(progress.done) / progress.elapsed : 0
    let left = rate > 0 ? Double(progress.total - progress.done) / rate : 0
    let megabytes = Double(progress.bytes) / 1_000_000
    let figures =
      "\(progress.done)/\(progress.total) files  "
      + "\(rate < 10 ? String(format: "%.1f", rate) : String(Int(rate))) files/s  "
      + "\(String(format: "%.1f", megabytes)) MB  "
      + (progress.done < progress.total ? "ETA \(Self.duration(left))" : "\(Self.duration(progress.elapsed))")
    switch mode {
    case .bar:
      let width = 24
      let filled = progress.total > 0 ? width * progress.done / progress.total : 0
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(figures)".utf8))
      drawn = true
    case .lines:
      let percent = 100 * progress.done / progress.total
      FileHandle.standardError.write(Data("ingest: \(percent)% \(figures)\n".utf8))
      drawn = true
    case .off:
      break
    }
  }

  /// Clears the bar.
  func finish() {
    if drawn && mode == .bar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  static func duration(_ seconds: Double) -> String {
    seconds < 60
      ? String(format: "%.0fs", seconds.rounded(.up))
      : "\(Int(seconds) / 60)m\(String(format: "%02d", Int(seconds) % 60))s"
  }
}
