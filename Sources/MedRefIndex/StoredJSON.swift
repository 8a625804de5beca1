import MedRefBase
import MedRefExtraction
import MedRefText

/// The JSON of the index's columns, written with `CompactJSON` as every JSON output is (`JSONOutput`): sorted keys,
/// no escaped slashes (a test pins the bytes against `JSONEncoder`'s).
package enum StoredJSON {
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
