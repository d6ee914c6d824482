/// Clauses that share a shape: any subject of the group goes with any of its predicates
/// (`배송이` + `정말 빠르` → 배송이 정말 빨라요).
///
/// Subjects may contain `{N}` (the product's noun), `{N이}` (with 이/가) or `{N은}` (with 은/는); an empty
/// subject means the predicate is a whole clause.
struct PhraseGroup: Sendable {
    /// Subjects, each ending in its particle.
    let subjects: [String]
    /// Predicates that fit every subject.
    let predicates: [Predicate]
    /// The categories (by Korean name) the group fits; nil for all.
    let categories: Set<String>?

    init(_ subjects: [String], _ predicates: [Predicate], only categories: Set<String>? = nil) {
        self.subjects = subjects
        self.predicates = predicates
        self.categories = categories
    }

    /// A group of whole clauses without a separate subject.
    static func clauses(_ predicates: [Predicate], only categories: Set<String>? = nil) -> PhraseGroup {
        PhraseGroup([""], predicates, only: categories)
    }

    /// Whether the group may describe a product of `category`.
    func fits(_ category: String) -> Bool {
        categories?.contains(category) ?? true
    }

    /// `subject` with the product noun placeholder (at most one per subject) filled in.
    static func fill(_ subject: String, noun: String) -> String {
        guard let open = subject.firstIndex(of: "{"), let close = subject[open...].firstIndex(of: "}") else {
            return subject
        }
        let filled: String
        switch subject[subject.index(after: open)..<close] {
        case "N이": filled = Hangul.particle(noun, afterConsonant: "이", afterVowel: "가")
        case "N은": filled = Hangul.particle(noun, afterConsonant: "은", afterVowel: "는")
        default: filled = noun
        }
        return String(subject[..<open]) + filled + String(subject[subject.index(after: close)...])
    }
}
