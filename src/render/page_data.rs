//! Page data: what a template sees of the page it renders (its own list
//! entry, body, table of contents, translations and alternates), for content
//! pages and for generated ones.

use crate::config::Config;
use crate::content::{Page, PageKind, Status, Version};

use super::Renderer;
use super::context::{AlternateData, FacilityData, PageData, PageRef, TranslationData};
use super::listings::page_ref;

impl Renderer<'_> {
    /// Page data for pages that have no content file (scenario pages, chooser, 404).
    pub(super) fn synthetic_page(&self, lang: &str, url: &str) -> PageData {
        let config = &self.site.config;
        let own_prefix = format!("/{}/", config.prefix(lang));
        // A generated page outside the language's folder (the chooser, 404)
        // has no translations and no alternates.
        let localized = url.starts_with(&own_prefix);
        let in_language =
            |code: &str| url.replacen(&own_prefix, &format!("/{}/", config.prefix(code)), 1);
        let translations: Vec<TranslationData> = if localized {
            config
                .codes()
                .map(|code| TranslationData {
                    lang: code.to_string(),
                    url: in_language(code),
                    status: Status::Written,
                    current: code == lang,
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut alternates = alternates_of(config, &translations);
        if localized {
            alternates.push(x_default(config, &in_language(&config.default_language)));
        }
        PageData {
            summary: generated_ref(lang, url),
            content: String::new(),
            toc: Vec::new(),
            text_lang: lang.to_string(),
            permalink: config.permalink(url),
            canonical: config.permalink(url),
            noindex: false,
            translations,
            alternates,
            sources: Vec::new(),
            facility: None,
            community_pages: Vec::new(),
            implicit: true,
        }
    }

    /// Page data for one language's version of a content page.
    pub(super) fn page_data(&self, page: &Page, version: &Version) -> PageData {
        let config = &self.site.config;
        let refs = self.listings.refs.get(&version.lang);
        // The page's own list entry: it already has the implicit title and the colour.
        let summary = refs
            .and_then(|r| r.get(&page.key))
            .cloned()
            .unwrap_or_else(|| page_ref(self.site, page, version));
        let body = self.bodies.get(&(page.key.clone(), version.lang.clone()));
        let permalink = config.permalink(&version.url);
        // A fallback page's canonical is the page whose text it shows.
        let canonical = match version.status {
            Status::Fallback => page
                .version(&version.text_lang)
                .map_or_else(|| permalink.clone(), |v| config.permalink(&v.url)),
            _ => permalink.clone(),
        };
        let translations = translations_in_order(config, page, version);
        let mut alternates = alternates_of(config, &translations);
        let x_default_version = page
            .version(&config.default_language)
            .filter(|v| v.status != Status::Fallback)
            .or_else(|| {
                page.versions
                    .values()
                    .find(|v| v.status != Status::Fallback)
            });
        if let Some(v) = x_default_version {
            alternates.push(x_default(config, &v.url));
        }
        PageData {
            summary,
            content: body.map(|b| b.html.clone()).unwrap_or_default(),
            toc: body.map(|b| b.headings.clone()).unwrap_or_default(),
            text_lang: version.text_lang.clone(),
            permalink,
            canonical,
            noindex: version.status == Status::Fallback,
            translations,
            alternates,
            sources: version.meta.sources.clone().unwrap_or_default(),
            facility: page.facility.as_ref().map(|info| FacilityData {
                info: info.clone(),
                fields: version.fields.clone(),
            }),
            community_pages: page
                .communities(config)
                .filter_map(|slug| refs?.get(&config.domain.community_key(slug)).cloned())
                .collect(),
            implicit: page.implicit,
        }
    }
}

/// The page's versions in the site's language order, the current one marked.
fn translations_in_order(config: &Config, page: &Page, version: &Version) -> Vec<TranslationData> {
    config
        .codes()
        .filter_map(|code| page.versions.values().find(|v| v.lang == code))
        .map(|v| TranslationData {
            lang: v.lang.clone(),
            url: v.url.clone(),
            status: v.status,
            current: v.lang == version.lang,
        })
        .collect()
}

/// One `hreflang` alternate per version with its own text (fallbacks are not alternates).
fn alternates_of(config: &Config, translations: &[TranslationData]) -> Vec<AlternateData> {
    translations
        .iter()
        .filter(|t| t.status != Status::Fallback)
        .map(|t| AlternateData {
            hreflang: t.lang.clone(),
            href: config.permalink(&t.url),
        })
        .collect()
}

/// The `x-default` alternate, pointing at `url`.
fn x_default(config: &Config, url: &str) -> AlternateData {
    AlternateData {
        hreflang: "x-default".to_string(),
        href: config.permalink(url),
    }
}

/// The list entry of a generated page: only its URL and language.
fn generated_ref(lang: &str, url: &str) -> PageRef {
    PageRef {
        key: String::new(),
        kind: PageKind::Section,
        section: None,
        title: String::new(),
        title_lang: lang.to_string(),
        default_title: String::new(),
        sign_label: None,
        colour: None,
        summary: None,
        summary_lang: lang.to_string(),
        url: url.to_string(),
        date: None,
        updated: None,
        weight: 0,
        status: Status::Written,
        communities: Vec::new(),
        city_wide: false,
        scenarios: Vec::new(),
        facility_kind: None,
        extra: serde_json::Value::Null,
    }
}
