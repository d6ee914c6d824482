import Foundation

/// Reads little-endian values from a byte buffer, failing with ``SentimentModelError/truncated``
/// instead of reading past the end: the model file's decoder.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes left to read.
    var remaining: Int { bytes.count - offset }

    mutating func bytes(_ count: Int) throws(SentimentModelError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .truncated }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func uint8() throws(SentimentModelError) -> UInt8 { try bytes(1).first ?? 0 }

    mutating func uint32() throws(SentimentModelError) -> UInt32 { UInt32(truncatingIfNeeded: try little(4)) }

    mutating func uint64() throws(SentimentModelError) -> UInt64 { try little(8) }

    /// A length-prefixed UTF-8 string.
    mutating func string() throws(SentimentModelError) -> String {
        let length = Int(try uint32())
        guard let string = String(validating: try bytes(length), as: UTF8.self) else {
            throw .corrupt("a string is not valid UTF-8")
        }
        return string
    }

    /// `count` little-endian single-precision floats.
    mutating func floats(_ count: Int) throws(SentimentModelError) -> [Float] {
        try values(count, as: UInt32.self) { Float(bitPattern: $0) }
    }

    /// `count` little-endian half-precision floats, widened to single precision.
    mutating func halves(_ count: Int) throws(SentimentModelError) -> [Float] {
        try values(count, as: UInt16.self) { Float(Float16(bitPattern: $0)) }
    }

    /// `count` little-endian values of type `Raw`, each converted to a float.
    private mutating func values<Raw: FixedWidthInteger>(
        _ count: Int, as: Raw.Type, convert: (Raw) -> Float
    ) throws(SentimentModelError) -> [Float] {
        let size = MemoryLayout<Raw>.size
        let raw = try bytes(size * count)
        var values = [Float](repeating: 0, count: count)
        raw.withUnsafeBytes { source in
            for i in 0..<count {
                values[i] = convert(Raw(littleEndian: source.loadUnaligned(fromByteOffset: size * i, as: Raw.self)))
            }
        }
        return values
    }

    private mutating func little(_ count: Int) throws(SentimentModelError) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try bytes(count).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }
}
