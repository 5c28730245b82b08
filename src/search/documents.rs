//! Documents: what of a page the index reads (title, names, headings,
//! summary and plain body text), each counted as soon as it is gathered so
//! no language's full texts are held at once.

use rayon::prelude::*;
use serde::Serialize;

use super::EXCERPT_TEXT;
use super::index::{self, Counted};
use super::interner::Interner;
use super::tokenize::Tokenizer;
use crate::content::{Page, PageKind, Site, Status};
use crate::language::Language;
use crate::markdown::Bodies;

/// One searchable document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Document {
    /// Site path.
    pub url: String,
    /// Title.
    pub title: String,
    /// The language the text is in.
    pub lang: String,
    /// Top-level section.
    pub section: String,
    /// Facility kind, for facilities.
    pub kind: Option<String>,
    /// Community slugs.
    pub communities: Vec<String>,
    /// The page's title in the default language (a name readers see on signs),
    /// searchable on every language's site and ranked like the title.
    #[serde(skip)]
    pub names: Vec<String>,
    #[serde(skip)]
    pub(super) headings: Vec<String>,
    #[serde(skip)]
    pub(super) body: String,
}

/// A language's documents, each counted as soon as its text is gathered and
/// then cut down to its excerpt text, with their counts.
pub(super) fn count_language(
    site: &Site,
    bodies: &Bodies,
    language: &Language,
    tokenizer: &Tokenizer,
    interner: &Interner,
) -> (Vec<Document>, Vec<Counted>) {
    let pages: Vec<&crate::content::Page> = site.pages.values().map(|p| &**p).collect();
    pages
        .par_iter()
        .filter_map(|page| count_page(site, bodies, page, &language.code, tokenizer, interner))
        .unzip()
}

/// The document of `page` in `lang`, counted, then cut down to its excerpt
/// text; `None` when the page has no document in that language.
pub(super) fn count_page(
    site: &Site,
    bodies: &Bodies,
    page: &Page,
    lang: &str,
    tokenizer: &Tokenizer,
    interner: &Interner,
) -> Option<(Document, Counted)> {
    let mut document = document(site, bodies, page, lang)?;
    let counted = index::count_document(tokenizer, interner, &document);
    // Only the excerpt text is needed from here on.
    if let Some((end, _)) = document.body.char_indices().nth(EXCERPT_TEXT) {
        document.body.truncate(end);
    }
    document.body.shrink_to_fit();
    Some((document, counted))
}

/// The searchable document of a page in `lang`: `None` for implicit pages
/// and for versions without their own text (a fallback shows another
/// language's, so no text is found twice).
fn document(site: &Site, bodies: &Bodies, page: &Page, lang: &str) -> Option<Document> {
    if page.implicit {
        return None;
    }
    let version = page.version(lang)?;
    if version.status == Status::Fallback {
        return None;
    }
    let body = bodies.get(&(page.key.clone(), lang.to_string()));
    let names = page
        .version(&site.config.default_language)
        .filter(|default| default.lang != lang && !default.title.is_empty())
        .map(|default| vec![default.title.clone()])
        .unwrap_or_default();
    let mut text = String::new();
    if let Some(summary) = &version.summary {
        text.push_str(summary);
        text.push(' ');
    }
    text.push_str(&crate::markdown::plain_text(&version.body));
    let title = if version.title.is_empty() && page.kind == PageKind::Home {
        site.config.title.get(lang).cloned().unwrap_or_default()
    } else {
        version.title.clone()
    };
    Some(Document {
        url: version.url.clone(),
        title,
        lang: version.text_lang.clone(),
        section: page.section.clone().unwrap_or_default(),
        kind: page.facility.as_ref().map(|f| f.kind.clone()),
        communities: page.communities(&site.config).map(str::to_string).collect(),
        names,
        headings: body
            .map(|b| b.headings.iter().map(|h| h.text.clone()).collect())
            .unwrap_or_default(),
        body: text,
    })
}
