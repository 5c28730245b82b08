//! Build: the whole pipeline, from `site.yaml` to a published folder.
//!
//! Steps: config → theme → UI strings → content → Markdown (in parallel) →
//! site checks → templates → pages (in parallel) → feeds, sitemap, assets →
//! publish. Every stage adds to one list of diagnostics; the output is
//! published only when there is no error, so a failed build leaves the last
//! good output untouched. [`check`] runs the same stages and writes nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::check::stale::Staleness;
use crate::config::Config;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Severity, sorted};
use crate::i18n::I18n;
use crate::output::{Output, Sink, Staging};
use crate::render::{Bodies, Listings, Reads, StateCounts, TemplateGraph, UrlMap};
use crate::theme::Theme;

mod cache;
mod compare;
mod describe;
mod files;
mod follow;
mod incremental;
mod pages;
mod progress;
mod report;
mod ui_strings;

use cache::CacheSession;
use files::{check_written, unreadable, write_site_files};
pub(crate) use follow::{files_pending, search_pending, update_files, update_search};
pub(crate) use incremental::{FullRebuild, update};
use pages::{Rendered, render_site, url_map};
use progress::{Progress, timed};
pub use report::BuildReport;
use report::translation_status;
pub(crate) use report::{status_lines, summary};
use ui_strings::site_ui_strings;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding `site.yaml`.
    pub root: PathBuf,
    /// Where to publish; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Show the stage being worked on (for terminals; off in CI).
    pub progress: bool,
    /// The build cache's folder (`build --cache DIR`): per-page work kept
    /// between builds. Only [`build()`] uses it.
    pub cache: Option<PathBuf>,
}

impl BuildOptions {
    /// Options for the site in `root`, with defaults for everything else.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            ..BuildOptions::default()
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Builds the site and publishes it when there is no error. Pages are written
/// into a staging folder as they are rendered; the folder is swapped in only
/// when the whole build succeeded, and removed otherwise.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Vec::new();
    let output_dir = options.output_dir();
    let sink = match Staging::begin(&output_dir) {
        Ok(staging) => Sink::folder(staging),
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            Sink::nowhere()
        }
    };
    let mut session = options.cache.clone().map(CacheSession::new);
    let compiled = compile_with(options, &sink, &mut diagnostics, (false, session.as_mut()));
    let finished = sink.finish();
    let mut report = BuildReport::new(output_dir, compiled.as_ref(), &finished);
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if compiled.is_none() || has_errors {
        finished.abandon();
    } else {
        match timed("publishing", || finished.publish()) {
            Ok(()) => report.published = true,
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if let Some(mut session) = session {
        // Only a published build's work is kept: a failed one leaves the cache as it was.
        if report.published {
            timed("writing the build cache", || session.save());
        }
        report.notes = session.notes;
    }
    report.diagnostics = sorted(diagnostics);
    report.elapsed = started.elapsed();
    report
}

/// Runs every stage and check without writing anything.
pub fn check(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Vec::new();
    let sink = Sink::nowhere();
    let compiled = compile(options, &sink, &mut diagnostics, false);
    let mut report = BuildReport::new(options.output_dir(), compiled.as_ref(), &sink.finish());
    report.diagnostics = sorted(diagnostics);
    report.elapsed = started.elapsed();
    report
}

/// A site rendered, with what the dev server keeps to re-render quickly.
#[derive(Debug)]
pub(crate) struct Compiled {
    /// The loaded site.
    pub site: Site,
    /// Every output file, when the build kept them in memory (`serve`).
    pub output: Output,
    /// Pages rendered per language.
    pub pages_per_language: BTreeMap<String, usize>,
    /// Per language: how many pages are written, derived, fallback, stale.
    pub translation_status: StateCounts,
    /// Rendered Markdown of every version, kept for quick re-renders in `serve`.
    pub bodies: Bodies,
    /// The theme after layering (templates, static files, pictograms).
    pub theme: Theme,
    /// The UI strings.
    pub i18n: Arc<I18n>,
    /// Every page's URL in every language.
    pub urls: Arc<UrlMap>,
    /// List entries and site data, reused while only bodies change.
    pub listings: Listings,
    /// The stale translations, by (page key, language).
    pub stale: BTreeMap<(String, String), Staleness>,
    /// The last commit time of each content file (for staleness), read once.
    pub commits: BTreeMap<String, i64>,
    /// What each rendered file read, by path (`serve` only; empty in a build).
    pub reads: BTreeMap<String, Reads>,
    /// The templates' closures, for `reads`.
    pub graph: TemplateGraph,
    /// Every file of the output with a hash of its bytes and its length.
    pub written: BTreeMap<String, (u64, usize)>,
    /// Every diagnostic of the build, sorted (`serve` only).
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics of loading the content, kept while it does not change.
    pub content_diagnostics: Vec<Diagnostic>,
    /// The diagnostics of the checks of words and numbers.
    pub words: Vec<Diagnostic>,
    /// The pages as built from their files, to reuse those whose files did
    /// not change (`serve` only).
    pub content_cache: content::LoadCache,
    /// The search index's documents and counts (`serve` only).
    pub search: Option<crate::search::KeptIndex>,
    /// The pages whose search documents may differ from those kept in
    /// `search`: the search step after an edit counts them again.
    pub search_keys: std::collections::BTreeSet<String>,
    /// The output paths of the site's files besides pages and the search
    /// index (feeds, sitemap, static and offline files; `serve` only).
    pub site_files: std::collections::BTreeSet<String>,
    /// What writing and checking those files found (clashes, local links).
    pub file_diagnostics: Vec<Diagnostic>,
    /// Every other diagnostic of the build, sorted (`serve` only).
    pub page_diagnostics: Vec<Diagnostic>,
    /// Whether the site's files are still to be written again after an
    /// edit (the dev server does it after the reload).
    pub files_pending: bool,
}

/// Builds the site into memory (for the dev server), recording what each
/// output file reads.
pub(crate) fn compile_in_memory(
    options: &BuildOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    let sink = Sink::memory();
    let compiled = compile(options, &sink, diagnostics, true);
    let finished = sink.finish();
    compiled.map(|compiled| {
        let pages = diagnostics.len() - compiled.file_diagnostics.len();
        Compiled {
            output: finished.output,
            written: finished.written,
            diagnostics: sorted(diagnostics.clone()),
            page_diagnostics: sorted(diagnostics[..pages].to_vec()),
            ..compiled
        }
    })
}

/// What the stages before the content produce.
struct Setup {
    config: Config,
    theme: Theme,
    i18n: Arc<I18n>,
}

/// Reads `site.yaml`, the theme and the UI strings. `None` when a stage
/// could not go on.
fn setup(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Setup> {
    let root = &options.root;
    let mut config = Config::load(root)
        .map_err(|errors| diagnostics.extend(errors))
        .ok()?;
    if let Some(base_url) = &options.base_url {
        config.base_url = if base_url.ends_with('/') {
            base_url.clone()
        } else {
            format!("{base_url}/")
        };
    }
    let theme = Theme::load(root, &config.theme)
        .map_err(|errors| diagnostics.extend(errors))
        .ok()?;
    let mut ui_sources = theme.ui_strings.clone();
    ui_sources.extend(site_ui_strings(root, &config, diagnostics));
    let i18n = Arc::new(I18n::load(&config, &ui_sources, diagnostics));
    diagnostics.extend(i18n.check());
    Some(Setup {
        config,
        theme,
        i18n,
    })
}

/// Loads the content and reports missing translations; `failed` files
/// (with an error) are not counted as missing.
fn load_content(
    options: &BuildOptions,
    config: Config,
    diagnostics: &mut Vec<Diagnostic>,
    cache: Option<&mut content::LoadCache>,
) -> Site {
    let drafts = options.drafts;
    let load = LoadOptions { drafts };
    let site = content::load_cached(&options.root, config, load, diagnostics, cache);
    let failed = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.clone())
        .collect();
    crate::check::missing_translations(&site, &failed, diagnostics);
    site
}

/// What the stages before rendering produce.
struct Loaded {
    site: Site,
    /// The pages as built, when recording.
    content_cache: content::LoadCache,
    theme: Theme,
    i18n: Arc<I18n>,
    /// The diagnostics of loading the content.
    content_diagnostics: Vec<Diagnostic>,
}

/// Reads `site.yaml`, the theme, the UI strings and the content. `None` when
/// a stage could not go on.
fn load(
    options: &BuildOptions,
    progress: &Progress,
    diagnostics: &mut Vec<Diagnostic>,
    record: bool,
) -> Option<Loaded> {
    progress.show("reading site.yaml, the theme and UI strings");
    let Setup {
        config,
        theme,
        i18n,
    } = setup(options, diagnostics)?;
    progress.show("loading content");
    let before = diagnostics.len();
    let mut content_cache = content::LoadCache::default();
    let cache = record.then_some(&mut content_cache);
    let site = load_content(options, config, diagnostics, cache);
    let content_diagnostics = diagnostics[before..].to_vec();
    Some(Loaded {
        site,
        content_cache,
        theme,
        i18n,
        content_diagnostics,
    })
}

/// Loads, checks and renders the site, putting every output file into
/// `sink` as soon as it is made; with `record`, records what each output
/// file reads. `None` when a stage could not go on.
pub(crate) fn compile(
    options: &BuildOptions,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
    record: bool,
) -> Option<Compiled> {
    compile_with(options, sink, diagnostics, (record, None))
}

/// [`compile`], and with a cache: the session opens it once the
/// configuration and theme are known, and its tables stand in for the work
/// of unchanged pages.
fn compile_with(
    options: &BuildOptions,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
    (record, session): (bool, Option<&mut CacheSession>),
) -> Option<Compiled> {
    let root = &options.root;
    let progress = Progress::new(options.progress);
    let Loaded {
        site,
        content_cache,
        theme,
        i18n,
        content_diagnostics,
    } = load(options, &progress, diagnostics, record)?;
    let cache = session.and_then(|session| {
        timed("reading the build cache", || {
            session.open(&site, &theme, options.drafts)
        });
        session.cache.as_ref()
    });
    let urls = Arc::new(url_map(&site));
    progress.show("rendering Markdown");
    let bodies = cache::bodies(&site, &urls, cache);
    progress.show("checking links");
    crate::check::links(&site, &bodies, diagnostics);
    progress.show("finding stale translations");
    let commits = crate::check::stale::last_commits(root);
    let stale = crate::check::stale::find_among(&site, &commits, &|_| true);
    crate::check::stale::report(&site, &stale, diagnostics);
    // The checks of words and numbers only report: they run beside templates,
    // pages and the search index, so both cores stay busy through the
    // stages' serial parts.
    progress.show("rendering pages, the search index and the checks of words and numbers");
    let (words, rendered) = rayon::join(
        || {
            timed("  of which checking words and numbers", || {
                cache::words(&site, cache)
            })
        },
        || {
            let mode = (record, cache);
            render_site(&site, &theme, &i18n, &urls, &bodies, &stale, sink, mode)
        },
    );
    diagnostics.extend(words.iter().cloned());
    let Rendered {
        tera,
        listings,
        pages_per_language,
        diagnostics: found,
        reads,
        graph,
        search,
    } = rendered;
    diagnostics.extend(found);
    progress.show("feeds, sitemap and files");
    let before_files = diagnostics.len();
    let site_files = site_files(root, &site, &bodies, sink, diagnostics, record);
    let file_diagnostics = diagnostics[before_files..].to_vec();
    // Without templates there is nothing to serve or re-render.
    tera?;
    progress.done();
    let translation_status = translation_status(&site, &stale);
    Some(Compiled {
        site,
        output: Output::default(),
        pages_per_language,
        translation_status,
        bodies,
        theme,
        i18n,
        urls,
        listings,
        stale,
        commits,
        reads,
        graph,
        written: BTreeMap::new(),
        diagnostics: Vec::new(),
        content_diagnostics,
        words,
        content_cache,
        search,
        search_keys: Default::default(),
        site_files,
        file_diagnostics,
        page_diagnostics: Vec::new(),
        files_pending: false,
    })
}

/// Writes the feeds, sitemap, static and offline files into `sink` and
/// checks clashes and local links against the whole output. With `record`,
/// returns the paths of those files: the dev server writes and checks them
/// again after an edit's reload.
fn site_files(
    root: &std::path::Path,
    site: &Site,
    bodies: &Bodies,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
    record: bool,
) -> std::collections::BTreeSet<String> {
    let earlier: std::collections::BTreeSet<String> = if record {
        sink.written().into_keys().collect()
    } else {
        Default::default()
    };
    write_site_files(root, site, sink, diagnostics);
    let unread = unreadable(diagnostics.iter());
    check_written(site, bodies, sink, unread, diagnostics);
    if record {
        let written = sink.written().into_keys();
        written.filter(|p| !earlier.contains(p)).collect()
    } else {
        Default::default()
    }
}

/// `check --stamp [FILE…]`: records in translations the hash of their source
/// text (see [`crate::check::stale::stamp`]); `files` are relative to the root.
pub(crate) fn stamp(
    options: &BuildOptions,
    files: &[String],
) -> Result<crate::check::stale::Stamped, crate::check::stale::StampError> {
    use crate::check::stale::StampError;
    let config = Config::load(&options.root).map_err(StampError::Content)?;
    let mut diagnostics = Vec::new();
    let site = content::load(
        &options.root,
        config,
        LoadOptions { drafts: true },
        &mut diagnostics,
    );
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(StampError::Content(diagnostics));
    }
    crate::check::stale::stamp(&site, &options.root, files)
}
