import MedRefBase
import MedRefSearch

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
      json.value(hit.match.rawValue)
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
        json.value(section.kind.rawValue)
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
