import ArgumentParser
import CRM
import CRMStore
import Foundation
import OndoServer

/// `ondo customer show ID`.
struct CustomerShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract:
            "One customer: state, churn risk, reasons, recent reviews with their sentiment, orders, state history.",
        discussion: """
            Shows the newest 10 reviews, 10 orders and 20 state transitions, and says how many there are in all \
            (JSON: review_count, order_count, history_count).
            Example: ondo customer show 1042 --format json
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The shop's customer id.", transform: IdArgument.parse)
    var id: Int64

    @Option(name: .long, help: "table for people; json for scripts (keys in snake_case, an absent value null).")
    var format: DetailFormat = .table

    func run() async throws {
        try await reportingFailures("customer show") {
            try await common.withOperations(label: "ondo.customer") { operations in
                guard let profile = try await operations.customer(id) else {
                    throw CommandError("no customer \(id): neither shop.customers nor Ondo's state has it")
                }
                switch format {
                case .json: try JSONOutput.print(CustomerProfileJSON(profile))
                case .table: print(CustomerProfileText.render(profile))
                }
            }
        }
    }
}

/// `ondo customer show --format json`.
struct CustomerProfileJSON: Encodable {
    var id: Int64
    @NullWhenAbsent var name: String?
    @NullWhenAbsent var email: String?
    @NullWhenAbsent var signedUpAt: Date?
    @NullWhenAbsent var marketingConsent: Bool?
    @NullWhenAbsent var nightConsent: Bool?
    @NullWhenAbsent var state: String?
    @NullWhenAbsent var churnRisk: Double?
    @NullWhenAbsent var sentimentScore: Double?
    var reasons: [StateReason]
    @NullWhenAbsent var stateSince: Date?
    @NullWhenAbsent var updatedAt: Date?
    @NullWhenAbsent var recheckAt: Date?
    var reviews: [Review]
    var orders: [Order]
    var history: [Transition]
    /// How many reviews, orders and transitions the customer has in all: `reviews`, `orders` and `history` hold the
    /// newest few.
    var reviewCount: Int
    var orderCount: Int
    var historyCount: Int

    struct Review: Encodable {
        var id: Int64
        var productId: Int64
        @NullWhenAbsent var productName: String?
        @NullWhenAbsent var rating: Int?
        var body: String
        /// Null for a time before year 1 or ±infinity (an old row): no date.
        @NullWhenAbsent var writtenAt: Date?
        @NullWhenAbsent var probability: Double?
        @NullWhenAbsent var label: String?
        var aspects: [String]
        @NullWhenAbsent var quarantineReason: String?
        @NullWhenAbsent var status: String?

        enum CodingKeys: String, CodingKey {
            case id, productId = "product_id", productName = "product_name", rating, body, writtenAt = "written_at"
            case probability, label, aspects, quarantineReason = "quarantine_reason", status
        }
    }

    struct Order: Encodable {
        var id: Int64
        /// Null for a time before year 1 or ±infinity (an old row): no date.
        @NullWhenAbsent var orderedAt: Date?
        /// Null for an old row's `'NaN'` total, which JSON cannot hold.
        @NullWhenAbsent var total: Double?
        var status: String
        @NullWhenAbsent var couponCode: String?

        enum CodingKeys: String, CodingKey {
            case id, orderedAt = "ordered_at", total, status, couponCode = "coupon_code"
        }
    }

    struct Transition: Encodable {
        @NullWhenAbsent var fromState: String?
        var toState: String
        var churnRisk: Double
        var reasons: [StateReason]
        var cause: String
        @NullWhenAbsent var causeId: Int64?
        var changedAt: Date

        enum CodingKeys: String, CodingKey {
            case fromState = "from_state", toState = "to_state", churnRisk = "churn_risk", reasons, cause
            case causeId = "cause_id", changedAt = "changed_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, signedUpAt = "signed_up_at", marketingConsent = "marketing_consent"
        case nightConsent = "night_consent", state, churnRisk = "churn_risk", sentimentScore = "sentiment_score"
        case reasons, stateSince = "state_since", updatedAt = "updated_at", recheckAt = "recheck_at", reviews, orders
        case history, reviewCount = "review_count", orderCount = "order_count", historyCount = "history_count"
    }

    init(_ p: CustomerProfile) {
        id = p.id
        name = p.name
        email = p.email
        signedUpAt = p.signedUpAt
        marketingConsent = p.marketingConsent
        nightConsent = p.nightConsent
        state = p.state?.rawValue
        churnRisk = p.churnRisk
        sentimentScore = p.sentimentScore
        reasons = p.reasons
        stateSince = p.stateSince
        updatedAt = p.updatedAt
        recheckAt = p.recheckAt
        reviews = p.reviews.map {
            Review(
                id: $0.id, productId: $0.productId, productName: $0.productName, rating: $0.rating, body: $0.body,
                writtenAt: $0.writtenAt, probability: $0.probability, label: $0.label, aspects: $0.aspects,
                quarantineReason: $0.quarantineReason, status: $0.workStatus)
        }
        orders = p.orders.map {
            Order(
                id: $0.id, orderedAt: $0.orderedAt, total: $0.total.isNaN ? nil : $0.total, status: $0.status,
                couponCode: $0.couponCode)
        }
        history = p.history.map {
            Transition(
                fromState: $0.from, toState: $0.to, churnRisk: $0.churnRisk, reasons: $0.reasons, cause: $0.cause,
                causeId: $0.causeId, changedAt: $0.changedAt)
        }
        reviewCount = p.totals.reviews
        orderCount = p.totals.orders
        historyCount = p.totals.history
    }
}

/// `ondo customer show` as text.
enum CustomerProfileText {
    static func render(_ p: CustomerProfile) -> String {
        let dates = DateFormatter()
        dates.dateFormat = "yyyy-MM-dd HH:mm"
        dates.timeZone = TimeZone.current
        func date(_ value: Date?) -> String { value.map(dates.string) ?? "-" }
        // A shop time that is no date (before year 1, ±infinity: an old row) as PostgreSQL writes it.
        func shopTime(_ value: Date?, _ stored: String?) -> String {
            value.map(dates.string) ?? stored.map(TerminalText.inert) ?? "-"
        }
        func score(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }

        let name = p.name.map { "  \(TerminalText.inert($0))" } ?? ""
        var lines = ["customer \(p.id)\(name)\(p.email.map { "  <\(TerminalText.inert($0))>" } ?? "")"]
        // marketing_consent is NOT NULL: absent, the shop has no row (a signup time may be absent for another reason).
        if p.marketingConsent == nil { lines.append("  (not in shop.customers)") }
        lines.append(
            "  signed up   \(shopTime(p.signedUpAt, p.signedUpAtAsStored))   marketing consent \(p.marketingConsent.map { $0 ? "yes" : "no" } ?? "-"), night \(p.nightConsent.map { $0 ? "yes" : "no" } ?? "-")"
        )
        if let state = p.state {
            lines.append(
                "  state       \(state.rawValue) since \(date(p.stateSince))   churn risk \(score(p.churnRisk))   sentiment \(score(p.sentimentScore))"
            )
            lines.append("  updated     \(date(p.updatedAt))   next check \(date(p.recheckAt))")
        } else {
            lines.append("  state       not assessed yet")
        }
        if !p.reasons.isEmpty {
            lines += ["", "why:"]
            lines += p.reasons.map { "  - \(TerminalText.inert($0.summary))" }
        }
        if !p.reviews.isEmpty {
            var table = TextTable("review", "written", "★", "text score", "label", "aspects", "text")
            for r in p.reviews {
                table.add([
                    "#\(r.id)", shopTime(r.writtenAt, r.writtenAtAsStored), r.rating.map(String.init) ?? "-",
                    // As the reasons above show it (one rounding, 4 digits), so that the two agree.
                    r.probability.map(StateReason.probabilityText) ?? "-",
                    r.label ?? r.quarantineReason.map { "quarantined: \($0)" } ?? r.workStatus ?? "-",
                    r.aspects.joined(separator: ","), r.body,
                ])
            }
            lines += ["", heading("recent reviews", shown: p.reviews.count, of: p.totals.reviews)]
            lines.append(table.render(maximumCellWidth: 48))
        }
        if !p.orders.isEmpty {
            var table = TextTable("order", "placed", "total", "status", "coupon")
            for o in p.orders {
                table.add([
                    // An old row's 'NaN' total is no amount: "-", not C's "nan".
                    "#\(o.id)", shopTime(o.orderedAt, o.orderedAtAsStored),
                    o.total.isNaN ? "-" : String(format: "%.0f", o.total), o.status, o.couponCode ?? "",
                ])
            }
            lines += ["", heading("recent orders", shown: p.orders.count, of: p.totals.orders), table.render()]
        }
        if !p.history.isEmpty {
            var table = TextTable("when", "from", "to", "risk", "cause", "why")
            for h in p.history {
                let cause = h.causeId.map { "\(h.cause) #\($0)" } ?? h.cause
                table.add([
                    date(h.changedAt), h.from ?? "-", h.to, score(h.churnRisk), cause, h.reasons.first?.summary ?? "",
                ])
            }
            lines += ["", heading("state history", shown: p.history.count, of: p.totals.history)]
            lines.append(table.render(maximumCellWidth: 70))
        }
        return lines.joined(separator: "\n")
    }

    /// A list's heading; one cut to its newest rows says how many it shows of how many ("newest 10 of 382"), so that
    /// ten reviews do not read as all of them.
    static func heading(_ title: String, shown: Int, of total: Int) -> String {
        guard total > shown else { return "\(title):" }
        return "\(title) (newest \(NumberText.grouped(shown)) of \(NumberText.grouped(total))):"
    }
}
