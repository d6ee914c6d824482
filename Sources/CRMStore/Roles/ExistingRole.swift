/// What `add-login` needs to know about a role that already has the login's name: whether Ondo may make it a
/// login of one of its groups, or why not, in a sentence that names it and says what to do instead.
public struct ExistingRole: Sendable, Hashable {
    /// The role's name.
    public var name: String
    /// `rolsuper`: passes every privilege check, so no group could limit it.
    public var isSuperuser = false
    /// `rolbypassrls`: ignores row security.
    public var bypassesRowSecurity = false
    /// Member of `ondo_owner`, directly or through another role: owns every Ondo object whatever group it joins.
    public var isOwnerMember = false
    /// `rolreplication`: a replication client; only a superuser may take it away.
    public var canReplicate = false
    /// `rolcreaterole`: an administrator (the one running `add-login` has it).
    public var canCreateRoles = false
    /// `rolcreatedb`.
    public var canCreateDatabases = false

    /// A role with `name` and none of the attributes, changed field by field.
    public init(name: String) {
        self.name = name
    }

    /// Why this role may not become an Ondo login, or nil when it may. An Ondo login has none of these attributes,
    /// and `add-login` refuses rather than take one away: that would quietly demote an administrator (the one
    /// connected, even) or stop a replica.
    public var refusal: RoleRefusal? {
        let keep = "nothing was changed: choose a new name for the login"
        if isSuperuser {
            return RoleRefusal(
                "\(name) is an existing superuser role, which passes every privilege check, so it cannot become an "
                    + "Ondo login (no group could limit it); \(keep), and keep \(name) for administration")
        }
        if isOwnerMember {
            return RoleRefusal(
                "\(name) is an existing role that is a member of ondo_owner (directly or through another role), "
                    + "which owns every Ondo object, so it cannot become an Ondo login (it would keep the owner's "
                    + "rights whatever group it joined); \(keep), and keep \(name) for running ondo migrate")
        }
        let attributes = [
            (bypassesRowSecurity, "BYPASSRLS"), (canReplicate, "REPLICATION"), (canCreateRoles, "CREATEROLE"),
            (canCreateDatabases, "CREATEDB"),
        ].filter(\.0).map(\.1)
        guard !attributes.isEmpty else { return nil }
        let removal = attributes.map { "NO" + $0 }.joined(separator: " ")
        return RoleRefusal(
            "\(name) is an existing role with \(attributes.joined(separator: ", ")), which an Ondo login may not "
                + "have, so it cannot become one (add-login does not take attributes away); \(keep), or remove "
                + "\(attributes.count == 1 ? "it" : "them") first (ALTER ROLE \(Self.quoted(name)) \(removal);) if \(name) "
                + "should become an Ondo login")
    }

    /// `name` as SQL would need it written: bare when it is a plain lower-case identifier, else double-quoted.
    static func quoted(_ name: String) -> String {
        let plain =
            name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || $0 == "$" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain ? name : "\"" + name.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}
