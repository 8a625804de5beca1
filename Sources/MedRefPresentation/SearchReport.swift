import MedRefBase
import MedRefExtraction
import MedRefSearch

/// Search results as text for a reader (`medref search`): "did you mean", each article with its best sections and
/// their snippets (matched words highlighted by the style: in colour, or in brackets), the counts.
public struct SearchReport: Sendable {
  public var style: TextStyle

  public init(style: TextStyle = .plain) {
    self.style = style
  }

  /// The report of `response`, whose results start after `offset` others (they are numbered from `offset + 1`).
  public func render(_ response: SearchResponse, offset: Int) -> String {
    var out = ""
    if let suggestion = response.suggestions.first {
      out += "Did you mean: \(style.bold(suggestion))? (misspelt words were also searched as suggested)\n"
    }
    guard !response.results.isEmpty else {
      return out
        + "No results for \(response.query.escapingControlCharacters) (searched for: \(response.interpreted)).\n"
    }
    let (open, close) = style.highlight
    var someShown = false
    for (number, hit) in response.results.enumerated() {
      if hit.match == .someTerms && !someShown {
        out += style.dim("— articles with some of the words —") + "\n"
        someShown = true
      }
      // Ids and titles come from file names and pages: control characters in them are escaped (a newline in a
      // file name must not start a line of its own).
      let title = hit.title.escapingControlCharacters
      let id = hit.id.escapingControlCharacters
      out += "\(offset + number + 1). \(style.bold(title))  \(style.dim("\(id)  score \(hit.score)"))\n"
      if let symptoms = hit.symptoms, !symptoms.isEmpty {
        out += "   " + style.dim("names: " + symptoms.joined(separator: ", ").escapingControlCharacters) + "\n"
      }
      for section in hit.sections {
        // The kind as Swift names the case (`riskFactors`), as this report always showed it.
        out += "   \(section.shownHeading.escapingControlCharacters) [\(section.kind)]\n"
        let snippet = section.snippet.replacingOccurrences(of: "\n", with: " ").escapingControlCharacters
          .replacingOccurrences(of: Searcher.highlightStart, with: open)
          .replacingOccurrences(of: Searcher.highlightEnd, with: close)
        out += "     \(snippet)\n"
      }
    }
    if let facets = response.facets, !facets.isEmpty {
      let counts = SectionKind.allCases.compactMap { kind in facets[kind.rawValue].map { "\(kind.rawValue) \($0)" } }
      out += style.dim("articles by section kind: " + counts.joined(separator: ", ")) + "\n"
    }
    let shown = offset + response.results.count
    out +=
      style.dim(
        "\(response.results.count) of \(response.total) articles (\(offset + 1)–\(shown)); "
          + "searched for: \(response.interpreted)") + "\n"
    return out
  }
}
