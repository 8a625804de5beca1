import CCompression
import MedRefBase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bytes of a web archive file, read in chunks of `chunkSize` and gunzipped when the file is gzip-compressed
/// (one gzip member per record, as WARC writers make them, or the whole file in one member, or any mix). Memory is
/// bounded by the chunk and what the reader keeps of it, never the file. Not thread-safe: one reader, one thread.
package final class ArchiveByteStream {
  /// Bytes read and not yet consumed: `buffer[start...]` starts at `position` of the (uncompressed) stream.
  package private(set) var buffer: [UInt8] = []
  package private(set) var start = 0
  /// The uncompressed offset of `buffer[start]`.
  package private(set) var position: Int64 = 0
  /// Whether the file is gzip-compressed.
  package let compressed: Bool
  /// Set when the compressed data is damaged: reading stops there, and this says where and why.
  package private(set) var damage: String?

  private let path: String
  private let descriptor: Int32
  private let chunkSize: Int
  private var input: [UInt8] = []
  private var inputStart = 0
  /// The file offset of `input[0]`.
  private var inputOffset: Int64 = 0
  private var fileEnded = false
  private var stream = z_stream()
  private var streamOpen = false
  /// Members' starts: uncompressed offset → file offset, for telling where a record starts in the file.
  private var memberStarts: [(uncompressed: Int64, file: Int64)] = []
  /// libdeflate's decompressor and its output buffer, for members decompressed whole.
  private var decompressor: OpaquePointer?
  private var wholeOutput: UnsafeMutableBufferPointer<UInt8>?
  /// The most compressed bytes, and bytes out, a member is decompressed whole with: a larger one (a whole file
  /// compressed as one member) streams through zlib.
  private static let wholeMemberInput = 8 << 20
  private static let wholeMemberOutput = 64 << 20

  /// Opens `path`.
  /// - Throws: `MedRefError.unreadable` when the file cannot be opened or is not a regular file.
  package init(path: String, chunkSize: Int = 1 << 20) throws {
    self.path = path
    self.chunkSize = chunkSize
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    descriptor = open(path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else { throw MedRefError.unreadable(path: path, reason: SourceReader.systemReason()) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      let reason = (info.st_mode & S_IFMT) == S_IFDIR ? "is a folder" : "not a regular file"
      close(descriptor)
      throw MedRefError.unreadable(path: path, reason: reason)
    }
    var head: [UInt8] = []
    var ended = false
    do {
      head = try Self.readChunk(descriptor, count: chunkSize, path: path)
      ended = head.isEmpty
    } catch {
      close(descriptor)
      throw error
    }
    compressed = head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B
    input = head
    fileEnded = ended
    if !compressed {
      buffer = head
      input = []
      inputOffset = Int64(head.count)
    }
  }

  deinit {
    if streamOpen { inflateEnd(&stream) }
    if let decompressor { libdeflate_free_decompressor(decompressor) }
    wholeOutput?.deallocate()
    close(descriptor)
  }

  /// Where the byte at uncompressed offset `offset` lies in the file: the offset itself for a plain file, the
  /// start of its gzip member for a compressed one (where a reader of the archive would seek to).
  package func fileOffset(of offset: Int64) -> Int64 {
    guard compressed else { return offset }
    return memberStarts.last(where: { $0.uncompressed <= offset })?.file ?? 0
  }

  /// Drops the `count` bytes at the front of the buffer.
  package func consume(_ count: Int) {
    precondition(count <= buffer.count - start)
    start += count
    position += Int64(count)
    // Keep the buffer small: move what is left to the front once most of it is consumed.
    if start >= 1 << 16 && start * 2 >= buffer.count {
      buffer.removeFirst(start)
      start = 0
    }
    // Members that start before the oldest byte still wanted are no longer needed, but the last of them.
    if memberStarts.count > 8, let index = memberStarts.lastIndex(where: { $0.uncompressed <= position }), index > 0 {
      memberStarts.removeFirst(index)
    }
  }

  /// Reads more bytes onto the end of the buffer. False at the end of the file (or of its undamaged part).
  /// - Throws: `MedRefError.unreadable` when the file cannot be read.
  package func fill() throws -> Bool {
    if start > 0 && start == buffer.count {
      buffer.removeAll(keepingCapacity: true)
      start = 0
    }
    if !compressed {
      guard !fileEnded else { return false }
      let chunk = try Self.readChunk(descriptor, count: chunkSize, path: path)
      if chunk.isEmpty {
        fileEnded = true
        return false
      }
      buffer += chunk
      return true
    }
    return try inflateMore()
  }

  /// Inflates until at least one byte is added, the file ends or the data is damaged.
  private func inflateMore() throws -> Bool {
    guard damage == nil else { return false }
    var output = [UInt8](repeating: 0, count: chunkSize)
    while true {
      if inputStart == input.count {
        guard !fileEnded else { return finishAtEnd() }
        inputOffset += Int64(input.count)
        input = try Self.readChunk(descriptor, count: chunkSize, path: path)
        inputStart = 0
        if input.isEmpty {
          fileEnded = true
          return finishAtEnd()
        }
      }
      if !streamOpen {
        // A new member must start with gzip's magic; anything else after a member is not part of the archive.
        guard input.count - inputStart >= 2 || fileEnded else {
          try readMoreInput()
          continue
        }
        guard input.count - inputStart >= 2, input[inputStart] == 0x1F, input[inputStart + 1] == 0x8B else {
          if input[inputStart...].allSatisfy({ $0 == 0 }) && fileEnded { return false }
          damage = "bytes after gzip member end are not another gzip member (file offset \(currentFileOffset))"
          return false
        }
        if try inflateWholeMember() { return true }
        stream = z_stream()
        guard medref_inflate_init(&stream, 15 + 16) == Z_OK else {
          damage = "zlib could not start"
          return false
        }
        streamOpen = true
        memberStarts.append((Int64(buffer.count - start) + position, currentFileOffset))
      }
      let available = input.count - inputStart
      let (status, used, produced) = input.withUnsafeMutableBufferPointer { inputBuffer in
        output.withUnsafeMutableBufferPointer { outputBuffer in
          stream.next_in = inputBuffer.baseAddress! + inputStart
          stream.avail_in = UInt32(available)
          stream.next_out = outputBuffer.baseAddress!
          stream.avail_out = UInt32(outputBuffer.count)
          let status = inflate(&stream, Z_NO_FLUSH)
          return (status, available - Int(stream.avail_in), outputBuffer.count - Int(stream.avail_out))
        }
      }
      inputStart += used
      if produced > 0 { buffer.append(contentsOf: output[..<produced]) }
      switch status {
      case Z_STREAM_END:
        inflateEnd(&stream)
        streamOpen = false
      case Z_OK, Z_BUF_ERROR:
        break
      default:
        damage = "damaged gzip data (file offset \(currentFileOffset))"
        inflateEnd(&stream)
        streamOpen = false
        return produced > 0
      }
      if produced > 0 { return true }
    }
  }

  /// Decompresses the gzip member at the read position in one call (libdeflate), when it lies within
  /// `wholeMemberInput` bytes and inflates to at most `wholeMemberOutput`; false to stream it through zlib instead
  /// (a larger member, or damaged data, which zlib then names).
  private func inflateWholeMember() throws -> Bool {
    if decompressor == nil { decompressor = libdeflate_alloc_decompressor() }
    guard let decompressor else { return false }
    // Enough input that a record's member is most likely whole in it.
    try topUpInput(to: 1 << 18)
    while true {
      if wholeOutput == nil { wholeOutput = .allocate(capacity: 1 << 20) }
      let output = wholeOutput!
      var used = 0
      var produced = 0
      let available = input.count - inputStart
      let result = input.withUnsafeBufferPointer { inputBuffer in
        libdeflate_gzip_decompress_ex(
          decompressor, inputBuffer.baseAddress! + inputStart, available, output.baseAddress!, output.count, &used,
          &produced)
      }
      switch result {
      case LIBDEFLATE_SUCCESS:
        memberStarts.append((Int64(buffer.count - start) + position, currentFileOffset))
        inputStart += used
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: output[..<produced]))
        return true
      case LIBDEFLATE_INSUFFICIENT_SPACE where output.count < Self.wholeMemberOutput:
        output.deallocate()
        wholeOutput = .allocate(capacity: output.count * 4)
      case LIBDEFLATE_BAD_DATA where !fileEnded && available < Self.wholeMemberInput:
        // The member may go on past the input read so far.
        try topUpInput(to: available * 2)
      default:
        return false
      }
    }
  }

  /// Reads on until `count` compressed bytes from the read position are in `input`, or the file ends; bytes before
  /// the read position are dropped.
  private func topUpInput(to count: Int) throws {
    guard input.count - inputStart < count, !fileEnded else { return }
    if inputStart > 0 {
      input.removeFirst(inputStart)
      inputOffset += Int64(inputStart)
      inputStart = 0
    }
    while input.count < count && !fileEnded { try readMoreInput() }
  }

  /// The file offset of the next compressed byte.
  private var currentFileOffset: Int64 { inputOffset + Int64(inputStart) }

  /// Appends the file's next chunk to the compressed input (a member's magic split across chunks).
  private func readMoreInput() throws {
    let chunk = try Self.readChunk(descriptor, count: chunkSize, path: path)
    if chunk.isEmpty { fileEnded = true } else { input += chunk }
  }

  /// At the end of the file: a member cut short is damage, else the stream is done.
  private func finishAtEnd() -> Bool {
    if streamOpen {
      damage = "the file ends inside a gzip member (file offset \(currentFileOffset))"
      inflateEnd(&stream)
      streamOpen = false
    }
    return false
  }

  private static func readChunk(_ descriptor: Int32, count: Int, path: String) throws -> [UInt8] {
    var chunk = [UInt8](repeating: 0, count: count)
    var total = 0
    while total < count {
      let read = chunk.withUnsafeMutableBytes { buffer in
        systemRead(descriptor, buffer.baseAddress! + total, count - total)
      }
      if read < 0 {
        if errno == EINTR { continue }
        if errno == EAGAIN && total > 0 { break }
        throw MedRefError.unreadable(path: path, reason: SourceReader.systemReason())
      }
      if read == 0 { break }
      total += read
    }
    chunk.removeSubrange(total...)
    return chunk
  }
}

/// The lines of a file read through `ArchiveByteStream` (plain or gzip-compressed), each without its line end, with
/// its 1-based number; a line longer than `maximumLength` is an error naming it.
package struct ByteLines {
  package let stream: ArchiveByteStream
  package let maximumLength: Int
  package private(set) var number = 0

  package init(stream: ArchiveByteStream, maximumLength: Int) {
    self.stream = stream
    self.maximumLength = maximumLength
  }

  /// The next line, or nil at the end of the file.
  /// - Throws: `MedRefError.unreadable` when the file cannot be read or a line is too long.
  package mutating func next(path: String) throws -> [UInt8]? {
    var scanned = 0
    while true {
      let start = stream.start
      let found = stream.buffer.withUnsafeBufferPointer { buffer -> Int? in
        var index = start + scanned
        while index < buffer.count {
          if buffer[index] == 0x0A { return index }
          index += 1
        }
        return nil
      }
      if let end = found {
        number += 1
        var line = Array(stream.buffer[start..<end])
        if line.last == 0x0D { line.removeLast() }
        stream.consume(end + 1 - start)
        return line
      }
      scanned = stream.buffer.count - start
      if scanned > maximumLength {
        throw MedRefError.unreadable(path: path, reason: "line \(number + 1) is longer than \(maximumLength) bytes")
      }
      guard try stream.fill() else {
        guard scanned > 0 else { return nil }
        number += 1
        let line = Array(stream.buffer[start...])
        stream.consume(line.count)
        return line
      }
    }
  }
}
