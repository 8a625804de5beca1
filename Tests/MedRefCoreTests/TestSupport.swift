import Foundation

/// Fixture files shipped with the tests.
enum Fixture {
  static func bytes(_ name: String) throws -> [UInt8] {
    let bundle = Bundle.module
    let candidates = [
      bundle.bundleURL.appendingPathComponent("Fixtures").appendingPathComponent(name),
      bundle.resourceURL?.appendingPathComponent("Fixtures").appendingPathComponent(name),
      bundle.resourceURL?.appendingPathComponent(name),
    ].compactMap { $0 }
    for url in candidates {
      if let data = try? Data(contentsOf: url) { return [UInt8](data) }
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
  }

  static func text(_ name: String) throws -> String {
    String(decoding: try bytes(name), as: UTF8.self)
  }
}

/// A temporary folder removed when the value is dropped.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("medref-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  var path: String { url.path }

  /// Writes `bytes` to `relative` below the folder (creating folders) and returns the full path.
  @discardableResult
  func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
    let file = url.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
    return file.path
  }

  @discardableResult
  func write(_ relative: String, _ text: String) throws -> String {
    try write(relative, Array(text.utf8))
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }
}

extension Array where Element == UInt8 {
  /// Bytes written as a Swift string literal where `\u{XX}` stands for the byte XX (for legacy encodings).
  static func latin1(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
  }
}

/// A small deterministic generator (SplitMix64), so that a failing case can be rebuilt from its seed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// JSON as `JSONEncoder` writes it with `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted`): what
/// MedRef printed before `CompactJSON` wrote all of its JSON, and the reference the tests hold `JSONOutput` to.
enum EncoderReference {
  static func line<Value: Encodable>(_ value: Value) -> String {
    encoded(value, [.sortedKeys, .withoutEscapingSlashes])
  }

  static func pretty<Value: Encodable>(_ value: Value) -> String {
    encoded(value, [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
  }

  private static func encoded<Value: Encodable>(_ value: Value, _ formatting: JSONEncoder.OutputFormatting) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = formatting
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
  }
}
