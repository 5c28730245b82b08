//! Content: the `content/` tree in, an immutable [`Site`] model out (SPEC §4).
//!
//! Steps:
//! 1. walk `content/` and group files by page key: the path without language
//!    suffix and extension (`communities/wangjing`), so translations meet;
//! 2. parse every file in parallel (front matter, facility YAML);
//! 3. per page, take the default-language file's non-text keys as the shared
//!    ones and let each translation inherit what it does not set;
//! 4. give every page a [`Version`] in every site language: written, derived
//!    (machine-converted by `derive`) or fallback (along `fallback`);
//! 5. compute URLs and check references, slugs, aliases and URL clashes.
//!
//! Steps 1–2 are in `discover.rs`, 3–4 in `versions.rs`, 5 here.
//!
//! Everything is loaded before anything is rendered: links, listings and
//! language switchers need the whole site.

mod cache;
mod discover;
pub(crate) mod facility;
pub(crate) mod front_matter;
mod load;
pub(crate) mod placeholder;
mod sections;
mod sources;
mod urls;
mod versions;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Position, display_path};
use crate::i18n::convert::{self, Direction};
pub(crate) use cache::LoadCache;
use discover::{Group, bundle_assets};
pub(crate) use discover::{plain_io_error, slugify, split_language};
pub(crate) use front_matter::{FrontMatter, Located, Source};
pub(crate) use load::{load, load_cached};
pub(crate) use urls::is_safe_site_path;
#[cfg(test)]
use versions::resolve;

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PageKind {
    /// A language's home page (`content/_index.<lang>.md`).
    Home,
    /// A section's own page (`content/<section>/_index.<lang>.md`).
    Section,
    /// A Markdown page.
    Page,
    /// A facility from `content/facilities/<slug>.yaml`.
    Facility,
}

/// Where a language version's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written by an editor in this language.
    Written,
    /// Machine-converted from another script (`derive`).
    Derived,
    /// Shown in another language, because this one has no text.
    Fallback,
}

/// A language version's state on the translation status page and in
/// `check`'s per-language counts: how its text came to be, or stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslationState {
    /// Written in this language, and up to date with its source.
    Written,
    /// Machine-converted from another script (`derive`).
    Derived,
    /// Shown in another language.
    Fallback,
    /// Written, but its source changed since it was translated.
    Stale,
}

impl TranslationState {
    /// Every state, in the order reports list them.
    pub const ALL: [TranslationState; 4] = [
        TranslationState::Written,
        TranslationState::Derived,
        TranslationState::Fallback,
        TranslationState::Stale,
    ];

    /// The state of a version with `status`, stale or not.
    pub fn of(status: Status, stale: bool) -> Self {
        match status {
            _ if stale => TranslationState::Stale,
            Status::Written => TranslationState::Written,
            Status::Derived => TranslationState::Derived,
            Status::Fallback => TranslationState::Fallback,
        }
    }

    /// The state's name in reports and templates: `written`, `derived`,
    /// `fallback`, `stale` (as it serialises).
    pub fn as_str(self) -> &'static str {
        match self {
            TranslationState::Written => "written",
            TranslationState::Derived => "derived",
            TranslationState::Fallback => "fallback",
            TranslationState::Stale => "stale",
        }
    }
}

/// How many entries a language's feed holds.
pub(crate) const FEED_LIMIT: usize = 50;

/// Whether a dated version of this kind and status is an entry of its
/// language's feed: pages and facilities with their own text (a fallback's
/// text belongs to another language's feed).
pub(crate) fn in_feed(kind: PageKind, status: Status) -> bool {
    matches!(kind, PageKind::Page | PageKind::Facility) && status != Status::Fallback
}

/// Puts a feed's `(date, url, entry)` triples newest first, then by URL, and
/// keeps the first [`FEED_LIMIT`]: one order for the Atom feed and the page
/// that presents it to people.
pub(crate) fn feed_order<D: Ord, T>(entries: &mut Vec<(D, &str, T)>) {
    entries.sort_by(|(a_date, a_url, _), (b_date, b_url, _)| {
        b_date.cmp(a_date).then_with(|| a_url.cmp(b_url))
    });
    entries.truncate(FEED_LIMIT);
}

/// A piece of text and the language it is really in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct LocalText {
    /// The text.
    pub text: String,
    /// The language the text is in.
    pub lang: String,
    /// How it got here.
    pub status: Status,
    /// Where a written text starts in its file, for checks.
    #[serde(skip)]
    pub pos: Option<Position>,
}

/// One language version of a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Version {
    /// The reader's language.
    pub lang: String,
    /// Written, derived or fallback.
    pub status: Status,
    /// The language the text is really in.
    pub text_lang: String,
    /// The file the text comes from, for messages.
    pub file: String,
    /// The title, in `text_lang`.
    pub title: String,
    /// The one-line summary.
    pub summary: Option<String>,
    /// The Markdown body (for facilities, the description), shared by the
    /// versions that show the same text and by the dev server's copies.
    pub body: std::sync::Arc<str>,
    /// The line of `file` the body starts on.
    pub body_line: usize,
    /// The site path, e.g. `/en/communities/wangjing/`.
    pub url: String,
    /// Front matter after inheritance from the default-language file.
    pub meta: FrontMatter,
    /// Aliases declared by this version's own file.
    pub aliases: Vec<Located<String>>,
    /// A facility's localized fields, resolved for this language.
    pub fields: BTreeMap<String, LocalText>,
}

/// The non-localized data of a facility.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FacilityInfo {
    /// Its kind (`hospital`, `school`…).
    pub kind: String,
    /// Latitude and longitude.
    pub location: Option<facility::Location>,
    /// Phone number.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Languages spoken there.
    pub languages: Vec<String>,
}

/// A page in all its languages.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    /// The content path without language and extension: `communities/wangjing`;
    /// `""` for the home page, `communities` for that section's page.
    pub key: String,
    /// Home, section, page or facility.
    pub kind: PageKind,
    /// The top-level section (`communities`), `None` for the home page.
    pub section: Option<String>,
    /// The key of the section page that lists this page.
    pub parent: Option<String>,
    /// The page's main file (default language when present), for messages.
    pub file: String,
    /// One version per site language.
    pub versions: BTreeMap<String, Version>,
    /// Co-located files of a page bundle: (absolute path, path relative to the bundle).
    pub assets: Vec<(PathBuf, String)>,
    /// Facility data, for facilities.
    pub facility: Option<FacilityInfo>,
    /// Whether the section page exists only because the section has pages.
    pub implicit: bool,
}

impl Page {
    /// The version in `lang` (every page has one in every site language).
    pub(crate) fn version(&self, lang: &str) -> Option<&Version> {
        self.versions.get(lang)
    }

    /// The shared metadata: the default-language version's (or the first one's).
    pub(crate) fn meta<'a>(&'a self, config: &Config) -> &'a FrontMatter {
        self.versions
            .get(&config.default_language)
            .or_else(|| self.versions.values().next())
            .map(|v| &v.meta)
            .expect("a page always has versions")
    }

    /// The community slugs the page belongs to.
    pub(crate) fn communities<'a>(&'a self, config: &Config) -> impl Iterator<Item = &'a str> {
        self.meta(config)
            .communities
            .iter()
            .flatten()
            .map(|c| c.value.as_str())
    }
}

/// The loaded site: configuration and every page, keyed by page key.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The validated `site.yaml`.
    pub config: Config,
    /// Every page, by key.
    pub pages: BTreeMap<String, Arc<Page>>,
    /// Files of `content/` that are not pages nor bundle assets, copied as they are:
    /// (absolute path, path relative to `content/`).
    pub content_files: Vec<(PathBuf, String)>,
    /// Keys of pages left out because a file of theirs could not be read or
    /// parsed: that error is reported, so links to them are not reported again.
    pub failed: BTreeSet<String>,
    /// Folders under `content/` that could not be read (relative to it, `""`
    /// for `content/` itself): reported once, so the pages they hold are
    /// [`left out`](Site::left_out) like those of `failed`.
    pub unreadable: Vec<String>,
}

impl Site {
    /// Whether the page `key` may exist but was left out because a file or
    /// folder of it could not be read or parsed: that error is reported, so a
    /// reference to the page is not reported again.
    pub(crate) fn left_out(&self, key: &str) -> bool {
        self.failed.contains(key)
            || self.unreadable.iter().any(|folder| {
                folder.is_empty()
                    || key
                        .strip_prefix(folder.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
    }
}

/// Options for loading content.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// Counts, per language, how many pages fall back to another language.
pub(crate) fn missing_translations(site: &Site) -> BTreeMap<String, Vec<&Page>> {
    let mut out: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
    for page in site.pages.values().filter(|p| !p.implicit) {
        for version in page
            .versions
            .values()
            .filter(|v| v.status == Status::Fallback)
        {
            out.entry(version.lang.clone()).or_default().push(page);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_states_have_one_name_each() {
        let names: Vec<&str> = TranslationState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["written", "derived", "fallback", "stale"]);
        for state in TranslationState::ALL {
            assert_eq!(
                serde_json::to_value(state).unwrap(),
                serde_json::json!(state.as_str())
            );
        }
        assert_eq!(
            TranslationState::of(Status::Fallback, true),
            TranslationState::Stale
        );
        assert_eq!(
            TranslationState::of(Status::Derived, false),
            TranslationState::Derived
        );
    }

    #[test]
    fn language_suffixes() {
        assert_eq!(
            split_language("wangjing.zh-Hans"),
            ("wangjing", Some("zh-Hans"))
        );
        assert_eq!(split_language("wangjing.en"), ("wangjing", Some("en")));
        assert_eq!(split_language("wangjing"), ("wangjing", None));
        assert_eq!(split_language("v1.2"), ("v1.2", None));
        assert_eq!(split_language("_index.ru"), ("_index", Some("ru")));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Wangjing Street"), "wangjing-street");
        assert_eq!(slugify("望京 SOHO"), "wang-jing-soho");
        assert_eq!(slugify("Москва — столица"), "moskva-stolitsa");
        assert_eq!(slugify("///"), "page");
    }

    #[test]
    fn pages_in_an_unreadable_folder_are_left_out() {
        let site = |unreadable: &[&str]| Site {
            config: Config::parse("languages: [en]\n").unwrap(),
            pages: BTreeMap::new(),
            content_files: Vec::new(),
            failed: BTreeSet::from(["news/broken".to_string()]),
            unreadable: unreadable.iter().map(|f| f.to_string()).collect(),
        };
        let site = site(&["policies", "communities/shunyi/photos"]);
        for key in ["policies", "policies/visa", "news/broken"] {
            assert!(site.left_out(key), "{key}");
        }
        for key in ["policies-old", "news", "communities/shunyi", ""] {
            assert!(!site.left_out(key), "{key}");
        }
        let all = Site {
            unreadable: vec![String::new()],
            ..site
        };
        assert!(all.left_out("communities/wangjing"));
    }

    #[test]
    fn site_paths_that_leave_are_refused() {
        assert!(is_safe_site_path("/en/old/"));
        for bad in [
            "../x",
            "/en/../../etc",
            "/%2e%2e/x",
            "//evil.example/",
            "relative/",
        ] {
            assert!(!is_safe_site_path(bad), "{bad}");
        }
    }

    #[test]
    fn resolution_order() {
        let config = Config::parse("languages: [zh-Hans, zh-Hant, en, ru]\ndefault_language: zh-Hans\nfallback: [en, zh-Hans]\nderive: {zh-Hant: zh-Hans}\n").unwrap();
        let has = |langs: &'static [&'static str]| move |l: &str| langs.contains(&l);
        assert_eq!(
            resolve(&config, "zh-Hant", has(&["zh-Hans", "en"])),
            Some((Status::Derived, "zh-Hans".into()))
        );
        assert_eq!(
            resolve(&config, "ru", has(&["zh-Hans", "en"])),
            Some((Status::Fallback, "en".into()))
        );
        assert_eq!(
            resolve(&config, "ru", has(&["zh-Hans"])),
            Some((Status::Fallback, "zh-Hans".into()))
        );
        assert_eq!(
            resolve(&config, "en", has(&["en"])),
            Some((Status::Written, "en".into()))
        );
        assert_eq!(
            resolve(&config, "zh-Hant", has(&["ru"])),
            Some((Status::Fallback, "ru".into()))
        );
    }
}
