//! Search: the site model in, a static sharded index per language out (SPEC §7).
//!
//! Steps:
//! 1. collect the documents of a language: every page version with its own
//!    text (fallback versions are left out, so no text is found twice);
//! 2. tokenize title, headings and body in parallel ([`tokenize`]);
//! 3. score each (document, term) BM25F-style ([`index`]): title and name
//!    above headings above body, normalized by length;
//! 4. shard terms by their first Han character or first two other characters,
//!    with the surface forms that lead to each stem, so the browser fetches
//!    only the shards its query words start with; a shard larger than
//!    [`SPLIT_ABOVE`] is split in buckets by the character after its key
//!    (a large site's common Han characters start thousands of words);
//! 5. write the shards, document lists and excerpt texts under a folder named
//!    by the hash of the whole index, and a small `manifest.json` naming it;
//! 6. write the vocabulary by word length (for typo tolerance: a query word
//!    fetches only the lengths it can be one or two edits from);
//! 7. write the Traditional → Simplified character map and the
//!    dependency-free ES module `/search/signpost-search.js`; the stop words
//!    go into each manifest, so a query needs no request for them.
//!
//! The file layout is defined here once; `signpost-search.js` reads it, and a
//! round-trip test in `tests/` checks the two agree on the guide's vocabulary.

mod cached;
mod documents;
pub(crate) mod index;
mod interner;
mod kept;
mod layout;
mod normalize;
pub(crate) mod tokenize;
pub(crate) mod variants;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, timed, to_json};
use crate::language::Language;
use crate::markdown::Bodies;
pub(crate) use documents::Document;
use documents::count_language;
pub(crate) use index::{Counted, Index};
pub(crate) use interner::Interner;
pub(crate) use kept::KeptIndex;
use layout::{Files, layout};
pub(crate) use tokenize::Tokenizer;

/// Where the counted terms of documents are kept between builds (the build
/// cache of `signpost build --cache`): by language and URL, each value the
/// hash of the document it was counted from and [`Counted::encode`]'s bytes.
pub(crate) trait CountCache: Sync {
    /// The value kept under `key`, if any (taken: each is asked for once).
    fn take(&self, key: &str) -> Option<Vec<u8>>;
    /// Keeps `value` under `key`.
    fn put(&self, key: String, value: Vec<u8>);
}

/// The ES module readers import: `import { search } from "/search/signpost-search.js"`.
pub(crate) const MODULE_PATH: &str = "search/signpost-search.js";
const MODULE: &str = include_str!("signpost-search.js");
/// Characters of body text kept per document for excerpts.
pub(crate) const EXCERPT_TEXT: usize = 4000;
/// Documents per metadata chunk.
pub(crate) const META_CHUNK: usize = 64;
/// Bytes of a term shard's JSON above which it is split in buckets.
pub(crate) const SPLIT_ABOVE: usize = 48 * 1024;
/// Bytes of JSON a bucket of a split shard is meant to hold, on average.
const BUCKET_BYTES: usize = 24 * 1024;
/// Buckets of a split shard at most.
const MAX_BUCKETS: usize = 32;

/// The manifest of one language's index.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Manifest {
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
    /// The shards split in buckets: file stem → number of buckets. A term
    /// of a split shard with a character `c` after the key is in
    /// `t/<stem>.<code point of c mod buckets>.json`; one with nothing after
    /// the key in `t/<stem>.json`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub split: BTreeMap<String, usize>,
    /// Path of the Traditional → Simplified map, relative to the module.
    pub t2s: String,
    /// The stop words of every language (normalized and folded).
    pub stop: Vec<String>,
    /// The word lengths the vocabulary has a file for (`v/<length>.json`).
    pub vocabulary: Vec<usize>,
}

/// Hands every file of the search to `put` as (site path, bytes): each
/// language's index as soon as it is laid out (so no language's files wait
/// in memory for the others), then the shared tables, the manifests and the
/// module. An `output/serialise` error if a file could not be written as JSON.
///
/// Memory stays bounded by what scoring needs: a document's full text lives
/// only while it is counted (then just its excerpt is kept), and each
/// language other than Chinese is counted, scored and written on its own,
/// beside the Chinese ones, which share one table of strings so their Han
/// words are converted to the other region's forms once for both.
pub(crate) fn write_indexes(
    site: &Site,
    bodies: &Bodies,
    cache: Option<&dyn CountCache>,
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Result<(), Diagnostic> {
    let tokenizer = Tokenizer::shared();
    let (chinese, others) = chinese_and_others(site);
    let (t2s_path, shared) = shared_tables()?;
    let group = cached::Group {
        site,
        bodies,
        cache,
        t2s: &t2s_path,
    };
    let (others, chinese) = rayon::join(
        || {
            others
                .par_iter()
                .map(|language| {
                    group.write(&[*language], put, &|put| {
                        let made = write_other(site, bodies, language, (tokenizer, cache), put);
                        made.map(|manifest| vec![manifest])
                    })
                })
                .collect::<Result<Vec<()>, Diagnostic>>()
        },
        || {
            group.write(&chinese, put, &|put| {
                write_chinese(site, bodies, &chinese, (tokenizer, cache), put)
            })
        },
    );
    others?;
    chinese?;
    for (path, bytes) in shared {
        put(path, bytes);
    }
    put(MODULE_PATH.to_string(), MODULE.as_bytes().to_vec());
    Ok(())
}

/// One language's index that is not Chinese: counted, scored and laid out
/// on its own. Returns its (prefix, manifest).
fn write_other(
    site: &Site,
    bodies: &Bodies,
    language: &Language,
    (tokenizer, cache): (&Tokenizer, Option<&dyn CountCache>),
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Result<(String, Manifest), Diagnostic> {
    let interner = Interner::default();
    let code = &language.code;
    let (documents, counted) = timed(&format!("    counting words ({code})"), || {
        count_language(site, bodies, language, (tokenizer, &interner), cache)
    });
    let strings = interner.into_strings();
    let index = timed(&format!("    scoring ({code})"), || {
        index::finish(counted, &index::Variants::default(), &strings)
    });
    let documents: Vec<&Document> = documents.iter().collect();
    timed(&format!("    laying out ({code})"), || {
        write_language(language, &documents, index, put)
    })
}

/// The tables every language's index shares (the Traditional → Simplified
/// map): its path as manifests name it, and its files.
fn shared_tables() -> Result<(String, Files), Diagnostic> {
    let mut out = Vec::new();
    // The whole map, so any query text normalizes exactly as the index side would.
    let t2s: String = tokenize::traditional_to_simplified()
        .iter()
        .flat_map(|(from, to)| [*from, *to])
        .collect();
    let t2s_path = shared_file(&mut out, "t2s", &t2s)?;
    Ok((t2s_path, out))
}

/// A language's `manifest.json`, naming the shared table `t2s` and the stop words.
fn manifest_file(
    prefix: &str,
    mut manifest: Manifest,
    t2s: &str,
) -> Result<(String, Vec<u8>), Diagnostic> {
    manifest.t2s = t2s.to_string();
    manifest.stop = tokenize::stop_words().iter().cloned().collect();
    let path = format!("search/{prefix}/manifest.json");
    let json = to_json(&path, &manifest)?;
    Ok((path, json))
}

/// The Chinese languages' indexes: counted in parallel with one table of
/// strings, their Han words' regional forms found once, then each scored and
/// written. Returns each language's (prefix, manifest).
fn write_chinese(
    site: &Site,
    bodies: &Bodies,
    languages: &[&Language],
    (tokenizer, cache): (&Tokenizer, Option<&dyn CountCache>),
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Result<Vec<(String, Manifest)>, Diagnostic> {
    let interner = Interner::default();
    let counted: Vec<(&Language, Vec<Document>, Vec<Counted>)> = languages
        .par_iter()
        .map(|language| {
            let code = &language.code;
            let (documents, counted) = timed(&format!("    counting words ({code})"), || {
                count_language(site, bodies, language, (tokenizer, &interner), cache)
            });
            (*language, documents, counted)
        })
        .collect();
    let all: Vec<&[Counted]> = counted.iter().map(|(_, _, c)| &c[..]).collect();
    let variants = timed("    regional forms of Han words", || {
        index::regional_variants(&interner, &all)
    });
    let strings = interner.into_strings();
    counted
        .into_par_iter()
        .map(|(language, documents, counted)| {
            let code = &language.code;
            let index = timed(&format!("    scoring ({code})"), || {
                index::finish(counted, &variants, &strings)
            });
            let documents: Vec<&Document> = documents.iter().collect();
            timed(&format!("    laying out ({code})"), || {
                write_language(language, &documents, index, put)
            })
        })
        .collect()
}

/// Lays one language's index out and hands its files to `put`; returns its
/// (prefix, manifest).
fn write_language(
    language: &Language,
    documents: &[&Document],
    index: Index,
    put: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Result<(String, Manifest), Diagnostic> {
    let (manifest, files) = layout(&language.code, documents, index).map_err(|mut e| {
        e.file = format!("search/{}/{}", language.prefix, e.file);
        e
    })?;
    let prefix = &language.prefix;
    for (path, bytes) in files {
        put(format!("search/{prefix}/{path}"), bytes);
    }
    Ok((prefix.clone(), manifest))
}

/// The site's Chinese languages (indexed together, sharing their regional
/// word forms) and the others (each on its own).
fn chinese_and_others(site: &Site) -> (Vec<&Language>, Vec<&Language>) {
    site.config
        .languages
        .iter()
        .partition(|language| is_chinese_code(&language.code))
}

/// Whether a language code is Chinese (its index gets the regional variants
/// of its Han words).
fn is_chinese_code(code: &str) -> bool {
    code.starts_with("zh")
}

/// Whether an index holds Chinese text (and so gets the regional variants of its words).
#[cfg(test)]
pub(crate) fn is_chinese(documents: &[Document]) -> bool {
    documents.iter().any(|doc| doc.lang.starts_with("zh"))
}

/// Adds `search/<name>.<hash>.json` to `out`; returns its path relative to the module.
fn shared_file(
    out: &mut Vec<(String, Vec<u8>)>,
    name: &str,
    value: &impl Serialize,
) -> Result<String, Diagnostic> {
    let json = to_json(&format!("search/{name}.json"), value)?;
    let path = format!("{name}.{:08x}.json", xxh3_64(&json) as u32);
    out.push((format!("search/{path}"), json));
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::layout::{Shard, bucket, key_file, shard_key};
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn shard_keys_and_files() {
        assert_eq!(shard_key("望京"), "望");
        assert_eq!(shard_key("hospit"), "ho");
        assert_eq!(shard_key("a"), "a");
        assert_eq!(key_file("望"), "671b");
        assert_eq!(key_file("ho"), "68-6f");
    }

    #[test]
    fn a_large_shard_is_split_by_the_character_after_its_key() {
        let mut index = Index::default();
        let postings: Vec<(u32, u32)> = (0..1000).map(|n| (n, 100)).collect();
        index.terms.insert("国".into(), vec![(0, 100)]);
        for c in "际家人内外民立企".chars() {
            index.terms.insert(format!("国{c}"), postings.clone());
            index.han_words.insert(format!("国{c}"));
        }
        index.terms.insert("望京".into(), vec![(1, 100)]);
        let (manifest, files) = layout("zh-Hans", &[], index.clone()).unwrap();
        let buckets = manifest.split["56fd"];
        assert!(
            buckets > 1 && !manifest.split.contains_key("671b"),
            "{:?}",
            manifest.split
        );
        let file = |path: &str| -> Shard {
            let full = format!("{}/t/{path}.json", manifest.base);
            let (_, bytes) = files.iter().find(|(p, _)| *p == full).unwrap();
            serde_json::from_slice(bytes).unwrap()
        };
        assert_eq!(file("56fd").t.keys().collect::<Vec<_>>(), ["国"]);
        for (term, postings) in &index.terms {
            let stem = key_file(&shard_key(term));
            let path = match manifest.split.get(&stem) {
                Some(&n) => bucket(term, &shard_key(term), n)
                    .map_or(stem.clone(), |b| format!("{stem}.{b}")),
                None => stem.clone(),
            };
            let shard = file(&path);
            assert_eq!(shard.t.get(term), Some(postings), "{term} in {path}");
            if index.han_words.contains(term) {
                assert!(shard.w.contains(term), "{term} in {path}");
            }
        }
        for b in 0..buckets {
            let path = format!("56fd.{b}");
            assert!(file(&path).t.len() < 8, "{path} holds a part of the shard");
        }
        let (again, files_again) = layout("zh-Hans", &[], index).unwrap();
        assert_eq!((again.base, files_again), (manifest.base, files));
    }

    #[test]
    fn shards_round_trip() {
        let mut shard = Shard::default();
        shard.t.insert("社区".into(), vec![(0, 150), (3, 20)]);
        shard.f.insert("hospitals".into(), "hospit".into());
        let bytes = serde_json::to_vec(&shard).unwrap();
        assert_eq!(serde_json::from_slice::<Shard>(&bytes).unwrap(), shard);
    }

    #[test]
    fn a_shared_table_that_cannot_be_serialised_is_an_error_and_no_file() {
        let mut out = Vec::new();
        let path = shared_file(&mut out, "stop", &["a", "b"]).unwrap();
        assert!(path.starts_with("stop.") && out.len() == 1, "{path}");
        let error = shared_file(&mut out, "t2s", &crate::diagnostics::Unserialisable).unwrap_err();
        assert_eq!(error.code, Code::OutputSerialise);
        assert_eq!(error.file, "search/t2s.json");
        assert_eq!(out.len(), 1, "nothing is added for the failed table");
    }
}
