/// The predicate that ends a Korean clause (a verb, an adjective, or a noun with the copula), conjugated
/// into the registers and connective forms a review needs.
///
/// A predicate is written once in its stem form (`늦`, `빠르`, `최악`) with its 아/어 form when that is
/// irregular (`빨라`); the conjugations follow the regular rules, including ㄹ-dropping and the ㅂ-irregular
/// nominal form (아쉽 → 아쉬움).
struct Predicate: Sendable {
    /// How the predicate conjugates in the plain register.
    enum Kind: Sendable {
        /// Adjectives and past-tense stems: stem + 다 (빠르다, 늦었다).
        case descriptive
        /// Verbs in the present: stem + 는다 / ㄴ다 (맞는다, 추천한다).
        case action
        /// A noun with the copula 이다 (최악이다, 별로다).
        case copula
    }

    /// The stem, possibly preceded by adverbs (`너무 늦`), or the noun for a copula.
    var stem: String { conjugator.stem }
    /// How it conjugates.
    var kind: Kind { conjugator.kind }
    /// The 아/어 form (infinitive) of the stem: 늦 → 늦어, 하 → 해, 보 → 봐; nil when it cannot be derived
    /// and no override was given.
    var infinitive: String? { conjugator.infinitive }
    /// The connective 고 form, to chain clauses: 빠르고, 최악이고, 최고이고.
    let linking: String
    /// The concessive 지만 form, for a clause the next one outweighs: 늦었지만, 별로지만.
    let contrast: String

    private let conjugator: Conjugator
    /// The finite forms, conjugated once: per register, plain then exclaiming.
    private let finiteForms: [String]

    init(_ stem: String, _ kind: Kind = .descriptive, infinitive: String? = nil) {
        let conjugator = Conjugator(stem: stem, kind: kind, infinitiveOverride: infinitive)
        self.conjugator = conjugator
        linking = conjugator.linking
        contrast = conjugator.contrast
        finiteForms = Register.allCases.flatMap { [conjugator.finite($0), conjugator.finite($0, exclaiming: true)] }
    }

    /// The clause-final form in `register`; `exclaiming` picks 네요 in the polite register where it fits.
    func finite(_ register: Register, exclaiming: Bool = false) -> String {
        // Register.allCases lists the registers in declaration order.
        let index = Register.allCases.firstIndex(of: register) ?? 0
        return finiteForms[2 * index + (exclaiming ? 1 : 0)]
    }
}

/// The conjugation rules behind ``Predicate``.
private struct Conjugator {
    let stem: String
    let kind: Predicate.Kind
    /// The 아/어 form of the stem's last word (`빨라` for `정말 빠르`); nil when regular.
    let infinitiveOverride: String?

    /// The 아/어 form (infinitive) of the stem: 늦 → 늦어, 하 → 해, 보 → 봐; nil when it cannot be derived
    /// and no override was given.
    var infinitive: String? {
        if let infinitiveOverride {
            guard let space = stem.lastIndex(of: " ") else { return infinitiveOverride }
            return stem[...space] + infinitiveOverride
        }
        guard let scalar = stem.unicodeScalars.last, let final = Hangul.finalIndex(scalar),
            let vowel = Hangul.vowelIndex(scalar)
        else { return nil }
        let head = String(stem.unicodeScalars.dropLast())
        if final == Hangul.Final.ssangsiot.rawValue { return stem + "어" }
        if final != 0 {
            // Bright vowels (ㅏ, ㅑ, ㅗ) take 아, the rest 어.
            return stem + ([0, 2, 8].contains(vowel) ? "아" : "어")
        }
        switch scalar {
        case "하": return head + "해"
        case "되": return head + "돼"
        case "보": return head + "봐"
        case "오": return head + "와"
        case "주": return head + "줘"
        default:
            // ㅏ ㅐ ㅓ ㅔ ㅕ absorb the ending: 사 → 사, 서 → 서.
            return [0, 1, 4, 5, 6].contains(vowel) ? stem : nil
        }
    }

    /// The clause-final form in `register`; `exclaiming` picks 네요 in the polite register where it fits.
    func finite(_ register: Register, exclaiming: Bool = false) -> String {
        switch kind {
        case .copula:
            let consonant = Hangul.endsInConsonant(stem)
            switch register {
            case .polite:
                if exclaiming { return stem + (consonant ? "이네요" : "네요") }
                return stem + (consonant ? "이에요" : "예요")
            case .formal: return stem + "입니다"
            case .plain: return stem + (consonant ? "이다" : "다")
            case .eum: return stem + "임"
            }
        case .descriptive, .action:
            switch register {
            case .polite:
                if exclaiming && kind == .descriptive { return droppingRieul() + "네요" }
                return (infinitive ?? stem + "어") + "요"
            case .formal:
                if Hangul.ends(stem, in: .rieul) { return Hangul.replacingFinal(of: stem, with: .bieup) + "니다" }
                if Hangul.endsInConsonant(stem) { return stem + "습니다" }
                return Hangul.replacingFinal(of: stem, with: .bieup) + "니다"
            case .plain:
                if kind == .descriptive { return stem + "다" }
                if Hangul.ends(stem, in: .rieul) { return Hangul.replacingFinal(of: stem, with: .nieun) + "다" }
                if Hangul.endsInConsonant(stem) { return stem + "는다" }
                return Hangul.replacingFinal(of: stem, with: .nieun) + "다"
            case .eum:
                return nominal
            }
        }
    }

    var linking: String {
        kind == .copula ? stem + "이고" : stem + "고"
    }

    var contrast: String {
        kind == .copula ? Hangul.particle(stem, afterConsonant: "이지만", afterVowel: "지만") : stem + "지만"
    }

    /// The 음 nominal form used by the clipped online register: 좋음, 빠름, 듦, 아쉬움.
    private var nominal: String {
        if Hangul.ends(stem, in: .rieul) { return Hangul.replacingFinal(of: stem, with: .rieulMieum) }
        if Hangul.ends(stem, in: .bieup), infinitiveOverride?.hasSuffix("워") == true, let infinitive {
            return String(infinitive.dropLast()) + "움"
        }
        if Hangul.endsInConsonant(stem) { return stem + "음" }
        return Hangul.replacingFinal(of: stem, with: .mieum)
    }

    private func droppingRieul() -> String {
        Hangul.ends(stem, in: .rieul) ? Hangul.replacingFinal(of: stem, with: .none) : stem
    }
}

extension Predicate {
    /// A descriptive predicate (adjective or past tense); `infinitive` is the 아/어 form of its last word.
    static func d(_ stem: String, _ infinitive: String? = nil) -> Predicate {
        Predicate(stem, .descriptive, infinitive: infinitive)
    }

    /// An action predicate (verb in the present); `infinitive` is the 아/어 form of its last word.
    static func a(_ stem: String, _ infinitive: String? = nil) -> Predicate {
        Predicate(stem, .action, infinitive: infinitive)
    }

    /// A noun with the copula (최악 → 최악이에요).
    static func n(_ noun: String) -> Predicate {
        Predicate(noun, .copula)
    }
}
