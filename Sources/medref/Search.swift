import ArgumentParser
import Foundation
import MedRefBase
import MedRefCommandLine
import MedRefExtraction
import MedRefPresentation
import MedRefSearch
import MedRefText

struct Search: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search the index; results are articles, best first, with their best matching sections.",
    discussion: """
      Query language: words (stemmed: 'spasm' finds 'spasms'; an apostrophe may be left out: dont = don't); \
      "quoted words" that must stand together; word* for any word starting with 'word'; -word to leave out \
      sections with it; kind:word to search only sections of that kind (symptoms:numbness, tests:mri; also \
      diagnosis:, treatments:, prognosis:...). Any other punctuation is ignored, so no input can break the query. \
      Stop words (what, is, the, can...) are dropped from questions.

      How results are found: first the whole query as a phrase, then every term, and when that finds fewer than \
      five articles, the query's rarer terms with any of them. A term also matches other names of the same \
      symptom, test or drug ('pins and needles' finds 'tingling', Tylenol finds acetaminophen, MRI finds magnetic \
      resonance imaging), everyday words what they stand for (peeing finds urination, 'throw up' vomiting, \
      'potato nose' a bulbous nose; the words as typed rank first), and a misspelt word also the index word it \
      most likely meant ("Did you mean"). Ranking: bm25 over the article title, the section heading, the \
      section's items and entity names, and its text (weighted in that order); sections of the kind a question \
      asks about rank higher ('what tests diagnose...', 'is it contagious', 'how long does it last'), and so do \
      articles on the condition it names (from their titles: 'how do you catch dengue' and 'Causes of Dengue \
      Fever'). A query naming several symptoms ('itching, hair loss, joint pain') ranks articles by how many of \
      them their symptoms sections name, each symptom once however it is worded; each result lists those it \
      names. 'searched for' shows how the query was read.

      Section kinds: \(SectionKind.allCases.map(\.rawValue).joined(separator: ", ")).

      Batch mode reads one {"qid": ..., "query": ...} object per line of a JSON Lines file ("question" or "text" \
      may stand for "query") and prints one result object per line, in the same order, with "qid" added. A line \
      that is not such an object, or whose query cannot be searched, gets {"qid", "line", "error"} in its place \
      (and a message on stderr); a line without a qid gets "line:N", N its line number. Blank lines are skipped.

      Limits: at most 32 different terms and 4 prefixes (word*) a query, and prefixes that stand for at most \
      2,000 words of the index in 50,000 sections together; a search stops after --time-limit seconds of \
      processor time (exit status 2 with a message). --limit is at most 10000, --offset at most 1000000.

      A query that starts with '-' goes after '--': medref search -- -x.

      Examples:
        medref search numbness --section symptoms
        medref search '"lower back" spasm*' --limit 5 --json
        medref search --queries queries.jsonl --json
      """)

  @Argument(help: ArgumentHelp("What to search for.", valueName: "query"))
  var query: String?

  @Option(name: .long, help: ArgumentHelp("Only sections of this kind (repeatable).", valueName: "kind"))
  var section: [SectionKind] = []

  @Option(parsing: .unconditional, help: ArgumentHelp("How many articles to show (1–10000).", valueName: "n"))
  var limit = NumberOption(10)

  @Option(
    parsing: .unconditional, help: ArgumentHelp("How many articles to skip, for paging (0–1000000).", valueName: "n"))
  var offset = NumberOption(0)

  @Option(
    name: .customLong("time-limit"), parsing: .unconditional,
    help: ArgumentHelp(
      "Stop a search that uses more processor time than this (0 < seconds ≤ 3600).", valueName: "seconds"))
  var timeLimit = NumberOption(2)

  @Flag(help: "Print results as JSON.")
  var json = false

  @Flag(help: "Also count the matching articles per section kind (JSON: \"facets\").")
  var facets = false

  @Option(help: ArgumentHelp("Run every query of a JSON Lines file (batch mode).", valueName: "file"))
  var queries: String?

  @OptionGroup var indexOptions: IndexOptions

  /// The options, checked. (Checked here rather than in `validate()`, which ArgumentParser calls before it reports
  /// an unknown option: `search --bogus` would have said "give a query".)
  struct Checked {
    var limit: Int
    var offset: Int
    var seconds: Double
  }

  func checked() throws -> Checked {
    if query == nil && queries == nil { throw ValidationError("Give a query, or --queries FILE.") }
    if query != nil && queries != nil { throw ValidationError("Give a query or --queries FILE, not both.") }
    let limit = try limit.value(of: "--limit", in: 1...SearchLimits.results)
    let offset = try offset.value(of: "--offset", in: 0...SearchLimits.offset)
    guard let seconds = Double(timeLimit.text), seconds > 0, seconds <= 3600 else {
      throw ValidationError(
        "--time-limit must be a number of seconds above 0 and at most 3600 (got '\(timeLimit.text)').")
    }
    return Checked(limit: limit, offset: offset, seconds: seconds)
  }

  func run() throws {
    let options = try checked()
    let searcher = Searcher(store: try indexOptions.open())
    if let queries {
      try runBatch(searcher, file: queries, options)
      return
    }
    let response = try searcher.search(request(query ?? "", options))
    if json {
      print(response.bracketed().jsonLine)
    } else {
      let report = SearchReport(style: Terminal.useColor ? .ansi : .plain)
      print(report.render(response, offset: options.offset), terminator: "")
    }
  }

  func request(_ text: String, _ options: Checked) -> SearchRequest {
    var limits = SearchLimits()
    limits.seconds = options.seconds
    return SearchRequest(
      text: text, kinds: section, limit: options.limit, offset: options.offset, facets: facets, limits: limits)
  }

  /// One output line per query line, in order: the result object, or an error record in its place.
  func runBatch(_ searcher: Searcher, file: String, _ options: Checked) throws {
    let batch = SearchBatch(searcher: searcher, request: request("", options))
    let failures = try batch.run(try QueryFile.entries(file)) { outcome in
      if let problem = outcome.problem { Terminal.error("\(file):\(outcome.entry.line): \(problem)") }
      print(outcome.jsonLine)
    }
    if failures > 0 { throw ExitCode(1) }
  }
}

extension QueryFile {
  /// The entries of `file`; a file that cannot be read is a usage error (exit status 64).
  static func entries(_ file: String) throws -> [Entry] {
    do {
      return try read(file)
    } catch let error as MedRefError {
      throw ValidationError(error.description)
    }
  }
}

/// A number option, kept as typed (and read even when it starts with `-`) so that the command can say what is wrong
/// with it in one line — a negative value, one too large for any integer, a word — instead of ArgumentParser's
/// "missing value" for `-1` or a crash on an overflow.
struct NumberOption: ExpressibleByArgument, Sendable {
  var text: String

  init(_ value: Int) { text = String(value) }

  init?(argument: String) { text = argument }

  var defaultValueDescription: String { text }

  /// The number, when it is a whole number in `range`.
  /// - Throws: `ValidationError` naming `option`, the range and the value given.
  func value(of option: String, in range: ClosedRange<Int>) throws -> Int {
    if let number = Int(text), range.contains(number) { return number }
    let wanted =
      range.lowerBound == 1
      ? "a positive whole number, at most \(range.upperBound)"
      : "a whole number from \(range.lowerBound) to \(range.upperBound)"
    throw ValidationError("\(option) must be \(wanted) (got '\(text)').")
  }
}
