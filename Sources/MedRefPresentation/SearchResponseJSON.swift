import MedRefBase
import MedRefSearch

extension SearchResponse: JSONLineWritable {
  /// The response as one line of JSON (`/api/search`, `medref search --json`; with a qid, its batch mode).
  public var jsonLine: String { JSONOutput.line(self) }

  package var estimatedJSONSize: Int { 1024 + results.count * 768 }

  package func write(into json: inout CompactJSON) { write(into: &json, qid: nil) }

  /// The response's object, with `"qid"` among its keys when there is one (a line of batch search).
  package func write(into json: inout CompactJSON, qid: String?) {
    json.raw("{")
    var first = true
    if let facets {
      json.key("facets", first: true)
      json.counts(facets)
      first = false
    }
    json.key("interpreted", first: first)
    json.value(interpreted)
    if let qid {
      json.key("qid")
      json.value(qid)
    }
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
  }
}
