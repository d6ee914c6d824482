import Foundation

/// Parses `--since` values: `YYYY-MM-DD` (midnight in this machine's time zone) or ISO 8601 with a zone.
enum DateArgument {
    /// What ``parse(_:)`` accepts, for a usage error.
    static let accepted = "a date like 2026-11-01 or 2026-11-01T09:00:00Z, after the year 1 and before the year 10000"

    /// The first instant Ondo can send PostgreSQL (0001-01-01T00:00:00Z, proleptic Gregorian, as its timestamps are
    /// written) and the first it is not (10000-01-01). A date outside them parsed, then failed the command once it
    /// ran, with exit status 1 and "PostgreSQL encoding: …" (`--since 0001-01-01`: Foundation counts that day in the
    /// Julian calendar, two days before the first Gregorian one; `--since 10000-01-01`).
    private static let first = Date(timeIntervalSince1970: -62_135_596_800)
    private static let end = Date(timeIntervalSince1970: 253_402_300_800)

    /// The date, or nil when `text` is not one or lies outside what the database can be given.
    static func parse(_ text: String) -> Date? {
        guard let date = parseAnyYear(text), (first..<end).contains(date) else { return nil }
        return date
    }

    private static func parseAnyYear(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone.current
        day.dateFormat = "yyyy-MM-dd"
        return day.date(from: text)
    }
}
