import Foundation
import MedRefBase
import MedRefText

/// MedRef's stages, each a typed step: bytes → `DecodedText` → `RepairedText` → `Document` → `Article`.
public struct Pipeline: Sendable {
  /// Changes whenever a stage changes what it produces, so that re-ingesting refreshes stored articles.
  public static let version = 5

  public let reader: SourceReader
  public let decoder: TextDecoder
  public let repairer: TextRepairer
  public let htmlParser: HTMLDocumentParser
  public let textParser: PlainTextParser
  public let sectionizer: Sectionizer

  /// A pipeline reading files with `reader`; `findEntities: false` leaves the sections' entities out (and with
  /// them the classification of sections by the entities they name).
  public init(reader: SourceReader = SourceReader(), findEntities: Bool = true) {
    self.reader = reader
    self.decoder = TextDecoder()
    self.repairer = TextRepairer()
    self.htmlParser = HTMLDocumentParser()
    self.textParser = PlainTextParser()
    self.sectionizer = Sectionizer(extractor: findEntities ? .shared : nil)
  }

  /// Stage 1: bytes to text; `declared` is the charset the transport declared, if any.
  public func decode(_ bytes: [UInt8], path: String, declared: String? = nil) throws -> DecodedText {
    try decoder.decode(bytes, path: path, declared: declared)
  }

  /// Stage 2: encoding damage undone. HTML source keeps its entities for the parser.
  public func repair(_ decoded: DecodedText, format: SourceFormat) -> RepairedText {
    repairer.repair(decoded.text, mode: format == .html ? .markup : .plainText)
  }

  /// Stage 3: main-content blocks.
  public func parse(_ repaired: RepairedText, format: SourceFormat, path: String) throws -> Document {
    switch format {
    case .html: return try htmlParser.parse(repaired.text, path: path)
    case .plainText: return textParser.parse(repaired.text)
    }
  }

  /// Stage 4: the article with its classified sections and their entities.
  public func article(
    from document: Document, id: String, path: String, decoded: DecodedText, repaired: RepairedText,
    contentHash: String
  ) throws -> Article {
    let sections = sectionizer.sections(of: document)
    guard !sections.isEmpty || !(document.title ?? "").isEmpty else { throw MedRefError.noContent(path: path) }
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    var diagnostics: [Diagnostic] = []
    if decoded.isFallback {
      diagnostics.append(Diagnostic(.note, "decoded as Windows-1252: \(decoded.reason)", file: path))
    }
    for repair in repaired.repairs where !repair.exact {
      diagnostics.append(
        Diagnostic(.note, "guessed repair '\(repair.from)' → '\(repair.to)' (\(repair.rule))", file: path))
    }
    for dropped in document.dropped {
      let preview = dropped.text.count > 80 ? dropped.text.prefix(80) + "…" : dropped.text
      diagnostics.append(
        Diagnostic(.note, "left out as boilerplate (\(dropped.kind)): \(preview)", file: path, line: dropped.line))
    }
    return Article(
      id: id, path: path, title: document.title ?? stem, metadata: document.metadata, encoding: decoded.encoding,
      encodingReason: decoded.reason, repairs: repaired.repairs, text: document.text, sections: sections,
      blocks: document.blocks, contentHash: contentHash, diagnostics: diagnostics)
  }

  /// All stages for one file already read into memory.
  public func process(bytes: [UInt8], file: SourceFile, id: String) throws -> Article {
    try process(bytes: bytes, file: file, id: id, contentHash: ContentHash.of(bytes))
  }

  /// The same, with the bytes' `ContentHash` already computed.
  public func process(bytes: [UInt8], file: SourceFile, id: String, contentHash: String) throws -> Article {
    var source = bytes
    var flattened = 0
    if file.format == .html || Self.looksLikeHTML(bytes: bytes) {
      (source, flattened) = NestingLimiter.limit(MarkupSlimmer.slim(bytes))
    }
    let decoded = try decode(source, path: file.path, declared: file.declaredCharset)
    let format = file.format == .plainText && Self.looksLikeHTML(decoded.text) ? .html : file.format
    let repaired = repair(decoded, format: format)
    let document = try parse(repaired, format: format, path: file.path)
    var article = try article(
      from: document, id: id, path: file.path, decoded: decoded, repaired: repaired, contentHash: contentHash)
    if flattened > 0 {
      article.diagnostics.append(
        Diagnostic(
          .warning,
          "\(flattened) div and span tags nested deeper than \(NestingLimiter.maximumDepth) levels were flattened",
          file: file.path))
    }
    return article
  }

  /// All stages for one page of the web archive at `archive`: its path is `WebArchiveReader.pagePath`, its id comes
  /// from its URI (`DocumentID.id(forURI:)`), the URI is its `metadata.url` and the crawl's date its
  /// `metadata.crawled`; the charset its HTTP response declared comes before the page's own.
  public func process(_ page: ArchivedPage, in archive: String, contentHash: String) throws -> Article {
    let file = SourceFile(
      path: WebArchiveReader.pagePath(archive: archive, uri: page.uri), format: page.format,
      declaredCharset: page.charset)
    var article = try process(
      bytes: page.payload, file: file, id: DocumentID.id(forURI: page.uri), contentHash: contentHash)
    article.metadata.url = page.uri
    article.metadata.crawled = page.date
    return article
  }

  /// All stages for one file on disk.
  public func process(_ file: SourceFile, ids: DocumentID) throws -> Article {
    let bytes = try reader.read(file.path)
    return try process(bytes: bytes, file: file, id: ids.id(forPath: file.path))
  }

  /// The same test on undecoded bytes.
  static func looksLikeHTML(bytes: [UInt8]) -> Bool {
    let head = bytes.prefix(512).drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }).prefix(14)
    let lower = String(decoding: head.map { $0 | 0x20 }, as: UTF8.self)
    return lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html")
  }

  /// A file named without an HTML extension whose text starts like an HTML page.
  static func looksLikeHTML(_ text: String) -> Bool {
    let head = text.prefix(512).drop(while: { $0.isWhitespace }).prefix(15).lowercased()
    return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
  }
}
