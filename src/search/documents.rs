//! Documents: what of a page the index reads (title, names, headings,
//! summary and plain body text), each counted as soon as it is gathered so
//! no language's full texts are held at once.

use rayon::prelude::*;
use serde::Serialize;

use super::CountCache;
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
    (tokenizer, interner): (&Tokenizer, &Interner),
    cache: Option<&dyn CountCache>,
) -> (Vec<Document>, Vec<Counted>) {
    let pages: Vec<&crate::content::Page> = site.pages.values().map(|p| &**p).collect();
    let Some(cache) = cache else {
        return pages
            .par_iter()
            .filter_map(|page| count_page(site, bodies, page, &language.code, tokenizer, interner))
            .unzip();
    };
    let counted: Vec<(Document, Counted, Fresh)> = pages
        .par_iter()
        .filter_map(|page| {
            let document = document(site, bodies, page, &language.code)?;
            let key = count_key(&language.code, &document.url);
            let hash = fingerprint(&document);
            let cached = cache.take(&key).and_then(|bytes| {
                let stored = u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?);
                (stored == hash).then_some(())?;
                Counted::decode(&bytes[8..], interner)
            });
            let (counted, fresh) = match cached {
                Some(counted) => (counted, None),
                None => (
                    index::count_document(tokenizer, interner, &document),
                    Some((key, hash)),
                ),
            };
            Some((excerpt(document), counted, fresh))
        })
        .collect();
    interner.with_strings(|strings| {
        counted.par_iter().for_each(|(_, counted, fresh)| {
            if let Some((key, hash)) = fresh
                && let Some(encoded) = counted.encode(strings)
            {
                let mut value = hash.to_le_bytes().to_vec();
                value.extend_from_slice(&encoded);
                cache.put(key.clone(), value);
            }
        });
    });
    counted.into_iter().map(|(d, c, _)| (d, c)).unzip()
}

/// The fingerprint of everything of a document that is counted. Its texts
/// are hashed as bytes (escaping long Chinese text for `Debug` costs more
/// than counting it); a new field fails to compile here until it is added.
pub(super) fn fingerprint(document: &Document) -> u64 {
    let Document {
        url,
        title,
        lang,
        section,
        kind,
        communities,
        names,
        headings,
        body,
    } = document;
    let mut hash = crate::fingerprint::Fingerprint::default();
    for text in [url, title, lang, section] {
        hash.bytes(text.as_bytes());
    }
    hash.value(kind).value(communities);
    for list in [names, headings] {
        hash.number(list.len() as u64);
        for text in list {
            hash.bytes(text.as_bytes());
        }
    }
    hash.bytes(body.as_bytes()).finish()
}

/// The key of a document's counts in the cache.
pub(super) fn count_key(lang: &str, url: &str) -> String {
    format!("{lang}\n{url}")
}

/// A document counted in this build: its key in the cache and its hash.
type Fresh = Option<(String, u64)>;

/// The document cut down to its excerpt text (all that is needed once it is counted).
fn excerpt(mut document: Document) -> Document {
    if let Some((end, _)) = document.body.char_indices().nth(EXCERPT_TEXT) {
        document.body.truncate(end);
    }
    document.body.shrink_to_fit();
    document
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
    let document = document(site, bodies, page, lang)?;
    let counted = index::count_document(tokenizer, interner, &document);
    Some((excerpt(document), counted))
}

/// The searchable document of a page in `lang`: `None` for implicit pages
/// and for versions without their own text (a fallback shows another
/// language's, so no text is found twice).
pub(super) fn document(site: &Site, bodies: &Bodies, page: &Page, lang: &str) -> Option<Document> {
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
