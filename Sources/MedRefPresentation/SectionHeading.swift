/// How a section's heading is shown to people. The text before an article's first heading has none and shows as
/// "(introduction)": in `show`, in search results on the command line and on the web pages alike.
package enum SectionHeading {
  package static let introduction = "(introduction)"

  /// `heading`, or "(introduction)" when there is none.
  package static func shown(_ heading: String) -> String { heading.isEmpty ? introduction : heading }
}
