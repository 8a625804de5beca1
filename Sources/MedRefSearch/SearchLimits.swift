import Foundation
import MedRefBase
import MedRefIndex

/// Bounds on the work one search may cause, so that no query text can make a search run for long: a query reads
/// each term once (`fever fever fever` is `fever`), may hold at most `terms` different terms and `prefixTerms`
/// prefixes (`spasm*`), whose expansions together may cover at most `prefixWords` words of the index and
/// `prefixSections` sections, and the search stops after `seconds`. A query over the first three limits gets
/// `MedRefError.unusableQuery` before anything is searched; one that runs out of time `MedRefError.queryTooCostly`.
public struct SearchLimits: Sendable, Equatable {
  /// Most different terms (words, phrases and prefixes, excluded ones included) after stop words are dropped.
  public var terms = 32
  /// Most different prefix terms (`word*`).
  public var prefixTerms = 4
  /// Most index words the prefixes of a query may stand for together (`a*` stands for every word starting with
  /// "a": FTS5 reads and merges all of their postings).
  public var prefixWords = 2_000
  /// Most sections the words the prefixes stand for may be found in, added up over those words.
  public var prefixSections = 50_000
  /// Processor time one search may use, in seconds (SQLite's progress handler stops a statement that runs past
  /// it). Processor time, not wall time: a search does not fail because the machine is busy with other work.
  public var seconds = 2.0
  /// Most articles one request may ask for (`SearchRequest.limit` is cut to this).
  public static let results = 10_000
  /// Furthest offset into the results (`SearchRequest.offset` is cut to this).
  public static let offset = 1_000_000

  public init() {}
}

/// The clock of one search: the processor time the search has used on the threads that ran it (so that the load of
/// other processes and of the other searches of a server does not count), checked between the search's steps and,
/// through SQLite's progress handler, every `SearchDeadline.interval` virtual-machine instructions while a statement
/// runs, so that a statement running past the limit is interrupted (SQLITE_INTERRUPT). Work that does not depend on
/// the query (loading the word lists and lexicons, reading the index's vocabulary and title words into the
/// searcher's caches) runs `unmetered`: it is not stopped, and its time is not counted.
package final class SearchDeadline {
  /// Instructions between two calls of the progress handler.
  static let interval: Int32 = 4_000

  let seconds: Double
  private let limit: UInt64
  /// Processor time used in the segments that ended.
  private var spent: UInt64 = 0
  /// When the running segment started (this thread's processor time), nil while the clock is stopped.
  private var segmentStart: UInt64?
  /// Whether the limit was found passed (the next SQLITE_INTERRUPT is the deadline's doing).
  private(set) var expired = false

  /// A clock for `seconds`, running on the calling thread.
  init(seconds: Double) {
    self.seconds = seconds
    limit = seconds >= 1e9 ? UInt64.max / 2 : UInt64(max(0, seconds) * 1e9)
    segmentStart = Self.now()
  }

  /// The calling thread's processor time, in nanoseconds.
  static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
  }

  /// Stops the clock (before the search moves to another thread, or for work that is not counted).
  func suspend() {
    guard let start = segmentStart else { return }
    spent &+= Self.now() &- start
    segmentStart = nil
  }

  /// Starts the clock again on the calling thread.
  func resume() {
    if segmentStart == nil { segmentStart = Self.now() }
  }

  /// Whether the time is up (always false while the clock is stopped).
  func isPast() -> Bool {
    guard let start = segmentStart else { return false }
    if !expired && spent &+ (Self.now() &- start) > limit { expired = true }
    return expired
  }

  /// Throws `MedRefError.queryTooCostly` for `query` when the time is up.
  func check(_ query: String) throws {
    if isPast() { throw error(query) }
  }

  func error(_ query: String) -> MedRefError {
    .queryTooCostly(
      query: query,
      reason: "stopped after \(String(format: "%g", seconds)) s, the time limit of one search (the query matches "
        + "too much; make it more specific)")
  }

  /// Runs `body` with the clock stopped.
  func unmetered<T>(_ body: () throws -> T) rethrows -> T {
    guard segmentStart != nil else { return try body() }
    suspend()
    defer { resume() }
    return try body()
  }

  /// Runs `body` on `reader`'s connection with the clock running on this thread and a statement stopped when the
  /// time is up (SQLite's progress handler, every `interval` instructions); the clock is stopped again at the end.
  /// A statement stopped so becomes `MedRefError.queryTooCostly`.
  func watching<T>(_ reader: IndexReader, query: String, _ body: () throws -> T) throws -> T {
    resume()
    defer { suspend() }
    do {
      return try reader.interruptible(every: Self.interval, shouldStop: { [unowned self] in isPast() }, body)
    } catch is IndexReader.Interrupted {
      throw error(query)
    }
  }
}
