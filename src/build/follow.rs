//! The search index after an edit, once its pages are served: the dev server
//! tells open tabs to reload as soon as the pages an edit reaches are
//! written, then brings the index up to date here.
//!
//! In: the build after the edit, with the keys of the pages whose documents
//! may have changed. Out: the search files of the languages whose documents
//! differ (their old folder goes), and the offline lists again (they name
//! the index's files); afterwards the build equals a fresh one.

use std::collections::BTreeMap;

use super::Compiled;
use crate::diagnostics::sorted;
use crate::output::{self, Sink};

/// What the search step changed in the output.
#[derive(Debug, Default)]
pub(crate) struct SearchPatch {
    /// The output files to put (new or replaced).
    pub files: BTreeMap<String, Vec<u8>>,
    /// The output files that are gone.
    pub removed: Vec<String>,
    /// The languages whose index was written again, by folder prefix.
    pub languages: Vec<String>,
}

/// Whether the build has search work left from its last edit.
pub(crate) fn search_pending(compiled: &Compiled) -> bool {
    !compiled.search_keys.is_empty()
}

/// Brings the search index of `compiled` up to date with its pages: the
/// files to put and remove. An error goes into the build's diagnostics.
pub(crate) fn update_search(compiled: &mut Compiled) -> SearchPatch {
    let keys = std::mem::take(&mut compiled.search_keys);
    let Some(kept) = compiled.search.as_mut() else {
        return SearchPatch::default();
    };
    let sink = Sink::memory();
    let put = |path, bytes: Vec<u8>| sink.put(path, bytes);
    let languages = match kept.update(&compiled.site, &compiled.bodies, &keys, &put) {
        Ok(languages) => languages,
        Err(error) => {
            compiled.diagnostics.push(error);
            compiled.diagnostics = sorted(std::mem::take(&mut compiled.diagnostics));
            return SearchPatch::default();
        }
    };
    if languages.is_empty() {
        return SearchPatch::default();
    }
    let folders: Vec<String> = languages.iter().map(|p| format!("search/{p}/")).collect();
    let config = &compiled.site.config;
    let offline = |path: &str| {
        path == "sw.js"
            || config
                .languages
                .iter()
                .any(|l| path.strip_prefix(&l.prefix) == Some("/offline.json"))
    };
    for (path, hash) in &compiled.written {
        if !folders.iter().any(|f| path.starts_with(f.as_str())) && !offline(path) {
            sink.keep(path.clone(), *hash);
        }
    }
    if let Err(error) = output::offline::add_offline_files(&sink, config) {
        compiled.diagnostics.push(error);
        compiled.diagnostics = sorted(std::mem::take(&mut compiled.diagnostics));
    }
    let finished = sink.finish();
    let removed = compiled
        .written
        .keys()
        .filter(|p| !finished.written.contains_key(*p))
        .cloned()
        .collect();
    compiled.written = finished.written;
    SearchPatch {
        files: finished.output.files,
        removed,
        languages,
    }
}
