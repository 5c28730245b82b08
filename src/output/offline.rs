//! Offline reading: a service worker and, per language, the list of files it keeps.
//!
//! In: the paths written so far (with a hash of each file) and the site's
//! languages. Out: `/sw.js` (the service worker, the same bytes for every
//! site) and `/<code>/offline.json` for each language: `{"version": "<hash of
//! the files>", "urls": [...]}` — the pages and files under the language's
//! folder except its feed, plus the theme's files at the root and the search
//! module. A reader's first visit to a language keeps that list on the
//! device; the version changes whenever one of those files does, so the
//! device refreshes what it kept.
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

/// The service worker, served from the site root so its scope is the whole site.
pub const SERVICE_WORKER: &str = include_str!("sw.js");

/// Files a language keeps offline at most (besides the theme's shared files).
pub const MAX_OFFLINE_PAGES: usize = 400;

/// The list of files a language keeps offline.
#[derive(Debug, Serialize)]
struct OfflineList {
    /// Hash of every listed file's path and bytes.
    version: String,
    /// Site paths, sorted.
    urls: Vec<String>,
}

/// Puts `sw.js` and each language's `offline.json` into `sink`.
pub fn add_offline_files(sink: &Sink, config: &Config) {
    let written = sink.written();
    let shared: Vec<(&String, &u64)> = written
        .iter()
        .filter(|(path, _)| {
            !path.contains('/')
                && [".css", ".js", ".svg"]
                    .iter()
                    .any(|ext| path.ends_with(ext))
                || path.as_str() == "search/signpost-search.js"
        })
        .collect();
    for language in &config.languages {
        let folder = format!("{}/", language.prefix);
        let own = kept_files(&written, &folder);
        let mut hasher = Xxh3::new();
        let mut urls = Vec::new();
        for (path, hash) in shared.iter().copied().chain(own) {
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
        // A list of strings always serialises.
        let json = serde_json::to_vec(&list).unwrap_or_default();
        sink.put(format!("{folder}offline.json"), json);
    }
    sink.put("sw.js".to_string(), SERVICE_WORKER);
}

/// The files under `folder` a language keeps: all of them on a small site,
/// the [`MAX_OFFLINE_PAGES`] shallowest on a large one, in path order.
fn kept_files<'a>(written: &'a BTreeMap<String, u64>, folder: &str) -> Vec<(&'a String, &'a u64)> {
    let mut own: Vec<(&String, &u64)> = written
        .range(folder.to_string()..)
        .take_while(|(path, _)| path.starts_with(folder))
        .filter(|(path, _)| !path.ends_with("/feed.xml") && !path.ends_with("/offline.json"))
        .collect();
    if own.len() > MAX_OFFLINE_PAGES {
        own.sort_by_key(|(path, _)| (path.matches('/').count(), path.as_str()));
        own.truncate(MAX_OFFLINE_PAGES);
        own.sort();
    }
    own
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
        sink.put("signage.1a2b3c4d.css".into(), "css");
        sink.put("en/index.html".into(), "home");
        sink.put("en/about/index.html".into(), about);
        sink.put("en/feed.xml".into(), "feed");
        sink.put("ru/index.html".into(), "дом");
        add_offline_files(&sink, &config());
        sink
    }

    #[test]
    fn each_language_keeps_its_pages_and_the_theme() {
        let (en, has_worker) = list(site("about"));
        assert_eq!(
            en["urls"],
            serde_json::json!(["/en/", "/en/about/", "/signage.1a2b3c4d.css"])
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
        add_offline_files(&sink, &config());
        let (en, _) = list(sink);
        let urls = en["urls"].as_array().unwrap();
        assert_eq!(urls.len(), MAX_OFFLINE_PAGES);
        assert!(urls.contains(&serde_json::json!("/en/")));
        assert!(urls.contains(&serde_json::json!("/en/facilities/")));
    }
}
