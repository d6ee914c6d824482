import CRM
import CRMStore
import OndoDemo
import ShopSimulator

/// The demo's closing summary as text.
enum DemoSummaryText {
    /// The summary; `options` give the command it names the options that reach the demo's database
    /// (``DemoOptions/command(_:)``).
    static func render(_ s: DemoSummary, options: DemoOptions) -> String {
        var lines: [String] = []
        let live = s.live
        lines.append(
            "  live shop: \(NumberText.grouped(live.events)) events in \(NumberText.duration(s.liveSeconds))"
                + " (\(live.customers) sign-ups, \(live.orders) orders, \(live.reviews) reviews)"
                + (s.interrupted ? ", stopped early with Ctrl-C" : ""))
        lines.append(
            "  reviews processed: \(NumberText.grouped(s.reviewsProcessed)) of \(NumberText.grouped(s.reviews)) "
                + "(\(NumberText.grouped(s.historyReviews)) from the shop's history, "
                + "\(NumberText.grouped(s.reviews - s.historyReviews)) written live); "
                + "\(NumberText.grouped(s.negativeReviews)) scored negative, \(NumberText.grouped(s.quarantined)) quarantined, "
                + "\(NumberText.grouped(s.discarded)) discarded, \(NumberText.grouped(s.waiting)) still waiting")
        lines.append("  state changes recorded with their reasons: \(NumberText.grouped(s.transitions))")

        let total = max(s.states.reduce(0) { $0 + $1.customers }, 1)
        var states = TextTable("state", "customers", "share", "avg churn risk")
        for state in s.states {
            states.add([
                state.state, NumberText.grouped(state.customers),
                NumberText.percent(Double(state.customers) / Double(total)),
                String(format: "%.2f", state.averageChurnRisk),
            ])
        }
        lines += ["", "  customers by state:", indent(states.render(), by: 4)]

        if !s.products.isEmpty {
            var products = TextTable("product", "category", "reviews", "negative", "rate", "top complaints")
            for p in s.products {
                products.add([
                    "#\(p.productId) \(p.name)", p.category, NumberText.grouped(p.reviews),
                    NumberText.grouped(p.negativeReviews), NumberText.percent(p.negativeRate),
                    p.topComplaints.joined(separator: ", "),
                ])
            }
            lines += [
                "", "  products with the most negative reviews (report.product_insight):",
                indent(products.render(), by: 4),
            ]
        }

        if let customer = s.atRisk {
            let show = options.command("customer show \(customer.id)")
            lines += ["", "  an at-risk customer, explained (\(show)):"]
            lines.append(indent(CustomerProfileText.render(customer), by: 4))
            if let review = tippingReview(customer) {
                lines += [
                    "",
                    "    the review behind it, in full (#\(review.id), \(review.rating.map { "\($0)★" } ?? "no rating")):",
                    indent(review.body, by: 6),
                ]
            }
        } else {
            lines += ["", "  no customer is at risk yet; a longer run (--duration) gives the reviews time to arrive"]
        }
        return lines.joined(separator: "\n")
    }

    /// The customer's review named by their main reason, else their most negative recent review.
    private static func tippingReview(_ customer: CustomerProfile) -> CustomerProfile.Review? {
        for reason in customer.reasons {
            if case .negativeReview(let reviewId, _, _, _, _, _, _) = reason,
                let review = customer.reviews.first(where: { $0.id == reviewId })
            {
                return review
            }
        }
        return customer.reviews.filter { $0.label == "negative" }.min { ($0.probability ?? 1) < ($1.probability ?? 1) }
    }

    private static func indent(_ text: String, by spaces: Int) -> String {
        let margin = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : margin + $0 }.joined(separator: "\n")
    }
}
