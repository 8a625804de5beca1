import ArgumentParser
import Foundation
import MedRefBase
import MedRefCommandLine
import MedRefExtraction
import MedRefIndex
import MedRefPresentation
import MedRefSearch

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure MedRef's speed (figures for BENCHMARKS.md).",
    subcommands: [IngestBench.self, SearchBench.self])
}

struct SearchBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Query latency in-process: every query once to warm up, then --runs times; percentiles in ms.",
    discussion: """
      Reads one or more JSON Lines query files (the batch format of 'medref search --queries': {"qid", "query"} \
      per line, "question" accepted for "query") and runs each query against the index in this process, as a \
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
    if runs < 1 || runs > 1000 { throw ValidationError("--runs must be from 1 to 1000.") }
  }

  func run() throws {
    let searcher = Searcher(store: try indexOptions.open())
    var requests: [SearchRequest] = []
    for file in queries {
      for entry in try QueryFile.entries(file) {
        switch entry.content {
        case .query(let text): requests.append(SearchRequest(text: text, kinds: section))
        case .malformed(let reason): Terminal.error("\(file):\(entry.line): \(reason)")
        }
      }
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
      p99 \(ms(figures.baselineP99)); medref / baseline p50 \
      \(String(format: "%.2f", figures.p50 / max(figures.baselineP50, 0.000_001)))
      """)
  }
}

struct IngestBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Ingestion speed against the raw FTS5 insert of the same section texts, in the same run.",
    discussion: """
      Each run ingests the paths into a fresh index in a temporary folder, then inserts the section texts it stored \
      (title, heading, terms, text, kind) into a bare FTS5 table with the same tokenizer in one transaction — the \
      floor any ingest of that text has — then ingests again with nothing changed. Prints medians over the runs:
      files/s, MB/s, the time by stage (reading and processing are summed over the worker threads) and the ratios. \
      With --queries, also the query latency over the last run's index (as 'medref bench search').

      Example (the figures of BENCHMARKS.md):
        medref bench ingest ../shared/eval/medquad/articles_html --runs 3
      """)

  @Argument(help: ArgumentHelp("Files and folders to ingest.", valueName: "path"))
  var paths: [String]

  @Option(help: "How many runs.")
  var runs = 3

  @Flag(help: "Print the figures of every run as JSON lines.")
  var json = false

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one file or folder.") }
    if runs < 1 || runs > 1000 { throw ValidationError("--runs must be from 1 to 1000.") }
  }

  func run() throws {
    let benchmark = IngestBenchmark(paths: paths)
    var results: [IngestBenchmark.Run] = []
    for number in 1...runs {
      let result = try benchmark.run()
      results.append(result)
      if json {
        print(JSONOutput.line(result))
      } else {
        Terminal.note(
          String(
            format: "run %d: ingest %.3f s, raw FTS5 insert %.3f s, re-run %.3f s", number, result.timings.total,
            result.rawInsert, result.rerun))
      }
    }
    guard !json else { return }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let total = median(results.map(\.timings.total))
    let raw = median(results.map(\.rawInsert))
    let rerun = median(results.map(\.rerun))
    let first = results[0]
    let megabytes = Double(first.timings.bytes) / 1_000_000
    print(
      """
      \(first.files) files, \(String(format: "%.1f", megabytes)) MB read, \
      \(String(format: "%.1f", Double(first.sectionBytes) / 1_000_000)) MB of section text; medians of \(runs) runs
      ingest          \(String(format: "%7.3f", total)) s  \(String(format: "%7.1f", Double(first.files) / total)) \
      files/s  \(String(format: "%6.2f", megabytes / total)) MB/s
        planning      \(String(format: "%7.3f", median(results.map(\.timings.planning)))) s
        reading       \(String(format: "%7.3f", median(results.map(\.timings.reading)))) s (summed over workers)
        processing    \(String(format: "%7.3f", median(results.map(\.timings.processing)))) s (summed over workers)
        writing       \(String(format: "%7.3f", median(results.map(\.timings.writing)))) s
        finishing     \(String(format: "%7.3f", median(results.map(\.timings.finishing)))) s (vocabulary, optimize)
        checkpoint    \(String(format: "%7.3f", median(results.map(\.timings.checkpoint)))) s (the log into the \
      database file)
      raw FTS5 insert \(String(format: "%7.3f", raw)) s  (the same section texts, one transaction)
      ingest / raw insert: \(String(format: "%.2f", total / raw))x
      re-run, nothing changed \(String(format: "%.3f", rerun)) s = \(String(format: "%.1f", 100 * rerun / total)) % of \
      the first
      """)
  }
}
