#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-stream reads and writes on file descriptors, without Foundation's copies (for `medref normalize`).
public enum StreamIO {
  /// Reads everything from `descriptor` (standard input by default).
  public static func readAll(from descriptor: Int32 = 0) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 1 << 20)
    var total = 0
    while true {
      if total == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
      let count = bytes.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress! + total, buffer.count - total)
      }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      total += count
    }
    bytes.removeSubrange(total...)
    return bytes
  }

  /// Writes all of `bytes` to `descriptor` (standard output by default). Returns false when the write failed.
  @discardableResult
  public static func writeAll(_ bytes: [UInt8], to descriptor: Int32 = 1) -> Bool {
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
