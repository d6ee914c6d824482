import Foundation

/// Reads labelled review files in one of the ``InputFormat``s, detecting the format only when the
/// content leaves no doubt.
public enum DatasetReader {
    /// Why a data file could not be read.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        /// The file could not be opened or is not UTF-8.
        case unreadable(path: String, reason: String)
        /// The format cannot be told from the content (described); the caller must name it.
        case ambiguousFormat(String)
        /// Nothing but whitespace in the file.
        case empty(path: String)
        /// Lines, but no usable review among them: what they were (``Dataset/summary``).
        case noUsableReview(path: String, summary: String)

        /// A sentence for the user.
        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .ambiguousFormat(let reason): "\(reason); name the format with --input-format nsmc|rating|binary"
            case .empty(let path): "\(path) holds no usable labelled review"
            case .noUsableReview(let path, let summary): "\(path) holds no usable labelled review: \(summary)"
            }
        }
    }

    /// Most malformed line numbers kept for the report.
    static let reportedMalformedLines = 5

    /// Reads the file at `path` as `format`, or as the detected format when `format` is nil.
    public static func read(path: String, format: InputFormat? = nil) throws(ReadError) -> Dataset {
        let content: String
        do {
            content = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: unreadableReason(path))
        }
        // Said before detection, which would otherwise call an empty file's format ambiguous.
        if content.allSatisfy(\.isWhitespace) { throw .empty(path: path) }
        let dataset = try parse(content, format: format)
        // The malformed and three-star lines are the reason; the caller prints the summary only of a usable file.
        guard !dataset.examples.isEmpty else { throw .noUsableReview(path: path, summary: dataset.summary) }
        return dataset
    }

    /// Why the file at `path` could not be read as text, checked in the order that tells the user most.
    static func unreadableReason(_ path: String) -> String {
        if let problem = FileAccessProblem(path: path) { return problem.rawValue }
        guard let data = FileManager.default.contents(atPath: path) else { return "cannot read it" }
        // The first line that does not decode, so that one bad byte in a large file can be found.
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let bad = lines.firstIndex(where: { String(validating: $0, as: UTF8.self) == nil }) else {
            return "not a UTF-8 text file"
        }
        return "not a UTF-8 text file (line \(bad + 1))"
    }

    /// Parses file content as `format`, or as the detected format when `format` is nil.
    public static func parse(_ content: String, format: InputFormat? = nil) throws(ReadError) -> Dataset {
        let lines = DataFileLines.split(content)
        let chosen: InputFormat
        if let format { chosen = format } else { chosen = try detect(lines) }
        var dataset = Dataset(examples: [], format: chosen, malformedLines: 0, malformedExamples: [], neutralSkipped: 0)
        dataset.examples.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            if index == 0 && chosen == .nsmc && line == InputFormat.nsmcHeader { continue }
            if line.allSatisfy(\.isWhitespace) { continue }
            switch parseLine(line, format: chosen) {
            case .example(let example): dataset.examples.append(example)
            case .neutral: dataset.neutralSkipped += 1
            case .malformed:
                dataset.malformedLines += 1
                if dataset.malformedExamples.count < reportedMalformedLines {
                    dataset.malformedExamples.append(index + 1)
                }
            }
        }
        return dataset
    }

    /// The format of `lines`: NSMC by its header; `rating` when the first column holds only ratings
    /// 1–5, some other than 1. Anything else is ambiguous — a 0 among 2–5 could be a binary file with
    /// stray values as well as a rating file with bad ones, and reading one as the other flips labels.
    static func detect(_ lines: [Substring]) throws(ReadError) -> InputFormat {
        if lines.first == Substring(InputFormat.nsmcHeader) { return .nsmc }
        var values = Set<Int>()
        var unlabelled = 0
        var labelled = 0
        for line in lines where !line.allSatisfy(\.isWhitespace) {
            guard let tab = line.firstIndex(of: "\t"), let value = Int(line[..<tab]) else {
                unlabelled += 1
                continue
            }
            labelled += 1
            values.insert(value)
        }
        if labelled == 0 || unlabelled > labelled {
            throw .ambiguousFormat("the file is neither NSMC (no id/document/label header) nor LABEL<TAB>TEXT lines")
        }
        if values.isSubset(of: [0, 1]) {
            throw .ambiguousFormat("every label is 0 or 1, which could be binary labels or star ratings")
        }
        if values.isSubset(of: Set(1...5)) { return .rating }
        if values.isSubset(of: Set(0...5)) {
            throw .ambiguousFormat(
                "the first column holds 0 (a binary label) as well as 2–5 (star ratings), which could be binary "
                    + "labels with stray values or star ratings with zeros")
        }
        throw .ambiguousFormat(
            "the first column holds values other than 0–5 (\(values.sorted().prefix(5).map(String.init).joined(separator: ", ")))"
        )
    }

    enum LineResult: Equatable {
        case example(LabeledText)
        case neutral
        case malformed
    }

    static func parseLine(_ line: Substring, format: InputFormat) -> LineResult {
        switch format {
        case .nsmc:
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[0].isEmpty, let label = Int(fields[2]), label == 0 || label == 1 else {
                return .malformed
            }
            return .example(LabeledText(text: String(fields[1]), positive: label == 1))
        case .rating, .binary:
            guard let tab = line.firstIndex(of: "\t"), let value = Int(line[..<tab]) else { return .malformed }
            let text = String(line[line.index(after: tab)...])
            if format == .binary {
                guard value == 0 || value == 1 else { return .malformed }
                return .example(LabeledText(text: text, positive: value == 1))
            }
            switch value {
            case 1, 2: return .example(LabeledText(text: text, positive: false))
            case 4, 5: return .example(LabeledText(text: text, positive: true))
            case 3: return .neutral
            default: return .malformed
            }
        }
    }
}
