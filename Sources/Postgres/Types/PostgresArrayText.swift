import Foundation

/// Writes and reads PostgreSQL's one-dimensional array text form: `{"a","b \"c\""}`, `{1,2,NULL}`.
enum PostgresArrayText {
    /// Quotes every element, escaping `\` and `"`.
    static func format(_ elements: [String]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\\" || character == "\"" { text.unicodeScalars.append("\\") }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }

    /// Unquoted numbers.
    static func format<T: FixedWidthInteger>(_ elements: [T]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            text += element.description
        }
        return text + "}"
    }

    /// Parses a one-dimensional array; NULL elements come back as `nil`.
    static func parse(_ text: String) throws -> [String?] {
        var scalars = Array(text.unicodeScalars)[...]
        if scalars.first == "[" {  // explicit bounds, e.g. "[0:1]={a,b}"
            guard let equals = scalars.firstIndex(of: "=") else { throw failure }
            scalars = scalars[(equals + 1)...]
        }
        guard scalars.first == "{", scalars.last == "}" else { throw failure }
        scalars = scalars.dropFirst().dropLast()
        if scalars.isEmpty { return [] }
        var elements: [String?] = []
        var iterator = scalars.makeIterator()
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        var escaped = false
        func finish() {
            let value = String(current)
            elements.append(!wasQuoted && value.uppercased() == "NULL" ? nil : value)
            current = String.UnicodeScalarView()
            wasQuoted = false
        }
        while let scalar = iterator.next() {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if scalar == "," && !quoted {
                finish()
            } else if scalar == "{" && !quoted {
                throw PostgresDecodingFailure("multi-dimensional arrays are not supported")
            } else {
                current.append(scalar)
            }
        }
        guard !quoted, !escaped else { throw failure }
        finish()
        return elements
    }

    private static var failure: PostgresDecodingFailure { PostgresDecodingFailure("not an array") }

    static func isArray(_ type: PostgresDataType) -> Bool {
        [.boolArray, .int2Array, .int4Array, .textArray, .varcharArray, .int8Array, .uuidArray].contains(type)
            || type.oid >= 16_384  // user-defined array types have run-time OIDs; the text form still applies
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    /// Sent as the element type's array type (`text[]`, `bigint[]`).
    public static var postgresDataType: PostgresDataType { Element.postgresArrayType }
    /// The array's text form.
    public func postgresText() throws -> String { try Element.formatArray(self) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Decodes a one-dimensional array column; a NULL element is a decoding failure.
    public static func decode(postgresText text: String, type: PostgresDataType) throws -> [Element] {
        guard PostgresArrayText.isArray(type) else { throw PostgresDecodingFailure("expected an array column") }
        return try PostgresArrayText.parse(text).map { element in
            guard let element else { throw PostgresDecodingFailure("array contains NULL") }
            return try Element.parseArrayElement(element)
        }
    }
}

/// An element type for `[Element]` binds and columns: `String` (`text[]`), `Int64`/`Int` (`bigint[]`) and `UUID`
/// (`uuid[]`).
public protocol PostgresArrayElement: Sendable {
    /// The array type, e.g. `text[]`.
    static var postgresArrayType: PostgresDataType { get }
    /// Formats a whole array.
    static func formatArray(_ elements: [Self]) throws -> String
    /// Parses one element's text.
    static func parseArrayElement(_ text: String) throws -> Self
}

extension String: PostgresArrayElement {
    /// `text[]`
    public static var postgresArrayType: PostgresDataType { .textArray }
    /// Quoted elements.
    public static func formatArray(_ elements: [String]) throws -> String {
        PostgresArrayText.format(try elements.map(checkedText))
    }
    /// The element text.
    public static func parseArrayElement(_ text: String) -> String { text }
}

extension PostgresArrayElement where Self: FixedWidthInteger {
    /// Unquoted numbers.
    public static func formatArray(_ elements: [Self]) -> String { PostgresArrayText.format(elements) }
    /// A decimal integer.
    public static func parseArrayElement(_ text: String) throws -> Self {
        guard let value = Self(text) else { throw PostgresDecodingFailure("array element is not a \(Self.self)") }
        return value
    }
}

extension Int64: PostgresArrayElement {
    /// `bigint[]`
    public static var postgresArrayType: PostgresDataType { .int8Array }
}

extension Int: PostgresArrayElement {
    /// `bigint[]`
    public static var postgresArrayType: PostgresDataType { .int8Array }
}

extension UUID: PostgresArrayElement {
    /// `uuid[]`
    public static var postgresArrayType: PostgresDataType { .uuidArray }
    /// The canonical hyphenated forms, unquoted (they hold no character the array syntax needs escaped).
    public static func formatArray(_ elements: [UUID]) -> String {
        "{" + elements.map { $0.postgresText() }.joined(separator: ",") + "}"
    }
    /// A UUID in any case, as PostgreSQL prints it (lower case).
    public static func parseArrayElement(_ text: String) throws -> UUID {
        guard let value = UUID(uuidString: text) else { throw PostgresDecodingFailure("array element is not a UUID") }
        return value
    }
}
