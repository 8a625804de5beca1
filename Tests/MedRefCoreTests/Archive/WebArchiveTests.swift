import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefText

/// WARC files written here record by record as crawlers write them (wget, Heritrix, warcio): plain, gzip-compressed
/// a member per record and as one member, with the faults real archives have.
@Suite("Web archives")
struct WebArchiveTests {
  /// One WARC record: the version line, the fields, a `Content-Length` of the block, the block, two line ends.
  static func record(
    _ type: String, uri: String? = nil, contentType: String? = nil, block: [UInt8], version: String = "WARC/1.1",
    extra: [String] = []
  ) -> [UInt8] {
    var head = "\(version)\r\nWARC-Type: \(type)\r\nWARC-Record-ID: <urn:uuid:\(UUID().uuidString)>\r\n"
    head += "WARC-Date: 2026-11-30T10:00:00Z\r\n"
    if let uri { head += "WARC-Target-URI: \(uri)\r\n" }
    if let contentType { head += "Content-Type: \(contentType)\r\n" }
    for field in extra { head += field + "\r\n" }
    head += "Content-Length: \(block.count)\r\n\r\n"
    return Array(head.utf8) + block + Array("\r\n\r\n".utf8)
  }

  /// An HTTP response as a `response` record holds it.
  static func http(_ status: String, _ fields: [String], _ body: [UInt8]) -> [UInt8] {
    Array(("HTTP/1.1 \(status)\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n").utf8) + body
  }

  static let page = """
    <!DOCTYPE html><html><head><title>Gout</title></head><body><article><h1>Gout</h1>
    <p>Gout is a common and complex form of arthritis that can affect anyone.</p>
    <h2>Symptoms</h2><ul><li>Intense joint pain, usually in the big toe</li><li>Redness and swelling</li></ul>
    <h2>Treatment</h2><p>Medications such as NSAIDs and colchicine treat gout attacks.</p></article></body></html>
    """

  /// `bytes` gzip-compressed by the system's gzip (one member).
  static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-c", "-n"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writer = Thread {
      input.fileHandleForWriting.write(Data(bytes))
      try? input.fileHandleForWriting.close()
    }
    writer.start()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return [UInt8](compressed)
  }

  /// The records of an archive with one of each kind MedRef reads or skips.
  static func mixedRecords() throws -> [[UInt8]] {
    let latin1Body = [UInt8].latin1(
      "<html><head><title>Caf\u{E9} fever</title></head><body><h1>Caf\u{E9} fever</h1><p>A fever after coffee "
        + "that is na\u{EF}ve about its causes and that lasts a day or two.</p></body></html>")
    let chunkedBody =
      Array("1a\r\n".utf8) + Array(page.utf8.prefix(26)) + Array("\r\n".utf8)
      + Array(String(page.utf8.count - 26, radix: 16).utf8) + Array("\r\n".utf8) + Array(page.utf8.dropFirst(26))
      + Array("\r\n0\r\n\r\n".utf8)
    let compressedBody = try gzip(Array(page.replacingOccurrences(of: "Gout", with: "Pseudogout").utf8))
    return [
      record("warcinfo", contentType: "application/warc-fields", block: Array("software: test\r\n".utf8)),
      record(
        "request", uri: "https://example.org/gout.html", contentType: "application/http;msgtype=request",
        block: Array("GET /gout.html HTTP/1.1\r\nHost: example.org\r\n\r\n".utf8)),
      record(
        "response", uri: "https://www.example.org/health/gout.html", contentType: "application/http",
        block: http("200 OK", ["Content-Type: text/html; charset=utf-8"], Array(page.utf8))),
      record(
        "response", uri: "<http://example.org/cafe-fever>", contentType: "application/http; msgtype=response",
        block: http("200 OK", ["Content-Type: text/html; charset=ISO-8859-1"], latin1Body), version: "WARC/1.0"),
      record(
        "response", uri: "https://example.org/chunked", contentType: "application/http",
        block: http("200 OK", ["Content-Type: text/html", "Transfer-Encoding: chunked"], chunkedBody)),
      record(
        "response", uri: "https://example.org/pseudogout?id=7", contentType: "application/http",
        block: http("200 OK", ["Content-Type: text/html", "Content-Encoding: gzip"], compressedBody)),
      record(
        "response", uri: "https://example.org/missing", contentType: "application/http",
        block: http("404 Not Found", ["Content-Type: text/html"], Array("<html>gone</html>".utf8))),
      record(
        "response", uri: "https://example.org/moved", contentType: "application/http",
        block: http("301 Moved Permanently", ["Location: /gout.html"], [])),
      record(
        "response", uri: "https://example.org/logo.png", contentType: "application/http",
        block: http("200 OK", ["Content-Type: image/png"], [0x89, 0x50, 0x4E, 0x47])),
      record(
        "revisit", uri: "https://www.example.org/health/gout.html", contentType: "application/http",
        block: [], extra: ["WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"]),
      record(
        "resource", uri: "file:///notes/sprain.txt", contentType: "text/plain",
        block: Array("Ankle sprain\n\nAn ankle sprain is an injury to the ligaments of the ankle.\n".utf8)),
      record(
        "metadata", uri: "https://example.org/gout.html", contentType: "application/warc-fields",
        block: Array("outlink: https://example.org/\r\n".utf8)),
    ]
  }

  /// Where each of `parts` starts in their concatenation.
  static func starts(of parts: [[UInt8]]) -> [Int64] {
    var offset: Int64 = 0
    return parts.map { part in
      defer { offset += Int64(part.count) }
      return offset
    }
  }

  static func read(_ bytes: [UInt8], name: String = "crawl.warc") throws -> ([ArchivedPage], WebArchiveSummary) {
    let folder = try TemporaryFolder()
    let path = try folder.write(name, bytes)
    var pages: [ArchivedPage] = []
    let summary = try WebArchiveReader().read(path) { pages.append($0) }
    return (pages, summary)
  }

  @Test("A WARC's pages are read with their URI and date; every other record is skipped and counted by reason")
  func mixed() throws {
    let records = try Self.mixedRecords()
    let (pages, summary) = try Self.read(records.flatMap { $0 })
    #expect(summary.records == 12)
    #expect(
      pages.map(\.uri) == [
        "https://www.example.org/health/gout.html", "http://example.org/cafe-fever", "https://example.org/chunked",
        "https://example.org/pseudogout?id=7", "file:///notes/sprain.txt",
      ])
    #expect(pages.map(\.format) == [.html, .html, .html, .html, .plainText])
    #expect(pages.map(\.charset) == ["utf-8", "ISO-8859-1", nil, nil, nil])
    #expect(pages[0].date == "2026-11-30T10:00:00Z")
    #expect(pages[0].payload == Array(Self.page.utf8))
    #expect(pages[2].payload == Array(Self.page.utf8), "chunks joined")
    #expect(String(decoding: pages[3].payload, as: UTF8.self).contains("<title>Pseudogout</title>"), "gunzipped")
    #expect(
      summary.skipped == [
        .recordType("warcinfo"): 1, .recordType("request"): 1, .recordType("revisit"): 1,
        .recordType("metadata"): 1, .status("4xx"): 1, .status("3xx"): 1, .mediaType("image/png"): 1,
      ])
    #expect(summary.badRecords.isEmpty)
    // Offsets are where each record starts in the file.
    let starts = Self.starts(of: records)
    #expect(pages.map(\.offset) == [starts[2], starts[3], starts[4], starts[5], starts[10]])
    #expect(
      summary.line(path: "crawl.warc")
        == "crawl.warc: 12 records, 5 pages; skipped: HTTP status 3xx: 1, HTTP status 4xx: 1, metadata records: 1, "
        + "not HTML or text (image/png): 1, request records: 1, revisit records: 1, warcinfo records: 1")
  }

  @Test("Gzip-compressed a member per record or as one member, the archive reads as the plain one")
  func compressed() throws {
    let records = try Self.mixedRecords()
    let (plain, plainSummary) = try Self.read(records.flatMap { $0 })
    var members: [[UInt8]] = []
    for record in records { members.append(try Self.gzip(record)) }
    let (perRecord, perRecordSummary) = try Self.read(members.flatMap { $0 }, name: "crawl.warc.gz")
    let (whole, wholeSummary) = try Self.read(try Self.gzip(records.flatMap { $0 }), name: "crawl.warc.gz")
    for (pages, summary) in [(perRecord, perRecordSummary), (whole, wholeSummary)] {
      #expect(pages.map(\.uri) == plain.map(\.uri))
      #expect(pages.map(\.payload) == plain.map(\.payload))
      #expect(summary.skipped == plainSummary.skipped)
      #expect(summary.badRecords.isEmpty)
    }
    // A member per record: a page's offset is its member's, where a reader seeks to.
    let starts = Self.starts(of: members)
    #expect(perRecord.map(\.offset) == [starts[2], starts[3], starts[4], starts[5], starts[10]])
    #expect(whole.allSatisfy { $0.offset == 0 })
  }

  @Test("A malformed record is named with its offset and the records after it are read; a cut one ends the file")
  func malformed() throws {
    let good = Self.record(
      "response", uri: "https://example.org/gout", contentType: "application/http",
      block: Self.http("200 OK", ["Content-Type: text/html"], Array(Self.page.utf8)))
    let noLength = Array(
      "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/x\r\n\r\nbody\r\n\r\n".utf8)
    let badLength = Array("WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: many\r\n\r\nabc\r\n\r\n".utf8)
    let garbage = Array("this is not a record\r\nnor this\r\n".utf8)
    let cut = Array(good.prefix(good.count - 40))
    let file = good + garbage + noLength + badLength + good + cut
    let (pages, summary) = try Self.read(file)
    #expect(pages.count == 2)
    let reasons = summary.badRecords.map(\.reason)
    #expect(
      reasons == [
        "record at offset \(good.count): not the start of a WARC record: this is not a record",
        "record at offset \(good.count + garbage.count): no Content-Length",
        "record at offset \(good.count + garbage.count + noLength.count): Content-Length is not a number: many",
        "record at offset \(2 * good.count + garbage.count + noLength.count + badLength.count): record cut short: "
          + "its block has \(good.count - 4 - Self.headLength(good)) bytes",
      ])
    #expect(summary.badRecords.allSatisfy { $0.subject.hasSuffix("crawl.warc") })
  }

  /// How many bytes of `record` come before its block.
  static func headLength(_ record: [UInt8]) -> Int {
    let separator = Array("\r\n\r\n".utf8)
    for index in 0..<(record.count - 3) where Array(record[index..<index + 4]) == separator { return index + 4 }
    return 0
  }

  @Test("Damaged gzip data is named and what came before it is kept")
  func damagedGzip() throws {
    let records = try Self.mixedRecords()
    var members: [[UInt8]] = []
    for record in records { members.append(try Self.gzip(record)) }
    let cutAt = members[0..<4].reduce(0) { $0 + $1.count } + members[4].count / 2
    let (pages, summary) = try Self.read(Array(members.flatMap { $0 }.prefix(cutAt)), name: "crawl.warc.gz")
    #expect(pages.map(\.uri) == ["https://www.example.org/health/gout.html", "http://example.org/cafe-fever"])
    #expect(summary.badRecords.count == 1)
    #expect(summary.badRecords.first?.reason.contains("ends inside a gzip member") == true, "\(summary.badRecords)")
  }

  @Test("HTTP bodies: chunks joined (extensions and trailers too); a body that is not in chunks is read as it is")
  func chunks() throws {
    let chunked = Array("4;name=x\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\n".utf8)
    #expect(HTTPPayload.dechunked(chunked) == Array("Wikipedia".utf8))
    let payload = try HTTPPayload(
      parsing: Self.http("200 OK", ["Transfer-Encoding: chunked", "Content-Type: text/html"], Array("<p>x</p>".utf8)),
      limit: 1 << 20)
    #expect(payload.body == Array("<p>x</p>".utf8))
    #expect(payload.notes.count == 1)
    #expect(throws: HTTPPayload.Failure.contentEncoding("br")) {
      try HTTPPayload(parsing: Self.http("200 OK", ["Content-Encoding: br"], [1, 2, 3]), limit: 1 << 20)
    }
    #expect(throws: HTTPPayload.Failure.noStatusLine) { try HTTPPayload(parsing: Array("<html>".utf8), limit: 10) }
  }

  @Test("A page's id comes from its URI: host and path, readable and stable, ending with the last path part")
  func ids() {
    #expect(
      DocumentID.id(forURI: "https://www.example.org/health/back-spasms.html") == "example.org/health/back-spasms")
    #expect(DocumentID.id(forURI: "http://example.org:80/health/back-spasms/") == "example.org/health/back-spasms")
    #expect(DocumentID.id(forURI: "https://example.org/") == "example.org")
    #expect(
      DocumentID.id(forURI: "https://example.org/a/view.php?id=7#top") == "example.org/a/~" + Self.hex("id=7") + "/view"
    )
    #expect(
      DocumentID.id(forURI: "https://example.org/a/view.php?id=8")
        != DocumentID.id(forURI: "https://example.org/a/view.php?id=7"))
    #expect(DocumentID.id(forURI: "https://example.org/maladies/%C3%A9t%C3%A9.html") == "example.org/maladies/été")
    #expect(DocumentID.id(forURI: "https://example.org/a%2Fb") == "example.org/a%2Fb")
  }

  static func hex(_ text: String) -> String {
    let value = String(FNV1a.hash(text.utf8) & 0xFFFF_FFFF, radix: 16)
    return String(repeating: "0", count: 8 - value.count) + value
  }

  @Test("Extractor: an archive's pages in order with their URIs, between the files given around it")
  func extractor() throws {
    let folder = try TemporaryFolder()
    let archive = try folder.write("crawl.warc", try Self.mixedRecords().flatMap { $0 })
    let before = try folder.write("typhoid.txt", try Fixture.bytes("text/typhoid.txt"))
    var outcomes: [String] = []
    var records: [ExtractRecord] = []
    let summary = try Extractor(ids: DocumentID(base: folder.path)).extract([before, archive]) { outcome in
      switch outcome {
      case .extracted(let extracted):
        outcomes.append(extracted.record.id)
        records.append(extracted.record)
      case .failed(let failure): outcomes.append("failed " + failure.reason)
      case .archive: outcomes.append("archive done")
      }
    }
    #expect(
      outcomes == [
        "typhoid", "example.org/health/gout", "example.org/cafe-fever", "example.org/chunked",
        "example.org/~" + Self.hex("id=7") + "/pseudogout", "notes/sprain", "archive done",
      ])
    #expect(summary == Extractor.Summary(files: 6, failed: 0))
    let gout = records[1]
    #expect(gout.path == archive + "#https://www.example.org/health/gout.html")
    #expect(gout.metadata.url == "https://www.example.org/health/gout.html")
    #expect(gout.metadata.crawled == "2026-11-30T10:00:00Z")
    #expect(gout.sections.contains { $0.kind == "symptoms" })
    // The HTTP charset decides: ISO-8859-1 bytes read as Latin-1.
    #expect(records[2].title == "Café fever")
    #expect(records[2].encoding.detected == "windows-1252", "ISO-8859-1 is read as Windows-1252, as browsers do")
  }
}
