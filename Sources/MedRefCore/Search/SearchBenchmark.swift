import Foundation

/// Query latency of a `Searcher`, measured in-process: every request once to warm caches (the index's pages, the
/// vocabulary and title index), then `runs` more times each; the figures are over all timed runs.
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
  }

  public let searcher: Searcher

  public init(searcher: Searcher) {
    self.searcher = searcher
  }

  /// Runs every request `runs` times after a warm-up pass. Requests that fail (unusable queries) are left out.
  public func measure(_ requests: [SearchRequest], runs: Int) -> Figures {
    let usable = requests.filter { (try? searcher.search($0)) != nil }
    var latencies: [Double] = []
    latencies.reserveCapacity(usable.count * runs)
    for _ in 0..<runs {
      for request in usable {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try? searcher.search(request)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
      }
    }
    latencies.sort()
    func percentile(_ p: Double) -> Double {
      guard !latencies.isEmpty else { return 0 }
      return latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
    }
    let total = latencies.reduce(0, +)
    return Figures(
      queries: usable.count, runs: runs, p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99),
      max: latencies.last ?? 0, mean: latencies.isEmpty ? 0 : total / Double(latencies.count),
      queriesPerSecond: total > 0 ? Double(latencies.count) / (total / 1000) : 0)
  }
}
