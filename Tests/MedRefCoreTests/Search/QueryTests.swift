import Testing

@testable import MedRefCore

@Suite("Building safe FTS5 queries")
struct FTSQueryTests {
  @Test(
    "User text becomes quoted terms, phrases and prefixes",
    arguments: [
      ("numbness", "\"numbness\""), ("Numbness in LEGS", "\"numbness\" \"in\" \"legs\""),
      ("\"lower back\" spasm*", "\"lower back\" \"spasm\"*"), ("\"unbalanced", "\"unbalanced\""),
      ("NEAR(", "\"near\""), ("a AND (b OR c)", "\"a\" \"and\" \"b\" \"or\" \"c\""), ("x-ray", "\"x\" \"ray\""),
      ("don't", "\"don\" \"t\""), ("col:term ^first", "\"col\" \"term\" \"first\""), ("café", "\"café\""),
    ] as [(String, String)])
  func expressions(text: String, expression: String) throws {
    #expect(try FTSQuery(text).expression == expression)
  }

  @Test("Text with no words is refused with a message", arguments: ["", "   ", "\"\"", "()", "*", "-- ;", "\"(\""])
  func unusable(text: String) {
    #expect(throws: MedRefError.unusableQuery(query: text, reason: "nothing to search for; type some words")) {
      try FTSQuery(text)
    }
  }
}
