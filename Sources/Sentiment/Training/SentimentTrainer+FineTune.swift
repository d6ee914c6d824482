extension SentimentTrainer {
    /// Continues training `base`'s weights on `input` (fine-tuning, e.g. to a shop's own reviews): the base's
    /// tokenizer, vocabulary and network shape are kept, so the trainer's shape and tokenizer ``settings`` are not
    /// used; only their weight storage is. Adam starts from fresh moments; the validation split, best-epoch choice
    /// and calibration work as in ``train(_:observer:)``.
    public func fineTune(
        _ base: SentimentModel, on input: TrainingInput, observer: (TrainingEvent) -> Void = { _ in }
    ) throws(SentimentModelError) -> SentimentModel {
        if let problem = options.problem { throw .invalidConfiguration(problem) }
        try BLASRuntime.checkCPU()
        let start = RunStart()
        let data = try SplitData(input, options: options)
        var trainer = self
        trainer.settings.vocabularyMinimumCount =
            base.training?.vocabularyMinimumCount ?? settings.vocabularyMinimumCount
        return trainer.optimise(
            base.network, tokenizer: base.tokenizer, data: data, sources: input.sources, base: base.version,
            start: start, observer: observer)
    }
}
