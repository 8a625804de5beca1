/// Writes extract objects as one line of JSON without `JSONEncoder`: the same bytes `JSONOutput.line` gives (keys
/// sorted, optional keys left out when nil, slashes not escaped, integral doubles without `.0`), several times
/// faster, for `medref extract --format jsonl` over thousands of pages. A test compares the two on real articles.
struct CompactJSON {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 4096) {
    bytes.reserveCapacity(capacity)
  }

  var string: String { String(decoding: bytes, as: UTF8.self) }

  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// `"key":`, with a comma first unless it is the object's first key.
  mutating func key(_ name: StaticString, first: Bool = false) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    bytes.append(UInt8(ascii: "\""))
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  mutating func value(_ text: String) {
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

  mutating func value(_ number: Int) { bytes.append(contentsOf: String(number).utf8) }

  mutating func value(_ flag: Bool) { flag ? raw("true") : raw("false") }

  mutating func value(_ number: Double) {
    var text = "\(number)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
  }

  mutating func array<Element>(_ elements: [Element], _ write: (inout CompactJSON, Element) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (index, element) in elements.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      write(&self, element)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  mutating func strings(_ elements: [String]) { array(elements) { $0.value($1) } }
}

extension ExtractRecord {
  /// The record as one line of JSON, identical to `JSONOutput.line(self)`.
  public var jsonLine: String {
    var json = CompactJSON(capacity: text.utf8.count * 3 + 1024)
    json.raw("{")
    json.key("blocks", first: true)
    json.array(blocks) { $0.block($1) }
    json.key("encoding")
    json.raw("{")
    json.key("detected", first: true)
    json.value(encoding.detected)
    json.key("reason")
    json.value(encoding.reason)
    json.raw("}")
    json.key("id")
    json.value(id)
    json.key("metadata")
    json.metadata(metadata)
    json.key("path")
    json.value(path)
    json.key("repairs")
    json.array(repairs) { $0.repair($1) }
    json.key("sections")
    json.array(sections) { $0.section($1) }
    json.key("text")
    json.value(text)
    json.key("title")
    json.value(title)
    json.raw("}")
    return json.string
  }
}

extension CompactJSON {
  fileprivate mutating func metadata(_ metadata: DocumentMetadata) {
    raw("{")
    var first = true
    for (name, value) in [
      ("author", metadata.author), ("language", metadata.language), ("published", metadata.published),
      ("site", metadata.site), ("url", metadata.url),
    ] {
      guard let value else { continue }
      if !first { bytes.append(UInt8(ascii: ",")) }
      first = false
      self.value(name)
      bytes.append(UInt8(ascii: ":"))
      self.value(value)
    }
    raw("}")
  }

  fileprivate mutating func block(_ block: ExtractRecord.BlockRecord) {
    raw("{")
    var first = true
    func next(_ name: StaticString) {
      key(name, first: first)
      first = false
    }
    if let items = block.items {
      next("items")
      array(items) { json, item in
        json.raw("{")
        var firstKey = true
        if let line = item.line {
          json.key("line", first: true)
          json.value(line)
          firstKey = false
        }
        if let list = item.list {
          json.key("list", first: firstKey)
          json.block(list)
          firstKey = false
        }
        json.key("text", first: firstKey)
        json.value(item.text)
        json.raw("}")
      }
    }
    if let level = block.level {
      next("level")
      value(level)
    }
    if let line = block.line {
      next("line")
      value(line)
    }
    if let ordered = block.ordered {
      next("ordered")
      value(ordered)
    }
    if let rows = block.rows {
      next("rows")
      array(rows) { $0.strings($1) }
    }
    if let text = block.text {
      next("text")
      value(text)
    }
    next("type")
    value(block.type)
    raw("}")
  }

  fileprivate mutating func section(_ section: ExtractRecord.SectionRecord) {
    raw("{")
    key("confidence", first: true)
    value(section.confidence)
    key("cues")
    strings(section.cues)
    key("entities")
    array(section.entities) { $0.entity($1) }
    key("heading")
    value(section.heading)
    key("items")
    strings(section.items)
    key("kind")
    value(section.kind)
    key("level")
    value(section.level)
    key("sections")
    array(section.sections) { $0.section($1) }
    key("text")
    value(section.text)
    raw("}")
  }

  fileprivate mutating func entity(_ entity: Entity) {
    raw("{")
    key("end", first: true)
    value(entity.end)
    if let hpo = entity.hpo {
      key("hpo")
      value(hpo)
    }
    if let normalized = entity.normalized {
      key("normalized")
      value(normalized)
    }
    key("red_flag")
    value(entity.redFlag)
    key("start")
    value(entity.start)
    key("text")
    value(entity.text)
    key("type")
    value(entity.type)
    raw("}")
  }

  /// Entities as a JSON array (how the index stores a section's entities), as `JSONOutput.line` writes it.
  static func array(_ entities: [Entity]) -> String {
    var json = CompactJSON(capacity: entities.count * 96 + 2)
    json.array(entities) { $0.entity($1) }
    return json.string
  }

  fileprivate mutating func repair(_ repair: Repair) {
    raw("{")
    key("exact", first: true)
    value(repair.exact)
    key("from")
    value(repair.from)
    key("offset")
    value(repair.offset)
    key("rule")
    value(repair.rule)
    key("to")
    value(repair.to)
    raw("}")
  }

  /// One stored block (`Block`'s own Codable shape: keys sorted, nil keys left out).
  fileprivate mutating func storedBlock(_ block: Block) {
    raw("{")
    if let cells = block.cells {
      key("cells", first: true)
      strings(cells)
      key("depth")
    } else {
      key("depth", first: true)
    }
    value(block.depth)
    key("kind")
    value(block.kind.rawValue)
    key("level")
    value(block.level)
    if let line = block.line {
      key("line")
      value(line)
    }
    key("ordered")
    value(block.ordered)
    key("text")
    value(block.text)
    raw("}")
  }
}

/// The JSON of the index's columns, written as `JSONOutput.line` writes them (a test compares the two), without
/// `JSONEncoder`: an ingest writes several of these per article.
enum StoredJSON {
  static func blocks(_ blocks: [Block]) -> String {
    var json = CompactJSON(capacity: blocks.reduce(64) { $0 + $1.text.utf8.count + 64 })
    json.array(blocks) { $0.storedBlock($1) }
    return json.string
  }

  static func metadata(_ metadata: DocumentMetadata) -> String {
    var json = CompactJSON(capacity: 256)
    json.metadata(metadata)
    return json.string
  }

  static func repairs(_ repairs: [Repair]) -> String {
    var json = CompactJSON(capacity: repairs.count * 96 + 2)
    json.array(repairs) { $0.repair($1) }
    return json.string
  }

  static func strings(_ strings: [String]) -> String {
    var json = CompactJSON(capacity: strings.reduce(2) { $0 + $1.utf8.count + 4 })
    json.strings(strings)
    return json.string
  }
}

extension SearchResponse {
  /// The response as one line of JSON, identical to `JSONOutput.line(self)` and several times faster (for
  /// `/api/search` and `medref search --json`).
  public var jsonLine: String {
    var json = CompactJSON(capacity: 1024 + results.count * 768)
    json.raw("{")
    var first = true
    if let facets {
      json.key("facets", first: true)
      json.raw("{")
      for (index, kind) in facets.keys.sorted().enumerated() {
        if index > 0 { json.raw(",") }
        json.value(kind)
        json.raw(":")
        json.value(facets[kind] ?? 0)
      }
      json.raw("}")
      first = false
    }
    json.key("interpreted", first: first)
    json.value(interpreted)
    json.key("query")
    json.value(query)
    json.key("results")
    json.array(results) { json, hit in
      json.raw("{")
      json.key("id", first: true)
      json.value(hit.id)
      json.key("match")
      json.value(hit.match)
      json.key("path")
      json.value(hit.path)
      json.key("score")
      json.value(hit.score)
      json.key("sections")
      json.array(hit.sections) { json, section in
        json.raw("{")
        json.key("heading", first: true)
        json.value(section.heading)
        json.key("kind")
        json.value(section.kind)
        json.key("score")
        json.value(section.score)
        json.key("snippet")
        json.value(section.snippet)
        json.raw("}")
      }
      if let symptoms = hit.symptoms {
        json.key("symptoms")
        json.strings(symptoms)
      }
      json.key("title")
      json.value(hit.title)
      json.raw("}")
    }
    json.key("suggestions")
    json.strings(suggestions)
    json.key("total")
    json.value(total)
    json.raw("}")
    return json.string
  }
}
