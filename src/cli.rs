//! The command line (SPEC §2): arguments in, an exit code out.
//!
//! 0 success (warnings allowed), 1 content errors, 2 usage errors. Diagnostics
//! go to stderr as text, or to stdout as one JSON array with `--format json`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{self, BuildOptions, BuildReport};
use crate::diagnostics::{display_path, render_human, render_json};

/// A static-site generator for multilingual community guides.
#[derive(Debug, Parser)]
#[command(name = "signpost", version, about)]
pub struct Cli {
    /// The folder that holds site.yaml.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Log each stage and how long it took (`-vv`: more detail).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Print only diagnostics: no progress, no summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text on stderr.
    Human,
    /// One JSON array of diagnostics on stdout.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the whole site into public/ (or --output DIR).
    Build {
        /// Where to write the site.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Keep per-page work in DIR between builds (rendered Markdown,
        /// search terms, check findings, rendered pages), each entry keyed
        /// by what it was made from, so a build after a small change redoes
        /// only what the change reaches. The output is byte for byte a
        /// build's without it. A cache that is missing, damaged, written by
        /// another signpost or for another site.yaml, theme or options, or
        /// not writable is ignored with a note. Written only after a build
        /// is published.
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
    },
    /// Build, serve on loopback, and rebuild when files change.
    Serve {
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
    },
    /// Run every check without writing output.
    Check {
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Record in the named translations (or, with no FILE, in every
        /// translation that is not stale) the hash of their current source.
        #[arg(long, value_name = "FILE", num_args = 0..)]
        stamp: Option<Vec<PathBuf>>,
    },
    /// Create the files of a new community, policy or facility in every language.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: crate::scaffold::Kind,
        /// Its slug: lower-case letters, digits and `-`.
        slug: String,
    },
}

/// Parses the command line, runs it and returns the exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(cli.verbose, cli.quiet);
    let root = cli.root.clone();
    if !root.join(crate::config::CONFIG_FILE).is_file()
        && !matches!(cli.command, Command::New { .. })
    {
        eprintln!(
            "error: no site.yaml in {}\n  = hint: run signpost in the site's folder, or pass --root DIR",
            root.display()
        );
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            format,
            cache,
        } => {
            let options = BuildOptions {
                root: root.clone(),
                output,
                base_url,
                drafts,
                cache,
                progress: format == Format::Human
                    && interactive()
                    && !cli.quiet
                    && cli.verbose == 0,
            };
            let report = build::build(&options);
            finish(&root, &report, format, true, cli.quiet)
        }
        Command::Check { format, stamp } => run_check(root, format, stamp.as_deref(), cli.quiet),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => run_serve(root, &bind, port, open, drafts),
        Command::New { kind, slug } => run_new(&root, kind, &slug),
    }
}

/// `check`: stamps first when asked, then checks and prints the translation
/// status (as text, unless `quiet`) and the diagnostics.
fn run_check(root: PathBuf, format: Format, stamp: Option<&[PathBuf]>, quiet: bool) -> ExitCode {
    if let Some(files) = stamp
        && let Err(code) = run_stamp(&root, files)
    {
        return code;
    }
    let report = build::check(&BuildOptions::new(root.clone()));
    if format == Format::Human && !quiet && !report.translation_status.is_empty() {
        eprintln!("translation status (pages per language):");
        for line in build::status_lines(&report) {
            eprintln!("{line}");
        }
    }
    finish(&root, &report, format, false, quiet)
}

/// `serve`: runs until stopped; a server that cannot start is a usage error.
fn run_serve(root: PathBuf, bind: &str, port: u16, open: bool, drafts: bool) -> ExitCode {
    let options = BuildOptions {
        root,
        drafts,
        ..BuildOptions::default()
    };
    match crate::serve::serve(&options, bind, port, open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// `new KIND SLUG`: names the files it created.
fn run_new(root: &Path, kind: crate::scaffold::Kind, slug: &str) -> ExitCode {
    match crate::scaffold::scaffold(root, kind, slug) {
        Ok(files) => {
            for file in files {
                println!("created {file}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// `check --stamp [FILE…]`: stamps, and says what it stamped and what it left.
fn run_stamp(root: &Path, files: &[PathBuf]) -> Result<(), ExitCode> {
    use crate::check::stale::StampError;
    let files: Vec<String> = files.iter().map(|f| site_relative(root, f)).collect();
    match build::stamp(&BuildOptions::new(root.to_path_buf()), &files) {
        Ok(done) => {
            for file in &done.stamped {
                eprintln!("stamped {file}");
            }
            for file in &done.left_stale {
                eprintln!("left stale {file} (its source changed since it was translated)");
            }
            eprint!("signpost: stamped {} translation(s)", done.stamped.len());
            if done.left_stale.is_empty() {
                eprintln!();
            } else {
                eprintln!(
                    "; left {} stale: bring them up to date, then stamp them by name (`signpost check --stamp FILE…`)",
                    done.left_stale.len()
                );
            }
            Ok(())
        }
        Err(StampError::Content(diagnostics)) => {
            eprint!("{}", render_human(root, &diagnostics));
            eprintln!("signpost: nothing was stamped");
            Err(ExitCode::from(1))
        }
        Err(StampError::Usage(message)) => {
            eprintln!("error: {message}\n  = hint: nothing was stamped");
            Err(ExitCode::from(2))
        }
    }
}

/// A FILE argument as a path relative to the site root: taken from the
/// current folder when it names a file inside the site, else from the root.
fn site_relative(root: &Path, file: &Path) -> String {
    if let Ok(root) = std::fs::canonicalize(root) {
        for candidate in [file.to_path_buf(), root.join(file)] {
            if let Ok(absolute) = std::fs::canonicalize(&candidate)
                && let Ok(relative) = absolute.strip_prefix(&root)
            {
                return display_path(Path::new(""), relative);
            }
        }
    }
    display_path(Path::new(""), file)
}

/// Whether stderr is a terminal a person watches (not CI).
fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v != "true")
}

/// Prints diagnostics and the summary (not when `quiet`), and turns the
/// report into an exit code; `publishes` is false for `check`, which never
/// writes anything.
fn finish(
    root: &Path,
    report: &BuildReport,
    format: Format,
    publishes: bool,
    quiet: bool,
) -> ExitCode {
    if !quiet {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    match format {
        Format::Json => println!("{}", render_json(&report.diagnostics)),
        Format::Human => {
            let text = render_human(root, &report.diagnostics);
            if !text.is_empty() {
                eprint!("{text}");
            }
        }
    }
    if report.has_errors() {
        if format == Format::Human && publishes {
            eprintln!(
                "signpost: nothing was published; the previous output in {} is untouched",
                report.output_dir.display()
            );
        } else if format == Format::Human {
            eprintln!("signpost: fix the errors above; a build would publish nothing until then");
        }
        return ExitCode::from(1);
    }
    if format == Format::Human && !quiet {
        let line = build::summary(report);
        if interactive() {
            eprintln!("\u{2714} {line}")
        } else {
            eprintln!("signpost: {line}")
        }
    }
    ExitCode::SUCCESS
}

/// Sends `tracing`'s events and stage spans to stderr: warnings only by
/// default, nothing below errors with `--quiet`, each stage's time with
/// `--verbose` (or `SIGNPOST_TIMINGS=1`), more with `-vv`.
fn init_logging(verbose: u8, quiet: bool) {
    use tracing::level_filters::LevelFilter;
    use tracing_subscriber::fmt::format::FmtSpan;
    let timings = std::env::var_os("SIGNPOST_TIMINGS").is_some_and(|v| v != "0");
    let level = match (quiet, verbose, timings) {
        (true, _, _) => LevelFilter::ERROR,
        (false, 0, false) => LevelFilter::WARN,
        (false, 0 | 1, _) => LevelFilter::INFO,
        (false, 2, _) => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .with_timer(())
        .with_ansi(false)
        .try_init();
}
