import Foundation
import Sentiment

/// Prints `ondo sentiment predict`'s scores batch by batch in its ``PredictionFormat``, flushing after each: reviews
/// piped in are printed as they are scored, not after the input ends. The JSON object is opened by the first batch
/// and closed by ``finish()``, so nothing is printed when there was nothing to score.
struct PredictionWriter {
    let format: PredictionFormat
    /// The model's version, for the JSON object.
    let model: String
    /// Predictions printed so far.
    private(set) var written = 0

    init(format: PredictionFormat, model: String) {
        self.format = format
        self.model = model
    }

    mutating func write(_ predictions: [Prediction]) {
        guard !predictions.isEmpty else { return }
        switch format {
        case .table: print(Prediction.table(predictions))
        case .tsv: print(Prediction.tsv(predictions), terminator: "")
        case .json:
            print(written == 0 ? Prediction.jsonOpening(model: model) : Prediction.jsonSeparator, terminator: "")
            print(Prediction.jsonElements(predictions), terminator: "")
        }
        written += predictions.count
        fflush(nil)  // nil: every stream, standard output among them
    }

    /// Ends the output (the JSON object's closing).
    func finish() {
        if format == .json && written > 0 { print(Prediction.jsonClosing) }
        fflush(nil)  // nil: every stream, standard output among them
    }
}
