import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefIndex
@testable import MedRefSearch
@testable import MedRefWeb

/// An index of the sample article and a hostile page (scripts, event handlers, `javascript:` links, markup written
/// as text), served read-only by a `WebApp`.
final class WebFixture: @unchecked Sendable {
  let folder: TemporaryFolder
  let app: WebApp
  let indexPath: String

  init() throws {
    folder = try TemporaryFolder()
    try folder.write("articles/back-spasms.txt", try Fixture.bytes("back-spasms.txt"))
    try folder.write("articles/hostile.html", try Fixture.bytes("web/hostile.html"))
    indexPath = folder.path + "/Index/medref.sqlite"
    let store = try IndexStore(path: indexPath, create: true)
    let report = try Ingestor(store: store).ingest([folder.path + "/articles"])
    precondition(report.added.count == 2, "\(report)")
    app = WebApp(store: try IndexStore(readOnlyAt: indexPath))
  }

  func get(_ target: String) -> WebResponse {
    app.respond(to: WebRequest(method: "GET", target: target))
  }
}

/// The start tags of a page, as a browser's tokenizer reads them: name and attributes (quoted or not).
enum StartTags {
  struct Tag: CustomStringConvertible {
    var name: String
    var attributes: [(name: String, value: String)]
    var description: String { "<\(name) \(attributes.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: " "))>" }
  }

  static func of(_ html: String) -> [Tag] {
    let chars = Array(html.unicodeScalars)
    var tags: [Tag] = []
    var index = 0
    func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
      !(c == " " || c == "\n" || c == "\t" || c == "\r" || c == "/" || c == ">" || c == "=")
    }
    while index < chars.count {
      guard chars[index] == "<", index + 1 < chars.count, chars[index + 1].properties.isAlphabetic else {
        index += 1
        continue
      }
      index += 1
      var name = ""
      while index < chars.count, isNameCharacter(chars[index]) {
        name.unicodeScalars.append(chars[index])
        index += 1
      }
      var attributes: [(String, String)] = []
      while index < chars.count, chars[index] != ">" {
        if !isNameCharacter(chars[index]) {
          index += 1
          continue
        }
        var attribute = ""
        while index < chars.count, isNameCharacter(chars[index]) {
          attribute.unicodeScalars.append(chars[index])
          index += 1
        }
        var value = ""
        if index < chars.count, chars[index] == "=" {
          index += 1
          if index < chars.count, chars[index] == "\"" || chars[index] == "'" {
            let quote = chars[index]
            index += 1
            while index < chars.count, chars[index] != quote {
              value.unicodeScalars.append(chars[index])
              index += 1
            }
            index += 1
          } else {
            while index < chars.count, chars[index] != " ", chars[index] != ">" {
              value.unicodeScalars.append(chars[index])
              index += 1
            }
          }
        }
        attributes.append((attribute.lowercased(), value))
      }
      tags.append(Tag(name: name.lowercased(), attributes: attributes))
    }
    return tags
  }

  /// Elements MedRef's pages use; anything else on a page came from an article.
  static let allowed: Set<String> = [
    "html", "head", "meta", "title", "link", "script", "body", "header", "a", "form", "label", "input", "button",
    "main", "footer", "kbd", "nav", "p", "ol", "ul", "li", "article", "h1", "h2", "h3", "h4", "h5", "h6", "span",
    "mark", "dl", "dt", "dd", "aside", "section", "table", "thead", "tbody", "tr", "th", "td", "code", "strong", "em",
  ]

  /// What on `html` could run or load something the page did not mean to: problems, one line each.
  static func activeContent(_ html: String) -> [String] {
    var problems: [String] = []
    for tag in of(html) {
      if !allowed.contains(tag.name) { problems.append("element from content: \(tag)") }
      if tag.name == "script" && !(tag.attributes.count == 2 && tag.attributes[0] == ("src", "/static/medref.js")) {
        problems.append("script: \(tag)")
      }
      for (name, value) in tag.attributes {
        if name.hasPrefix("on") { problems.append("event handler: \(tag)") }
        let scheme = value.lowercased().filter { !$0.isWhitespace }
        if ["href", "src", "action", "formaction"].contains(name),
          scheme.hasPrefix("javascript:") || scheme.hasPrefix("data:") || scheme.hasPrefix("vbscript:")
        {
          problems.append("active link: \(tag)")
        }
        if ![
          "href", "src", "action", "rel", "class", "id", "lang", "charset", "name", "content", "type", "value",
          "placeholder", "maxlength", "autofocus", "autocomplete", "accesskey", "method", "role", "for", "start",
          "aria-label", "aria-labelledby", "aria-current", "aria-hidden", "defer",
        ].contains(name) {
          problems.append("unexpected attribute \(name): \(tag)")
        }
      }
    }
    return problems
  }
}

@Suite("WebApp: pages and JSON over a read-only index")
struct WebAppTests {
  @Test("the search page for 'numbness' lists the sample article's symptoms section, marked, with kind counts")
  func searchPage() throws {
    let web = try WebFixture()
    let response = web.get("/?q=numbness")
    #expect(response.status == 200)
    #expect(response.header("Content-Type") == "text/html; charset=utf-8")
    let page = response.text
    #expect(
      page.contains("<a class=\"result-link\" href=\"/doc/articles/back-spasms\">How To Help Lower Back Spasms</a>"))
    #expect(page.contains("<span class=\"heading\">What Are The Symptoms Of The Lower Back Muscle Spasm</span>"))
    #expect(page.contains("<mark>numbness</mark>"))
    // Both articles have a symptoms section naming numbness: the chip counts them and filters by its kind.
    #expect(
      page.contains(
        "<a class=\"chip kind-symptoms\" href=\"/?q=numbness&amp;kind=symptoms\">"
          + "symptoms <span class=\"n\">2</span></a>"),
      "\(page)")
    #expect(StartTags.activeContent(page).isEmpty, "\(StartTags.activeContent(page))")
  }

  @Test("a kind filter keeps only sections of that kind; its chip is marked and toggles it off")
  func kindFilter() throws {
    let web = try WebFixture()
    let page = web.get("/?q=ibuprofen&kind=treatment").text
    let kinds = page.components(separatedBy: "<li><span class=\"kind kind-").dropFirst().map {
      $0.prefix { $0 != "\"" }
    }
    #expect(!kinds.isEmpty && kinds.allSatisfy { $0 == "treatment" }, "\(kinds)")
    #expect(page.contains("href=\"/?q=ibuprofen\" aria-current=\"true\">treatment"))
  }

  @Test("a misspelt query offers the index word as a link, and pages through results")
  func didYouMean() throws {
    let web = try WebFixture()
    let page = web.get("/?q=numbnes").text
    #expect(page.contains("Did you mean <a href=\"/?q=numbness\">numbness</a>?"), "\(page)")
    #expect(page.contains("<mark>numbness</mark>"))
  }

  @Test("the empty page has the search box focused and explains the query language")
  func landing() throws {
    let page = try WebFixture().get("/").text
    #expect(page.contains("<input id=\"q\" name=\"q\" type=\"search\" value=\"\""))
    #expect(page.contains(" autofocus "))
    #expect(page.contains("Search the clinical reference"))
  }

  @Test("the article page shows sections by kind, items, entities with HPO ids, red flags and the source")
  func articlePage() throws {
    let web = try WebFixture()
    let response = web.get("/doc/back-spasms")
    #expect(response.status == 200)
    let page = response.text
    #expect(page.contains("<h1>How To Help Lower Back Spasms</h1>"))
    #expect(page.contains("<aside class=\"red-flags\""))
    #expect(page.contains("<mark class=\"flag\">lose control of your bowels or bladder</mark>"))
    #expect(
      page.contains(
        "<span class=\"kind kind-symptoms\">symptoms</span> What Are The Symptoms Of The Lower Back Muscle Spasm"))
    #expect(page.contains("<li>You feel pain in the spasm area.</li>"))
    #expect(
      page.contains("tingling → Paresthesia <a class=\"hpo\" href=\"https://hpo.jax.org/browse/term/HP%3A0003401\""))
    #expect(page.contains("<dt>source file</dt><dd>") && page.contains("articles/back-spasms.txt</dd>"))
    #expect(StartTags.activeContent(page).isEmpty, "\(StartTags.activeContent(page))")
  }

  @Test(
    "a hostile page's scripts, handlers and javascript: links reach no output active",
    arguments: [
      "/doc/articles/hostile", "/?q=numbness", "/?q=pins+and+needles", "/?q=tingling&kind=symptoms", "/?q=ibuprofen",
      "/?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&kind=symptoms",
      "/%3Cscript%3Ealert(1)%3C/script%3E", "/?q=x&kind=%3Cscript%3E", "/doc/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ])
  func hostile(target: String) throws {
    let web = try WebFixture()
    let response = web.get(target)
    let page = response.text
    #expect(StartTags.activeContent(page).isEmpty, "\(target): \(StartTags.activeContent(page))")
    #expect(!page.contains("<script>"), "\(target)")
    #expect(response.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
    #expect(response.header("X-Content-Type-Options") == "nosniff")
  }

  @Test("the hostile article's markup is shown as text, and its javascript: source address is not a link")
  func hostileAsText() throws {
    let page = try WebFixture().get("/doc/articles/hostile").text
    #expect(
      page.contains(
        "Numbness &lt;script&gt;document.documentElement.setAttribute(&#39;data-xss&#39;,&#39;title&#39;)"
          + "&lt;/script&gt; and tingling"))
    #expect(page.contains("Symptoms &lt;img src=x onerror=&quot;document.documentElement"))
    #expect(page.contains("Tingling at night &quot; onmouseover=&quot;document"))
    #expect(page.contains("<dt>source</dt><dd>javascript:document.documentElement"))
    #expect(!page.contains("href=\"javascript:"))
    // The page's own scripts and handlers were dropped by the extraction; their text never reaches the page.
    #expect(!page.contains("head-script") && !page.contains("body-onload") && !page.contains("img-onerror"))
  }

  @Test("/api/search gives the object of medref search --json; facets on request")
  func apiSearch() throws {
    let web = try WebFixture()
    let response = web.get("/api/search?q=numbness&limit=5")
    #expect(response.status == 200)
    #expect(response.header("Content-Type") == "application/json; charset=utf-8")
    let expected = try Searcher(store: web.app.store).search(SearchRequest(text: "numbness", limit: 5)).bracketed()
      .jsonLine
    #expect(response.text == expected + "\n")
    let object = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    #expect(object["facets"] == nil)
    let results = try #require(object["results"] as? [[String: Any]])
    #expect(results.contains { $0["id"] as? String == "articles/back-spasms" })
    let sections = results.flatMap { $0["sections"] as? [[String: Any]] ?? [] }
    #expect(sections.contains { ($0["snippet"] as? String)?.contains("[numbness]") == true })

    let faceted = try #require(
      JSONSerialization.jsonObject(with: Data(web.get("/api/search?q=numbness&facets=1").body)) as? [String: Any])
    #expect((faceted["facets"] as? [String: Int])?["symptoms"] == 2)
  }

  @Test(
    "SearchResponse.jsonLine writes exactly what JSONEncoder writes",
    arguments: [
      ("numbness", false), ("numbnes", true), ("pins and needles", true), ("ibuprofen", true),
      ("\"bladder control\"", false),
      ("data-xss onmouseover", true), ("nothingmatchesthis", true),
    ])
  func compactSearchJSON(query: String, facets: Bool) throws {
    let web = try WebFixture()
    let response = try web.app.searcher.search(SearchRequest(text: query, facets: facets)).bracketed()
    #expect(response.jsonLine == EncoderReference.line(response))
  }

  @Test("/api/doc/ID gives the extract object of medref export; /healthz counts the articles")
  func apiDocument() throws {
    let web = try WebFixture()
    let response = web.get("/api/doc/articles/back-spasms")
    #expect(response.status == 200)
    let expected = ExtractRecord(try web.app.store.article(id: "articles/back-spasms")).jsonLine
    #expect(response.text == expected + "\n")
    #expect(web.get("/healthz").text == "{\"documents\":2,\"status\":\"ok\"}\n")
  }

  @Test(
    "bad parameters get a 400 naming them",
    arguments: [
      ("/?q=" + String(repeating: "a", count: 257), "q: query too long"),
      ("/api/search?q=" + String(repeating: "a", count: 257), "q: query too long"),
      ("/api/search?q=x&kind=bogus", "kind: unknown section kind 'bogus'"),
      ("/?q=x&kind=bogus", "kind: unknown section kind &#39;bogus&#39;"),
      ("/api/search?q=x&limit=0", "limit: '0' is not a whole number from 1 to 50"),
      ("/api/search?q=x&limit=51", "limit: '51'"),
      ("/api/search?q=x&limit=ten", "limit: 'ten'"),
      ("/api/search?q=x&offset=-1", "offset: '-1'"),
      ("/api/search?q=x&offset=1001", "offset: '1001'"),
      ("/?q=x&page=0", "page: &#39;0&#39;"),
      ("/?q=x&page=102", "page: &#39;102&#39;"),
      ("/api/search", "q: missing"),
      ("/api/search?q=%28%29", "nothing to search for"),
      ("/?q=%28%29", "nothing to search for"),
    ])
  func badParameters(target: String, message: String) throws {
    let response = try WebFixture().get(target)
    #expect(response.status == 400, "\(target)")
    #expect(response.text.contains(message), "\(target): \(response.text.prefix(400))")
  }

  @Test("unknown pages and documents are 404, other methods 405, HEAD has no body")
  func statuses() throws {
    let web = try WebFixture()
    #expect(web.get("/doc/nope").status == 404)
    #expect(web.get("/api/doc/nope").status == 404)
    #expect(web.get("/api/doc/nope").text.contains("no such document"))
    #expect(web.get("/nothing-here").status == 404)
    #expect(web.get("/api/nothing").status == 404)
    let post = web.app.respond(to: WebRequest(method: "POST", target: "/?q=x"))
    #expect(post.status == 405 && post.header("Allow") == "GET, HEAD")
    let head = web.app.respond(to: WebRequest(method: "HEAD", target: "/?q=numbness"))
    #expect(head.status == 200 && head.body.isEmpty)
    #expect(web.get("/static/medref.css").header("Content-Type") == "text/css; charset=utf-8")
    #expect(web.get("/static/medref.js").text.contains("addEventListener"))
  }

  @Test("the index is opened read-only: storing through it fails and leaves it as it was")
  func readOnly() throws {
    let web = try WebFixture()
    var article = try web.app.store.article(id: "articles/back-spasms")
    article.contentHash = "changed"
    #expect(throws: MedRefError.self) { try web.app.store.store(article) }
    #expect(try web.app.store.article(id: "articles/back-spasms").contentHash != "changed")
    #expect(throws: MedRefError.missingIndex(path: web.folder.path + "/none.sqlite")) {
      try IndexStore(readOnlyAt: web.folder.path + "/none.sqlite")
    }
    #expect(try web.app.store.documentCount() == 2)
  }
}

@Suite("HTML escaping and URL parts")
struct HTMLTests {
  @Test("strings interpolated into HTML are escaped; HTML values are not")
  func interpolation() {
    let text = "<script>alert('x') & \"y\"</script>\u{0}"
    let html: HTML = "<p title=\"\(text)\">\(text)</p>\(HTML(trusted: "<br>"))"
    #expect(
      html.markup
        == "<p title=\"&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\">"
        + "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p><br>")
  }

  @Test("percent-encoding round-trips; targets are split into path and repeated, decoded parameters")
  func urls() {
    let text = "pins & needles/é?#\"+"
    #expect(HTML.percentDecode(HTML.percentEncode(text), plusIsSpace: true) == text)
    let request = WebRequest(
      method: "GET", target: "/doc/a%20b?q=pins+and%20needles&kind=symptoms&kind=tests&x&bad=%zz")
    #expect(request.path == "/doc/a b")
    #expect(request.value("q") == "pins and needles")
    #expect(request.values("kind") == ["symptoms", "tests"])
    #expect(request.value("x") == "")
    #expect(request.value("bad") == "%zz")
  }

  @Test("snippet marks become <mark> elements, paired; stray marks are dropped")
  func highlights() {
    let start = Searcher.highlightStart
    let end = Searcher.highlightEnd
    #expect(WebPages.highlighted("a \(start)<b>\(end) c").markup == "a <mark>&lt;b&gt;</mark> c")
    #expect(WebPages.highlighted("\(end)a \(start)b").markup == "a <mark>b</mark>")
  }

  @Test("only http and https addresses become links")
  func links() {
    #expect(WebPages.safeLink("https://example.org/a?b=c") == "https://example.org/a?b=c")
    #expect(WebPages.safeLink(" JavaScript:alert(1)") == nil)
    #expect(WebPages.safeLink("data:text/html,x") == nil)
    #expect(WebPages.safeLink("https://example.org/\"onmouseover=x") == nil)
  }
}
