/// Knowledge distillation: the targets a model learns from when teachers are given (trained models, for example
/// several trained from different seeds). Each training review's target becomes its label blended with the
/// teachers' mean calibrated probability for its text, `(1 − w)·label + w·p̄`, so that one model can learn part of
/// what an ensemble knows (how sure to be, which labels look wrong) and still cost one model to run.
enum TeacherTargets {
    /// The targets of `reviews`: their labels when there is no teacher or `weight` is 0, else each blended with the
    /// mean probability `teachers` give its text.
    static func targets(for reviews: [LabeledText], teachers: [SentimentModel], weight: Float) -> [Float] {
        let labels = reviews.map(\.target)
        guard !teachers.isEmpty, weight > 0, !reviews.isEmpty else { return labels }
        let texts = reviews.map(\.text)
        var sum = [Float](repeating: 0, count: reviews.count)
        for teacher in teachers {
            for (i, probability) in teacher.predict(texts).enumerated() { sum[i] += probability }
        }
        let count = Float(teachers.count)
        return zip(labels, sum).map { label, total in (1 - weight) * label + weight * total / count }
    }
}
