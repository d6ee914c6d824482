import Foundation

/// Renders one line of training progress: a bar, counts, throughput and time left.
public enum ProgressBar {
    /// A line such as `epoch 2/4 [#########.........] 1,180/2,110 batches  1,843 reviews/s  ETA 0:42  loss 0.3412  acc 85.1%`.
    public static func line(_ p: TrainingProgress, width: Int = 24) -> String {
        let fraction = p.batches > 0 ? Double(p.batch) / Double(p.batches) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "epoch \(p.epoch)/\(p.epochs) [\(bar)] "
            + "\(GroupedNumber.text(p.batch))/\(GroupedNumber.text(p.batches)) batches  "
            + "\(GroupedNumber.text(p.reviewsPerSecond)) reviews/s  ETA \(duration(p.remaining))  "
            + "loss \(fixed(p.loss, 4))  acc \(fixed(100 * p.accuracy, 1))%"
    }

    /// `m:ss` or `h:mm:ss`.
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60)
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):\(m < 10 ? "0\(m)" : "\(m)"):\(ss)" }
        return "\(m):\(ss)"
    }

    /// `value` with `digits` decimals.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
