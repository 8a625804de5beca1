import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefText

@Suite("Decoding bytes to text")
struct TextDecoderTests {
  let decoder = TextDecoder()

  @Test(
    "Declared multi-byte legacy charsets are decoded through iconv",
    arguments: [
      // "中文健康" in GBK, "日本語" in Shift_JIS, "건강" in EUC-KR, "頭痛" in Big5 and in EUC-JP
      ("gb2312", [0xD6, 0xD0, 0xCE, 0xC4, 0xBD, 0xA1, 0xBF, 0xB5] as [UInt8], "中文健康"),
      ("shift_jis", [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA], "日本語"),
      ("euc-kr", [0xB0, 0xC7, 0xB0, 0xAD], "건강"),
      ("big5", [0xC0, 0x59, 0xB5, 0x68], "頭痛"),
      ("euc-jp", [0xC6, 0xAC, 0xC4, 0xCB], "頭痛"),
    ])
  func multiByteCharsets(label: String, body: [UInt8], expected: String) throws {
    let bytes = Array("<html><head><meta charset=\"\(label)\"></head><body><p>".utf8) + body + Array("</p>".utf8)
    let decoded = try decoder.decode(bytes, path: "page.html")
    #expect(decoded.text.contains("<p>\(expected)</p>"))
    #expect(decoded.encoding == label)
    #expect(decoded.reason == "declared charset")
  }

  @Test("A byte sequence a multi-byte charset does not define becomes U+FFFD and decoding goes on")
  func multiByteInvalidSequence() throws {
    let bytes = Array("<meta charset=gbk>".utf8) + [0xD6, 0xD0, 0xFF, 0xCE, 0xC4]
    let decoded = try decoder.decode(bytes, path: "page.html")
    #expect(decoded.text.hasSuffix("中\u{FFFD}文"))
  }

  @Test("Valid UTF-8 without a declaration is read as UTF-8")
  func validUTF8() throws {
    let decoded = try decoder.decode(Array("Caf\u{E9} – don’t".utf8), path: "a.txt")
    #expect(decoded.text == "Caf\u{E9} – don’t")
    #expect(decoded.encoding == "utf-8")
    #expect(decoded.reason == "valid UTF-8")
  }

  @Test("Invalid UTF-8 falls back to Windows-1252, including its 0x80–0x9F punctuation")
  func windows1252Fallback() throws {
    let bytes: [UInt8] = .latin1("don\u{92}t \u{93}quoted\u{94} caf\u{E9} \u{80}5 \u{85}")
    let decoded = try decoder.decode(bytes, path: "a.txt")
    #expect(decoded.text == "don’t “quoted” café €5 …")
    #expect(decoded.encoding == "windows-1252")
    #expect(decoded.reason.contains("fallback"))
  }

  @Test("Windows-1252's undefined bytes become the C1 control of the same value instead of failing")
  func undefinedBytes() throws {
    let decoded = try decoder.decode(.latin1("a\u{81}b\u{9D}c\u{FF}"), path: "a.txt")
    #expect(decoded.text == "a\u{81}b\u{9D}cÿ")
  }

  @Test("A <meta charset> declaring Windows-1252 is followed")
  func metaCharset() throws {
    let html = "<html><head><meta charset=\"windows-1252\"></head><body><p>It\u{92}s here</p></body></html>"
    let decoded = try decoder.decode(.latin1(html), path: "a.html")
    #expect(decoded.encoding == "windows-1252")
    #expect(decoded.reason == "declared charset")
    #expect(decoded.text.contains("It’s here"))
  }

  @Test("An http-equiv Content-Type charset and an XML declaration are found too")
  func otherDeclarations() throws {
    let httpEquiv = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>\u{E9}</p>"
    #expect(try decoder.decode(.latin1(httpEquiv), path: "a.html").encoding == "windows-1252")
    let xml = "<?xml version=\"1.0\" encoding='utf-8'?><html><p>\u{E9}</p></html>"
    let decoded = try decoder.decode(Array(xml.utf8), path: "a.xhtml")
    #expect(decoded.encoding == "utf-8")
    #expect(decoded.reason == "declared charset")
  }

  @Test("A page declared as Windows-1252 whose bytes are valid UTF-8 is read as UTF-8")
  func declaredLegacyButUTF8() throws {
    let html = "<meta charset=windows-1252><p>don’t</p>"
    let decoded = try decoder.decode(Array(html.utf8), path: "a.html")
    #expect(decoded.encoding == "utf-8")
    #expect(decoded.text.contains("don’t"))
  }

  @Test("A page falsely declared as UTF-8 falls back to Windows-1252")
  func falseUTF8Declaration() throws {
    let decoded = try decoder.decode(.latin1("<meta charset=\"utf-8\"><p>it\u{92}s</p>"), path: "a.html")
    #expect(decoded.encoding == "windows-1252")
    #expect(decoded.text.contains("it’s"))
  }

  @Test(
    "Byte order marks decide the encoding and are removed",
    arguments: [
      ([0xEF, 0xBB, 0xBF] + Array("héllo".utf8), "utf-8"),
      ([0xFF, 0xFE, 0x68, 0x00, 0xE9, 0x00, 0x6C, 0x00, 0x6C, 0x00, 0x6F, 0x00], "utf-16le"),
      ([0xFE, 0xFF, 0x00, 0x68, 0x00, 0xE9, 0x00, 0x6C, 0x00, 0x6C, 0x00, 0x6F], "utf-16be"),
    ] as [([UInt8], String)])
  func byteOrderMarks(bytes: [UInt8], encoding: String) throws {
    let decoded = try decoder.decode(bytes, path: "a.txt")
    #expect(decoded.text == "héllo")
    #expect(decoded.encoding == encoding)
    #expect(decoded.reason == "byte order mark")
  }

  @Test("UTF-16 saved without a byte order mark is read by where its NUL bytes fall; binary with NULs is not")
  func utf16WithoutByteOrderMark() throws {
    let text = "Gout\n\nGout is a painful arthritis of the big toe, café.\n"
    let little = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let big = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    let decodedLittle = try decoder.decode(little, path: "a.txt")
    #expect(decodedLittle.text == text && decodedLittle.encoding == "utf-16le")
    let decodedBig = try decoder.decode(big, path: "a.txt")
    #expect(decodedBig.text == text && decodedBig.encoding == "utf-16be")
    // NULs at both parities (a binary format) stay binary.
    let binary: [UInt8] = (0..<64).map { $0 % 3 == 0 ? 0 : 0x41 }
    #expect(throws: MedRefError.binaryFile(path: "b.txt")) { try decoder.decode(binary, path: "b.txt") }
  }

  @Test("Empty and white-space-only files are refused")
  func emptyFile() {
    #expect(throws: MedRefError.emptyFile(path: "e.txt")) { try decoder.decode([], path: "e.txt") }
    #expect(throws: MedRefError.emptyFile(path: "e.txt")) { try decoder.decode(Array(" \n\t\n".utf8), path: "e.txt") }
  }

  @Test("Binary data is refused")
  func binaryFile() {
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
    #expect(throws: MedRefError.binaryFile(path: "x.html")) { try decoder.decode(png, path: "x.html") }
  }
}

@Suite("Reading files and folders")
struct SourceReaderTests {
  @Test("Folders are read recursively, sorted; only article extensions are taken, hidden entries skipped")
  func listing() throws {
    let folder = try TemporaryFolder()
    try folder.write("b.txt", "B")
    try folder.write("a/one.html", "<p>x</p>")
    try folder.write("a/two.HTM", "<p>y</p>")
    try folder.write("notes.md", "# notes")
    try folder.write(".hidden/secret.txt", "s")
    let listing = SourceReader().list([folder.path])
    #expect(listing.files.map { ($0.path as NSString).lastPathComponent } == ["one.html", "two.HTM", "b.txt"])
    #expect(listing.files.map(\.format) == [.html, .html, .plainText])
    #expect(listing.skipped.count == 1)
    #expect(listing.skipped.first?.file?.hasSuffix("notes.md") == true)
    #expect(listing.failures.isEmpty)
  }

  @Test("A missing path is a failure naming it; a file named directly is always taken")
  func missingAndDirect() throws {
    let folder = try TemporaryFolder()
    let markdown = try folder.write("notes.md", "Title\n\ntext")
    let listing = SourceReader().list([folder.path + "/nope.txt", markdown])
    #expect(listing.failures == [.unreadable(path: folder.path + "/nope.txt", reason: "no such file or directory")])
    #expect(listing.files.map(\.path) == [markdown])
  }

  @Test("Reading a folder or a too-large file fails with the reason")
  func readFailures() throws {
    let folder = try TemporaryFolder()
    let big = try folder.write("big.txt", [UInt8](repeating: 65, count: 2000))
    #expect(throws: MedRefError.fileTooLarge(path: big, bytes: 2000, limit: 1000)) {
      try SourceReader(maximumFileSize: 1000).read(big)
    }
    #expect(throws: MedRefError.unreadable(path: folder.path, reason: "is a folder")) {
      try SourceReader().read(folder.path)
    }
    #expect(try SourceReader().read(big).count == 2000)
  }
}
