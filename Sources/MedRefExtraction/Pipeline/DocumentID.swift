import Foundation

/// Document ids: the source path without its extension, relative to a base folder when the file is inside it
/// (`Corpus/back-spasms` for `Corpus/back-spasms.txt`), otherwise absolute. The same file always gets the same id
/// however it is named on the command line (`./Corpus/x.txt`, `Corpus/x.txt`, an absolute path).
public struct DocumentID: Sendable {
  /// The folder ids are relative to, as an absolute standardized path.
  public let base: String

  public init(base: String) {
    self.base = Self.absolute(base)
  }

  /// The base for an index file: the folder above `Index/` for the default layout (`Index/medref.sqlite`), else the
  /// folder holding the index file.
  public static func base(forIndex indexPath: String) -> String {
    let directory = (absolute(indexPath) as NSString).deletingLastPathComponent
    if (directory as NSString).lastPathComponent == "Index" {
      return (directory as NSString).deletingLastPathComponent
    }
    return directory
  }

  /// The id of the file at `path`.
  public func id(forPath path: String) -> String {
    id(forAbsolutePath: Self.absolute(path))
  }

  /// The id of the file at `absolute`, a path `absolute(_:)` already resolved.
  package func id(forAbsolutePath absolute: String) -> String {
    let withoutExtension = (absolute as NSString).deletingPathExtension
    let prefix = base.hasSuffix("/") ? base : base + "/"
    if withoutExtension.hasPrefix(prefix) { return String(withoutExtension.dropFirst(prefix.count)) }
    return withoutExtension
  }

  /// `path` made absolute against the current folder, with `.` and `..` resolved and symbolic links followed.
  package static func absolute(_ path: String) -> String {
    // realpath(3) for files that exist (a few system calls, where Foundation's resolution costs far more); the
    // standardized URL for those that do not.
    if let resolved = realpath(path, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    let url =
      path.hasPrefix("/")
      ? URL(fileURLWithPath: path)
      : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
    return url.standardizedFileURL.resolvingSymlinksInPath().path
  }
}
