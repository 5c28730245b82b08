//! The quick path of `serve`: an edit that changed only the text of existing
//! pages re-renders just those pages, and runs the same checks as a build.
//!
//! In: the last build ([`Compiled`]), the files that changed and the output
//! being served. Out: the output files to replace and the site's warnings
//! after the edit, or `None` when a full rebuild is needed.
//!
//! Steps: find the changed pages; reload them (anything that other pages
//! show — a title, a date, a new file — needs the full rebuild); render their
//! Markdown; check their links, the links of other pages into them (one may
//! lead to a heading that is gone) and their words, numbers and staleness;
//! render their HTML. An error anywhere sends the change to the
//! full rebuild, which reports it as `build` would, over the served pages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{BuildOptions, Compiled, Progress, Resolver, translation_status};
use crate::check::stale::Staleness;
use crate::content::{self, LoadOptions, Site, Status};
use crate::diagnostics::{Diagnostic, Severity, display_path};
use crate::markdown;
use crate::output::Output;
use crate::render::Renderer;

/// What a quick update produced.
#[derive(Debug)]
pub(crate) struct Updated {
    /// The output files to replace.
    pub files: Vec<(String, Vec<u8>)>,
    /// The site's warnings after the update (there is no error: an error
    /// sends the change to a full rebuild).
    pub warnings: usize,
}

/// After an edit to existing Markdown files that changed only text no other
/// page shows, reloads those pages, checks the site again and re-renders them
/// in every language. `served` is the output being served (its file list is
/// what site paths and images are checked against). `None` means a full
/// rebuild is needed (new or deleted files, templates, titles, errors…).
pub(crate) fn update_pages(
    options: &BuildOptions,
    compiled: &mut Compiled,
    changed: &[PathBuf],
    served: &Output,
) -> Option<Updated> {
    let progress = Progress::new(false);
    progress.show("quick: finding the pages");
    let keys = edited_pages(&options.root, &compiled.site, changed)?;
    progress.show("quick: reloading");
    let (before, _) = page_checks(&compiled.site, &compiled.commits, &keys);
    reload_bodies(options, compiled, &keys)?;
    progress.show("quick: checks");
    recheck(compiled, &keys, served, &before)?;
    progress.show("quick: templates");
    let mut renderer = Renderer::new(
        &compiled.site,
        &compiled.tera,
        &compiled.bodies,
        &compiled.listings,
    );
    renderer.set_stale(compiled.stale.keys().cloned().collect());
    renderer.set_template_files(&compiled.templates);
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (pages, errors) = renderer.render_pages(&keys);
    progress.done();
    if !errors.is_empty() {
        return None;
    }
    Some(Updated {
        files: pages
            .into_iter()
            .map(|p| (p.path, p.html.into_bytes()))
            .collect(),
        warnings: compiled.warnings.len(),
    })
}

/// The keys of the pages whose written Markdown files changed; `None` when a
/// change is not only such a file (a new file, YAML, a template…).
fn edited_pages(root: &Path, site: &Site, changed: &[PathBuf]) -> Option<BTreeSet<String>> {
    // The watcher reports absolute paths; the site may have been given as `.`.
    let absolute_root = std::fs::canonicalize(root).ok()?;
    let mut keys = BTreeSet::new();
    for path in changed {
        if path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let file = display_path(&absolute_root, &std::fs::canonicalize(path).ok()?);
        let page = site.pages.values().find(|p| {
            p.versions
                .values()
                .any(|v| v.status == Status::Written && v.file == file)
        })?;
        keys.insert(page.key.clone());
    }
    Some(keys)
}

/// Reloads the pages and renders their Markdown again; `None` when more than
/// their bodies changed or a body has a broken link.
fn reload_bodies(
    options: &BuildOptions,
    compiled: &mut Compiled,
    keys: &BTreeSet<String>,
) -> Option<()> {
    let load = LoadOptions {
        drafts: options.drafts,
    };
    for key in keys {
        match content::reload_page(&options.root, &compiled.site, key, load) {
            content::Reloaded::BodiesOnly(page) => {
                compiled.site.pages.insert(key.clone(), *page);
            }
            content::Reloaded::Everything => return None,
        }
    }
    let resolver = Resolver(&compiled.urls);
    for key in keys {
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
    Some(())
}

/// Checks the reloaded pages again and replaces their warnings (`before`)
/// and staleness with the new ones; `None` when they now have an error.
fn recheck(
    compiled: &mut Compiled,
    keys: &BTreeSet<String>,
    served: &Output,
    before: &[Diagnostic],
) -> Option<()> {
    let mut errors = Vec::new();
    let (site, bodies) = (&compiled.site, &compiled.bodies);
    let scope = crate::check::Scope::Touching(keys);
    crate::check::links_in(site, bodies, scope, &mut errors);
    crate::check::links::local_links(site, bodies, &served.files, scope, &mut errors);
    let (after, stale) = page_checks(&compiled.site, &compiled.commits, keys);
    if !errors.is_empty() || after.iter().any(|d| d.severity == Severity::Error) {
        return None;
    }
    for diagnostic in before {
        if let Some(i) = compiled.warnings.iter().position(|d| d == diagnostic) {
            compiled.warnings.remove(i);
        }
    }
    compiled.warnings.extend(after);
    compiled
        .stale
        .retain(|(key, _), _| !keys.contains(key.as_str()));
    compiled.stale.extend(stale);
    compiled.translation_status = translation_status(&compiled.site, &compiled.stale);
    Some(())
}

type Stale = std::collections::BTreeMap<(String, String), Staleness>;

/// The checks of one page's own files (words, numbers, shortcodes and stale
/// translations) for the pages in `keys`, and which of their translations are stale.
fn page_checks(
    site: &Site,
    commits: &std::collections::BTreeMap<String, i64>,
    keys: &BTreeSet<String>,
) -> (Vec<Diagnostic>, Stale) {
    let wanted = |key: &str| keys.contains(key);
    let mut found = Vec::new();
    crate::check::words_of(site, &wanted, &mut found);
    let stale = crate::check::stale::find_among(site, commits, &wanted);
    crate::check::stale::report(site, &stale, &mut found);
    (found, stale)
}
