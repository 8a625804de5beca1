import CLibXML2
import Foundation

/// What a page's schema.org JSON-LD (`<script type="application/ld+json">`) says about its article.
package struct LinkedData: Equatable {
  var headline: String?
  var author: String?
  var published: String?
  var site: String?
  var url: String?
  var language: String?
  /// The article's text as the publisher gives it (`articleBody`), paragraphs separated by newlines.
  var articleBody: String?
}

/// Reads JSON-LD blocks anywhere in a page and keeps the first article-like object's fields (`NewsArticle`,
/// `BlogPosting`, `MedicalWebPage`... or any object with a `headline` or `articleBody`), looking into `@graph`
/// arrays. Malformed JSON is skipped: publishers often leave trailing commas or raw newlines in these scripts.
package struct LinkedDataReader {
  /// schema.org types whose objects describe the page's article.
  static let articleTypes: Set<String> = [
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "medicalwebpage", "medicalscholarlyarticle", "scholarlyarticle", "techarticle", "report", "webpage",
    "healthtopiccontent", "recipe", "review", "posting", "socialmediaposting", "discussionforumposting",
  ]

  func read(from root: XMLNode) -> LinkedData {
    var data = LinkedData()
    var scripts: [String] = []
    collectScripts(root, depth: 0, into: &scripts)
    for script in scripts {
      guard let bytes = script.data(using: .utf8),
        let json = try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
      else { continue }
      visit(json, into: &data, depth: 0)
    }
    return data
  }

  private func collectScripts(_ node: XMLNode, depth: Int, into scripts: inout [String]) {
    guard depth < 64 else { return }
    var child = node.pointee.children
    while let current = child {
      child = current.pointee.next
      guard current.isElement, current.pointee.children != nil else { continue }
      if current.hasName("script") {
        if current.attribute("type")?.lowercased().contains("ld+json") == true {
          scripts.append(current.childNodes.filter(\.isText).map(\.textContent).joined())
        }
      } else {
        collectScripts(current, depth: depth + 1, into: &scripts)
      }
    }
  }

  private func visit(_ value: Any, into data: inout LinkedData, depth: Int) {
    guard depth < 8 else { return }
    if let array = value as? [Any] {
      for element in array { visit(element, into: &data, depth: depth + 1) }
      return
    }
    guard let object = value as? [String: Any] else { return }
    if let graph = object["@graph"] { visit(graph, into: &data, depth: depth + 1) }
    let types = Self.strings(object["@type"]).map { $0.lowercased() }
    let isArticle =
      types.contains { Self.articleTypes.contains($0) } || object["headline"] != nil || object["articleBody"] != nil
    if types.contains("website") || types.contains("organization") {
      data.site = data.site ?? (object["name"] as? String).map(Self.clean)
    }
    guard isArticle else { return }
    // A `WebPage` only fills what an article object has not.
    data.headline = data.headline ?? Self.strings(object["headline"]).first.map(Self.clean)
    data.author = data.author ?? Self.names(object["author"]).first
    data.published = data.published ?? (object["datePublished"] as? String)
    data.language = data.language ?? (object["inLanguage"] as? String)
    if data.url == nil, let url = object["url"] as? String, url.hasPrefix("http") { data.url = url }
    if data.site == nil, let publisher = object["publisher"] { data.site = Self.names(publisher).first }
    if let body = object["articleBody"] as? String, body.count > (data.articleBody?.count ?? 0) {
      data.articleBody = body
    }
  }

  private static func strings(_ value: Any?) -> [String] {
    if let string = value as? String { return [string] }
    if let array = value as? [Any] { return array.compactMap { $0 as? String } }
    return []
  }

  /// Names of persons or organisations: a string, an object with `name`, or an array of either.
  private static func names(_ value: Any?) -> [String] {
    if let string = value as? String { return string.isEmpty ? [] : [clean(string)] }
    if let object = value as? [String: Any], let name = object["name"] as? String, !name.isEmpty {
      return [clean(name)]
    }
    if let array = value as? [Any] { return array.flatMap { names($0) } }
    return []
  }

  private static func clean(_ text: String) -> String { TextNormalizer.collapseWhitespace(text, mapC1: true) }
}
