import ArgumentParser
import Foundation
import MedRefCore

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure MedRef's speed (figures for BENCHMARKS.md).",
    subcommands: [SearchBench.self])
}

struct SearchBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Query latency in-process: every query once to warm up, then --runs times; percentiles in ms.",
    discussion: """
      Reads one or more JSON Lines query files (the batch format of 'medref search --queries': {"qid", "query"}
      per line, "question" accepted for "query") and runs each query against the index in this process, as a
      server would, without starting a process or printing per query.

      Example (the figures of BENCHMARKS.md):
        medref bench search --index /tmp/medref-medquad.sqlite --runs 5 \\
          --queries ../shared/eval/medquad/symptom_queries.jsonl --queries ../shared/eval/medquad/liveqa_queries.jsonl
      """)

  @Option(help: ArgumentHelp("A JSON Lines query file (repeatable).", valueName: "file"))
  var queries: [String] = []

  @Option(name: .long, help: ArgumentHelp("Only sections of this kind (repeatable).", valueName: "kind"))
  var section: [SectionKind] = []

  @Option(help: "How many timed runs of every query.")
  var runs = 5

  @Flag(help: "Print the figures as JSON.")
  var json = false

  @OptionGroup var indexOptions: IndexOptions

  func validate() throws {
    if queries.isEmpty { throw ValidationError("Give at least one --queries FILE.") }
    if runs < 1 { throw ValidationError("--runs must be at least 1.") }
  }

  func run() throws {
    let searcher = Searcher(store: try indexOptions.open())
    var requests: [SearchRequest] = []
    for file in queries {
      let (batch, problems) = try QueryFile.read(file)
      for problem in problems { Terminal.error(problem) }
      requests += batch.map { SearchRequest(text: $0.text, kinds: section) }
    }
    let figures = SearchBenchmark(searcher: searcher).measure(requests, runs: runs)
    if json {
      print(JSONOutput.line(figures))
      return
    }
    func ms(_ value: Double) -> String { String(format: "%.3f ms", value) }
    print(
      """
      \(figures.queries) queries × \(figures.runs) runs on \(searcher.store.path)
      p50 \(ms(figures.p50))  p90 \(ms(figures.p90))  p99 \(ms(figures.p99))  max \(ms(figures.max))  \
      mean \(ms(figures.mean))  (\(Int(figures.queriesPerSecond)) queries/s on one thread)
      baseline (plain FTS5 bm25, words OR'd, top 10 sections): p50 \(ms(figures.baselineP50))  \
      p99 \(ms(figures.baselineP99)); medref / baseline p50 \(String(format: "%.2f", figures.p50 / max(figures.baselineP50, 0.000_001)))
      """)
  }
}
