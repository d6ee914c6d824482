import Foundation

/// A number with a fixed count of decimals, the text `String(format: "%.4f", value)` writes, without Foundation's
/// format parser: 400,000 of those were a tenth of `ondo customer list --limit 0 --format csv`'s CPU samples.
enum FixedPoint {
    /// `value` with `decimals` (0…6) digits after the point, as glibc's `printf("%.*f")`: the exact binary value,
    /// a tie rounded to the even digit, a minus sign whenever the sign bit is set (`-0.0000`).
    static func text(_ value: Double, decimals: Int) -> String {
        // Infinities, NaN and integers past 2^52 are rare: printf writes them.
        guard value.isFinite, value.magnitude < 0x1p52, (0...6).contains(decimals) else {
            return String(format: "%.\(decimals)f", value)
        }
        let scale = powersOfTen[decimals]
        // value = ±significand × 2^exponent, exactly.
        let significand = UInt128(value.significandBitPattern | (value.isNormal ? 1 << 52 : 0))
        let exponent = value.isNormal ? Int(value.exponentBitPattern) - 1075 : -1074
        var scaled: UInt128
        if exponent >= 0 {
            scaled = (significand << exponent) * scale
        } else {
            let product = significand * scale  // below 2^73
            let shift = -exponent
            if shift >= 100 {
                scaled = 0  // below 2^-27 of a unit of the last digit: rounds to 0
            } else {
                scaled = product >> shift
                let remainder = product & ((1 << shift) - 1)
                let half: UInt128 = 1 << (shift - 1)
                if remainder > half || (remainder == half && scaled & 1 == 1) { scaled += 1 }
            }
        }
        var text = value.sign == .minus ? "-" : ""
        text += String(scaled / scale)
        guard decimals > 0 else { return text }
        let fraction = String(scaled % scale)
        text += "."
        text += String(repeating: "0", count: decimals - fraction.count)
        text += fraction
        return text
    }

    private static let powersOfTen: [UInt128] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
}
