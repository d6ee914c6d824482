/// A composed review text with the aspects it talks about.
struct ReviewText: Sendable, Equatable {
    var body: String
    /// Every aspect named, sorted.
    var aspects: [ReviewAspect]
    /// The aspects criticised, sorted.
    var complaints: [ReviewAspect]
}

/// Writes a review from hand-written clauses: aspect clauses, an optional general verdict and an optional
/// closing, in one register, with a writer's habits (separators, 네요, a trailing ㅠㅠ or 👍).
///
/// The overall sentiment is carried by every main clause; the only clause of the other sentiment is a
/// concessive lead (`배송은 조금 늦었지만 …`) that the rest of the review outweighs.
struct ReviewComposer {
    private let phrases: CategoryPhrases
    private let noun: String
    private var random: SplitMix64
    private var mentioned: [ReviewAspect] = []
    private var criticised: [ReviewAspect] = []

    /// Composes a review of a product of category `categoryIndex` called `noun`, written to express
    /// `polarity` at the strength of a `stars`-star rating; `focus` is the product's usual weak point.
    static func compose(
        polarity: ReviewPolarity, stars: Int, categoryIndex: Int, noun: String, focus: ReviewAspect,
        random: inout SplitMix64
    ) -> ReviewText {
        var composer = ReviewComposer(phrases: CategoryPhrases.all[categoryIndex], noun: noun, random: random)
        let body = composer.write(polarity: polarity, stars: stars, focus: focus)
        random = composer.random
        return ReviewText(
            body: body, aspects: composer.mentioned.sorted(), complaints: composer.criticised.sorted())
    }

    private init(phrases: CategoryPhrases, noun: String, random: SplitMix64) {
        self.phrases = phrases
        self.noun = noun
        self.random = random
    }

    private mutating func write(polarity: ReviewPolarity, stars: Int, focus: ReviewAspect) -> String {
        var main: [Clause] = []
        var lead: Clause?
        var closing: Clause?
        switch polarity {
        case .positive:
            for aspect in chooseAspects(count: random.weightedIndex([35, 45, 20]), focus: nil) {
                main.append(aspectClause(aspect, from: phrases.praise, complaint: false))
            }
            let gripeChance = stars >= 5 ? 0 : stars == 4 ? 0.3 : 0.6
            if random.chance(gripeChance), let gripe = chooseAspects(count: 1, focus: focus).first {
                lead = aspectClause(gripe, from: phrases.mildComplaint, complaint: true)
            }
            if main.isEmpty || lead != nil || random.chance(0.6) {
                addGeneral(stars >= 4 ? phrases.generalPraise : phrases.generalMildPraise, to: &main)
            }
            if random.chance(lead != nil ? 0.8 : 0.45) {
                closing = closingClause(GeneralPhrases.closingPraise, fixed: GeneralPhrases.fixedClosingPraise)
            }
        case .negative:
            let strong = stars <= 1 || (stars == 2 && random.chance(0.5))
            for aspect in chooseAspects(count: random.weightedIndex([15, 60, 25]), focus: focus) {
                main.append(
                    aspectClause(aspect, from: strong ? phrases.complaint : phrases.mildComplaint, complaint: true))
            }
            // A concession (포장은 꼼꼼했지만 …) only before a concrete complaint.
            if !main.isEmpty && stars >= 2 && random.chance(0.12),
                let praised = chooseAspects(count: 1, focus: nil).first
            {
                lead = aspectClause(praised, from: phrases.praise, complaint: false)
            }
            if main.isEmpty || random.chance(0.5) {
                addGeneral(strong ? phrases.generalComplaint : phrases.generalMildComplaint, to: &main)
            }
            if random.chance(0.45) {
                closing =
                    strong
                    ? closingClause(GeneralPhrases.closingComplaint, fixed: GeneralPhrases.fixedClosingComplaint)
                    : closingClause(GeneralPhrases.mildClosingComplaint, fixed: [])
            }
        }
        return render(lead: lead, main: main, closing: closing, polarity: polarity)
    }

    /// Up to `count` distinct aspects not yet mentioned, by the category's weights; `focus` first, often.
    private mutating func chooseAspects(count: Int, focus: ReviewAspect?) -> [ReviewAspect] {
        var chosen: [ReviewAspect] = []
        if count > 0, let focus, !mentioned.contains(focus), phrases.aspects.contains(focus), random.chance(0.45) {
            chosen.append(focus)
        }
        var attempts = 0
        while chosen.count < count && attempts < 8 {
            attempts += 1
            let aspect = phrases.aspects[random.weightedIndex(phrases.aspectWeights)]
            if !mentioned.contains(aspect) && !chosen.contains(aspect) { chosen.append(aspect) }
        }
        return chosen
    }

    private mutating func aspectClause(_ aspect: ReviewAspect, from table: [[PhraseGroup]], complaint: Bool)
        -> Clause
    {
        if !mentioned.contains(aspect) { mentioned.append(aspect) }
        if complaint && !criticised.contains(aspect) { criticised.append(aspect) }
        // `aspect` came from `phrases.aspects`, whose tables are all non-empty.
        let index = phrases.aspects.firstIndex(of: aspect) ?? 0
        return pick(table[index]) ?? Clause(fixed: "")
    }

    private mutating func addGeneral(_ groups: [PhraseGroup], to main: inout [Clause]) {
        guard let clause = pick(groups) else { return }
        if random.chance(0.3) { main.insert(clause, at: 0) } else { main.append(clause) }
    }

    private mutating func closingClause(_ predicates: [Predicate], fixed: [String]) -> Clause? {
        if !fixed.isEmpty && random.chance(0.3) { return random.pick(fixed).map { Clause(fixed: $0) } }
        return random.pick(predicates).map { Clause(subject: "", predicate: $0) }
    }

    private mutating func pick(_ groups: [PhraseGroup]) -> Clause? {
        guard let group = random.pick(groups), let subject = random.pick(group.subjects),
            let predicate = random.pick(group.predicates)
        else { return nil }
        return Clause(subject: PhraseGroup.fill(subject, noun: noun), predicate: predicate)
    }

    private mutating func render(lead: Clause?, main: [Clause], closing: Clause?, polarity: ReviewPolarity) -> String {
        let register = Register.allCases[random.weightedIndex(Register.weights)]
        let separators = polarity == .positive ? Self.positiveSeparators : Self.negativeSeparators
        let separator = separators[random.weightedIndex(Self.separatorWeights)]
        var sentences: [String] = []
        var index = 0
        while index < main.count {
            var sentence = finite(main[index], register)
            // Chain two clauses with 고 now and then: 배송도 빠르고 품질도 좋아요.
            if index + 1 < main.count, let first = main[index].predicate, random.chance(0.25) {
                sentence = main[index].joined(first.linking) + " " + finite(main[index + 1], register)
                index += 1
            }
            sentences.append(sentence)
            index += 1
        }
        if let lead, let predicate = lead.predicate, !sentences.isEmpty {
            sentences[0] = lead.joined(predicate.contrast) + " " + sentences[0]
        }
        if let closing { sentences.append(closing.joined(closing.predicate?.finite(register) ?? closing.fixed)) }
        let text = sentences.joined(separator: separator)
        let endings = polarity == .positive ? GeneralPhrases.positiveEndings : GeneralPhrases.negativeEndings
        var ending = random.pick(endings) ?? ""
        // A closing such as 강추! already ends the sentence.
        if let last = text.last, "!~.".contains(last), let first = ending.first, "!~.".contains(first) { ending = "" }
        return text + ending
    }

    private static let positiveSeparators = [" ", ". ", "\n", "! ", "~ "]
    private static let negativeSeparators = [" ", ". ", "\n", ".. ", ", "]
    private static let separatorWeights: [Double] = [40, 35, 10, 8, 7]

    private mutating func finite(_ clause: Clause, _ register: Register) -> String {
        guard let predicate = clause.predicate else { return clause.fixed }
        return clause.joined(predicate.finite(register, exclaiming: random.chance(0.3)))
    }
}

/// A clause before conjugation: a subject and a predicate, or a fixed phrase.
private struct Clause {
    var subject = ""
    var predicate: Predicate?
    var fixed = ""

    init(subject: String, predicate: Predicate) {
        self.subject = subject
        self.predicate = predicate
    }

    init(fixed: String) {
        self.fixed = fixed
    }

    /// The subject followed by the given form of the predicate.
    func joined(_ form: String) -> String {
        subject.isEmpty ? form : subject + " " + form
    }
}
