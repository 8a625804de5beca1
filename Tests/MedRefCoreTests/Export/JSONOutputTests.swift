import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefIndex
@testable import MedRefPresentation
@testable import MedRefSearch
@testable import MedRefText
@testable import MedRefWeb

/// Every JSON MedRef prints goes through `JSONOutput` and `CompactJSON`; these pin its bytes to what `JSONEncoder`
/// wrote before (`EncoderReference`), for each kind of output.
@Suite("JSONOutput: one writer for every JSON output")
struct JSONOutputTests {
  static func records() throws -> [ExtractRecord] {
    let pipeline = Pipeline()
    var records = [
      ExtractRecord(
        try pipeline.process(
          bytes: Fixture.bytes("back-spasms.txt"), file: SourceFile(path: "Corpus/back-spasms.txt", format: .plainText),
          id: "Corpus/back-spasms"))
    ]
    for name in ["asthma", "hfmd-fragment"] {
      let article = try pipeline.process(
        bytes: Fixture.bytes("html/\(name).html"), file: SourceFile(path: "\(name).html", format: .html), id: name)
      records.append(ExtractRecord(article))
    }
    return records
  }

  @Test("--format json: real extract objects laid out as JSONEncoder's .prettyPrinted laid them out")
  func pretty() throws {
    let records = try Self.records()
    #expect(records.contains { $0.repairs.isEmpty } && records.contains { !$0.repairs.isEmpty })
    #expect(JSONOutput.pretty(records) == EncoderReference.pretty(records))
    #expect(JSONOutput.pretty([records[0]]) == EncoderReference.pretty([records[0]]))
    #expect(JSONOutput.pretty([ExtractRecord]()) == "[\n\n]")
    #expect(JSONOutput.pretty([ExtractRecord]()) == EncoderReference.pretty([ExtractRecord]()))
  }

  @Test("Laying out leaves strings alone: braces, brackets, commas, colons, quotes and backslashes in text")
  func prettyStrings() {
    let strings = ["{[,:]}", "a \"quoted\" word", "back\\slash\\", "\\\"", "", "tab\tline\nend", "é — 痛風 /"]
    #expect(JSONOutput.pretty(strings) == EncoderReference.pretty(strings))
    #expect(JSONOutput.line(strings) == EncoderReference.line(strings))
    let nested = [[String](), ["a"], [], ["}", "]"]]
    #expect(JSONOutput.pretty(nested) == EncoderReference.pretty(nested))
  }

  @Test("A value JSON cannot hold (a non-finite number) gives null for the whole value, as JSONEncoder's failure did")
  func nonFinite() {
    for number in [Double.nan, .infinity, -.infinity] {
      #expect(JSONOutput.line([1.5, number]) == "null")
      #expect(EncoderReference.line([1.5, number]) == "null")
      #expect(JSONOutput.pretty([number]) == EncoderReference.pretty([number]))
    }
  }

  @Test("Ingest reports, statistics, changed sources, the check report and the benchmarks' figures")
  func reports() throws {
    let folder = try TemporaryFolder()
    try folder.write("corpus/back-spasms.txt", try Fixture.bytes("back-spasms.txt"))
    try folder.write("corpus/asthma.html", try Fixture.bytes("html/asthma.html"))
    try folder.write("corpus/typhoid.txt", try Fixture.bytes("text/typhoid.txt"))
    try folder.write("corpus/empty.txt", "")
    try folder.write("corpus/notes.md", "not an article")
    let store = try IndexStore(path: folder.path + "/Index/medref.sqlite", create: true)
    let report = try Ingestor(store: store).ingest([folder.path + "/corpus"])
    #expect(report.added.count == 3 && report.failed.count == 1 && report.skipped.count == 1)
    #expect(JSONOutput.line(report) == EncoderReference.line(report))
    let statistics = try store.statistics()
    #expect(JSONOutput.line(statistics) == EncoderReference.line(statistics))

    try folder.write("corpus/asthma.html", "<html><body><h1>Asthma</h1><p>Changed.</p></body></html>")
    try FileManager.default.removeItem(atPath: folder.path + "/corpus/typhoid.txt")
    let changed = try store.changedSources()
    #expect(changed.map(\.state) == [.changed, .missing])
    #expect(JSONOutput.line(changed) == EncoderReference.line(changed))
    let check = IndexCheckReport(index: store.path, problems: ["a \"problem\""], changed: changed)
    #expect(
      JSONOutput.line(check)
        == "{\"changed\":\(EncoderReference.line(changed)),\"index\":\(EncoderReference.line(store.path)),"
        + "\"ok\":false,\"problems\":[\"a \\\"problem\\\"\"]}")
    #expect(JSONOutput.line(IndexCheckReport(index: "/i/x.sqlite", problems: [], changed: [])).contains("\"ok\":true"))

    let run = IngestBenchmark.Run(
      timings: report.timings, files: 3, rawInsert: 0.125, rerun: 1e-05, sectionBytes: 1 << 40)
    #expect(JSONOutput.line(run) == EncoderReference.line(run))
    let figures = SearchBenchmark.Figures(
      queries: 2, runs: 5, p50: 0.1234, p90: 1, p99: 2.5, max: 30, mean: 0.30000000000000004,
      queriesPerSecond: 8103.7, baselineP50: 0.05, baselineP99: 123456789.25)
    #expect(JSONOutput.line(figures) == EncoderReference.line(figures))
  }

  @Test("normalize --explain's lines")
  func explanations() {
    var explanations: [LineNormalizer.LineExplanation] = []
    _ = LineNormalizer().normalize(
      Array("Howeverâ€¦ it arenât\nclean line\nMÃ¼ller &amp;rsquo;x \"q\" \\\n".utf8),
      changed: { explanations.append($0) })
    #expect(explanations.map(\.line) == [1, 3])
    for explanation in explanations {
      #expect(JSONOutput.line(explanation) == EncoderReference.line(explanation))
    }
  }

  /// The batch line `medref search --queries` printed before: the response's Codable keys with `qid` among them.
  struct ReferenceResult: Encodable {
    var qid: String
    var response: SearchResponse

    func encode(to encoder: any Encoder) throws {
      try response.encode(to: encoder)
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(qid, forKey: .qid)
    }

    enum Key: String, CodingKey { case qid }
  }

  @Test("Batch search: each result is the response's own JSON with its qid; a failed line gets an error record")
  func batch() throws {
    let web = try WebFixture()
    let file = try web.folder.write(
      "queries.jsonl",
      """
      {"qid": "q1", "query": "numbness"}
      {"qid": 2, "query": "pins and needles"}

      not json
      {"query": "numbnes"}
      {"qid": "q5", "query": "()"}
      {"qid": "q6"}
      """)
    let entries = try QueryFile.read(file)
    #expect(entries.map(\.qid) == ["q1", "2", "line:4", "line:5", "q5", "q6"])
    var outcomes: [SearchBatch.Outcome] = []
    let batch = SearchBatch(searcher: web.app.searcher, request: SearchRequest(text: "", limit: 5, facets: true))
    let failures = try batch.run(entries) { outcomes.append($0) }
    #expect(failures == 3)
    #expect(outcomes.map(\.entry) == entries)
    for (outcome, query) in zip(outcomes, ["numbness", "pins and needles"]) + [(outcomes[3], "numbnes")] {
      let response = try web.app.searcher.search(SearchRequest(text: query, limit: 5, facets: true)).bracketed()
      #expect(outcome.problem == nil)
      #expect(outcome.jsonLine == EncoderReference.line(ReferenceResult(qid: outcome.entry.qid, response: response)))
    }
    #expect(outcomes[2].problem == "not a JSON object (expected {\"qid\": …, \"query\": \"…\"})")
    #expect(
      outcomes[2].jsonLine
        == #"{"error":"not a JSON object (expected {\"qid\": …, \"query\": \"…\"})","line":4,"qid":"line:4"}"#)
    #expect(outcomes[4].problem?.hasPrefix("query '()': ") == true)
    #expect(
      outcomes[4].jsonLine.hasPrefix(#"{"error":""#)
        && outcomes[4].jsonLine.hasSuffix(#","line":6,"qid":"q5","query":"()"}"#))
    #expect(outcomes[5].jsonLine == #"{"error":"no \"query\" string","line":7,"qid":"q6"}"#)
  }

  @Test("The web's error bodies and health report")
  func web() throws {
    let web = try WebFixture()
    #expect(web.get("/api/search").text == "{\"error\":\"q: missing (give a query: ?q=numbness)\",\"status\":400}\n")
    #expect(web.get("/healthz").text == "{\"documents\":2,\"status\":\"ok\"}\n")
  }
}
