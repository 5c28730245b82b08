//! What kind of change an edit was, in words, for the dev server's log:
//! "title of content/news/x.en.md changed", "new page content/…",
//! "template base.html changed", "UI strings changed (2 keys)".

use std::collections::BTreeSet;

use super::Compiled;
use crate::content::{FrontMatter, Page, Site, Status, Version};
use crate::i18n::reads::StringKeys;

/// Describes the change from `old` to `site` of the files `paths` (relative
/// to the root), with the templates and UI strings that changed.
pub(super) fn describe(
    old: &Compiled,
    site: &Site,
    paths: &[String],
    templates: &BTreeSet<String>,
    strings: &StringKeys,
) -> String {
    let mut said: Vec<String> = Vec::new();
    let paths: BTreeSet<&String> = paths.iter().collect();
    for path in paths.iter().filter(|p| p.starts_with("content/")) {
        said.push(content_change(&old.site, site, path));
    }
    for template in templates {
        said.push(format!("template {template} changed"));
    }
    if !strings.is_empty() {
        let keys: BTreeSet<&str> = strings.iter().map(|(_, k)| k.as_str()).collect();
        said.push(format!(
            "UI strings changed ({})",
            keys.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    for path in paths.iter().filter(|p| p.starts_with("static/")) {
        said.push(format!("static file {path} changed"));
    }
    said.dedup();
    if said.is_empty() {
        return "nothing the site shows changed".to_string();
    }
    if said.len() > 3 {
        let more = said.len() - 3;
        said.truncate(3);
        said.push(format!("{more} more"));
    }
    said.join("; ")
}

/// What happened to the content file `path`.
fn content_change(old: &Site, new: &Site, path: &str) -> String {
    match (written(old, path), written(new, path)) {
        (None, None) => format!("{path} changed"),
        (None, Some(_)) => format!("new page {path}"),
        (Some(_), None) => format!("{path} deleted"),
        (Some((old_page, a)), Some((new_page, b))) => {
            let mut what = fields(a, b);
            if format!("{:?}", old_page.facility) != format!("{:?}", new_page.facility) {
                what.push("facility data".to_string());
            }
            if what.is_empty() {
                format!("{path} saved unchanged")
            } else {
                format!("{} of {path} changed", what.join(", "))
            }
        }
    }
}

/// The page and version written in `path`.
fn written<'a>(site: &'a Site, path: &str) -> Option<(&'a Page, &'a Version)> {
    site.pages.values().find_map(|page| {
        let version = page
            .versions
            .values()
            .find(|v| v.file == path && v.status == Status::Written)?;
        Some((&**page, version))
    })
}

/// The names of what differs between two versions: `title`, `text`, front
/// matter keys, facility fields.
fn fields(a: &Version, b: &Version) -> Vec<String> {
    let mut what = Vec::new();
    if a.title != b.title {
        what.push("title".to_string());
    }
    if a.summary != b.summary {
        what.push("summary".to_string());
    }
    if a.body != b.body {
        what.push("text".to_string());
    }
    what.extend(front_matter_keys(&a.meta, &b.meta));
    let names: BTreeSet<&String> = a.fields.keys().chain(b.fields.keys()).collect();
    for name in names {
        if a.fields.get(name) != b.fields.get(name) && name != "summary" {
            what.push(format!("field {name}"));
        }
    }
    what
}

/// The front matter keys (other than title and summary) whose value differs.
fn front_matter_keys(a: &FrontMatter, b: &FrontMatter) -> Vec<String> {
    let keys = [
        ("date", a.date != b.date),
        ("updated", a.updated != b.updated),
        ("weight", a.weight != b.weight),
        ("draft", a.draft != b.draft),
        ("slug", a.slug != b.slug),
        (
            "communities",
            a.communities != b.communities || a.city_wide != b.city_wide,
        ),
        ("scenarios", a.scenarios != b.scenarios),
        ("sources", a.sources != b.sources),
        ("aliases", a.aliases != b.aliases),
        ("translated_from", a.translated_from != b.translated_from),
        ("extra", a.extra != b.extra),
    ];
    keys.into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(key, _)| key.to_string())
        .collect()
}
