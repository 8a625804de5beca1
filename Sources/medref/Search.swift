import ArgumentParser
import Foundation
import MedRefCore

struct Search: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search the index; results are articles, best first, with their best matching sections.",
    discussion: """
      Query language: words (stemmed: 'spasm' finds 'spasms'; an apostrophe may be left out: dont = don't);
      "quoted words" that must stand together; word* for any word starting with 'word'; -word to leave out
      sections with it; kind:word to search only sections of that kind (symptoms:numbness, tests:mri; also
      diagnosis:, treatments:, prognosis:...). Any other punctuation is ignored, so no input can break the query.
      Stop words (what, is, the, can...) are dropped from questions.

      How results are found: first the whole query as a phrase, then every term, and when that finds fewer than
      five articles, the query's rarer terms with any of them. A term also matches other names of the same
      symptom, test or drug ('pins and needles' finds 'tingling', Tylenol finds acetaminophen, MRI finds magnetic
      resonance imaging), and a misspelt word also the index word it most likely meant ("Did you mean").
      Ranking: bm25 over the article title, the section heading, the section's items and entity names, and its
      text (weighted in that order); sections of the kind the query asks about ('what tests diagnose...',
      'treatment for...') rank higher, and so do articles whose whole title the query names.

      Section kinds: \(SectionKind.allCases.map(\.rawValue).joined(separator: ", ")).

      Batch mode reads one {"qid": ..., "query": ...} object per line of a JSON Lines file ("question" or "text"
      may stand for "query") and prints one result object per line, in the same order, with "qid" added.

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

  @Option(help: "How many articles to show.")
  var limit = 10

  @Option(help: "How many articles to skip (for paging).")
  var offset = 0

  @Flag(help: "Print results as JSON.")
  var json = false

  @Flag(help: "Also count the matching articles per section kind (JSON: \"facets\").")
  var facets = false

  @Option(help: ArgumentHelp("Run every query of a JSON Lines file (batch mode).", valueName: "file"))
  var queries: String?

  @OptionGroup var indexOptions: IndexOptions

  func validate() throws {
    if query == nil && queries == nil { throw ValidationError("Give a query, or --queries FILE.") }
    if query != nil && queries != nil { throw ValidationError("Give a query or --queries FILE, not both.") }
    if limit < 1 { throw ValidationError("--limit must be at least 1.") }
    if offset < 0 { throw ValidationError("--offset must not be negative.") }
  }

  func run() throws {
    let searcher = Searcher(store: try indexOptions.open())
    if let queries {
      try runBatch(searcher, file: queries)
      return
    }
    let response = try searcher.search(request(query ?? ""))
    if json {
      print(response.bracketed().jsonLine)
    } else {
      print(SearchOutput.text(response, offset: offset), terminator: "")
    }
  }

  func request(_ text: String) -> SearchRequest {
    SearchRequest(text: text, kinds: section, limit: limit, offset: offset, facets: facets)
  }

  func runBatch(_ searcher: Searcher, file: String) throws {
    let (batch, problems) = try QueryFile.read(file)
    var failures = problems.count
    for problem in problems { Terminal.error(problem) }
    for (qid, text) in batch {
      do {
        let response = try searcher.search(request(text))
        print(JSONOutput.line(BatchResult(qid: qid, response: response.bracketed())))
      } catch let error as MedRefError {
        Terminal.error(error.description)
        print(JSONOutput.line(BatchError(qid: qid, query: text, error: error.reason)))
        failures += 1
      }
    }
    if failures > 0 { throw ExitCode(1) }
  }
}

/// One batch result: the search result object with `qid` added.
struct BatchResult: Encodable {
  var qid: String
  var response: SearchResponse

  func encode(to encoder: any Encoder) throws {
    try response.encode(to: encoder)
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(qid, forKey: .qid)
  }

  enum Key: String, CodingKey { case qid }
}

struct BatchError: Encodable {
  var qid: String
  var query: String
  var error: String
}

/// How search results are shown.
enum SearchOutput {
  /// Results for reading: highlights in colour on a terminal, in brackets otherwise.
  static func text(_ response: SearchResponse, offset: Int) -> String {
    var out = ""
    if let suggestion = response.suggestions.first {
      out += "Did you mean: \(Terminal.bold(suggestion))? (misspelt words were also searched as suggested)\n"
    }
    guard !response.results.isEmpty else {
      return out + "No results for \(response.query) (searched for: \(response.interpreted)).\n"
    }
    let open = Terminal.useColor ? "\u{1B}[1;33m" : "["
    let close = Terminal.useColor ? "\u{1B}[0m" : "]"
    var someShown = false
    for (number, hit) in response.results.enumerated() {
      if hit.match == "some" && !someShown {
        out += Terminal.dim("— articles with some of the words —") + "\n"
        someShown = true
      }
      out += "\(offset + number + 1). \(Terminal.bold(hit.title))  \(Terminal.dim("\(hit.id)  score \(hit.score)"))\n"
      for section in hit.sections {
        let heading = section.heading.isEmpty ? "(introduction)" : section.heading
        out += "   \(heading) [\(section.kind)]\n"
        let snippet = section.snippet.replacingOccurrences(of: "\n", with: " ")
          .replacingOccurrences(of: Searcher.highlightStart, with: open)
          .replacingOccurrences(of: Searcher.highlightEnd, with: close)
        out += "     \(snippet)\n"
      }
    }
    if let facets = response.facets, !facets.isEmpty {
      let counts = SectionKind.allCases.compactMap { kind in facets[kind.rawValue].map { "\(kind.rawValue) \($0)" } }
      out += Terminal.dim("articles by section kind: " + counts.joined(separator: ", ")) + "\n"
    }
    let shown = offset + response.results.count
    out += Terminal.dim("\(response.results.count) of \(response.total) articles (\(offset + 1)–\(shown)); searched for: \(response.interpreted)") + "\n"
    return out
  }
}

/// A JSON Lines file of queries: one {"qid", "query"} object per line ("question" or "text" may stand for
/// "query"; a missing qid is the line number).
enum QueryFile {
  /// The (qid, query) pairs in order, and one message per line that is not such an object.
  static func read(_ file: String) throws -> (queries: [(qid: String, text: String)], problems: [String]) {
    let bytes: [UInt8]
    do {
      bytes = try SourceReader().read(file)
    } catch let error as MedRefError {
      throw ValidationError(error.description)
    }
    var queries: [(String, String)] = []
    var problems: [String] = []
    for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      // "query" is the contract's field; "question" and "text" are accepted for evaluation sets that use them.
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let text = (object["query"] ?? object["question"] ?? object["text"]) as? String
      else {
        problems.append("\(file):\(number + 1): not a {\"qid\", \"query\"} object")
        continue
      }
      queries.append((object["qid"].map { "\($0)" } ?? String(number + 1), text))
    }
    return (queries, problems)
  }
}
