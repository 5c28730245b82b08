//! Rendered pages from the cache: an output file is reused when the
//! fingerprint of what it read ([`ReadFingerprints`]) is the one stored with
//! it; the others are rendered, recording what they read, and stored.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::store::{Reader, Table, put_bytes};
use crate::output::Sink;
use crate::render::fingerprint::{Inputs, ReadFingerprints};
use crate::render::{OutputPage, PageRecord, Reads, RenderedFiles, Renderer};

/// Renders every output file into `sink`, taking from `table` those whose
/// reads did not change; the rendered ones are stored in `table` (unless a
/// template failed). The records are every file's, reused or rendered.
pub(in crate::build) fn render_pages_cached(
    renderer: &Renderer<'_>,
    inputs: Inputs<'_>,
    table: &Table,
    sink: &Sink,
) -> RenderedFiles {
    let (site, graph) = (inputs.site, inputs.graph);
    let planned = crate::render::planned_pages(site);
    let mut fingerprints = ReadFingerprints::new(inputs);
    let cache = PageCache::new(table);
    let reused = cache.reuse(&planned, &mut fingerprints, sink);
    tracing::info!(
        "build cache: {} of {} pages reused",
        reused.len(),
        planned.len()
    );
    let emit = |page: OutputPage| {
        cache.rendered(&page.path, page.html.as_bytes());
        sink.put(page.path, page.html.into_bytes());
    };
    let mut done = renderer.render_where(&|path| !reused.contains(path), Some(graph), &emit);
    if done.errors.is_empty() {
        cache.store(&done.reads, &mut fingerprints);
    }
    let reused = planned.into_iter().filter(|r| reused.contains(&r.path));
    done.records.extend(reused);
    done.records.sort_by(|a, b| a.path.cmp(&b.path));
    done
}

/// The `pages` table of an open cache, and the pages rendered in this build.
struct PageCache<'t> {
    table: &'t Table,
    fresh: Mutex<Vec<(String, Vec<u8>)>>,
}

/// A cached page: the fingerprint of its reads, its reads and its bytes.
fn decode(bytes: &[u8]) -> Option<(u64, Reads, Vec<u8>)> {
    let mut reader = Reader(bytes);
    let fingerprint = reader.u64()?;
    let reads = serde_json::from_slice(reader.bytes()?).ok()?;
    let page = reader.bytes()?.to_vec();
    reader.0.is_empty().then_some((fingerprint, reads, page))
}

impl<'t> PageCache<'t> {
    /// Pages from `table`.
    fn new(table: &'t Table) -> Self {
        PageCache {
            table,
            fresh: Mutex::default(),
        }
    }

    /// Puts into `sink` the pages of `planned` whose cached bytes are still
    /// what rendering would give; returns their paths.
    fn reuse(
        &self,
        planned: &[PageRecord],
        fingerprints: &mut ReadFingerprints<'_>,
        sink: &Sink,
    ) -> BTreeSet<String> {
        let found: Vec<(&str, u64, Reads, Vec<u8>)> = planned
            .par_iter()
            .filter_map(|record| {
                let (fingerprint, reads, page) = decode(&self.table.take(&record.path)?)?;
                Some((record.path.as_str(), fingerprint, reads, page))
            })
            .collect();
        fingerprints.prepare(found.iter().map(|(_, _, reads, _)| reads));
        let fingerprints = &*fingerprints;
        found
            .into_par_iter()
            .filter(|(_, stored, reads, _)| fingerprints.of(reads) == Some(*stored))
            .map(|(path, _, _, page)| {
                sink.put(path.to_string(), page);
                path.to_string()
            })
            .collect()
    }

    /// Keeps a page rendered in this build until [`PageCache::store`].
    fn rendered(&self, path: &str, page: &[u8]) {
        let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        fresh.push((path.to_string(), page.to_vec()));
    }

    /// Stores the pages rendered in this build with what they read.
    fn store(self, reads: &BTreeMap<String, Reads>, fingerprints: &mut ReadFingerprints<'_>) {
        let fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        fingerprints.prepare(reads.values());
        let fingerprints = &*fingerprints;
        let table = self.table;
        fresh.into_par_iter().for_each(|(path, page)| {
            let Some(reads) = reads.get(&path) else {
                return;
            };
            let (Some(fingerprint), Ok(json)) = (fingerprints.of(reads), serde_json::to_vec(reads))
            else {
                return;
            };
            let mut value = Vec::with_capacity(page.len() + json.len() + 16);
            value.extend_from_slice(&fingerprint.to_le_bytes());
            put_bytes(&mut value, &json);
            put_bytes(&mut value, &page);
            table.put(path, value);
        });
    }
}
