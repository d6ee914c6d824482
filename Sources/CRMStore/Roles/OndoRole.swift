/// The group roles a login user can belong to. Group roles never log in themselves; `ondo_owner`, which owns
/// every object, is deliberately not offered.
public enum OndoRole: String, Sendable, CaseIterable, Hashable {
    /// `ondo_app`: the server and CLI. Reads and writes `crm`, reads `shop` and `report`; no DDL.
    case app = "ondo_app"
    /// `ondo_shop`: the shop's backend. Reads, inserts and updates the `shop` tables; nothing else.
    case shop = "ondo_shop"
    /// `ondo_report`: analysts and BI tools. Reads the `report` views only.
    case report = "ondo_report"

    /// Parses `app`, `shop`, `report` (or the full `ondo_…` names).
    public init?(name: String) {
        let full = name.hasPrefix("ondo_") ? name : "ondo_" + name
        self.init(rawValue: full)
    }

    /// `app`, `shop` or `report`.
    public var shortName: String { String(rawValue.dropFirst("ondo_".count)) }
}
