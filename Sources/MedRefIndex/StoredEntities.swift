import Foundation
import MedRefBase
import MedRefExtraction

/// How the index stores a section's entities: one JSON array per entity, `[start, end, type, normalized, hpo,
/// red flag]` (`null` for a missing name or id, `1`/`0` for the flag), the entity's words being the section text's
/// UTF-8 bytes `start..<end`. A third the size of the extract object's keyed form, and the words are not stored
/// twice. `decode` also reads the keyed form that indexes written before it hold; an entity of a type MedRef does not
/// know is left out.
package enum StoredEntities {
  static func encode(_ entities: [Entity]) -> String {
    var json = CompactJSON(capacity: entities.count * 48 + 2)
    json.array(entities) { json, entity in
      json.raw("[")
      json.value(entity.start)
      json.raw(",")
      json.value(entity.end)
      json.raw(",")
      json.value(entity.type.rawValue)
      json.raw(",")
      if let normalized = entity.normalized { json.value(normalized) } else { json.raw("null") }
      json.raw(",")
      if let hpo = entity.hpo { json.value(hpo) } else { json.raw("null") }
      json.raw(entity.redFlag ? ",1]" : ",0]")
    }
    return json.string
  }

  /// The entities of a section whose text is `text`.
  package static func decode(_ json: String, text: String) -> [Entity] {
    guard json != "[]", let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any] else {
      return []
    }
    let utf8 = Array(text.utf8)
    var entities: [Entity] = []
    entities.reserveCapacity(parsed.count)
    for element in parsed {
      if let fields = element as? [Any], fields.count == 6, let start = fields[0] as? Int, let end = fields[1] as? Int,
        let typeName = fields[2] as? String, let type = EntityType(rawValue: typeName), start >= 0, start <= end,
        end <= utf8.count
      {
        entities.append(
          Entity(
            text: String(decoding: utf8[start..<end], as: UTF8.self), type: type, start: start, end: end,
            hpo: fields[4] as? String, normalized: fields[3] as? String, redFlag: (fields[5] as? Int ?? 0) != 0))
      } else if let keyed = element as? [String: Any], let text = keyed["text"] as? String,
        let typeName = keyed["type"] as? String, let type = EntityType(rawValue: typeName),
        let start = keyed["start"] as? Int, let end = keyed["end"] as? Int
      {
        entities.append(
          Entity(
            text: text, type: type, start: start, end: end, hpo: keyed["hpo"] as? String,
            normalized: keyed["normalized"] as? String, redFlag: keyed["red_flag"] as? Bool ?? false))
      }
    }
    return entities
  }
}
