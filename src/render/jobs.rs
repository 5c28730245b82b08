//! Jobs: every output page the renderer writes, known from the site alone.

use std::collections::BTreeMap;

use crate::content::{Page, Site, Version};

use super::PageRecord;

/// The output path of a page's version (`en/communities/wangjing/index.html`).
pub(super) fn page_path(version: &Version) -> String {
    format!("{}index.html", version.url.trim_start_matches('/'))
}

/// Every page the renderer writes, with its source file, sorted by path;
/// read from the site alone, so it is known even when the templates are
/// broken (the checks of links and clashing paths use it).
pub(crate) fn planned_pages(site: &Site) -> Vec<PageRecord> {
    let mut records: Vec<PageRecord> = jobs(site)
        .iter()
        .filter(|job| !matches!(job, Job::Page(page, lang) if page.version(lang).is_none()))
        .map(|job| PageRecord {
            path: job.path(site),
            source: match job {
                Job::Page(page, lang) => page.version(lang).map(|v| v.file.clone()),
                _ => None,
            },
        })
        .collect();
    records.sort_by(|a, b| a.path.cmp(&b.path));
    records
}

/// Every page to render: each page in each language, the generated pages, the aliases.
pub(super) fn jobs(site: &Site) -> Vec<Job<'_>> {
    let config = &site.config;
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for page in site.pages.values() {
        for lang in config.codes() {
            jobs.push(Job::Page(page, lang));
        }
    }
    for lang in config.codes() {
        jobs.push(Job::Search(lang));
        jobs.push(Job::Feed(lang));
        jobs.push(Job::ScenarioIndex(lang));
        for scenario in &config.domain.scenarios {
            jobs.push(Job::Scenario(scenario, lang));
        }
    }
    jobs.push(Job::Chooser);
    jobs.push(Job::Status);
    jobs.push(Job::NotFound);
    for (path, target) in aliases(site) {
        jobs.push(Job::Alias(path, target));
    }
    jobs
}

/// Alias path → target site path, deduplicated, in path order.
pub(crate) fn aliases(site: &Site) -> Vec<(String, String)> {
    let config = &site.config;
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for page in site.pages.values() {
        for version in page.versions.values() {
            for alias in &version.aliases {
                if !crate::content::is_safe_site_path(&alias.value) {
                    continue;
                }
                let language_of_alias = config
                    .languages
                    .iter()
                    .find(|l| alias.value.starts_with(&format!("/{}/", l.prefix)));
                let target_lang =
                    language_of_alias.map_or(config.default_language.as_str(), |l| l.code.as_str());
                if let Some(target) = page.version(target_lang) {
                    out.entry(alias.value.clone())
                        .or_insert_with(|| target.url.clone());
                }
            }
        }
    }
    out.into_iter().collect()
}

/// A rendering job.
pub(super) enum Job<'p> {
    Page(&'p Page, &'p str),
    Scenario(&'p str, &'p str),
    ScenarioIndex(&'p str),
    Search(&'p str),
    Feed(&'p str),
    Chooser,
    Status,
    NotFound,
    Alias(String, String),
}

impl Job<'_> {
    /// The path the job writes, relative to the output root.
    pub(super) fn path(&self, site: &Site) -> String {
        let config = &site.config;
        match self {
            Job::Page(page, lang) => page.version(lang).map(page_path).unwrap_or_default(),
            Job::Scenario(key, lang) => {
                format!("{}/scenarios/{key}/index.html", config.prefix(lang))
            }
            Job::ScenarioIndex(lang) => format!("{}/scenarios/index.html", config.prefix(lang)),
            Job::Search(lang) => format!("{}/search/index.html", config.prefix(lang)),
            Job::Feed(lang) => format!("{}/feed/index.html", config.prefix(lang)),
            Job::Chooser => "index.html".to_string(),
            Job::Status => "translation-status/index.html".to_string(),
            Job::NotFound => "404.html".to_string(),
            Job::Alias(path, _) => format!("{}/index.html", path.trim_matches('/'))
                .trim_start_matches('/')
                .to_string(),
        }
    }
}
