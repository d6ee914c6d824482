import Foundation

extension Int: PostgresCodable {
    /// Sent as `bigint`.
    public static var postgresDataType: PostgresDataType { .int8 }
    /// Decimal digits.
    public func postgresText() -> String { String(self) }
    /// Decodes `smallint`, `integer` and `bigint` columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Int {
        try decodeInteger(text, type: type)
    }
}

extension Int64: PostgresCodable {
    /// Sent as `bigint`.
    public static var postgresDataType: PostgresDataType { .int8 }
    /// Decimal digits.
    public func postgresText() -> String { String(self) }
    /// Decodes `smallint`, `integer` and `bigint` columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Int64 {
        try decodeInteger(text, type: type)
    }
}

extension Int32: PostgresCodable {
    /// Sent as `integer`.
    public static var postgresDataType: PostgresDataType { .int4 }
    /// Decimal digits.
    public func postgresText() -> String { String(self) }
    /// Decodes integer columns whose value fits in 32 bits.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Int32 {
        try decodeInteger(text, type: type)
    }
}

extension Int16: PostgresCodable {
    /// Sent as `smallint`.
    public static var postgresDataType: PostgresDataType { .int2 }
    /// Decimal digits.
    public func postgresText() -> String { String(self) }
    /// Decodes integer columns whose value fits in 16 bits.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Int16 {
        try decodeInteger(text, type: type)
    }
}

private func decodeInteger<T: FixedWidthInteger>(_ text: String, type: PostgresDataType) throws -> T {
    guard type.isInteger else {
        throw PostgresDecodingFailure("expected an integer column")
    }
    guard let value = T(text) else {
        throw PostgresDecodingFailure("value does not fit in \(T.self)")
    }
    return value
}

extension Double: PostgresCodable {
    /// Sent as `double precision`.
    public static var postgresDataType: PostgresDataType { .float8 }
    /// The shortest text that reads back as the same value; `NaN`, `Infinity`, `-Infinity` for the specials.
    public func postgresText() -> String { floatingText(self) }
    /// Decodes `real`, `double precision`, `numeric` and integer columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Double {
        try decodeFloatingPoint(text, type: type)
    }
}

extension Float: PostgresCodable {
    /// Sent as `real`.
    public static var postgresDataType: PostgresDataType { .float4 }
    /// The shortest text that reads back as the same value; `NaN`, `Infinity`, `-Infinity` for the specials.
    public func postgresText() -> String { floatingText(self) }
    /// Decodes `real`, `double precision`, `numeric` and integer columns.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> Float {
        try decodeFloatingPoint(text, type: type)
    }
}

private func floatingText<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return value.description
}

private func decodeFloatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(
    _ text: String, type: PostgresDataType
) throws -> T {
    guard type == .float4 || type == .float8 || type == .numeric || type.isInteger else {
        throw PostgresDecodingFailure("expected a floating-point or numeric column")
    }
    switch text {
    case "NaN": return .nan
    case "Infinity": return .infinity
    case "-Infinity": return -.infinity
    default:
        guard let value = T(text) else { throw PostgresDecodingFailure("not a number") }
        return value
    }
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
        return value
    }
}
