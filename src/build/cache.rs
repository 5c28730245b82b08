//! The build cache (`signpost build --cache DIR`): per-page work kept
//! between builds, so a build after a small change redoes only what the
//! change reaches — in CI, with the folder kept between runs.
//!
//! In: the cache folder, the signpost version and the inputs every entry
//! depends on. Out: four tables of entries ([`store::Table`]), each entry
//! checked against what it was made from before it is used:
//!
//! - `bodies`: each page version's rendered Markdown, by (page, language),
//!   with the hash of its Markdown and the URLs its `@/` links resolved to;
//! - `words`: each page's findings of the checks of words and numbers, by
//!   page, with the hash of the page;
//! - `search`: each search document's counted terms, by language and URL,
//!   with the hash of the document;
//! - `pages`: each rendered output file's bytes, by path, with what it read
//!   ([`crate::render::Reads`]) and the fingerprint of those reads.
//!
//! Every shard file carries a stamp — the signpost version and a hash of the
//! running binary, so a cache written by any other build of signpost is
//! foreign — and a salt: the hash of `site.yaml` as loaded (with
//! `--base-url`), `--drafts`, and for `pages` the theme's files, settings and
//! template names. A cache that is missing, damaged, foreign, made for other
//! inputs or not writable is noted ([`CacheSession::notes`]) and ignored: the build
//! then does the work itself. The cache is written only after a build
//! without errors was published, so a failed build leaves it as it was.

mod bodies;
mod pages;
mod store;
mod words;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use store::{Rejected, Table};

pub(super) use pages::render_pages_cached;

/// Every version's Markdown rendered, the unchanged ones taken from `cache`.
pub(super) fn bodies(
    site: &crate::content::Site,
    urls: &crate::render::UrlMap,
    cache: Option<&Cache>,
) -> crate::markdown::Bodies {
    match cache {
        Some(cache) => bodies::render_bodies_cached(site, urls, &cache.bodies),
        None => super::pages::render_bodies(site, urls),
    }
}

/// The findings of the checks of words and numbers, the unchanged pages'
/// taken from `cache`.
pub(super) fn words(
    site: &crate::content::Site,
    cache: Option<&Cache>,
) -> Vec<crate::diagnostics::Diagnostic> {
    let mut found = Vec::new();
    match cache {
        Some(cache) => words::words_cached(site, &cache.words, &mut found),
        None => crate::check::words(site, &mut found),
    }
    found
}

/// An open build cache: its tables as the last build left them.
#[derive(Debug)]
pub(crate) struct Cache {
    dir: PathBuf,
    pub(super) pages: Table,
    pub(super) bodies: Table,
    pub(super) words: Table,
    pub(super) search: Table,
}

impl crate::search::CountCache for Table {
    fn take(&self, key: &str) -> Option<Vec<u8>> {
        Table::take(self, key)
    }

    fn put(&self, key: String, value: Vec<u8>) {
        Table::put(self, key, value);
    }
}

/// The cache of one build: where it is, the cache once opened, and what
/// the build should say about it.
#[derive(Debug)]
pub(super) struct CacheSession {
    dir: PathBuf,
    /// The open cache, when one could be used.
    pub(super) cache: Option<Cache>,
    /// Info lines about the cache (never diagnostics: a build with a cache
    /// reports exactly what a build without one does).
    pub(super) notes: Vec<String>,
}

impl CacheSession {
    /// A session for the cache in `dir`, not opened yet.
    pub(super) fn new(dir: PathBuf) -> Self {
        CacheSession {
            dir,
            cache: None,
            notes: Vec::new(),
        }
    }

    /// Opens the cache for a build of `site` with `theme` and `drafts`.
    pub(super) fn open(
        &mut self,
        site: &crate::content::Site,
        theme: &crate::theme::Theme,
        drafts: bool,
    ) {
        let site_salt = crate::fingerprint::Fingerprint::default()
            .value(&site.config)
            .value(&drafts)
            .finish();
        let theme_salt = crate::fingerprint::Fingerprint::default()
            .value(&theme.static_files)
            .value(&theme.pictograms)
            .value(&theme.settings)
            .value(&theme.templates.keys().collect::<Vec<_>>())
            .finish();
        self.cache = Cache::open(&self.dir, site_salt, theme_salt, &mut self.notes);
        if let Some(cache) = &self.cache {
            tracing::info!(
                "build cache {}: {} entries",
                self.dir.display(),
                cache.loaded()
            );
        }
    }

    /// Writes the cache after a published build; says so when it could not.
    pub(super) fn save(&mut self) {
        if let Some(note) = self.cache.take().and_then(Cache::save) {
            self.notes.push(note);
        }
    }
}

/// The signpost version and a hash of the running binary: a cache written by
/// any other build of signpost is foreign. `None` when the binary cannot be
/// read (then no cache is used).
fn stamp() -> Option<&'static str> {
    static STAMP: OnceLock<Option<String>> = OnceLock::new();
    STAMP
        .get_or_init(|| {
            let binary = std::fs::read(std::env::current_exe().ok()?).ok()?;
            let hash = xxhash_rust::xxh3::xxh3_64(&binary);
            Some(format!("{} {hash:016x}", env!("CARGO_PKG_VERSION")))
        })
        .as_deref()
}

impl Cache {
    /// Opens the cache in `dir` for a build whose inputs hash to `site`
    /// (configuration and options) and `theme` (the theme's files); `None`
    /// when no cache can be used (the reason is in `notes`).
    pub(super) fn open(dir: &Path, site: u64, theme: u64, notes: &mut Vec<String>) -> Option<Self> {
        let shown = dir.display();
        let Some(stamp) = stamp() else {
            notes.push(format!(
                "build cache {shown}: signpost cannot read its own binary to stamp the cache; building without it"
            ));
            return None;
        };
        if !dir.exists() {
            notes.push(format!(
                "build cache {shown}: not there yet; building everything and filling it"
            ));
        } else if !dir.is_dir() {
            notes.push(format!(
                "build cache {shown}: not a folder; building everything without it"
            ));
        }
        let table = |name: &str, salt: u64, shards: usize| {
            Table::open(dir.join(name), (stamp, salt), shards)
        };
        // The pages table is about the size of the output: more, smaller
        // files, so a change rewrites less of it.
        let cache = Cache {
            dir: dir.to_path_buf(),
            pages: table("pages", site ^ theme.rotate_left(1), 256),
            bodies: table("bodies", site, 32),
            words: table("words", site, 32),
            search: table("search", site, 32),
        };
        notes.extend(cache.rejections());
        Some(cache)
    }

    /// One line per kind of shard file that was not used.
    fn rejections(&self) -> Vec<String> {
        let mut counts: BTreeMap<Rejected, usize> = BTreeMap::new();
        for table in [&self.pages, &self.bodies, &self.words, &self.search] {
            for (why, n) in &table.rejected {
                *counts.entry(*why).or_default() += n;
            }
        }
        let shown = self.dir.display();
        counts
            .into_iter()
            .map(|(why, n)| match why {
                Rejected::Damaged => format!(
                    "build cache {shown}: {n} file(s) damaged (truncated, garbled or unreadable); ignored them and rebuilt what they held"
                ),
                Rejected::Foreign => format!(
                    "build cache {shown}: {n} file(s) written by another signpost version; ignored them"
                ),
                Rejected::Other => format!(
                    "build cache {shown}: {n} file(s) made for another configuration (site.yaml, theme or options); ignored them"
                ),
            })
            .collect()
    }

    /// What the build reused, for the log.
    pub(super) fn loaded(&self) -> usize {
        [&self.pages, &self.bodies, &self.words, &self.search]
            .iter()
            .map(|t| t.loaded_len())
            .sum()
    }

    /// Writes the tables' changed shards; a note when the cache could not be
    /// written (the build's output is complete either way).
    pub(super) fn save(self) -> Option<String> {
        let dir = self.dir.clone();
        let mut written = 0;
        for table in [self.pages, self.bodies, self.words, self.search] {
            match table.save() {
                Ok(n) => written += n,
                Err(error) => {
                    return Some(format!(
                        "build cache {}: cannot write it ({error}); the output is complete, the cache was not updated",
                        dir.display()
                    ));
                }
            }
        }
        tracing::info!("build cache {}: {written} file(s) written", dir.display());
        None
    }
}
