import Testing

@testable import MedRefBase

@Suite("Cue patterns: words in a row, `*` for a prefix, `^` for the start")
struct CuePatternTests {
  @Test("A term is read into its words, prefix and anchor")
  func reading() {
    #expect(CuePattern("treat*") == CuePattern(words: ["treat"], prefix: true, anchored: false))
    #expect(CuePattern("^what is") == CuePattern(words: ["what", "is"], prefix: false, anchored: true))
    #expect(CuePattern("^risk factor*") == CuePattern(words: ["risk", "factor"], prefix: true, anchored: true))
    #expect(CuePattern("^what", anchors: false).words == ["^what"])
    #expect(CuePattern("").words.isEmpty)
  }

  @Test("Only the last word of a prefix cue matches the start of a word")
  func prefixOnlyOnTheLastWord() {
    let cue = CuePattern("risk factor*")
    #expect(cue.matches(["risk", "factors"], at: 0))
    #expect(!cue.matches(["risky", "factors"], at: 0))
    #expect(!CuePattern("risk factor").matches(["risk", "factors"], at: 0))
    #expect(CuePattern("symptom*").firstMatch(in: ["the", "symptomatic", "phase"]) == 1)
    #expect(CuePattern("symptom").firstMatch(in: ["the", "symptomatic", "phase"]) == nil)
  }

  @Test("An anchored cue matches only at the start; an unanchored one anywhere, first place first")
  func anchoring() {
    let words = ["what", "is", "gout", "and", "what", "is", "not"]
    #expect(CuePattern("^what is").firstMatch(in: words) == 0)
    #expect(CuePattern("^is gout").firstMatch(in: words) == nil)
    #expect(CuePattern("is gout").firstMatch(in: words) == 1)
    #expect(CuePattern("is not").firstMatch(in: words) == 5)
  }

  @Test("Out of range and empty: no match, no crash")
  func bounds() {
    let cue = CuePattern("a b")
    #expect(!cue.matches(["a"], at: 0))
    #expect(!cue.matches(["x", "a"], at: 1))
    #expect(!cue.matches(["a", "b"], at: -1))
    #expect(cue.firstMatch(in: []) == nil)
    #expect(CuePattern("").firstMatch(in: ["a"]) == nil)
  }
}
