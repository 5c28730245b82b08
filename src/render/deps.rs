//! Recorded dependencies: what each output file read while it was rendered,
//! so the dev server re-renders only the files an edit reaches.
//!
//! In: a rendering job, the templates and what the template functions looked
//! up. Out: a [`Reads`] per output file — the template rendered and every
//! template it extends, includes or imports; the pieces of the template
//! context it was given ([`Part`]: a page's own data, other pages' list
//! entries, a section's list, a community's members, a scenario, the feed…);
//! the UI strings and the pages' URLs the functions `t` and `url` looked up.
//! [`changed_parts`] compares two builds' listings and names the parts that
//! differ; a file whose reads meet a change is rendered again.
//!
//! Recording is off in `signpost build`: the renderer asks for it only when
//! the dev server does, and a function's lookup then costs one check of a
//! thread-local flag.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::{PageKind, Site};
use crate::i18n::reads::{StringKeys, differing};

use super::Listings;
use super::jobs::Job;

/// A piece of the template context that comes from the site's content. The
/// language comes first where there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Part {
    /// A page's own data in every language: its versions, bodies and
    /// staleness (a page shows its translations in the language switcher).
    Page(String),
    /// One page's list entry (title, summary, dates, URL, colour…).
    Entry(String, String),
    /// `sections`: the top-level sections' entries, in order.
    Sections(String),
    /// `communities`: the communities of the overview map and legends.
    Communities(String),
    /// A parent's child pages, in order.
    Children(String, String),
    /// A community's facilities and policies, in order.
    Members(String, String),
    /// The facilities that serve the whole city.
    CityWide(String),
    /// A scenario's tagged pages.
    Scenario(String, String),
    /// How many pages each scenario has.
    ScenarioCounts(String),
    /// The feed's entries.
    Feed(String),
    /// Every page's state, for the translation status page.
    Status,
    /// An alias's target, by the alias path.
    Alias(String),
}

/// What one output file read while it was rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Reads {
    /// The template rendered.
    pub template: String,
    /// The parts of the context it was given.
    pub parts: Vec<Part>,
    /// The UI strings looked up, as (language, key).
    pub strings: StringKeys,
    /// The pages whose URL `url(path="@/…")` looked up.
    pub urls: BTreeSet<String>,
}

thread_local! {
    static URLS: RefCell<Option<BTreeSet<String>>> = const { RefCell::new(None) };
}

/// Starts recording, on this thread, the UI strings and URLs a render reads.
pub(super) fn start() {
    crate::i18n::reads::start();
    URLS.with(|urls| *urls.borrow_mut() = Some(BTreeSet::new()));
}

/// Stops recording: the UI strings and the page keys of URLs read since [`start`].
pub(super) fn finish() -> (StringKeys, BTreeSet<String>) {
    let urls = URLS.with(|urls| urls.borrow_mut().take().unwrap_or_default());
    (crate::i18n::reads::finish(), urls)
}

/// Notes that `url()` looked up page `key`.
pub(super) fn note_url(key: &str) {
    URLS.with(|urls| {
        if let Some(keys) = urls.borrow_mut().as_mut()
            && !keys.contains(key)
        {
            keys.insert(key.to_string());
        }
    });
}

/// Each template's closure (itself and what it extends, includes or imports,
/// all the way down) and whether the closure mentions `sections` and
/// `communities`, found in the templates' text. A tag whose template is not a
/// quoted name, or the whole-context variable, counts as reading everything.
#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateGraph {
    closure: BTreeMap<String, BTreeSet<String>>,
    mentions: BTreeMap<String, (bool, bool)>,
}

impl TemplateGraph {
    /// The graph of `templates` (name → text).
    pub(crate) fn new<'a>(templates: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let texts: BTreeMap<&str, &str> = templates.collect();
        let all: BTreeSet<String> = texts.keys().map(|n| n.to_string()).collect();
        let direct: BTreeMap<&str, BTreeSet<String>> = texts
            .iter()
            .map(|(name, text)| (*name, references(text).unwrap_or_else(|| all.clone())))
            .collect();
        let mut graph = TemplateGraph::default();
        for name in texts.keys() {
            let mut seen = BTreeSet::from([name.to_string()]);
            let mut todo = vec![name.to_string()];
            while let Some(next) = todo.pop() {
                for child in direct.get(next.as_str()).into_iter().flatten() {
                    if seen.insert(child.clone()) {
                        todo.push(child.clone());
                    }
                }
            }
            let words = |word: &str| {
                seen.iter().any(|t| {
                    let text = texts.get(t.as_str()).copied().unwrap_or_default();
                    mentions(text, word) || mentions(text, "__tera_context")
                })
            };
            let flags = (words("sections"), words("communities"));
            graph.mentions.insert(name.to_string(), flags);
            graph.closure.insert(name.to_string(), seen);
        }
        graph
    }

    /// Whether rendering `template` reads the template `other`.
    pub(crate) fn reads(&self, template: &str, other: &str) -> bool {
        self.closure
            .get(template)
            .is_none_or(|closure| closure.contains(other))
    }

    fn mentions(&self, template: &str) -> (bool, bool) {
        self.mentions.get(template).copied().unwrap_or((true, true))
    }
}

/// The templates `text` names in `extends`, `include` and `import` tags;
/// `None` when one of them is not a quoted name.
fn references(text: &str) -> Option<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or_default();
        let tag = tag.trim_start_matches(['-', ' ', '\n', '\t', '\r']);
        let word = tag.split_whitespace().next().unwrap_or_default();
        if !["extends", "include", "import"].contains(&word) {
            continue;
        }
        let quoted: Vec<&str> = tag.split(['"', '\'']).skip(1).step_by(2).collect();
        if quoted.is_empty() {
            return None;
        }
        found.extend(quoted.into_iter().map(str::to_string));
    }
    Some(found)
}

/// Whether `text` has `word` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// The context parts a job is given, besides the language's site data.
pub(super) fn job_parts(
    site: &Site,
    job: &Job<'_>,
    template: &str,
    graph: &TemplateGraph,
) -> Vec<Part> {
    let config = &site.config;
    let lang = match job {
        Job::Page(_, lang)
        | Job::Scenario(_, lang)
        | Job::ScenarioIndex(lang)
        | Job::Search(lang)
        | Job::Feed(lang) => lang.to_string(),
        _ => config.default_language.clone(),
    };
    let mut parts = Vec::new();
    let (sections, communities) = graph.mentions(template);
    if sections && !matches!(job, Job::Alias(..)) {
        parts.push(Part::Sections(lang.clone()));
    }
    if communities && !matches!(job, Job::Alias(..)) {
        parts.push(Part::Communities(lang.clone()));
    }
    match job {
        Job::Page(page, _) => {
            parts.push(Part::Page(page.key.clone()));
            parts.push(Part::Entry(lang.clone(), page.key.clone()));
            parts.push(Part::Children(lang.clone(), page.key.clone()));
            for slug in page.communities(config) {
                parts.push(Part::Entry(lang.clone(), config.domain.community_key(slug)));
            }
            let domain = &config.domain;
            if page.section.as_deref() == Some(domain.communities_section.as_str())
                && page.kind == PageKind::Page
            {
                let prefix = format!("{}/", domain.communities_section);
                let slug = page.key.trim_start_matches(prefix.as_str()).to_string();
                parts.push(Part::Members(lang.clone(), slug));
                parts.push(Part::CityWide(lang));
            }
        }
        Job::Scenario(key, _) => parts.push(Part::Scenario(lang, key.to_string())),
        Job::ScenarioIndex(_) => parts.push(Part::ScenarioCounts(lang)),
        Job::Feed(_) => parts.push(Part::Feed(lang)),
        Job::Status => parts.push(Part::Status),
        Job::Alias(path, _) => parts.push(Part::Alias(path.clone())),
        Job::Search(_) | Job::Chooser | Job::NotFound => {}
    }
    parts
}

/// The parts whose value differs between two builds' listings, for the
/// languages of `site`: list entries, sections, communities, children,
/// members, city-wide facilities, scenarios, scenario counts and feeds.
/// (Pages' own data, the status page and aliases are compared by the build.)
pub(crate) fn changed_parts(site: &Site, old: &Listings, new: &Listings) -> BTreeSet<Part> {
    // Each language is compared on its own, in parallel.
    let codes: Vec<&str> = site.config.codes().collect();
    codes
        .par_iter()
        .map(|lang| changed_parts_of(site, lang, old, new))
        .reduce(BTreeSet::new, |mut a, b| {
            a.extend(b);
            a
        })
}

/// The lists a language's changed pages were or are in: their parents,
/// communities and scenarios (whether a page is city-wide or in the feed is
/// compared whole).
#[derive(Debug, Default)]
pub(super) struct Touched {
    pub(super) parents: BTreeSet<String>,
    communities: BTreeSet<String>,
    scenarios: BTreeSet<String>,
}

impl Touched {
    /// Notes the lists `entry` is in.
    pub(super) fn note(&mut self, entry: &super::context::PageRef) {
        self.communities.extend(entry.communities.iter().cloned());
        self.scenarios.extend(entry.scenarios.iter().cloned());
    }

    /// The parts of `lang` that differ between the lists `a` and `b`, where
    /// only the pages `keys` changed and only the lists noted may differ
    /// (sections and scenario counts are left to the caller).
    pub(super) fn compare(
        &self,
        lang: &str,
        keys: &BTreeSet<String>,
        (a, b): (&super::listings::Lists, &super::listings::Lists),
    ) -> BTreeSet<Part> {
        let l = || lang.to_string();
        let mut changed = BTreeSet::new();
        for key in keys {
            if a.entries.get(key) != b.entries.get(key) {
                changed.insert(Part::Entry(l(), key.clone()));
            }
        }
        for parent in &self.parents {
            if a.children.get(parent) != b.children.get(parent) {
                changed.insert(Part::Children(l(), parent.clone()));
            }
        }
        for slug in &self.communities {
            if a.members.get(slug) != b.members.get(slug) {
                changed.insert(Part::Members(l(), slug.clone()));
            }
        }
        for scenario in &self.scenarios {
            if a.scenarios.get(scenario) != b.scenarios.get(scenario) {
                changed.insert(Part::Scenario(l(), scenario.clone()));
            }
        }
        if a.city_wide != b.city_wide {
            changed.insert(Part::CityWide(l()));
        }
        if a.feed != b.feed {
            changed.insert(Part::Feed(l()));
        }
        changed
    }
}

/// The parts of one language that are a single list each (city-wide
/// facilities, feed, sections, communities, scenario counts) and differ.
fn changed_wholes(site: &Site, lang: &str, old: &Listings, new: &Listings) -> Vec<Part> {
    let (Some(a), Some(b)) = (old.lists.get(lang), new.lists.get(lang)) else {
        return Vec::new();
    };
    let l = || lang.to_string();
    let base = |listings: &Listings, name: &str| {
        listings.base.get(lang).and_then(|c| c.get(name).cloned())
    };
    let plain = [
        (a.city_wide != b.city_wide, Part::CityWide(l())),
        (a.feed != b.feed, Part::Feed(l())),
        (
            base(old, "sections") != base(new, "sections"),
            Part::Sections(l()),
        ),
        (
            base(old, "communities") != base(new, "communities"),
            Part::Communities(l()),
        ),
        (
            old.scenario_counts(site, lang) != new.scenario_counts(site, lang),
            Part::ScenarioCounts(l()),
        ),
    ];
    plain
        .into_iter()
        .filter(|(c, _)| *c)
        .map(|(_, p)| p)
        .collect()
}

/// [`changed_parts`] in one language.
fn changed_parts_of(site: &Site, lang: &str, old: &Listings, new: &Listings) -> BTreeSet<Part> {
    let mut changed = BTreeSet::new();
    let (Some(a), Some(b)) = (old.lists.get(lang), new.lists.get(lang)) else {
        return changed;
    };
    let l = || lang.to_string();
    differing(&a.entries, &b.entries, &mut |k| {
        changed.insert(Part::Entry(l(), k.to_string()));
    });
    differing(&a.children, &b.children, &mut |k| {
        changed.insert(Part::Children(l(), k.to_string()));
    });
    differing(&a.scenarios, &b.scenarios, &mut |k| {
        changed.insert(Part::Scenario(l(), k.to_string()));
    });
    differing(&a.members, &b.members, &mut |k| {
        changed.insert(Part::Members(l(), k.to_string()));
    });
    changed.extend(changed_wholes(site, lang, old, new));
    changed
}

impl Listings {
    /// How many pages of `lang` each scenario has (the scenarios page shows it).
    pub(super) fn scenario_counts(&self, site: &Site, lang: &str) -> BTreeMap<String, usize> {
        let refs = self.refs.get(lang).into_iter().flat_map(|r| r.values());
        super::notes::scenario_counts(&site.config.domain.scenarios, refs)
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closure_follows_extends_includes_and_imports() {
        let templates = [
            (
                "base.html",
                "{{ t(key='x') }}{% for s in sections %}{% endfor %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% include 'partials/a.html' %}",
            ),
            (
                "partials/a.html",
                "{% import \"macros.html\" as m %}{{ communities }}",
            ),
            ("macros.html", ""),
            ("alone.html", "{{ communities_section }}"),
            ("dynamic.html", "{% include page.extra.template %}"),
        ];
        let graph = TemplateGraph::new(templates.iter().copied());
        assert!(graph.reads("page.html", "macros.html"));
        assert!(graph.reads("page.html", "base.html"));
        assert!(!graph.reads("base.html", "page.html"));
        assert_eq!(graph.mentions("page.html"), (true, true));
        assert_eq!(graph.mentions("alone.html"), (false, false));
        assert!(graph.reads("dynamic.html", "alone.html"));
    }
}
