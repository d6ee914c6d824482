import CRM
@testable import CRMStore
import Foundation
import Sentiment
import Testing

@testable import ondo

/// `ondo customer list` writes its CSV and table cells by hand (fixed-point numbers, ISO 8601 times, CSV fields)
/// rather than with `String(format:)` and `ISO8601DateFormatter`, which took most of the time of a 200,000-line
/// list. The text must stay what it was, byte for byte: the code it replaced is kept here as the oracle.
@Suite struct CustomerListOutputTests {
    /// The code of `ondo customer list` before, unchanged but for the quoting, which is `CSVWriter.line`'s: the
    /// change left that as it was and changed only the values given to it.
    enum Oracle {
        static func csvLine(_ c: CustomerSummary, _ timestamps: ISO8601DateFormatter) -> String {
            CSVWriter.line([
                .value("\(c.id)"), .text(c.name ?? ""), .value(c.state.rawValue),
                .value(String(format: "%.4f", c.churnRisk)),
                .value(String(format: "%.4f", c.sentimentScore)),
                .value(timestamps.string(from: c.stateSince)),
                .text(c.reasons.first?.summary ?? ""),
            ])
        }

        static func tableCells(_ c: CustomerSummary) -> [String] {
            [
                "\(c.id)", c.name ?? "", c.state.rawValue, String(format: "%.2f", c.churnRisk),
                String(format: "%.2f", c.sentimentScore), c.reasons.first?.summary ?? "",
            ]
        }
    }

    static let names: [String?] = [
        nil, "", "Kim, Minji", "say \"hi\"", "line\nbreak", "cr\r\nlf", "\rreturn", "\ttab", "=HYPERLINK(\"x\")",
        "+82 10", "-5", "@me", "'quoted", "김민지", "👩‍👩‍👧 family, \"emoji\"", "e\u{301}", "plain",
    ]

    static let numbers: [Double] = [
        0, 1, -0.0, 0.00005, 0.00015, 0.00025, 0.000049999, 0.005, 0.015, 0.025, 0.125, 0.375, 0.995, 0.99995,
        0.12345, 0.5, 2.5, -0.00001, -0.5, -1, 1e-300, 5e-324, 0.1, 0.7, Double(Float(0.7)), Double(Float(0.3154)),
        123_456.78905, 0x1p52 - 0.5, 0x1p52, 1e20, .infinity, -.infinity, .nan,
    ]

    /// Seconds since 1970: fractions, before 1970, the ends of the range written by hand and beyond.
    static let times: [Double] = [
        0, -0.5, -1.5, -0.001, 0.999, 0.9999999, 1.9999995, 59.9999999, 1_764_574_536, 1_764_574_536.123456,
        1_764_574_535.999999, -86_400.000001, -1e10, -11_676_096_000, -11_676_096_000.5, -11_676_096_001,
        -12_219_292_800, -12_219_292_801, -62_135_596_800, -62_135_596_801, -1e12, 253_402_300_799,
        253_402_300_799.999999, 253_402_300_800, 1e11, 951_782_400, 951_868_800, 4_107_542_400,
    ]

    static func customer(id: Int64, name: String?, risk: Double, sentiment: Double, since: Double) -> CustomerSummary {
        CustomerSummary(
            id: id, name: name, state: .allCases[Int(id.magnitude % UInt64(CustomerState.allCases.count))],
            churnRisk: risk, sentimentScore: sentiment, reasons: [],
            stateSince: Date(timeIntervalSince1970: since))
    }

    /// The tricky rows, then 20,000 seeded random ones (risks as stored `real`s and as any double, times with
    /// microseconds from 1500 to 10500, as PostgreSQL sends them).
    static func fixture() -> [CustomerSummary] {
        var rows: [CustomerSummary] = []
        var id: Int64 = -3
        for (index, name) in names.enumerated() {
            for number in numbers {
                rows.append(
                    customer(
                        id: id, name: name, risk: number, sentiment: numbers[(index + rows.count) % numbers.count],
                        since: times[rows.count % times.count]))
                id += 1
            }
        }
        for time in times {
            rows.append(customer(id: id, name: "t", risk: 0.5, sentiment: 0.5, since: time))
            id += 1
        }
        var generator = SeededGenerator(seed: 35)
        for _ in 0..<20_000 {
            let risk =
                Bool.random(using: &generator)
                ? Double(Float.random(in: 0...1, using: &generator)) : Double.random(in: -2...2, using: &generator)
            let micros = Int64.random(in: -14_831_769_600_000_000...268_909_632_000_000_000, using: &generator)
            rows.append(
                customer(
                    id: id, name: "r", risk: risk, sentiment: (risk * 10_000).rounded() / 10_000 + 0.00005,
                    since: Double(micros) / 1_000_000))
            id += 1
        }
        return rows
    }

    @Test func csvLinesAreByteForByteTheOldOnes() {
        let timestamps = ISO8601DateFormatter()
        var differences: [String] = []
        for c in Self.fixture() {
            let expected = Oracle.csvLine(c, timestamps)
            let actual = CustomerListCommand.csvLine(c)
            if Array(actual.utf8) != Array(expected.utf8) { differences.append("\(expected)  ≠  \(actual)") }
        }
        #expect(differences.isEmpty, "\(differences.count) lines differ, the first: \(differences.prefix(10))")
        #expect(CustomerListCommand.csvHeader == "id,name,state,churn_risk,sentiment_score,state_since,reason")
    }

    @Test func tableCellsAreByteForByteTheOldOnes() {
        var differences: [String] = []
        for c in Self.fixture() {
            let expected = Oracle.tableCells(c)
            let actual = CustomerListCommand.tableCells(c)
            if actual.map({ Array($0.utf8) }) != expected.map({ Array($0.utf8) }) {
                differences.append("\(expected)  ≠  \(actual)")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) rows differ, the first: \(differences.prefix(10))")
    }

    /// Every double in a dense grid around the ties of the fourth and second decimal.
    @Test func fixedPointRoundsAsPrintfDoes() {
        var differences: [String] = []
        for step in stride(from: -20_000, through: 20_000, by: 1) {
            for offset in [-1e-12, 0, 1e-12] {
                let value = Double(step) / 20_000 + offset
                for decimals in [2, 4] {
                    let expected = String(format: "%.\(decimals)f", value)
                    let actual = FixedPoint.text(value, decimals: decimals)
                    if actual != expected { differences.append("\(value) %.\(decimals)f: \(expected) ≠ \(actual)") }
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differ, the first: \(differences.prefix(10))")
    }
}
