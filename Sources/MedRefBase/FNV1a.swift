/// FNV-1a over bytes, 64 bits: the one hash MedRef computes itself, for tables looked up by the bytes of a word or a
/// tag name and for the checksums stored in the index. Unlike `Hasher` it is the same in every run and on every
/// machine, so its values can be stored and compared later; it needs no state beyond one word, so a scanner can hash
/// a word while it reads it.
package struct FNV1a: Sendable, Equatable {
  /// The hash of no bytes (FNV's 64-bit offset basis).
  package static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  /// FNV's 64-bit prime.
  package static let prime: UInt64 = 0x0000_0100_0000_01b3

  /// The hash of the bytes mixed in so far.
  package private(set) var value: UInt64

  /// A hash of no bytes yet, or one that goes on from `value` (the hash of the bytes before).
  @inlinable package init(continuing value: UInt64 = offsetBasis) {
    self.value = value
  }

  /// Mixes one more byte in.
  @inlinable @inline(__always) package mutating func mix(_ byte: UInt8) {
    value = (value ^ UInt64(byte)) &* Self.prime
  }

  /// `value` as 16 lower-case hexadecimal digits (how the index stores content hashes and checksums).
  package var hexDigits: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }

  /// The hash of `bytes`.
  @inlinable package static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash = FNV1a()
    for byte in bytes { hash.mix(byte) }
    return hash.value
  }

  /// The hash of the bytes of a NUL-terminated string, read in place.
  @inlinable package static func hash(cString pointer: UnsafePointer<UInt8>) -> UInt64 {
    var hash = FNV1a()
    var pointer = pointer
    while pointer.pointee != 0 {
      hash.mix(pointer.pointee)
      pointer += 1
    }
    return hash.value
  }
}
