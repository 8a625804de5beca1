import ArgumentParser
import Foundation
import MedRefBase
import MedRefCommandLine
import MedRefExtraction
import MedRefIndex
import MedRefPresentation
import MedRefText

struct Extract: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Run the pipeline on files without an index and print one extract object per file.",
    discussion: """
      Prints the same JSON object as 'export' (id, path, title, metadata, encoding, repairs, text, blocks with \
      their type and source line, sections with kind, items...). With --format jsonl (the default) each object is \
      one line; a file that fails gets a line {"path": ..., "error": ...} and a message on stderr, and the exit \
      status is 1. A web archive (.warc, .warc.gz) gives one object per HTML or text page it holds, its path \
      ARCHIVE#URI, its id from the URI and metadata.url and metadata.crawled from the record; a malformed record \
      gets an error line naming the archive and offset, and a line on stderr counts what the archive held and \
      what was skipped, by reason. With MEDREF_DEBUG_EXTRACT=1, each article's notes (guessed repairs, lines left out as \
      boilerplate) go to stderr.

      Examples:
        medref extract Corpus/back-spasms.txt --format json
        medref extract page1.html page2.html > extracts.jsonl
        medref extract crawl.warc.gz > extracts.jsonl
      """)

  @Argument(help: ArgumentHelp("Files, folders or web archives (.warc, .warc.gz) to extract.", valueName: "file"))
  var files: [String] = []

  @Option(help: "jsonl: one object per line; json: an indented array.")
  var format: ExtractFormat = .jsonl

  @Flag(
    inversion: .prefixedNo,
    help: """
      Find each section's entities: symptoms (with HPO ids), tests, medications, procedures and red flags \
      (--no-entities leaves the 'entities' arrays empty).
      """)
  var entities = true

  func run() throws {
    // Checked here, not in validate(), which runs before an unknown option is reported: `extract --bogus` names it.
    if files.isEmpty { throw ValidationError("Give at least one file.") }
    var records: [ExtractRecord] = []
    let summary = try Extractor(findEntities: entities, format: format).extract(files) { outcome in
      switch outcome {
      case .extracted(let extracted):
        for note in extracted.notes { Terminal.note(note.description) }
        if let line = extracted.jsonLine { print(line) } else { records.append(extracted.record) }
      case .failed(let failure):
        Terminal.error(failure.message)
        if let line = failure.jsonLine { print(line) }
      case .archive(let path, let archive):
        for note in archive.notes { Terminal.note(note.description) }
        Terminal.note(archive.line(path: path))
      }
    }
    if format == .json { print(JSONOutput.pretty(records)) }
    if summary.failed > 0 { throw ExitCode(1) }
  }
}

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write extract objects for indexed articles (all of them unless ids are given).",
    discussion: """
      An id may be given in full (Corpus/back-spasms) or by its last part (back-spasms) when that is unique.

      Examples:
        medref export --out extracts.jsonl
        medref export back-spasms --format json
      """)

  @Argument(help: ArgumentHelp("Document ids to export.", valueName: "id"))
  var ids: [String] = []

  @Option(help: "jsonl: one object per line; json: an indented array.")
  var format: ExtractFormat = .jsonl

  @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
  var out: String?

  @OptionGroup var indexOptions: IndexOptions

  func run() throws {
    let store = try indexOptions.open()
    let chosen = ids.isEmpty ? try store.allIDs() : try ids.map(store.resolveID)
    let records = try chosen.map { ExtractRecord(try store.article(id: $0)) }
    let text =
      format == .jsonl ? records.map { JSONOutput.line($0) + "\n" }.joined() : JSONOutput.pretty(records) + "\n"
    if let out {
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
      } catch {
        throw MedRefError.unreadable(path: out, reason: "cannot write: \(error.localizedDescription)")
      }
      Terminal.note("Wrote \(records.count) articles to \(out).")
    } else {
      print(text, terminator: "")
    }
  }
}

struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print one indexed article readably: red flags, sections by kind with items and entities.",
    discussion: """
      Shows where the article came from and how it was decoded and repaired, its red flags (symptoms that need \
      urgent care), its sections grouped by kind (symptoms, causes, tests, treatment...) with how each was \
      classified, their list items (or the start of their text) and entities, then every entity of the article by \
      type: symptoms with their HPO names and ids, tests, medications, procedures. Emphasis and colour only on a \
      terminal, and not with NO_COLOR set. A very large article is read only as far as the report shows it (each \
      section's first 100,000 characters, 1,000 items and 2,000 entities); a last line says when something was \
      left out. With --json, prints the extract object read within the same limits (a note on stderr says when it \
      was cut); 'medref export ID' gives the whole article.

      Examples:
        medref show back-spasms
        medref show Corpus/back-spasms --order reading
        medref show back-spasms --json
      """)

  @Argument(help: ArgumentHelp("The document id, or its last part when unique.", valueName: "id"))
  var id: String?

  @Option(help: "kind: sections grouped by kind; reading: in the article's order, sub-sections indented.")
  var order: ArticleReport.Order = .kind

  @Option(parsing: .unconditional, help: ArgumentHelp("Wrap lines at this many characters.", valueName: "n"))
  var width = 100

  @Flag(help: "Print the article's extract object (read within the report's limits) as one JSON line.")
  var json = false

  @OptionGroup var indexOptions: IndexOptions

  func validate() throws {
    if width < 40 || width > 10_000 { throw ValidationError("--width must be from 40 to 10000.") }
  }

  func run() throws {
    // Checked here, not in validate(), which runs before an unknown option is reported: `show --bogus` names it.
    guard let id else { throw ValidationError("Give the id of the document to show (see 'medref search').") }
    let store = try indexOptions.open()
    // A bounded read: the report shows a preview of each section, so a 15 MB article is not read whole.
    let (article, cut) = try store.article(id: try store.resolveID(id), limits: .page)
    if json {
      print(ExtractRecord(article).jsonLine)
      if cut {
        Terminal.error("\(article.id): note: cut to the report's limits; 'medref export \(article.id)' gives it whole")
      }
      return
    }
    let report = ArticleReport(style: Terminal.useColor ? .ansi : .plain, order: order, width: width)
    // Written line by line as the report is made (standard output's buffer sends it on), not gathered first.
    report.render(article) { line in print(line) }
    if cut {
      Terminal.write(
        "\n(a large article: sections were cut to their first 100,000 characters, 1,000 items and 2,000 entities; "
          + "'medref export \(article.id)' gives it whole)\n")
    }
  }
}

extension ArticleReport.Order: ExpressibleByArgument {}

struct Stats: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Print figures about the index: articles, sections per kind, repairs, size.",
    discussion: """
      Examples:
        medref stats
        medref stats --json --index /tmp/test.sqlite
      """)

  @Flag(help: "Print the figures as JSON.")
  var json = false

  @OptionGroup var indexOptions: IndexOptions

  func run() throws {
    let figures = try indexOptions.open().statistics()
    if json {
      print(JSONOutput.line(figures))
      return
    }
    print(StatisticsReport.render(figures), terminator: "")
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check the index's integrity, and list articles whose source files changed since they were ingested.",
    discussion: """
      Runs SQLite's integrity check, FTS5's check of the full-text index against every section, a parse of every \
      JSON column, counts of sections against documents and full-text rows, and whether the search statistics are \
      current. Prints '<index>: ok' when sound; otherwise one line per problem on stderr. Then lists, on stdout, the \
      articles whose source file changed (other bytes), is missing or is unreadable — 'medref ingest' (with \
      --prune for missing ones) brings them up to date. The exit status is 1 when anything is wrong or stale (a \
      problem or a changed source), 0 otherwise.

      Examples:
        medref check --index Index/medref.sqlite
        medref check --json     # {"index", "ok", "problems": [...], "changed": [{"id", "path", "state"}]}
      """)

  @OptionGroup var indexOptions: IndexOptions

  @Flag(help: "Print the result as one JSON object on stdout.")
  var json = false

  func run() throws {
    let store = try indexOptions.open()
    let problems = try store.integrityProblems()
    let changed = try store.changedSources()
    if json {
      print(JSONOutput.line(IndexCheckReport(index: store.path, problems: problems, changed: changed)))
    } else {
      for problem in problems { Terminal.error("\(store.path): \(problem)") }
      if problems.isEmpty { print("\(store.path): ok") }
      if try store.searchStatisticsStale() {
        Terminal.note(
          "\(store.path): note: the search statistics are stale (an ingest was stopped); the next ingest recounts them")
      }
      if !changed.isEmpty {
        print("\(changed.count) articles differ from their source files (run 'medref ingest' to update them):")
        for source in changed {
          print("  \(source.state): \(source.path.escapingControlCharacters) (\(source.id.escapingControlCharacters))")
        }
      }
    }
    if !problems.isEmpty || !changed.isEmpty { throw ExitCode(1) }
  }
}

struct Normalize: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normalize",
    abstract: "Repair encoding damage in text from standard input, line by line, to standard output.",
    discussion: """
      Lines are split on \\n only and their count is kept. With --explain, prints instead one JSON object per \
      changed line: {"line", "original", "fixed", "repairs": [{"from", "to", "rule", "exact", "offset"}]}, where \
      exact is false for repairs guessed from context. Curly quotes are kept unless --uncurl is given; Latin \
      ligatures (ﬁ) are always expanded.

      Examples:
        echo 'Howeverâ¦ it arenât' | medref normalize
        medref normalize --explain < scraped.txt
      """)

  @Flag(help: "Explain each changed line as JSON instead of printing the text.")
  var explain = false

  @Flag(help: "Also turn curly quotes into straight ones (kept by default).")
  var uncurl = false

  func run() throws {
    TextRepairer.loadTablesInBackground()
    let input = StreamIO.Input()
    let normalizer = LineNormalizer(repairer: TextRepairer(uncurlQuotes: uncurl))
    if explain {
      input.withUnsafeBufferPointer {
        normalizer.normalize($0, into: { _ in }, changed: { print(JSONOutput.line($0)) })
      }
    } else {
      let writer = StreamIO.GatheringWriter()
      input.withUnsafeBufferPointer { normalizer.normalize($0, to: writer) }
      if !writer.succeeded { throw MedRefError.unreadable(path: "standard output", reason: "write failed") }
    }
  }
}

struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Print the JSON Schema of the extract object (what extract and export write).",
    discussion: """
      The schema (draft 2020-12) describes one extract object; --format json writes an array of them.

      Example:
        medref schema > extract.schema.json
      """)

  func run() throws {
    print(ExtractSchema.text, terminator: ExtractSchema.text.hasSuffix("\n") ? "" : "\n")
  }
}
