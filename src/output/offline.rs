//! Offline reading: a service worker and, per language, the list of files it keeps.
//!
//! In: the paths written so far (with a hash and the length of each file) and
//! the site's languages. Out: `/sw.js` (the service worker, the same bytes for
//! every site) and `/<code>/offline.json` for each language: `{"version":
//! "<hash of the files>", "urls": [...]}` — the pages and files under the
//! language's folder except its feed, plus the theme's files at the root, the
//! search module and its shared tables, and the language's search index when
//! it is within [`SEARCH_BUDGET`]. A reader's first visit to a language keeps
//! that list on the device; the version changes whenever one of those files
//! does, so the device refreshes what it kept.
//!
//! A large site keeps at most [`MAX_OFFLINE_PAGES`] pages per language: the
//! shallowest first (home, sections, then their pages), so a phone never
//! downloads a whole 10 000-page site; pages beyond the cap are kept as the
//! reader opens them.

use std::collections::BTreeMap;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use super::Sink;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, to_json};

/// The service worker, served from the site root so its scope is the whole site.
pub(crate) const SERVICE_WORKER: &str = include_str!("sw.js");

/// Files a language keeps offline at most (besides the theme's shared files).
pub(crate) const MAX_OFFLINE_PAGES: usize = 400;

/// Bytes of one language's search index kept offline at most (uncompressed):
/// the guide's are about a tenth of it. A larger index stays online only.
pub(crate) const SEARCH_BUDGET: usize = 4 * 1024 * 1024;

/// The list of files a language keeps offline.
#[derive(Debug, Serialize)]
struct OfflineList {
    /// Hash of every listed file's path and bytes.
    version: String,
    /// Site paths, sorted.
    urls: Vec<String>,
}

/// What was written: path → (hash, length).
type Written = BTreeMap<String, (u64, usize)>;

/// Puts `sw.js` and each language's `offline.json` into `sink`; an
/// `output/serialise` error if a list could not be written as JSON.
pub(crate) fn add_offline_files(sink: &Sink, config: &Config) -> Result<(), Diagnostic> {
    let written = sink.written();
    let shared: Vec<(&String, &(u64, usize))> = written
        .iter()
        .filter(|(path, _)| {
            !path.contains('/')
                && [".css", ".js", ".svg"]
                    .iter()
                    .any(|ext| path.ends_with(ext))
                || path.starts_with("search/") && path.matches('/').count() == 1
        })
        .collect();
    for language in &config.languages {
        let folder = format!("{}/", language.prefix);
        let own = kept_files(&written, &folder);
        let search = search_files(&written, &format!("search/{folder}"));
        let mut hasher = Xxh3::new();
        let mut urls = Vec::new();
        for (path, (hash, _)) in shared.iter().copied().chain(own).chain(search) {
            hasher.update(path.as_bytes());
            hasher.update(&hash.to_le_bytes());
            urls.push(match path.strip_suffix("index.html") {
                Some(folder) => format!("/{folder}"),
                None => format!("/{path}"),
            });
        }
        urls.sort();
        let list = OfflineList {
            version: format!("{:016x}", hasher.digest()),
            urls,
        };
        let path = format!("{folder}offline.json");
        let json = to_json(&path, &list)?;
        sink.put(path, json);
    }
    sink.put("sw.js".to_string(), SERVICE_WORKER);
    Ok(())
}

/// The files under `folder`, in path order.
fn under<'a>(written: &'a Written, folder: &str) -> Vec<(&'a String, &'a (u64, usize))> {
    written
        .range(folder.to_string()..)
        .take_while(|(path, _)| path.starts_with(folder))
        .collect()
}

/// The files under `folder` a language keeps: all of them on a small site,
/// the [`MAX_OFFLINE_PAGES`] shallowest on a large one, in path order.
fn kept_files<'a>(written: &'a Written, folder: &str) -> Vec<(&'a String, &'a (u64, usize))> {
    let mut own = under(written, folder);
    own.retain(|(path, _)| !path.ends_with("/feed.xml") && !path.ends_with("/offline.json"));
    if own.len() > MAX_OFFLINE_PAGES {
        own.sort_by_key(|(path, _)| (path.matches('/').count(), path.as_str()));
        own.truncate(MAX_OFFLINE_PAGES);
        own.sort();
    }
    own
}

/// The language's search index, when it fits the budget; otherwise none, and
/// the search page says offline that search needs a connection.
fn search_files<'a>(written: &'a Written, folder: &str) -> Vec<(&'a String, &'a (u64, usize))> {
    let files = under(written, folder);
    let bytes: usize = files.iter().map(|(_, (_, len))| len).sum();
    if bytes <= SEARCH_BUDGET {
        files
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "base_url: https://example.org/\nlanguages: [en, ru]\ndefault_language: en\ntitle: {en: T, ru: T}\n",
        )
        .unwrap()
    }

    fn list(sink: Sink) -> (serde_json::Value, bool) {
        let output = sink.finish().output;
        (
            serde_json::from_slice(&output.files["en/offline.json"]).unwrap(),
            output.files.contains_key("sw.js"),
        )
    }

    fn site(about: &str) -> Sink {
        let sink = Sink::memory();
        for (path, text) in [
            ("signage.1a2b3c4d.css", "css"),
            ("en/index.html", "home"),
            ("en/about/index.html", about),
            ("en/feed.xml", "feed"),
            ("ru/index.html", "дом"),
            ("search/signpost-search.js", "module"),
            ("search/t2s.0123abcd.json", "map"),
            ("search/en/manifest.json", "{}"),
            ("search/en/0123456789abcdef/t/61-62.json", "{}"),
            ("search/ru/manifest.json", "{}"),
        ] {
            sink.put(path.to_string(), text);
        }
        add_offline_files(&sink, &config()).unwrap();
        sink
    }

    #[test]
    fn each_language_keeps_its_pages_its_search_and_the_theme() {
        let (en, has_worker) = list(site("about"));
        assert_eq!(
            en["urls"],
            serde_json::json!([
                "/en/",
                "/en/about/",
                "/search/en/0123456789abcdef/t/61-62.json",
                "/search/en/manifest.json",
                "/search/signpost-search.js",
                "/search/t2s.0123abcd.json",
                "/signage.1a2b3c4d.css"
            ])
        );
        assert!(has_worker);
        let (after, _) = list(site("about, edited"));
        assert_ne!(
            en["version"], after["version"],
            "an edit must change the version"
        );
    }

    #[test]
    fn a_large_site_keeps_its_shallowest_pages() {
        let sink = Sink::memory();
        sink.put("en/index.html".into(), "home");
        for i in 0..MAX_OFFLINE_PAGES + 50 {
            sink.put(format!("en/facilities/f{i:05}/index.html"), "page");
        }
        sink.put("en/facilities/index.html".into(), "section");
        add_offline_files(&sink, &config()).unwrap();
        let (en, _) = list(sink);
        let urls = en["urls"].as_array().unwrap();
        assert_eq!(urls.len(), MAX_OFFLINE_PAGES);
        assert!(urls.contains(&serde_json::json!("/en/")));
        assert!(urls.contains(&serde_json::json!("/en/facilities/")));
    }
}
