import Testing

@testable import MedRefBase

@Suite("UTF-8 scanner: the one decoder of byte-level code, against Swift's own decoding")
struct UTF8ScannerTests {
  /// Bytes that are mostly near-UTF-8: ASCII, lead bytes, continuation bytes, the edges of the second-byte ranges,
  /// bytes no sequence has, and whole encoded scalars, so that well-formed, truncated and ill-formed sequences all
  /// come up often.
  static func randomBytes(_ generator: inout SplitMix64, count: Int) -> [UInt8] {
    let interesting: [UInt8] = [
      0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
      0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ]
    var bytes: [UInt8] = []
    while bytes.count < count {
      switch generator.next() % 4 {
      case 0: bytes.append(UInt8.random(in: 0...255, using: &generator))
      case 1: bytes.append(interesting.randomElement(using: &generator)!)
      case 2: bytes.append(UInt8.random(in: 0x80...0xBF, using: &generator))
      default:
        let value = UInt32.random(in: 0...0x10FFFF, using: &generator)
        if let scalar = Unicode.Scalar(value) { bytes.append(contentsOf: Array(String(scalar).utf8)) }
      }
    }
    return bytes
  }

  /// The scalars `UTF8Scanner.decode` reads from `bytes`, U+FFFD for each ill-formed subpart.
  static func scanned(_ bytes: [UInt8]) -> [Unicode.Scalar] {
    bytes.withUnsafeBufferPointer { buffer in
      var scalars: [Unicode.Scalar] = []
      var index = 0
      while index < buffer.count {
        let (scalar, length) = UTF8Scanner.decode(buffer, at: index)
        #expect(length >= 1 && index + length <= buffer.count)
        scalars.append(scalar ?? "\u{FFFD}")
        index += length
      }
      return scalars
    }
  }

  @Test("On random bytes, decode gives exactly the scalars and replacements Swift's decoding gives", arguments: 0..<8)
  func randomBytesAgreeWithSwift(seed: UInt64) {
    var generator = SplitMix64(state: seed)
    for _ in 0..<400 {
      let bytes = Self.randomBytes(&generator, count: Int.random(in: 1...64, using: &generator))
      let swift = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
      #expect(Self.scanned(bytes) == swift, "seed \(seed): \(bytes.map { String($0, radix: 16) })")
    }
  }

  @Test("Edge sequences: overlong forms, surrogates, above U+10FFFF, truncation, stray continuations")
  func edgeSequences() {
    let cases: [[UInt8]] = [
      [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
      [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF5, 0x80], [0xE2, 0x82],
      [0xF0, 0x9F, 0x98], [0x80], [0xBF, 0x41], [0xE2, 0x41, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80, 0xC3],
    ]
    for bytes in cases {
      #expect(Self.scanned(bytes) == Array(String(decoding: bytes, as: UTF8.self).unicodeScalars), "\(bytes)")
    }
  }

  @Test("Well-formed text: validScalar reads every scalar as Swift does; append writes Swift's bytes back")
  func wellFormedRoundTrip() {
    var generator = SplitMix64(state: 42)
    for _ in 0..<200 {
      var text = ""
      for _ in 0..<Int.random(in: 1...40, using: &generator) {
        let value = UInt32.random(in: 0...(generator.next() % 2 == 0 ? 0x7FF : 0x10FFFF), using: &generator)
        if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
      }
      let bytes = Array(text.utf8)
      var values: [UInt32] = []
      var encoded: [UInt8] = []
      bytes.withUnsafeBufferPointer { buffer in
        var index = 0
        while index < buffer.count {
          let (value, length) = UTF8Scanner.validScalar(in: buffer, at: index)
          #expect(UTF8Scanner.decode(buffer, at: index).scalar?.value == value)
          values.append(value)
          UTF8Scanner.append(value, to: &encoded)
          index += length
        }
      }
      #expect(values == text.unicodeScalars.map(\.value))
      #expect(encoded == bytes)
    }
  }

  @Test("scalarValue of explicit bytes agrees with decode, for every lead byte and second-byte edge")
  func scalarValueAgrees() {
    for lead in UInt8(0)...UInt8(255) {
      for second: UInt8 in [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0] {
        let bytes: [UInt8] = [lead, second, 0x80, 0xBF]
        let length = max(1, UTF8Scanner.sequenceLength(lead: lead))
        let decoded = bytes.withUnsafeBufferPointer { UTF8Scanner.decode($0, at: 0) }
        let value = UTF8Scanner.scalarValue(lead, second, 0x80, 0xBF, count: length)
        #expect(value == (decoded.length == length ? decoded.scalar?.value : nil), "\(lead) \(second)")
      }
    }
  }
}
