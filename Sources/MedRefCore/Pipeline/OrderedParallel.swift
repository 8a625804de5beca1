import Dispatch
import Foundation

/// Runs independent work items on every core and hands the results back in order, a batch at a time, so that
/// memory stays bounded however many items there are (`medref extract` on thousands of pages).
public enum OrderedParallel {
  /// Calls `transform` for each index of `0..<count` on several threads, and `deliver` on the calling thread with
  /// each result in index order. Results are delivered after each batch of `batchSize` items.
  public static func map<Result>(
    count: Int, batchSize: Int = 8 * ProcessInfoCores.count, transform: @Sendable (Int) -> Result,
    deliver: (Int, Result) throws -> Void
  ) rethrows {
    var start = 0
    while start < count {
      let end = min(count, start + max(1, batchSize))
      let slots = ResultSlots<Result>(count: end - start)
      let first = start
      if end - start == 1 || ProcessInfoCores.count == 1 {
        for index in first..<end { slots.set(index - first, transform(index)) }
      } else {
        DispatchQueue.concurrentPerform(iterations: end - start) { offset in
          slots.set(offset, transform(first + offset))
        }
      }
      for index in first..<end { try deliver(index, slots.get(index - first)) }
      start = end
    }
  }
}

/// Number of processor cores to use (at most 8).
public enum ProcessInfoCores {
  public static var count: Int { max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Results written by parallel workers, one slot each.
final class ResultSlots<Value>: @unchecked Sendable {
  private var values: [Value?]
  private let lock = NSLock()

  init(count: Int) {
    values = [Value?](repeating: nil, count: count)
  }

  func set(_ index: Int, _ value: Value) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }

  func get(_ index: Int) -> Value {
    lock.lock()
    defer { lock.unlock() }
    return values[index]!
  }
}
