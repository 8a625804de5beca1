import Dispatch
import Foundation

/// Runs independent work items on every core and hands the results back in order. Workers take the next item as
/// soon as they are free (no batch waits for its slowest item) but never run more than a window of items ahead of
/// delivery, so memory stays bounded however many items there are (`medref extract` on thousands of pages).
package enum OrderedParallel {
  /// Calls `transform` for each index of `0..<count` on several threads, and `deliver` on the calling thread with
  /// each result in index order, as soon as it and all before it are ready. `window` bounds how many results wait.
  /// When `deliver` throws, no new item starts and the error is rethrown once running items have finished.
  package static func map<Result>(
    count: Int, window: Int = 8 * ProcessInfoCores.count, transform: @Sendable (Int) -> Result,
    deliver: (Int, Result) throws -> Void
  ) rethrows {
    let workers = min(ProcessInfoCores.count, count)
    if workers <= 1 {
      for index in 0..<count { try deliver(index, transform(index)) }
      return
    }
    let queue = WorkQueue<Result>(count: count, window: max(workers, window))
    try withoutActuallyEscaping(transform) { transform in
      // The threads hold the box, not the closure: the box lets go of it before this block ends, whenever the
      // threads themselves are released.
      let box = TransformBox(transform)
      startWorkers(workers, queue: queue) {
        while let index = queue.take(), let transform = box.transform { queue.put(index, transform(index)) }
      }
      defer {
        queue.stopAndWait(workers: workers)
        box.release()
      }
      for index in 0..<count { try deliver(index, queue.result(index)) }
    }
  }
}

extension OrderedParallel {
  /// Starts `count` worker threads (with 8 MB stacks) that run `work`, then tell `queue` they
  /// have finished.
  static func startWorkers(_ count: Int, queue: WorkerQueue, _ work: @escaping @Sendable () -> Void) {
    for _ in 0..<count {
      let thread = Thread {
        work()
        queue.finishWorker()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// Like `map`, for items that arrive one by one (the pages of a web archive, read and gunzipped as they come):
  /// `produce` hands each item to `submit` on the calling thread, `transform` runs on several threads, and `deliver`
  /// gets each result on the calling thread in the order submitted. `submit` delivers what is ready and waits while
  /// `window` items are in flight, so reading overlaps the work and memory stays bounded. When `deliver` or
  /// `produce` throws, no new item starts and the error is rethrown once running items have finished.
  package static func stream<Input: Sendable, Result>(
    window: Int = 8 * ProcessInfoCores.count, transform: @Sendable (Input) -> Result,
    deliver: (Result) throws -> Void, produce: (_ submit: (Input) throws -> Void) throws -> Void
  ) rethrows {
    let workers = ProcessInfoCores.count
    let limit = max(workers, window)
    // Escapable copies for `submit`, which `produce` gets; none outlives this call.
    try withoutActuallyEscaping(transform) { transform in
      try withoutActuallyEscaping(deliver) { deliver in
        if workers <= 1 {
          try produce { input in try deliver(transform(input)) }
          return
        }
        let queue = StreamQueue<Input, Result>()
        let holder = TransformBox(transform)
        startWorkers(workers, queue: queue) {
          while let (index, input) = queue.take(), let transform = holder.transform {
            queue.put(index, transform(input))
          }
        }
        defer {
          queue.stopAndWait(workers: workers)
          holder.release()
        }
        var submitted = 0
        var delivered = 0
        try produce { input in
          queue.submit(submitted, input)
          submitted += 1
          // What is ready goes out now; a full window waits for the oldest.
          while delivered < submitted, let result = queue.result(delivered, waiting: submitted - delivered >= limit) {
            delivered += 1
            try deliver(result)
          }
        }
        queue.close()
        while delivered < submitted {
          let result = queue.result(delivered, waiting: true)!
          delivered += 1
          try deliver(result)
        }
      }
    }
  }
}

/// An error a `deliver` closure threw, wrapped so that a caller whose `produce` also throws (reading a file) tells the
/// two apart on the way out.
package struct DeliveryFailure: Error {
  package var error: any Error
  package init(error: any Error) { self.error = error }
}

/// The shared state of `OrderedParallel.stream`: items submitted and not yet taken, results waiting for delivery.
package final class StreamQueue<Input, Value>: WorkerQueue, @unchecked Sendable {
  private var inputs: [Int: Input] = [:]
  private var next = 0
  private var submitted = 0
  private var closed = false
  private var results: [Int: Value] = [:]

  override init() {}

  func submit(_ index: Int, _ input: Input) {
    condition.lock()
    inputs[index] = input
    submitted = index + 1
    condition.broadcast()
    condition.unlock()
  }

  /// No more items will come.
  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The next item to work on, waiting until one is submitted; nil once the stream is closed and every item taken.
  func take() -> (Int, Input)? {
    condition.lock()
    defer { condition.unlock() }
    while !stopped && next == submitted && !closed { condition.wait() }
    guard !stopped, next < submitted, let input = inputs.removeValue(forKey: next) else { return nil }
    next += 1
    return (next - 1, input)
  }

  func put(_ index: Int, _ value: Value) {
    condition.lock()
    results[index] = value
    condition.broadcast()
    condition.unlock()
  }

  /// The result for `index`: waiting for it when `waiting`, else nil when it is not ready.
  func result(_ index: Int, waiting: Bool) -> Value? {
    condition.lock()
    defer { condition.unlock() }
    while waiting && results[index] == nil { condition.wait() }
    return results.removeValue(forKey: index)
  }
}

/// Holds `OrderedParallel.map`'s and `stream`'s transform for its worker threads until the call returns.
package final class TransformBox<Input, Value>: Sendable {
  /// The transform in a class of its own: a closure kept in `Locked`'s generic state would be re-wrapped in a
  /// conversion thunk each time it is read back through `withLock`'s `inout`, a chain that grows with every item.
  final class Holder: Sendable {
    let transform: @Sendable (Input) -> Value
    init(_ transform: @escaping @Sendable (Input) -> Value) { self.transform = transform }
  }

  private let stored: Locked<Holder?>

  init(_ transform: @escaping @Sendable (Input) -> Value) { stored = Locked(Holder(transform)) }

  var transform: (@Sendable (Input) -> Value)? { stored.withLock { $0 }?.transform }

  func release() { stored.withLock { $0 = nil } }
}

/// What both queues of `OrderedParallel` share: the condition (a lock that can be waited on, as workers and the
/// caller wait on each other) and the workers' stop and end. Every property is read and written only with the
/// condition locked.
package class WorkerQueue: @unchecked Sendable {
  let condition = NSCondition()
  var stopped = false
  private var finishedWorkers = 0

  func finishWorker() {
    condition.lock()
    finishedWorkers += 1
    condition.broadcast()
    condition.unlock()
  }

  /// Stops handing out work and waits until every worker has returned.
  func stopAndWait(workers: Int) {
    condition.lock()
    stopped = true
    condition.broadcast()
    while finishedWorkers < workers { condition.wait() }
    condition.unlock()
  }
}

/// The shared state of `OrderedParallel.map`: the next index to hand out, results waiting for delivery.
package final class WorkQueue<Value>: WorkerQueue, @unchecked Sendable {
  private let count: Int
  private let window: Int
  private var next = 0
  private var delivered = 0
  private var results: [Int: Value] = [:]

  init(count: Int, window: Int) {
    self.count = count
    self.window = window
  }

  /// The next index to work on, waiting while the window is full; nil when there is none.
  func take() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    while !stopped && next < count && next >= delivered + window { condition.wait() }
    guard !stopped && next < count else { return nil }
    next += 1
    return next - 1
  }

  func put(_ index: Int, _ value: Value) {
    condition.lock()
    results[index] = value
    condition.broadcast()
    condition.unlock()
  }

  /// The result for `index`, waiting until it is ready; frees its place in the window.
  func result(_ index: Int) -> Value {
    condition.lock()
    defer { condition.unlock() }
    while results[index] == nil { condition.wait() }
    let value = results.removeValue(forKey: index)!
    delivered = index + 1
    condition.broadcast()
    return value
  }
}

/// Number of processor cores to use: `MEDREF_THREADS` when it is set (a Spark executor's share of a machine), else
/// the machine's cores, at most 8.
public enum ProcessInfoCores {
  /// The largest `MEDREF_THREADS` taken.
  public static let maximumThreads = 64

  public static let count: Int = {
    if case .some(.some(let threads)) = configuredThreads { return threads }
    return max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }()

  /// `MEDREF_THREADS`: nil when it is not set, `.some(nil)` when it is not a whole number from 1 to
  /// `maximumThreads` (the command line reports that as a usage error).
  public static var configuredThreads: Int?? {
    guard let text = ProcessInfo.processInfo.environment["MEDREF_THREADS"] else { return nil }
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (1...maximumThreads).contains(value) else {
      return .some(nil)
    }
    return value
  }
}

/// Results written by parallel workers, one slot each.
package final class ResultSlots<Value>: Sendable {
  private let values: Locked<[Value?]>

  package init(count: Int) {
    values = Locked([Value?](repeating: nil, count: count))
  }

  package func set(_ index: Int, _ value: Value) { values.withLock { $0[index] = value } }

  package func get(_ index: Int) -> Value { values.withLock { $0[index]! } }
}
