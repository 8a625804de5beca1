// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "MedRef",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "medref", targets: ["medref"]),
    // `medref serve`'s web server, a product of its own: only it needs Hummingbird and SwiftNIO.
    .executable(name: "medref-serve", targets: ["medref-serve"]),
    .library(
      name: "MedRef",
      targets: [
        "MedRefBase", "MedRefText", "MedRefExtraction", "MedRefIndex", "MedRefSearch", "MedRefPresentation", "MedRefWeb",
      ]
    ),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    // `medref serve` (issue 8): the HTTP server, and the NIO and logging pieces it is built on.
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    // zlib and libdeflate, for gzip-compressed web archives (`.warc.gz`) and gzip or deflate HTTP payloads in them.
    .systemLibrary(name: "CCompression", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev", "libdeflate-dev"])]),
    // The library, in layers: each target imports only the ones above it in this list, so the compiler keeps the
    // pipeline's one-way flow (README, "Layout"). Base: errors, diagnostics, the data files, primitives.
    .target(name: "MedRefBase", resources: [.copy("Resources")]),
    // Text: bytes → DecodedText → RepairedText (decoding, encoding repair, line normalizing). No libxml2, no SQLite.
    .target(name: "MedRefText", dependencies: ["MedRefBase", "CCompression"]),
    // Extraction: → Document (HTML through libxml2, plain text) → Article (sections, entities), the pipeline, the
    // extract object and `medref extract`'s use case (Extractor).
    .target(name: "MedRefExtraction", dependencies: ["MedRefText", "CLibXML2"]),
    // Index: the SQLite FTS5 index (GRDB): schema, stored encodings, ingest, reading back.
    .target(
      name: "MedRefIndex",
      dependencies: [
        "MedRefExtraction",
        .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C API for what GRDB does not wrap: the progress handler that bounds a search's time.
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    // Search: queries, their plan, ranking, snippets.
    .target(name: "MedRefSearch", dependencies: ["MedRefIndex"]),
    // Presentation: what users see of articles and results (one view of an article, text reports, the JSON of
    // search responses and reports, batch search).
    .target(name: "MedRefPresentation", dependencies: ["MedRefSearch"]),
    // Web: the pages and API answers of `medref serve`, independent of any HTTP server.
    .target(name: "MedRefWeb", dependencies: ["MedRefPresentation"]),
    // The HTTP front end of `medref serve`: Hummingbird wiring only; pages and API answers come from
    // MedRefWeb's `WebApp`, so there is no second code path for search.
    .target(
      name: "MedRefServer",
      dependencies: [
        "MedRefWeb",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ]
    ),
    // What both executables share: the index option, terminal output, errors mapped to exit statuses.
    .target(
      name: "MedRefCommandLine",
      dependencies: ["MedRefIndex", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .executableTarget(
      name: "medref",
      dependencies: [
        "MedRefPresentation",
        "MedRefCommandLine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // Release builds on Linux link the Swift runtime and Foundation statically: the binary runs where no Swift
      // toolchain is installed, and starts in 9 ms instead of 14 (no dynamic symbol binding).
      swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
      linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
    ),
    .executableTarget(
      name: "medref-serve",
      dependencies: [
        "MedRefServer",
        "MedRefCommandLine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
      linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
    ),
    // Fuzz targets (issue 7; `scripts/fuzz` runs them). Each replays the files or folders given as arguments
    // through its entry point; built with `-sanitize=fuzzer -DFUZZING`, it runs libFuzzer instead.
    .systemLibrary(name: "CLibFuzzer", path: "Sources/Fuzz/CLibFuzzer"),
    .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", "MedRefExtraction"], path: "Sources/Fuzz/FuzzSupport"),
    .executableTarget(
      name: "FuzzDecodeRepair", dependencies: ["MedRefText", "FuzzSupport"], path: "Sources/Fuzz/FuzzDecodeRepair"),
    .executableTarget(name: "FuzzHTML", dependencies: ["MedRefExtraction", "FuzzSupport"], path: "Sources/Fuzz/FuzzHTML"),
    .executableTarget(
      name: "FuzzPlainText", dependencies: ["MedRefExtraction", "FuzzSupport"], path: "Sources/Fuzz/FuzzPlainText"),
    .executableTarget(
      name: "FuzzQuery",
      dependencies: ["MedRefSearch", "FuzzSupport", .product(name: "GRDB", package: "GRDB.swift")],
      path: "Sources/Fuzz/FuzzQuery"
    ),
    .testTarget(
      name: "MedRefCoreTests",
      dependencies: ["MedRefWeb"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "medrefTests",
      dependencies: ["medref", "medref-serve"],
      resources: [.copy("Golden")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
