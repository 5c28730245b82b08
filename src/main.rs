//! The `signpost` command: parses arguments and maps outcomes to exit codes.

fn main() -> std::process::ExitCode {
    signpost::cli::run()
}
