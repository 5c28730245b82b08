//! The incremental path of `serve`: after an edit, re-render exactly the
//! output files whose recorded reads changed, and recompute the rest of the
//! site's state so that it equals a fresh build's, byte for byte and
//! diagnostic for diagnostic.
//!
//! In: the last good build ([`Compiled`], with what each file read) and the
//! files that changed. Out: the files to put and to remove, and the build
//! after the edit; or a [`FullRebuild`] saying why the change needs one.
//!
//! Steps: read `site.yaml`, the theme and the UI strings again and compare
//! them with the last build's (site.yaml, the theme's static files or the set
//! of templates changed: full rebuild); reload the content when a file of
//! `content/` changed and compare page by page; render again the Markdown of
//! the changed pages and of those that link to a page whose URL changed; run
//! the site's checks (the words and numbers of the changed pages only); keep
//! the listings when no changed page's list entry differs, else bring them up
//! to date for the changed pages ([`Listings::update`]) or, when a community
//! page or a section's UI string changed, build and compare them whole
//! ([`crate::render::changed_parts`]); render the files whose reads meet a
//! change (a changed part, UI string, page URL or template) and every new
//! file. The feeds, sitemap, static and offline files with their checks, and
//! the search index, follow after the reload ([`super::update_files`],
//! [`super::update_search`]). An error anywhere goes to the full rebuild,
//! which reports it as `build` would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::compare::{changed_pages, differing_keys, merge, status_row};
use super::describe::describe;
use super::pages::{Resolver, count_per_language, load_templates, url_map};
use super::progress::timed;
use super::{BuildOptions, Compiled, Setup, load_content, setup, translation_status};
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Severity, display_path, sorted};
use crate::i18n::reads::StringKeys;
use crate::markdown::{self, Bodies};
use crate::output::{self, Sink};
use crate::render::{self, Listings, OutputPage, Part, Renderer, TemplateGraph};

/// What an incremental update produced.
#[derive(Debug)]
pub(crate) struct Update {
    /// The output files to put (new or replaced).
    pub files: BTreeMap<String, Vec<u8>>,
    /// The output files that are gone.
    pub removed: Vec<String>,
    /// How many pages were rendered again.
    pub rendered: usize,
    /// What kind of change it was, for the log.
    pub what: String,
    /// How many warnings the site has now.
    pub warnings: usize,
}

/// Why a change needs a full rebuild, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FullRebuild(pub String);

/// What changed between the last build and now, as the renderer sees it.
#[derive(Debug, Default)]
struct Changes {
    parts: BTreeSet<Part>,
    strings: StringKeys,
    urls: BTreeSet<String>,
    templates: BTreeSet<String>,
}

/// Applies the change of `changed` (absolute or root-relative paths) to the
/// last build `old`: the new build and what to serve, or why a full rebuild
/// is needed (then `old` is gone: the caller rebuilds).
pub(crate) fn update(
    options: &BuildOptions,
    mut old: Compiled,
    changed: &[PathBuf],
) -> Result<(Compiled, Update), FullRebuild> {
    let paths = relative_paths(&options.root, changed);
    if paths.iter().any(|p| p == crate::config::CONFIG_FILE) {
        return Err(FullRebuild(
            "site.yaml changed: rebuilding everything".into(),
        ));
    }
    let mut diagnostics = Vec::new();
    let Some(Setup {
        config,
        theme,
        i18n,
    }) = timed("reading site.yaml, the theme and UI strings", || {
        setup(options, &mut diagnostics)
    })
    else {
        return Err(FullRebuild("the site's configuration has errors".into()));
    };
    if format!("{config:?}") != format!("{:?}", old.site.config) {
        return Err(FullRebuild(
            "site.yaml changed: rebuilding everything".into(),
        ));
    }
    let templates = changed_templates(&old.theme, &theme)?;
    let strings = old.i18n.changed_strings(&i18n).ok_or_else(|| {
        FullRebuild("the languages of the UI strings changed: rebuilding everything".into())
    })?;
    let content_changed = paths.iter().any(|p| p.starts_with("content/"));
    let mut cache = std::mem::take(&mut old.content_cache);
    let (site, content_diagnostics) = if content_changed {
        // Only the files the watcher names are read again.
        cache.set_changed(paths.iter().map(|p| options.root.join(p)).collect());
        let mut found = Vec::new();
        let load = || load_content(options, config, &mut found, Some(&mut cache));
        let site = timed("loading content", load);
        (site, found)
    } else {
        timed("keeping the content", || {
            (old.site.clone(), old.content_diagnostics.clone())
        })
    };
    diagnostics.extend(content_diagnostics.iter().cloned());
    if has_errors(&diagnostics) {
        return Err(FullRebuild("the content has errors".into()));
    }
    let what = describe(&old, &site, &paths, &templates, &strings);
    let mut state = State::new(old, site, theme, i18n);
    state.changes.strings = strings;
    state.changes.templates = templates;
    state.content_diagnostics = content_diagnostics;
    state.content_cache = cache;
    state.diagnostics = diagnostics;
    state.run(what, content_changed)
}

/// The templates whose text changed; a full rebuild when templates were
/// added or removed (a page may now use another one) or the theme's other
/// files changed (fingerprinted assets, pictograms, settings).
fn changed_templates(
    old: &crate::theme::Theme,
    new: &crate::theme::Theme,
) -> Result<BTreeSet<String>, FullRebuild> {
    if old.templates.keys().ne(new.templates.keys()) {
        return Err(FullRebuild(
            "a template was added or removed: rebuilding everything".into(),
        ));
    }
    if old.static_files != new.static_files
        || old.pictograms != new.pictograms
        || format!("{:?}", old.settings) != format!("{:?}", new.settings)
    {
        return Err(FullRebuild(
            "the theme's files changed: rebuilding everything".into(),
        ));
    }
    Ok(old
        .templates
        .iter()
        .filter(|(name, source)| new.templates[*name].text != source.text)
        .map(|(name, _)| name.clone())
        .collect())
}

/// The changed paths relative to the site's root, with `/` separators.
fn relative_paths(root: &Path, changed: &[PathBuf]) -> Vec<String> {
    let absolute_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    changed
        .iter()
        .map(|path| {
            let path = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            // A deleted file cannot be made canonical: its folder can.
            let canonical = match (path.parent(), path.file_name()) {
                (Some(parent), Some(name)) => std::fs::canonicalize(parent)
                    .map(|p| p.join(name))
                    .unwrap_or(path.clone()),
                _ => path.clone(),
            };
            display_path(&absolute_root, &canonical)
        })
        .collect()
}

fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Where the search index's files are (`search::write_indexes` writes only there).
const SEARCH_FOLDER: &str = "search/";

/// The stale translations, by (page key, language).
type Stale = BTreeMap<(String, String), super::Staleness>;

/// The update under way: the last build, the new site and what differs.
struct State {
    old: Compiled,
    site: Site,
    theme: crate::theme::Theme,
    i18n: Arc<crate::i18n::I18n>,
    changes: Changes,
    /// Pages whose own data differs (added, removed, edited, re-rendered bodies).
    pages: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
    content_diagnostics: Vec<Diagnostic>,
    content_cache: crate::content::LoadCache,
}

impl State {
    fn new(
        old: Compiled,
        site: Site,
        theme: crate::theme::Theme,
        i18n: Arc<crate::i18n::I18n>,
    ) -> Self {
        State {
            old,
            site,
            theme,
            i18n,
            changes: Changes::default(),
            pages: BTreeSet::new(),
            diagnostics: Vec::new(),
            content_diagnostics: Vec::new(),
            content_cache: crate::content::LoadCache::default(),
        }
    }

    /// The steps after loading: bodies, checks, listings, pages. Without a
    /// change of `content/` the site is the last build's, so no page differs.
    fn run(
        mut self,
        what: String,
        content_changed: bool,
    ) -> Result<(Compiled, Update), FullRebuild> {
        if content_changed {
            self.pages = timed("comparing pages", || {
                changed_pages(&self.old.site, &self.site)
            });
        }
        let urls = Arc::new(url_map(&self.site));
        self.changes.urls = differing_keys(&self.old.urls, &urls);
        let bodies = timed("rendering Markdown", || self.bodies(&urls));
        let stale = timed("checks", || self.checks(&bodies));
        let listings = self.listings(&stale);
        let sink = Sink::memory();
        let tera = timed("loading templates", || {
            load_templates(&self.theme, &self.i18n, &urls, &sink)
        })
        .map_err(|_| FullRebuild("a template has errors".into()))?;
        let graph = TemplateGraph::new(
            self.theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.text.as_str())),
        );
        let inputs = (&tera, &bodies, &listings, &stale);
        let done = self.render(inputs, &graph, &sink)?;
        let planned = timed("planning pages", || render::planned_pages(&self.site));
        self.keep_unchanged(&sink, &planned, &done);
        if has_errors(&self.diagnostics) {
            return Err(FullRebuild("the change has errors".into()));
        }
        let finished = sink.finish();
        let rendered = done.len();
        let old_reads = std::mem::take(&mut self.old.reads);
        let (removed, reads) = timed("merging", || {
            merge(&self.old.written, &finished.written, old_reads, done)
        });
        // The site's files are written and checked again after the reload
        // ([`super::update_files`]); until then their last findings stand.
        let page_diagnostics = sorted(std::mem::take(&mut self.diagnostics));
        let file_diagnostics = std::mem::take(&mut self.old.file_diagnostics);
        let mut diagnostics = page_diagnostics.clone();
        diagnostics.extend(file_diagnostics.iter().cloned());
        let diagnostics = sorted(diagnostics);
        let warnings = diagnostics.len();
        let mut search_keys = std::mem::take(&mut self.old.search_keys);
        search_keys.extend(self.pages.iter().cloned());
        let compiled = Compiled {
            search: self.old.search.take(),
            search_keys,
            pages_per_language: count_per_language(&self.site, &planned),
            translation_status: translation_status(&self.site, &stale),
            output: output::Output::default(),
            bodies,
            theme: self.theme,
            i18n: self.i18n,
            urls,
            listings,
            stale,
            commits: std::mem::take(&mut self.old.commits),
            reads,
            graph,
            written: finished.written,
            diagnostics,
            content_diagnostics: self.content_diagnostics,
            words: std::mem::take(&mut self.old.words),
            content_cache: self.content_cache,
            site: self.site,
            site_files: std::mem::take(&mut self.old.site_files),
            file_diagnostics,
            page_diagnostics,
            files_pending: true,
        };
        let update = Update {
            files: finished.output.files,
            removed,
            rendered,
            what,
            warnings,
        };
        // The last build is large at large N; letting it go takes time the
        // editor need not wait for.
        let old = self.old;
        std::thread::spawn(move || drop(old));
        Ok((compiled, update))
    }

    /// The listings of the new site and the parts that differ from the last
    /// build's (with the pages' own parts, the status page and aliases). The
    /// last build's listings are kept when no changed page's list entry
    /// differs; else they are made again and compared where the changed
    /// pages are listed (everywhere when a community page or a section's UI
    /// string changed: colours and implicit titles reach every entry).
    fn listings(&mut self, stale: &Stale) -> Listings {
        let colours = self.theme.settings.community_colours;
        let sections_named = self
            .changes
            .strings
            .iter()
            .any(|(_, k)| k.starts_with("section."));
        let (old, new) = ((&self.old.site, &*self.old.i18n), (&self.site, &*self.i18n));
        let same = timed("comparing the changed pages' list entries", || {
            !sections_named && render::entries_unchanged(old, new, &self.pages)
        });
        let communities = &self.site.config.domain.communities_section;
        let community = |site: &Site, key: &String| {
            let page = site.pages.get(key);
            page.is_some_and(|p| p.section.as_ref() == Some(communities))
        };
        let everywhere = sections_named
            || self
                .pages
                .iter()
                .any(|k| community(&self.old.site, k) || community(&self.site, k));
        let listings = if same {
            std::mem::take(&mut self.old.listings)
        } else if !everywhere {
            let mut listings = std::mem::take(&mut self.old.listings);
            self.changes.parts = timed("updating the changed pages' list entries", || {
                listings.update(&self.site, &self.i18n, colours, &self.pages)
            });
            listings
        } else {
            let listings = timed("listings", || {
                Listings::new(&self.site, &self.i18n, colours)
            });
            self.changes.parts = timed("comparing listings", || {
                render::changed_parts(&self.site, &self.old.listings, &listings)
            });
            listings
        };
        self.diagnostics
            .extend(render::notes::colour_collisions(&self.site, colours));
        timed("comparing pages' own parts", || self.page_parts(stale));
        listings
    }

    /// Counts in `sink` the last build's files that stay as they were: the
    /// pages not rendered again, the search index and the site's other files
    /// (brought up to date after the pages are served, by
    /// [`super::update_files`] and [`super::update_search`]).
    fn keep_unchanged(
        &self,
        sink: &Sink,
        planned: &[render::PageRecord],
        done: &BTreeMap<String, render::Reads>,
    ) {
        for page in planned {
            if !done.contains_key(&page.path)
                && let Some(hash) = self.old.written.get(&page.path)
            {
                sink.keep(page.path.clone(), *hash);
            }
        }
        let search = self.old.written.iter();
        for (path, hash) in search.filter(|(p, _)| p.starts_with(SEARCH_FOLDER)) {
            sink.keep(path.clone(), *hash);
        }
        for path in &self.old.site_files {
            if let Some(hash) = self.old.written.get(path) {
                sink.keep(path.clone(), *hash);
            }
        }
    }

    /// Renders the files whose reads meet a change and the new ones into
    /// `sink`: what each read, by path.
    fn render(
        &mut self,
        (tera, bodies, listings, stale): (&tera::Tera, &Bodies, &Listings, &Stale),
        graph: &TemplateGraph,
        sink: &Sink,
    ) -> Result<BTreeMap<String, render::Reads>, FullRebuild> {
        let dirty = timed("finding the files a change reaches", || self.dirty());
        let mut renderer = Renderer::new(&self.site, tera, bodies, listings);
        renderer.set_stale(stale.keys().cloned().collect());
        renderer.set_template_files(&self.theme.templates);
        // A page whose bytes did not change is not sent again.
        let written = &self.old.written;
        let emit = |page: OutputPage| {
            let earlier = written.get(&page.path);
            sink.put_changed(page.path, page.html.into_bytes(), earlier);
        };
        let old_reads = &self.old.reads;
        let wanted = |path: &str| dirty.contains(path) || !old_reads.contains_key(path);
        let done = timed("rendering the files a change reaches", || {
            renderer.render_where(&wanted, Some(graph), &emit)
        });
        if !done.errors.is_empty() {
            return Err(FullRebuild("a template has errors".into()));
        }
        Ok(done.reads)
    }

    /// The Markdown of every version: the last build's where its page did
    /// not change and no page it links to moved, else rendered again. Only
    /// the changed pages' versions are looked at, and every body's links
    /// only when a URL changed. The keys of pages with a re-rendered body
    /// join `self.pages`.
    fn bodies(&mut self, urls: &render::UrlMap) -> Bodies {
        let mut bodies = std::mem::take(&mut self.old.bodies);
        let moved = &self.changes.urls;
        let mut todo: BTreeSet<(String, String)> = BTreeSet::new();
        if !moved.is_empty() {
            let links = |body: &markdown::Rendered| {
                let mut links = body.links.iter().chain(&body.broken);
                links.any(|l| moved.contains(&l.key))
            };
            todo.extend(
                bodies
                    .iter()
                    .filter(|(_, b)| links(b))
                    .map(|(id, _)| id.clone()),
            );
        }
        for key in &self.pages {
            if let Some(page) = self.old.site.pages.get(key) {
                for lang in page.versions.keys() {
                    bodies.remove(&(key.clone(), lang.clone()));
                }
            }
            if let Some(page) = self.site.pages.get(key) {
                todo.extend(page.versions.keys().map(|lang| (key.clone(), lang.clone())));
            }
        }
        let resolver = Resolver(urls);
        let site = &self.site;
        let fresh: Vec<((String, String), markdown::Rendered)> = todo
            .into_par_iter()
            .filter_map(|(key, lang)| {
                let version = site.pages.get(&key)?.versions.get(&lang)?;
                let body = markdown::render(&version.body, &lang, &resolver);
                Some(((key, lang), body))
            })
            .collect();
        for (id, body) in fresh {
            self.pages.insert(id.0.clone());
            bodies.insert(id, body);
        }
        bodies
    }

    /// The site's checks: every link, the staleness and the words and
    /// numbers of the changed pages (the others' are the last build's).
    /// Returns the stale translations.
    fn checks(&mut self, bodies: &Bodies) -> BTreeMap<(String, String), super::Staleness> {
        let (site, pages) = (&self.site, &self.pages);
        crate::check::links(site, bodies, &mut self.diagnostics);
        let wanted = |key: &str| pages.contains(key);
        let mut stale = self.old.stale.clone();
        stale.retain(|(key, _), _| !pages.contains(key));
        stale.extend(crate::check::stale::find_among(
            site,
            &self.old.commits,
            &wanted,
        ));
        crate::check::stale::report(site, &stale, &mut self.diagnostics);
        let mut before = Vec::new();
        crate::check::words_of(&self.old.site, &wanted, &mut before);
        let mut after = Vec::new();
        crate::check::words_of(site, &wanted, &mut after);
        let words = &mut self.old.words;
        for diagnostic in before {
            if let Some(i) = words.iter().position(|d| *d == diagnostic) {
                words.swap_remove(i);
            }
        }
        words.extend(after);
        self.diagnostics.extend(words.iter().cloned());
        stale
    }

    /// The parts the build compares itself: each changed page's own data,
    /// the status page when a page changed, the aliases whose target moved.
    fn page_parts(&mut self, stale: &BTreeMap<(String, String), super::Staleness>) {
        let parts = &mut self.changes.parts;
        parts.extend(self.pages.iter().map(|key| Part::Page(key.clone())));
        let stale_keys = |s: &BTreeMap<(String, String), super::Staleness>| {
            s.keys().cloned().collect::<BTreeSet<_>>()
        };
        let (old, new) = (&self.old.site, &self.site);
        let row_changed = |key: &String| status_row(old, key) != status_row(new, key);
        if self.pages.iter().any(row_changed) || stale_keys(stale) != stale_keys(&self.old.stale) {
            parts.insert(Part::Status);
        }
        let before: BTreeMap<String, String> =
            render::aliases(&self.old.site).into_iter().collect();
        let after: BTreeMap<String, String> = render::aliases(&self.site).into_iter().collect();
        for path in differing_keys(&before, &after) {
            parts.insert(Part::Alias(path));
        }
    }

    /// The paths of the last build's files whose reads meet a change.
    fn dirty(&self) -> BTreeSet<String> {
        let changes = &self.changes;
        let graph = &self.old.graph;
        self.old
            .reads
            .par_iter()
            .filter(|(_, reads)| {
                reads.parts.iter().any(|p| changes.parts.contains(p))
                    || reads.strings.iter().any(|s| changes.strings.contains(s))
                    || reads.urls.iter().any(|u| changes.urls.contains(u))
                    || changes
                        .templates
                        .iter()
                        .any(|t| graph.reads(&reads.template, t))
            })
            .map(|(path, _)| path.clone())
            .collect()
    }
}
