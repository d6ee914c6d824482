import Testing

@testable import Sentiment

/// Knowledge distillation (`ondo sentiment train --teacher …`) and the validation seed that lets models of different
/// seeds share one validation split.
@Suite struct DistillationTests {
    @Test func targetsBlendEachLabelWithTheTeachersMeanProbability() {
        let reviews = TestModels.examples
        let teachers = [TestModels.untrained(seed: 3), TestModels.untrained(seed: 4)]
        let first = teachers[0].predict(reviews.map(\.text))
        let second = teachers[1].predict(reviews.map(\.text))
        let targets = TeacherTargets.targets(for: reviews, teachers: teachers, weight: 0.25)
        #expect(targets.count == reviews.count)
        for (i, review) in reviews.enumerated() {
            let expected = 0.75 * review.target + 0.25 * (first[i] + second[i]) / 2
            #expect(abs(targets[i] - expected) < 1e-6, "review \(i): \(targets[i]) against \(expected)")
        }
        // The untrained teachers are unsure, so a blended target is neither 0 nor 1.
        #expect(targets.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(TeacherTargets.targets(for: reviews, teachers: teachers, weight: 0) == reviews.map(\.target))
        #expect(TeacherTargets.targets(for: reviews, teachers: [], weight: 0.5) == reviews.map(\.target))
    }

    /// Adaptation reviews repeat per epoch; each copy gets its review's target, and the validation split (carved
    /// from the examples) is the same as without teachers.
    @Test func everyTrainingCopyGetsItsReviewsTarget() throws {
        let teacher = TestModels.untrained(seed: 7)
        let adaptation = [LabeledText(text: "포장 최고", positive: true), LabeledText(text: "배송 최악", positive: false)]
        var options = TestModels.trainer().options
        options.validationFraction = 0.25
        options.teacherWeight = 1
        let input = TrainingInput(
            examples: TestModels.examples, adaptation: adaptation, adaptationRepeats: 3, teachers: [teacher])
        let data = try SentimentTrainer.SplitData(input, options: options)
        #expect(data.training.count == 12 + 2 * 3 && data.targets.count == data.training.count)
        let expected = teacher.predict(data.training.map(\.text))
        for (target, probability) in zip(data.targets, expected) { #expect(abs(target - probability) < 1e-6) }
        #expect(data.teachers == [teacher.version])
        options.teacherWeight = 0
        let plain = try SentimentTrainer.SplitData(input, options: options)
        #expect(plain.validation == data.validation)
        #expect(plain.targets == plain.training.map(\.target) && plain.teachers.isEmpty)
    }

    /// With the whole target taken from a teacher that learnt the labels the wrong way round, the student learns
    /// the teacher, not the labels: the targets really drive training.
    @Test func aStudentWithTeacherWeightOneLearnsTheTeacherNotTheLabels() throws {
        let flipped = TestModels.examples.map { LabeledText(text: $0.text, positive: !$0.positive) }
        let teacher = try TestModels.trainer(epochs: 40, seed: 5).train(TrainingInput(examples: flipped))
        #expect(teacher.evaluate(flipped).accuracy == 1)
        var trainer = TestModels.trainer(epochs: 40, seed: 6)
        trainer.options.teacherWeight = 1
        let student = try trainer.train(TrainingInput(examples: TestModels.examples, teachers: [teacher]))
        #expect(student.evaluate(flipped).accuracy == 1, "the student agrees with its teacher on every review")
        #expect(student.training?.teachers == [teacher.version])
        #expect(student.training?.options.teacherWeight == 1)
        #expect(ModelInfo(student).text.contains("teachers     \(teacher.version) (weight 1.0)"))
        // Without teachers the record says nothing of them.
        let alone = try TestModels.trainer(epochs: 1).train(TrainingInput(examples: TestModels.examples))
        #expect(alone.training?.teachers == nil && !ModelInfo(alone).text.contains("teachers"))
    }

    @Test func teacherWeightOutsideZeroToOneIsRefused() {
        var options = TrainingOptions()
        options.teacherWeight = 1.5
        #expect(options.problem == "the teacher weight must be in [0, 1]")
        options.teacherWeight = 1
        #expect(options.problem == nil)
    }

    /// `--validation-seed` keeps the validation split while `--seed` changes the weights, shuffling and dropout.
    @Test func theValidationSeedAloneChoosesTheValidationSplit() throws {
        let examples = (0..<40).map { LabeledText(text: "리뷰 \($0)", positive: $0 % 2 == 0) }
        var options = TrainingOptions()
        options.validationFraction = 0.25
        let split = { (options: TrainingOptions) in
            try SentimentTrainer.SplitData(TrainingInput(examples: examples), options: options).validation
        }
        let first = try split(options)
        options.seed = 2
        let otherSeed = try split(options)
        #expect(otherSeed != first)
        options.validationSeed = 1
        #expect(try split(options) == first)
    }
}
