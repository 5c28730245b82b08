//! Search: the site model in, a static sharded index per language out (SPEC §7).
//!
//! Steps:
//! 1. collect the documents of a language: every page version with its own
//!    text (fallback versions are left out, so no text is found twice);
//! 2. tokenize title, headings and body in parallel ([`tokenize`]);
//! 3. score each (document, term): title 100, heading 30, body hits up to 20;
//!    dictionary words score 50 % more than bare bigrams;
//! 4. shard terms by their first Han character or first two other characters,
//!    with the surface forms that lead to each stem, so the browser fetches
//!    only the shards its query words start with;
//! 5. write the shards, document lists and excerpt texts under a folder named
//!    by the hash of the whole index, and a small `manifest.json` naming it;
//! 6. write the Traditional → Simplified character map, and the
//!    dependency-free ES module `/search/signpost-search.js`.
//!
//! The file layout is defined here once; `signpost-search.js` reads it, and a
//! round-trip test in `tests/` checks the two agree on the guide's vocabulary.

pub mod tokenize;

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::content::{PageKind, Site, Status};
use crate::markdown::Bodies;
pub use tokenize::{TermKind, Token, Tokenizer};

/// The ES module readers import: `import { search } from "/search/signpost-search.js"`.
pub const MODULE_PATH: &str = "search/signpost-search.js";
const MODULE: &str = include_str!("signpost-search.js");
/// Postings kept per term (the best-scoring ones).
pub const MAX_POSTINGS: usize = 2000;
/// Characters of body text kept per document for excerpts.
pub const EXCERPT_TEXT: usize = 4000;
/// Documents per metadata chunk.
pub const META_CHUNK: usize = 64;

/// One searchable document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
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
    #[serde(skip)]
    headings: Vec<String>,
    #[serde(skip)]
    body: String,
}

/// The manifest of one language's index.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Layout version of the files.
    pub version: u32,
    /// Language code.
    pub lang: String,
    /// The folder (relative to the manifest) holding this index's files: its hash.
    pub base: String,
    /// Number of documents.
    pub docs: usize,
    /// Documents per metadata chunk.
    pub chunk: usize,
    /// Shard keys, as their file stems (hex code points joined by `-`).
    pub shards: Vec<String>,
    /// Path of the Traditional → Simplified map, relative to the module.
    pub t2s: String,
}

/// One language's index laid out: URL prefix, manifest, files.
type LanguageIndex = (String, Manifest, Vec<(String, Vec<u8>)>);

/// Builds every language's index; returns its files and the module, by path
/// relative to the output root.
pub fn write_indexes(site: &Site, bodies: &Bodies) -> Vec<(String, Vec<u8>)> {
    let mut output = Vec::new();
    let tokenizer = Tokenizer::new();
    // Languages are independent: index them in parallel, then add files in order.
    let built: Vec<LanguageIndex> = site
        .config
        .languages
        .par_iter()
        .map(|language| {
            let documents = documents(site, bodies, &language.code);
            let index = build(&tokenizer, &documents);
            let (manifest, files) = layout(&language.code, &documents, &index);
            (language.prefix.clone(), manifest, files)
        })
        .collect();
    let mut manifests = Vec::new();
    for (prefix, manifest, files) in built {
        for (path, bytes) in files {
            output.push((format!("search/{prefix}/{path}"), bytes));
        }
        manifests.push((prefix, manifest));
    }
    // The whole map, so any query text normalizes exactly as the index side would.
    let t2s: String = tokenize::traditional_to_simplified()
        .iter()
        .flat_map(|(from, to)| [*from, *to])
        .collect();
    let t2s_json = serde_json::to_vec(&t2s).unwrap_or_default();
    let t2s_path = format!("t2s.{:08x}.json", xxh3_64(&t2s_json) as u32);
    output.push((format!("search/{t2s_path}"), t2s_json));
    for (prefix, mut manifest) in manifests {
        manifest.t2s = t2s_path.clone();
        output.push((
            format!("search/{prefix}/manifest.json"),
            serde_json::to_vec(&manifest).unwrap_or_default(),
        ));
    }
    output.push((MODULE_PATH.to_string(), MODULE.as_bytes().to_vec()));
    output
}

/// The documents of one language: versions with their own text, in key order.
fn documents(site: &Site, bodies: &Bodies, lang: &str) -> Vec<Document> {
    let pages: Vec<&crate::content::Page> = site.pages.values().collect();
    pages
        .par_iter()
        .filter(|page| !page.implicit)
        .filter_map(|page| {
            let version = page.version(lang)?;
            if version.status == Status::Fallback {
                return None;
            }
            let body = bodies.get(&(page.key.clone(), lang.to_string()));
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
                headings: body
                    .map(|b| b.headings.iter().map(|h| h.text.clone()).collect())
                    .unwrap_or_default(),
                body: text,
            })
        })
        .collect()
}

/// An index in memory: term → postings (document, score), and surface forms → term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// Term → (document number, score), best first.
    pub terms: BTreeMap<String, Vec<(u32, u32)>>,
    /// Surface form → stem, where they differ.
    pub forms: BTreeMap<String, String>,
}

/// One document's terms with their scores, and its surface forms → stems.
type Scored = (Vec<(String, u32)>, Vec<(String, String)>);

/// Scores every term of every document. Documents are tokenised in
/// parallel; postings are gathered in hash maps and sorted once at the end
/// (ordered maps keyed by long strings made merging the slowest step).
pub fn build(tokenizer: &Tokenizer, documents: &[Document]) -> Index {
    let per_document: Vec<Scored> = documents
        .par_iter()
        .map(|doc| score_document(tokenizer, doc))
        .collect();
    let mut terms: FxHashMap<String, Vec<(u32, u32)>> = FxHashMap::default();
    let mut forms: FxHashMap<String, String> = FxHashMap::default();
    for (number, (scores, doc_forms)) in per_document.into_iter().enumerate() {
        for (term, score) in scores {
            terms.entry(term).or_default().push((number as u32, score));
        }
        forms.extend(doc_forms);
    }
    let mut terms: Vec<(String, Vec<(u32, u32)>)> = terms.into_iter().collect();
    terms.par_iter_mut().for_each(|(_, postings)| {
        postings.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        postings.truncate(MAX_POSTINGS);
    });
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let terms: BTreeMap<String, Vec<(u32, u32)>> = terms.into_iter().collect();
    let forms = forms
        .into_iter()
        .filter(|(_, term)| terms.contains_key(term))
        .collect();
    Index { terms, forms }
}

/// Tokenises one document's title, headings and body and scores each term:
/// title 100, heading 30, body hits up to 20; words 50 % more than bigrams.
fn score_document(tokenizer: &Tokenizer, doc: &Document) -> Scored {
    let mut scores: FxHashMap<String, (u32, u32, u32, TermKind)> = FxHashMap::default();
    let mut forms = FxHashMap::default();
    let mut add = |tokens: Vec<Token>, field: usize| {
        for token in tokens {
            if token.kind == TermKind::Word && token.surface != token.term {
                forms.insert(token.surface, token.term.clone());
            }
            let entry = scores.entry(token.term).or_insert((0, 0, 0, token.kind));
            entry.3 = entry.3.min(token.kind);
            match field {
                0 => entry.0 = 1,
                1 => entry.1 = 1,
                _ => entry.2 += 1,
            }
        }
    };
    add(tokenizer.tokens(&doc.title), 0);
    for heading in &doc.headings {
        add(tokenizer.tokens(heading), 1);
    }
    add(tokenizer.tokens(&doc.body), 2);
    let scored = scores
        .into_iter()
        .map(|(term, (title, heading, body, kind))| {
            let base = title * 100 + heading * 30 + body.min(20);
            let score = if matches!(kind, TermKind::HanWord | TermKind::Word | TermKind::Pinyin) {
                base * 3 / 2
            } else {
                base
            };
            (term, score.max(1))
        })
        .collect();
    (scored, forms.into_iter().collect())
}

/// The shard a term or surface form lives in: its first Han character, else its first two characters.
pub fn shard_key(term: &str) -> String {
    let mut chars = term.chars();
    match chars.next() {
        Some(c) if tokenize::is_han(c) => c.to_string(),
        Some(c) => std::iter::once(c).chain(chars.next()).collect(),
        None => String::new(),
    }
}

/// A shard key as a file stem: hex code points joined by `-` (`望` → `671b`).
pub fn key_file(key: &str) -> String {
    key.chars()
        .map(|c| format!("{:x}", c as u32))
        .collect::<Vec<_>>()
        .join("-")
}

/// One shard's content: terms with postings, and surface forms.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Shard {
    /// Term → [[document, score], …].
    pub t: BTreeMap<String, Vec<(u32, u32)>>,
    /// Surface form → term.
    pub f: BTreeMap<String, String>,
}

/// One row of a metadata chunk, as a JSON array:
/// `[url, title, lang, section, kind | null, [communities]]`.
#[derive(Debug, Serialize)]
struct MetaRow<'a>(
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a Option<String>,
    &'a [String],
);

/// Lays an index out as files (paths relative to `search/<prefix>/`).
fn layout(lang: &str, documents: &[Document], index: &Index) -> (Manifest, Vec<(String, Vec<u8>)>) {
    let mut shards: BTreeMap<String, Shard> = BTreeMap::new();
    for (term, postings) in &index.terms {
        shards
            .entry(shard_key(term))
            .or_default()
            .t
            .insert(term.clone(), postings.clone());
    }
    for (form, term) in &index.forms {
        shards
            .entry(shard_key(form))
            .or_default()
            .f
            .insert(form.clone(), term.clone());
    }
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (key, shard) in &shards {
        files.push((
            format!("t/{}.json", key_file(key)),
            serde_json::to_vec(shard).unwrap_or_default(),
        ));
    }
    for (n, chunk) in documents.chunks(META_CHUNK).enumerate() {
        let rows: Vec<MetaRow<'_>> = chunk
            .iter()
            .map(|d| {
                MetaRow(
                    &d.url,
                    &d.title,
                    &d.lang,
                    &d.section,
                    &d.kind,
                    &d.communities,
                )
            })
            .collect();
        files.push((
            format!("m/{n}.json"),
            serde_json::to_vec(&rows).unwrap_or_default(),
        ));
    }
    for (n, doc) in documents.iter().enumerate() {
        let text: String = doc.body.chars().take(EXCERPT_TEXT).collect();
        files.push((
            format!("x/{n}.json"),
            serde_json::to_vec(&text).unwrap_or_default(),
        ));
    }
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (n, doc) in documents.iter().enumerate() {
        for community in &doc.communities {
            filters
                .entry("community")
                .or_default()
                .entry(community)
                .or_default()
                .push(n);
        }
        if let Some(kind) = &doc.kind {
            filters
                .entry("kind")
                .or_default()
                .entry(kind)
                .or_default()
                .push(n);
        }
        filters
            .entry("section")
            .or_default()
            .entry(doc.section.as_str())
            .or_default()
            .push(n);
    }
    files.push((
        "filters.json".to_string(),
        serde_json::to_vec(&filters).unwrap_or_default(),
    ));
    let mut hasher_input = Vec::new();
    for (path, bytes) in &files {
        hasher_input.extend_from_slice(path.as_bytes());
        hasher_input.extend_from_slice(bytes);
    }
    let base = format!("{:016x}", xxh3_64(&hasher_input));
    let files = files
        .into_iter()
        .map(|(path, bytes)| (format!("{base}/{path}"), bytes))
        .collect();
    let manifest = Manifest {
        version: 1,
        lang: lang.to_string(),
        base,
        docs: documents.len(),
        chunk: META_CHUNK,
        shards: shards.keys().map(|k| key_file(k)).collect(),
        t2s: String::new(),
    };
    (manifest, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Document {
        Document {
            url: format!("/{title}/"),
            title: title.to_string(),
            lang: "en".into(),
            section: "s".into(),
            kind: None,
            communities: Vec::new(),
            headings: Vec::new(),
            body: body.to_string(),
        }
    }

    #[test]
    fn titles_outrank_bodies() {
        let tokenizer = Tokenizer::new();
        let index = build(
            &tokenizer,
            &[
                doc("Schools", "nothing"),
                doc("Other", "schools schools schools"),
            ],
        );
        let postings = &index.terms["school"];
        assert_eq!(postings[0].0, 0, "{postings:?}");
        assert!(postings[0].1 > postings[1].1);
        assert_eq!(
            index.forms.get("schools").map(String::as_str),
            Some("school")
        );
    }

    #[test]
    fn shard_keys_and_files() {
        assert_eq!(shard_key("望京"), "望");
        assert_eq!(shard_key("hospit"), "ho");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(key_file("望"), "671b");
        assert_eq!(key_file("ho"), "68-6f");
    }

    #[test]
    fn shards_round_trip() {
        let mut shard = Shard::default();
        shard.t.insert("社区".into(), vec![(0, 150), (3, 20)]);
        shard.f.insert("hospitals".into(), "hospit".into());
        let bytes = serde_json::to_vec(&shard).unwrap();
        assert_eq!(serde_json::from_slice::<Shard>(&bytes).unwrap(), shard);
    }
}
