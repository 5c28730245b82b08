//! The dev server's build between changes: the last good build with what
//! each file read, updated in place by an edit when it can be
//! ([`crate::build::update`]) and rebuilt whole when it cannot.
//!
//! In: the changed files. Out: what to do to the served output (put and
//! remove files, or replace it all), the errors to show over the pages, and
//! one log line saying what kind of change it was, how many pages were
//! rendered again and how long it took.

use std::path::PathBuf;
use std::time::Instant;

use crate::build::{
    BuildOptions, Compiled, FullRebuild, compile_in_memory, files_pending, search_pending, update,
    update_files, update_search,
};
use crate::diagnostics::{Diagnostic, Severity, render_human};
use crate::output::Output;

/// The last good build and whether the last attempt failed.
pub(crate) struct Session {
    options: BuildOptions,
    /// The last good build; `None` after a failed first build or while a
    /// failed update waits for the full rebuild that replaces it.
    compiled: Option<Compiled>,
    /// The errors of the last attempt, shown over the pages until a build succeeds.
    errors: Option<String>,
}

/// What a change does to the served output.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Put these files and remove those.
    Patch {
        /// New and replaced files.
        files: std::collections::BTreeMap<String, Vec<u8>>,
        /// Files that are gone.
        removed: Vec<String>,
    },
    /// Serve this output instead.
    Replace(Output),
    /// The build failed: keep the output, show the errors.
    Failed,
}

impl Outcome {
    /// Applies the outcome to the served output.
    pub(crate) fn apply(self, output: &mut Output) {
        match self {
            Outcome::Patch { files, removed } => {
                for path in removed {
                    output.files.remove(&path);
                }
                output.files.extend(files);
            }
            Outcome::Replace(new) => *output = new,
            Outcome::Failed => {}
        }
    }
}

impl Session {
    /// Builds the site: the session and the first output (or the errors).
    pub(crate) fn open(options: &BuildOptions) -> (Session, Outcome) {
        let mut session = Session {
            options: options.clone(),
            compiled: None,
            errors: None,
        };
        let outcome = session.rebuild(Instant::now());
        (session, outcome)
    }

    /// The errors shown over the pages, if the last attempt failed.
    pub(crate) fn errors(&self) -> Option<&str> {
        self.errors.as_deref()
    }

    /// Every diagnostic of the last good build.
    pub(crate) fn diagnostics(&self) -> &[Diagnostic] {
        self.compiled
            .as_ref()
            .map_or(&[], |c| c.diagnostics.as_slice())
    }

    /// Handles one batch of changed files: updates the last build when it
    /// is healthy and the change allows, else rebuilds everything.
    pub(crate) fn change(&mut self, paths: &[PathBuf]) -> Outcome {
        let started = Instant::now();
        let healthy = self.errors.is_none();
        match self.compiled.take() {
            Some(compiled) if healthy => match update(&self.options, compiled, paths) {
                Ok((compiled, done)) => {
                    eprintln!(
                        "signpost: {}: re-rendered {} pages in {} ms{}",
                        done.what,
                        done.rendered,
                        started.elapsed().as_millis(),
                        warning_note(done.warnings)
                    );
                    self.compiled = Some(compiled);
                    Outcome::Patch {
                        files: done.files,
                        removed: done.removed,
                    }
                }
                Err(FullRebuild(why)) => {
                    eprintln!("signpost: {why}");
                    self.rebuild(started)
                }
            },
            _ => self.rebuild(started),
        }
    }

    /// What follows the last change once its pages are served: the feeds,
    /// sitemap, static and offline files with their checks, then the search
    /// index of the languages whose documents changed; `None` when nothing
    /// is left to do. When the checks of the files find an error, everything
    /// is built again (the outcome says so; the tabs reload once more).
    pub(crate) fn follow_up(&mut self) -> Option<Outcome> {
        let compiled = self.compiled.as_mut()?;
        let mut files = std::collections::BTreeMap::new();
        let mut removed = Vec::new();
        if files_pending(compiled) {
            let started = Instant::now();
            let Ok(patch) = update_files(compiled, &self.options.root) else {
                eprintln!("signpost: the site's files have errors: rebuilding everything");
                return Some(self.rebuild(started));
            };
            eprintln!(
                "signpost: feeds, sitemap and files updated in {} ms",
                started.elapsed().as_millis()
            );
            (files, removed) = (patch.files, patch.removed);
        }
        if search_pending(compiled) {
            let started = Instant::now();
            let patch = update_search(compiled);
            if !patch.languages.is_empty() {
                eprintln!(
                    "signpost: search index of {} updated in {} ms",
                    patch.languages.join(", "),
                    started.elapsed().as_millis()
                );
            }
            for path in &patch.removed {
                files.remove(path);
            }
            removed.extend(patch.removed);
            files.extend(patch.files);
            removed.retain(|p| !files.contains_key(p));
        }
        (!files.is_empty() || !removed.is_empty()).then_some(Outcome::Patch { files, removed })
    }

    /// Builds everything again; prints what it found.
    fn rebuild(&mut self, started: Instant) -> Outcome {
        let mut diagnostics = Vec::new();
        let compiled = compile_in_memory(&self.options, &mut diagnostics);
        let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
        match compiled {
            Some(mut compiled) if !failed => {
                let output = std::mem::take(&mut compiled.output);
                eprintln!(
                    "signpost: rebuilt {} files in {} ms{}",
                    output.files.len(),
                    started.elapsed().as_millis(),
                    warning_note(diagnostics.len())
                );
                self.compiled = Some(compiled);
                self.errors = None;
                Outcome::Replace(output)
            }
            _ => {
                let text = render_human(&self.options.root, &diagnostics);
                eprint!("{text}");
                eprintln!("signpost: the build failed; still serving the last good version");
                self.errors = Some(text);
                Outcome::Failed
            }
        }
    }
}

/// ` (N warnings; …)` after a log line, or nothing.
fn warning_note(warnings: usize) -> String {
    if warnings > 0 {
        format!(" ({warnings} warnings; run `signpost check` to see them)")
    } else {
        String::new()
    }
}
