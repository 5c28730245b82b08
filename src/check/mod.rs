//! Checks over the whole loaded site: what no single file can tell (SPEC §8).
//!
//! In: the site model and the rendered bodies. Out: diagnostics for internal
//! links and `#anchors` that lead nowhere (in every language), missing
//! translations (a warning per page, and a per-language count), site paths,
//! relative paths, images and same-page anchors ([`mod@links`]), numbers that
//! disagree between translations ([`numbers`]), repeated paragraphs, text in
//! the wrong script or language, mojibake ([`text`]) and stale translations
//! ([`stale`]).

pub(crate) mod links;
pub(crate) mod numbers;
pub(crate) mod stale;
pub(crate) mod text;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::content::{PageKind, Site, Status, Version};
use crate::diagnostics::{Code, Diagnostic, Position, Suggestion};
use crate::markdown::Bodies;

/// Runs the checks that read the words of every written page, in parallel.
pub(crate) fn words(site: &Site, out: &mut Vec<Diagnostic>) {
    words_of(site, &|_| true, out);
}

/// [`words`] for the pages whose key `wanted` accepts (the dev server's
/// quick path re-checks the pages it re-rendered).
pub(crate) fn words_of(
    site: &Site,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    out: &mut Vec<Diagnostic>,
) {
    let versions: Vec<&Version> = site
        .pages
        .values()
        .filter(|p| !p.implicit && p.kind != PageKind::Facility && wanted(&p.key))
        .flat_map(|p| p.versions.values())
        .filter(|v| v.status == Status::Written && !v.file.is_empty())
        .collect();
    let found: Vec<Vec<Diagnostic>> = versions
        .par_iter()
        .map(|version| {
            let mut found = Vec::new();
            let lines = text::prose_lines(&version.body, version.body_line);
            text::repeated_paragraphs(&version.file, &version.body, version.body_line, &mut found);
            text::wrong_script(&version.file, &version.lang, &lines, &mut found);
            text::mojibake(&version.file, &lines, &mut found);
            links::shortcodes(&version.file, &version.body, version.body_line, &mut found);
            found
        })
        .collect();
    out.extend(found.into_iter().flatten());
    fields(site, wanted, out);
    numbers_across_translations(site, wanted, out);
}

/// Language and script checks on every written title, summary and facility
/// text field, at the place each is written. Pages are checked in parallel;
/// the order of the findings does not depend on it.
fn fields(site: &Site, wanted: &(dyn Fn(&str) -> bool + Sync), out: &mut Vec<Diagnostic>) {
    let pages: Vec<_> = site
        .pages
        .values()
        .filter(|p| !p.implicit && wanted(&p.key))
        .collect();
    let found: Vec<Vec<Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let mut found = Vec::new();
            for version in page.versions.values() {
                fields_of(page.kind, version, &mut found);
            }
            found
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// [`fields`] for one version of a page of `kind`.
fn fields_of(kind: PageKind, version: &Version, out: &mut Vec<Diagnostic>) {
    if kind == PageKind::Facility {
        for (name, field) in &version.fields {
            if let (Status::Written, Some(pos)) = (field.status, field.pos) {
                let check = if name == "name" {
                    text::name
                } else {
                    text::field
                };
                check(&version.file, &field.lang, pos, &field.text, out);
            }
        }
        return;
    }
    if version.status != Status::Written || version.file.is_empty() {
        return;
    }
    let meta = &version.meta;
    if let Some(pos) = meta.title_pos {
        text::field(&version.file, &version.lang, pos, &version.title, out);
    }
    if let (Some(pos), Some(summary)) = (meta.summary_pos, &version.summary) {
        text::field(&version.file, &version.lang, pos, summary, out);
    }
}

/// Every quantity a version states, with the line it is first written on.
fn version_quantities(version: &Version) -> BTreeMap<String, (usize, String)> {
    let mut found = BTreeMap::new();
    let mut add = |line: usize, text: &str| {
        for q in numbers::line_values(text, &version.lang) {
            found.entry(q.value).or_insert((line, q.written));
        }
    };
    add(version.meta.title_pos.map_or(1, |p| p.line), &version.title);
    if let Some(summary) = &version.summary {
        add(version.meta.summary_pos.map_or(1, |p| p.line), summary);
    }
    for line in text::prose_lines(&version.body, version.body_line) {
        add(line.line, &line.text);
    }
    found
}

/// Warns where a translation states a number its source does not, or misses one.
pub(crate) fn numbers_across_translations(
    site: &Site,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    out: &mut Vec<Diagnostic>,
) {
    let config = &site.config;
    let pages: Vec<_> = site
        .pages
        .values()
        .filter(|p| !p.implicit && p.kind != PageKind::Facility && wanted(&p.key))
        .collect();
    let found: Vec<Vec<Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let mut found = Vec::new();
            let Some(source) = page.version(&config.default_language).filter(|v| v.status == Status::Written) else {
                return found;
            };
            let source_values = version_quantities(source);
            for version in page.versions.values().filter(|v| v.status == Status::Written && v.lang != config.default_language) {
                let own = version_quantities(version);
                for (value, (line, written)) in &own {
                    if !source_values.contains_key(value) {
                        found.push(
                            Diagnostic::warning(&version.file, Position::new(*line, 1), Code::TranslationNumbers, format!("`{written}` is not in the {} text ({})", config.default_language, source.file))
                                .with_hint("check the figure against the source; the same figure must appear in every language"),
                        );
                    }
                }
                for (value, (line, written)) in &source_values {
                    if !own.contains_key(value) {
                        found.push(
                            Diagnostic::warning(&version.file, version.meta.title_pos.unwrap_or(Position::new(1, 1)), Code::TranslationNumbers, format!("the {} text says `{written}` ({}:{line}); this translation never does", config.default_language, source.file))
                                .with_hint("add the figure, or correct the source"),
                        );
                    }
                }
            }
            found
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Where a position in a version's body is in its file, when the body was
/// written in this version's language: a Markdown body starts at `body_line`,
/// a facility's body is its `description.<lang>`, which starts where that value does.
pub(crate) fn body_position(version: &Version, pos: Position) -> Option<Position> {
    if version.status != Status::Written || version.file.is_empty() {
        return None;
    }
    if version.fields.is_empty() {
        return Some(Position::new(version.body_line + pos.line - 1, pos.column));
    }
    let description = version.fields.get("description")?;
    let start = description
        .pos
        .filter(|_| description.status == Status::Written)?;
    Some(if pos.line == 1 {
        Position::new(start.line, start.column + pos.column - 1)
    } else {
        Position::new(start.line + pos.line - 1, pos.column)
    })
}

/// Which links a check looks at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    /// Every link of the site.
    All,
}

impl Scope {
    /// Whether every link written on page `key` is checked.
    pub(crate) fn from(&self, _key: &str) -> bool {
        match self {
            Scope::All => true,
        }
    }
}

/// Reports broken internal links and anchors, located in the file that holds them.
pub(crate) fn links(site: &Site, bodies: &Bodies, out: &mut Vec<Diagnostic>) {
    links_in(site, bodies, Scope::All, out);
}

/// [`links()`] for the links of `scope`.
pub(crate) fn links_in(site: &Site, bodies: &Bodies, scope: Scope, out: &mut Vec<Diagnostic>) {
    for ((key, lang), body) in bodies {
        let whole = scope.from(key);
        if !whole
            && body
                .links
                .iter()
                .all(|l| l.anchor.is_none() || !scope.from(&l.key))
        {
            continue;
        }
        let Some(version) = site.pages.get(key).and_then(|p| p.versions.get(lang)) else {
            continue;
        };
        // Derived and fallback versions share their source's links: report those once, at the source.
        let Some(start) = body_position(version, Position::new(1, 1)) else {
            continue;
        };
        let at = |pos: Position| body_position(version, pos).unwrap_or(start);
        let broken = body.broken.iter().filter(|_| whole);
        for link in broken.filter(|l| !site.left_out(&l.key)) {
            out.push(
                Diagnostic::error(
                    &version.file,
                    at(link.pos),
                    Code::LinkUnresolved,
                    format!("the link `{}` leads to no page", link.written),
                )
                .with_hint(format!(
                    "content paths look like @/communities/wangjing.md; there is no page `{}`",
                    link.key
                )),
            );
        }
        for link in body.links.iter().filter(|l| whole || scope.from(&l.key)) {
            let Some(anchor) = &link.anchor else { continue };
            let Some(target) = bodies.get(&(link.key.clone(), link.lang.clone())) else {
                continue;
            };
            if !target.headings.iter().any(|h| &h.id == anchor) {
                let known: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
                out.push(
                    Diagnostic::error(
                        &version.file,
                        at(link.pos),
                        Code::LinkAnchor,
                        format!(
                            "`{}`: the page has no heading `#{anchor}` in `{}`",
                            link.written, link.lang
                        ),
                    )
                    .suggest(
                        Suggestion::nearest(anchor, known.iter().copied())
                            .anchor()
                            .note(format!(
                                "Give the heading the same `{{#{anchor}}}` in every language"
                            ))
                            .otherwise(format!(
                                "set the id on the heading in every language: `## Title {{#{anchor}}}`"
                            )),
                    ),
                );
            }
        }
    }
}

/// Warns, per page, about languages shown in fallback, and counts them per language.
///
/// `failed` holds the files that had errors: a translation that is missing
/// because its file could not be read is not reported again.
pub(crate) fn missing_translations(
    site: &Site,
    failed: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    let mut missing = crate::content::missing_translations(site);
    let default = site.config.default_language.as_str();
    for (lang, pages) in &mut missing {
        pages.retain(|page| {
            !translation_files(&page.file, lang, default)
                .iter()
                .any(|file| failed.contains(file))
        });
    }
    missing.retain(|_, pages| !pages.is_empty());
    let mut per_page: BTreeMap<&str, (String, Vec<&str>)> = BTreeMap::new();
    for (lang, pages) in &missing {
        for page in pages {
            per_page
                .entry(page.key.as_str())
                .or_insert_with(|| (page.file.clone(), Vec::new()))
                .1
                .push(lang.as_str());
        }
    }
    for (key, (file, langs)) in per_page {
        let name = if key.is_empty() {
            "the home page".to_string()
        } else {
            format!("`{key}`")
        };
        out.push(
            Diagnostic::warning(
                file,
                Position::FILE,
                Code::TranslationMissing,
                format!("{name} has no text in {}", langs.join(", ")),
            )
            .with_hint("readers of those languages see it in a fallback language"),
        );
    }
    for (lang, pages) in missing {
        out.push(Diagnostic::warning(
            crate::config::CONFIG_FILE,
            Position::FILE,
            Code::TranslationSummary,
            format!(
                "{lang}: {} page(s) shown in a fallback language",
                pages.len()
            ),
        ));
    }
}

/// The files that would hold the `lang` text of the page written in `file`
/// (`content/a/b.en.md` for `content/a/b.zh-Hans.md`; also `content/a/b.md`
/// in the default language).
fn translation_files(file: &str, lang: &str, default: &str) -> Vec<String> {
    let Some(stem) = file.strip_suffix(".md") else {
        return Vec::new();
    };
    let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    let (base, _) = crate::content::split_language(name);
    let prefix = if dir.is_empty() {
        base.to_string()
    } else {
        format!("{dir}/{base}")
    };
    let mut files = vec![format!("{prefix}.{lang}.md")];
    if lang == default {
        files.push(format!("{prefix}.md"));
    }
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_files_of_a_translation_are_named_from_the_page() {
        let cases: [(&str, &str, &[&str]); 4] = [
            (
                "content/policies/visa/index.zh-Hans.md",
                "en",
                &["content/policies/visa/index.en.md"],
            ),
            (
                "content/communities/wangjing.md",
                "ru",
                &["content/communities/wangjing.ru.md"],
            ),
            (
                "content/communities/wangjing.en.md",
                "zh-Hans",
                &[
                    "content/communities/wangjing.zh-Hans.md",
                    "content/communities/wangjing.md",
                ],
            ),
            ("content/facilities/station.yaml", "en", &[]),
        ];
        for (file, lang, expected) in cases {
            assert_eq!(
                super::translation_files(file, lang, "zh-Hans"),
                expected,
                "{file}"
            );
        }
    }
}
