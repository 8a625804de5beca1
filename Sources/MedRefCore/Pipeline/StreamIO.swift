#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-stream reads and writes on file descriptors, without Foundation's copies (for `medref normalize`).
public enum StreamIO {
  /// Collects pieces of output and writes them in blocks of about a megabyte.
  public final class BufferedWriter {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    /// False once a write failed.
    public private(set) var succeeded = true

    public init(descriptor: Int32 = 1) {
      self.descriptor = descriptor
      buffer.reserveCapacity(1 << 20)
    }

    public func write(_ bytes: ArraySlice<UInt8>) {
      if buffer.count + bytes.count > 1 << 20 { flush() }
      if bytes.count >= 1 << 20 {
        succeeded = succeeded && StreamIO.writeAll(bytes, to: descriptor)
      } else {
        buffer.append(contentsOf: bytes)
      }
    }

    public func flush() {
      guard !buffer.isEmpty else { return }
      succeeded = succeeded && StreamIO.writeAll(buffer[...], to: descriptor)
      buffer.removeAll(keepingCapacity: true)
    }
  }

  /// Reads everything from `descriptor` (standard input by default).
  public static func readAll(from descriptor: Int32 = 0) -> [UInt8] {
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


  /// Writes all of `bytes` to `descriptor` (standard output by default). Returns false when the write failed.
  @discardableResult
  public static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32 = 1) -> Bool {
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let count = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { return false }
        offset += count
      }
      return true
    }
  }
}
