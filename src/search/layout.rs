//! Laying an index out as files: term shards (split in buckets when large),
//! document metadata chunks, excerpt texts, the vocabulary by word length and
//! the filter lists, under a folder named by the hash of them all.

use std::collections::BTreeMap;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use super::{
    BUCKET_BYTES, Document, EXCERPT_TEXT, Index, MAX_BUCKETS, META_CHUNK, Manifest, SPLIT_ABOVE,
    tokenize,
};
use crate::diagnostics::{Diagnostic, to_json};

/// The shard a term or surface form lives in: its first Han character, else its first two characters.
pub(crate) fn shard_key(term: &str) -> String {
    let mut chars = term.chars();
    match chars.next() {
        Some(c) if tokenize::is_han(c) => c.to_string(),
        Some(c) => std::iter::once(c).chain(chars.next()).collect(),
        None => String::new(),
    }
}

/// The bucket of a split shard that `text` (a term, surface form or word
/// of the shard keyed `key`) goes in: the code point of its character after
/// the key modulo `buckets`, or `None` when it has none (the shard's own file).
pub(crate) fn bucket(text: &str, key: &str, buckets: usize) -> Option<usize> {
    let next = text.chars().nth(key.chars().count())?;
    Some(next as usize % buckets)
}

/// A shard key as a file stem: hex code points joined by `-` (`望` → `671b`).
pub(crate) fn key_file(key: &str) -> String {
    key.chars()
        .map(|c| format!("{:x}", c as u32))
        .collect::<Vec<_>>()
        .join("-")
}

/// One shard's content: terms with postings, and surface forms.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub(crate) struct Shard {
    /// Term → [[document, score], …].
    pub t: BTreeMap<String, Vec<(u32, u32)>>,
    /// Surface form → term.
    pub f: BTreeMap<String, String>,
    /// The Han terms that are dictionary words, not only bigrams (the query
    /// side prefers them when it segments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub w: Vec<String>,
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

/// One language's index laid out: manifest, files.
type Layout = (Manifest, Vec<(String, Vec<u8>)>);

/// Files of an index, by path relative to `search/<prefix>/<base>/`.
pub(super) type Files = Vec<(String, Vec<u8>)>;

/// Lays an index out as files (paths relative to `search/<prefix>/`).
pub(super) fn layout(
    lang: &str,
    documents: &[&Document],
    index: Index,
) -> Result<Layout, Diagnostic> {
    let mut files: Files = Vec::new();
    let mut shards = term_shards(index.terms, index.forms, index.han_words);
    let split = shard_files(&mut shards, &mut files)?;
    meta_files(documents, &mut files)?;
    text_files(documents, &mut files)?;
    let vocabulary = vocabulary_files(&index.vocabulary, &mut files)?;
    files.push((
        "filters.json".to_string(),
        to_json("filters.json", &filters(documents))?,
    ));
    // Every file's path carries a hash of them all, so a new index never
    // mixes with a cached old one.
    let mut hasher = Xxh3::new();
    for (path, bytes) in &files {
        hasher.update(path.as_bytes());
        hasher.update(bytes);
    }
    let base = format!("{:016x}", hasher.digest());
    let files = files
        .into_iter()
        .map(|(path, bytes)| (format!("{base}/{path}"), bytes))
        .collect();
    let manifest = Manifest {
        version: 3,
        lang: lang.to_string(),
        base,
        docs: documents.len(),
        chunk: META_CHUNK,
        shards: shards.keys().map(|k| key_file(k)).collect(),
        split,
        t2s: String::new(),
        stop: Vec::new(),
        vocabulary,
    };
    Ok((manifest, files))
}

/// Terms, surface forms and Han words gathered into shards by [`shard_key`].
fn term_shards(
    terms: BTreeMap<String, Vec<(u32, u32)>>,
    forms: BTreeMap<String, String>,
    han_words: std::collections::BTreeSet<String>,
) -> BTreeMap<String, Shard> {
    let mut shards: BTreeMap<String, Shard> = BTreeMap::new();
    for (term, postings) in terms {
        shards
            .entry(shard_key(&term))
            .or_default()
            .t
            .insert(term, postings);
    }
    for (form, term) in forms {
        shards
            .entry(shard_key(&form))
            .or_default()
            .f
            .insert(form, term);
    }
    for word in han_words {
        if let Some(shard) = shards.get_mut(&shard_key(&word)) {
            shard.w.push(word);
        }
    }
    shards
}

/// One file per shard (`t/<key>.json`); a shard over [`SPLIT_ABOVE`] bytes is
/// split into buckets by the character after its key. Returns the split
/// shards with their number of buckets.
fn shard_files(
    shards: &mut BTreeMap<String, Shard>,
    files: &mut Files,
) -> Result<BTreeMap<String, usize>, Diagnostic> {
    let mut split = BTreeMap::new();
    for (key, shard) in shards.iter_mut() {
        let stem = key_file(key);
        let path = format!("t/{stem}.json");
        let json = to_json(&path, shard)?;
        if json.len() <= SPLIT_ABOVE {
            files.push((path, json));
            continue;
        }
        let buckets = json.len().div_ceil(BUCKET_BYTES).min(MAX_BUCKETS);
        split.insert(stem.clone(), buckets);
        let mut parts = vec![Shard::default(); buckets + 1];
        let part = |text: &str| bucket(text, key, buckets).map_or(0, |b| b + 1);
        for (term, postings) in std::mem::take(&mut shard.t) {
            parts[part(&term)].t.insert(term, postings);
        }
        for (form, term) in std::mem::take(&mut shard.f) {
            parts[part(&form)].f.insert(form, term);
        }
        for word in std::mem::take(&mut shard.w) {
            parts[part(&word)].w.push(word);
        }
        for (n, part) in parts.iter().enumerate() {
            let path = match n {
                0 => format!("t/{stem}.json"),
                n => format!("t/{stem}.{}.json", n - 1),
            };
            let json = to_json(&path, part)?;
            files.push((path, json));
        }
    }
    Ok(split)
}

/// The documents' list rows (URL, title, language, section, kind,
/// communities), [`META_CHUNK`] documents a file (`m/<n>.json`).
fn meta_files(documents: &[&Document], files: &mut Files) -> Result<(), Diagnostic> {
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
        let path = format!("m/{n}.json");
        let json = to_json(&path, &rows)?;
        files.push((path, json));
    }
    Ok(())
}

/// Each document's excerpt text, one file a document (`x/<n>.json`): a
/// query fetches only its hits' text.
fn text_files(documents: &[&Document], files: &mut Files) -> Result<(), Diagnostic> {
    for (n, doc) in documents.iter().enumerate() {
        let end = doc.body.char_indices().nth(EXCERPT_TEXT);
        let text = &doc.body[..end.map_or(doc.body.len(), |(at, _)| at)];
        let path = format!("x/{n}.json");
        let json = to_json(&path, text)?;
        files.push((path, json));
    }
    Ok(())
}

/// The vocabulary for typo tolerance, one file per word length of 4 and
/// more (`v/<length>.json`); returns the lengths that have a file.
fn vocabulary_files(
    vocabulary: &std::collections::BTreeSet<String>,
    files: &mut Files,
) -> Result<Vec<usize>, Diagnostic> {
    let mut lengths: BTreeMap<usize, Vec<&String>> = BTreeMap::new();
    for word in vocabulary {
        let length = word.chars().count();
        if length >= 4 {
            lengths.entry(length).or_default().push(word);
        }
    }
    for (length, words) in &lengths {
        let path = format!("v/{length}.json");
        let json = to_json(&path, words)?;
        files.push((path, json));
    }
    Ok(lengths.into_keys().collect())
}

/// The filters: facet (`community`, `kind`, `section`) → value → document numbers.
fn filters<'a>(
    documents: &[&'a Document],
) -> BTreeMap<&'static str, BTreeMap<&'a str, Vec<usize>>> {
    let mut filters: BTreeMap<&'static str, BTreeMap<&'a str, Vec<usize>>> = BTreeMap::new();
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
    filters
}
