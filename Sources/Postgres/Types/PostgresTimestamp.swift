import Foundation

/// Formats and parses PostgreSQL's ISO timestamp text (`DateStyle = ISO`) without locale-dependent formatters.
enum PostgresTimestamp {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, or nil outside years 1…9999.
    static func format(_ date: Date) -> String? {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard micros.isFinite, abs(micros) < 1e18 else { return nil }
        let total = Int64(micros)
        let seconds = floorDiv(total, 1_000_000)
        let fraction = total - seconds * 1_000_000
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(daysSince1970: days)
        guard (1...9999).contains(year) else { return nil }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "+00"
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.f…][±HH[:MM[:SS]]]]`, `infinity` and `-infinity`; nil for anything else
    /// (including BC dates).
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(minDigits: 4), scanner.take("-"),
            let month = scanner.number(exactDigits: 2), scanner.take("-"),
            let day = scanner.number(exactDigits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offset: Int64 = 0
        if scanner.take(" ") {
            guard let hour = scanner.number(exactDigits: 2), scanner.take(":"),
                let minute = scanner.number(exactDigits: 2), scanner.take(":"),
                let second = scanner.number(exactDigits: 2)
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.take(".") {
                let start = scanner.position
                guard var fraction = scanner.number(minDigits: 1) else { return nil }
                let digits = scanner.position - start
                guard digits <= 9 else { return nil }
                for _ in min(digits, 6)..<6 { fraction *= 10 }
                for _ in 6..<max(6, digits) { fraction /= 10 }
                micros = fraction
            }
            if let sign = scanner.sign() {
                guard let hours = scanner.number(exactDigits: 2) else { return nil }
                var seconds = hours * 3600
                if scanner.take(":") {
                    guard let minutes = scanner.number(exactDigits: 2) else { return nil }
                    seconds += minutes * 60
                    if scanner.take(":") {
                        guard let extra = scanner.number(exactDigits: 2) else { return nil }
                        seconds += extra
                    }
                }
                offset = sign * seconds
            }
        }
        guard scanner.atEnd else { return nil }
        let days = CivilCalendar.daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + secondOfDay - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A cursor over ASCII bytes for the timestamp parser.
private struct DigitScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position == bytes.count }

    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    mutating func sign() -> Int64? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }

    mutating func number(exactDigits: Int) -> Int64? {
        let start = position
        guard let value = number(minDigits: exactDigits), position - start == exactDigits else { return nil }
        return value
    }

    mutating func number(minDigits: Int) -> Int64? {
        var value: Int64 = 0
        let start = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]),
            position - start < 18
        {
            value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        return position - start >= minDigits ? value : nil
    }
}
