//! The report of a build or check: its diagnostics, pages per language,
//! translation status, files and time, and how the command line prints them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::check::stale::Staleness;
use crate::content::Site;
use crate::content::TranslationState;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::Finished;
use crate::render::{self, StateCounts};

use super::Compiled;

/// What a build or check found and did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered per language (empty when the build stopped early).
    pub pages_per_language: BTreeMap<String, usize>,
    /// Per language: how many pages are written, derived, fallback, stale.
    pub translation_status: StateCounts,
    /// Files in the output.
    pub files: usize,
    /// Whether the output folder was replaced.
    pub published: bool,
    /// Where the output is (or would have been) published.
    pub output_dir: PathBuf,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// What the build cache (`--cache DIR`) could not use or write, one line
    /// each: never diagnostics, as a build with a cache reports exactly what
    /// one without does.
    pub notes: Vec<String>,
}

impl BuildReport {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

impl BuildReport {
    /// A report with what `compiled` and `finished` say; no diagnostics yet.
    pub(super) fn new(
        output_dir: PathBuf,
        compiled: Option<&Compiled>,
        finished: &Finished,
    ) -> Self {
        BuildReport {
            diagnostics: Vec::new(),
            pages_per_language: compiled
                .map(|c| c.pages_per_language.clone())
                .unwrap_or_default(),
            translation_status: compiled
                .map(|c| c.translation_status.clone())
                .unwrap_or_default(),
            files: if compiled.is_some() {
                finished.written.len()
            } else {
                0
            },
            published: false,
            output_dir,
            elapsed: Duration::ZERO,
            notes: Vec::new(),
        }
    }
}

/// Counts, per language, the pages that are written, derived, fallback and stale.
pub(super) fn translation_status(
    site: &Site,
    stale: &BTreeMap<(String, String), Staleness>,
) -> StateCounts {
    render::count_states(site, &|key, lang| {
        stale.contains_key(&(key.to_string(), lang.to_string()))
    })
}

/// The translation status as lines of text, one per language.
pub(crate) fn status_lines(report: &BuildReport) -> Vec<String> {
    report
        .translation_status
        .iter()
        .map(|(lang, counts)| {
            let parts: Vec<String> = TranslationState::ALL
                .iter()
                .filter_map(|state| counts.get(state).map(|n| format!("{n} {}", state.as_str())))
                .collect();
            format!("  {lang:<8} {}", parts.join(", "))
        })
        .collect()
}

/// A one-line summary of a build: pages per language and time.
pub(crate) fn summary(report: &BuildReport) -> String {
    let per_language: Vec<String> = report
        .pages_per_language
        .iter()
        .map(|(lang, n)| format!("{lang} {n}"))
        .collect();
    let total: usize = report.pages_per_language.values().sum();
    format!(
        "{} {total} pages ({}), {} files, in {:.2} s",
        if report.published { "built" } else { "checked" },
        per_language.join(", "),
        report.files,
        report.elapsed.as_secs_f64()
    )
}
