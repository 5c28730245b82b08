//! The checks of words and numbers from the cache: a page's findings are
//! reused while the page (every version, as loaded) is the same; the other
//! pages are checked, and their findings kept by page.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::store::{Reader, Table, put_bytes};
use crate::content::Site;
use crate::diagnostics::{Diagnostic, StoredDiagnostic};

/// [`crate::check::words`] with the findings of unchanged pages taken from `table`.
pub(in crate::build) fn words_cached(site: &Site, table: &Table, out: &mut Vec<Diagnostic>) {
    let hashes: BTreeMap<&str, u64> = site
        .pages
        .par_iter()
        .map(|(key, page)| (key.as_str(), crate::render::fingerprint::page(page)))
        .collect();
    let reused: Vec<(&str, Option<Vec<Diagnostic>>)> = hashes
        .par_iter()
        .map(|(key, hash)| (*key, reuse(table, key, *hash)))
        .collect();
    let mut todo = BTreeSet::new();
    for (key, found) in reused {
        match found {
            Some(found) => out.extend(found),
            None => {
                todo.insert(key.to_string());
            }
        }
    }
    if todo.is_empty() {
        return;
    }
    let mut found = Vec::new();
    crate::check::words_of(site, &|key| todo.contains(key), &mut found);
    out.extend(found.iter().cloned());
    // Each finding is kept with the page whose file it names; when one names
    // no checked page's file, none is kept (they are checked again next time).
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for key in &todo {
        let page = &site.pages[key];
        owner.insert(page.file.as_str(), key.as_str());
        for version in page.versions.values() {
            owner.insert(version.file.as_str(), key.as_str());
        }
    }
    let mut by_page: BTreeMap<&str, Vec<StoredDiagnostic>> =
        todo.iter().map(|k| (k.as_str(), Vec::new())).collect();
    for diagnostic in &found {
        let Some(key) = owner.get(diagnostic.file.as_str()) else {
            return;
        };
        by_page.entry(key).or_default().push(diagnostic.into());
    }
    for (key, found) in by_page {
        let Ok(json) = serde_json::to_vec(&found) else {
            continue;
        };
        let mut value = hashes[key].to_le_bytes().to_vec();
        put_bytes(&mut value, &json);
        table.put(key.to_string(), value);
    }
}

/// A page's findings from the cache, when its hash is the one they were made for.
fn reuse(table: &Table, key: &str, hash: u64) -> Option<Vec<Diagnostic>> {
    let bytes = table.take(key)?;
    let mut reader = Reader(&bytes);
    (reader.u64()? == hash).then_some(())?;
    let stored: Vec<StoredDiagnostic> = serde_json::from_slice(reader.bytes()?).ok()?;
    stored.into_iter().map(StoredDiagnostic::restore).collect()
}
