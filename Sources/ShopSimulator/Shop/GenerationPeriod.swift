import Foundation

/// The end of the period a generated shop covers. Equal options give identical rows only with an equal end, so
/// the default end is a fixed point of the day — midnight UTC — rather than the current time: two runs on one
/// day generate the same shop, and the shop still ends close to today (which customer states depend on).
public enum GenerationPeriod {
    /// Midnight UTC at the start of `now`'s day.
    public static func defaultEnd(now: Date = Date()) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date and time with a zone (`2026-01-01T12:00:00Z`).
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        dateOnly.timeZone = TimeZone(identifier: "UTC")
        if trimmed.count == 10, let date = dateOnly.date(from: trimmed) { return date }
        return ISO8601DateFormatter().date(from: trimmed)
    }
}
