import Logging

/// A log handler that writes each event on one line: line breaks in the message and in metadata values are written
/// as `\n`. libpq's errors hold them ("… failed: Connection refused⏎\tIs the server running on that host…?"), so a
/// lost database wrote every warning over two lines, which line-based log collectors split into two events, the
/// second without its level, time or source.
public struct OneLineLogHandler: LogHandler {
    private var inner: any LogHandler

    /// Wraps `inner`, which does the writing.
    public init(_ inner: any LogHandler) {
        self.inner = inner
    }

    /// Writes `event` through the wrapped handler, its line breaks escaped.
    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: Self.oneLine(event.message.description))
        event.metadata = event.metadata?.mapValues(Self.oneLine)
        inner.log(event: event)
    }

    /// The wrapped handler's metadata value for `key`.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue.map(Self.oneLine) }
    }

    /// The wrapped handler's metadata.
    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue.mapValues(Self.oneLine) }
    }

    /// The wrapped handler's metadata provider.
    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    /// The wrapped handler's level.
    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    /// `text` with each line break (`\r\n`, `\n` or `\r`) written as the two characters `\n`.
    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\\n")
    }

    private static func oneLine(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(oneLine(text))
        case .stringConvertible(let convertible): .string(oneLine(convertible.description))
        case .array(let values): .array(values.map(oneLine))
        case .dictionary(let values): .dictionary(values.mapValues(oneLine))
        }
    }
}
