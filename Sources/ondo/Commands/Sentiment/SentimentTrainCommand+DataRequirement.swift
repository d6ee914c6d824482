import Sentiment

/// The one rule on how much labelled data `train` needs (``TrainingDataRequirement``), for both sources: enough
/// reviews, enough of each polarity, and a validation split of enough of them. Checked before training, never by the
/// trainer, which trains on whatever it is given. (--from-database checks the first two in its own words, before the
/// hold-out.)
extension SentimentTrainCommand {
    /// Refuses --data reviews (`examples`, after --subsample) that are too few to train on or to validate on;
    /// --adapt reviews are trained on but never validated, so they do not count.
    func requireEnoughFileData(_ examples: [LabeledText]) throws {
        let noun = "reviews in the --data files"
        if let problem = TrainingDataRequirement().problem(
            examples, validationFraction: training.validationFraction, noun: noun)
        {
            throw CommandError(problem)
        }
    }

    /// Refuses a --from-database run whose reviews left after the hold-out (`kept`) make too small a validation split.
    func requireValidationSplit(kept: Int, heldOut: Int, scope: String, holdOut: Double) throws {
        guard
            let problem = TrainingDataRequirement().validationShortfall(
                of: kept, validationFraction: training.validationFraction)
        else { return }
        throw CommandError(
            "\(scope): \(heldOut) of \(kept + heldOut) rated reviews held out (--hold-out \(holdOut)), \(kept) left to "
                + "train on: \(problem)")
    }
}
