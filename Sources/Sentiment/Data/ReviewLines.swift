import Foundation

/// Unlabelled reviews given one per line, as `ondo sentiment predict` reads them from standard input.
public enum ReviewLines {
    /// Why the input could not be read.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        /// A line (1-based) holds bytes that are not UTF-8.
        case notUTF8(line: Int)

        /// A sentence for the user.
        public var description: String {
            switch self {
            case .notUTF8(let line): "line \(line) is not UTF-8 text"
            }
        }
    }

    /// The lines of `data`, split at "\n" with a "\r" before it dropped (CRLF input); a final line without a
    /// newline counts, an empty input has none. Invalid UTF-8 is refused rather than scored as U+FFFD.
    public static func parse(_ data: Data) throws(ReadError) -> [String] {
        var splitter = ReviewLineSplitter()
        return try splitter.lines(in: data) + splitter.finish()
    }

    /// The 1-based positions of the texts with nothing but whitespace: they have nothing to score.
    public static func blank(_ texts: [String]) -> [Int] {
        texts.indices.filter { isBlank(texts[$0]) }.map { $0 + 1 }
    }

    /// Whether `text` has nothing but whitespace, so nothing to score.
    public static func isBlank(_ text: String) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }
}
