//! Parsing every content file and building its page, with the dev server's
//! cache: a page whose files are byte for byte the same as at the last load
//! is taken from the cache instead of being built again (building converts
//! whole bodies for `derive`, the costliest step of loading).
//!
//! In: the files discovery found. Out: each file parsed with a hash of its
//! text ([`parse_all`]), each page key's fingerprint ([`fingerprints`]) and
//! each page built or reused ([`build_pages`]), and the finished pages kept
//! for the next load ([`remember`]). A page bundle (a folder with co-located
//! files) is always built again: its files are not fingerprinted.
//!
//! The cache keeps each page as the load finished it (communities expanded,
//! URLs set), shared with the site it was loaded into: taking it again costs
//! a reference count, not a copy.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::discover::{Found, Group, Parsed, parse_file};
use super::versions::build_page;
use super::{LoadOptions, Located, Page};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, display_path};

/// One content file after parsing: its path, what discovery found, the
/// parse result, the diagnostics of that file and a hash of its text.
pub(super) type ParsedFile = (PathBuf, Found, Parsed, Vec<Diagnostic>, u64);

/// A page built or taken from the cache, the diagnostics of building it,
/// and whether it was built now.
pub(super) type Built = (String, Option<Arc<Page>>, Vec<Diagnostic>, bool);

/// The communities each version of a page named before `all` was expanded
/// (by language), for a page that names `all`.
pub(super) type Unexpanded = BTreeMap<String, Vec<Located<String>>>;

/// The pages of the last load, by key, with the fingerprint of their files;
/// and each file's hash, diagnostics and whether it parsed, by path.
#[derive(Debug, Default)]
pub(crate) struct LoadCache {
    pages: BTreeMap<String, Entry>,
    files: BTreeMap<PathBuf, Memo>,
    /// The community slugs `all` was expanded to at the last load.
    slugs: Vec<String>,
    /// What the last walk of `content/` found.
    walk: Option<Walk>,
    /// What changed since the last load (files or folders, absolute), when
    /// known: every other file is taken as it was. `None`: all are read.
    changed: Option<Vec<PathBuf>>,
}

/// What one walk of `content/` found: page files, other files, folders
/// that could not be read, and the diagnostics of the walk.
#[derive(Debug, Clone, Default)]
pub(super) struct Walk {
    pub(super) files: Vec<(PathBuf, Found)>,
    pub(super) others: Vec<PathBuf>,
    pub(super) unreadable: Vec<String>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// One page of the last load, as it finished.
#[derive(Debug)]
struct Entry {
    /// The fingerprint of its files.
    print: u64,
    page: Option<Arc<Page>>,
    diagnostics: Vec<Diagnostic>,
    /// Its communities before `all` was expanded, when it names `all`.
    unexpanded: Option<Unexpanded>,
}

/// What the last load learnt of one file.
#[derive(Debug, Clone)]
struct Memo {
    hash: u64,
    diagnostics: Vec<Diagnostic>,
    failed: bool,
}

impl LoadCache {
    /// Tells the next load that only `paths` (files or folders, absolute)
    /// changed since the last one: the other files are not read again.
    pub(crate) fn set_changed(&mut self, paths: Vec<PathBuf>) {
        self.changed = Some(paths);
    }

    /// The last walk of `content/`, when it still holds: every changed path
    /// is a plain file the last walk found (an edit, not a new, deleted or
    /// renamed file, folder or link), so a walk would find the same.
    pub(super) fn unchanged_walk(&self) -> Option<Walk> {
        let walk = self.walk.as_ref()?;
        let changed = self.changed.as_ref()?;
        let known = |path: &PathBuf| {
            walk.files.iter().any(|(p, _)| p == path) || walk.others.contains(path)
        };
        let edited = |path: &PathBuf| {
            std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file()) && known(path)
        };
        changed.iter().all(edited).then(|| walk.clone())
    }

    /// Keeps what a walk of `content/` found, for [`Self::unchanged_walk`].
    pub(super) fn remember_walk(&mut self, walk: Walk) {
        self.walk = Some(walk);
    }

    /// Whether `path` is one of the changed paths or lies under one.
    fn touched(&self, path: &Path) -> bool {
        self.changed
            .as_ref()
            .is_none_or(|changed| changed.iter().any(|c| path.starts_with(c)))
    }

    /// Whether a changed path lies in the bundle folder `dir` (or holds it).
    fn touches_bundle(&self, dir: &Path) -> bool {
        self.changed.as_ref().is_none_or(|changed| {
            changed
                .iter()
                .any(|c| c.starts_with(dir) || dir.starts_with(c))
        })
    }
}

/// Parses the files the cache cannot vouch for (all of them without a
/// cache); the others come back as their memo says, with an empty parse
/// result standing in for their text ([`fill_needed`] reads those whose
/// page must be built again).
pub(super) fn parse_changed(
    root: &Path,
    files: Vec<(PathBuf, Found)>,
    config: &Config,
    cache: Option<&LoadCache>,
) -> Vec<ParsedFile> {
    let Some(cache) = cache.filter(|c| c.changed.is_some()) else {
        return parse_all(root, files, config);
    };
    files
        .into_par_iter()
        .map(|(path, found)| match cache.files.get(&path) {
            Some(memo) if !cache.touched(&path) => {
                let parsed = stand_in(&found, memo.failed);
                (path, found, parsed, memo.diagnostics.clone(), memo.hash)
            }
            _ => parse_one(root, path, found, config),
        })
        .collect()
}

/// An empty parse result of the right kind, for a file whose page is taken
/// from the cache.
fn stand_in(found: &Found, failed: bool) -> Parsed {
    match found {
        _ if failed => Parsed::Failed,
        Found::Markdown { .. } => Parsed::Markdown(Box::default()),
        Found::Facility { .. } => Parsed::Facility(Box::default()),
    }
}

/// Reads again the files that stand in (see [`parse_changed`]) for pages
/// that must be built again: those whose fingerprint differs from the
/// cache's, or a bundle a changed path lies in. Records every file's memo.
pub(super) fn fill_needed(
    root: &Path,
    parsed: Vec<ParsedFile>,
    config: &Config,
    prints: &BTreeMap<String, u64>,
    cache: Option<&mut LoadCache>,
) -> Vec<ParsedFile> {
    let Some(cache) = cache else {
        return parsed;
    };
    let needed = |found: &Found| {
        let key = found.key();
        let bundle =
            matches!(found, Found::Markdown { bundle: Some(dir), .. } if cache.touches_bundle(dir));
        bundle
            || cache
                .pages
                .get(key)
                .is_none_or(|entry| prints.get(key) != Some(&entry.print))
    };
    let parsed: Vec<ParsedFile> = if cache.changed.is_some() {
        parsed
            .into_par_iter()
            .map(|file| {
                let stands_in = cache.files.contains_key(&file.0) && !cache.touched(&file.0);
                if stands_in && needed(&file.1) {
                    parse_one(root, file.0, file.1, config)
                } else {
                    file
                }
            })
            .collect()
    } else {
        parsed
    };
    cache.files = parsed
        .iter()
        .map(|(path, _, outcome, diagnostics, hash)| {
            let memo = Memo {
                hash: *hash,
                diagnostics: diagnostics.clone(),
                failed: matches!(outcome, Parsed::Failed),
            };
            (path.clone(), memo)
        })
        .collect();
    parsed
}

/// Parses every file in parallel; results come back in discovery order.
fn parse_all(root: &Path, files: Vec<(PathBuf, Found)>, config: &Config) -> Vec<ParsedFile> {
    files
        .into_par_iter()
        .map(|(path, found)| parse_one(root, path, found, config))
        .collect()
}

/// Reads and parses one file.
fn parse_one(root: &Path, path: PathBuf, found: Found, config: &Config) -> ParsedFile {
    let display = display_path(root, &path);
    let mut diagnostics = Vec::new();
    let (parsed, hash) =
        match crate::source::read_text(&path, &display, crate::diagnostics::Area::Content) {
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
/// `cache` those whose fingerprint is unchanged. Results come in key order.
pub(super) fn build_pages(
    root: &Path,
    groups: BTreeMap<String, Group>,
    config: &Config,
    options: LoadOptions,
    prints: &BTreeMap<String, u64>,
    cache: Option<&LoadCache>,
) -> Vec<Built> {
    // A bundle's co-located files are not fingerprinted: its page is taken
    // from the cache only when the changed paths are known and none is in it.
    let trusted = |group: &Group| {
        group
            .bundle
            .as_ref()
            .is_none_or(|dir| cache.is_some_and(|c| c.changed.is_some() && !c.touches_bundle(dir)))
    };
    groups
        .into_par_iter()
        .map(|(key, group)| {
            let hit = cache
                .filter(|_| trusted(&group))
                .and_then(|c| c.pages.get(&key))
                .filter(|entry| prints.get(&key) == Some(&entry.print));
            if let Some(entry) = hit {
                return (key, entry.page.clone(), entry.diagnostics.clone(), false);
            }
            let mut diagnostics = Vec::new();
            let page = build_page(root, &key, group, config, options, &mut diagnostics);
            (key, page.map(Arc::new), diagnostics, true)
        })
        .collect()
}

impl LoadCache {
    /// The communities a cached page named before `all` was expanded, when
    /// the slugs `all` stands for are not those of the last load.
    pub(super) fn stale_expansion(&self, key: &str, slugs: &[String]) -> Option<&Unexpanded> {
        if self.slugs == slugs {
            return None;
        }
        self.pages.get(key)?.unexpanded.as_ref()
    }

    /// Keeps the pages of a finished load for the next one: each key of
    /// `prints` with its page as the load finished it, the diagnostics of
    /// building it and its communities before expansion.
    pub(super) fn remember(
        &mut self,
        prints: &BTreeMap<String, u64>,
        pages: &BTreeMap<String, Arc<Page>>,
        built: BTreeMap<String, Vec<Diagnostic>>,
        mut unexpanded: BTreeMap<String, Unexpanded>,
        slugs: Vec<String>,
    ) {
        self.changed = None;
        self.pages.retain(|key, _| prints.contains_key(key));
        for (key, diagnostics) in built {
            let Some(print) = prints.get(&key) else {
                continue;
            };
            let entry = Entry {
                print: *print,
                page: pages.get(&key).cloned(),
                diagnostics,
                unexpanded: unexpanded.remove(&key),
            };
            self.pages.insert(key, entry);
        }
        // A page taken from the cache keeps its entry, with its page as
        // this load finished it (re-expanded when the slugs changed).
        for (key, entry) in &mut self.pages {
            if let Some(page) = pages.get(key) {
                entry.page = Some(Arc::clone(page));
            }
        }
        self.slugs = slugs;
    }
}
