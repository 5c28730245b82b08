//! Loading: walking `content/`, parsing its files, building each page and
//! the site around them (implicit sections, `all` communities, URLs and
//! references), with the dev server's cache ([`LoadCache`]) when given.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use super::cache::{self, ParsedFile, build_pages, fill_needed, fingerprints, parse_changed};
use super::discover::{Found, Group, Parsed, discover};
use super::{LoadCache, LoadOptions, Page, PageKind, Site, facility, sections, urls};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Position, display_path};
use crate::i18n::convert;

/// Walks `content/`, parses every file and builds the [`Site`].
pub(crate) fn load(
    root: &Path,
    config: Config,
    options: LoadOptions,
    out: &mut Vec<Diagnostic>,
) -> Site {
    load_cached(root, config, options, out, None)
}

/// [`load`], reusing from `cache` the pages whose files did not change
/// since the last load with the same cache (the dev server's).
pub(crate) fn load_cached(
    root: &Path,
    config: Config,
    options: LoadOptions,
    out: &mut Vec<Diagnostic>,
    cache: Option<&mut LoadCache>,
) -> Site {
    out.extend(convert::check_ready(&config));
    let content_dir = root.join("content");
    let mut cache = cache;
    let walk = match cache.as_deref().and_then(LoadCache::unchanged_walk) {
        // The cache already holds this walk.
        Some(walk) => walk,
        None => {
            let walk = stage("  walking content/", || {
                walk_content(root, &content_dir, &config)
            });
            if let Some(cache) = cache.as_deref_mut() {
                cache.remember_walk(walk.clone());
            }
            walk
        }
    };
    out.extend(walk.diagnostics.iter().cloned());
    let cache::Walk {
        files,
        others,
        unreadable,
        ..
    } = walk;

    let (groups, prints, mut failed) = stage("  reading and parsing files", || {
        let parsed = parse_changed(root, files, &config, cache.as_deref());
        let prints = fingerprints(&parsed);
        let parsed = fill_needed(root, parsed, &config, &prints, cache.as_deref_mut());
        let (groups, failed) = group_by_key(root, parsed, out);
        (groups, prints, failed)
    });
    let built = stage("  building pages", || {
        build_pages(root, groups, &config, options, &prints, cache.as_deref())
    });
    let mut pages = BTreeMap::new();
    let mut fresh = BTreeMap::new();
    for (key, page, diagnostics, built_now) in built {
        // A bundle folder the walk of `content/` could not read is reported
        // once, by the walk (pages are built after it, each on its own).
        let reported = |d: &Diagnostic| {
            d.code == Code::ContentUnreadable
                && out.iter().any(|o| o.code == d.code && o.file == d.file)
        };
        let kept: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| !reported(d)).collect();
        if built_now {
            // The cache keeps the diagnostics of building the page.
            let memo = if cache.is_some() {
                kept.clone()
            } else {
                Vec::new()
            };
            fresh.insert(key.clone(), memo);
        }
        out.extend(kept);
        if let Some(page) = page {
            pages.insert(key, page);
        }
    }
    sections::add_implicit_sections(&mut pages, &config);
    let slugs = facility::community_slugs(&pages, &config);
    let unexpanded = expand_all(&mut pages, &fresh, &slugs, cache.as_deref());
    failed.retain(|key| !pages.contains_key(key));
    let mut site = Site {
        failed,
        unreadable,
        config,
        pages,
        content_files: others
            .into_iter()
            .map(|p| {
                let rel = display_path(&content_dir, &p);
                (p, rel)
            })
            .collect(),
    };
    stage("  URLs and references", || {
        urls::assign_urls(&mut site, out);
        urls::validate_references(&site, out);
    });
    if let Some(cache) = cache {
        cache.remember(&prints, &site.pages, fresh, unexpanded, slugs);
    }
    site
}

/// Expands `all` in the communities of the pages built now, and again in
/// the cached pages that name it when its communities changed; returns what
/// the pages built now named before, by key, for those that name `all`.
fn expand_all(
    pages: &mut BTreeMap<String, Arc<Page>>,
    fresh: &BTreeMap<String, Vec<Diagnostic>>,
    slugs: &[String],
    cache: Option<&LoadCache>,
) -> BTreeMap<String, cache::Unexpanded> {
    let mut unexpanded = BTreeMap::new();
    for (key, page) in pages {
        if fresh.contains_key(key) {
            if let Some(lists) = expand_communities(Arc::make_mut(page), slugs) {
                unexpanded.insert(key.clone(), lists);
            }
        } else if let Some(lists) = cache.and_then(|c| c.stale_expansion(key, slugs)) {
            let page = Arc::make_mut(page);
            for (lang, list) in lists {
                if let Some(version) = page.versions.get_mut(lang) {
                    version.meta.communities = Some(list.clone());
                }
            }
            expand_communities(page, slugs);
        }
    }
    unexpanded
}

/// Expands `all` in the communities of every version of `page`; returns
/// what the versions named before, when one named `all`.
fn expand_communities(page: &mut Page, slugs: &[String]) -> Option<cache::Unexpanded> {
    let mut before = cache::Unexpanded::new();
    for (lang, version) in &mut page.versions {
        if let Some(list) = &version.meta.communities
            && list.iter().any(|c| c.value == facility::ALL_COMMUNITIES)
        {
            before.insert(lang.clone(), list.clone());
            facility::expand_all_communities(&mut version.meta, slugs);
        }
    }
    (!before.is_empty()).then_some(before)
}

/// Walks `content/`: its page files, other files and unreadable folders,
/// with the diagnostics of the walk.
fn walk_content(root: &Path, content_dir: &Path, config: &Config) -> cache::Walk {
    let mut walk = cache::Walk::default();
    if content_dir.is_dir() {
        let found = (&mut walk.files, &mut walk.others, &mut walk.unreadable);
        discover(root, content_dir, config, found, &mut walk.diagnostics);
    } else {
        walk.diagnostics.push(
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                Position::FILE,
                Code::ContentMissing,
                "there is no content/ folder",
            )
            .with_hint("create content/_index.md for the home page"),
        );
    }
    walk
}

/// Runs `work` inside a `stage` span, so `--verbose` logs how long it took.
fn stage<T>(name: &str, work: impl FnOnce() -> T) -> T {
    tracing::info_span!("stage", name = %name).in_scope(work)
}

/// Groups parsed files by page key, so translations meet; reports a key
/// claimed twice. Also returns the keys of files that failed to parse.
fn group_by_key(
    root: &Path,
    parsed: Vec<ParsedFile>,
    out: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Group>, BTreeSet<String>) {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut failed = BTreeSet::new();
    for (path, found, parsed, diagnostics, _) in parsed {
        out.extend(diagnostics);
        let display = display_path(root, &path);
        if matches!(parsed, Parsed::Failed) {
            failed.insert(match &found {
                Found::Markdown { key, .. } | Found::Facility { key } => key.clone(),
            });
        }
        match (found, parsed) {
            (
                Found::Markdown {
                    key,
                    lang,
                    kind,
                    bundle,
                },
                Parsed::Markdown(file),
            ) => {
                let group = groups
                    .entry(key.clone())
                    .or_insert_with(|| Group::new(kind));
                if group.kind != kind {
                    out.push(clash(&display, &key));
                    continue;
                }
                if let Some(dir) = bundle {
                    group.bundle = Some(dir);
                }
                if let Some((earlier, _)) = group.markdown.get(&lang) {
                    out.push(
                        Diagnostic::error(&display, Position::FILE, Code::ContentDuplicatePage, format!("`{key}` in `{lang}` is also written in {earlier}"))
                            .with_hint("keep one file per page and language (a file without suffix is the default language)"),
                    );
                    continue;
                }
                group.markdown.insert(lang, (display, *file));
            }
            (Found::Facility { key }, Parsed::Facility(raw)) => {
                let group = groups
                    .entry(key.clone())
                    .or_insert_with(|| Group::new(PageKind::Facility));
                if group.kind != PageKind::Facility || group.facility.is_some() {
                    out.push(clash(&display, &key));
                    continue;
                }
                group.facility = Some((display, *raw));
            }
            _ => {}
        }
    }
    (groups, failed)
}

fn clash(display: &str, key: &str) -> Diagnostic {
    Diagnostic::error(
        display,
        Position::FILE,
        Code::ContentDuplicatePage,
        format!("`{key}` is claimed by a Markdown page and a facility file"),
    )
    .with_hint("rename one of them")
}
