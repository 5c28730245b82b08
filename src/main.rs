//! The `signpost` command: parses arguments and maps outcomes to exit codes.

/// mimalloc: a build allocates and frees millions of small strings across
/// threads, where the system allocator costs about a sixth of all CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    signpost::cli::run()
}
