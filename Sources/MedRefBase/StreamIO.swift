#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-stream reads and writes on file descriptors, without Foundation's copies (for `medref normalize`).
package enum StreamIO {
  /// Writes pieces of memory with `writev`, up to 1,024 at a time, without copying them.
  package final class GatheringWriter {
    private var pieces: [iovec] = []
    private let descriptor: Int32
    /// False once a write failed.
    package private(set) var succeeded = true

    package init(descriptor: Int32 = 1) {
      self.descriptor = descriptor
      pieces.reserveCapacity(1024)
    }

    /// Writes the memory `batch` points to, in order.
    package func write(pieces batch: [iovec]) {
      var start = 0
      while start < batch.count && succeeded {
        let end = min(batch.count, start + 1024)
        pieces.append(contentsOf: batch[start..<end])
        flush()
        start = end
      }
    }

    /// Writes every queued piece.
    private func flush() {
      var first = 0
      while first < pieces.count && succeeded {
        let count = pieces.withUnsafeBufferPointer { buffer in
          writev(descriptor, buffer.baseAddress! + first, Int32(buffer.count - first))
        }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else {
          succeeded = false
          break
        }
        // Skip what was written: whole pieces, then the written part of a piece written in part.
        var written = count
        while first < pieces.count && written >= pieces[first].iov_len {
          written -= pieces[first].iov_len
          first += 1
        }
        if written > 0 {
          pieces[first].iov_base += written
          pieces[first].iov_len -= written
        }
      }
      pieces.removeAll(keepingCapacity: true)
    }
  }

  /// Reads everything from `descriptor` (standard input by default).
  static func readAll(from descriptor: Int32 = 0) -> [UInt8] {
    // A regular file tells its size: read it straight into uninitialised storage of that size (no zero-filling).
    var info = stat()
    if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0 {
      let size = Int(info.st_size)
      let whole = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        var total = 0
        while total < size {
          let count = read(descriptor, buffer.baseAddress! + total, size - total)
          if count < 0 && errno == EINTR { continue }
          if count <= 0 { break }
          total += count
        }
        initialized = total
      }
      // The file may have grown since fstat: read on.
      var rest = readStream(descriptor)
      if rest.isEmpty { return whole }
      rest.insert(contentsOf: whole, at: 0)
      return rest
    }
    return readStream(descriptor)
  }

  /// Reads a stream of unknown length until its end.
  private static func readStream(_ descriptor: Int32) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { buffer in read(descriptor, buffer.baseAddress!, buffer.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      bytes.append(contentsOf: chunk[..<count])
    }
    return bytes
  }

  /// A whole input held in memory: a regular file read from its start is mapped (never copied; like any mapped file
  /// it must not be truncated while it is read), anything else (a pipe, a terminal) is read into an array.
  package final class Input {
    private let mapping: UnsafeMutableRawPointer?
    private let mappedLength: Int
    private let bytes: [UInt8]

    /// Maps or reads everything from `descriptor` (standard input by default).
    package init(descriptor: Int32 = 0) {
      var info = stat()
      if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0
        && lseek(descriptor, 0, SEEK_CUR) == 0
      {
        let length = Int(info.st_size)
        #if os(Linux)
          // Map the page tables at once: touching each page later costs a fault apiece.
          let flags = MAP_PRIVATE | MAP_POPULATE
        #else
          let flags = MAP_PRIVATE
        #endif
        let address = mmap(nil, length, PROT_READ, flags, descriptor, 0)
        if let address, address != MAP_FAILED {
          mapping = address
          mappedLength = length
          bytes = []
          return
        }
      }
      mapping = nil
      mappedLength = 0
      bytes = StreamIO.readAll(from: descriptor)
    }

    deinit {
      if let mapping { munmap(mapping, mappedLength) }
    }

    /// Calls `body` with the input's bytes, which stay valid for the duration of the call.
    package func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
      -> Result
    {
      if let mapping {
        return try body(UnsafeBufferPointer(start: mapping.assumingMemoryBound(to: UInt8.self), count: mappedLength))
      }
      return try bytes.withUnsafeBufferPointer(body)
    }
  }
}
