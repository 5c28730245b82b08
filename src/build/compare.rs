//! Comparing the last build with the new one, for the incremental path:
//! the pages that differ, the keys of a map whose values differ, a status
//! page row, and what the files of the new build read.
//!
//! In: two sites, two maps or two builds' records. Out: the keys, rows and
//! records that the incremental path ([`super::incremental`]) acts on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::{Site, Status};
use crate::i18n::reads::differing;
use crate::render;

/// The files of the last build that the new one no longer makes, and what
/// every file of the new one read: the last build's record, or the new one
/// for the files rendered again.
pub(super) fn merge(
    old: &BTreeMap<String, (u64, usize)>,
    new: &BTreeMap<String, (u64, usize)>,
    mut reads: BTreeMap<String, render::Reads>,
    rendered: BTreeMap<String, render::Reads>,
) -> (Vec<String>, BTreeMap<String, render::Reads>) {
    let removed: Vec<String> = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .cloned()
        .collect();
    for path in &removed {
        reads.remove(path);
    }
    reads.extend(rendered);
    (removed, reads)
}

/// A status page row's data: title, file, each version's URL and status.
pub(super) type StatusRow<'a> = (Option<&'a str>, &'a str, Vec<(&'a str, &'a str, Status)>);

/// What the translation status page shows of the page `key`: its title in
/// the default language, its file, and each version's URL and status
/// (`None` for a page it does not list).
pub(super) fn status_row<'a>(site: &'a Site, key: &str) -> Option<StatusRow<'a>> {
    let page = site.pages.get(key).filter(|p| !p.implicit)?;
    let default = page.version(&site.config.default_language);
    let versions = page.versions.values();
    Some((
        default.map(|v| v.title.as_str()),
        page.file.as_str(),
        versions
            .map(|v| (v.lang.as_str(), v.url.as_str(), v.status))
            .collect(),
    ))
}

/// The keys of pages added, removed or different between two sites.
pub(super) fn changed_pages(old: &Site, new: &Site) -> BTreeSet<String> {
    let mut changed: BTreeSet<String> = new
        .pages
        .par_iter()
        .filter(|(key, page)| {
            // A page the load took from its cache is the same one, not a copy.
            old.pages
                .get(*key)
                .is_none_or(|old| !Arc::ptr_eq(old, page) && old != *page)
        })
        .map(|(key, _)| key.clone())
        .collect();
    changed.extend(
        old.pages
            .keys()
            .filter(|k| !new.pages.contains_key(*k))
            .cloned(),
    );
    changed
}

/// The keys whose value differs between `a` and `b` (or that one lacks).
pub(super) fn differing_keys<V: PartialEq>(
    a: &BTreeMap<String, V>,
    b: &BTreeMap<String, V>,
) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    differing(a, b, &mut |key| {
        keys.insert(key.to_string());
    });
    keys
}
