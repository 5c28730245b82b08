//! Build: the whole pipeline, from `site.yaml` to a published folder.
//!
//! Steps: config → theme → UI strings → content → Markdown (in parallel) →
//! site checks → templates → pages (in parallel) → feeds, sitemap, assets →
//! publish. Every stage adds to one list of diagnostics; the output is
//! published only when there is no error, so a failed build leaves the last
//! good output untouched. [`check`] runs the same stages and writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::check::stale::Staleness;
use crate::config::Config;
use crate::content::{self, LoadOptions, Site, Status};
use crate::diagnostics::{Diagnostic, Position, Severity, display_path, sorted};
use crate::i18n::{I18n, UiSource};
use crate::markdown::{self, LinkResolver};
use crate::output::{self, Finished, Output, Sink, Staging};
use crate::render::{
    self, Bodies, FunctionData, Listings, OutputPage, PageRecord, Renderer, UrlMap,
};
use crate::theme::{TemplateSource, Theme};

mod quick;

pub use quick::{Updated, update_pages};

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

/// What a build or check found and did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered per language (empty when the build stopped early).
    pub pages_per_language: BTreeMap<String, usize>,
    /// Per language: how many pages are written, derived, fallback, stale.
    pub translation_status: BTreeMap<String, BTreeMap<String, usize>>,
    /// Files in the output.
    pub files: usize,
    /// Whether the output folder was replaced.
    pub published: bool,
    /// Where the output is (or would have been) published.
    pub output_dir: PathBuf,
    /// Wall time of the run.
    pub elapsed: Duration,
}

impl BuildReport {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
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
    let compiled = compile(options, &sink, &mut diagnostics);
    let finished = sink.finish();
    let mut report = BuildReport::new(output_dir, compiled.as_ref(), &finished);
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if compiled.is_none() || has_errors {
        finished.abandon();
    } else {
        let writing = Instant::now();
        match finished.publish() {
            Ok(()) => report.published = true,
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
        timing("publishing", writing);
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
    let compiled = compile(options, &sink, &mut diagnostics);
    let mut report = BuildReport::new(options.output_dir(), compiled.as_ref(), &sink.finish());
    report.diagnostics = sorted(diagnostics);
    report.elapsed = started.elapsed();
    report
}

impl BuildReport {
    fn new(output_dir: PathBuf, compiled: Option<&Compiled>, finished: &Finished) -> Self {
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
        }
    }
}

/// Whether `SIGNPOST_TIMINGS` asks for stage timings.
fn timings_on() -> bool {
    std::env::var_os("SIGNPOST_TIMINGS").is_some_and(|v| v != "0")
}

/// Prints how long a stage took, with `SIGNPOST_TIMINGS=1`.
fn timing(stage: &str, started: Instant) {
    if timings_on() {
        eprintln!(
            "timing: {:>8.1} ms  {stage}",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Runs `work`, printing how long it took with `SIGNPOST_TIMINGS=1`.
fn timed<T>(stage: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    timing(stage, started);
    result
}

/// A site rendered, with what the dev server keeps to re-render quickly.
#[derive(Debug)]
pub struct Compiled {
    /// The loaded site.
    pub site: Site,
    /// Every output file, when the build kept them in memory (`serve`).
    pub output: Output,
    /// Pages rendered per language.
    pub pages_per_language: BTreeMap<String, usize>,
    /// Per language: how many pages are written, derived, fallback, stale.
    pub translation_status: BTreeMap<String, BTreeMap<String, usize>>,
    /// Rendered Markdown of every version, kept for quick re-renders in `serve`.
    pub bodies: Bodies,
    /// The loaded templates.
    pub tera: tera::Tera,
    /// Where each template was read from, to name it in errors.
    pub templates: BTreeMap<String, TemplateSource>,
    /// UI strings and formatters.
    pub i18n: Arc<I18n>,
    /// Every page's URL in every language.
    pub urls: Arc<UrlMap>,
    /// List entries and site data, reused while only bodies change.
    pub listings: Listings,
    /// The stale translations, by (page key, language).
    pub stale: BTreeMap<(String, String), Staleness>,
    /// The last commit time of each content file (for staleness), read once.
    pub commits: BTreeMap<String, i64>,
    /// The warnings of the build, kept up to date by the quick path of `serve`.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site into memory (for the dev server).
pub fn compile_in_memory(
    options: &BuildOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    let sink = Sink::memory();
    let compiled = compile(options, &sink, diagnostics);
    let output = sink.finish().output;
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    compiled.map(|compiled| Compiled {
        output,
        warnings,
        ..compiled
    })
}

/// What the stages before rendering produce.
struct Loaded {
    site: Site,
    theme: Theme,
    i18n: Arc<I18n>,
}

/// Reads `site.yaml`, the theme, the UI strings and the content. `None` when
/// a stage could not go on.
fn load(
    options: &BuildOptions,
    progress: &Progress,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Loaded> {
    let root = &options.root;
    progress.show("reading site.yaml, the theme and UI strings");
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
    progress.show("loading content");
    let drafts = options.drafts;
    let site = content::load(root, config, LoadOptions { drafts }, diagnostics);
    let failed = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.clone())
        .collect();
    crate::check::missing_translations(&site, &failed, diagnostics);
    Some(Loaded { site, theme, i18n })
}

/// Loads, checks and renders the site, putting every output file into
/// `sink` as soon as it is made. `None` when a stage could not go on.
pub fn compile(
    options: &BuildOptions,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Compiled> {
    let root = &options.root;
    let progress = Progress::new(options.progress);
    let Loaded { site, theme, i18n } = load(options, &progress, diagnostics)?;
    let urls = Arc::new(url_map(&site));
    progress.show("rendering Markdown");
    let bodies = render_bodies(&site, &urls);
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
                let mut found = Vec::new();
                crate::check::words(&site, &mut found);
                found
            })
        },
        || render_site(&site, &theme, &i18n, &urls, &bodies, &stale, sink),
    );
    diagnostics.extend(words);
    let Rendered {
        tera,
        listings,
        pages_per_language,
        diagnostics: found,
    } = rendered;
    diagnostics.extend(found);
    progress.show("feeds, sitemap and files");
    write_site_files(root, &site, sink, diagnostics);
    // The pages the templates would write, known from the content alone:
    // clashes and links are found even when a template is broken.
    let planned = render::planned_pages(&site);
    report_generated_clashes(&planned, diagnostics);
    // A file or folder that could not be read is missing from what the build
    // writes: links to it are not reported again.
    let unread = diagnostics.iter().any(|d| d.code.ends_with("/unreadable"));
    if !unread {
        // Site paths, relative links and images, against every file the build writes.
        let mut files = sink.written();
        for page in planned {
            files.entry(page.path).or_default();
        }
        let scope = crate::check::Scope::All;
        crate::check::links::local_links(&site, &bodies, &files, scope, diagnostics);
    }
    // Without templates there is nothing to serve or re-render.
    let tera = tera?;
    progress.done();
    let translation_status = translation_status(&site, &stale);
    Some(Compiled {
        site,
        output: Output::default(),
        pages_per_language,
        translation_status,
        bodies,
        tera,
        templates: theme.templates,
        i18n,
        urls,
        listings,
        stale,
        commits,
        warnings: Vec::new(),
    })
}

/// What [`render_site`] made besides the files it put into the sink.
struct Rendered {
    /// The templates; `None` when they could not be loaded (their errors are
    /// in `diagnostics`, and no page was rendered).
    tera: Option<tera::Tera>,
    listings: Listings,
    pages_per_language: BTreeMap<String, usize>,
    diagnostics: Vec<Diagnostic>,
}

/// Loads the templates, then renders every page and builds the search index
/// side by side, putting their files into `sink`. When the templates cannot
/// be loaded, their errors are reported and no page is rendered, but the
/// theme's files and the search index still go into the sink, so links to
/// them are checked as in a good build.
fn render_site(
    site: &Site,
    theme: &Theme,
    i18n: &Arc<I18n>,
    urls: &Arc<UrlMap>,
    bodies: &Bodies,
    stale: &BTreeMap<(String, String), Staleness>,
    sink: &Sink,
) -> Rendered {
    let mut diagnostics = Vec::new();
    let assets = output::fingerprint(&theme.static_files);
    let data = FunctionData {
        i18n: i18n.clone(),
        urls: urls.clone(),
        assets: Arc::new(assets.paths),
        pictograms: Arc::new(theme.pictograms.clone()),
    };
    let tera = render::load_templates(theme, &data);
    for (path, bytes) in assets.files {
        sink.put(path, bytes);
    }
    let listings = Listings::new(site, i18n, theme.settings.community_colours);
    diagnostics.extend(crate::render::notes::colour_collisions(
        site,
        theme.settings.community_colours,
    ));
    let index = || {
        timed("  of which building the search index", || {
            let put = |path, bytes: Vec<u8>| sink.put(path, bytes);
            crate::search::write_indexes(site, bodies, &put)
        })
    };
    let mut pages_per_language = BTreeMap::new();
    let (tera, index) = match tera {
        Ok(tera) => {
            let mut renderer = Renderer::new(site, &tera, bodies, &listings);
            renderer.set_stale(stale.keys().cloned().collect());
            renderer.set_template_files(&theme.templates);
            let emit = |page: OutputPage| sink.put(page.path, output::minify_html(&page.html));
            let ((pages, errors), index) = rayon::join(
                || {
                    timed("  of which rendering and writing pages", || {
                        renderer.render_all(&emit)
                    })
                },
                index,
            );
            diagnostics.extend(errors);
            pages_per_language = count_per_language(site, &pages);
            drop(renderer);
            (Some(tera), index)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            (None, index())
        }
    };
    if let Err(error) = index {
        diagnostics.push(error);
    }
    Rendered {
        tera,
        listings,
        pages_per_language,
        diagnostics,
    }
}

/// Every page's URL in every language.
fn url_map(site: &Site) -> UrlMap {
    site.pages
        .iter()
        .map(|(key, page)| {
            let urls = page.versions.iter();
            let urls = urls.map(|(lang, v)| (lang.clone(), v.url.clone()));
            (key.clone(), urls.collect())
        })
        .collect()
}

/// Pages written per language, by the language folder of their path.
fn count_per_language(site: &Site, pages: &[PageRecord]) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages {
        let folder = page.path.split('/').next().unwrap_or_default();
        if let Some(language) = site.config.languages.iter().find(|l| l.prefix == folder) {
            *counts.entry(language.code.clone()).or_default() += 1;
        }
    }
    counts
}

/// Feeds, sitemap, robots.txt, bundle files, static files and the offline lists.
fn write_site_files(root: &Path, site: &Site, sink: &Sink, diagnostics: &mut Vec<Diagnostic>) {
    for language in &site.config.languages {
        let title = site.config.title.get(&language.code);
        let title = title.cloned().unwrap_or_default();
        sink.put(
            format!("{}/feed.xml", language.prefix),
            output::feeds::atom(site, &language.code, &title),
        );
    }
    sink.put("sitemap.xml".to_string(), output::feeds::sitemap(site));
    sink.put(
        "robots.txt".to_string(),
        output::robots(&site.config.base_url),
    );
    copy_page_assets(site, sink, diagnostics);
    copy_static(root, site, sink, diagnostics);
    if let Err(error) = output::offline::add_offline_files(sink, &site.config) {
        diagnostics.push(error);
    }
}

/// Reports pages written to one path where at least one is generated (an
/// alias, a scenario or search page…). Two content pages claiming one URL are
/// reported by `content`, at their files. `pages` is sorted by path, so
/// clashes are neighbours.
fn report_generated_clashes(pages: &[PageRecord], diagnostics: &mut Vec<Diagnostic>) {
    for pair in pages.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.path != b.path || (a.source.is_some() && b.source.is_some()) {
            continue;
        }
        let file = a
            .source
            .as_deref()
            .or(b.source.as_deref())
            .unwrap_or("content");
        diagnostics.push(
            Diagnostic::error(file, Position::FILE, "content/duplicate-url", format!("two pages would be written to /{}", a.path))
                .with_hint("an alias or a section name clashes with another page or a generated page (scenarios, search, feed)"),
        );
    }
}

/// One status line on stderr, rewritten in place; silent when off. With
/// `SIGNPOST_TIMINGS=1` it also prints how long each stage took.
struct Progress {
    shown: bool,
    timings: bool,
    stage: std::cell::RefCell<Option<(String, Instant)>>,
}

impl Progress {
    fn new(shown: bool) -> Self {
        let timings = timings_on();
        Progress {
            shown,
            timings,
            stage: std::cell::RefCell::new(None),
        }
    }

    fn show(&self, stage: &str) {
        self.finish_stage();
        if self.shown {
            eprint!("\r\x1b[2K{stage}…");
        }
        *self.stage.borrow_mut() = Some((stage.to_string(), Instant::now()));
    }

    fn finish_stage(&self) {
        if let Some((name, started)) = self.stage.borrow_mut().take()
            && self.timings
        {
            eprintln!(
                "timing: {:>8.1} ms  {name}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }

    fn done(&self) {
        self.finish_stage();
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

/// `check --stamp [FILE…]`: records in translations the hash of their source
/// text (see [`crate::check::stale::stamp`]); `files` are relative to the root.
pub fn stamp(
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

/// The site's own `i18n/<code>.yaml` files.
fn site_ui_strings(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<UiSource> {
    let dir = root.join("i18n");
    let mut sources = Vec::new();
    let unreadable = |error: std::io::Error| {
        Diagnostic::error(
            "i18n",
            Position::FILE,
            "i18n/unreadable",
            format!("cannot read the folder: {error}"),
        )
        .with_hint("check its permissions: the site's UI strings would be missing")
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return sources,
        Err(error) => {
            diagnostics.push(unreadable(error));
            return sources;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(error) => diagnostics.push(unreadable(error)),
        }
    }
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(code) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            continue;
        };
        let display = display_path(root, &path);
        if !config.has_language(code) {
            diagnostics.push(
                Diagnostic::error(
                    &display,
                    Position::FILE,
                    "i18n/unknown-language",
                    format!("`{code}` is not one of the site's languages"),
                )
                .with_hint(
                    "name UI string files after a code in `languages`, e.g. i18n/zh-Hans.yaml",
                ),
            );
            continue;
        }
        match crate::source::read_text(&path, &display, "i18n") {
            Ok(text) => sources.push(UiSource {
                lang: code.to_string(),
                file: display,
                text,
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    sources
}

struct Resolver<'a>(&'a UrlMap);

impl LinkResolver for Resolver<'_> {
    fn url(&self, key: &str, lang: &str) -> Option<String> {
        self.0.get(key)?.get(lang).cloned()
    }
}

/// Renders every version's Markdown in parallel.
fn render_bodies(site: &Site, urls: &UrlMap) -> Bodies {
    let resolver = Resolver(urls);
    let jobs: Vec<(&str, &str, &str)> = site
        .pages
        .values()
        .flat_map(|page| {
            page.versions
                .values()
                .map(move |v| (page.key.as_str(), v.lang.as_str(), v.body.as_str()))
        })
        .collect();
    jobs.par_iter()
        .map(|(key, lang, body)| {
            (
                ((*key).to_string(), (*lang).to_string()),
                markdown::render(body, lang, &resolver),
            )
        })
        .collect()
}

/// Copies each bundle's co-located files beside the page, in every language.
fn copy_page_assets(site: &Site, output: &Sink, diagnostics: &mut Vec<Diagnostic>) {
    for page in site.pages.values().filter(|p| !p.assets.is_empty()) {
        for (path, relative) in &page.assets {
            let bytes = match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(error) => {
                    diagnostics.push(Diagnostic::error(
                        path.display().to_string(),
                        Position::FILE,
                        "content/unreadable",
                        format!("cannot read: {error}"),
                    ));
                    continue;
                }
            };
            for version in page.versions.values() {
                output.put(
                    format!("{}{relative}", version.url.trim_start_matches('/')),
                    bytes.clone(),
                );
            }
        }
    }
}

/// Copies `content/` files that are not pages, and the site's `static/` folder, as they are.
fn copy_static(root: &Path, site: &Site, output: &Sink, diagnostics: &mut Vec<Diagnostic>) {
    for (path, relative) in &site.content_files {
        match std::fs::read(path) {
            Ok(bytes) => output.put(relative.clone(), bytes),
            Err(error) => diagnostics.push(Diagnostic::error(
                display_path(root, path),
                Position::FILE,
                "content/unreadable",
                format!("cannot read: {error}"),
            )),
        }
    }
    let dir = root.join("static");
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let file = error
                    .path()
                    .map_or_else(|| "static".to_string(), |p| display_path(root, p));
                let message = format!("cannot read: {}", crate::content::plain_io_error(&error));
                diagnostics.push(
                    Diagnostic::error(file, Position::FILE, "static/unreadable", message)
                        .with_hint(
                            "check the permissions: what cannot be read is missing from the site",
                        ),
                );
                continue;
            }
        };
        if crate::source::is_hidden(entry.path()) {
            continue;
        }
        if entry.file_type().is_symlink() && !link_stays_inside(root, entry.path()) {
            diagnostics.push(
                Diagnostic::error(
                    display_path(root, entry.path()),
                    Position::FILE,
                    "static/symlink",
                    "this link leads outside the site, to a folder or nowhere; it is not followed",
                )
                .with_hint("copy the file into static/ instead of linking to it"),
            );
            continue;
        }
        if !entry.path().is_file() {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => output.put(display_path(&dir, entry.path()), bytes),
            Err(error) => diagnostics.push(Diagnostic::error(
                display_path(root, entry.path()),
                Position::FILE,
                "static/unreadable",
                format!("cannot read: {error}"),
            )),
        }
    }
}

/// Whether the symlink at `path` leads to a file inside the site's folder.
fn link_stays_inside(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(target)) => target.starts_with(root) && target.is_file(),
        _ => false,
    }
}

/// Counts, per language, the pages that are written, derived, fallback and stale.
fn translation_status(
    site: &Site,
    stale: &BTreeMap<(String, String), Staleness>,
) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for page in site.pages.values().filter(|p| !p.implicit) {
        for version in page.versions.values() {
            let state = if stale.contains_key(&(page.key.clone(), version.lang.clone())) {
                "stale"
            } else {
                match version.status {
                    Status::Written => "written",
                    Status::Derived => "derived",
                    Status::Fallback => "fallback",
                }
            };
            *counts
                .entry(version.lang.clone())
                .or_default()
                .entry(state.to_string())
                .or_default() += 1;
        }
    }
    counts
}

/// The translation status as lines of text, one per language.
pub fn status_lines(report: &BuildReport) -> Vec<String> {
    report
        .translation_status
        .iter()
        .map(|(lang, counts)| {
            let parts: Vec<String> = ["written", "derived", "fallback", "stale"]
                .iter()
                .filter_map(|state| counts.get(*state).map(|n| format!("{n} {state}")))
                .collect();
            format!("  {lang:<8} {}", parts.join(", "))
        })
        .collect()
}

/// A one-line summary of a build: pages per language and time.
pub fn summary(report: &BuildReport) -> String {
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
