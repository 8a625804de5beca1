import Foundation

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

/// One input file found on disk.
public struct SourceFile: Sendable, Equatable {
  /// The path as the user gave it, or joined below the folder they gave.
  public var path: String
  public var format: SourceFormat

  public init(path: String, format: SourceFormat) {
    self.path = path
    self.format = format
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
  /// named directly is always taken; inside folders only `.html`, `.htm` and `.txt` files are.
  public func list(_ paths: [String]) -> SourceListing {
    var listing = SourceListing()
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        listing.failures.append(.unreadable(path: path, reason: "no such file or directory"))
        continue
      }
      if !isDirectory.boolValue {
        let ext = (path as NSString).pathExtension.lowercased()
        listing.files.append(SourceFile(path: path, format: Self.articleExtensions[ext] ?? .plainText))
        continue
      }
      guard let enumerator = manager.enumerator(atPath: path) else {
        listing.failures.append(.unreadable(path: path, reason: "cannot list folder"))
        continue
      }
      var found: [String] = []
      while let relative = enumerator.nextObject() as? String {
        let name = (relative as NSString).lastPathComponent
        if name.hasPrefix(".") {
          enumerator.skipDescendants()
          continue
        }
        found.append(relative)
      }
      for relative in found.sorted() {
        let full = (path as NSString).appendingPathComponent(relative)
        var childIsDirectory: ObjCBool = false
        guard manager.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue else {
          continue
        }
        let ext = (relative as NSString).pathExtension.lowercased()
        if let format = Self.articleExtensions[ext] {
          listing.files.append(SourceFile(path: full, format: format))
        } else {
          listing.skipped.append(Diagnostic(.note, "skipped: not an .html, .htm or .txt file", file: full))
        }
      }
    }
    return listing
  }

  /// Reads a whole file.
  /// - Throws: `MedRefError.unreadable` with the system's reason, or `.fileTooLarge`.
  public func read(_ path: String) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw MedRefError.unreadable(path: path, reason: Self.systemReason()) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw MedRefError.unreadable(path: path, reason: Self.systemReason()) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw MedRefError.unreadable(path: path, reason: "is a folder") }
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
    let size = Int64(info.st_size)
    if size > Int64(maximumFileSize) {
      throw MedRefError.fileTooLarge(path: path, bytes: Int(size), limit: maximumFileSize)
    }
    return (size, Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
  }

  private static func systemReason() -> String {
    String(cString: strerror(errno)).lowercased()
  }
}

/// The POSIX `read`, named apart from `SourceReader.read(_:)`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}
