import Testing

/// What the HTML extractor is known to get wrong today (README, "Known limitations"). A test of one of these asserts
/// the output as it is, with the limitation as the expectation's comment, instead of expecting a failure: it fails
/// when the limitation is fixed (then assert the right output with the passing cases) and when the output changes
/// in any other way, and `swift test` reports no known issues.
enum KnownLimitation {
  /// `HTMLRobustnessTests.strayEndTag`.
  static let strayEndTag =
    "after an early </div> the paragraphs that follow rejoin the content as prose siblings, but the headings and "
    + "the list between them are lost"
  /// `HTMLRobustnessTests.boilerplateOnly`, first page.
  static let footerOnlyPage =
    "a <footer> holding all of the page's text is spared (wrapperElements) and becomes the article"
  /// `HTMLRobustnessTests.boilerplateOnly`, second page.
  static let footerDivOnlyPage =
    "a div.footer holding all of the page's text is spared (sparedShare) and becomes the article"
  /// `HTMLBoilerplateTests.joomlaArticleInfo`.
  static let joomlaArticleInfo =
    "Joomla's dl.article-info keeps its term 'Details' as a paragraph (its dd lines, 'Written by …', 'Category: …', "
    + "'Published: …', 'Hits: …', go)"
  /// `HTMLBoilerplateTests.headerInsideArticle`.
  static let headerInsideArticle =
    "an <h1> in a <header> inside <article> is lost: the content found is div.article-body, and a header outside "
    + "the content is dropped (droppedOutsideContainer)"

  /// The comment of an expectation that asserts `limitation` as it stands.
  static func comment(_ limitation: String) -> Comment {
    Comment(
      rawValue: "known limitation: \(limitation). If it was fixed, assert the right output instead (with the "
        + "passing cases) and remove it from README's known limitations.")
  }
}
