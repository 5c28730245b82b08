//! Fingerprints of what an output file read, for the build cache.
//!
//! In: a file's recorded [`Reads`] and the build's inputs (site, listings,
//! rendered bodies, stale translations, UI strings, URLs, templates). Out:
//! one number that changes whenever anything the file read changes — the
//! values of the context parts it was given, the UI strings and URLs its
//! functions looked up, and the text of its template and every template it
//! extends, includes or imports. A cached file whose stored fingerprint
//! equals the current one is byte for byte what rendering would give, as
//! the dev server's re-rendering relies on the same reads.
//!
//! Many files read the same parts (every page of a language reads its
//! `sections`), so each distinct part, string and URL is hashed once
//! ([`ReadFingerprints::prepare`], in parallel) and a file's fingerprint only
//! combines numbers. The translation status page reads every page's state:
//! it is never reused (rendering it is one page's work).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::content::{Page, Site};
use crate::fingerprint::{Fingerprint, of};
use crate::i18n::I18n;
use crate::markdown::Bodies;
use crate::theme::TemplateSource;

use super::{Listings, Part, Reads, TemplateGraph, UrlMap};

/// What a file's fingerprint is made from, borrowed from the build.
pub(crate) struct Inputs<'a> {
    /// The site.
    pub site: &'a Site,
    /// Its listings.
    pub listings: &'a Listings,
    /// Its rendered bodies.
    pub bodies: &'a Bodies,
    /// The stale translations, as (page key, language).
    pub stale: &'a BTreeSet<(String, String)>,
    /// The UI strings.
    pub i18n: &'a I18n,
    /// Every page's URL in every language.
    pub urls: &'a UrlMap,
    /// The templates' closures.
    pub graph: &'a TemplateGraph,
    /// The templates' texts.
    pub templates: &'a BTreeMap<String, TemplateSource>,
}

/// The hashes of the parts, strings, URLs and templates read so far.
pub(crate) struct ReadFingerprints<'a> {
    inputs: Inputs<'a>,
    aliases: BTreeMap<String, String>,
    templates: FxHashMap<String, u64>,
    parts: FxHashMap<Part, Option<u64>>,
    strings: FxHashMap<(String, String), u64>,
    urls: FxHashMap<String, u64>,
}

impl<'a> ReadFingerprints<'a> {
    /// Fingerprints over `inputs`; each template's closure is hashed now.
    pub(crate) fn new(inputs: Inputs<'a>) -> Self {
        let texts: BTreeMap<&str, u64> = inputs
            .templates
            .iter()
            .map(|(name, source)| (name.as_str(), xxh3_64(source.text.as_bytes())))
            .collect();
        let templates = inputs
            .templates
            .keys()
            .map(|name| {
                let mut hash = Fingerprint::default();
                for (other, text) in &texts {
                    if inputs.graph.reads(name, other) {
                        hash.value(other).number(*text);
                    }
                }
                (name.clone(), hash.finish())
            })
            .collect();
        let aliases = super::aliases(inputs.site).into_iter().collect();
        ReadFingerprints {
            inputs,
            aliases,
            templates,
            parts: FxHashMap::default(),
            strings: FxHashMap::default(),
            urls: FxHashMap::default(),
        }
    }

    /// Hashes, in parallel, the parts, strings and URLs of `reads` not hashed yet.
    pub(crate) fn prepare<'r>(&mut self, reads: impl Iterator<Item = &'r Reads>) {
        let mut parts = BTreeSet::new();
        let mut strings = BTreeSet::new();
        let mut urls = BTreeSet::new();
        for read in reads {
            parts.extend(read.parts.iter().filter(|p| !self.parts.contains_key(*p)));
            strings.extend(
                read.strings
                    .iter()
                    .filter(|s| !self.strings.contains_key(*s)),
            );
            urls.extend(read.urls.iter().filter(|u| !self.urls.contains_key(*u)));
        }
        let this = &*self;
        let parts: Vec<(Part, Option<u64>)> = parts
            .into_par_iter()
            .map(|part| (part.clone(), this.part(part)))
            .collect();
        let i18n = self.inputs.i18n;
        let strings: Vec<((String, String), u64)> = strings
            .into_par_iter()
            .map(|(lang, key)| {
                (
                    (lang.clone(), key.clone()),
                    i18n.string_fingerprint(lang, key),
                )
            })
            .collect();
        let map = self.inputs.urls;
        let urls: Vec<(String, u64)> = urls
            .into_iter()
            .map(|key| (key.clone(), of(&map.get(key))))
            .collect();
        self.parts.extend(parts);
        self.strings.extend(strings);
        self.urls.extend(urls);
    }

    /// The fingerprint of a file that read `reads`; `None` when it cannot
    /// be reused (it reads every page's state, or something not prepared).
    pub(crate) fn of(&self, reads: &Reads) -> Option<u64> {
        let mut hash = Fingerprint::default();
        hash.value(&reads.template)
            .number(*self.templates.get(&reads.template)?);
        for part in &reads.parts {
            hash.number((*self.parts.get(part)?)?);
        }
        for string in &reads.strings {
            hash.number(*self.strings.get(string)?);
        }
        for url in &reads.urls {
            hash.value(url).number(*self.urls.get(url)?);
        }
        // Which parts, strings and URLs were read matters too.
        hash.value(&reads.parts).value(&reads.strings);
        Some(hash.finish())
    }

    /// The hash of one part's value; `None` for the status page's.
    fn part(&self, part: &Part) -> Option<u64> {
        let Inputs {
            site,
            listings,
            bodies,
            stale,
            ..
        } = &self.inputs;
        let lists = |lang: &str| listings.lists.get(lang);
        let base = |lang: &str, name: &str| listings.base.get(lang).and_then(|c| c.get(name));
        let hash = match part {
            Part::Page(key) => {
                let mut hash = Fingerprint::default();
                hash.number(site.pages.get(key).map_or(0, |p| page(p)));
                if let Some(page) = site.pages.get(key) {
                    for lang in page.versions.keys() {
                        let id = (key.clone(), lang.clone());
                        let body = bodies.get(&id).map(|b| b.html.as_bytes());
                        hash.bytes(body.unwrap_or_default());
                        hash.value(&stale.contains(&id));
                    }
                }
                hash.finish()
            }
            Part::Entry(lang, key) => values(lists(lang).and_then(|l| l.entries.get(key))),
            Part::Sections(lang) => values(base(lang, "sections")),
            Part::Communities(lang) => values(base(lang, "communities")),
            Part::Children(lang, key) => values(lists(lang).and_then(|l| l.children.get(key))),
            Part::Members(lang, slug) => {
                let members = lists(lang).and_then(|l| l.members.get(slug));
                let mut hash = Fingerprint::default();
                if let Some((facilities, policies)) = members {
                    value(&mut hash, facilities);
                    value(&mut hash, policies);
                }
                hash.finish()
            }
            Part::CityWide(lang) => values(lists(lang).map(|l| &l.city_wide)),
            Part::Scenario(lang, key) => values(lists(lang).and_then(|l| l.scenarios.get(key))),
            Part::ScenarioCounts(lang) => of(&listings.scenario_counts(site, lang)),
            Part::Feed(lang) => values(lists(lang).map(|l| &l.feed)),
            Part::Alias(path) => of(&self.aliases.get(path)),
            Part::Status => return None,
        };
        Some(hash)
    }
}

/// The fingerprint of a page: its versions' bodies and text fields as bytes,
/// the rest by its `Debug` text (escaping long Chinese text for `Debug`
/// costs more than rendering it).
pub(crate) fn page(page: &Page) -> u64 {
    let mut hash = Fingerprint::default();
    let mut rest = page.clone();
    for version in rest.versions.values_mut() {
        hash.bytes(version.body.as_bytes());
        version.body = std::sync::Arc::from("");
        for (name, field) in &mut version.fields {
            hash.bytes(name.as_bytes()).bytes(field.text.as_bytes());
            field.text.clear();
        }
    }
    hash.value(&rest).finish()
}

/// The fingerprint of a template value (or of its absence).
fn values(found: Option<&tera::Value>) -> u64 {
    let mut hash = Fingerprint::default();
    match found {
        Some(found) => value(&mut hash, found),
        None => {
            hash.value("absent");
        }
    }
    hash.finish()
}

/// Adds a template value: its kind and whether it is safe, then its items,
/// a map's in the order of their keys (a map's own order is not stable).
fn value(hash: &mut Fingerprint, found: &tera::Value) {
    hash.value(&found.kind()).value(&found.is_safe());
    if let Some(map) = found.as_map() {
        let mut entries: Vec<_> = map.iter().map(|(k, v)| (key_text(k), v)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        hash.number(entries.len() as u64);
        for (key, item) in entries {
            hash.bytes(key.as_bytes());
            value(hash, item);
        }
    } else if let Some(items) = found.as_array() {
        hash.number(items.len() as u64);
        for item in items {
            value(hash, item);
        }
    } else if let Some(text) = found.as_str() {
        hash.bytes(text.as_bytes());
    } else {
        hash.value(found);
    }
}

/// A map key's text (a key that is not text by its `Debug` text).
fn key_text<'a>(key: &'a tera::value::Key<'_>) -> std::borrow::Cow<'a, str> {
    match key.as_str() {
        Some(text) => std::borrow::Cow::Borrowed(text),
        None => std::borrow::Cow::Owned(format!("{key:?}")),
    }
}
