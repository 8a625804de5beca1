import Dispatch
import Foundation
import Testing

@testable import MedRefBase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value shared by the worker threads of a test, behind a lock.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<T>(_ body: (inout Value) -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }

  var current: Value { withLock { $0 } }
}

/// The thread a closure runs on, comparable across threads.
struct ThreadID: Equatable {
  let raw: pthread_t

  static var current: ThreadID { ThreadID(raw: pthread_self()) }

  static func == (lhs: ThreadID, rhs: ThreadID) -> Bool { pthread_equal(lhs.raw, rhs.raw) != 0 }
}

/// Sleeps the calling thread for `microseconds`.
func pause(microseconds: Int) {
  if microseconds > 0 { usleep(UInt32(microseconds)) }
}

struct ItemFailure: Error, Equatable {
  let index: Int
}

struct DeliveryStopped: Error, Equatable {
  let index: Int
}

@Suite("OrderedParallel.map: results in input order, from several threads")
struct OrderedParallelTests {
  /// Runs `map` over `count` items with `transform`, and returns what `deliver` was given, in the order it was given.
  func delivered<Value: Sendable>(
    count: Int, window: Int? = nil, _ transform: @escaping @Sendable (Int) -> Value
  ) -> [(index: Int, value: Value)] {
    var received: [(index: Int, value: Value)] = []
    if let window {
      OrderedParallel.map(count: count, window: window, transform: transform) { received.append(($0, $1)) }
    } else {
      OrderedParallel.map(count: count, transform: transform) { received.append(($0, $1)) }
    }
    return received
  }

  @Test("Items that take random, different times come back in input order, each with its own result")
  func randomDurations() {
    let delays = (0..<300).map { _ in Int.random(in: 0...2_000) }
    let finished = Locked<[Int]>([])
    let received = delivered(count: delays.count) { index in
      pause(microseconds: delays[index])
      finished.withLock { $0.append(index) }
      return "item \(index)"
    }
    #expect(received.map(\.index) == Array(0..<300))
    #expect(received.map(\.value) == (0..<300).map { "item \($0)" })
    #expect(finished.current.sorted() == Array(0..<300))
  }

  @Test("A slow first item does not hold back the workers, and still comes first")
  func slowFirstItem() {
    let finished = Locked<[Int]>([])
    let received = delivered(count: 20) { index in
      pause(microseconds: index == 0 ? 500_000 : 0)
      finished.withLock { $0.append(index) }
      return index * index
    }
    #expect(received.map(\.index) == Array(0..<20))
    #expect(received.map(\.value) == (0..<20).map { $0 * $0 })
    if ProcessInfoCores.count > 1 {
      // Other workers went on while item 0 slept: it finished after others, yet was delivered first.
      #expect(finished.current.first != 0, "\(finished.current)")
    } else {
      #expect(finished.current == Array(0..<20))
    }
  }

  @Test("Every item is transformed exactly once and delivered exactly once", arguments: [2, 3, 17, 1_000])
  func exactlyOnce(count: Int) {
    let calls = Locked([Int](repeating: 0, count: count))
    var deliveries = [Int](repeating: 0, count: count)
    OrderedParallel.map(count: count) { index in
      calls.withLock { $0[index] += 1 }
      return index
    } deliver: { index, value in
      #expect(value == index)
      deliveries[index] += 1
    }
    #expect(calls.current == [Int](repeating: 1, count: count))
    #expect(deliveries == [Int](repeating: 1, count: count))
  }

  @Test("No items: neither transform nor deliver is called")
  func empty() {
    let calls = Locked(0)
    var deliveries = 0
    OrderedParallel.map(count: 0) { index in
      calls.withLock { $0 += 1 }
      return index
    } deliver: { _, _ in
      deliveries += 1
    }
    #expect(calls.current == 0)
    #expect(deliveries == 0)
  }

  @Test("One item: transformed once and delivered with index 0")
  func oneItem() {
    let calls = Locked(0)
    let received = delivered(count: 1) { index in
      calls.withLock { $0 += 1 }
      return "only \(index)"
    }
    #expect(received.map(\.index) == [0])
    #expect(received.map(\.value) == ["only 0"])
    #expect(calls.current == 1)
  }

  @Test("Fewer items than cores (more workers than work), and about as many, all come back in order")
  func fewItems() {
    for count in 1...(ProcessInfoCores.count + 2) {
      let received = delivered(count: count) { index in
        pause(microseconds: (count - index) * 500)
        return index + 100
      }
      #expect(received.map(\.index) == Array(0..<count), "count \(count)")
      #expect(received.map(\.value) == (0..<count).map { $0 + 100 }, "count \(count)")
    }
  }

  @Test("The smallest window (one result waiting per worker) still delivers everything in order")
  func smallestWindow() {
    for window in [0, 1] {
      let received = delivered(count: 200, window: window) { index in
        pause(microseconds: Int.random(in: 0...300))
        return -index
      }
      #expect(received.map(\.index) == Array(0..<200), "window \(window)")
      #expect(received.map(\.value) == (0..<200).map { -$0 }, "window \(window)")
    }
  }

  @Test("10,000 items come back in order", arguments: [nil, 4] as [Int?])
  func manyItems(window: Int?) {
    let received = delivered(count: 10_000, window: window) { index in index &* 2_654_435_761 }
    #expect(received.count == 10_000)
    #expect(received.map(\.index) == Array(0..<10_000))
    #expect(received.map(\.value) == (0..<10_000).map { $0 &* 2_654_435_761 })
  }

  @Test("deliver runs on the calling thread; the transforms on worker threads when there are several items")
  func threads() {
    let caller = ThreadID.current
    let transformThreads = Locked<[ThreadID]>([])
    var deliverThreads: [ThreadID] = []
    OrderedParallel.map(count: 50) { index in
      transformThreads.withLock { $0.append(.current) }
      return index
    } deliver: { _, _ in
      deliverThreads.append(.current)
    }
    #expect(deliverThreads.count == 50)
    #expect(deliverThreads.allSatisfy { $0 == caller })
    #expect(transformThreads.current.count == 50)
    if ProcessInfoCores.count > 1 {
      #expect(transformThreads.current.allSatisfy { $0 != caller })
    } else {
      #expect(transformThreads.current.allSatisfy { $0 == caller })
    }
  }

  @Test("Workers never run more than the window ahead of delivery", arguments: [1, 3, 10])
  func windowBound(window: Int) {
    let count = 120
    let workers = min(ProcessInfoCores.count, count)
    let bound = max(workers, window)
    // How many deliveries have finished, and the furthest an item started ahead of them.
    let deliveredCount = Locked(0)
    let furthestAhead = Locked(0)
    OrderedParallel.map(count: count, window: window) { index in
      let ahead = index - deliveredCount.current
      furthestAhead.withLock { $0 = max($0, ahead) }
      return index
    } deliver: { index, value in
      #expect(value == index)
      // A slow consumer: the workers fill the window and must wait.
      pause(microseconds: 300)
      deliveredCount.withLock { $0 += 1 }
    }
    #expect(deliveredCount.current == count)
    // The queue frees an item's place as it hands the item to deliver: while that delivery runs, items up to
    // `bound` past the last finished delivery may start, none further.
    #expect(furthestAhead.current <= bound, "window \(window), \(workers) workers")
  }

  @Test("Optional results, nil included, are delivered as they are")
  func optionalResults() {
    let received = delivered(count: 64) { index -> Int? in index.isMultiple(of: 2) ? nil : index }
    #expect(received.map(\.index) == Array(0..<64))
    #expect(received.map(\.value) == (0..<64).map { $0.isMultiple(of: 2) ? nil : $0 })
  }

  // MARK: - Errors

  /// The transform cannot throw: a failure is its result (as `medref extract` does with `Result`), delivered at its
  /// index among the others.
  @Test("An item that fails is delivered as its failure at its place; the others are neither lost nor reordered")
  func failingItems() {
    let failing: Set<Int> = [0, 7, 8, 99, 199]
    let received = delivered(count: 200) { index -> Result<Int, ItemFailure> in
      pause(microseconds: Int.random(in: 0...200))
      return failing.contains(index) ? .failure(ItemFailure(index: index)) : .success(index * 10)
    }
    #expect(received.map(\.index) == Array(0..<200))
    for (index, result) in received {
      switch result {
      case .success(let value):
        #expect(!failing.contains(index), "item \(index) should have failed")
        #expect(value == index * 10)
      case .failure(let failure):
        #expect(failing.contains(index), "item \(index) should not have failed")
        #expect(failure == ItemFailure(index: index))
      }
    }
  }

  @Test("When deliver throws, map rethrows that error, delivers nothing more and starts no new item")
  func deliverThrows() {
    let count = 2_000
    let stopAt = 10
    let started = Locked(0)
    let running = Locked(0)
    var deliveredIndices: [Int] = []
    let error = #expect(throws: DeliveryStopped.self) {
      try OrderedParallel.map(count: count, window: 4) { index in
        started.withLock { $0 += 1 }
        running.withLock { $0 += 1 }
        pause(microseconds: 200)
        running.withLock { $0 -= 1 }
        return index
      } deliver: { index, _ in
        deliveredIndices.append(index)
        if index == stopAt { throw DeliveryStopped(index: index) }
      }
    }
    #expect(error == DeliveryStopped(index: stopAt))
    #expect(deliveredIndices == Array(0...stopAt))
    // Items already running have finished when map returns...
    #expect(running.current == 0)
    // ...and none starts afterwards.
    let startedAtReturn = started.current
    pause(microseconds: 20_000)
    #expect(started.current == startedAtReturn)
    // Only items within the window of the failed delivery were started, not the rest of the 2,000.
    let bound = max(min(ProcessInfoCores.count, count), 4)
    #expect(startedAtReturn <= stopAt + 1 + bound, "\(startedAtReturn) started")
  }

  @Test("When deliver throws for the only item, map rethrows it")
  func deliverThrowsForOneItem() {
    let error = #expect(throws: DeliveryStopped.self) {
      try OrderedParallel.map(count: 1) {
        $0
      } deliver: { index, _ in
        throw DeliveryStopped(index: index)
      }
    }
    #expect(error == DeliveryStopped(index: 0))
  }

  @Test("The map can run again, and from several threads at once")
  func concurrentMaps() {
    let results = Locked<[[Int]]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { run in
      var received: [Int] = []
      OrderedParallel.map(count: 500) { index in
        index + run * 1_000
      } deliver: { index, value in
        #expect(value == index + run * 1_000)
        received.append(index)
      }
      results.withLock { $0.append(received) }
    }
    #expect(results.current.count == 4)
    #expect(results.current.allSatisfy { $0 == Array(0..<500) })
  }

  @Test("The number of cores used is between 1 and 8")
  func coreCount() {
    #expect((1...8).contains(ProcessInfoCores.count))
  }
}

@Suite("ResultSlots: one slot per parallel worker")
struct ResultSlotsTests {
  @Test("Values set from many threads at once are all read back at their index")
  func concurrentWrites() {
    let slots = ResultSlots<String>(count: 10_000)
    DispatchQueue.concurrentPerform(iterations: 10_000) { index in slots.set(index, "value \(index)") }
    #expect((0..<10_000).map(slots.get) == (0..<10_000).map { "value \($0)" })
  }

  @Test("A slot set twice holds the second value; the others are untouched")
  func overwrite() {
    let slots = ResultSlots<Int>(count: 3)
    for index in 0..<3 { slots.set(index, index) }
    slots.set(1, 42)
    #expect((0..<3).map(slots.get) == [0, 42, 2])
  }

  @Test("Slots filled with OrderedParallel-style workers in any order read back in order")
  func filledOutOfOrder() {
    let slots = ResultSlots<[Int]>(count: 100)
    DispatchQueue.concurrentPerform(iterations: 100) { step in
      let index = 99 - step
      pause(microseconds: index % 7 * 100)
      slots.set(index, [index, index * index])
    }
    for index in 0..<100 { #expect(slots.get(index) == [index, index * index]) }
  }
}
