import ArgumentParser
import Logging

/// `--log-level` is parsed by ArgumentParser itself, once, into the level: a value that is not one is refused as
/// every other choice option is ("Please provide one of 'trace', 'debug', …"), with the subcommand's usage.
extension Logger.Level: @retroactive ExpressibleByArgument {}
