/// The layouts of labelled review files that training and evaluation read.
public enum InputFormat: String, Sendable, CaseIterable, Codable {
    /// Naver Sentiment Movie Corpus: a header `id<TAB>document<TAB>label`, then one review per
    /// line, label 1 positive, 0 negative.
    case nsmc
    /// `RATING<TAB>TEXT`, a star rating 1–5: 1–2 negative, 4–5 positive, 3 skipped.
    case rating
    /// `LABEL<TAB>TEXT`, label 1 positive, 0 negative.
    case binary

    /// The header line of the NSMC files.
    static let nsmcHeader = "id\tdocument\tlabel"
}
