import Foundation
import Testing

@Suite("The extract object's JSON Schema")
struct SchemaTests {
  @Test("extract and export output on the test corpus validate against `medref schema`")
  func outputsValidate() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      for page in GoldenTests.htmlPages {
        try sandbox.copyFixture("\(GoldenTests.htmlFolder)/\(page)", to: "corpus/\(page)")
      }
      let schema = try await sandbox.medref("schema")
      #expect(schema.status == 0, "\(schema)")
      let validator = try JSONSchemaValidator(schema: schema.stdout)

      let extract = try await sandbox.medref("extract", "corpus", "--format", "json")
      #expect(extract.status == 0, "\(extract)")
      let extracted = try JSON.array(extract.stdout)
      #expect(extracted.count >= 6)

      let ingest = try await sandbox.medref("ingest", "corpus", "--index", sandbox.index)
      #expect(ingest.status == 0, "\(ingest)")
      let export = try await sandbox.medref("export", "--index", sandbox.index, "--format", "json")
      #expect(export.status == 0, "\(export)")
      let exported = try JSON.array(export.stdout)
      #expect(exported.count == extracted.count)

      for record in extracted + exported {
        let errors = validator.errors(in: record)
        #expect(errors.isEmpty, "\(record["path"] ?? "?"):\n\(errors.prefix(10).joined(separator: "\n"))")
      }
    }
  }

  @Test("The validator catches what the schema forbids")
  func validatorRejects() async throws {
    try await Sandbox.with { sandbox in
      let schema = try await sandbox.medref("schema")
      let validator = try JSONSchemaValidator(schema: schema.stdout)
      let record: [String: Any] = [
        "id": "a", "path": "a.txt", "title": "A", "metadata": [:], "encoding": ["detected": "utf-8", "reason": "x"],
        "repairs": [], "text": "", "blocks": [["type": "diagram"]],
        "sections": [
          [
            "heading": "H", "level": 2, "kind": "symptoms", "confidence": 1.5, "cues": [], "text": "", "items": [],
            "entities": [
              [
                "text": "tingling", "type": "symptom", "start": 0, "end": 8, "hpo": "HP:3401",
                "normalized": "Paresthesia", "red_flag": false,
              ]
            ],
            "sections": [],
          ]
        ],
        "extra": true,
      ]
      let errors = validator.errors(in: record)
      #expect(errors.contains { $0.contains("unexpected key 'extra'") }, "\(errors)")
      #expect(errors.contains { $0.contains("$.blocks[0].type") }, "\(errors)")
      #expect(errors.contains { $0.contains("confidence") && $0.contains("above") }, "\(errors)")
      #expect(errors.contains { $0.contains("hpo") && $0.contains("does not match") }, "\(errors)")
      var valid = record
      valid["extra"] = nil
      valid["blocks"] = [["type": "paragraph", "text": "x"]]
      valid["sections"] = []
      #expect(validator.errors(in: valid).isEmpty, "\(validator.errors(in: valid))")
    }
  }
}
