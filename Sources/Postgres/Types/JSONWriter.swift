/// Writes JSON text directly, for payloads built on every batch: `JSONEncoder` spent 15 % of `ondo serve`'s
/// CPU encoding the rows a batch sends through `jsonb_to_recordset`.
///
/// ```swift
/// var json = JSONWriter()
/// json.array(rows) { json, row in
///     json.object { json in
///         json.field("id", row.id)
///         json.field("aspects", row.aspects)
///     }
/// }
/// ```
/// JSON cannot hold a non-finite number: one is written as `null` and recorded in ``nonFiniteNumbers``, and
/// ``PostgresJSON/init(writing:)`` refuses the document, as `JSONEncoder` would have.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public var text: String { buffer }
    @usableFromInline var buffer = ""
    /// How many NaN or infinite numbers were written (as `null`).
    public var nonFiniteNumbers: Int { nonFiniteCount }
    @usableFromInline var nonFiniteCount = 0
    /// A value was written at this level, so the next one needs a comma.
    @usableFromInline var needsComma = false

    /// An empty writer.
    @inlinable public init() {}

    /// Writes an object; `body` writes its fields.
    @inlinable public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        buffer += "{"
        needsComma = false
        try body(&self)
        buffer += "}"
        needsComma = true
    }

    /// Writes an array of `elements`, each written by `body`.
    @inlinable public mutating func array<Elements: Sequence>(
        _ elements: Elements, _ body: (inout JSONWriter, Elements.Element) throws -> Void
    ) rethrows {
        separate()
        buffer += "["
        needsComma = false
        for element in elements { try body(&self, element) }
        buffer += "]"
        needsComma = true
    }

    /// Writes an object's key; the next value written is its value.
    @inlinable public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        buffer += ":"
        needsComma = false
    }

    /// Writes a string, or `null`.
    @inlinable public mutating func value(_ string: String?) {
        separate()
        if let string { appendQuoted(string) } else { buffer += "null" }
    }

    /// Writes an integer, or `null`.
    @inlinable public mutating func value<Integer: BinaryInteger>(_ number: Integer?) {
        separate()
        buffer += number.map { "\($0)" } ?? "null"
    }

    /// Writes a number (`null` when absent or not finite); whole numbers without a fraction, as `JSONEncoder` does.
    @inlinable public mutating func value(_ number: Double?) {
        separate()
        guard let number else {
            buffer += "null"
            return
        }
        guard number.isFinite else {
            nonFiniteCount += 1
            buffer += "null"
            return
        }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            buffer += String(Int64(number))
        } else {
            buffer += number.description
        }
    }

    /// Writes `true` or `false`.
    @inlinable public mutating func value(_ flag: Bool) {
        separate()
        buffer += flag ? "true" : "false"
    }

    /// Writes an array of strings.
    @inlinable public mutating func value(_ strings: [String]) {
        array(strings) { json, string in json.value(string) }
    }

    /// Writes an array of values that write themselves.
    @inlinable public mutating func value<Element: JSONWritable>(_ elements: [Element]) {
        array(elements) { json, element in element.write(to: &json) }
    }

    /// Writes `"name": value`.
    @inlinable public mutating func field(_ name: String, _ string: String?) {
        key(name)
        value(string)
    }

    /// Writes `"name": value`.
    @inlinable public mutating func field<Integer: BinaryInteger>(_ name: String, _ number: Integer?) {
        key(name)
        value(number)
    }

    /// Writes `"name": value`.
    @inlinable public mutating func field(_ name: String, _ number: Double?) {
        key(name)
        value(number)
    }

    /// Writes `"name": value`.
    @inlinable public mutating func field(_ name: String, _ flag: Bool) {
        key(name)
        value(flag)
    }

    /// Writes `"name": [values]`.
    @inlinable public mutating func field<Element: JSONWritable>(_ name: String, _ elements: [Element]) {
        key(name)
        value(elements)
    }

    /// Writes `"name": [strings]`.
    @inlinable public mutating func field(_ name: String, _ strings: [String]) {
        key(name)
        value(strings)
    }

    @inlinable mutating func separate() {
        if needsComma { buffer += "," }
        needsComma = true
    }

    /// Quotes and escapes as RFC 8259 requires: `"`, `\` and the control characters.
    @usableFromInline mutating func appendQuoted(_ string: String) {
        buffer += "\""
        let utf8 = string.utf8
        var plainStart = utf8.startIndex
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            // Byte ranges, not String ranges: a String subscript would round to whole characters ("\r\n" is one).
            buffer += String(decoding: utf8[plainStart..<index], as: UTF8.self)
            switch byte {
            case UInt8(ascii: "\""): buffer += "\\\""
            case UInt8(ascii: "\\"): buffer += "\\\\"
            case UInt8(ascii: "\n"): buffer += "\\n"
            case UInt8(ascii: "\r"): buffer += "\\r"
            case UInt8(ascii: "\t"): buffer += "\\t"
            default:
                let hex = String(byte, radix: 16)
                buffer += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
            plainStart = utf8.index(after: index)
        }
        if plainStart == utf8.startIndex {
            buffer += string
        } else {
            buffer += String(decoding: utf8[plainStart...], as: UTF8.self)
        }
        buffer += "\""
    }
}

/// A value that writes itself as JSON (an object, usually) with a ``JSONWriter``.
public protocol JSONWritable {
    /// Writes the value.
    func write(to json: inout JSONWriter)
}

extension PostgresJSON {
    /// A JSON array of `elements`; throws if one of them wrote a non-finite number.
    @inlinable public init<Element: JSONWritable>(array elements: [Element]) throws {
        try self.init(writing: { json in json.value(elements) })
    }

    /// JSON built with a ``JSONWriter``; throws if it wrote a non-finite number.
    @inlinable public init(writing body: (inout JSONWriter) throws -> Void) throws {
        var writer = JSONWriter()
        try body(&writer)
        guard writer.nonFiniteCount == 0 else {
            throw PostgresError(
                code: .encoding,
                message: "a JSON value held \(writer.nonFiniteCount) non-finite number(s) (NaN or infinity)")
        }
        self.init(text: writer.buffer)
    }
}
