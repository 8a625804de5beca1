import Foundation
import MedRefExtraction
import MedRefPresentation
import MedRefSearch

/// The pages of `medref serve`, server-rendered: they work without JavaScript (`medref.js` only adds keyboard
/// shortcuts and results that follow the typing). All article and query text is escaped by `HTML`.
package enum WebPages {
  /// The frame of every page.
  static func page(title: String, body: HTML, query: String = "", autofocus: Bool = false) -> HTML {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(title)</title>
    <link rel="stylesheet" href="/static/medref.css">
    <script src="/static/medref.js" defer></script>
    </head>
    <body>
    <header class="top">
    <a class="brand" href="/">MedRef</a>
    <form class="search" action="/" method="get" role="search">
    <label class="hidden" for="q">Search the articles</label>
    <input id="q" name="q" type="search" value="\(query)" placeholder="symptom, test, treatment…" \
    maxlength="256"\(HTML(trusted: autofocus ? " autofocus" : "")) autocomplete="off" accesskey="s">
    <button type="submit">Search</button>
    </form>
    </header>
    <main id="main">
    \(body)
    </main>
    <footer class="bottom">Keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> next/previous result. MedRef is a \
    reference, not medical advice.</footer>
    </body>
    </html>

    """
  }

  /// A page with one message (not found, errors).
  static func message(title: String, text: String) -> HTML {
    page(
      title: "\(title) — MedRef",
      body: "<h1>\(title)</h1>\n<p class=\"notice\">\(text)</p>\n<p><a href=\"/\">Search</a></p>")
  }

  /// `/?q=…`: the search box, kind chips with counts, "did you mean", results grouped by article, pages.
  static func search(
    query: String, kinds: [SectionKind], response: SearchResponse?, page: Int, error: String?
  ) -> HTML {
    var body: HTML = ""
    if let error {
      body += "<p class=\"notice error\" role=\"alert\">\(error)</p>\n"
    }
    guard let response else {
      if error == nil {
        body += """
          <h1 class="intro">Search the clinical reference</h1>
          <p class="intro">Words are stemmed; <code>"quoted words"</code> stand together; <code>word*</code> finds \
          words starting so; <code>-word</code> leaves sections with it out; <code>symptoms:numbness</code> searches \
          one kind of section. Other names of a symptom, test or drug count too: <em>pins and needles</em> finds \
          <em>tingling</em>.</p>

          """
      }
      let title = query.isEmpty ? "MedRef" : "\(query) — MedRef"
      return Self.page(title: title, body: body, query: query, autofocus: true)
    }
    body += chips(query: query, kinds: kinds, facets: response.facets ?? [:])
    if let suggestion = response.suggestions.first {
      body += """
        <p class="suggestion">Did you mean <a \
        href="/?q=\(component: suggestion)\(kindParameters(kinds))">\(suggestion)</a>? \
        <span class="dim">Misspelt words were also searched as suggested.</span></p>

        """
    }
    if response.results.isEmpty {
      body += "<p class=\"notice\">No results for <strong>\(query)</strong>"
      body += "\(kinds.isEmpty ? "" : HTML(trusted: " in these kinds of section")).</p>\n"
    } else {
      let first = (page - 1) * WebApp.pageSize + 1
      body += "<p class=\"count\">\(response.total) article\(response.total == 1 ? "" : "s") · "
      body += "\(first)–\(first + response.results.count - 1) · "
      body += "<span class=\"dim\">searched for: \(response.interpreted)</span></p>\n"
      body += "<ol class=\"results\" start=\"\(first)\">\n"
      var someShown = false
      for hit in response.results {
        if hit.match == .someTerms && !someShown {
          body += "<li class=\"divider\" aria-hidden=\"true\">articles with some of the words</li>\n"
          someShown = true
        }
        body += result(hit)
      }
      body += "</ol>\n"
      body += pager(query: query, kinds: kinds, page: page, total: response.total)
    }
    return Self.page(title: "\(query) — MedRef", body: body, query: query)
  }

  /// One article of the results with its best sections.
  static func result(_ hit: SearchResponse.ArticleHit) -> HTML {
    var sections: HTML = ""
    for section in hit.sections {
      sections += """
        <li><span class="kind kind-\(section.kind.rawValue)">\(section.kind.label)</span> <span \
        class="heading">\(section.shownHeading)</span>
        <p class="snippet">\(highlighted(section.snippet))</p></li>

        """
    }
    return """
      <li class="result"><article>
      <h2><a class="result-link" href="/doc/\(component: hit.id)">\(hit.title.isEmpty ? hit.id : hit.title)</a></h2>
      <p class="meta dim">\(hit.id) · score \
      \(String(hit.score))\(HTML(trusted: hit.match == .phrase ? " · exact phrase" : ""))</p>
      <ul class="sections">
      \(sections)</ul>
      </article></li>

      """
  }

  /// The kind filter: "all" and each kind with matching articles, with their counts; the chosen ones marked.
  static func chips(query: String, kinds: [SectionKind], facets: [String: Int]) -> HTML {
    var chips: [HTML] = []
    chips.append(
      "<a class=\"chip\" href=\"/?q=\(component: query)\""
        + "\(HTML(trusted: kinds.isEmpty ? " aria-current=\"true\"" : ""))>all kinds</a>")
    for kind in SectionKind.allCases {
      let count = facets[kind.rawValue] ?? 0
      let chosen = kinds.contains(kind)
      guard count > 0 || chosen else { continue }
      // A chip toggles its kind in the filter.
      let next = chosen ? kinds.filter { $0 != kind } : kinds + [kind]
      chips.append(
        """
        <a class="chip kind-\(kind.rawValue)" href="/?q=\(component: query)\(kindParameters(next))"\
        \(HTML(trusted: chosen ? " aria-current=\"true\"" : ""))>\
        \(kind.label) <span class="n">\(count)</span></a>
        """)
    }
    return "<nav class=\"chips\" aria-label=\"Section kinds\">\n\(HTML(joining: chips, separator: "\n"))\n</nav>\n"
  }

  static func pager(query: String, kinds: [SectionKind], page: Int, total: Int) -> HTML {
    let pages = (total + WebApp.pageSize - 1) / WebApp.pageSize
    guard pages > 1 else { return "" }
    var links: [HTML] = []
    if page > 1 {
      links.append(
        "<a rel=\"prev\" href=\"/?q=\(component: query)\(kindParameters(kinds))&amp;page=\(page - 1)\">← previous</a>")
    }
    links.append("<span>page \(page) of \(pages)</span>")
    if page < pages {
      links.append(
        "<a rel=\"next\" href=\"/?q=\(component: query)\(kindParameters(kinds))&amp;page=\(page + 1)\">next →</a>")
    }
    return "<nav class=\"pager\" aria-label=\"Pages\">\(HTML(joining: links, separator: " "))</nav>\n"
  }

  static func kindParameters(_ kinds: [SectionKind]) -> HTML {
    HTML(joining: kinds.map { "&amp;kind=\($0.rawValue)" })
  }

  /// A snippet with its matched words in `<mark>`: the text is escaped, then the private-use marks the searcher
  /// put around words become elements (paired; stray marks are dropped).
  static func highlighted(_ snippet: String) -> HTML {
    var out = ""
    var open = false
    var run = ""
    func flush() {
      out += HTML.escape(run)
      run = ""
    }
    for character in snippet {
      if String(character) == Searcher.highlightStart {
        flush()
        if !open { out += "<mark>" }
        open = true
      } else if String(character) == Searcher.highlightEnd {
        flush()
        if open { out += "</mark>" }
        open = false
      } else {
        run.append(character)
      }
    }
    flush()
    if open { out += "</mark>" }
    return HTML(trusted: out)
  }

  /// `/doc/ID`: the article, its sections by kind with items and entities, red flags first, repairs, source.
  /// The page of one article; `cut` says that it was read within the page limits, and the page says so.
  static func article(_ article: Article, cut: Bool = false) -> HTML {
    var body: HTML = "<article class=\"doc\">\n<h1>\(article.title.isEmpty ? article.id : article.title)</h1>\n"
    if cut {
      body += """
        <p class="note">This article is very large: only its first part is shown here (long sections are cut).
        <code>medref export \(article.id)</code> gives it whole.</p>

        """
    }
    var facts: [HTML] = ["<dt>id</dt><dd>\(article.id)</dd>", "<dt>source file</dt><dd>\(article.path)</dd>"]
    if let url = article.metadata.url {
      if let safe = safeLink(url) {
        facts.append("<dt>source</dt><dd><a href=\"\(safe)\" rel=\"noopener noreferrer nofollow\">\(url)</a></dd>")
      } else {
        facts.append("<dt>source</dt><dd>\(url)</dd>")
      }
    }
    for (name, value) in [
      ("site", article.metadata.site), ("author", article.metadata.author), ("published", article.metadata.published),
    ] {
      if let value, !value.isEmpty { facts.append("<dt>\(name)</dt><dd>\(value)</dd>") }
    }
    facts.append("<dt>encoding</dt><dd>\(article.encoding) <span class=\"dim\">(\(article.encodingReason))</span></dd>")
    body += "<dl class=\"facts\">\n\(HTML(joining: facts, separator: "\n"))\n</dl>\n"

    // Red flags first: the mentions that call for urgent care, with the section they are in.
    let view = ArticleView(article)
    let flags = view.redFlags.map { flag -> HTML in
      let section = view.sections[flag.section]
      return "<li><mark class=\"flag\">\(flag.entity.entity.text)</mark> — <a href=\"#s\(section.number)\">"
        + "\(section.heading)</a></li>"
    }
    if !flags.isEmpty {
      body += """
        <aside class="red-flags" aria-labelledby="flags"><h2 id="flags">Red flags</h2>
        <ul>
        \(HTML(joining: flags, separator: "\n"))
        </ul></aside>

        """
    }

    // Contents, then the sections.
    let contents = view.sections.map { entry -> HTML in
      let section = entry.section
      return "<li class=\"level-\(min(max(section.level, 1), 6))\"><a href=\"#s\(entry.number)\">\(entry.heading)</a> "
        + "<span class=\"kind kind-\(section.kind.rawValue)\">\(entry.kindLabel)</span></li>"
    }
    body +=
      "<nav class=\"contents\" aria-label=\"Sections\"><ol>\n\(HTML(joining: contents, separator: "\n"))\n</ol></nav>\n"
    for entry in view.sections { body += section(entry) }

    if !article.repairs.isEmpty {
      let shown = article.repairs.prefix(200)
      let rows = shown.map { repair -> HTML in
        "<tr><td><code>\(repair.from)</code></td><td><code>\(repair.to)</code></td><td>\(repair.rule)</td>"
          + "<td>\(repair.exact ? "exact" : "guessed")</td></tr>"
      }
      let more = HTML(trusted: article.repairs.count > shown.count ? "<p class=\"dim\">(first 200 shown)</p>" : "")
      body += """
        <section class="repairs" aria-labelledby="repairs"><h2 id="repairs">Encoding repairs \
        (\(article.repairs.count))</h2>
        <table><thead><tr><th>was</th><th>now</th><th>rule</th><th></th></tr></thead><tbody>
        \(HTML(joining: rows, separator: "\n"))
        </tbody></table>\(more)</section>

        """
    }
    body += "<p class=\"dim\"><a href=\"/api/doc/\(component: article.id)\">This article as JSON</a></p>\n</article>\n"
    return page(title: "\(article.title.isEmpty ? article.id : article.title) — MedRef", body: body)
  }

  /// One section: heading with its kind, how it was classified, text, items, entities.
  static func section(_ entry: SectionView) -> HTML {
    let section = entry.section
    let level = min(max(section.level, 1), 4) + 1
    var out: HTML = """
      <section id="s\(entry.number)" class="section kind-\(section.kind.rawValue)">
      <h\(level)><span class="kind kind-\(section.kind.rawValue)">\(entry.kindLabel)</span> \
      \(entry.heading)</h\(level)>
      <p class="cues dim">classified by: \(section.cues.isEmpty ? "position" : section.cues.joined(separator: "; "))</p>

      """
    // The text, paragraph by paragraph, with red-flag mentions marked.
    let flags = section.entities.filter(\.redFlag)
    for paragraph in section.text.split(separator: "\n", omittingEmptySubsequences: true) {
      out += "<p>\(markFlags(String(paragraph), flags: flags))</p>\n"
    }
    if !section.items.isEmpty {
      out += "<ul class=\"items\">\n\(HTML(joining: section.items.map { "<li>\($0)</li>" }, separator: "\n"))\n</ul>\n"
    }
    if !entry.entities.isEmpty {
      let entries = entry.entities.map { view -> HTML in
        let entity = view.entity
        var item: HTML = "<li class=\"entity \(entity.type.rawValue)\(HTML(trusted: entity.redFlag ? " flag" : ""))\">"
        item += "<span class=\"type\">\(entity.type.rawValue)</span> \(entity.text)"
        if let renamed = view.renamed { item += " → \(renamed)" }
        if let hpo = entity.hpo {
          item += " <a class=\"hpo\" href=\"https://hpo.jax.org/browse/term/\(component: hpo)\""
          item += " rel=\"noopener noreferrer nofollow\">\(hpo)</a>"
        }
        return item + "</li>"
      }
      out += "<ul class=\"entities\" aria-label=\"Entities\">\n\(HTML(joining: entries, separator: "\n"))\n</ul>\n"
    }
    return out + "</section>\n"
  }

  /// A paragraph with the red-flag phrases it contains in `<mark class="flag">`.
  static func markFlags(_ paragraph: String, flags: [Entity]) -> HTML {
    guard !flags.isEmpty else { return "\(paragraph)" }
    var out = ""
    var rest = Substring(paragraph)
    let phrases = Set(flags.map(\.text)).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    while !rest.isEmpty {
      var earliest: (range: Range<Substring.Index>, phrase: String)?
      for phrase in phrases {
        if let range = rest.range(of: phrase), earliest.map({ range.lowerBound < $0.range.lowerBound }) ?? true {
          earliest = (range, phrase)
        }
      }
      guard let found = earliest else {
        out += HTML.escape(String(rest))
        break
      }
      out += HTML.escape(String(rest[..<found.range.lowerBound]))
      out += "<mark class=\"flag\">" + HTML.escape(String(rest[found.range])) + "</mark>"
      rest = rest[found.range.upperBound...]
    }
    return HTML(trusted: out)
  }

  /// `url` when it is an absolute `http:` or `https:` address (anything else — `javascript:`, `data:` — is shown
  /// as text, never linked).
  static func safeLink(_ url: String) -> String? {
    let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
    let lower = trimmed.lowercased()
    guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
      !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "\"" || $0 == "<" || $0 == ">" })
    else { return nil }
    return trimmed
  }
}
