/// Main-content rules for HTML pages, read from `Resources/html-boilerplate.json`.
struct HTMLRules: Sendable, Decodable {
  var droppedElements: Set<String>
  var droppedOutsideContainer: Set<String>
  var boilerplateTokens: Set<String>
  var containerElements: [String]
  var minimumContainerCharacters: Int

  static let shared = ResourceFile.json("html-boilerplate.json", as: HTMLRules.self)

  /// Whether a class or id value names boilerplate (`cookie-banner`, `share_bar`, `related-articles`...).
  func isBoilerplate(classOrID value: String) -> Bool {
    var token = ""
    for character in value.lowercased() {
      if character == " " || character == "-" || character == "_" {
        if boilerplateTokens.contains(token) { return true }
        token = ""
      } else {
        token.append(character)
      }
    }
    return boilerplateTokens.contains(token)
  }
}
