import Foundation

/// How failed work is retried: exponential backoff, then discarded after `maximumAttempts`.
public struct RetryPolicy: Sendable, Equatable, Codable {
    /// Attempts before a work item is discarded (the first run counts as attempt 1).
    public var maximumAttempts: Int = 5
    /// Delay before the second attempt, in seconds; it doubles with each further attempt.
    public var initialDelaySeconds: Double = 1
    /// Upper bound on the delay, in seconds.
    public var maximumDelaySeconds: Double = 300

    /// The largest `maximumDelaySeconds`: a day. Far larger delays leave PostgreSQL's interval and timestamp range,
    /// so every failure would fail again while being recorded.
    public static let maximumDelayLimitSeconds: Double = 86_400

    /// What to do with a work item that just failed.
    public enum Decision: Sendable, Equatable {
        /// Try again after this many seconds.
        case retry(afterSeconds: Double)
        /// Give up: the item is moved to `discarded` with its error.
        case discard
    }

    /// The defaults documented on each property.
    public init() {}

    /// Creates a policy.
    public init(maximumAttempts: Int, initialDelaySeconds: Double, maximumDelaySeconds: Double) {
        self.maximumAttempts = maximumAttempts
        self.initialDelaySeconds = initialDelaySeconds
        self.maximumDelaySeconds = maximumDelaySeconds
    }

    /// The decision after attempt number `attempts` (1-based) failed.
    public func decision(afterFailedAttempt attempts: Int) -> Decision {
        guard attempts < maximumAttempts else { return .discard }
        let exponent = Double(max(attempts - 1, 0))
        return .retry(afterSeconds: min(initialDelaySeconds * pow(2, exponent), maximumDelaySeconds))
    }

    /// A sentence per problem; empty when valid.
    public func problems() -> [String] {
        var found: [String] = []
        if maximumAttempts < 1 { found.append("maximumAttempts must be at least 1 (it is \(maximumAttempts))") }
        if initialDelaySeconds < 0 {
            found.append("initialDelaySeconds must not be negative (it is \(initialDelaySeconds))")
        }
        if maximumDelaySeconds > Self.maximumDelayLimitSeconds {
            found.append(
                "maximumDelaySeconds must be at most \(Int(Self.maximumDelayLimitSeconds)) (a day; it is \(maximumDelaySeconds))"
            )
        }
        if maximumDelaySeconds < initialDelaySeconds {
            found.append(
                "maximumDelaySeconds (\(maximumDelaySeconds)) must not be less than initialDelaySeconds (\(initialDelaySeconds))"
            )
        }
        return found
    }
}

extension RetryPolicy {
    /// Decodes a policy from configuration; absent keys keep their defaults.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maximumAttempts = try c.decodeIfPresent(Int.self, forKey: .maximumAttempts) ?? maximumAttempts
        initialDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .initialDelaySeconds) ?? initialDelaySeconds
        maximumDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .maximumDelaySeconds) ?? maximumDelaySeconds
    }
}
