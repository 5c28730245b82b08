//! Translation status: the state of every page in every language, for the
//! `/translation-status/` page and the command line's summary.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::content::{Site, TranslationState};

use super::Renderer;

/// Per language, how many pages are in each state.
pub(crate) type StateCounts = BTreeMap<String, BTreeMap<TranslationState, usize>>;

/// Counts, per language, the pages that are written, derived, fallback and
/// stale; `is_stale` says whether a (page key, language) is stale.
pub(crate) fn count_states(site: &Site, is_stale: &dyn Fn(&str, &str) -> bool) -> StateCounts {
    let mut counts = StateCounts::new();
    for page in site.pages.values().filter(|p| !p.implicit) {
        for version in page.versions.values() {
            let state = TranslationState::of(version.status, is_stale(&page.key, &version.lang));
            *counts
                .entry(version.lang.clone())
                .or_default()
                .entry(state)
                .or_default() += 1;
        }
    }
    counts
}

/// One row of the translation status page: a page and its state in every language.
#[derive(Debug, Clone, Serialize)]
pub(super) struct StatusRow {
    key: String,
    title: String,
    file: String,
    cells: Vec<StatusCell>,
}

/// One page in one language on the status page.
#[derive(Debug, Clone, Serialize)]
struct StatusCell {
    lang: String,
    url: String,
    state: TranslationState,
}

impl Renderer<'_> {
    /// The rows of the status page, in page key order.
    pub(super) fn status_rows(&self) -> Vec<StatusRow> {
        let config = &self.site.config;
        let stale: &BTreeSet<(String, String)> = &self.stale;
        self.site
            .pages
            .values()
            .filter(|p| !p.implicit)
            .map(|page| StatusRow {
                key: page.key.clone(),
                title: page
                    .version(&config.default_language)
                    .map(|v| v.title.clone())
                    .unwrap_or_default(),
                file: page.file.clone(),
                cells: config
                    .codes()
                    .filter_map(|lang| page.version(lang))
                    .map(|v| StatusCell {
                        lang: v.lang.clone(),
                        url: v.url.clone(),
                        state: TranslationState::of(
                            v.status,
                            stale.contains(&(page.key.clone(), v.lang.clone())),
                        ),
                    })
                    .collect(),
            })
            .collect()
    }
}
