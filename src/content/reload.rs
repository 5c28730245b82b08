//! The dev server's quick path into content: reload one page after an edit
//! and tell whether only its bodies changed.

use std::path::Path;

use super::discover::{Group, split_language};
use super::versions::build_page;
use super::{
    LoadOptions, Page, PageKind, Site, Status, Version, facility, front_matter, placeholder,
};

/// What an edit to one page changed, for the dev server's quick path.
#[derive(Debug)]
pub(crate) enum Reloaded {
    /// Only text that no other page shows (the bodies): the new page replaces the old.
    BodiesOnly(Box<Page>),
    /// Something other pages show (a title, a date, a list of communities…),
    /// or the page could not be reloaded alone: rebuild everything.
    Everything,
}

/// Reloads page `key` from its files after an edit, keeping its URLs.
pub(crate) fn reload_page(root: &Path, site: &Site, key: &str, options: LoadOptions) -> Reloaded {
    let Some(old) = site.pages.get(key) else {
        return Reloaded::Everything;
    };
    if old.kind == PageKind::Facility || old.implicit {
        return Reloaded::Everything;
    }
    let mut group = Group::new(old.kind);
    let mut files: Vec<&str> = old
        .versions
        .values()
        .filter(|v| v.status == Status::Written)
        .map(|v| v.file.as_str())
        .collect();
    files.sort_unstable();
    files.dedup();
    for file in files {
        let Some(name) = file.rsplit('/').next().and_then(|n| n.strip_suffix(".md")) else {
            return Reloaded::Everything;
        };
        let lang = split_language(name)
            .1
            .unwrap_or(&site.config.default_language)
            .to_string();
        let Ok(text) =
            crate::source::read_text(&root.join(file), file, crate::diagnostics::Area::Content)
        else {
            return Reloaded::Everything;
        };
        if !placeholder::find(&text).is_empty() {
            return Reloaded::Everything; // the full rebuild reports it
        }
        let mut problems = Vec::new();
        let Some(parsed) = front_matter::parse(file, &text, &mut problems) else {
            return Reloaded::Everything;
        };
        if !problems.is_empty() {
            return Reloaded::Everything;
        }
        group.markdown.insert(lang, (file.to_string(), parsed));
    }
    let mut problems = Vec::new();
    let Some(mut page) = build_page(root, key, group, &site.config, options, &mut problems) else {
        return Reloaded::Everything;
    };
    if !problems.is_empty() || page.versions.len() != old.versions.len() {
        return Reloaded::Everything;
    }
    let slugs = facility::community_slugs(&site.pages, &site.config);
    for version in page.versions.values_mut() {
        facility::expand_all_communities(&mut version.meta, &slugs);
    }
    for (lang, version) in page.versions.iter_mut() {
        let Some(previous) = old.versions.get(lang) else {
            return Reloaded::Everything;
        };
        let shown_elsewhere = |v: &Version| {
            let mut meta = v.meta.clone();
            meta.translated_from = None;
            (
                v.status,
                v.text_lang.clone(),
                v.title.clone(),
                v.summary.clone(),
                v.file.clone(),
                meta,
                v.aliases.clone(),
            )
        };
        if shown_elsewhere(version) != shown_elsewhere(previous) {
            return Reloaded::Everything;
        }
        version.url = previous.url.clone();
    }
    page.assets = old.assets.clone();
    Reloaded::BodiesOnly(Box::new(page))
}
