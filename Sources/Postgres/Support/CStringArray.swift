import Foundation

/// Owns `strdup` copies of Swift strings for C APIs that take `const char * const *`; freed on `deinit`.
final class CStringArray {
    private(set) var pointers: [UnsafePointer<CChar>?]

    init(_ strings: [String?]) {
        pointers = strings.map { string in string.flatMap { strdup($0) }.map { UnsafePointer($0) } }
    }

    deinit {
        for pointer in pointers {
            free(UnsafeMutablePointer(mutating: pointer))
        }
    }

    /// Calls `body` with a NULL-terminated array of the strings.
    func withNullTerminated<Result>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> Result) rethrows
        -> Result
    {
        let terminated = pointers + [nil]
        return try terminated.withUnsafeBufferPointer { buffer in
            // A non-empty array's base address is never nil; the empty case cannot happen (the terminator).
            guard let base = buffer.baseAddress else { preconditionFailure("empty C string array") }
            return try body(base)
        }
    }
}
