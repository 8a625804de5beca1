import CLibXML2
import MedRefBase

/// Main-content rules for HTML pages, read from `Resources/html-boilerplate.json`.
package struct HTMLRules: Sendable, Decodable {
  var droppedElements: Set<String>
  /// Elements that belong in `<head>`: anything else libxml2 left there (HTML5 elements of a fragment without
  /// `<body>`) is moved to the body.
  var headElements: Set<String>
  /// Structural elements (`nav`, `footer`, `aside`, `form`, `noscript`) dropped like named boilerplate unless they
  /// hold the given share of the page's non-link text.
  var wrapperElements: [String: Double]
  var droppedOutsideContainer: Set<String>
  /// Boilerplate words that drop an element however much text it holds (comments, related links, cookie banners).
  var firmBoilerplateTokens: Set<String>
  /// Class and id words of elements dropped inside the content (captions, credits, bylines, ratings).
  var contentBoilerplateTokens: Set<String>
  /// Elements named with `contentBoilerplateTokens` that hold more text than this are wrappers, not captions.
  var maximumContentBoilerplateCharacters: Int
  /// Class and id words of elements dropped inside the content when they hold a link (teasers of other pages).
  var linkedContentBoilerplateTokens: Set<String>
  /// Class and id words of an article's lead paragraph (`lead`, `intro`, `standfirst`), which joins the content
  /// when it stands before it, within `leadAncestorLevels` of it.
  var leadTokens: Set<String>
  var leadAncestorLevels: Int
  /// Class and id words of blocks that describe the article (bylines, dates): a heading in one that is dropped is
  /// the article's and stays.
  var headerBlockTokens: Set<String>
  var minimumLeadCharacters: Int
  /// Headings before the content: a line shorter than this without links (a date) is passed over.
  var maximumPassedCharacters: Int
  /// Share of the page's non-link text above which an element named as boilerplate is kept.
  var sparedShare: Double
  /// Characters of text an element named as boilerplate needs to be kept for its share, unless it holds half the
  /// page (short pages' author boxes hold a large share of little).
  var minimumSparedCharacters: Int
  /// Like-named boilerplate-named elements (same tag and class) with less link text than this are parts of one
  /// paginated article when together they hold `sparedShare` of the page's text.
  var maximumSeriesLinkDensity: Double
  /// Share of the page's non-link text an element named as content needs to spare a firm-named wrapper around it.
  var firmSparedShare: Double
  var boilerplateTokens: Set<String>
  var containerElements: [String]
  var minimumContainerCharacters: Int
  /// Characters of text a content candidate needs (when some candidate has them).
  var minimumCandidateCharacters: Int
  /// How many levels above the content prose beside its ancestors is looked for.
  var proseAncestorLevels: Int
  /// Characters an element needs to count as prose.
  var minimumProseCharacters: Int
  /// Elements whose text counts as a paragraph when scoring content.
  var paragraphElements: Set<String>
  /// Elements that make a `div` a container rather than a paragraph.
  var blockElements: Set<String>
  /// Points an element starts with as a content candidate, by tag.
  var tagWeights: [String: Double]
  /// Class and id words that name content (`article`, `content`, `post`...).
  var positiveTokens: Set<String>
  /// Class and id words that lower an element's score without dropping it (`meta`, `hidden`, `masthead`...).
  var negativeTokens: Set<String>
  /// `itemprop` values (lower case) that mark the article's body (schema.org `articleBody`).
  var contentItemProperties: Set<String>
  /// Elements dropped from the content when more than `maximumLinkDensity` of their text is link text.
  var linkBlockElements: Set<String>
  var maximumLinkDensity: Double
  /// A link (`a`) holding more text than this is broken markup (an `<a>` left open over the page), not a link:
  /// its text counts as text for the content scorer and the link-density rules.
  var maximumLinkCharacters: Int
  /// Rival content candidates: of the `rivalCandidates` best candidates other than the top one, those scoring at
  /// least `rivalScoreShare` of its score; when `minimumRivals` of them lie below one ancestor of the top candidate
  /// (within `rivalAncestorLevels`), the article is cut into like parts and that ancestor holds it.
  var rivalCandidates: Int
  var rivalScoreShare: Double
  var minimumRivals: Int
  var rivalAncestorLevels: Int
  /// Pseudo-headings: a bold line alone of at most `maximumPseudoHeadingCharacters` and `maximumPseudoHeadingWords`,
  /// a bold lead-in ending in a colon of at most `maximumLeadInWords`, a question paragraph of at most
  /// `maximumQuestionCharacters` (UTF-8 bytes).
  var maximumPseudoHeadingCharacters: Int
  var maximumPseudoHeadingWords: Int
  var maximumLeadInWords: Int
  var maximumQuestionCharacters: Int
  /// A heading that links to another page over less text than this (UTF-8 bytes) titles a teaser: both go.
  var maximumTeaserCharacters: Int
  /// Headings of an article's back matter (lower case, whole heading): dropped with what stands under them.
  var backMatterHeadings: Set<String>
  /// A candidate named as the best one that scores this share of it joins the content (a second entry).
  var twinScoreShare: Double
  /// At most this many such candidates join.
  var maximumTwins: Int
  /// Kinds of the plain-text boilerplate line rules (`plaintext-cues.json`) applied to HTML paragraphs.
  var lineRuleKinds: Set<String>

  static let shared = ResourceFile.json("html-boilerplate.json", as: HTMLRules.self)
}
