import ArgumentParser
import CRMStore
import OndoServer

/// `ondo roles harden`: takes back what PostgreSQL grants to every connecting role, on a database that holds only
/// the shop and Ondo.
struct HardenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harden",
        abstract: "Take back CONNECT, TEMPORARY and the advisory-lock functions from PUBLIC (opt-in).",
        discussion: """
            Only for a database that the shop and Ondo have to themselves: it revokes CONNECT and TEMPORARY on the \
            database and EXECUTE on every pg_advisory*/pg_try_advisory* function from PUBLIC, after granting what \
            Ondo's groups need (CONNECT to the four ondo_* groups, TEMPORARY to ondo_owner, the per-customer lock \
            functions to ondo_app, the migration lock functions to ondo_owner). Other programs' logins lose these \
            rights too. Run it with a superuser's administration connection (the functions belong to the bootstrap \
            superuser); any other connection is refused. It is idempotent, prints each change and checks that \
            nothing is left open. --dry-run lists what is open and changes nothing (no superuser needed). A login \
            that connects only because PUBLIC may (a program in none of Ondo's groups, granted CONNECT neither by \
            name nor through a role) could not connect any more: --dry-run names each ("would lock out login …"), \
            and hardening refuses, changing nothing, until you grant it CONNECT or pass --lock-out-others. The \
            revoke of TEMPORARY names the logins that had it only through PUBLIC; grant it back by name to one that \
            needs temporary tables. On a database that was never migrated (Ondo's group roles missing) it refuses: \
            run ondo migrate first.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "List what is still open; change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Revoke CONNECT from PUBLIC even when logins connect only through it (they are named).")
    var lockOutOthers = false

    func run() throws {
        try reportingFailures("roles harden") {
            let logger = common.makeLogger(label: "ondo.roles")
            try common.withDatabase(logger: logger) { configuration in
                let administration = try DatabaseAdministration(settings: configuration.database, logger: logger)
                let (changes, lockedOut) = try administration.harden(
                    dryRun: dryRun, lockingOut: lockOutOthers, migrate: common.followUp("migrate"))
                for change in changes {
                    say(dryRun ? "would \(change)" : change.pastTense)
                }
                for login in lockedOut {
                    say(
                        dryRun
                            ? "would lock out login \(login) (it connects only because PUBLIC may; see --help)"
                            : "locked out login \(login) (it connected only because PUBLIC could)")
                }
                if changes.isEmpty {
                    say("\(administration.endpoint) is hardened: nothing to change")
                } else if dryRun {
                    say(
                        "\(administration.endpoint): \(NumberText.grouped(changes.count)) change(s) open; nothing was changed"
                    )
                } else {
                    say(
                        "hardened \(administration.endpoint): \(NumberText.grouped(changes.count)) change(s); nothing is left open"
                    )
                }
            }
        }
    }
}
