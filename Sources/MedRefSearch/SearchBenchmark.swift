import Foundation
import MedRefIndex

/// Query latency of a `Searcher`, measured in-process: every request once to warm caches (the index's pages, the
/// vocabulary and title index), then `runs` more times each; the figures are over all timed runs. Each run of the
/// searches is followed by a run of the baseline queries of the same texts, so both see the same machine state.
public struct SearchBenchmark: Sendable {
  /// Latency figures in milliseconds.
  public struct Figures: Sendable, Codable, Equatable {
    public var queries: Int
    public var runs: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double
    public var mean: Double
    /// Queries per second on one thread.
    public var queriesPerSecond: Double
    /// The baseline, timed in the same run: plain FTS5 (`ORDER BY rank`, bm25 unweighted) over the same index,
    /// every word of the query quoted and joined with OR, top 10 section ids, nothing else.
    public var baselineP50: Double
    public var baselineP99: Double
  }

  public let searcher: Searcher

  public init(searcher: Searcher) {
    self.searcher = searcher
  }

  /// Runs every request `runs` times after a warm-up pass. Requests that fail (unusable queries) are left out.
  public func measure(_ requests: [SearchRequest], runs: Int) -> Figures {
    let usable = requests.filter { (try? searcher.search($0)) != nil }
    let baselineExpressions = usable.map { request in
      FTS5Expression.any(Query.words(ArraySlice(request.text.utf8)).map(FTS5Expression.word))
    }
    var latencies: [Double] = []
    var baseline: [Double] = []
    latencies.reserveCapacity(usable.count * runs)
    for _ in 0..<runs {
      for request in usable {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try? searcher.search(request)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
      }
      for expression in baselineExpressions {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try? searcher.store.read { try $0.rankedByFTS5(expression, limit: 10) }
        baseline.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
      }
    }
    latencies.sort()
    baseline.sort()
    func percentile(_ values: [Double], _ p: Double) -> Double {
      guard !values.isEmpty else { return 0 }
      return values[min(values.count - 1, Int((p * Double(values.count)).rounded(.up)) - 1)]
    }
    let total = latencies.reduce(0, +)
    return Figures(
      queries: usable.count, runs: runs, p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9),
      p99: percentile(latencies, 0.99), max: latencies.last ?? 0,
      mean: latencies.isEmpty ? 0 : total / Double(latencies.count),
      queriesPerSecond: total > 0 ? Double(latencies.count) / (total / 1000) : 0,
      baselineP50: percentile(baseline, 0.5), baselineP99: percentile(baseline, 0.99))
  }
}
