/// Cuts bytes that arrive in pieces (standard input read as it comes) into review lines, as ``ReviewLines/parse(_:)``
/// does for bytes in hand: split at "\n", a "\r" before it dropped, a final line without a newline kept, invalid UTF-8
/// refused with its line number, a byte-order mark at the start dropped. Only the unfinished last line is held between pieces, so `ondo sentiment predict`
/// can score and print each piece's lines before the next one arrives.
public struct ReviewLineSplitter: Sendable {
    /// Bytes of the line not yet ended by a newline.
    private var pending: [UInt8] = []
    /// How much of `pending` is known to hold no newline: a long line is not searched again for every piece.
    private var searched = 0
    /// Whether the start of the input was checked for a byte-order mark (it may arrive split over pieces).
    private var startChecked = false
    /// The refusal of a line that is not UTF-8, thrown by the call after the one that met it: that call gives the lines
    /// before it.
    private var failure: ReviewLines.ReadError?
    /// Lines returned so far; the next line's number is one more.
    public private(set) var linesRead = 0

    /// A splitter at the start of the input.
    public init() {}

    /// The lines that `bytes` completes, in order; an unfinished last line waits for the next piece or ``finish()``.
    /// A line that is not UTF-8 ends the input: the lines before it are returned, and the next call throws.
    public mutating func lines(in bytes: some Sequence<UInt8>) throws(ReviewLines.ReadError) -> [String] {
        if let failure { throw failure }
        pending.append(contentsOf: bytes)
        if !startChecked { dropByteOrderMark() }
        var lines: [String] = []
        var start = 0
        var index = searched
        while let newline = pending[index...].firstIndex(of: UInt8(ascii: "\n")) {
            do {
                lines.append(try text(pending[start..<newline]))
            } catch {
                failure = error
                pending = []
                searched = 0
                return lines
            }
            start = newline + 1
            index = start
        }
        pending.removeFirst(start)
        searched = pending.count
        return lines
    }

    /// The last line when the input did not end with a newline (none for an empty input or a final newline).
    public mutating func finish() throws(ReviewLines.ReadError) -> [String] {
        if let failure { throw failure }
        guard !pending.isEmpty else { return [] }
        defer {
            pending = []
            searched = 0
        }
        return [try text(pending[...])]
    }

    /// A UTF-8 byte-order mark (a file saved by Notepad) is not part of the first review.
    private mutating func dropByteOrderMark() {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        if pending.count < mark.count && pending == Array(mark.prefix(pending.count)) { return }  // Wait for more.
        if pending.starts(with: mark) { pending.removeFirst(mark.count) }
        startChecked = true
    }

    private mutating func text(_ line: ArraySlice<UInt8>) throws(ReviewLines.ReadError) -> String {
        linesRead += 1
        let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(line: linesRead) }
        return text
    }
}
