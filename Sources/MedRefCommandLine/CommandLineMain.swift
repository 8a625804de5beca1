import ArgumentParser
import Foundation
import MedRefBase

/// How both executables (`medref`, `medref-serve`) run their root command: parse, run, and map errors to one line
/// on stderr and an exit status (0 success, 1 some inputs failed, 2 usage errors and unusable queries).
package enum CommandLineMain {
  /// Runs `root` on the process's arguments and exits. `help` is the command a usage error points to.
  package static func run<Root: ParsableCommand>(_ root: Root.Type, help: String = "medref help") async {
    if case .some(.none) = ProcessInfoCores.configuredThreads {
      let given = String(ProcessInfo.processInfo.environment["MEDREF_THREADS", default: ""].prefix(40))
      Terminal.error(
        "MEDREF_THREADS must be a whole number from 1 to \(ProcessInfoCores.maximumThreads), not "
          + "'\(given.escapingControlCharacters)'")
      Foundation.exit(2)
    }
    do {
      var command = try Root.parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()  // `serve`
      } else {
        try command.run()
      }
    } catch let error as MedRefError {
      Terminal.error(error.description)
      Foundation.exit(error.isUsageError ? 2 : 1)
    } catch let error as ExitCode {
      Foundation.exit(error.rawValue)
    } catch {
      let code = Root.exitCode(for: error)
      if code == .validationFailure {
        // One line: the message's lines joined (a list of allowed values included), usage text left out.
        let lines = Root.message(for: error).split(separator: "\n")
          .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "- ", with: "") }
          .prefix { !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }.filter { !$0.isEmpty }
        var message = lines.joined(separator: " ").escapingControlCharacters
        // An argument echoed in the message (a 30,000-character query taken for an option) is cut.
        if message.count > 500 { message = message.prefix(500) + "…" }
        Terminal.error(message.prefix(1).lowercased() + message.dropFirst() + " (see '\(help)')")
        Foundation.exit(2)
      }
      Root.exit(withError: error)
    }
  }
}
