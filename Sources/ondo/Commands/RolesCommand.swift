import ArgumentParser
import CRMStore
import Foundation
import OndoServer
import Postgres

/// `ondo roles …`: manages the login users that connect to Ondo's database, and what every other role may do there.
struct RolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "Manage login users of the ondo_app, ondo_shop and ondo_report group roles; harden the database.",
        subcommands: [AddLoginCommand.self, HardenCommand.self])
}

/// `ondo roles add-login NAME --role shop`: creates (or updates) a login user in one group role.
struct AddLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-login",
        abstract: "Create or update a login user that belongs to one of Ondo's group roles.",
        discussion: """
            The password is read from standard input (--password-stdin) or a file (--password-file), never from \
            the command line, and is turned into a SCRAM verifier before it is sent. Run it with an \
            administrator's connection (CREATEROLE). Run again for an existing login: it sets the new password \
            and moves the login to --role, out of Ondo's other group roles (other memberships stay). An existing \
            role that is a superuser, a member of ondo_owner, has BYPASSRLS, REPLICATION, CREATEROLE or CREATEDB, \
            or has members (who would inherit the group through it) is refused and left as it was (attributes \
            and memberships are not taken away). \
            --no-password leaves the login without a password (an existing login's is removed), for peer or certificate \
            authentication.

            Example:
              printf '%s' "$SHOP_DB_PASSWORD" |
                ondo roles add-login shop_backend --role shop --password-stdin
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: "The login name (1 to 63 bytes; not starting with pg_ or ondo_).")
    var name: String

    @Option(name: .long, help: "The group role: app, shop or report.")
    var role: String

    @Flag(name: .long, help: "Read the password from standard input (up to the first newline).")
    var passwordStdin = false

    @Option(name: .long, help: "Read the password from this file.")
    var passwordFile: String?

    @Flag(name: .long, help: "Set no password, removing an existing login's (for peer or certificate authentication).")
    var noPassword = false

    func validate() throws {
        // Checked again when the login is made; here so that a bad name is a usage error, refused before connecting.
        if let problem = LoginRoles.nameProblem(name) { throw ValidationError(problem) }
        guard OndoRole(name: role) != nil else { throw ValidationError("--role must be app, shop or report") }
        if passwordFile?.isEmpty == true {
            throw ValidationError("--password-file is empty: name the file that holds the password")
        }
        let sources = [passwordStdin, passwordFile != nil, noPassword].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError("choose exactly one of --password-stdin, --password-file or --no-password")
        }
        // run() reads the password before it opens the database: every usage error must come before that read.
        try common.requireEmbeddedForEmbeddedDir()
    }

    func run() throws {
        try reportingFailures("roles add-login") {
            // validate() checked the role name.
            guard let group = OndoRole(name: role) else { throw CommandError("--role must be app, shop or report") }
            let password = try readPassword()
            let logger = common.makeLogger(label: "ondo.roles")
            try common.withDatabase(logger: logger) { configuration in
                let administration = try DatabaseAdministration(settings: configuration.database, logger: logger)
                let outcome = try administration.addLogin(
                    name: name, role: group, password: password, migrate: common.followUp("migrate"))
                say(
                    "\(outcome == .created ? "created" : "updated") login \(name) in \(group.rawValue) on \(administration.endpoint)"
                )
            }
        }
    }

    private func readPassword() throws -> String? {
        if noPassword { return nil }
        if let passwordFile {
            // Read as every connection reads it, so the login connects with the password it was given.
            do {
                return try PasswordFile.read(passwordFile, namedBy: "--password-file")
            } catch {
                throw CommandError(error.message)
            }
        }
        let password = LoginRoles.passwordLine(readLine(strippingNewline: true) ?? "")
        guard !password.isEmpty else { throw CommandError("the password is empty") }
        return password
    }
}
