import Foundation
import Testing

@testable import Sentiment

/// Fine-tuning a trained model (`ondo sentiment train --from-database --base …`) and the write-or-refuse rule.
@Suite struct FineTuneTests {
    /// Reviews the models never train on, written with the syllables of ``TestModels``.
    static let heldOut =
        ["배송 빠르고 좋아요", "품질 최고 만족해요", "색감 예뻐요 재구매", "친절하고 꼼꼼해요 강추"].map {
            LabeledText(text: $0, positive: true)
        }
        + ["품질 별로 실망이에요", "배송 늦어요 최악", "환불 원해요 별로", "사이즈 달라요 실망 ㅠㅠ"].map {
            LabeledText(text: $0, positive: false)
        }

    @Test func keepsTheBaseTokenizerAndShapeAndChangesTheWeights() throws {
        let base = TestModels.untrained(unit: .syllableBigram, layers: 2)
        // A trainer whose own shape and tokenizer differ from the base's: fine-tuning must ignore them.
        var trainer = TestModels.trainer(epochs: 2)
        trainer.settings.tokenUnit = .syllable
        trainer.settings.weightStorage = .float16
        let tuned = try trainer.fineTune(base, on: TrainingInput(examples: TestModels.examples))
        #expect(tuned.tokenizer == base.tokenizer)
        #expect(tuned.configuration == base.configuration)
        #expect(tuned.parameterCount == base.parameterCount)
        #expect(tuned.storage == .float16)
        let changed = zip(tuned.network.parameters, base.network.parameters).filter { $0 != $1 }.count
        #expect(changed > base.parameterCount / 2, "\(changed) of \(base.parameterCount) weights changed")
        #expect(tuned.training?.base == base.version)
        #expect(tuned.training?.trainingExamples == TestModels.examples.count)

        let reloaded = try ModelFile.decode(tuned.fileData())
        #expect(reloaded.training?.base == base.version, "the base is recorded in the model file")
        #expect(ModelInfo(reloaded).text.contains("fine-tuned   from \(base.version)"))
    }

    @Test func fineTuningOnAFewReviewsImprovesHeldOutAccuracy() throws {
        let base = TestModels.untrained(layers: 1)
        var trainer = TestModels.trainer(epochs: 30)
        trainer.options.learningRate = 0.01
        let before = base.evaluate(Self.heldOut)
        let tuned = try trainer.fineTune(base, on: TrainingInput(examples: TestModels.examples))
        let after = tuned.evaluate(Self.heldOut)
        print("fine-tuning on 16 reviews: held-out accuracy \(before.accuracy) → \(after.accuracy)")
        #expect(after.accuracy > before.accuracy)
        #expect(after.accuracy >= 0.75)
        #expect(FineTuneDecision(baseAccuracy: before.accuracy, newAccuracy: after.accuracy, force: false) == .write)
    }

    @Test func aModelLessAccurateThanItsBaseIsWrittenOnlyWhenForced() {
        #expect(FineTuneDecision(baseAccuracy: 0.92, newAccuracy: 0.97, force: false) == .write)
        #expect(FineTuneDecision(baseAccuracy: 0.92, newAccuracy: 0.92, force: false) == .write, "as good is not worse")
        #expect(FineTuneDecision(baseAccuracy: 0.92, newAccuracy: 0.91, force: false) == .refuse)
        #expect(FineTuneDecision(baseAccuracy: 0.92, newAccuracy: 0.91, force: true) == .writeWorse)
        #expect(
            FineTuneDecision(baseAccuracy: nil, newAccuracy: 0.4, force: false) == .write, "no base: nothing to beat")
        #expect(!FineTuneDecision.refuse.writes)
        #expect(FineTuneDecision.writeWorse.writes)
    }

    @Test func tooFewReviewsOrTooFewOfOnePolarityAreReported() {
        let requirement = TrainingDataRequirement()
        func reviews(positive: Int, negative: Int) -> [LabeledText] {
            (0..<positive).map { LabeledText(text: "좋아요 \($0)", positive: true) }
                + (0..<negative).map { LabeledText(text: "별로 \($0)", positive: false) }
        }
        #expect(requirement.shortfall(reviews(positive: 180, negative: 20)) == nil)
        let few = requirement.shortfall(reviews(positive: 150, negative: 30))
        #expect(few?.hasPrefix("found 180 usable rated reviews (150 positive, 30 negative), too few") == true)
        let lopsided = requirement.shortfall(reviews(positive: 500, negative: 19))
        #expect(lopsided?.contains("(500 positive, 19 negative)") == true)
        #expect(lopsided?.contains("at least 20 positive and 20 negative") == true)
    }

    /// The validation split, carved as the trainer carves it (the share, rounded), must hold 20 reviews: 195 at the
    /// default 10 %, and none is asked of a run without one.
    @Test func theValidationSplitMustHoldTwentyReviews() {
        let requirement = TrainingDataRequirement()
        #expect(requirement.validationShortfall(of: 195, validationFraction: 0.1) == nil)
        let short = requirement.validationShortfall(of: 194, validationFraction: 0.1)
        #expect(short?.contains("of 194 reviews holds 19, too few") == true, "\(short ?? "nil")")
        #expect(short?.hasSuffix("at least 20, which takes 195 reviews at this share") == true, "\(short ?? "nil")")
        #expect(
            requirement.validationShortfall(of: 500, validationFraction: 0.03)?.contains("takes 650 reviews") == true)
        #expect(requirement.validationShortfall(of: 3, validationFraction: 0) == nil, "no split, nothing to hold")
        // Enough reviews, and enough of them validate: no problem; too few: both sentences.
        let reviews = (0..<200).map { LabeledText(text: "리뷰 \($0)", positive: $0 % 2 == 0) }
        #expect(requirement.problem(reviews, validationFraction: 0.1, noun: "reviews") == nil)
        let both = requirement.problem(Array(reviews.prefix(30)), validationFraction: 0.1, noun: "reviews")
        #expect(both?.hasPrefix("found 30 usable reviews (15 positive, 15 negative), too few to train on") == true)
        #expect(both?.contains("; the validation split (--validation-fraction 0.1) of 30 reviews holds 3") == true)
    }

    @Test func fineTuningDefaultsAreGentlerThanTraining() {
        let fresh = TrainingOptions()
        let fineTuning = TrainingOptions.fineTuning
        #expect(fineTuning.learningRate < fresh.learningRate)
        #expect(fineTuning.epochs < fresh.epochs)
        #expect(fineTuning.problem == nil)
    }
}
