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

use crate::config::Config;
use crate::content::{self, LoadOptions, Site, Status};
use crate::diagnostics::{Diagnostic, Position, Severity, display_path, sorted};
use crate::i18n::{I18n, UiSource};
use crate::markdown::{self, LinkResolver};
use crate::output::{self, Output};
use crate::render::{self, Bodies, FunctionData, Listings, OutputPage, Renderer, UrlMap};
use crate::theme::Theme;

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

/// Builds the site and publishes it when there is no error.
pub fn build(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Vec::new();
    let compiled = compile(options, &mut diagnostics);
    let output_dir = options.output_dir();
    let mut report = BuildReport {
        diagnostics: Vec::new(),
        pages_per_language: BTreeMap::new(),
        translation_status: BTreeMap::new(),
        files: 0,
        published: false,
        output_dir: output_dir.clone(),
        elapsed: Duration::ZERO,
    };
    if let Some(compiled) = compiled {
        report.pages_per_language = compiled.pages_per_language;
        report.translation_status = compiled.translation_status;
        report.files = compiled.output.files.len();
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        if !has_errors {
            let writing = Instant::now();
            let published = compiled.output.publish(&output_dir);
            if std::env::var_os("SIGNPOST_TIMINGS").is_some_and(|v| v != "0") {
                eprintln!(
                    "timing: {:>8.1} ms  writing {} files",
                    writing.elapsed().as_secs_f64() * 1000.0,
                    report.files
                );
            }
            match published {
                Ok(()) => report.published = true,
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
    }
    report.diagnostics = sorted(diagnostics);
    report.elapsed = started.elapsed();
    report
}

/// Runs every stage and check without writing anything.
pub fn check(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut diagnostics = Vec::new();
    let compiled = compile(options, &mut diagnostics);
    BuildReport {
        diagnostics: sorted(diagnostics),
        pages_per_language: compiled
            .as_ref()
            .map(|c| c.pages_per_language.clone())
            .unwrap_or_default(),
        translation_status: compiled
            .as_ref()
            .map(|c| c.translation_status.clone())
            .unwrap_or_default(),
        files: compiled.map_or(0, |c| c.output.files.len()),
        published: false,
        output_dir: options.output_dir(),
        elapsed: started.elapsed(),
    }
}

/// A site rendered in memory.
#[derive(Debug)]
pub struct Compiled {
    /// The loaded site.
    pub site: Site,
    /// Every output file.
    pub output: Output,
    /// Pages rendered per language.
    pub pages_per_language: BTreeMap<String, usize>,
    /// Per language: how many pages are written, derived, fallback, stale.
    pub translation_status: BTreeMap<String, BTreeMap<String, usize>>,
    /// Rendered Markdown of every version, kept for quick re-renders in `serve`.
    pub bodies: Bodies,
    /// The loaded templates.
    pub tera: tera::Tera,
    /// UI strings and formatters.
    pub i18n: Arc<I18n>,
    /// Every page's URL in every language.
    pub urls: Arc<UrlMap>,
    /// List entries and site data, reused while only bodies change.
    pub listings: Listings,
}

/// Loads, checks and renders the site into memory. `None` when a stage could not go on.
pub fn compile(options: &BuildOptions, diagnostics: &mut Vec<Diagnostic>) -> Option<Compiled> {
    let root = &options.root;
    let progress = Progress::new(options.progress);
    progress.show("reading site.yaml, the theme and UI strings");
    let mut config = match Config::load(root) {
        Ok(config) => config,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    if let Some(base_url) = &options.base_url {
        config.base_url = if base_url.ends_with('/') {
            base_url.clone()
        } else {
            format!("{base_url}/")
        };
    }
    let theme = match Theme::load(root, &config.theme) {
        Ok(theme) => theme,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    let mut ui_sources = theme.ui_strings.clone();
    ui_sources.extend(site_ui_strings(root, &config, diagnostics));
    let i18n = Arc::new(I18n::load(&config, &ui_sources, diagnostics));
    diagnostics.extend(i18n.check());

    progress.show("loading content");
    let site = content::load(
        root,
        config,
        LoadOptions {
            drafts: options.drafts,
        },
        diagnostics,
    );
    crate::check::missing_translations(&site, diagnostics);

    let urls: UrlMap = site
        .pages
        .iter()
        .map(|(key, page)| {
            (
                key.clone(),
                page.versions
                    .iter()
                    .map(|(lang, v)| (lang.clone(), v.url.clone()))
                    .collect(),
            )
        })
        .collect();
    progress.show("rendering Markdown");
    let bodies = render_bodies(&site, &urls);
    progress.show("checking links");
    crate::check::links(&site, &bodies, diagnostics);
    progress.show("checking words and numbers");
    crate::check::words(&site, diagnostics);
    progress.show("finding stale translations");
    let stale = crate::check::stale::find(&site, root);
    crate::check::stale::report(&site, &stale, diagnostics);

    progress.show("loading templates");
    let assets = output::fingerprint(&theme.static_files);
    let urls = Arc::new(urls);
    let data = FunctionData {
        i18n: i18n.clone(),
        urls: urls.clone(),
        assets: Arc::new(assets.paths),
        pictograms: Arc::new(theme.pictograms.clone()),
    };
    let tera = match render::load_templates(&theme, &data) {
        Ok(tera) => tera,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    progress.show("rendering templates");
    let listings = Listings::new(&site, &i18n, theme.settings.community_colours);
    diagnostics.extend(crate::render::notes::colour_collisions(
        &site,
        theme.settings.community_colours,
    ));
    let mut renderer = Renderer::new(&site, &tera, &bodies, &listings);
    renderer.set_stale(stale.keys().cloned().collect());
    let (pages, errors) = renderer.render_all();
    diagnostics.extend(errors);

    let mut output = Output::default();
    for (path, bytes) in assets.files {
        output.add(path, bytes);
    }
    progress.show(&format!("minifying {} pages", pages.len()));
    let mut pages_per_language: BTreeMap<String, usize> = BTreeMap::new();
    let prefixes: BTreeMap<String, String> = site
        .config
        .languages
        .iter()
        .map(|l| (format!("{}/", l.prefix), l.code.clone()))
        .collect();
    report_generated_clashes(&pages, diagnostics);
    let minified: Vec<(String, Vec<u8>)> = pages
        .par_iter()
        .map(|p| (p.path.clone(), output::minify_html(&p.html)))
        .collect();
    for (path, bytes) in minified {
        if let Some(code) = prefixes
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map(|(_, c)| c)
        {
            *pages_per_language.entry(code.clone()).or_default() += 1;
        }
        output.add(path, bytes);
    }
    for language in &site.config.languages {
        let title = site
            .config
            .title
            .get(&language.code)
            .cloned()
            .unwrap_or_default();
        output.add(
            format!("{}/feed.xml", language.prefix),
            output::feeds::atom(&site, &language.code, &title),
        );
    }
    progress.show("writing the search index");
    crate::search::write_indexes(&site, &bodies, &mut output);
    progress.show("sitemap and files");
    output.add("sitemap.xml", output::feeds::sitemap(&site));
    output.add("robots.txt", output::robots(&site.config.base_url));
    copy_page_assets(&site, &mut output, diagnostics);
    copy_static(root, &site, &mut output, diagnostics);
    output::offline::add_offline_files(&mut output, &site.config);
    progress.done();
    let translation_status = translation_status(&site, &stale);
    Some(Compiled {
        site,
        output,
        pages_per_language,
        translation_status,
        bodies,
        tera,
        i18n,
        urls,
        listings,
    })
}

/// Reports pages written to one path where at least one is generated (an
/// alias, a scenario or search page…). Two content pages claiming one URL are
/// reported by `content`, at their files. `pages` is sorted by path, so
/// clashes are neighbours.
fn report_generated_clashes(pages: &[OutputPage], diagnostics: &mut Vec<Diagnostic>) {
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

/// The quick path of `serve`: after an edit to existing Markdown files that
/// changed only text no other page shows, reloads those pages, re-renders them
/// in every language and returns the output files to replace. `None` means a
/// full rebuild is needed (new or deleted files, templates, titles, errors…).
pub fn update_pages(
    options: &BuildOptions,
    compiled: &mut Compiled,
    changed: &[PathBuf],
) -> Option<Vec<(String, Vec<u8>)>> {
    let progress = Progress::new(false);
    progress.show("quick: finding the pages");
    let root = &options.root;
    // The watcher reports absolute paths; the site may have been given as `.`.
    let absolute_root = std::fs::canonicalize(root).ok()?;
    let mut keys = std::collections::BTreeSet::new();
    for path in changed {
        if path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let file = display_path(&absolute_root, &std::fs::canonicalize(path).ok()?);
        let page = compiled.site.pages.values().find(|p| {
            p.versions
                .values()
                .any(|v| v.status == Status::Written && v.file == file)
        })?;
        keys.insert(page.key.clone());
    }
    progress.show("quick: reloading");
    for key in &keys {
        match content::reload_page(
            root,
            &compiled.site,
            key,
            LoadOptions {
                drafts: options.drafts,
            },
        ) {
            content::Reloaded::BodiesOnly(page) => {
                compiled.site.pages.insert(key.clone(), *page);
            }
            content::Reloaded::Everything => return None,
        }
    }
    progress.show("quick: Markdown");
    let resolver = Resolver(&compiled.urls);
    for key in &keys {
        for version in compiled.site.pages[key].versions.values() {
            let body = markdown::render(&version.body, &version.lang, &resolver);
            if !body.broken.is_empty() {
                return None;
            }
            compiled
                .bodies
                .insert((key.clone(), version.lang.clone()), body);
        }
    }
    progress.show("quick: links");
    let mut problems = Vec::new();
    crate::check::links_of(
        &compiled.site,
        &compiled.bodies,
        keys.iter().map(String::as_str),
        &mut problems,
    );
    if !problems.is_empty() {
        return None;
    }
    progress.show("quick: renderer");
    let renderer = Renderer::new(
        &compiled.site,
        &compiled.tera,
        &compiled.bodies,
        &compiled.listings,
    );
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    progress.show("quick: templates");
    let (pages, errors) = renderer.render_pages(&keys);
    progress.done();
    if !errors.is_empty() {
        return None;
    }
    Some(
        pages
            .par_iter()
            .map(|p| (p.path.clone(), output::minify_html(&p.html)))
            .collect(),
    )
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
        let timings = std::env::var_os("SIGNPOST_TIMINGS").is_some_and(|v| v != "0");
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

/// Records in every translation the hash of its source text (`check --stamp`).
pub fn stamp(options: &BuildOptions) -> Result<Vec<String>, Vec<Diagnostic>> {
    let config = Config::load(&options.root)?;
    let mut diagnostics = Vec::new();
    let site = content::load(
        &options.root,
        config,
        LoadOptions { drafts: true },
        &mut diagnostics,
    );
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(diagnostics);
    }
    crate::check::stale::stamp(&site, &options.root).map_err(|message| {
        vec![Diagnostic::error(
            "content",
            Position::FILE,
            "translation/stamp",
            message,
        )]
    })
}

/// The site's own `i18n/<code>.yaml` files.
fn site_ui_strings(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<UiSource> {
    let dir = root.join("i18n");
    let mut sources = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return sources;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
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
fn copy_page_assets(site: &Site, output: &mut Output, diagnostics: &mut Vec<Diagnostic>) {
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
                output.add(
                    format!("{}{relative}", version.url.trim_start_matches('/')),
                    bytes.clone(),
                );
            }
        }
    }
}

/// Copies `content/` files that are not pages, and the site's `static/` folder, as they are.
fn copy_static(root: &Path, site: &Site, output: &mut Output, diagnostics: &mut Vec<Diagnostic>) {
    for (path, relative) in &site.content_files {
        match std::fs::read(path) {
            Ok(bytes) => output.add(relative.clone(), bytes),
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
    for entry in WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if crate::theme::is_hidden(entry.path()) {
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
            Ok(bytes) => output.add(display_path(&dir, entry.path()), bytes),
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
    stale: &BTreeMap<(String, String), crate::check::stale::Staleness>,
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
