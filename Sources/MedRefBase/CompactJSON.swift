/// MedRef's one JSON writer: every JSON line, API answer and stored JSON column is written by it (types adopt
/// `JSONLineWritable`; `JSONOutput` is the entry point), without `JSONEncoder`, several times faster (`medref extract
/// --format jsonl` over thousands of pages). Its bytes are those `JSONEncoder` gave with `.sortedKeys` and
/// `.withoutEscapingSlashes`, which MedRef used before (the tests compare the two on real articles): keys sorted by
/// their bytes (each writer writes them in that order), optional keys left out when nil, slashes not escaped, control
/// characters as `\n`, `\t`… or `\u00XX`, everything else as UTF-8, integral doubles without `.0`, others as Swift
/// prints them (`0.95`, `1e-05`).
package struct CompactJSON {
  @usableFromInline package var bytes: [UInt8] = []
  /// Set when a value JSON cannot hold was written (a non-finite double); `JSONOutput` then gives `null` for the
  /// whole value, as `JSONEncoder` failed on it.
  @usableFromInline package var failed = false

  @inlinable package init(capacity: Int = 4096) {
    bytes.reserveCapacity(capacity)
  }

  @inlinable package var string: String { String(decoding: bytes, as: UTF8.self) }

  @inlinable package mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// `"key":`, with a comma first unless it is the object's first key.
  @inlinable package mutating func key(_ name: StaticString, first: Bool = false) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    bytes.append(UInt8(ascii: "\""))
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
  }

  /// `"name":value` in an object: a comma first unless it is the object's first field (the last byte written is
  /// its `{`). For the small objects; the extract record's and the search response's writers place keys by hand.
  @inlinable package mutating func field<Value: JSONLineWritable>(_ name: StaticString, _ value: Value) {
    key(name, first: bytes.last == UInt8(ascii: "{"))
    value.write(into: &self)
  }

  /// `"name":{…}`, an object of counts (`counts(_:)`), as `field(_:_:)` places it.
  package mutating func field(_ name: StaticString, counts: [String: Int]) {
    key(name, first: bytes.last == UInt8(ascii: "{"))
    self.counts(counts)
  }

  @usableFromInline static let hexDigits = Array("0123456789abcdef".utf8)

  @inlinable package mutating func value(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      var start = 0
      for index in 0..<utf8.count {
        let byte = utf8[index]
        guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
        start = index + 1
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: bytes.append(0x22)
        case 0x5C: bytes.append(0x5C)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
          bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, Self.hexDigits[Int(byte >> 4)]])
          bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  @inlinable package mutating func value(_ number: Int) { bytes.append(contentsOf: String(number).utf8) }

  @inlinable package mutating func value(_ number: Int64) { bytes.append(contentsOf: String(number).utf8) }

  @inlinable package mutating func value(_ flag: Bool) { flag ? raw("true") : raw("false") }

  @inlinable package mutating func value(_ number: Double) {
    if !number.isFinite { failed = true }
    var text = "\(number)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
  }

  @inlinable package mutating func array<Element>(_ elements: [Element], _ write: (inout CompactJSON, Element) -> Void)
  {
    bytes.append(UInt8(ascii: "["))
    for (index, element) in elements.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      write(&self, element)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  @inlinable package mutating func strings(_ elements: [String]) { array(elements) { $0.value($1) } }

  /// A value that writes itself.
  @inlinable package mutating func value<Value: JSONLineWritable>(_ value: Value) { value.write(into: &self) }

  /// An object of counts, its keys sorted.
  package mutating func counts(_ counts: [String: Int]) {
    raw("{")
    for (index, key) in counts.keys.sorted().enumerated() {
      if index > 0 { raw(",") }
      value(key)
      raw(":")
      value(counts[key] ?? 0)
    }
    raw("}")
  }
}

/// A value MedRef writes as JSON, with `CompactJSON` (see there for the bytes).
package protocol JSONLineWritable {
  /// Appends the value's JSON (no whitespace, keys sorted).
  func write(into json: inout CompactJSON)

  /// About how many bytes the JSON takes, to reserve them at once.
  var estimatedJSONSize: Int { get }
}

extension JSONLineWritable {
  package var estimatedJSONSize: Int { 256 }
}

extension String: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.value(self) }
}

extension Int: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.value(self) }
}

extension Int64: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.value(self) }
}

extension Double: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.value(self) }
}

extension Bool: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.value(self) }
}

extension Array: JSONLineWritable where Element: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.array(self) { $0.value($1) } }

  package var estimatedJSONSize: Int { reduce(2) { $0 + $1.estimatedJSONSize + 1 } }
}

/// The JSON every command, API answer and stored column prints: one path, `CompactJSON`, for both forms.
package enum JSONOutput {
  /// One line of compact JSON (`null` for a value JSON cannot hold).
  package static func line<Value: JSONLineWritable>(_ value: Value) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }

  /// Indented JSON for reading (`--format json`): the compact bytes laid out as `JSONEncoder`'s `.prettyPrinted`
  /// laid them out — two spaces a level, `"key" : value`, an empty array or object as `[`, a blank line and `]`.
  package static func pretty<Value: JSONLineWritable>(_ value: Value) -> String {
    String(decoding: indented(bytes(value)), as: UTF8.self)
  }

  static func bytes<Value: JSONLineWritable>(_ value: Value) -> [UInt8] {
    var json = CompactJSON(capacity: value.estimatedJSONSize)
    value.write(into: &json)
    return json.failed ? Array("null".utf8) : json.bytes
  }

  /// Compact JSON (no whitespace outside strings, as `CompactJSON` writes it) indented.
  static func indented(_ compact: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(compact.count * 2)
    var depth = 0
    var inString = false
    var escaped = false
    func newline(_ depth: Int) {
      out.append(0x0A)
      out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }
    for (index, byte) in compact.enumerated() {
      if inString {
        out.append(byte)
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inString = true
        out.append(byte)
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        out.append(byte)
        depth += 1
        let next = index + 1 < compact.count ? compact[index + 1] : 0
        // An empty container: `[`, a blank line, `]` at the container's own indentation.
        if next == UInt8(ascii: "}") || next == UInt8(ascii: "]") { out.append(0x0A) } else { newline(depth) }
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        newline(depth)
        out.append(byte)
      case UInt8(ascii: ","):
        out.append(byte)
        newline(depth)
      case UInt8(ascii: ":"):
        out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
      default:
        out.append(byte)
      }
    }
    return out
  }
}
