import Foundation

/// Appends little-endian values to a byte buffer: the model file's encoder.
struct ByteWriter {
    private(set) var data = Data()

    mutating func write(_ value: UInt8) { data.append(value) }

    mutating func write(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }

    mutating func write(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }

    mutating func write(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }

    mutating func write(bytes: some Sequence<UInt8>) { data.append(contentsOf: bytes) }

    /// A UTF-8 string preceded by its byte length.
    mutating func write(string: String) {
        let bytes = Array(string.utf8)
        write(UInt32(bytes.count))
        write(bytes: bytes)
    }

    /// Floats as little-endian IEEE 754 single precision.
    mutating func write(floats: ArraySlice<Float>) {
        data.reserveCapacity(data.count + 4 * floats.count)
        for value in floats { write(value.bitPattern) }
    }

    /// Floats as little-endian IEEE 754 half precision (rounded to nearest).
    mutating func write(halves: ArraySlice<Float>) {
        data.reserveCapacity(data.count + 2 * halves.count)
        for value in halves { write(Float16(value).bitPattern) }
    }
}
