import Foundation
import MedRefBase
import MedRefExtraction
import MedRefIndex
import MedRefPresentation
import MedRefSearch

/// An HTTP request as `WebApp` sees it: method, path and decoded query parameters.
public struct WebRequest: Sendable, Equatable {
  public var method: String
  /// The path, percent-decoded (`/doc/Corpus/back-spasms`).
  public var path: String
  /// Query parameters in order, decoded (`+` is a space); a name may repeat (`kind=symptoms&kind=tests`).
  public var query: [Parameter]

  public struct Parameter: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  public init(method: String, path: String, query: [Parameter] = []) {
    self.method = method
    self.path = path
    self.query = query
  }

  /// A request from its method and target (`/?q=pins+and+needles&kind=symptoms`).
  public init(method: String, target: String) {
    self.method = method
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    path = HTML.percentDecode(parts.first ?? "/", plusIsSpace: false)
    query = []
    if parts.count == 2 {
      for pair in parts[1].split(separator: "&") where !pair.isEmpty {
        let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        query.append(
          Parameter(
            HTML.percentDecode(nameValue[0], plusIsSpace: true),
            nameValue.count == 2 ? HTML.percentDecode(nameValue[1], plusIsSpace: true) : ""))
      }
    }
  }

  /// The values of parameter `name`, in order.
  public func values(_ name: String) -> [String] {
    query.filter { $0.name == name }.map(\.value)
  }

  /// The last value of parameter `name`.
  public func value(_ name: String) -> String? {
    query.last { $0.name == name }?.value
  }
}

/// An HTTP response: status, headers and body.
public struct WebResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]

  public init(status: Int, contentType: String, body: [UInt8], headers: [(name: String, value: String)] = []) {
    self.status = status
    self.headers = [("Content-Type", contentType)] + headers
    self.body = body
  }

  /// The value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// The body as text.
  public var text: String { String(decoding: body, as: UTF8.self) }

  static func html(_ status: Int, _ page: HTML) -> WebResponse {
    WebResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(page.markup.utf8))
  }

  static func json(_ status: Int, _ text: String) -> WebResponse {
    WebResponse(status: status, contentType: "application/json; charset=utf-8", body: Array((text + "\n").utf8))
  }

  /// `{"error": "…", "status": 400}`.
  static func jsonError(_ status: Int, _ message: String) -> WebResponse {
    json(status, JSONOutput.line(ErrorBody(error: message, status: status)))
  }

  /// `{"error", "status"}`.
  struct ErrorBody: JSONLineWritable {
    var error: String
    var status: Int

    func write(into json: inout CompactJSON) {
      json.raw("{")
      json.field("error", error)
      json.field("status", status)
      json.raw("}")
    }
  }
}

/// Bounds on what one request may ask for.
public struct WebLimits: Sendable {
  /// Longest query, in characters.
  public var queryCharacters = 256
  /// Most articles per page or API call.
  public var results = 50
  /// Furthest offset into the results.
  public var offset = 1_000
  /// Bounds on one search's work (terms, prefixes, time); a search over its time gets 503.
  public var search = SearchLimits()

  public init() {}
}

/// MedRef's web front end without the HTTP server: routes a `WebRequest` to a page or a JSON answer over an index,
/// through the same `Searcher` and extract objects as the commands (`medref serve` puts it behind Hummingbird).
///
/// Routes (GET and HEAD only):
/// - `/?q=…&kind=…&page=…`: the search page (server-rendered; `kind` repeats; 10 articles a page);
/// - `/doc/ID`: one article: sections by kind, items, entities with HPO ids, red flags, repairs, source;
/// - `/api/search?q=…&kind=…&limit=…&offset=…[&facets=1]`: `medref search --json`'s object;
/// - `/api/doc/ID`: the extract object, as `medref export` writes it;
/// - `/healthz`: `{"status": "ok", "documents": N}`;
/// - `/static/medref.css`, `/static/medref.js`.
///
/// Every piece of article text goes through `HTML`'s escaping; pages allow no inline script (Content-Security-
/// Policy), and links out are made only from `http:`/`https:` addresses. Bad parameters get a 400 naming them.
public struct WebApp: Sendable {
  public let store: IndexStore
  public let searcher: Searcher
  public let limits: WebLimits
  /// Articles per search page.
  public static let pageSize = 10

  public init(store: IndexStore, limits: WebLimits = WebLimits()) {
    self.store = store
    searcher = Searcher(store: store)
    self.limits = limits
  }

  /// Headers every response carries: no inline script or style, no framing, no sniffing, no referrer.
  public static let securityHeaders: [(name: String, value: String)] = [
    (
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
  ]

  /// The answer to `request`. Never throws: problems become 4xx/5xx responses with a message.
  public func respond(to request: WebRequest) -> WebResponse {
    var response = route(request)
    response.headers += Self.securityHeaders
    if request.method == "HEAD" { response.body = [] }
    return response
  }

  private func route(_ request: WebRequest) -> WebResponse {
    guard request.method == "GET" || request.method == "HEAD" else {
      var response = WebResponse.jsonError(405, "method \(request.method) not allowed; use GET")
      response.headers.append(("Allow", "GET, HEAD"))
      return response
    }
    let path = request.path
    do {
      switch path {
      case "/": return try searchPage(request)
      case "/api/search": return try apiSearch(request)
      case "/healthz": return try health()
      case "/static/medref.css": return Self.asset("medref.css", type: "text/css; charset=utf-8")
      case "/static/medref.js": return Self.asset("medref.js", type: "text/javascript; charset=utf-8")
      default: break
      }
      if path.hasPrefix("/api/doc/") { return try apiDocument(String(path.dropFirst("/api/doc/".count))) }
      if path.hasPrefix("/doc/") { return try documentPage(String(path.dropFirst("/doc/".count))) }
      if path.hasPrefix("/api/") { return .jsonError(404, "no such endpoint: \(path)") }
      return .html(404, WebPages.message(title: "Not found", text: "There is no page at \(path)."))
    } catch let error as BadParameter {
      if path.hasPrefix("/api/") { return .jsonError(400, error.message) }
      return .html(
        400,
        WebPages.search(query: request.value("q") ?? "", kinds: [], response: nil, page: 1, error: error.message))
    } catch let error as MedRefError {
      let status: Int
      switch error {
      case .unknownDocument: status = 404
      case .unusableQuery: status = 400
      case .queryTooCostly: status = 503  // over the time limit of one search
      default: status = 500
      }
      if path.hasPrefix("/api/") || path == "/healthz" { return .jsonError(status, error.description) }
      return .html(status, WebPages.message(title: status == 404 ? "Not found" : "Error", text: error.description))
    } catch {
      return .jsonError(500, "\(error)")
    }
  }

  /// A parameter that is malformed or out of bounds.
  struct BadParameter: Error {
    var message: String
  }

  /// The query, kinds, limit and offset of a search request, checked.
  struct SearchParameters {
    var query: String
    var kinds: [SectionKind]
    var limit: Int
    var offset: Int
  }

  func searchParameters(_ request: WebRequest, pageSize: Int?) throws -> SearchParameters {
    let query = (request.value("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if query.count > limits.queryCharacters {
      throw BadParameter(message: "q: query too long (\(query.count) characters; at most \(limits.queryCharacters))")
    }
    var kinds: [SectionKind] = []
    for value in request.values("kind") where !value.isEmpty {
      guard let kind = SectionKind(rawValue: value) else {
        let known = SectionKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw BadParameter(message: "kind: unknown section kind '\(value)' (one of: \(known))")
      }
      if !kinds.contains(kind) { kinds.append(kind) }
    }
    func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
      guard let text = request.value(name), !text.isEmpty else { return value }
      guard let number = Int(text), range.contains(number) else {
        throw BadParameter(
          message: "\(name): '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
      }
      return number
    }
    if let pageSize {
      let page = try integer("page", default: 1, in: 1...(limits.offset / pageSize + 1))
      return SearchParameters(query: query, kinds: kinds, limit: pageSize, offset: (page - 1) * pageSize)
    }
    return SearchParameters(
      query: query, kinds: kinds, limit: try integer("limit", default: 10, in: 1...limits.results),
      offset: try integer("offset", default: 0, in: 0...limits.offset))
  }

  private func searchPage(_ request: WebRequest) throws -> WebResponse {
    let parameters = try searchParameters(request, pageSize: Self.pageSize)
    guard !parameters.query.isEmpty else {
      return .html(200, WebPages.search(query: "", kinds: parameters.kinds, response: nil, page: 1, error: nil))
    }
    let page = parameters.offset / Self.pageSize + 1
    do {
      let response = try searcher.search(
        SearchRequest(
          text: parameters.query, kinds: parameters.kinds, limit: parameters.limit, offset: parameters.offset,
          facets: true, limits: limits.search))
      return .html(
        200,
        WebPages.search(
          query: parameters.query, kinds: parameters.kinds, response: response, page: page, error: nil))
    } catch let error as MedRefError {
      let status: Int
      switch error {
      case .unusableQuery: status = 400
      case .queryTooCostly: status = 503
      default: throw error
      }
      return .html(
        status,
        WebPages.search(
          query: parameters.query, kinds: parameters.kinds, response: nil, page: page, error: error.reason))
    }
  }

  private func apiSearch(_ request: WebRequest) throws -> WebResponse {
    let parameters = try searchParameters(request, pageSize: nil)
    guard !parameters.query.isEmpty else { throw BadParameter(message: "q: missing (give a query: ?q=numbness)") }
    let facets = ["1", "true", "yes"].contains(request.value("facets") ?? "")
    let response = try searcher.search(
      SearchRequest(
        text: parameters.query, kinds: parameters.kinds, limit: parameters.limit, offset: parameters.offset,
        facets: facets, limits: limits.search))
    return .json(200, response.bracketed().jsonLine)
  }

  /// The extract object, read within the page limits (a 15 MB article would take seconds and hundreds of MB to
  /// send whole); `"truncated": true` says when it was cut.
  private func apiDocument(_ id: String) throws -> WebResponse {
    let (article, cut) = try store.article(id: try store.resolveID(id), limits: .page)
    return .json(200, Self.marked(ExtractRecord(article).jsonLine, truncated: cut))
  }

  private func documentPage(_ id: String) throws -> WebResponse {
    let (article, cut) = try store.article(id: try store.resolveID(id), limits: .page)
    return .html(200, WebPages.article(article, cut: cut))
  }

  /// An extract object's JSON line with `"truncated": true` added when `truncated` (its keys are sorted, and
  /// `truncated` sorts after every key of the object, so it goes last).
  static func marked(_ line: String, truncated: Bool) -> String {
    guard truncated, line.hasSuffix("}") else { return line }
    return String(line.dropLast()) + ",\"truncated\":true}"
  }

  private func health() throws -> WebResponse {
    let documents = try store.documentCount()
    return .json(200, JSONOutput.line(HealthReport(status: "ok", documents: documents)))
  }

  /// `{"documents", "status"}`.
  struct HealthReport: JSONLineWritable {
    var status: String
    var documents: Int

    func write(into json: inout CompactJSON) {
      json.raw("{")
      json.field("documents", documents)
      json.field("status", status)
      json.raw("}")
    }
  }

  static func asset(_ name: String, type: String) -> WebResponse {
    WebResponse(
      status: 200, contentType: type, body: Array(ResourceFile.text("web/" + name).utf8),
      headers: [("Cache-Control", "public, max-age=3600")])
  }
}
