import MedRefBase
import MedRefSearch

/// Batch search (`medref search --queries FILE`): the queries of a query file searched in order, each line's
/// outcome one JSON line — the search response (highlights in brackets, as `--json` gives them) with its `"qid"`,
/// or an error record in its place.
public struct SearchBatch: Sendable {
  /// The outcome of one line of the query file.
  public struct Outcome: Sendable, Equatable {
    public var entry: QueryFile.Entry
    /// What to print: the result object with `"qid"` added, or `{"error", "line", "qid", "query"}` (`query` when the
    /// line had one).
    public var jsonLine: String
    /// Why the line gave no result (it is not a query object, or its query cannot be searched); nil for a result.
    public var problem: String?
  }

  public let searcher: Searcher
  /// The request every query is searched with, its `text` replaced by the query.
  public var request: SearchRequest

  public init(searcher: Searcher, request: SearchRequest) {
    self.searcher = searcher
    self.request = request
  }

  /// Searches every entry in order and hands each outcome to `deliver` as it is ready.
  /// - Returns: How many lines gave no result.
  /// - Throws: What `deliver` throws, and errors of the index other than `MedRefError` (which a line reports).
  public func run(_ entries: [QueryFile.Entry], deliver: (Outcome) throws -> Void) throws -> Int {
    var failures = 0
    for entry in entries {
      let outcome: Outcome
      switch entry.content {
      case .query(let text):
        var request = request
        request.text = text
        do {
          let response = try searcher.search(request).bracketed()
          outcome = Outcome(entry: entry, jsonLine: JSONOutput.line(BatchResult(qid: entry.qid, response: response)))
        } catch let error as MedRefError {
          let record = BatchError(entry: entry, query: text, error: error.reason)
          outcome = Outcome(entry: entry, jsonLine: JSONOutput.line(record), problem: error.description)
        }
      case .malformed(let reason):
        let record = BatchError(entry: entry, query: nil, error: reason)
        outcome = Outcome(entry: entry, jsonLine: JSONOutput.line(record), problem: reason)
      }
      if outcome.problem != nil { failures += 1 }
      try deliver(outcome)
    }
    return failures
  }

  /// A line's result: the response's object with `"qid"` among its keys, written by the response's own writer.
  struct BatchResult: JSONLineWritable {
    var qid: String
    var response: SearchResponse

    func write(into json: inout CompactJSON) { response.write(into: &json, qid: qid) }

    var estimatedJSONSize: Int { response.estimatedJSONSize }
  }

  /// A line that gave no result: its `qid`, its `line` in the file, the query (when the line had one) and why.
  struct BatchError: JSONLineWritable {
    var entry: QueryFile.Entry
    var query: String?
    var error: String

    func write(into json: inout CompactJSON) {
      json.raw("{")
      json.field("error", error)
      json.field("line", entry.line)
      json.field("qid", entry.qid)
      if let query {
        json.field("query", query)
      }
      json.raw("}")
    }
  }
}
