import Foundation
import Sentiment

/// Numbers as people read them: `1,000,000`, `12.5 s`, `3 min 05 s`, `34.4 %`.
enum NumberText {
    /// A whole number with thousands separators.
    static func grouped(_ value: Int) -> String {
        GroupedNumber.text(value)
    }

    /// A rate or other figure rounded to a whole number, grouped.
    static func grouped(_ value: Double) -> String {
        grouped(Int(value.rounded()))
    }

    /// Seconds: `0.8 s`, `42.0 s`, `3 min 05 s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds >= 120 else { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// Elapsed time as `m:ss`.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// A share (0–1) as a percentage with one decimal.
    static func percent(_ share: Double) -> String {
        String(format: "%.1f %%", share * 100)
    }
}
