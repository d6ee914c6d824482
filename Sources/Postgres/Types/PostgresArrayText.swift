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
    ///
    /// Reads UTF-8 bytes: every byte of a multi-byte character is 0x80 or above, so none of them can be taken for
    /// one of the ASCII delimiters, and elements are decoded from their bytes in one step.
    static func parse(_ text: String) throws -> [String?] {
        if text == "{}" { return [] }  // the common case, without copying the text
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "[") {  // explicit bounds, e.g. "[0:1]={a,b}"
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { throw failure }
            bytes = bytes[(equals + 1)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { throw failure }
        bytes = bytes.dropFirst().dropLast()
        if bytes.isEmpty { return [] }
        var elements: [String?] = []
        var current: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var escaped = false
        func finish() {
            let isNull = !wasQuoted && current.count == 4 && current.elementsEqual("null".utf8) { $0 | 0x20 == $1 }
            elements.append(isNull ? nil : String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        for byte in bytes {
            if escaped {
                current.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                quoted.toggle()
                wasQuoted = true
            } else if byte == UInt8(ascii: ",") && !quoted {
                finish()
            } else if byte == UInt8(ascii: "{") && !quoted {
                throw PostgresDecodingFailure("multi-dimensional arrays are not supported")
            } else {
                current.append(byte)
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
