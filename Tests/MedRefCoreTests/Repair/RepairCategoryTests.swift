import Testing

@testable import MedRefText
@testable import MedRefWeb

/// Clean sentences in many languages, written for these tests, and the damage that scraping does to them.
enum Samples {
  static let sentences: [String] = [
    "The patient’s fever “broke” overnight — a good sign…",  // English, curly quotes and dashes
    "Le médecin a prescrit un traitement à base d’antibiotiques.",  // French
    "Die Ärztin empfiehlt Bettruhe für drei Tage, außerdem viel Flüssigkeit.",  // German
    "La niña tiene fiebre y dolor de garganta; ¿debería ir al médico?",  // Spanish
    "A criança foi levada à emergência com febre alta e não comeu.",  // Portuguese
    "Più della metà dei pazienti è guarita entro una settimana.",  // Italian
    "Łódź ma nowy szpital dziecięcy z oddziałem ratunkowym.",  // Polish
    "Dvořákova nemocnice přijala nové pacienty s chřipkou.",  // Czech
    "A beteg lázas, ezért öt napig ágyban kell maradnia.",  // Hungarian
    "Hastanın ateşi yükseldi; doktor ılık duş önerdi.",  // Turkish
    "Läkaren säger att febern går över på några dagar.",  // Swedish
    "Lægen anbefalede hvile og rigeligt med væske.",  // Danish
    "Læknirinn sagði að hitinn myndi lækka á þremur dögum.",  // Icelandic
    "Bệnh tiểu đường là một bệnh mãn tính phổ biến.",  // Vietnamese
    "Durerea de cap poate fi un simptom al hipertensiunii în România.",  // Romanian
    "Ο πυρετός είναι σύμπτωμα πολλών λοιμώξεων.",  // Greek
    "Рекомендуется измерять давление каждый день.",  // Russian
    "Лікар порадив пити більше води та відпочивати.",  // Ukrainian
    "发烧是许多感染的常见症状。",  // Chinese
    "熱があるときは水分をたくさん取ってください。",  // Japanese
    "열이 나면 물을 충분히 마시세요.",  // Korean
    "الحمى عرض شائع للعديد من الالتهابات.",  // Arabic
    "החום הוא תסמין נפוץ של זיהומים רבים.",  // Hebrew
    "बुखार संक्रमण का एक सामान्य लक्षण है।",  // Hindi
    "ไข้เป็นอาการที่พบบ่อยของการติดเชื้อ",  // Thai
    "Take 500 mg ≥ 2 times a day; 38 °C is a fever 🤒 ✔",  // symbols and emoji
  ]

  /// Clean text that looks like mojibake but is not: none of it may change.
  static let trickyClean: [String] = [
    "NÃO", "SÃO PAULO", "C O N C L U S Ã O", "pâte", "L’ÂGE", "ÉTÉ", "x² ≥ 0", "5×£35", "£5", "naïve",
    "© 2024 Hospital ®", "Œdème", "Ørsted", "ÎNVĂȚĂMÂNT", "The letter Â appears in Romanian.", "Fuß“ and „Öl“",
    "«CAFÉ»", "Château cât bât", "AHÅ™, the sofa", "Dont try to move until you know.", "Its hard to say.",
    "4288×…", "(-1/2)! = √π", "├┤a┼┐a", "HÅØYA ER BLÅØYD", "crème brûlée", "1 ¼ cups", "AT&T; R&D",
  ]

  static func encode(_ text: String, with encoding: SingleByteEncoding) -> String {
    encoding.decode(Array(text.utf8))
  }

  /// UTF-8 read as Windows-1252.
  static func windows1252(_ text: String) -> String { encode(text, with: .windows1252) }

  /// UTF-8 read as Latin-1: every byte becomes the character with its value, C1 controls included.
  static func latin1(_ text: String) -> String {
    String(String.UnicodeScalarView(text.utf8.map { Unicode.Scalar($0) }))
  }

  /// Latin-1 reading with the C1 controls then deleted (the sample article's damage).
  static func lossy(_ text: String) -> String {
    String(String.UnicodeScalarView(latin1(text).unicodeScalars.filter { !(0x80...0x9F).contains($0.value) }))
  }

  /// Windows-1252 reading whose no-break spaces became spaces.
  static func noBreakSpaceLost(_ text: String) -> String {
    windows1252(text).replacingOccurrences(of: "\u{A0}", with: " ")
  }

  static func macRoman(_ text: String) -> String { encode(text, with: SingleByteEncoding.forLabel("macintosh")!) }

  /// HTML character references for every non-ASCII character.
  static func entities(_ text: String) -> String {
    text.unicodeScalars.map { $0.value < 0x80 ? String($0) : "&#\($0.value);" }.joined()
  }
}

@Suite("Repair by damage category")
struct RepairCategoryTests {
  let repairer = TextRepairer()

  func expectRepaired(_ damaged: String, _ original: String, exact: Bool = true) {
    let repaired = repairer.repair(damaged)
    #expect(repaired.text == original, "from \(damaged.debugDescription)")
    if exact { #expect(repaired.repairs.allSatisfy { $0.exact }, "\(repaired.repairs)") }
    #expect(RepairedText.replay(repaired.repairs, on: damaged) == repaired.text)
  }

  @Test("a: UTF-8 read as Windows-1252", arguments: Samples.sentences)
  func windows1252(sentence: String) {
    expectRepaired(Samples.windows1252(sentence), sentence)
  }

  @Test("b: UTF-8 read as Latin-1, C1 controls kept", arguments: Samples.sentences)
  func latin1(sentence: String) {
    expectRepaired(Samples.latin1(sentence), sentence)
  }

  @Test("c: encoded wrongly twice", arguments: Samples.sentences.prefix(16))
  func double(sentence: String) {
    expectRepaired(Samples.windows1252(Samples.windows1252(sentence)), sentence)
    expectRepaired(Samples.latin1(Samples.windows1252(sentence)), sentence)
  }

  @Test(
    "d: Latin-1 with the C1 bytes deleted: guessed from context and marked",
    arguments: [
      ("Itâs a myth that ânaturalâ remedies canât harm you.", "It’s a myth that “natural” remedies can’t harm you."),
      ("Give 2â3 doses a day â never more.", "Give 2–3 doses a day – never more."),
      // A dash between two words could be French `pâte`; the line's other damage (`donât`) decides.
      ("Donât panic: nausea andâin severe casesâconfusion", "Don’t panic: nausea and—in severe cases—confusion"),
      ("â¢ Rest â¦ and fluids; costs â¬5; x â¥ 3; y â¤ 2", "• Rest … and fluids; costs €5; x ≥ 3; y ≤ 2"),
      (
        "Weâre sure youâll be fine; Iâm glad weâve met and Iâd stay.",
        "We’re sure you’ll be fine; I’m glad we’ve met and I’d stay."
      ),
    ] as [(String, String)])
  func lossy(damaged: String, original: String) {
    let repaired = repairer.repair(damaged)
    #expect(repaired.text == original)
    #expect(repaired.repairs.allSatisfy { !$0.exact && $0.rule == "lossy-latin1-c1" })
    #expect(RepairedText.replay(repaired.repairs, on: damaged) == original)
  }

  @Test(
    "e: no-break spaces turned into spaces",
    arguments: [
      "Prenez 500\u{A0}mg à jeun\u{A0}!", "Il est arrivé à l’hôpital à 8\u{A0}h.", "Temperature: 38,5\u{A0}°C",
      "«\u{A0}Reposez-vous\u{A0}», dit-il.",
    ])
  func noBreakSpace(sentence: String) {
    expectRepaired(Samples.noBreakSpaceLost(sentence), sentence)
  }

  @Test("e: a collapsed double space after `à` is restored")
  func collapsedSpace() {
    let damaged = Samples.noBreakSpaceLost("arrivé à l’hôpital").replacingOccurrences(of: "  ", with: " ")
    #expect(repairer.repair(damaged).text == "arrivé à l’hôpital")
  }

  @Test("f: HTML entities, named, numeric and escaped twice", arguments: Samples.sentences.prefix(10))
  func entities(sentence: String) {
    expectRepaired(Samples.entities(sentence), sentence)
    let twice = Samples.entities(sentence).replacingOccurrences(of: "&", with: "&amp;")
    expectRepaired(twice, sentence)
  }

  @Test("g: UTF-8 read as MacRoman", arguments: Samples.sentences.prefix(16))
  func macRoman(sentence: String) {
    expectRepaired(Samples.macRoman(sentence), sentence)
  }

  @Test("h: one damaged fragment inside correct non-ASCII text", arguments: Samples.sentences.suffix(10))
  func mixed(sentence: String) {
    let fragment = "Le médecin dit « repos »."
    expectRepaired(sentence + " " + Samples.windows1252(fragment), sentence + " " + fragment)
  }

  @Test("i: clean text in many languages is never changed", arguments: Samples.sentences + Samples.trickyClean)
  func clean(text: String) {
    let repaired = repairer.repair(text)
    #expect(repaired.text == text)
    #expect(repaired.repairs.isEmpty)
  }

  @Test("Other code pages: Cyrillic, Central European, Baltic and DOS misreadings")
  func otherCodePages() {
    let russian = "Рекомендуется измерять давление"
    expectRepaired(Samples.encode(russian, with: SingleByteEncoding.forLabel("windows-1251")!), russian)
    let czech = "Dvořákova nemocnice přijala nové pacienty"
    expectRepaired(Samples.encode(czech, with: SingleByteEncoding.forLabel("windows-1250")!), czech)
    expectRepaired(Samples.encode(czech, with: SingleByteEncoding.forLabel("iso-8859-2")!), czech)
    let latvian = "Saeimā ievēlētās partijas"
    expectRepaired(Samples.encode(latvian, with: SingleByteEncoding.forLabel("windows-1257")!), latvian)
    let dos = "Čeština"
    expectRepaired(Samples.encode(dos, with: SingleByteEncoding.forLabel("cp437")!), dos)
  }

  @Test(
    "A real â is never taken for lossy damage: on lines beyond Latin-1, or made by an entity",
    arguments: [
      ("Người dân ở đây rất thân thiện.", "Người dân ở đây rất thân thiện."),
      ("Hâlâ kâğıt bekliyorum.", "Hâlâ kâğıt bekliyorum."),
      ("Rom&#226;nia are o populație", "România are o populație"),
      ("Le ch&acirc;teau est fermé", "Le château est fermé"),
    ] as [(String, String)])
  func realCircumflex(input: String, expected: String) {
    #expect(repairer.repair(input).text == expected)
  }

  @Test("Once a line shows damage, lone letters and line-art look-alikes are repaired too")
  func relaxedOnDamagedLines() {
    // Polish ę (`Ä™`) is not a trademark after a small letter.
    #expect(repairer.repair("ChcÄ™ siÄ™ umÃ³wiÄ‡").text == "Chcę się umówić")
    // Icelandic `í` alone, next to other damage.
    #expect(repairer.repair("Ã‰g bÃ½ Ã\u{AD} ReykjavÃ\u{AD}k").text == "Ég bý í Reykjavík")
    // Code page 437 pieces that are all box drawing, next to other damage.
    let german = "Übergewicht erhöht das Risiko für Diabetes"
    expectRepaired(Samples.encode(german, with: SingleByteEncoding.forLabel("cp437")!), german)
  }

  @Test("Sequences whose bytes were lost keep a replacement character unless one reading fits; CESU-8 emoji rebuilt")
  func lostBytesAndSurrogates() {
    // Closing a word, `â€` + U+FFFD can only have been ” (see `MojibakeDecoder.lostByteGuess`); ftfy keeps U+FFFD.
    #expect(repairer.repair("â€œlossy decodingâ€\u{FFFD}").text == "“lossy decoding”")
    #expect(repairer.repair("â€œlossy decodingâ€\u{FFFD}x").text == "“lossy decoding\u{FFFD}x")
    #expect(repairer.repair("Hi í\u{A0}½í¸\u{8D}").text == "Hi 😍")
  }

  @Test("Ligatures are expanded; curly quotes are kept unless asked")
  func typography() {
    #expect(repairer.repair("signiﬁcant “risk”").text == "significant “risk”")
    #expect(TextRepairer(uncurlQuotes: true).repair("“risk” it’s").text == "\"risk\" it's")
  }

  @Test("The sample article: only `arenât` and `Howeverâ¦` change, and both are marked as guesses")
  func sampleArticle() throws {
    let original = try Fixture.text("back-spasms.txt")
    let repaired = repairer.repair(original)
    #expect(repaired.repairs.map(\.from) == ["â", "â¦"])
    #expect(repaired.repairs.map(\.to) == ["’", "…"])
    #expect(repaired.text.contains("specialized tests aren’t usually recommended"))
    #expect(repaired.text.contains("Ice will be the primary treatment. However…"))
    let expected = original.replacingOccurrences(of: "arenât", with: "aren’t")
      .replacingOccurrences(of: "Howeverâ¦", with: "However…")
    #expect(repaired.text == expected)
  }
}

@Suite("Declared legacy charsets")
struct LegacyCharsetTests {
  @Test(
    "A page declaring a legacy charset is decoded with it",
    arguments: [
      ("windows-1251", "Рекомендуется", "windows-1251"), ("koi8-r", "Привет", "koi8-r"),
      ("iso-8859-15", "Prix : 5 €", "iso-8859-15"), ("windows-1250", "Łódź", "windows-1250"),
      ("iso-8859-7", "Ελληνικά", "iso-8859-7"), ("x-mac-roman", "Köln", "macroman"),
    ] as [(String, String, String)])
  func declared(label: String, text: String, name: String) throws {
    let encoding = try #require(SingleByteEncoding.forLabel(label))
    var bytes = Array("<html><head><meta charset=\"\(label)\"></head><body><p>".utf8)
    for scalar in text.unicodeScalars {
      if scalar.value < 0x80 {
        bytes.append(UInt8(scalar.value))
      } else {
        bytes.append(try #require(encoding.byte(for: scalar), "\(scalar) in \(label)"))
      }
    }
    bytes += Array("</p></body></html>".utf8)
    let decoded = try TextDecoder().decode(bytes, path: "page.html")
    #expect(decoded.encoding == name)
    #expect(decoded.reason == "declared charset")
    #expect(decoded.text.contains(text))
  }

  @Test("An unknown declared charset is reported in the reason and the bytes decide")
  func unknown() throws {
    let decoded = try TextDecoder().decode(Array("<meta charset=\"x-klingon\"><p>ok".utf8), path: "a.html")
    #expect(decoded.encoding == "utf-8")
    #expect(decoded.reason.contains("x-klingon"))
  }
}
