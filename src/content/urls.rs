//! Step 5 of loading: every version's URL, and the references a page makes
//! by name (communities, scenarios, aliases) checked against the site.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{Located, Page, PageKind, Site, Status, Version, slugify};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Position, Suggestion};

/// Computes every version's URL and reports two pages claiming one URL. A
/// page whose URLs are already right (the dev server's cached pages) is
/// left as it is, not copied.
pub(super) fn assign_urls(site: &mut Site, out: &mut Vec<Diagnostic>) {
    let config = &site.config;
    let mut claimed: BTreeMap<String, (String, String)> = BTreeMap::new();
    for page in site.pages.values_mut() {
        let urls = version_urls(page, config);
        if !page.versions.values().map(|v| &v.url).eq(urls.iter()) {
            let page = Arc::make_mut(page);
            for (version, url) in page.versions.values_mut().zip(urls) {
                version.url = url;
            }
        }
        for version in page.versions.values() {
            let path = &version.url;
            let folded = path.to_lowercase();
            if let Some((other_key, other_file)) = claimed.get(&folded) {
                if other_key != &page.key {
                    out.push(
                        Diagnostic::error(
                            &version.file,
                            Position::FILE,
                            Code::ContentDuplicateUrl,
                            format!("`{}` and `{other_key}` both claim the URL {path}", page.key),
                        )
                        .with_hint(format!(
                            "the other page is {other_file}; change one `slug` or rename a file"
                        )),
                    );
                }
            } else {
                claimed.insert(folded, (page.key.clone(), version.file.clone()));
            }
        }
    }
}

/// The URL of each version of `page`, in the order of its versions.
fn version_urls(page: &Page, config: &Config) -> Vec<String> {
    let dirs: Vec<String> = match page.kind {
        PageKind::Home => Vec::new(),
        PageKind::Section => page.key.split('/').map(slugify).collect(),
        PageKind::Page | PageKind::Facility => {
            let mut parts: Vec<&str> = page.key.split('/').collect();
            parts.pop();
            parts.into_iter().map(slugify).collect()
        }
    };
    let default_slug = page
        .versions
        .get(&config.default_language)
        .and_then(|v| v.meta.slug.as_ref());
    let file_slug = || slugify(page.key.rsplit('/').next().unwrap_or(""));
    page.versions
        .values()
        .map(|version| {
            let mut path = format!("/{}/", config.prefix(&version.lang));
            for dir in &dirs {
                path.push_str(dir);
                path.push('/');
            }
            if matches!(page.kind, PageKind::Page | PageKind::Facility) {
                let slug = version
                    .meta
                    .slug
                    .as_ref()
                    .filter(|_| version.status == Status::Written)
                    .or(default_slug)
                    .map_or_else(file_slug, |s| s.value.clone());
                path.push_str(&slug);
                path.push('/');
            }
            path
        })
        .collect()
}

/// One of a version's located lists, for telling inherited ones apart.
type ListOf = fn(&Version) -> &Option<Vec<Located<String>>>;

fn communities_of(version: &Version) -> &Option<Vec<Located<String>>> {
    &version.meta.communities
}

fn scenarios_of(version: &Version) -> &Option<Vec<Located<String>>> {
    &version.meta.scenarios
}

/// Reports communities and scenarios that do not exist, and aliases that try to leave the site.
pub(super) fn validate_references(site: &Site, out: &mut Vec<Diagnostic>) {
    let domain = &site.config.domain;
    let communities: BTreeSet<&str> = site
        .pages
        .keys()
        .filter_map(|k| domain.community_slug(k))
        .collect();
    for page in site.pages.values() {
        let source = page
            .version(&site.config.default_language)
            .filter(|v| v.status == Status::Written && page.kind != PageKind::Facility);
        for version in page
            .versions
            .values()
            .filter(|v| v.status == Status::Written)
        {
            // A list a translation inherits is reported once, in the file that writes it.
            let inherited = |list: ListOf| {
                source.is_some_and(|s| s.lang != version.lang && list(s) == list(version))
            };
            if let Some(list) = &version.meta.communities
                && !inherited(communities_of)
            {
                check_communities(site, version, list, &communities, out);
            }
            if let Some(list) = &version.meta.scenarios
                && !inherited(scenarios_of)
            {
                check_scenarios(site, version, list, out);
            }
            check_aliases(version, out);
        }
    }
}

/// Each community a version names is a page of the communities section
/// (or one left out of this build, whose references are not errors).
fn check_communities(
    site: &Site,
    version: &Version,
    list: &[Located<String>],
    communities: &BTreeSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let domain = &site.config.domain;
    for community in list {
        let failed = site.left_out(&domain.community_key(&community.value));
        if !communities.contains(community.value.as_str()) && !failed {
            out.push(
                Diagnostic::error(
                    &version.file,
                    community.pos,
                    Code::ContentUnknownCommunity,
                    format!("there is no community `{}`", community.value),
                )
                .suggest(
                    Suggestion::nearest(&community.value, communities.iter().copied()).otherwise(
                        format!(
                            "a community is a page content/{}/<slug>.md; name its slug",
                            domain.communities_section
                        ),
                    ),
                ),
            );
        }
    }
}

/// Each scenario a version names is one of the site's scenarios.
fn check_scenarios(
    site: &Site,
    version: &Version,
    list: &[Located<String>],
    out: &mut Vec<Diagnostic>,
) {
    let scenarios = &site.config.domain.scenarios;
    for scenario in list {
        if !site.config.domain.is_scenario(&scenario.value) {
            out.push(
                Diagnostic::error(
                    &version.file,
                    scenario.pos,
                    Code::ContentUnknownScenario,
                    format!("there is no scenario `{}`", scenario.value),
                )
                .suggest(
                    Suggestion::nearest(&scenario.value, scenarios.iter().map(String::as_str))
                        .otherwise(format!("scenarios: {}", scenarios.join(", "))),
                ),
            );
        }
    }
}

/// Each alias of a version is a path inside the site.
fn check_aliases(version: &Version, out: &mut Vec<Diagnostic>) {
    for alias in &version.aliases {
        if !is_safe_site_path(&alias.value) {
            out.push(
                Diagnostic::error(
                    &version.file,
                    alias.pos,
                    Code::ContentAliasPath,
                    format!("alias `{}` is not a path inside the site", alias.value),
                )
                .with_hint("write an absolute site path such as /en/old-page/, without `..`"),
            );
        }
    }
}

/// Whether `path` is an absolute site path that stays inside the output folder.
pub(crate) fn is_safe_site_path(path: &str) -> bool {
    let lowered = path.to_ascii_lowercase();
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && crate::source::first_hidden_char(path).is_none()
        && !lowered.contains("%2e")
        && !lowered.contains("%2f")
        && !lowered.contains("%5c")
        && path
            .split('/')
            .all(|segment| segment != ".." && segment != ".")
}
