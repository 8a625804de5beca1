import ArgumentParser
import Foundation
import MedRefBase

/// `medref serve`: runs the `medref-serve` executable that sits next to this one, with the same arguments (its
/// `--help` included). The web server is a product of its own so that `medref` builds without Hummingbird and
/// SwiftNIO, which only `serve` needs; `swift build -c release` builds both, `--product medref-serve` only it.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve a search page and a JSON API over the index (local web front end).",
    helpNames: [])

  /// Everything after `serve`, passed on unparsed: `medref-serve` parses and checks it.
  @Argument(parsing: .captureForPassthrough, help: "The options of 'medref serve --help'.")
  var arguments: [String] = []

  /// The `medref-serve` executable beside the running `medref` (symbolic links resolved), if it was built.
  static var serverExecutable: String? {
    // The running binary (Linux), else the path it was started by.
    let running = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let invoked = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return [running, invoked].map { $0.deletingLastPathComponent().appendingPathComponent("medref-serve").path }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  func run() throws {
    guard let server = Self.serverExecutable else {
      throw MedRefError.unreadable(
        path: "medref-serve",
        reason: "the web server is built as its own product and is not next to medref; "
          + "build it with 'swift build -c release --product medref-serve'")
    }
    let argv = ([server] + arguments).map { strdup($0) } + [nil]
    execv(server, argv)
    let reason = String(cString: strerror(errno))
    throw MedRefError.unreadable(path: server, reason: "cannot run it: \(reason)")
  }
}
