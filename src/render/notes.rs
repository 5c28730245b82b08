//! Page notes: what a page tells its reader about its own text, beside the
//! text — whether a translation may be out of date (and when its original
//! changed), as of when its facts hold, and how many pages each scenario has.
//!
//! Each is a small, separate value inserted into the template context next to
//! `page`, so templates can show a notice before the text without the page data
//! growing.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::content::{Page, PageKind, Site, Source, Status, Version};
use crate::diagnostics::{Code, Diagnostic, Position};

use super::context::PageRef;

/// What the templates read as `notes`.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct PageNotes {
    /// The original (the default language's text) changed since this
    /// translation was made — or, on a fallback page, since the translation
    /// it shows was made.
    pub stale: bool,
    /// When the original last changed (its `updated`, else its `date`), if known.
    pub source_changed: Option<String>,
    /// The original's site path, for stale translations.
    pub source_url: Option<String>,
    /// The newest date of the sources the page cites and its own `updated`
    /// (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`): as of when the page's facts hold.
    pub facts_as_of: Option<String>,
}

/// The notes of `version` of `page`; `stale` holds the stale (page key, language) pairs.
pub(crate) fn page_notes(
    page: &Page,
    version: &Version,
    default_language: &str,
    stale: &BTreeSet<(String, String)>,
) -> PageNotes {
    // A fallback page shows another language's translation: stale if that is.
    let shown = match version.status {
        Status::Written => Some(&version.lang),
        Status::Fallback => Some(&version.text_lang),
        Status::Derived => None,
    };
    let is_stale = shown.is_some_and(|lang| stale.contains(&(page.key.clone(), lang.clone())));
    let original = page.version(default_language).filter(|_| is_stale);
    PageNotes {
        stale: is_stale,
        source_changed: original
            .and_then(|v| v.meta.updated.or(v.meta.date))
            .map(|d| d.to_string()),
        source_url: original.map(|v| v.url.clone()),
        facts_as_of: facts_as_of(version),
    }
}

/// The newest of the cited sources' dates and the page's `updated` (ISO dates
/// of any precision compare as text: `2022` < `2022-03` < `2022-03-05`).
pub(crate) fn facts_as_of(version: &Version) -> Option<String> {
    newest(
        version.meta.sources.as_deref().unwrap_or_default(),
        version.meta.updated,
    )
}

fn newest(sources: &[Source], updated: Option<jiff::civil::Date>) -> Option<String> {
    sources
        .iter()
        .filter_map(|s| s.date.clone())
        .chain(updated.map(|d| d.to_string()))
        .max()
}

/// Scenario key → how many pages of one language are tagged with it.
pub(crate) fn scenario_counts<'a, 's>(
    scenarios: &'s [String],
    refs: impl Iterator<Item = &'a PageRef>,
) -> BTreeMap<&'s str, usize> {
    let mut counts: BTreeMap<&'s str, usize> = scenarios.iter().map(|k| (k.as_str(), 0)).collect();
    for entry in refs {
        for key in &entry.scenarios {
            if let Some(count) = counts.get_mut(key.as_str()) {
                *count += 1;
            }
        }
    }
    counts
}

/// A warning (`theme/colour-collision`) for each community that has to wear
/// another community's colour because the theme defines fewer
/// `community_colours` than the site has communities. Communities take colours
/// in list order (weight, then title), as the listings give them.
pub(crate) fn colour_collisions(site: &Site, community_colours: usize) -> Vec<Diagnostic> {
    let default = &site.config.default_language;
    let mut communities: Vec<(i64, String, &Page)> = site
        .pages
        .values()
        .filter(|p| {
            p.section.as_deref() == Some(site.config.domain.communities_section.as_str())
                && p.kind == PageKind::Page
        })
        .filter_map(|p| {
            let v = p.version(default)?;
            Some((v.meta.weight.unwrap_or(0), v.title.to_lowercase(), &**p))
        })
        .collect();
    communities.sort_by(|a, b| (a.0, &a.1, &a.2.key).cmp(&(b.0, &b.1, &b.2.key)));
    let colours = community_colours.max(1);
    communities
        .iter()
        .enumerate()
        .skip(colours)
        .map(|(i, (_, _, page))| {
            let first = communities[i % colours].2;
            Diagnostic::warning(
                &page.file,
                Position::FILE,
                Code::ThemeColourCollision,
                format!(
                    "`{}` wears the same colour as `{}`: the theme defines {colours} community colours for {} communities",
                    page.key,
                    first.key,
                    communities.len()
                ),
            )
            .with_hint("add a `.community-N` class to the theme's CSS and raise `community_colours` in its theme.yaml")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_hold_as_of_the_newest_source_or_update() {
        assert_eq!(newest(&[], None), None);
        let source = |date: &str| Source {
            title: "t".into(),
            publisher: "p".into(),
            date: Some(date.into()),
            url: None,
        };
        let sources = [source("2021-05"), source("2022"), source("2020-01-02")];
        assert_eq!(newest(&sources, None).as_deref(), Some("2022"));
        let updated = Some(jiff::civil::date(2022, 9, 16));
        assert_eq!(newest(&sources, updated).as_deref(), Some("2022-09-16"));
    }
}
