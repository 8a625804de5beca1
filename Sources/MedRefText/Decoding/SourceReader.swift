import Foundation
import MedRefBase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a source file is parsed.
public enum SourceFormat: String, Sendable, Codable {
  case html
  case plainText = "text"
}

/// One input file found on disk, or one page of a web archive.
public struct SourceFile: Sendable, Equatable {
  /// The path as the user gave it, or joined below the folder they gave; for a page of a web archive, the archive's
  /// path, `#` and the page's URI.
  public var path: String
  public var format: SourceFormat
  /// A web archive (`.warc`, `.warc.gz`), whose pages are read from it (`WebArchiveReader`); `format` is unused.
  public var isWebArchive: Bool
  /// Extract objects (`medref extract` output, JSON Lines) for `medref ingest --extracts`; `format` is unused.
  public var isExtracts = false
  /// The charset the page's transport declared (an archived HTTP response's `Content-Type`), which the decoder
  /// takes before any declaration inside the page.
  public var declaredCharset: String?

  public init(path: String, format: SourceFormat, isWebArchive: Bool = false, declaredCharset: String? = nil) {
    self.path = path
    self.format = format
    self.isWebArchive = isWebArchive
    self.declaredCharset = declaredCharset
  }
}

/// What listing the user's paths found: files to process, and paths that were skipped or failed.
public struct SourceListing: Sendable {
  public var files: [SourceFile] = []
  /// Files inside folders that are not articles (wrong extension), each with a note.
  public var skipped: [Diagnostic] = []
  /// Paths that could not be listed at all.
  public var failures: [MedRefError] = []
}

/// Finds input files and reads their bytes.
public struct SourceReader: Sendable {
  /// File extensions taken from folders, and the format each means.
  public static let articleExtensions: [String: SourceFormat] = ["html": .html, "htm": .html, "txt": .plainText]
  /// The largest file MedRef reads as one article.
  public var maximumFileSize: Int

  public init(maximumFileSize: Int = 16 << 20) {
    self.maximumFileSize = maximumFileSize
  }

  /// Expands files and folders (recursively, sorted, hidden entries skipped) into the files to process. A file
  /// named directly is always taken, and so is a folder or file that a named symbolic link points to; inside
  /// folders only `.html`, `.htm`, `.txt`, `.warc` and `.warc.gz` regular files are taken. Inside folders, symbolic links are not
  /// followed (a link could take the ingest outside the folder, to `/etc/passwd`, or round in a loop) and FIFOs,
  /// sockets and devices are not read (a FIFO would block the ingest for ever): each is skipped with a note. A
  /// folder that cannot be listed, a named path that does not exist or is not a file or folder, is a failure
  /// naming it and the reason.
  public func list(_ paths: [String]) -> SourceListing { list(paths, extracts: false) }

  /// With `extracts`, the files of extract objects of `paths` instead (`medref ingest --extracts`): files named,
  /// and `.jsonl` and `.jsonl.gz` files in folders, each marked `isExtracts`; folders' other files are not noted.
  public func list(_ paths: [String], extracts: Bool) -> SourceListing {
    var listing = SourceListing()
    for path in paths {
      var info = stat()
      // `stat` follows a named symbolic link: the user named it, so what it points to is what they mean.
      guard stat(path, &info) == 0 else {
        listing.failures.append(.unreadable(path: path, reason: Self.systemReason()))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        let ext = (path as NSString).pathExtension.lowercased()
        var file = SourceFile(
          path: path, format: Self.articleExtensions[ext] ?? .plainText,
          isWebArchive: !extracts && WebArchiveReader.isArchive(path))
        file.isExtracts = extracts
        listing.files.append(file)
      case S_IFDIR:
        var found: [String] = []
        walk(path, relative: "", into: &found, listing: &listing)
        for relative in found.sorted() {
          let ext = (relative as NSString).pathExtension.lowercased()
          let full = (path as NSString).appendingPathComponent(relative)
          if extracts {
            let lower = full.lowercased()
            guard lower.hasSuffix(".jsonl") || lower.hasSuffix(".jsonl.gz") else { continue }
            var file = SourceFile(path: full, format: .plainText)
            file.isExtracts = true
            listing.files.append(file)
          } else if let format = Self.articleExtensions[ext] {
            listing.files.append(SourceFile(path: full, format: format))
          } else if WebArchiveReader.isArchive(full) {
            listing.files.append(SourceFile(path: full, format: .html, isWebArchive: true))
          } else {
            listing.skipped.append(
              Diagnostic(.note, "skipped: not an .html, .htm, .txt, .warc or .warc.gz file", file: full))
          }
        }
      default:
        listing.failures.append(
          .unreadable(path: path, reason: "not a regular file or folder (\(Self.fileType(info.st_mode)))"))
      }
    }
    return listing
  }

  /// Collects the regular files below `root`/`relative` (paths relative to `root`), hidden entries left out; notes
  /// what is skipped and fails for folders that cannot be listed.
  private func walk(_ root: String, relative: String, into found: inout [String], listing: inout SourceListing) {
    let folder = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
    guard let directory = opendir(folder) else {
      listing.failures.append(.unreadable(path: folder, reason: "cannot list folder: " + Self.systemReason()))
      return
    }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(validating: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard let name else {
        listing.skipped.append(
          Diagnostic(.note, "skipped: a file whose name is not valid UTF-8", file: folder))
        continue
      }
      if name.hasPrefix(".") { continue }
      names.append(name)
    }
    closedir(directory)
    for name in names.sorted() {
      let child = relative.isEmpty ? name : (relative as NSString).appendingPathComponent(name)
      let full = (root as NSString).appendingPathComponent(child)
      var info = stat()
      guard lstat(full, &info) == 0 else {
        listing.failures.append(.unreadable(path: full, reason: Self.systemReason()))
        continue
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        walk(root, relative: child, into: &found, listing: &listing)
      case S_IFREG:
        found.append(child)
      case S_IFLNK:
        listing.skipped.append(
          Diagnostic(
            .note, "skipped: a symbolic link (links inside folders are not followed; name it to take it)",
            file: full))
      default:
        listing.skipped.append(
          Diagnostic(.note, "skipped: not a regular file (\(Self.fileType(info.st_mode)))", file: full))
      }
    }
  }

  /// What kind of file a `st_mode` says, in words.
  static func fileType(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFLNK: return "a symbolic link"
    case S_IFDIR: return "a folder"
    default: return "not a regular file"
    }
  }

  /// Reads a whole file.
  /// - Throws: `MedRefError.unreadable` with the system's reason, or `.fileTooLarge`.
  public func read(_ path: String) throws -> [UInt8] {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file reads as it would without it.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else { throw MedRefError.unreadable(path: path, reason: Self.systemReason()) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw MedRefError.unreadable(path: path, reason: Self.systemReason()) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw MedRefError.unreadable(path: path, reason: "is a folder") }
    if (info.st_mode & S_IFMT) != S_IFREG {
      throw MedRefError.unreadable(path: path, reason: "not a regular file (\(Self.fileType(info.st_mode)))")
    }
    let size = Int(info.st_size)
    if size > maximumFileSize { throw MedRefError.fileTooLarge(path: path, bytes: size, limit: maximumFileSize) }
    var bytes = [UInt8](repeating: 0, count: size)
    var total = 0
    while true {
      if total == bytes.count {
        // The file may have grown since fstat; read on in chunks until end of file.
        if bytes.count > maximumFileSize {
          throw MedRefError.fileTooLarge(path: path, bytes: bytes.count, limit: maximumFileSize)
        }
        bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count / 2)))
      }
      let count = bytes.withUnsafeMutableBytes { buffer in
        systemRead(descriptor, buffer.baseAddress! + total, buffer.count - total)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw MedRefError.unreadable(path: path, reason: Self.systemReason())
      }
      if count == 0 { break }
      total += count
    }
    bytes.removeSubrange(total...)
    return bytes
  }

  /// The size and modification time (nanoseconds since 1970) of a file, without reading it.
  /// - Throws: `MedRefError.unreadable` with the system's reason, or `.fileTooLarge`.
  public func status(_ path: String) throws -> (size: Int64, modified: Int64) {
    var info = stat()
    guard stat(path, &info) == 0 else { throw MedRefError.unreadable(path: path, reason: Self.systemReason()) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw MedRefError.unreadable(path: path, reason: "is a folder") }
    if (info.st_mode & S_IFMT) != S_IFREG {
      throw MedRefError.unreadable(path: path, reason: "not a regular file (\(Self.fileType(info.st_mode)))")
    }
    let size = Int64(info.st_size)
    if size > Int64(maximumFileSize) {
      throw MedRefError.fileTooLarge(path: path, bytes: Int(size), limit: maximumFileSize)
    }
    return (size, Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
  }

  /// The system's reason for the last failure (`errno`), in lower case.
  package static func systemReason() -> String {
    String(cString: strerror(errno)).lowercased()
  }
}

/// The POSIX `read`, named apart from `SourceReader.read(_:)`.
func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}
