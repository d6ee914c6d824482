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
    /// The roles that are members of it (`pg_auth_members`), by name: whatever it is granted, they inherit (or may
    /// `SET ROLE` to), so an Ondo group granted to it would reach each of them.
    public var members: [String] = []

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
        guard !attributes.isEmpty else { return membersRefusal(keep: keep) }
        let removal = attributes.map { "NO" + $0 }.joined(separator: " ")
        // PostgreSQL lets only a superuser change REPLICATION and BYPASSRLS; a CREATEROLE admin could not follow the
        // advice without being told who can.
        let remover = canReplicate || bypassesRowSecurity ? "have a superuser remove" : "remove"
        return RoleRefusal(
            "\(name) is an existing role with \(attributes.joined(separator: ", ")), which an Ondo login may not "
                + "have, so it cannot become one (add-login does not take attributes away); \(keep), or \(remover) "
                + "\(attributes.count == 1 ? "it" : "them") first (ALTER ROLE \(Self.quoted(name)) \(removal);) "
                + "if \(name) should become an Ondo login")
    }

    /// The refusal of a role that has members, or nil when it has none. Its members would gain the group's rights
    /// through it, which no one asked for; taking the memberships away would break whatever they rely on.
    private func membersRefusal(keep: String) -> RoleRefusal? {
        guard !members.isEmpty else { return nil }
        return RoleRefusal(
            "\(name) is an existing role with \(members.count) member\(members.count == 1 ? "" : "s") "
                + "(\(Self.someOf(members))), who would inherit the rights of the Ondo group through it, so it cannot "
                + "become an Ondo login; nothing was changed: create a separate login with a new name, and keep \(name) "
                + "for its members")
    }

    /// The first few of `names`, then how many more: `a, b, c and 2 more`.
    static func someOf(_ names: [String], shown: Int = 3) -> String {
        let listed = names.prefix(shown).joined(separator: ", ")
        return names.count > shown ? "\(listed) and \(names.count - shown) more" : listed
    }

    /// `name` as SQL would need it written: bare when it is a plain lower-case identifier, else double-quoted.
    static func quoted(_ name: String) -> String {
        let plain =
            name.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && name.allSatisfy { $0 == "_" || $0 == "$" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain ? name : "\"" + name.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}
