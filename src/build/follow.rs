//! What follows an edit's reload: the dev server tells open tabs to reload
//! as soon as the pages an edit reaches are written, then brings the site's
//! other files and the search index up to date here.
//!
//! In: the build after the edit, with the keys of the pages whose documents
//! may have changed. Out: first the feeds, sitemap, static and offline
//! files written again, with the checks of clashes and local links
//! ([`update_files`]); then the search files of the languages whose
//! documents differ (their old folder goes), and the offline lists again
//! (they name the index's files) ([`update_search`]). Afterwards the build
//! equals a fresh one.

use std::collections::BTreeMap;
use std::path::Path;

use super::Compiled;
use super::files::{check_written, unreadable, write_site_files};
use crate::diagnostics::{Severity, sorted};
use crate::output::{self, Sink};

/// What a step after the reload changed in the output.
#[derive(Debug, Default)]
pub(crate) struct FollowPatch {
    /// The output files to put (new or replaced).
    pub files: BTreeMap<String, Vec<u8>>,
    /// The output files that are gone.
    pub removed: Vec<String>,
    /// The languages whose index was written again, by folder prefix.
    pub languages: Vec<String>,
}

/// Whether the build's feeds, sitemap, static and offline files are still to
/// be written again after its last edit.
pub(crate) fn files_pending(compiled: &Compiled) -> bool {
    compiled.files_pending
}

/// Writes the site's files besides pages and the search index again, as a
/// build writes them, and checks clashes and local links against the whole
/// output: the files to put and remove, or `Err` when the checks found an
/// error (the caller rebuilds, which reports it).
pub(crate) fn update_files(compiled: &mut Compiled, root: &Path) -> Result<FollowPatch, ()> {
    compiled.files_pending = false;
    let sink = Sink::memory();
    for (path, hash) in &compiled.written {
        if !compiled.site_files.contains(path) {
            sink.keep(path.clone(), *hash);
        }
    }
    let mut found = Vec::new();
    write_site_files(root, &compiled.site, &sink, &mut found);
    let unread = unreadable(found.iter().chain(&compiled.page_diagnostics));
    check_written(&compiled.site, &compiled.bodies, &sink, unread, &mut found);
    if found.iter().any(|d| d.severity == Severity::Error) {
        return Err(());
    }
    let mut diagnostics = compiled.page_diagnostics.clone();
    diagnostics.extend(found.iter().cloned());
    compiled.diagnostics = sorted(diagnostics);
    compiled.file_diagnostics = found;
    let finished = sink.finish();
    compiled.site_files = finished.output.files.keys().cloned().collect();
    let removed = replace_written(compiled, finished.written);
    Ok(FollowPatch {
        files: finished.output.files,
        removed,
        languages: Vec::new(),
    })
}

/// Whether the build has search work left from its last edit.
pub(crate) fn search_pending(compiled: &Compiled) -> bool {
    !compiled.search_keys.is_empty()
}

/// Brings the search index of `compiled` up to date with its pages: the
/// files to put and remove. An error goes into the build's diagnostics.
pub(crate) fn update_search(compiled: &mut Compiled) -> FollowPatch {
    let keys = std::mem::take(&mut compiled.search_keys);
    let Some(kept) = compiled.search.as_mut() else {
        return FollowPatch::default();
    };
    let sink = Sink::memory();
    let put = |path, bytes: Vec<u8>| sink.put(path, bytes);
    let languages = match kept.update(&compiled.site, &compiled.bodies, &keys, &put) {
        Ok(languages) => languages,
        Err(error) => {
            compiled.page_diagnostics.push(error.clone());
            compiled.diagnostics.push(error);
            compiled.diagnostics = sorted(std::mem::take(&mut compiled.diagnostics));
            return FollowPatch::default();
        }
    };
    if languages.is_empty() {
        return FollowPatch::default();
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
    let removed = replace_written(compiled, finished.written);
    FollowPatch {
        files: finished.output.files,
        removed,
        languages,
    }
}

/// Takes `written` as the record of the build's files; returns the paths
/// the last record had that are gone from it.
fn replace_written(
    compiled: &mut Compiled,
    written: BTreeMap<String, (u64, usize)>,
) -> Vec<String> {
    let removed = compiled
        .written
        .keys()
        .filter(|path| !written.contains_key(*path))
        .cloned()
        .collect();
    compiled.written = written;
    removed
}
