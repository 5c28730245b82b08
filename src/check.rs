//! Checks over the whole loaded site: what no single file can tell.
//!
//! In: the site model and the rendered bodies. Out: diagnostics for internal
//! links and `#anchors` that lead nowhere (in every language), and missing
//! translations (a warning per page, and a per-language count).

use std::collections::BTreeMap;

use crate::content::{Site, Status};
use crate::diagnostics::{Diagnostic, Position};
use crate::render::Bodies;

/// Reports broken internal links and anchors, located in the file that holds them.
pub fn links(site: &Site, bodies: &Bodies, out: &mut Vec<Diagnostic>) {
    for ((key, lang), body) in bodies {
        let Some(version) = site.pages.get(key).and_then(|p| p.version(lang)) else {
            continue;
        };
        // Derived and fallback versions share their source's links: report those once, at the source.
        if version.status != Status::Written || version.file.is_empty() {
            continue;
        }
        let at = |pos: Position| Position::new(version.body_line + pos.line - 1, pos.column);
        for link in &body.broken {
            out.push(
                Diagnostic::error(
                    &version.file,
                    at(link.pos),
                    "link/unresolved",
                    format!("the link `{}` leads to no page", link.written),
                )
                .with_hint(format!(
                    "content paths look like @/communities/wangjing.md; there is no page `{}`",
                    link.key
                )),
            );
        }
        for link in &body.links {
            let Some(anchor) = &link.anchor else { continue };
            let Some(target) = bodies.get(&(link.key.clone(), link.lang.clone())) else {
                continue;
            };
            if !target.headings.iter().any(|h| &h.id == anchor) {
                let known: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
                let mut d = Diagnostic::error(
                    &version.file,
                    at(link.pos),
                    "link/anchor",
                    format!(
                        "`{}`: the page has no heading `#{anchor}` in `{}`",
                        link.written, link.lang
                    ),
                );
                d = match crate::diagnostics::did_you_mean(anchor, known.iter().copied()) {
                    Some(near) => d.with_hint(format!("did you mean `#{near}`? Give the heading the same `{{#{anchor}}}` in every language")),
                    None => d.with_hint(format!("set the id on the heading in every language: `## Title {{#{anchor}}}`")),
                };
                out.push(d);
            }
        }
    }
}

/// Warns, per page, about languages shown in fallback, and counts them per language.
pub fn missing_translations(site: &Site, out: &mut Vec<Diagnostic>) {
    let missing = crate::content::missing_translations(site);
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
                "translation/missing",
                format!("{name} has no text in {}", langs.join(", ")),
            )
            .with_hint("readers of those languages see it in a fallback language"),
        );
    }
    for (lang, pages) in missing {
        out.push(Diagnostic::warning(
            "content",
            Position::FILE,
            "translation/summary",
            format!(
                "{lang}: {} page(s) shown in a fallback language",
                pages.len()
            ),
        ));
    }
}
