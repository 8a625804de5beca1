import Foundation
import Testing

@testable import MedRefExtraction
@testable import MedRefText

/// Entities in the sample article, through the whole pipeline and the bundled lexicons.
@Suite("Entities in the sample article")
struct SampleArticleEntityTests {
  static func record() throws -> ExtractRecord {
    let article = try Pipeline().process(
      bytes: Fixture.bytes("back-spasms.txt"), file: SourceFile(path: "Corpus/back-spasms.txt", format: .plainText),
      id: "Corpus/back-spasms")
    return ExtractRecord(article)
  }

  /// Every section of the tree, depth first, with its entities.
  static func sections(_ records: [ExtractRecord.SectionRecord]) -> [ExtractRecord.SectionRecord] {
    records.flatMap { [$0] + sections($0.sections) }
  }

  static func section(_ heading: String, in record: ExtractRecord) throws -> ExtractRecord.SectionRecord {
    try #require(sections(record.sections).first { $0.heading == heading })
  }

  @Test("The diagnosis section's tests: X-ray, CT, MRI, bone scan, electromyogram")
  func tests() throws {
    let record = try Self.record()
    let diagnosis = try Self.section("How Is Lumbar Strain Diagnosed", in: record)
    let tests = diagnosis.entities.filter { $0.type == .test }
    #expect(
      tests.map(\.text) == [
        "physical exam", "X-ray", "Computed tomography scan", "imaging test", "X-rays", "CT scan", "CT scan",
        "Magnetic resonance imaging", "Radionuclide bone scan", "Electromyogram",
      ])
    #expect(
      Set(tests.compactMap(\.normalized)) == [
        "physical examination", "X-ray", "CT scan", "imaging test", "MRI", "bone scan", "electromyogram",
      ])
    let later = try Self.section("What Is The Diagnosis Of The Lower Back Muscle Spasm", in: record)
    #expect(later.entities.filter { $0.type == .test }.map(\.text).contains(["MRI", "CT scan"]))
  }

  @Test("Medications: NSAIDs, brands as their generic names, muscle relaxants, corticosteroids")
  func medications() throws {
    let record = try Self.record()
    let choice = try Self.section("Choice Of Conservative Treatment For Back Spasm Are As Follows", in: record)
    let medications = choice.entities.filter { $0.type == .medication }
    #expect(medications.map(\.text).starts(with: ["NSAIDS", "Non-steroidal anti-inflammatory medications", "motrin"]))
    #expect(medications.first { $0.text == "motrin" }?.normalized == "ibuprofen")
    #expect(medications.first { $0.text == "celebrex" }?.normalized == "celecoxib")
    #expect(medications.first { $0.text == "Tylenol" }?.normalized == "acetaminophen")

    let pain = try Self.section("Pain Medication For Muscle Spasm Lower Back", in: record)
    let names = pain.entities.filter { $0.type == .medication }.map(\.text)
    for name in ["Muscle relaxants", "aspirin", "ibuprofen", "naproxen", "acetaminophen", "Acetaminophen"] {
      #expect(names.contains(name), "\(name) in \(names)")
    }
    let all = Self.sections(record.sections).flatMap(\.entities).filter { $0.type == .medication }
    #expect(Set(all.compactMap(\.normalized)).isSuperset(of: ["NSAID", "muscle relaxant", "corticosteroid", "DMARD"]))
  }

  @Test("Symptoms carry their HPO class: tingling is HP:0003401 Paresthesia")
  func symptoms() throws {
    let record = try Self.record()
    let symptoms = try Self.section("What Are The Symptoms Of The Lower Back Muscle Spasm", in: record)
    let tingling = try #require(symptoms.entities.first { $0.text == "tingling" })
    #expect(tingling.type == .symptom && tingling.hpo == "HP:0003401" && tingling.normalized == "Paresthesia")
    #expect(tingling.redFlag == false)
    let numbness = try #require(symptoms.entities.first { $0.text == "numbness" })
    #expect(numbness.hpo == "HP:0033748")
  }

  @Test("Bladder and bowel control, unexplained weight loss, fever with back pain and paralysis are red flags")
  func redFlags() throws {
    let record = try Self.record()
    let symptoms = try Self.section("What Are The Symptoms Of The Lower Back Muscle Spasm", in: record)
    let flagged = symptoms.entities.filter(\.redFlag)
    #expect(
      flagged.map(\.text) == [
        "difficulty in initiating urination", "difficulty holding in a bowel movement", "fever",
        "unexplained weight loss",
      ])
    #expect(flagged[1].hpo == "HP:0002607")
    let others = try Self.section("The Symptoms Of Back Spasms", in: record)
    #expect(others.entities.filter(\.redFlag).map(\.text) == ["lose control of your bowels or bladder", "paralysis"])
    // Only red flags are flagged.
    #expect(symptoms.entities.filter { !$0.redFlag }.contains { $0.text == "tingling" })
  }

  @Test("Every entity's offsets give its text, and no entity starts or ends inside a word")
  func offsets() throws {
    let record = try Self.record()
    var count = 0
    for section in Self.sections(record.sections) {
      let bytes = Array(section.text.utf8)
      for entity in section.entities {
        count += 1
        #expect(String(decoding: bytes[entity.start..<entity.end], as: UTF8.self) == entity.text)
        let before = entity.start > 0 ? bytes[entity.start - 1] : 0x20
        let after = entity.end < bytes.count ? bytes[entity.end] : 0x20
        for byte in [before, after] {
          let letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
          #expect(!letter, "'\(entity.text)' inside a word in \(section.heading)")
        }
      }
    }
    #expect(count > 150)
  }
}

/// The matcher on small lexicons written here.
@Suite("Entity matching")
struct EntityMatchingTests {
  static let hpo = """
    # term	HP id	preferred name
    tingling	HP:0003401	Paresthesia
    pain	HP:0012531	Pain
    back pain	HP:0003418	Back pain
    low back pain	HP:0003419	Low back pain
    fever	HP:0001945	Fever
    anemia	HP:0001903	Anemia
    headache	HP:0002315	Headache
    bowel incontinence	HP:0002607	Bowel incontinence
    chest pain	HP:0100749	Chest pain
    crohn's disease	HP:0100280	Crohn's disease
    tumor	HP:0002664	Neoplasm
    """

  static let lexicon = """
    x-ray	test	X-ray
    bone scan	test	bone scan
    radionuclide bone scan	test	bone scan
    CBC	test	complete blood count
    mri	test	MRI
    ibuprofen	medication
    motrin	medication	ibuprofen
    muscle relaxant	medication	muscle relaxant
    allergy	symptom	allergy
    spasm	symptom		HP:0012531
    """

  static let redFlags = """
    (loss of|lose) control (of|over) [your|the] (bladder|bowel)	HP:0002607
    HP:0100749
    HP:0001945			back spine
    """

  static let extractor = EntityExtractor(
    lexicon: EntityLexicon(hpo: hpo, lexicons: [("test.tsv", lexicon)], redFlags: redFlags))

  static func found(_ text: String, context: String = "") -> [String] {
    extractor.entities(in: text, context: context).map(\.text)
  }

  @Test("The lexicons here load without problems")
  func loads() {
    #expect(Self.extractor.lexicon.problems == [])
    #expect(Self.extractor.lexicon.termCounts["test.tsv"] == 10)
  }

  @Test("The longest term wins, and matching resumes after it")
  func longest() {
    #expect(Self.found("Low back pain and a radionuclide bone scan") == ["Low back pain", "radionuclide bone scan"])
    #expect(Self.found("back pain, then bone scan") == ["back pain", "bone scan"])
    let entity = Self.extractor.entities(in: "low back pain")[0]
    #expect(entity.hpo == "HP:0003419" && entity.normalized == "Low back pain")
  }

  @Test("Whole words only: nothing inside another word")
  func wholeWords() {
    #expect(Self.found("painful spain painkiller pain") == ["pain"])
    #expect(Self.found("Feverish? No fever.") == ["fever"])
  }

  @Test("A hyphen joins a term's words but a term does not start or end at one")
  func hyphens() {
    #expect(Self.found("An X-ray, an x ray, an X‐ray (U+2010)") == ["X-ray", "x ray", "X‐ray"])
    #expect(Self.found("pain-free, back-pain, non-tumor, pain") == ["back-pain", "pain"])
  }

  @Test("Terms do not run across punctuation or lines")
  func boundaries() {
    #expect(Self.found("back. Pain") == ["Pain"])
    #expect(Self.found("bone\nscan") == [])
    #expect(Self.found("bone  scan") == ["bone  scan"])
  }

  @Test("Case, plurals, possessives and UK spellings are folded")
  func folding() {
    #expect(
      Self.found("MRIs, X-RAYS, Headaches, allergies, muscle relaxants") == [
        "MRIs", "X-RAYS", "Headaches", "allergies", "muscle relaxants",
      ])
    #expect(
      Self.found("anaemia, tumours, Crohns disease, Crohn’s disease") == [
        "anaemia", "tumours", "Crohns disease", "Crohn’s disease",
      ])
    #expect(TermTokenizer.key("Headaches") == TermTokenizer.key("headache"))
    #expect(TermTokenizer.key("bruises") == TermTokenizer.key("bruise"))
    #expect(TermTokenizer.key("oedema") == TermTokenizer.key("edema"))
    #expect(TermTokenizer.key("patients'") == TermTokenizer.key("patient"))
    #expect(TermTokenizer.key("X-rays") == "x ray")
    #expect(TermTokenizer.key("Fièvre") == "fievr")
  }

  @Test("A one-word term written in capitals matches only capitals")
  func acronyms() {
    #expect(Self.found("A CBC, two CBCs, a cbc, a CBCS") == ["CBC", "CBCs"])
    #expect(Self.found("an MRI, an mri") == ["MRI", "mri"])
  }

  @Test("Canonical names: a brand as its generic, an HP id giving the HPO name")
  func names() {
    let entities = Self.extractor.entities(in: "Motrin or ibuprofen for a spasm")
    #expect(entities.map(\.normalized) == ["ibuprofen", "ibuprofen", "Pain"])
    #expect(entities.map(\.type) == [.medication, .medication, .symptom])
    #expect(entities.map(\.hpo) == [nil, nil, "HP:0012531"])
  }

  @Test("Red flags: phrases, HPO classes, and classes that are red flags only with other words")
  func redFlags() {
    let entities = Self.extractor.entities(in: "You may lose control of your bowel. Chest pain. Fever.")
    #expect(entities.map(\.text) == ["lose control of your bowel", "Chest pain", "Fever"])
    #expect(entities.map(\.redFlag) == [true, true, false])
    #expect(entities[0].hpo == "HP:0002607" && entities[0].normalized == "Bowel incontinence")
    #expect(Self.extractor.entities(in: "Fever and back pain.").map(\.redFlag) == [true, false])
    // The other words count on the symptom's line, not elsewhere in the section.
    #expect(Self.extractor.entities(in: "Fever.\nBack pain.").map(\.redFlag) == [false, false])
    #expect(Self.extractor.entities(in: "Fever.", context: "Spine Problems\nSymptoms").map(\.redFlag) == [true])
    #expect(Self.extractor.entities(in: "Tingling.").map(\.redFlag) == [false])
  }

  @Test("Offsets are UTF-8 bytes into the text")
  func offsets() {
    let text = "Fièvre — tingling; “Motrin”"
    let entities = Self.extractor.entities(in: text)
    #expect(entities.map(\.text) == ["tingling", "Motrin"])
    let bytes = Array(text.utf8)
    for entity in entities {
      #expect(String(decoding: bytes[entity.start..<entity.end], as: UTF8.self) == entity.text)
    }
    #expect(entities[0].start == 12 && entities[0].end == 20)
  }

  @Test("Red-flag patterns stand for every combination of their choices")
  func patterns() {
    #expect(
      EntityLexicon.expand("(loss of|lose) control [of] (bladder|bowel)") == [
        "loss of control of bladder", "loss of control of bowel", "loss of control bladder", "loss of control bowel",
        "lose control of bladder", "lose control of bowel", "lose control bladder", "lose control bowel",
      ])
    #expect(EntityLexicon.expand("saddle numbness") == ["saddle numbness"])
    #expect(EntityLexicon.expand("(unclosed") == nil)
  }

  @Test("Problems in lexicon files are reported, not fatal")
  func problems() {
    let lexicon = EntityLexicon(
      hpo: "pain\tHP:0012531\tPain\n", lexicons: [("bad.tsv", "ache\tfeeling\nsore\tsymptom\t\tHP:9999999\n")],
      redFlags: "HP:0000001\n")
    #expect(lexicon.problems.count == 3)
  }
}

/// The lexicons bundled with MedRef.
@Suite("Bundled entity lexicons")
struct BundledLexiconTests {
  @Test("Every row is usable: known types and HP ids, no term given twice by the hand-written files")
  func noProblems() {
    #expect(EntityLexicon.bundled.problems == [])
  }

  @Test("Sizes: the HPO symptoms, and a few hundred tests, medications and procedures")
  func sizes() {
    let counts = EntityLexicon.bundled.termCounts
    #expect((counts["hpo-symptoms.tsv"] ?? 0) > 25_000)
    #expect((counts["tests.tsv"] ?? 0) > 250)
    #expect((counts["medications.tsv"] ?? 0) > 350)
    #expect((counts["procedures.tsv"] ?? 0) > 250)
    #expect((counts["red-flags.tsv"] ?? 0) > 100)
  }

  @Test("Layperson HPO synonyms map to their class")
  func layperson() {
    let extractor = EntityExtractor.shared
    let entities = extractor.entities(
      in: "Pins and needles, numbness, shortness of breath and a stiff neck; difficulty breathing.")
    #expect(entities.map(\.hpo) == ["HP:0003401", "HP:0033748", "HP:0002094", "HP:0025258", "HP:0002094"])
    // Breathlessness is a red flag when it is difficulty breathing; a stiff neck, with fever.
    #expect(entities.map(\.redFlag) == [false, false, false, false, true])
    #expect(extractor.entities(in: "Fever and a stiff neck").map(\.redFlag) == [false, true])
  }

  @Test("Generic words from the HPO are not entities")
  func generic() {
    #expect(EntityExtractor.shared.entities(in: "It falls to the corn, then boil it while spinning.").isEmpty)
  }
}

/// The compiled form of the bundled lexicons (`Resources/lexicons/compiled.bin`).
@Suite("Compiled lexicons")
struct CompiledLexiconTests {
  @Test("compiled.bin is what the lexicon files compile to (run 'medref lexicons --compile' after editing them)")
  func current() throws {
    let sources = EntityLexicon.bundledSources()
    let committed = try Data(contentsOf: Self.compiledFile)
    #expect(
      [UInt8](committed) == sources.compiled(),
      """
      Sources/MedRefBase/Resources/lexicons/compiled.bin is out of date: run
      swift run medref lexicons --compile Sources/MedRefBase/Resources/lexicons/compiled.bin
      """)
  }

  @Test("A compiled lexicon finds the same entities as the one it was compiled from")
  func roundTrip() throws {
    let original = BundledTestText.lexicon
    let loaded = try #require(EntityLexicon(compiled: original.compiled()))
    #expect(loaded.termCounts == original.termCounts)
    #expect(loaded.problems == original.problems)
    let text = BundledTestText.text
    let context = "Back pain"
    #expect(
      EntityExtractor(lexicon: loaded).entities(in: text, context: context)
        == EntityExtractor(lexicon: original).entities(in: text, context: context))
    #expect(EntityExtractor(lexicon: loaded).entities(in: text, context: context).count >= 8)
  }

  @Test("Damaged, truncated or foreign bytes are refused (the lexicon files are read instead)")
  func damaged() {
    let bytes = BundledTestText.lexicon.compiled()
    #expect(EntityLexicon(compiled: []) == nil)
    #expect(EntityLexicon(compiled: Array(bytes.dropLast())) == nil)
    #expect(EntityLexicon(compiled: Array(bytes.prefix(bytes.count / 2))) == nil)
    #expect(EntityLexicon(compiled: Array("MEDREFLX but something else".utf8)) == nil)
    var otherVersion = bytes
    otherVersion[8] &+= 1
    #expect(EntityLexicon(compiled: otherVersion) == nil)
  }

  /// The repository's compiled.bin (this file is `Tests/MedRefCoreTests/Entities/EntityExtractorTests.swift`).
  static let compiledFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/MedRefBase/Resources/lexicons/compiled.bin")
}

/// A small lexicon and a text for the compiled-form tests.
enum BundledTestText {
  static let lexicon = EntityLexicon(
    hpo: "pain\tHP:0012531\tPain\ntingling\tHP:0003401\tParesthesia\nfever\tHP:0001945\tFever\n",
    lexicons: [
      ("tests.tsv", "MRI\ttest\nx-ray\ttest\n"), ("medications.tsv", "Tylenol\tmedication\tacetaminophen\n"),
    ],
    redFlags: "(loss of|lose) control [of] (bladder|bowel)\t\tLoss of bladder or bowel control\nHP:0001945\t\t\tback\n")
  static let text = """
    Back pain with tingling and fever; lose control of bladder. An MRI, two X-rays and Tylenol.
    Fever alone. PAIN. mri is not MRI.
    """
}
