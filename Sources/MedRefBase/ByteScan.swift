import Foundation

/// Word-at-a-time scanning over UTF-8 bytes: eight bytes are tested at once, so that the long ASCII stretches of
/// text cost little.
package enum ByteScan {
  @usableFromInline static let highBits: UInt64 = 0x8080_8080_8080_8080
  @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101

  /// True when some byte of `word` equals `byte` (the classic has-zero-byte test on `word ^ byte…byte`).
  @inline(__always)
  @inlinable static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
    let x = word ^ (ones &* UInt64(byte))
    return (x &- ones) & ~x & highBits != 0
  }

  /// The first index from `start` (before `end`) whose byte is not ASCII, or `end`.
  @inline(__always)
  @inlinable package static func firstNonASCII(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
    -> Int
  {
    var index = start
    let base = UnsafeRawPointer(buffer.baseAddress!)
    while index + 8 <= end {
      let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      if word & highBits != 0 { break }
      index += 8
    }
    while index < end && buffer[index] < 0x80 { index += 1 }
    return index
  }

  /// The first index from `start` (before `end`) whose byte is a newline, not ASCII, or `&`; or `end`.
  @inline(__always)
  @inlinable package static func firstNewlineOrSpecial(
    _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  ) -> Int {
    var index = start
    let base = UnsafeRawPointer(buffer.baseAddress!)
    while index + 8 <= end {
      let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      if word & highBits != 0 || contains(word, 0x0A) || contains(word, 0x26) { break }
      index += 8
    }
    while index < end {
      let byte = buffer[index]
      if byte >= 0x80 || byte == 0x0A || byte == 0x26 { break }
      index += 1
    }
    return index
  }

  /// The first index from `start` (before `end`) holding `byte`, or `end`.
  @inline(__always)
  @inlinable package static func first(
    _ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
  ) -> Int {
    var index = start
    let base = UnsafeRawPointer(buffer.baseAddress!)
    while index + 8 <= end {
      let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      if contains(word, byte) { break }
      index += 8
    }
    while index < end && buffer[index] != byte { index += 1 }
    return index
  }

  /// `firstNonASCII` over a whole array, from `start`.
  @inline(__always)
  @inlinable package static func firstNonASCII(in bytes: [UInt8], from start: Int) -> Int {
    bytes.withUnsafeBufferPointer { firstNonASCII($0, from: start, to: $0.count) }
  }

  /// The index of the first occurrence of `needle` in `buffer[start..<end]`, or nil. With `foldingCase`, ASCII
  /// capitals of the buffer match the needle's lower-case letters. memchr finds the candidates for a first byte
  /// that has no case.
  @inlinable package static func firstOccurrence(
    of needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil,
    foldingCase: Bool = false
  ) -> Int? {
    let end = end ?? buffer.count
    guard let lead = needle.first, let base = buffer.baseAddress, start >= 0, end - start >= needle.count else {
      return nil
    }
    let last = end - needle.count
    let leadHasCase = foldingCase && lead >= 0x61 && lead <= 0x7A
    func fold(_ byte: UInt8) -> UInt8 { foldingCase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
    var index = start
    while index <= last {
      if leadHasCase {
        guard fold(buffer[index]) == lead else {
          index += 1
          continue
        }
      } else {
        guard let found = memchr(base + index, Int32(lead), last - index + 1) else { return nil }
        index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      }
      var offset = 1
      while offset < needle.count && fold(buffer[index + offset]) == needle[offset] { offset += 1 }
      if offset == needle.count { return index }
      index += 1
    }
    return nil
  }
}
