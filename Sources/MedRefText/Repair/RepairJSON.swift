import MedRefBase

extension CompactJSON {
  /// One repair: `{"exact", "from", "offset", "rule", "to"}`.
  package mutating func repair(_ repair: Repair) {
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
}

extension Repair: JSONLineWritable {
  package func write(into json: inout CompactJSON) { json.repair(self) }
}

extension LineNormalizer.LineExplanation: JSONLineWritable {
  /// `medref normalize --explain`'s line: `{"fixed", "line", "original", "repairs"}`.
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("fixed", fixed)
    json.field("line", line)
    json.field("original", original)
    json.key("repairs")
    json.array(repairs) { $0.repair($1) }
    json.raw("}")
  }

  package var estimatedJSONSize: Int { original.utf8.count * 2 + repairs.count * 96 + 64 }
}
