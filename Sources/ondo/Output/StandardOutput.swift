import Foundation

/// Standard output written 64 KB at a time: `print` per line made a system call per line of a 200,000-line list.
/// Flush it before writing to standard error, so that a terminal shows both in order, and at the end.
struct StandardOutput {
    private var bytes: [UInt8] = []
    private static let chunk = 65_536

    /// An empty buffer.
    init() {
        bytes.reserveCapacity(Self.chunk + 4_096)
    }

    /// Adds `text`; writes the buffer once it holds 64 KB.
    mutating func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= Self.chunk { flush() }
    }

    /// Writes what the buffer holds. A closed pipe (`| head -1`) ends the process by SIGPIPE, as `print` did; any
    /// other failure drops the output, as `print` did.
    mutating func flush() {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(
                    STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
