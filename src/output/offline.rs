//! Offline reading: a service worker and, per language, the list of files it keeps.
//!
//! In: the finished [`Output`] and the site's languages. Out: `/sw.js` (the
//! service worker, the same bytes for every site) and `/<code>/offline.json`
//! for each language: `{"version": "<hash of the files>", "urls": [...]}` —
//! every page and file under the language's folder except its feed, plus the
//! theme's files at the root, the search module and its shared tables, and
//! the language's search index when it is within [`SEARCH_BUDGET`]. A reader's first visit to
//! a language keeps that list on the device; the version changes whenever one
//! of those files does, so the device refreshes what it kept.

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use super::Output;
use crate::config::Config;

/// The service worker, served from the site root so its scope is the whole site.
pub const SERVICE_WORKER: &str = include_str!("sw.js");

/// Bytes of one language's search index kept offline at most (uncompressed):
/// the guide's are about a tenth of it. A larger index stays online only.
pub const SEARCH_BUDGET: usize = 4 * 1024 * 1024;

/// The list of files a language keeps offline.
#[derive(Debug, Serialize)]
struct OfflineList {
    /// Hash of every listed file's path and bytes.
    version: String,
    /// Site paths, sorted.
    urls: Vec<String>,
}

/// Adds `sw.js` and each language's `offline.json` to `output`.
pub fn add_offline_files(output: &mut Output, config: &Config) {
    let shared: Vec<&String> = output
        .files
        .keys()
        .filter(|path| {
            !path.contains('/')
                && [".css", ".js", ".svg"]
                    .iter()
                    .any(|ext| path.ends_with(ext))
                || path.starts_with("search/") && path.matches('/').count() == 1
        })
        .collect();
    let mut lists = Vec::new();
    for language in &config.languages {
        let folder = format!("{}/", language.prefix);
        let mut hasher = Xxh3::new();
        let mut urls = Vec::new();
        let own = output.files.keys().filter(|path| {
            path.starts_with(&folder)
                && !path.ends_with("/feed.xml")
                && !path.ends_with("/offline.json")
        });
        // The language's search index, when it fits the budget; otherwise
        // the search page says offline that search needs a connection.
        let search_folder = format!("search/{folder}");
        let search: Vec<&String> = output
            .files
            .keys()
            .filter(|path| path.starts_with(&search_folder))
            .collect();
        let search_bytes: usize = search.iter().map(|path| output.files[*path].len()).sum();
        let search = search.into_iter().filter(|_| search_bytes <= SEARCH_BUDGET);
        let own = own.chain(search);
        for path in shared.iter().copied().chain(own) {
            hasher.update(path.as_bytes());
            hasher.update(&output.files[path]);
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
        let json = serde_json::to_vec(&list).unwrap_or_default();
        lists.push((format!("{folder}offline.json"), json));
    }
    for (path, json) in lists {
        output.add(path, json);
    }
    output.add("sw.js", SERVICE_WORKER);
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

    #[test]
    fn each_language_keeps_its_pages_and_the_theme() {
        let mut output = Output::default();
        output.add("signage.1a2b3c4d.css", "css");
        output.add("en/index.html", "home");
        output.add("en/about/index.html", "about");
        output.add("en/feed.xml", "feed");
        output.add("ru/index.html", "дом");
        output.add("search/signpost-search.js", "module");
        output.add("search/t2s.0123abcd.json", "map");
        output.add("search/en/manifest.json", "{}");
        output.add("search/en/0123456789abcdef/t/61-62.json", "{}");
        output.add("search/ru/manifest.json", "{}");
        add_offline_files(&mut output, &config());
        let en: serde_json::Value =
            serde_json::from_slice(&output.files["en/offline.json"]).unwrap();
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
        assert!(output.files.contains_key("sw.js"));
        let before = en["version"].clone();
        output.add("en/about/index.html", "about, edited");
        add_offline_files(&mut output, &config());
        let after: serde_json::Value =
            serde_json::from_slice(&output.files["en/offline.json"]).unwrap();
        assert_ne!(before, after["version"], "an edit must change the version");
    }
}
