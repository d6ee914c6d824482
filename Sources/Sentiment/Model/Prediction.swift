import Foundation

/// One scored review, and the ways the CLI prints a list of them.
public struct Prediction: Codable, Sendable, Equatable {
    /// The review text.
    public var text: String
    /// Probability that the review is positive.
    public var probability: Float
    /// "positive" when the probability is at least 0.5, else "negative".
    public var label: String

    /// A scored review.
    public init(text: String, probability: Float) {
        self.text = text
        self.probability = probability
        label = probability >= 0.5 ? "positive" : "negative"
    }

    /// Scores `texts` with `model`, in order.
    public static func score(_ texts: [String], with model: SentimentModel) -> [Prediction] {
        zip(texts, model.predict(texts)).map { Prediction(text: $0.0, probability: $0.1) }
    }

    /// Aligned columns: probability, label, text (line breaks in the text become spaces: one row, one line).
    public static func table(_ predictions: [Prediction]) -> String {
        predictions.map {
            String(format: "%.4f  ", $0.probability) + $0.label.padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
                + terminalLine($0.text)
        }
        .joined(separator: "\n")
    }

    /// `text` for a terminal row: ``oneLine(_:tabs:)`` with tabs, and every other control character (ESC, NUL, BEL,
    /// DEL, the C1 range) shown as U+FFFD: printed raw, an escape sequence in a review could clear or rewrite the
    /// screen.
    static func terminalLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in oneLine(text, tabs: true).unicodeScalars {
            result.append(scalar.properties.generalCategory == .control ? "\u{FFFD}" : scalar)
        }
        return String(result)
    }

    /// Tab-separated lines `probability<TAB>label<TAB>text` (tabs and line breaks in the text become spaces).
    public static func tsv(_ predictions: [Prediction]) -> String {
        predictions.map {
            String(format: "%.6f", $0.probability) + "\t" + $0.label + "\t" + oneLine($0.text, tabs: true) + "\n"
        }.joined()
    }

    /// `text` with every line break (CR, CRLF — one Character —, VT, FF, NEL, U+2028/2029, not only "\n": readers
    /// split rows on some of them), and with `tabs` every tab, turned into a space.
    static func oneLine(_ text: String, tabs: Bool) -> String {
        String(text.map { $0.isNewline || (tabs && $0 == "\t") ? " " : $0 })
    }

    /// A JSON object with the model version and the predictions.
    public static func json(_ predictions: [Prediction], model: String) -> String {
        struct Output: Codable {
            var model: String
            var predictions: [Prediction]
        }
        // Strings and finite probabilities only: encoding cannot fail.
        let data = (try? jsonEncoder.encode(Output(model: model, predictions: predictions))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// ``json(_:model:)`` in pieces, for predictions printed as they are scored: the opening, then the
    /// ``jsonElements(_:)`` of each batch (separated by ``jsonSeparator``), then ``jsonClosing`` give the same text.
    public static func jsonOpening(model: String) -> String {
        let name = String(decoding: (try? jsonEncoder.encode(model)) ?? Data("\"\"".utf8), as: UTF8.self)
        return "{\n  \"model\" : \(name),\n  \"predictions\" : [\n"
    }

    /// The predictions as elements of the array that ``jsonOpening(model:)`` opens.
    public static func jsonElements(_ predictions: [Prediction]) -> String {
        predictions.map { prediction in
            let data = (try? jsonEncoder.encode(prediction)) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map { "    " + $0 }.joined(separator: "\n")
        }.joined(separator: jsonSeparator)
    }

    /// Between two batches of ``jsonElements(_:)``.
    public static let jsonSeparator = ",\n"

    /// The end of the object that ``jsonOpening(model:)`` starts.
    public static let jsonClosing = "\n  ]\n}"

    private static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
