import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefText

@Suite("Classifying sections by heading")
struct SectionClassifierTests {
  let classifier = SectionClassifier()

  @Test(
    "Headings from real articles get their kind",
    arguments: [
      ("What Are The Symptoms Of The Lower Back Muscle Spasm", SectionKind.symptoms),
      ("Signs and symptoms", .symptoms), ("Causes Of Back Spasms", .causes), ("What causes migraines?", .causes),
      ("How Is Lumbar Strain Diagnosed", .tests), ("What Is The Diagnosis Of The Lower Back Muscle Spasm", .tests),
      ("Exams and Tests", .tests), ("Conservative Treatment For Back Spasm", .treatment),
      ("How Is Ankylosing Spondylitis Managed Or Treated", .treatment),
      ("Pain Medication For Muscle Spasm Lower Back", .treatment),
      ("More Ways To Prevent Future Back Spasms", .prevention),
      ("Can migraines be prevented?", .prevention), ("Outlook", .outlook), ("What Is The Outlook", .outlook),
      ("Complications", .complications), ("Overview", .overview), ("Is It Sciatica Pain", .tests),
      ("Stop Your Activity And Find Immediate Rest", .treatment),
      // Conventions of health pages: transmission is a cause, when-to-see-a-doctor is other, living with a
      // condition is self-care, duration is outlook, fact boxes are overview.
      ("How is measles spread?", .causes), ("Is mumps contagious?", .causes), ("Mode of transmission", .causes),
      ("When to call the doctor", .other), ("Calling your health care provider", .other),
      ("Living with asthma", .treatment), ("How long does the flu last?", .outlook), ("Key facts", .overview),
      ("Who can get shingles?", .riskFactors), ("Incubation period", .symptoms), ("Alternative Names", .other),
      ("Opportunistic infections", .complications), ("Getting vaccinated", .prevention),
      // Question templates: the frame decides, not words in the condition's name.
      ("What is (are) Radiation Therapy ?", .overview), ("Do you have information about Prenatal Testing", .overview),
      ("Who is at risk for Uterine Sarcoma? ?", .riskFactors), ("Is Angelman syndrome inherited ?", .inheritance),
      ("What are the treatments for inherited thyroxine-binding globulin deficiency ?", .treatment),
      ("What are the genetic changes related to inherited thyroxine-binding globulin deficiency ?", .causes),
      ("How many people are affected by adrenal hyperplasia due to 11-beta-hydroxylase deficiency ?", .other),
      ("What to do for Graves' Disease ?", .other), ("Muscle Spasm Lower Back", .other),
    ] as [(String, SectionKind)])
  func kinds(heading: String, kind: SectionKind) {
    #expect(classifier.classify(heading: heading).kind == kind)
  }

  @Test("The cues that decided are reported, and a clear heading is more certain than a weak one")
  func cuesAndConfidence() {
    let strong = classifier.classify(heading: "Symptoms")
    #expect(strong.cues == ["heading: symptom*"])
    let weak = classifier.classify(heading: "How to Stretch a Lower Back Spasm")
    #expect(weak.kind == .treatment)
    #expect(weak.confidence < strong.confidence)
    let none = classifier.classify(heading: "Muscle Spasm Lower Back")
    #expect(none == SectionClassifier.Classification(kind: .other, confidence: 0.5, cues: []))
  }

  @Test("When two kinds are named, the heavier cue wins, then the earlier one")
  func ties() {
    #expect(classifier.classify(heading: "Symptoms and causes").kind == .symptoms)
    #expect(classifier.classify(heading: "Causes and symptoms").kind == .causes)
    #expect(classifier.classify(heading: "What is the diagnosis").kind == .tests)
  }
}

@Suite("Grouping blocks into sections")
struct SectionizerTests {
  @Test("Blocks go under their heading; text before the first heading is the overview; the title is not a section")
  func grouping() {
    let document = Document(
      title: "Gout",
      blocks: [
        Block(.heading, "Gout", level: 1), Block(.paragraph, "Gout is arthritis."),
        Block(.heading, "Symptoms", level: 2), Block(.paragraph, "Symptoms include:"),
        Block(.listItem, "Joint pain"), Block(.listItem, "Swelling"),
        Block(.heading, "When it hurts most", level: 3), Block(.paragraph, "At night."),
        Block(.heading, "Treatment", level: 2),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.heading) == ["", "Symptoms", "When it hurts most", "Treatment"])
    #expect(sections.map(\.kind) == [.overview, .symptoms, .symptoms, .treatment])
    #expect(sections.map(\.level) == [2, 2, 3, 2])
    #expect(sections[1].text == "Symptoms include:\nJoint pain\nSwelling")
    #expect(sections[1].items == ["Joint pain", "Swelling"])
    #expect(sections[3].text.isEmpty)
  }

  @Test("The sample article's sections and kinds")
  func sampleArticle() throws {
    let pipeline = Pipeline()
    let article = try pipeline.process(
      bytes: try Fixture.bytes("back-spasms.txt"), file: SourceFile(path: "back-spasms.txt", format: .plainText),
      id: "back-spasms")
    let kinds = Dictionary(article.sections.map { ($0.heading, $0.kind) }, uniquingKeysWith: { a, _ in a })
    #expect(kinds["What Are The Symptoms Of The Lower Back Muscle Spasm"] == .symptoms)
    #expect(kinds["Causes Of Back Spasms"] == .causes)
    #expect(kinds["How Is Lumbar Strain Diagnosed"] == .tests)
    #expect(kinds["More Ways To Prevent Future Back Spasms"] == .prevention)
    // Headings that name no kind, read from their text, their parent, or the heading they stand over.
    #expect(kinds["Hot Fomentation For Sudden Back Spasm"] == .treatment)
    #expect(kinds["How To Do Leg Lifts"] == .treatment)
    #expect(kinds["Why you should NOT move"] == .treatment)
    #expect(kinds["Spasms From Nerve Pressure Or Piriformis Syndrome"] == .causes)
    let symptoms = try #require(article.sections.first { $0.kind == .symptoms })
    #expect(symptoms.items.count == 10)
    #expect(symptoms.items[1] == "You also feel tingling, numbness & weakness in one or both of your legs")
    #expect(article.repairs.map(\.to) == ["’", "…"])
    #expect(article.text.contains("specialized tests aren’t usually recommended"))
  }
}

@Suite("The extract object")
struct ExtractRecordTests {
  @Test("Sections nest by heading level")
  func nesting() {
    func section(_ heading: String, _ level: Int) -> Section {
      Section(heading: heading, level: level, kind: .other, confidence: 0.5, cues: [], text: "", items: [])
    }
    let tree = ExtractRecord.nest([
      section("A", 2), section("A1", 3), section("A1a", 4), section("A2", 3), section("B", 2),
    ])
    #expect(tree.map(\.heading) == ["A", "B"])
    #expect(tree[0].sections.map(\.heading) == ["A1", "A2"])
    #expect(tree[0].sections[0].sections.map(\.heading) == ["A1a"])
    #expect(tree[1].sections.isEmpty)
  }

  @Test("The JSON has the contract's fields")
  func json() throws {
    let article = try Pipeline().process(
      bytes: Array("Gout Basics\n\nSymptoms\n\n• Joint pain\n".utf8),
      file: SourceFile(path: "gout.txt", format: .plainText), id: "gout")
    let json = ExtractRecord(article).jsonLine
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    // The contract's fields, and `blocks` and `content_hash` (MedRef's extensions, see the README).
    #expect(
      Set(object.keys) == [
        "id", "path", "title", "metadata", "encoding", "repairs", "text", "sections", "blocks", "content_hash",
      ])
    #expect(
      object["content_hash"] as? String == ContentHash.of(Array("Gout Basics\n\nSymptoms\n\n• Joint pain\n".utf8)))
    let sections = try #require(object["sections"] as? [[String: Any]])
    #expect(sections.first?["kind"] as? String == "symptoms")
    #expect(sections.first?["items"] as? [String] == ["Joint pain"])
    #expect((object["encoding"] as? [String: String])?["detected"] == "utf-8")
  }
}

@Suite("Classifying sections by their text, and enumerated items")
struct SectionContentTests {
  let classifier = SectionClassifier()

  @Test("A heading that names no kind is classified from a clear text, with the cues that decided")
  func fromText() throws {
    let text = """
      Take ibuprofen or naproxen for a few days. Apply ice for twenty minutes, then heat. Gentle stretches and \
      massage help, and so does physical therapy.
      """
    let classification = try #require(classifier.classify(text: text))
    #expect(classification.kind == .treatment)
    #expect(classification.cues.contains("text: ibuprofen ×1"))
    #expect(classification.confidence < 0.95)
  }

  @Test("A text that does not say clearly what it is about is left to the heading")
  func unclearText() {
    #expect(classifier.classify(text: "The spine has many small bones called vertebrae.") == nil)
    // Two kinds as strong as each other: no decision.
    #expect(classifier.classify(text: "Symptoms include swelling and stiffness. Treat it with ice and rest.") == nil)
  }

  @Test("The sectionizer uses the text only when the heading names nothing")
  func sectionizerFallsBack() {
    let document = Document(
      title: "Back pain",
      blocks: [
        Block(.heading, "Hot Packs And Cold Packs", level: 2),
        Block(.paragraph, "Apply ice for twenty minutes, then heat. Take ibuprofen if needed and rest; massage helps."),
        Block(.heading, "Causes", level: 2),
        Block(.paragraph, "Apply ice for twenty minutes, then heat. Take ibuprofen if needed and rest; massage helps."),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.treatment, .causes])
  }

  @Test("A section whose heading and words name no kind is classified by the drugs, procedures or tests it names")
  func fromEntities() throws {
    // Neither the heading nor the opening words are cues; the entities are: three drugs and a procedure.
    let document = Document(
      title: "Back pain",
      blocks: [
        Block(.heading, "What Worked For Me", level: 2),
        Block(.listItem, "Ibuprofen (Advil) twice a day"),
        Block(.listItem, "Naproxen when it flared up"),
        Block(.listItem, "Cyclobenzaprine at night"),
        Block(.listItem, "A TENS unit"),
        Block(.heading, "Before The Appointment", level: 2),
        Block(.paragraph, "They ordered an MRI, an X-ray and a CBC, and later an electromyogram."),
        Block(.heading, "Last Summer", level: 2),
        Block(.paragraph, "I had pain, some tingling and numbness, and I took ibuprofen once."),
        Block(.heading, "References", level: 2),
        Block(.paragraph, "1. Ibuprofen, naproxen and cyclobenzaprine for low back pain. J Pain. 2020."),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.treatment, .tests, .other, .other])
    #expect(sections[0].cues == ["entities: medication ×3", "entities: procedure ×1"])
    #expect(sections[0].confidence < 0.8)
    #expect(sections[1].cues == ["entities: test ×4"])
    // Symptoms do not vote (every kind of section names them), one drug is not enough, and a heading that names
    // back matter keeps its section out of the vote.
    #expect(sections[2].cues.isEmpty)
    #expect(sections[3].cues == ["heading: references"])
    // Without entities (Pipeline(findEntities: false)) nothing is found and nothing is voted.
    let bare = Sectionizer(extractor: nil).sections(of: document)
    #expect(bare.map(\.kind) == [.other, .other, .other, .other])
    #expect(bare.allSatisfy { $0.entities.isEmpty })
  }

  @Test(
    "Enumerations after 'include' become items; prose does not",
    arguments: [
      ("Common symptoms include headache, fever, and a stiff neck.", ["headache", "fever", "a stiff neck"]),
      ("Risk factors may include smoking or obesity.", ["smoking", "obesity"]),
      (
        "Tests can include an X-ray, a CT scan (computed tomography) and blood tests.",
        ["an X-ray", "a CT scan (computed tomography)", "blood tests"]
      ),
      ("Treatment options include many things that your doctor will explain to you in great detail at the visit.", []),
      ("Rest helps. Symptoms include pain.", []),
      ("Some medicines ease the pain, such as ibuprofen, naproxen or aspirin.", ["ibuprofen", "naproxen", "aspirin"]),
      ("Avoid triggers, for example smoke, dust and pollen.", ["smoke", "dust", "pollen"]),
    ] as [(String, [String])])
  func enumerations(sentence: String, expected: [String]) {
    #expect(EnumerationFinder.shared.items(in: sentence) == expected)
  }
}

@Suite("The section-text model and the section tree")
struct SectionTextModelTests {
  @Test("A model file is read as written: kinds, words, and the kind whose words a text uses")
  func smallModel() throws {
    let model = SectionTextModel(
      table: """
        # a two-kind model written for this test
        kinds	symptoms	treatment
        fever	-1.0	-3.0
        cough	-1.0	-3.0
        ibuprofen	-4.0	-1.0
        rest	-3.0	-1.5
        """)
    let symptoms = try #require(model.read("Fever and a COUGH, then more coughs."))
    #expect(symptoms.kind == .symptoms)
    #expect(symptoms.knownWords == 2)
    #expect(abs(symptoms.margin - 2.0) < 1e-9)
    let treatment = try #require(model.read("Take ibuprofen and rest."))
    #expect(treatment.kind == .treatment)
    #expect(abs(treatment.margin - 2.25) < 1e-9)
    // Words of the title are left out; a text with no vocabulary word has no reading.
    #expect(model.read("Fever", excluding: SectionTextModel.forms(of: "Fever")) == nil)
    #expect(model.read("Nothing known here") == nil)
  }

  @Test(
    "Words are counted under the training script's forms",
    arguments: [
      ("Symptoms", "symptom"), ("patients'", "patient"), ("child's", "child"), ("allergies", "allergy"),
      ("illness", "illness"), ("virus", "virus"), ("diagnosis", "diagnosis"), ("flu", "flu"), ("ox", nil),
      ("2020", nil),
    ] as [(String, String?)])
  func forms(word: String, form: String?) {
    #expect(SectionTextModel.form(of: SectionClassifier.words(word).first ?? "") == form)
  }

  @Test(
    "The shipped model reads texts written for this test as a reader would",
    arguments: [
      (
        "Take acetaminophen for the fever, drink plenty of fluids and rest. Antibiotics are prescribed when the "
          + "infection is bacterial, and severe cases are given intravenous fluids in hospital.", SectionKind.treatment
      ),
      (
        "Wash your hands often, avoid close contact with sick people and get the vaccine every year. Vaccination "
          + "lowers the chance of catching the virus and of passing it to others.", .prevention
      ),
      (
        "A doctor diagnoses it from a blood sample or a swab of the throat sent to a laboratory. The test result "
          + "comes back in two days; a positive result confirms the infection.", .tests
      ),
    ] as [(String, SectionKind)])
  func shippedModel(text: String, kind: SectionKind) throws {
    let reading = try #require(SectionTextModel.shared.read(text))
    #expect(reading.kind == kind)
    #expect(reading.knownWords >= 8)
  }

  @Test("A sub-section whose heading names no kind takes its parent's kind; a top-level one does not")
  func parentKind() {
    let document = Document(
      title: "Urinary tract infection",
      blocks: [
        Block(.heading, "Prevention of urinary tract infections", level: 2),
        Block(.paragraph, "A few habits help."),
        Block(.heading, "1. Drink enough fluids", level: 3),
        Block(.paragraph, "Water flushes the bladder."),
        Block(.heading, "2. Go when you need to", level: 3),
        Block(.paragraph, "Holding it in is not good."),
        Block(.heading, "Drink enough fluids", level: 2),
        Block(.paragraph, "Water flushes the bladder."),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.prevention, .prevention, .prevention, .other])
    #expect(sections[1].cues == ["parent: prevention"])
  }

  @Test("A sub-section's weak heading cue keeps its parent's kind; a strong one is its own")
  func parentOverride() {
    let document = Document(
      title: "Asthma",
      blocks: [
        Block(.heading, "Treatment of asthma", level: 2), Block(.paragraph, "Several steps help."),
        Block(.heading, "4. Tackle triggers", level: 3), Block(.paragraph, "Keep the bedroom free of dust."),
        Block(.heading, "5. Breathing support", level: 3), Block(.paragraph, "A spacer makes inhalers work better."),
        Block(.heading, "How can you protect yourself?", level: 3), Block(.paragraph, "Stay away from smoke."),
        Block(.heading, "Symptoms and causes", level: 2), Block(.paragraph, "Both in short."),
        Block(.heading, "Symptoms", level: 3), Block(.paragraph, "Wheezing and a tight chest."),
        Block(.heading, "Causes", level: 3), Block(.paragraph, "Swollen, narrowed airways."),
      ])
    let sections = Sectionizer().sections(of: document)
    // A question says what it is about, however weakly.
    #expect(sections.map(\.kind) == [.treatment, .treatment, .treatment, .prevention, .symptoms, .symptoms, .causes])
    #expect(sections[1].cues == ["parent: treatment", "heading: trigger*"])
    #expect(sections[2].cues == ["parent: treatment", "heading: support"])
  }

  @Test("An empty section under a heading that names nothing takes the kind of the heading it stands over")
  func emptyHeading() {
    let document = Document(
      title: "Back pain",
      blocks: [
        Block(.heading, "Knee To Chest", level: 2),
        Block(.heading, "Stretches For Back Pain", level: 2),
        Block(.paragraph, "Lie on your back and pull one knee to the chest."),
        Block(.heading, "Further Notes", level: 2),
        Block(.heading, "References", level: 2),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.treatment, .treatment, .other, .other])
    #expect(sections[0].cues == ["next heading: treatment"])
    // The heading over "References" takes its kind too, but "References" is a cue of its own.
    #expect(sections[3].cues == ["heading: references"])
  }

  @Test("A heading that is the name of a symptom heads a symptoms section")
  func symptomHeading() {
    let document = Document(
      title: "HIV",
      blocks: [
        Block(.heading, "Fever", level: 2), Block(.paragraph, "It comes and goes for weeks."),
        Block(.heading, "Weight Loss", level: 2), Block(.paragraph, "Many lose weight without trying."),
        Block(.heading, "Our Clinic", level: 2), Block(.paragraph, "It opens at nine."),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.symptoms, .symptoms, .other])
    #expect(sections[0].cues == ["heading names a symptom"])
    #expect(Sectionizer(extractor: nil).sections(of: document).map(\.kind) == [.other, .other, .other])
  }
}

@Suite("Group headings at their members' level")
struct GroupHeadingTests {
  @Test("A heading with a kind and a short lead-in heads the same-level sections after it that name nothing")
  func groupHeading() {
    let document = Document(
      title: "HIV",
      blocks: [
        Block(.heading, "Later complications", level: 3),
        Block(.paragraph, "As the immune system weakens, infections it once held off take hold."),
        Block(.heading, "Pneumocystis", level: 3), Block(.paragraph, "A fungus infects the lungs."),
        Block(.heading, "Cryptococcus", level: 3), Block(.paragraph, "A fungus infects the brain's linings."),
        Block(.heading, "Treatment", level: 3), Block(.paragraph, "Antiretroviral drugs are taken every day."),
        Block(.heading, "Our Clinic", level: 3), Block(.paragraph, "It opens at nine."),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.complications, .complications, .complications, .treatment, .other])
    #expect(sections[1].cues == ["group heading: complications"])
  }

  @Test("A group's run goes on past a member named after a symptom, which stays a symptom")
  func groupWithSymptomName() {
    let document = Document(
      title: "HIV",
      blocks: [
        Block(.heading, "Later complications", level: 3),
        Block(.paragraph, "As the immune system weakens, infections it once held off take hold."),
        Block(.heading, "Pneumocystis", level: 3), Block(.paragraph, "A fungus infects the lungs."),
        Block(.heading, "Diarrhea", level: 3), Block(.paragraph, "Loose stools for weeks."),
        Block(.heading, "Cryptococcus", level: 3), Block(.paragraph, "A fungus infects the brain's linings."),
      ])
    let sections = Sectionizer().sections(of: document)
    #expect(sections.map(\.kind) == [.complications, .complications, .symptoms, .complications])
    #expect(sections[2].cues == ["heading names a symptom"])
  }

  @Test("One section after a heading, or a heading with a long text of its own, is no group")
  func noGroup() {
    let long = String(repeating: "Complications affect many organs over the years. ", count: 30)
    let document = Document(
      title: "HIV",
      blocks: [
        Block(.heading, "Complications", level: 3), Block(.paragraph, "Infections take hold."),
        Block(.heading, "Our Clinic", level: 3), Block(.paragraph, "It opens at nine."),
        Block(.heading, "Symptoms", level: 3), Block(.paragraph, "Fever."),
        Block(.heading, "Complications of the illness", level: 3), Block(.paragraph, long),
        Block(.heading, "Our Staff", level: 3), Block(.paragraph, "Nurses and doctors."),
        Block(.heading, "Our Hours", level: 3), Block(.paragraph, "From nine to five."),
      ])
    let kinds = Sectionizer().sections(of: document).map(\.kind)
    #expect(kinds == [.complications, .other, .symptoms, .complications, .other, .other])
  }
}
