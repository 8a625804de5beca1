import Foundation

/// A value shared between threads, read and changed only under its lock: the one lock type of MedRef (the caches
/// made on first use, the results of parallel workers). `Synchronization.Mutex` would do the same but needs macOS 15.
/// The work queue of `OrderedParallel` waits for changes and uses a condition instead.
package final class Locked<State>: @unchecked Sendable {
  private let lock = NSLock()
  private var state: State

  package init(_ state: State) { self.state = state }

  /// The result of `body` run on the state, under the lock.
  package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&state)
  }
}
