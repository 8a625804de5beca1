import MedRefBase
import MedRefText

extension ExtractRecord: JSONLineWritable {
  /// The record as one line of JSON (`JSONOutput.line(self)`).
  public var jsonLine: String { JSONOutput.line(self) }

  package var estimatedJSONSize: Int { text.utf8.count * 3 + 1024 }

  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("blocks", first: true)
    json.array(blocks) { $0.block($1) }
    if let contentHash {
      json.key("content_hash")
      json.value(contentHash)
    }
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
  }
}

extension ExtractRecord.BlockRecord: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.block(self) }
}

extension CompactJSON {
  package mutating func metadata(_ metadata: DocumentMetadata) {
    raw("{")
    var first = true
    for (name, value) in [
      ("author", metadata.author), ("crawled", metadata.crawled), ("language", metadata.language),
      ("published", metadata.published), ("site", metadata.site), ("url", metadata.url),
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

  package mutating func block(_ block: ExtractRecord.BlockRecord) {
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

  package mutating func section(_ section: ExtractRecord.SectionRecord) {
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

  package mutating func entity(_ entity: Entity) {
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
    value(entity.type.rawValue)
    raw("}")
  }

  /// Entities as a JSON array (the keyed form older indexes stored a section's entities in).
  static func array(_ entities: [Entity]) -> String {
    var json = CompactJSON(capacity: entities.count * 96 + 2)
    json.array(entities) { $0.entity($1) }
    return json.string
  }

  /// One stored block (`Block`'s own Codable shape: keys sorted, nil keys left out).
  package mutating func storedBlock(_ block: Block) {
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
