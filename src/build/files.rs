//! The site's files besides its pages: feeds, sitemap, robots.txt, bundle
//! files, `static/`, the offline lists; clashes between generated and
//! content pages.

use std::path::Path;

use walkdir::WalkDir;

use crate::content::Site;
use crate::diagnostics::{Code, Diagnostic, Position, display_path};
use crate::markdown::Bodies;
use crate::output::{self, Sink};
use crate::render::PageRecord;

/// Feeds, sitemap, robots.txt, bundle files, static files and the offline lists.
pub(super) fn write_site_files(
    root: &Path,
    site: &Site,
    sink: &Sink,
    diagnostics: &mut Vec<Diagnostic>,
) {
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
            Diagnostic::error(file, Position::FILE, Code::ContentDuplicateUrl, format!("two pages would be written to /{}", a.path))
                .with_hint("an alias or a section name clashes with another page or a generated page (scenarios, search, feed)"),
        );
    }
}

/// The checks against every file the build writes: clashes between the
/// pages the templates would write (known from the content alone, so found
/// even when a template is broken), then site paths, relative links and
/// images. Links are left unchecked when a file or folder could not be read
/// (`unread`): what it would hold is missing, and the reading reported it.
pub(super) fn check_written(
    site: &Site,
    bodies: &Bodies,
    sink: &Sink,
    unread: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let planned = crate::render::planned_pages(site);
    report_generated_clashes(&planned, diagnostics);
    if !unread {
        let mut files = sink.written();
        for page in planned {
            files.entry(page.path).or_default();
        }
        let scope = crate::check::Scope::All;
        crate::check::links::local_links(site, bodies, &files, scope, diagnostics);
    }
}

/// Whether a file or folder could not be read, by the diagnostics.
pub(super) fn unreadable<'a>(mut diagnostics: impl Iterator<Item = &'a Diagnostic>) -> bool {
    diagnostics.any(|d| d.code.as_str().ends_with("/unreadable"))
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
                        Code::ContentUnreadable,
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
                Code::ContentUnreadable,
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
                    Diagnostic::error(file, Position::FILE, Code::StaticUnreadable, message)
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
                    Code::StaticSymlink,
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
                Code::StaticUnreadable,
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
