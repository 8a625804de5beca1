import FuzzSupport
import MedRefExtraction
import MedRefText

/// The HTML path: any bytes as an HTML file through the whole pipeline (MarkupSlimmer, decoding, repair in markup
/// mode, libxml2's parser, main-content extraction, sections and their entities), then `ArticleInvariants`.
struct HTMLPathTest: FuzzTest {
  let pipeline = Pipeline()
  let file = SourceFile(path: "fuzz.html", format: .html)

  func test(_ input: [UInt8]) {
    // MedRefError (empty, binary, no content…) is an answer, not a finding.
    guard let article = try? pipeline.process(bytes: input, file: file, id: "fuzz") else { return }
    ArticleInvariants.check(article)
  }
}

FuzzTarget.run(HTMLPathTest())
