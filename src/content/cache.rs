//! Parsing every content file and building its page, with the dev server's
//! cache: a page whose files are byte for byte the same as at the last load
//! is taken from the cache instead of being built again (building converts
//! whole bodies for `derive`, the costliest step of loading).
//!
//! In: the files discovery found. Out: each file parsed with a hash of its
//! text ([`parse_all`]), each page key's fingerprint ([`fingerprints`]) and
//! each page built or reused ([`build_pages`]). A page bundle (a folder with
//! co-located files) is always built again: its files are not fingerprinted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::discover::{Found, Group, Parsed, parse_file};
use super::versions::build_page;
use super::{LoadOptions, Page};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, display_path};

/// One content file after parsing: its path, what discovery found, the
/// parse result, the diagnostics of that file and a hash of its text.
pub(super) type ParsedFile = (PathBuf, Found, Parsed, Vec<Diagnostic>, u64);

/// A page built, and the diagnostics of building it.
type Built = (String, Option<Page>, Vec<Diagnostic>);

/// The pages of the last load, by key, with the fingerprint of their files.
#[derive(Debug, Default)]
pub(crate) struct LoadCache {
    pages: BTreeMap<String, (u64, Option<Page>, Vec<Diagnostic>)>,
}

/// Parses every file in parallel; results come back in discovery order.
pub(super) fn parse_all(
    root: &Path,
    files: Vec<(PathBuf, Found)>,
    config: &Config,
) -> Vec<ParsedFile> {
    files
        .into_par_iter()
        .map(|(path, found)| {
            let display = display_path(root, &path);
            let mut diagnostics = Vec::new();
            let (parsed, hash) = match crate::source::read_text(
                &path,
                &display,
                crate::diagnostics::Area::Content,
            ) {
                Ok(text) => (
                    parse_file(&display, &text, &found, config, &mut diagnostics),
                    xxh3_64(text.as_bytes()),
                ),
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    (Parsed::Failed, 0)
                }
            };
            (path, found, parsed, diagnostics, hash)
        })
        .collect()
}

/// Each page key's fingerprint: a hash of its files' paths and texts.
pub(super) fn fingerprints(parsed: &[ParsedFile]) -> BTreeMap<String, u64> {
    let mut files: BTreeMap<&str, Vec<(&Path, u64)>> = BTreeMap::new();
    for (path, found, _, _, hash) in parsed {
        let key = match found {
            Found::Markdown { key, .. } | Found::Facility { key } => key.as_str(),
        };
        files.entry(key).or_default().push((path, *hash));
    }
    files
        .into_iter()
        .map(|(key, mut list)| {
            list.sort();
            let mut hasher = Xxh3::new();
            for (path, hash) in list {
                hasher.update(path.as_os_str().as_encoded_bytes());
                hasher.update(&hash.to_le_bytes());
            }
            (key.to_string(), hasher.digest())
        })
        .collect()
}

/// Builds every page in parallel (pages are independent), taking from
/// `cache` those whose fingerprint is unchanged, and keeps the new ones in
/// it. Results come in key order.
pub(super) fn build_pages(
    root: &Path,
    groups: BTreeMap<String, Group>,
    config: &Config,
    options: LoadOptions,
    prints: &BTreeMap<String, u64>,
    cache: Option<&mut LoadCache>,
) -> Vec<Built> {
    let cached = cache.as_deref();
    let results: Vec<(Built, Option<u64>)> = groups
        .into_par_iter()
        .map(|(key, group)| {
            let print = prints.get(&key).copied().filter(|_| group.bundle.is_none());
            let hit = cached
                .and_then(|c| c.pages.get(&key))
                .filter(|(p, _, _)| print == Some(*p));
            if let Some((_, page, diagnostics)) = hit {
                return ((key, page.clone(), diagnostics.clone()), None);
            }
            let mut diagnostics = Vec::new();
            let page = build_page(root, &key, group, config, options, &mut diagnostics);
            ((key, page, diagnostics), print)
        })
        .collect();
    if let Some(cache) = cache {
        cache.pages.retain(|key, _| prints.contains_key(key));
        for ((key, page, diagnostics), print) in &results {
            if let Some(print) = print {
                let entry = (*print, page.clone(), diagnostics.clone());
                cache.pages.insert(key.clone(), entry);
            }
        }
    }
    results.into_iter().map(|(built, _)| built).collect()
}
