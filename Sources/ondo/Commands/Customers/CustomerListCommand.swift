import ArgumentParser
import CRM
import CRMStore
import Foundation
import OndoServer

/// `ondo customer list`.
struct CustomerListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Customers by state and churn risk, riskiest first.",
        discussion: """
            Examples:
              ondo customer list --state at_risk --min-risk 0.5 --limit 20
              ondo customer list --state churned --limit 0 --format csv > churned.csv
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long, parsing: .singleValue, help: "Only this state (repeatable): new, active, loyal, at_risk, churned.")
    var state: [String] = []

    @Option(
        name: .long, parsing: .unconditional,
        help: "Only customers with at least this churn risk, from 0 to 1 (0.5: the riskier half of the scale).")
    var minRisk: Double?

    @Option(name: .long, parsing: .unconditional, help: "At most this many customers, riskiest first; 0 for no limit.")
    var limit = 50

    @Option(
        name: .long,
        help: ArgumentHelp(
            "table for people; json for scripts; csv (RFC 4180, a header line) for a spreadsheet, with --limit 0 "
                + "for all."))
    var format: ListFormat = .table

    func validate() throws {
        for name in state where CustomerState(name: name) == nil {
            throw ValidationError(
                "unknown state \"\(name)\"; the states are \(CustomerState.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let minRisk, !(0...1).contains(minRisk) {
            throw ValidationError("--min-risk must be between 0 and 1 (it is \(minRisk))")
        }
        if limit < 0 { throw ValidationError("--limit must be 0 (no limit) or more (it is \(limit))") }
    }

    func run() async throws {
        try await reportingFailures("customer list") {
            try await common.withOperations(label: "ondo.customer") { operations in
                var filter = CustomerDirectory.Filter()
                filter.states = state.compactMap(CustomerState.init(name:))
                filter.minimumRisk = minRisk
                filter.limit = limit == 0 ? nil : limit
                let customers = try await operations.customers(filter)
                // An empty list of a shop whose customers no pipeline has assessed yet read as an empty shop.
                if customers.isEmpty, try await operations.noCustomerAssessedYet() {
                    StandardError.write(
                        "no customer of the shop is assessed yet: a running ondo serve assesses them as it works "
                            + "through its queue, \(common.followUp("states recompute")) does it now")
                }
                switch format {
                case .json:
                    try JSONOutput.printList(customers.map(CustomerSummaryJSON.init))
                case .csv:
                    var output = StandardOutput()
                    output.write(Self.csvHeader + "\n")
                    for c in customers { output.write(Self.csvLine(c) + "\n") }
                    output.flush()
                case .table:
                    var table = TextTable("id", "name", "state", "risk", "sentiment", "why")
                    for c in customers { table.add(Self.tableCells(c)) }
                    var output = StandardOutput()
                    output.write(table.render() + "\n")
                    output.flush()  // before standard error, so that a terminal shows the count after the table
                    StandardError.write(
                        "\(NumberText.grouped(customers.count)) customer\(customers.count == 1 ? "" : "s")")
                }
            }
        }
    }
}

extension CustomerListCommand {
    /// The CSV header line.
    static let csvHeader = CSVWriter.line(
        ["id", "name", "state", "churn_risk", "sentiment_score", "state_since", "reason"].map(CSVWriter.Field.value))

    /// One customer's CSV line, without its line break.
    static func csvLine(_ c: CustomerSummary) -> String {
        CSVWriter.line([
            .value(String(c.id)), .text(c.name ?? ""), .value(c.state.rawValue),
            .value(FixedPoint.text(c.churnRisk, decimals: 4)),
            .value(FixedPoint.text(c.sentimentScore, decimals: 4)),
            .value(ISO8601Text.string(from: c.stateSince)),
            // A reason of a code this build does not know shows its stored fields.
            .text(c.reasons.first?.summary ?? ""),
        ])
    }

    /// One customer's cells in the table.
    static func tableCells(_ c: CustomerSummary) -> [String] {
        [
            String(c.id), c.name ?? "", c.state.rawValue, FixedPoint.text(c.churnRisk, decimals: 2),
            FixedPoint.text(c.sentimentScore, decimals: 2), c.reasons.first?.summary ?? "",
        ]
    }
}

/// One customer of `ondo customer list --format json`.
struct CustomerSummaryJSON: Encodable {
    var id: Int64
    @NullWhenAbsent var name: String?
    var state: String
    var churnRisk: Double
    var sentimentScore: Double
    var reasons: [StateReason]
    var stateSince: Date

    enum CodingKeys: String, CodingKey {
        case id, name, state, churnRisk = "churn_risk", sentimentScore = "sentiment_score", reasons
        case stateSince = "state_since"
    }

    init(_ c: CustomerSummary) {
        id = c.id
        name = c.name
        state = c.state.rawValue
        churnRisk = c.churnRisk
        sentimentScore = c.sentimentScore
        reasons = c.reasons
        stateSince = c.stateSince
    }
}
