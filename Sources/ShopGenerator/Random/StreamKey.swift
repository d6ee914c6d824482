/// The independent random sub-streams of a generated shop, one per kind of decision.
///
/// The raw values are part of the output's definition: changing one changes every shop generated with it.
public enum StreamKey: UInt64, Sendable {
    /// Customer signup times.
    case signup = 1
    /// Customer names, contacts and consents.
    case customer = 2
    /// Product attributes.
    case product = 3
    /// How many orders each customer places.
    case orderCount = 4
    /// Order times, items, status and coupons, per customer.
    case orders = 5
    /// Which orders get reviewed (one stream for the whole run).
    case reviewSelection = 6
    /// Review rating and text, per review.
    case review = 7
    /// The live event source.
    case live = 8
}
