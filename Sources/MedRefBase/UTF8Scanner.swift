/// The one UTF-8 decoder and encoder of MedRef's byte-level code (the tokenizer, the repairer, the mojibake decoder).
/// `decode` is strict, as Swift's own decoding: no overlong forms, no surrogates, nothing above U+10FFFF, and an
/// ill-formed sequence is consumed by its maximal subpart (Unicode 15, §3.9), where Swift puts one U+FFFD.
/// `validScalar` reads bytes already known to be well-formed (a `String`'s), without checks.
package enum UTF8Scanner {
  /// The scalar of the sequence `lead` plus the `count - 1` continuation bytes given, or nil when they are not a
  /// well-formed sequence of `count` bytes (`count` from 1 to 4; bytes past `count` are ignored). With
  /// `allowingSurrogates`, ED A0–BF (a surrogate, half of a CESU-8 pair) is read too.
  @inlinable @inline(__always)
  package static func scalarValue(
    _ lead: UInt8, _ second: UInt8, _ third: UInt8, _ fourth: UInt8, count: Int, allowingSurrogates: Bool = false
  ) -> UInt32? {
    guard count == sequenceLength(lead: lead) else { return nil }
    if count == 1 { return UInt32(lead) }
    let allowed = allowingSurrogates && lead == 0xED ? 0x80...0xBF : secondByteRange(lead: lead)
    guard allowed.contains(second) else { return nil }
    switch count {
    case 2: return UInt32(lead & 0x1F) << 6 | UInt32(second & 0x3F)
    case 3:
      guard third & 0xC0 == 0x80 else { return nil }
      return UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
    default:
      guard third & 0xC0 == 0x80, fourth & 0xC0 == 0x80 else { return nil }
      return UInt32(lead & 0x07) << 18 | UInt32(second & 0x3F) << 12 | UInt32(third & 0x3F) << 6
        | UInt32(fourth & 0x3F)
    }
  }

  /// How many bytes a sequence starting with `lead` has: 1 for ASCII, 2 to 4 for a lead byte, 0 for a byte that
  /// starts no well-formed sequence (a continuation byte, C0, C1, F5–FF).
  @inlinable @inline(__always)
  package static func sequenceLength(lead: UInt8) -> Int {
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: return 2
    case 0xE0...0xEF: return 3
    case 0xF0...0xF4: return 4
    default: return 0
    }
  }

  /// The bytes the second byte of a sequence may have after `lead`: narrower than 80–BF after E0 (no overlong
  /// forms), ED (no surrogates), F0 (no overlong forms) and F4 (nothing above U+10FFFF).
  @inlinable @inline(__always)
  package static func secondByteRange(lead: UInt8) -> ClosedRange<UInt8> {
    switch lead {
    case 0xE0: return 0xA0...0xBF
    case 0xED: return 0x80...0x9F
    case 0xF0: return 0x90...0xBF
    case 0xF4: return 0x80...0x8F
    default: return 0x80...0xBF
    }
  }

  /// The scalar starting at `index`, and how many bytes it takes; for ill-formed bytes nil, and the length of
  /// their maximal subpart (at least 1), which a decoder replaces by one U+FFFD.
  @inlinable @inline(__always)
  package static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (
    scalar: Unicode.Scalar?, length: Int
  ) {
    let lead = bytes[index]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length = sequenceLength(lead: lead)
    // Each step: the next byte must continue the sequence, else the bytes so far are its maximal subpart.
    guard length > 1, index + 1 < bytes.count, secondByteRange(lead: lead).contains(bytes[index + 1]) else {
      return (nil, 1)
    }
    var value = (UInt32(lead) & (0x7F >> length)) << 6 | UInt32(bytes[index + 1] & 0x3F)
    if length == 2 { return (Unicode.Scalar(value), 2) }
    guard index + 2 < bytes.count, bytes[index + 2] & 0xC0 == 0x80 else { return (nil, 2) }
    value = value << 6 | UInt32(bytes[index + 2] & 0x3F)
    if length == 3 { return (Unicode.Scalar(value), 3) }
    guard index + 3 < bytes.count, bytes[index + 3] & 0xC0 == 0x80 else { return (nil, 3) }
    value = value << 6 | UInt32(bytes[index + 3] & 0x3F)
    return (Unicode.Scalar(value), 4)
  }

  /// The scalar value starting at `index` of well-formed UTF-8, and its length (no checks: the bytes of a
  /// `String`, or of text validated before).
  @inlinable @inline(__always)
  package static func validScalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (UInt32(lead), 1) }
    if lead < 0xE0 { return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
    if lead < 0xF0 {
      return (UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
    }
    let value =
      UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
      | UInt32(bytes[index + 3] & 0x3F)
    return (value, 4)
  }

  /// `validScalar(in:at:)` over an array.
  @inlinable @inline(__always)
  package static func validScalar(in bytes: [UInt8], at index: Int) -> (value: UInt32, length: Int) {
    bytes.withUnsafeBufferPointer { validScalar(in: $0, at: index) }
  }

  /// `validScalar(in:at:)` over an array slice (indices are the slice's).
  @inlinable @inline(__always)
  package static func validScalar(in bytes: ArraySlice<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
    bytes.withUnsafeBufferPointer { validScalar(in: $0, at: index - bytes.startIndex) }
  }

  /// The UTF-8 encoding of the scalar value `value` (U+FFFD's for a value that is no scalar).
  @inlinable
  package static func encoded(_ value: UInt32) -> [UInt8] {
    var bytes: [UInt8] = []
    append(value, to: &bytes)
    return bytes
  }

  /// Appends the UTF-8 encoding of the scalar value `value` to `bytes` (U+FFFD's for a surrogate or a value above
  /// U+10FFFF, which are no scalars).
  @inlinable @inline(__always)
  package static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    switch value {
    case 0..<0x80:
      bytes.append(UInt8(value))
    case 0x80..<0x800:
      bytes.append(UInt8(0xC0 | value >> 6))
      bytes.append(UInt8(0x80 | value & 0x3F))
    case 0xD800...0xDFFF, 0x110000...:
      bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
    case 0x800..<0x10000:
      bytes.append(UInt8(0xE0 | value >> 12))
      bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
      bytes.append(UInt8(0x80 | value & 0x3F))
    default:
      bytes.append(UInt8(0xF0 | value >> 18))
      bytes.append(UInt8(0x80 | (value >> 12) & 0x3F))
      bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
      bytes.append(UInt8(0x80 | value & 0x3F))
    }
  }
}
