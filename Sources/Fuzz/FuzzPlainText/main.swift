import FuzzSupport
import MedRefExtraction
import MedRefText

/// The plain-text path: any bytes as a `.txt` file through the whole pipeline (decoding, repair, `PlainTextParser`,
/// `Sectionizer` with the sections' entities; text that starts like a page goes the HTML way, as in `medref`), then
/// `ArticleInvariants`. Repair leaves clean text alone, so most inputs reach the parser as they are.
struct PlainTextPathTest: FuzzTest {
  let pipeline = Pipeline()
  let file = SourceFile(path: "fuzz.txt", format: .plainText)

  func test(_ input: [UInt8]) {
    // MedRefError (empty, binary, no content…) is an answer, not a finding.
    guard let article = try? pipeline.process(bytes: input, file: file, id: "fuzz") else { return }
    ArticleInvariants.check(article)
  }
}

FuzzTarget.run(PlainTextPathTest())
