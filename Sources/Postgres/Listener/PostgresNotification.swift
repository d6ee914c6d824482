/// A `NOTIFY` received on a `LISTEN` channel.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel name.
    public var channel: String
    /// The payload (empty when the sender gave none).
    public var payload: String
    /// The server process that sent it.
    public var senderPID: Int32

    /// Creates a notification value.
    public init(channel: String, payload: String, senderPID: Int32) {
        self.channel = channel
        self.payload = payload
        self.senderPID = senderPID
    }
}
