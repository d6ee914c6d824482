import Foundation

extension PostgresEncodable where Self: FixedWidthInteger {
    /// Decimal digits.
    public func postgresText() -> String { String(self) }
}

extension PostgresDecodable where Self: FixedWidthInteger {
    /// Decodes `smallint`, `integer` and `bigint` columns whose value fits in this type.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Self {
        guard type.isInteger else { throw PostgresDecodingFailure("expected an integer column") }
        guard let value = Self(text) else { throw PostgresDecodingFailure("value does not fit in \(Self.self)") }
        return value
    }
}

extension Int: PostgresCodable {
    /// Sent as `bigint`.
    public static var postgresDataType: PostgresDataType { .int8 }
}

extension Int64: PostgresCodable {
    /// Sent as `bigint`.
    public static var postgresDataType: PostgresDataType { .int8 }
}

extension Int32: PostgresCodable {
    /// Sent as `integer`.
    public static var postgresDataType: PostgresDataType { .int4 }
}

extension Int16: PostgresCodable {
    /// Sent as `smallint`.
    public static var postgresDataType: PostgresDataType { .int2 }
}

extension PostgresEncodable where Self: BinaryFloatingPoint & LosslessStringConvertible {
    /// The shortest text that reads back as the same value; `NaN`, `Infinity`, `-Infinity` for the specials.
    public func postgresText() -> String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension PostgresDecodable where Self: BinaryFloatingPoint & LosslessStringConvertible {
    /// Decodes `real`, `double precision`, `numeric` and integer columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Self {
        guard type == .float4 || type == .float8 || type == .numeric || type.isInteger else {
            throw PostgresDecodingFailure("expected a floating-point or numeric column")
        }
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Self(text) else { throw PostgresDecodingFailure("not a number") }
            return value
        }
    }
}

extension Double: PostgresCodable {
    /// Sent as `double precision`.
    public static var postgresDataType: PostgresDataType { .float8 }
}

extension Float: PostgresCodable {
    /// Sent as `real`.
    public static var postgresDataType: PostgresDataType { .float4 }
}

extension Decimal: PostgresCodable {
    /// Sent as `numeric`, so no precision is lost on the way.
    public static var postgresDataType: PostgresDataType { .numeric }
    /// Plain decimal notation (`-1234.5678`) or `NaN`.
    public func postgresText() -> String { isNaN ? "NaN" : description }
    /// Decodes `numeric` and integer columns (infinite numerics have no `Decimal` form).
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Decimal {
        guard type == .numeric || type.isInteger else {
            throw PostgresDecodingFailure("expected a numeric or integer column")
        }
        if text == "NaN" { return .nan }
        let allowed = Set("+-0123456789.eE")
        guard !text.isEmpty, text.allSatisfy(allowed.contains), let value = Decimal(string: text) else {
            throw PostgresDecodingFailure("not a finite decimal number")
        }
        // `Decimal(string:)` silently rounds what its 38-digit mantissa cannot hold; a numeric can have far more.
        guard significantDigits(text) <= 38 else {
            throw PostgresDecodingFailure("more than 38 significant digits, which Decimal cannot hold exactly")
        }
        return value
    }

    /// The digits of `text` without leading and trailing zeros (PostgreSQL writes numerics without an exponent).
    private static func significantDigits(_ text: String) -> Int {
        let digits = text.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber)
        return digits.drop { $0 == "0" }.reversed().drop { $0 == "0" }.count
    }
}
