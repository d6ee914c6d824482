import Foundation
import Postgres

/// A time as `ISO8601DateFormatter()` writes it (`2026-12-01T07:25:36Z`: UTC, whole seconds), without a formatter
/// call per time: ICU's were an eighth of `ondo customer list --limit 0 --format csv`'s CPU samples.
enum ISO8601Text {
    /// The text of `date`.
    static func string(from date: Date) -> String {
        // As Core Foundation hands a time to ICU, milliseconds since 1970 plus a half (so 0.9999996 s is written as
        // 1 s, 0.9994 s as 0 s), and as ICU takes it, to the millisecond towards the past.
        let milliseconds = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1_000 + 0.5).rounded(.down)
        // ICU's calendar is Julian before 15 October 1582 and years past 9999 take more digits: the formatter
        // writes those, and every time outside 1600…9999.
        guard milliseconds >= -11_676_096_000_000, milliseconds < 253_402_300_800_000 else {
            return formatter.string(from: date)
        }
        let total = Int64(milliseconds)
        let dayLength: Int64 = 86_400_000
        let days = total >= 0 ? total / dayLength : (total - dayLength + 1) / dayLength
        let secondOfDay = Int((total - days * dayLength) / 1_000)
        let (year, month, day) = CivilCalendar.date(daysSince1970: days)

        var bytes = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var rest = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(Int(year), 4, at: 0)
        bytes[4] = UInt8(ascii: "-")
        put(Int(month), 2, at: 5)
        bytes[7] = UInt8(ascii: "-")
        put(Int(day), 2, at: 8)
        bytes[10] = UInt8(ascii: "T")
        put(secondOfDay / 3_600, 2, at: 11)
        bytes[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 2, at: 14)
        bytes[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 2, at: 17)
        bytes[19] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// For the times written by hand no longer; one formatter, not one per call.
    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()
}
