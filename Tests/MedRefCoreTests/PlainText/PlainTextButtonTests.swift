import Testing

@testable import MedRefExtraction

@Suite("Buttons in pasted text")
struct PlainTextButtonTests {
  let parser = PlainTextParser()

  @Test("An upper-case or title-case button with a marker is a call to action even where it reads as a heading")
  func buttonsThatLookLikeHeadings() {
    let text = """
      Typhoid Fever

      Diagnosis Of Typhoid Fever
      A doctor suspects typhoid from the pattern of the fever and a recent stay where typhoid is common. The \
      diagnosis of typhoid fever is confirmed in the laboratory.
      BOOK TEST HERE
      Treatment Of Typhoid Fever
      Typhoid fever is treated with antibiotics while typhoid patients rest. The choice depends on where the \
      typhoid infection was caught.
      Fill Your Cart Now
      Get Vaccinated
      Vaccines against typhoid fever protect most travellers to places where typhoid is common.
      """
    let document = parser.parse(text)
    let headings = document.blocks.filter { $0.kind == .heading }.map(\.text)
    #expect(!headings.contains("BOOK TEST HERE"))
    #expect(!headings.contains("Fill Your Cart Now"))
    let calls = document.dropped.filter { $0.kind == "call-to-action" }.map(\.text)
    #expect(calls == ["BOOK TEST HERE", "Fill Your Cart Now"])
    // An imperative heading without a marker heads its text.
    #expect(headings.contains("Get Vaccinated"))
  }

  @Test("The answer buttons under a dropped feedback question go with it; a 'Yes' elsewhere stays")
  func answerButtons() {
    let text = """
      Gout

      Gout is a kind of arthritis caused by uric acid crystals in a joint. Gout attacks often start at night.
      Did you find this information helpful?
      Yes
      No

      Is gout curable?

      Yes
      """
    let document = parser.parse(text)
    #expect(document.dropped.map(\.text) == ["Did you find this information helpful?", "Yes", "No"])
    #expect(document.blocks.last?.text == "Yes")
  }
}
