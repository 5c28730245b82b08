//! A language's whole index from the build cache: when every document of a
//! language (of both Chinese languages, which are indexed together) is the
//! same as when its files were made, the files are put again as they were,
//! with no counting, scoring or laying out.
//!
//! In: the site, its bodies, the cache ([`CountCache`]) and the languages of
//! one index. Out: the index's files (its shards and manifest) in `put`.
//! The cached value is the hash of the languages' documents, then every file
//! as `[u32 length][path][u32 length][bytes]`.

use std::sync::Mutex;

use rayon::prelude::*;

use super::documents::{count_key, document, fingerprint};
use super::{CountCache, Manifest, manifest_file};
use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::language::Language;
use crate::markdown::Bodies;

/// Where files go.
type Put<'a> = &'a (dyn Fn(String, Vec<u8>) + Sync);

/// What makes one index: its files into the `put` it is given, and each
/// language's (prefix, manifest).
type Make<'a> = &'a (dyn Fn(Put<'_>) -> Result<Vec<(String, Manifest)>, Diagnostic> + Sync);

/// What every index of a build shares.
pub(super) struct Group<'a> {
    pub(super) site: &'a Site,
    pub(super) bodies: &'a Bodies,
    pub(super) cache: Option<&'a dyn CountCache>,
    /// The path of the Traditional → Simplified table, as manifests name it.
    pub(super) t2s: &'a str,
}

impl Group<'_> {
    /// Puts the files of the index of `languages` made by `make`, or kept in
    /// the cache when the languages' documents did not change.
    pub(super) fn write(
        &self,
        languages: &[&Language],
        put: Put<'_>,
        make: Make<'_>,
    ) -> Result<(), Diagnostic> {
        let Some(cache) = self.cache else {
            return self.make(put, make);
        };
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        let key = format!("index\n{}", codes.join(" "));
        let (hash, documents) = self.documents(&codes);
        if let Some(files) = cache.take(&key).and_then(|value| decode(&value, hash)) {
            // The documents' counts stay in the cache for the next change.
            for document in &documents {
                cache.take(document);
            }
            for (path, bytes) in files {
                put(path, bytes);
            }
            return Ok(());
        }
        let files = Mutex::new(Vec::new());
        let collect = |path: String, bytes: Vec<u8>| {
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, bytes));
        };
        self.make(&collect, make)?;
        let files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        cache.put(key, encode(hash, &files));
        for (path, bytes) in files {
            put(path, bytes);
        }
        Ok(())
    }

    /// Makes the index and its manifests.
    fn make(&self, put: Put<'_>, make: Make<'_>) -> Result<(), Diagnostic> {
        for (prefix, manifest) in make(put)? {
            let (path, json) = manifest_file(&prefix, manifest, self.t2s)?;
            put(path, json);
        }
        Ok(())
    }

    /// The hash of every document of `codes`, and the documents' keys in the cache.
    fn documents(&self, codes: &[&str]) -> (u64, Vec<String>) {
        let (site, bodies) = (self.site, self.bodies);
        let found: Vec<(String, u64)> = codes
            .iter()
            .flat_map(|code| site.pages.values().map(move |page| (*code, page)))
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|(code, page)| {
                let document = document(site, bodies, page, code)?;
                Some((count_key(code, &document.url), fingerprint(&document)))
            })
            .collect();
        let mut hash = Fingerprint::default();
        for (key, document) in &found {
            hash.bytes(key.as_bytes()).number(*document);
        }
        (
            hash.finish(),
            found.into_iter().map(|(key, _)| key).collect(),
        )
    }
}

/// The cached value of an index's files.
fn encode(hash: u64, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let size: usize = files.iter().map(|(p, b)| p.len() + b.len() + 8).sum();
    let mut out = Vec::with_capacity(size + 8);
    out.extend_from_slice(&hash.to_le_bytes());
    for (path, bytes) in files {
        for part in [path.as_bytes(), bytes] {
            out.extend_from_slice(&(part.len() as u32).to_le_bytes());
            out.extend_from_slice(part);
        }
    }
    out
}

/// An index's files from its cached value, when it was made for `hash`.
fn decode(value: &[u8], hash: u64) -> Option<Vec<(String, Vec<u8>)>> {
    let (made_for, mut rest) = value.split_at_checked(8)?;
    if u64::from_le_bytes(made_for.try_into().ok()?) != hash {
        return None;
    }
    let mut take = || -> Option<&[u8]> {
        let (length, after) = rest.split_at_checked(4)?;
        let length = u32::from_le_bytes(length.try_into().ok()?) as usize;
        let (part, after) = after.split_at_checked(length)?;
        rest = after;
        Some(part)
    };
    let mut files = Vec::new();
    while let Some(path) = take() {
        let path = String::from_utf8(path.to_vec()).ok()?;
        files.push((path, take()?.to_vec()));
    }
    rest.is_empty().then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_and_another_hash_or_damage_is_refused() {
        let files = vec![
            ("a/b.json".to_string(), b"{}".to_vec()),
            ("c".into(), vec![]),
        ];
        let value = encode(7, &files);
        assert_eq!(decode(&value, 7), Some(files));
        assert_eq!(decode(&value, 8), None);
        assert_eq!(decode(&value[..value.len() - 1], 7), None);
    }
}
