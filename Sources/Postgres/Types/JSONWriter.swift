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
    public var text: String { String(decoding: buffer, as: UTF8.self) }
    /// UTF-8 bytes: appending to an array is cheaper than to a `String`, which re-checks its form on every append.
    @usableFromInline var buffer: [UInt8] = []
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
        buffer.append(UInt8(ascii: "{"))
        needsComma = false
        try body(&self)
        buffer.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes an array of `elements`, each written by `body`.
    @inlinable public mutating func array<Elements: Sequence>(
        _ elements: Elements, _ body: (inout JSONWriter, Elements.Element) throws -> Void
    ) rethrows {
        separate()
        buffer.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { try body(&self, element) }
        buffer.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object's key; the next value written is its value.
    @inlinable public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        buffer.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string, or `null`.
    @inlinable public mutating func value(_ string: String?) {
        separate()
        if let string { appendQuoted(string) } else { write("null") }
    }

    /// Writes an integer, or `null`.
    @inlinable public mutating func value<Integer: BinaryInteger>(_ number: Integer?) {
        separate()
        write(number.map { "\($0)" } ?? "null")
    }

    /// Writes a number (`null` when absent or not finite); whole numbers without a fraction, as `JSONEncoder` does.
    @inlinable public mutating func value(_ number: Double?) {
        separate()
        guard let number else {
            write("null")
            return
        }
        guard number.isFinite else {
            nonFiniteCount += 1
            write("null")
            return
        }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            write(String(Int64(number)))
        } else {
            write(number.description)
        }
    }

    /// Writes `true` or `false`.
    @inlinable public mutating func value(_ flag: Bool) {
        separate()
        write(flag ? "true" : "false")
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
        if needsComma { buffer.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Appends `text`'s UTF-8 bytes.
    @inlinable mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// Quotes and escapes as RFC 8259 requires: `"`, `\` and the control characters.
    @usableFromInline mutating func appendQuoted(_ string: String) {
        buffer.append(UInt8(ascii: "\""))
        let needsEscape = { (byte: UInt8) in byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
        // Nearly always nothing to escape: one scan and one copy of the bytes, over a buffer pointer (walking the
        // UTF-8 view byte by byte was 1.2 % of `ondo serve`'s CPU in a drain).
        var string = string
        let copied = string.withUTF8 { bytes in
            guard !bytes.contains(where: needsEscape) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        guard !copied else {
            buffer.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            guard needsEscape(byte) else {
                buffer.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): write("\\\"")
            case UInt8(ascii: "\\"): write("\\\\")
            case UInt8(ascii: "\n"): write("\\n")
            case UInt8(ascii: "\r"): write("\\r")
            case UInt8(ascii: "\t"): write("\\t")
            default:
                let hex = String(byte, radix: 16)
                write("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            }
        }
        buffer.append(UInt8(ascii: "\""))
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
        self.init(text: writer.text)
    }
}
