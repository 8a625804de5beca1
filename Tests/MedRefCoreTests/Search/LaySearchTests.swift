import Foundation
import Testing

@testable import MedRefIndex
@testable import MedRefSearch

/// Searching in people's words: several symptoms at once, lay vocabulary, questions with a condition and a concern.
/// Each test ingests small real pages into a fresh index and searches it as `medref search` does.
@Suite("Searching in people's words: several symptoms, lay words, questions")
struct LaySearchTests {
  /// A fresh index of `pages` (file name → HTML body under an `<h1>` of the title).
  static func searcher(_ pages: [(file: String, title: String, body: String)]) throws -> (TemporaryFolder, Searcher) {
    let folder = try TemporaryFolder()
    for page in pages {
      try folder.write(
        "pages/\(page.file).html",
        "<html><head><title>\(page.title)</title></head><body><main><h1>\(page.title)</h1>\(page.body)"
          + "</main></body></html>")
    }
    let store = try IndexStore(path: folder.path + "/Index/medref.sqlite", create: true)
    let report = try Ingestor(store: store).ingest([folder.path + "/pages"])
    #expect(report.failed.isEmpty)
    return (folder, Searcher(store: store))
  }

  static let conditions: [(file: String, title: String, body: String)] = [
    (
      "all-three", "Condition A",
      "<p>Condition A is a rare disorder of the skin and joints.</p><h2>Symptoms</h2>"
        + "<ul><li>Itching</li><li>Hair loss</li><li>Joint pain</li></ul>"
        + "<h2>Treatment</h2><p>Creams and rest help most people with the condition.</p>"
    ),
    (
      "two-named-differently", "Condition B",
      "<p>Condition B is a disorder of the skin.</p><h2>Symptoms</h2>"
        + "<p>People with condition B have pruritus and alopecia that come and go over many years.</p>"
    ),
    (
      "one", "Condition C",
      "<p>Condition C is a disorder of the skin.</p><h2>Symptoms</h2>"
        + "<p>The main sign of condition C is itching of the arms and legs, worse at night.</p>"
    ),
    (
      "elsewhere", "Condition D",
      "<p>Condition D is a disorder of the joints.</p><h2>Causes</h2>"
        + "<p>Researchers once thought that itching and hair loss caused condition D, but they do not.</p>"
        + "<h2>Symptoms</h2><p>Fever and tiredness over several weeks are the usual signs.</p>"
    ),
  ]

  @Test("Several symptoms: articles rank by how many their symptoms sections name, two wordings count once")
  func severalSymptoms() throws {
    let (_, searcher) = try Self.searcher(Self.conditions)
    let response = try searcher.search(SearchRequest(text: "itching, hair loss, joint pain", kinds: [.symptoms]))
    let ids = response.results.map { $0.id.split(separator: "/").last.map(String.init) ?? $0.id }
    // The page naming all three first; then the one naming two of them in other words (pruritus = itching,
    // alopecia = hair loss, by HPO class); then the one naming one: a missing symptom lowers a page, not drops it.
    #expect(ids.prefix(3) == ["all-three", "two-named-differently", "one"], "\(ids)")
    #expect(response.results.first?.symptoms == ["itching", "hair loss", "joint pain"], "\(response.results)")
    #expect(response.results.dropFirst().first?.symptoms == ["itching", "hair loss"])
    #expect(response.results.first?.match != .someTerms)
    #expect(response.results.dropFirst().first?.match == .someTerms)
    // With the symptoms filter, a page naming them only in its causes section is not a result at all.
    #expect(!ids.contains("elsewhere"))
    // Without it, the page naming two of them in its causes section counts them at half weight: after the page
    // naming two in its symptoms section.
    let unfiltered = try searcher.search(SearchRequest(text: "itching, hair loss, joint pain"))
    let order = unfiltered.results.map { $0.id.split(separator: "/").last.map(String.init) ?? $0.id }
    let elsewhere = try #require(order.firstIndex(of: "elsewhere"))
    #expect(order.first == "all-three")
    #expect(elsewhere > (order.firstIndex(of: "two-named-differently") ?? 0), "\(order)")
  }

  @Test("A question about a cause is not ranked as a list of symptoms")
  func questionIsNotAList() throws {
    let plan = SearchPlan(try Query("can itching cause hair loss"), kinds: [])
    #expect(plan.symptomGroups.count == 2)
    #expect(plan.askedKind == .causes)
  }

  static let urinary: [(file: String, title: String, body: String)] = [
    (
      "uti", "Urinary tract infection",
      "<p>A urinary tract infection is an infection of the bladder or kidneys.</p><h2>Symptoms</h2>"
        + "<ul><li>A burning feeling during urination</li><li>Frequent urination</li><li>Cloudy urine</li></ul>"
    ),
    (
      "burns", "Burns",
      "<p>Burns are injuries of the skin caused by heat.</p><h2>Causes</h2>"
        + "<p>Burning liquids, fire and chemicals cause burns. Doctors check the urine of people with large burns.</p>"
    ),
  ]

  @Test("Lay words: 'burning when peeing' finds the page on urination, not the page on burns")
  func layWords() throws {
    let (_, searcher) = try Self.searcher(Self.urinary)
    let response = try searcher.search(SearchRequest(text: "burning when peeing"))
    #expect(response.results.first?.id.hasSuffix("uti") == true, "\(response.results.map(\.id))")
    #expect(response.interpreted.contains("urination"), "\(response.interpreted)")
    #expect(response.interpreted.contains("(describes symptoms)"), "\(response.interpreted)")
    // The snippet marks the words the page uses, never "pee" inside another word.
    let snippet = try #require(response.results.first?.sections.first?.snippet)
    #expect(snippet.contains("\(Searcher.highlightStart)urination\(Searcher.highlightEnd)"), "\(snippet)")
  }

  @Test("A pronunciation respelling's syllables are not words: 'pee' in '(bron-KOS-ko-pee)' is not marked")
  func respellings() {
    let snippets = SnippetMaker(terms: ["pee", "urin"], entityNames: [])
    let text = "A bronchoscopy (bron-KOS-ko-pee) looks at the airways; pain when you pee or urinate is another matter."
    let snippet = snippets.snippet(text) { [] }
    #expect(!snippet.contains("\(Searcher.highlightStart)pee\(Searcher.highlightEnd))"), "\(snippet)")
    #expect(snippet.contains("\(Searcher.highlightStart)pee\(Searcher.highlightEnd) or"), "\(snippet)")
    #expect(snippet.contains("\(Searcher.highlightStart)urinate\(Searcher.highlightEnd)"), "\(snippet)")
    for word in ["(bron-KOS-ko-pee)", "pee-TEE-kee-ee", "(ah-NEE-me-uh),"] {
      let bytes = Array(word.utf8)
      #expect(bytes.withUnsafeBufferPointer { SnippetMaker.isRespelling($0, 0, $0.count) }, "\(word)")
    }
    for word in ["x-ray", "T-cell", "hand-foot-and-mouth", "pee"] {
      let bytes = Array(word.utf8)
      #expect(!bytes.withUnsafeBufferPointer { SnippetMaker.isRespelling($0, 0, $0.count) }, "\(word)")
    }
  }

  @Test("The words typed outrank a lay synonym: a page saying 'peeing' comes before one saying 'urination'")
  func typedWordsOutrankSynonyms() throws {
    let (_, searcher) = try Self.searcher([
      (
        "clinical", "Bladder problems",
        "<h2>Symptoms</h2><p>Pain during urination and urination at night are common in older adults.</p>"
      ),
      ("lay", "Kids and bladders", "<h2>Symptoms</h2><p>Children may say it hurts when peeing, often at night.</p>"),
    ])
    let ids = try searcher.search(SearchRequest(text: "peeing at night")).results.map(\.id)
    #expect(ids.count == 2)
    #expect(ids.first?.hasSuffix("lay") == true, "\(ids)")
  }

  @Test("A lay phrase stands for its HPO class with the weight of its source; coordinated words share a noun")
  func planOfLayWords() throws {
    let nose = SearchPlan(try Query("potato nose"), kinds: [])
    let group = try #require(nose.groups.first)
    #expect(group.classes == ["HP:0000414"])
    #expect(group.classWeights == [0.7])
    let matchers = SearchPlan.coverageMatchers(group)
    #expect(matchers.map(\.weight) == [1, 0.7], "the words typed count 1, the related synonym 0.7")
    #expect(matchers.last?.expression.text == "terms : \"0000414\"")

    let eyes = SearchPlan(try Query("red itchy watery eyes"), kinds: [])
    #expect(eyes.symptomGroups.count == 3, "\(eyes.interpreted)")
    #expect(eyes.interpreted.contains("\"red eyes\""), "\(eyes.interpreted)")
    #expect(eyes.interpreted.contains("\"itchy eyes\""), "\(eyes.interpreted)")
    // A word that means something else in general English maps to nothing ("cat" is not vomiting).
    #expect(LayVocabulary.shared.targets(of: ["cat"]) == nil)
  }

  static let dengue: [(file: String, title: String, body: String)] = [
    (
      "dengue-causes", "Causes of Dengue Fever | Health Site",
      "<p>Dengue fever is a viral illness of the tropics.</p><h2>How it spreads</h2>"
        + "<p>The virus is passed to people by the bite of an infected Aedes mosquito, which bites during the day.</p>"
        + "<h2>Time frame</h2><p>The illness lasts about a week; tiredness can last longer.</p>"
    ),
    (
      "dengue-symptoms", "Dengue Fever Symptoms | Health Site",
      "<p>Dengue fever is common in the tropics.</p><h2>Symptoms</h2>"
        + "<p>High fever, severe headache, pain behind the eyes and a rash. Most people recover in a week.</p>"
    ),
    (
      "cholera-vaccine", "A Look at Each Vaccine: Cholera Vaccine",
      "<p>Cholera is caught from water or food with the bacteria in it.</p><h2>Who should get the vaccine?</h2>"
        + "<p>Adults who travel to areas with cholera.</p>"
    ),
    (
      "baby-pox", "My Baby: Chickenpox",
      "<p>Chickenpox is an itchy rash with blisters.</p><h2>Symptoms</h2><p>A cough and a rash of blisters.</p>"
    ),
  ]

  @Test("A question: the condition it names and the concern it asks about, shown in interpreted")
  func questions() throws {
    let (_, searcher) = try Self.searcher(Self.dengue)
    let caught = try searcher.search(SearchRequest(text: "how do you catch dengue fever"))
    #expect(caught.interpreted.contains("(asks about causes: catch)"), "\(caught.interpreted)")
    #expect(caught.interpreted.contains("(condition: dengue fever)"), "\(caught.interpreted)")
    // The page whose title names the condition and the concern ("Causes of Dengue Fever | Health Site").
    #expect(caught.results.first?.id.hasSuffix("dengue-causes") == true, "\(caught.results.map(\.id))")

    let long = try searcher.search(SearchRequest(text: "how long does dengue fever last"))
    #expect(long.interpreted.contains("asks about outlook"), "\(long.interpreted)")

    // The part of a title after a colon names the page too.
    let vaccine = try searcher.search(SearchRequest(text: "do I need a cholera vaccine to travel"))
    #expect(vaccine.results.first?.id.hasSuffix("cholera-vaccine") == true)
    #expect(vaccine.interpreted.contains("(condition: cholera)"), "\(vaccine.interpreted)")
    // A part of facet words only ("My Baby: Chickenpox") names nothing: "baby" is no condition.
    let baby = try searcher.search(SearchRequest(text: "my baby has a cough"))
    #expect(!baby.interpreted.contains("condition"), "\(baby.interpreted)")
    #expect(
      try searcher.search(SearchRequest(text: "chickenpox in my baby")).interpreted.contains("(condition: chickenpox)"))
  }

  @Test("A condition written as two words in a title is named by the one word ('smallpox', 'Small Pox')")
  func joinedCondition() throws {
    let (_, searcher) = try Self.searcher(
      [
        ("pox", "Small Pox - Symptoms and causes", "<h2>Causes</h2><p>Smallpox is caused by the variola virus.</p>"),
        ("other", "Infections of the skin", "<h2>Overview</h2><p>A virus causes warts; smallpox was another.</p>"),
      ] + Self.urinary + Self.dengue)
    let response = try searcher.search(SearchRequest(text: "what virus causes smallpox"))
    #expect(response.interpreted.contains("(condition: small pox)"), "\(response.interpreted)")
    #expect(response.results.first?.id.hasSuffix("pox") == true, "\(response.results.map(\.id))")
  }

  @Test("Title parts: a site's name and a series name are parts of their own")
  func titleParts() {
    #expect(TitleIndex.segments("Causes of Dengue Fever | eHow") == ["Causes of Dengue Fever", "eHow"])
    #expect(
      TitleIndex.segments("A Look at Each Vaccine: Cholera Vaccine") == ["A Look at Each Vaccine", "Cholera Vaccine"])
    #expect(TitleIndex.segments("Hand-foot-and-mouth disease") == ["Hand-foot-and-mouth disease"])
  }
}
