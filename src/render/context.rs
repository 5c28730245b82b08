//! The template context: what every template can read (documented in README).
//!
//! Built once per language for listings ([`PageRef`]), then per rendered page
//! ([`PageData`]). Everything is plain serializable data; templates never see
//! the content model itself.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::{FacilityInfo, LocalText, PageKind, Source, Status};
use crate::markdown::Heading;

/// The site, as every template sees it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteData {
    /// The site title in the reader's language.
    pub title: String,
    /// The site description in the reader's language, if any.
    pub description: Option<String>,
    /// The base URL, ending in `/`.
    pub base_url: String,
    /// The default language's code.
    pub default_language: String,
    /// Every language: code, URL prefix, home path.
    pub languages: Vec<LanguageData>,
    /// `extra` from site.yaml.
    pub extra: serde_json::Value,
}

/// One site language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LanguageData {
    /// BCP 47 code (`zh-Hans`).
    pub code: String,
    /// URL prefix (`zh-hans`).
    pub prefix: String,
    /// The language's home path (`/zh-hans/`).
    pub home: String,
    /// The site title in that language.
    pub title: String,
}

/// A page as it appears in lists (sections, community pages, scenarios).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PageRef {
    /// Content key (`communities/wangjing`).
    pub key: String,
    /// `home`, `section`, `page` or `facility`.
    pub kind: PageKind,
    /// Top-level section.
    pub section: Option<String>,
    /// Title in `title_lang`.
    pub title: String,
    /// The language the title is in.
    pub title_lang: String,
    /// The title in the site's default language.
    pub default_title: String,
    /// The default language's title when the reader's language is another
    /// language (not just another script of it): the second line of a
    /// bilingual sign, as Beijing's street signs pair English with Chinese.
    pub sign_label: Option<String>,
    /// The community colour (1 … the theme's `community_colours`): a
    /// community's own, or the colour of a page's first community.
    pub colour: Option<usize>,
    /// One-line summary.
    pub summary: Option<String>,
    /// The language the summary is in (a facility's summary may fall back
    /// to another language than its name).
    pub summary_lang: String,
    /// Site path in the reader's language.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Order in lists.
    pub weight: i64,
    /// Written, derived or fallback.
    pub status: Status,
    /// Community slugs.
    pub communities: Vec<String>,
    /// Written as `communities: all`: serves the whole city, so community
    /// pages list it apart from their own facilities.
    pub city_wide: bool,
    /// Scenario keys.
    pub scenarios: Vec<String>,
    /// For facilities: the kind.
    pub facility_kind: Option<String>,
    /// Free data from front matter.
    pub extra: serde_json::Value,
}

/// A community, as the overview map and colour keys see it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(crate) struct CommunityData {
    /// The slug (`wangjing`).
    pub slug: String,
    /// The title in `title_lang`.
    pub title: String,
    /// The language the title is in.
    pub title_lang: String,
    /// The default language's title, when the reader reads another language.
    pub sign_label: Option<String>,
    /// The language of `sign_label` (the site's default language).
    pub sign_lang: String,
    /// Site path in the reader's language.
    pub url: String,
    /// Colour number (1 … the theme's `community_colours`).
    pub colour: usize,
    /// The year the community joined the programme (`extra.joined`), if given.
    pub joined: Option<i64>,
}

/// The page being rendered.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageData {
    /// Everything a list entry has.
    #[serde(flatten)]
    pub summary: PageRef,
    /// The body as HTML.
    pub content: String,
    /// Headings, for a table of contents.
    pub toc: Vec<Heading>,
    /// The language the text is really in (differs from `lang` on fallback pages).
    pub text_lang: String,
    /// Absolute URL of this page.
    pub permalink: String,
    /// Absolute canonical URL (the source page, for fallback pages).
    pub canonical: String,
    /// Whether search engines should skip the page (fallback pages).
    pub noindex: bool,
    /// The same page in every language, for the language switcher.
    pub translations: Vec<TranslationData>,
    /// hreflang alternates (languages that have their own text), plus x-default.
    pub alternates: Vec<AlternateData>,
    /// Where the facts come from.
    pub sources: Vec<Source>,
    /// Facility details, for facilities.
    pub facility: Option<FacilityData>,
    /// The communities the page belongs to, as list entries.
    pub community_pages: Vec<PageRef>,
    /// Whether the page has no file of its own (a section made for its pages).
    pub implicit: bool,
}

/// One language version of the current page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TranslationData {
    /// BCP 47 code.
    pub lang: String,
    /// Site path of the page in that language.
    pub url: String,
    /// Written, derived or fallback.
    pub status: Status,
    /// Whether this is the version being rendered.
    pub current: bool,
}

/// One `<link rel="alternate" hreflang>`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlternateData {
    /// BCP 47 code, or `x-default`.
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

/// A facility's details, resolved for the reader's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FacilityData {
    /// Kind, location, phone, website, languages spoken.
    #[serde(flatten)]
    pub info: FacilityInfo,
    /// Localized fields (`name`, `address`, `hours`, `summary`), each with its real language.
    pub fields: BTreeMap<String, LocalText>,
}

/// A scenario, for scenario pages and navigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScenarioData {
    /// The key (`livable`).
    pub key: String,
    /// Site path of its page.
    pub url: String,
}
