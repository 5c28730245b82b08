//! Links that are not content paths: `#anchors` on the same page, site paths
//! (`/en/policies/`), relative paths (`../wangjing/`), images and co-located
//! files; and Hugo shortcodes left in the text.
//!
//! In: the site, the rendered bodies and the paths of every file the build
//! writes. Out: `link/anchor` and `link/unresolved` errors at the link, in the
//! file that holds it; and, from [`shortcodes`] (run with the checks of
//! words), `text/shortcode` warnings. A link is resolved from
//! the URL of the page it is written on, as a browser would.

use std::collections::BTreeMap;

use crate::content::{Site, Status, Version};
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::markdown::{LocalLink, Rendered};
use crate::render::Bodies;

use super::Scope;

/// Checks the local links of `scope` of every written version against the
/// files of the build.
pub(crate) fn local_links<T>(
    site: &Site,
    bodies: &Bodies,
    files: &BTreeMap<String, T>,
    scope: Scope,
    out: &mut Vec<Diagnostic>,
) {
    // Anchors are looked up on these pages only: in a quick check, the
    // pages that changed (a link into any other page was checked before).
    let pages_by_url: BTreeMap<&str, (&str, &str)> = site
        .pages
        .values()
        .filter(|p| scope.from(&p.key))
        .flat_map(|p| {
            p.versions
                .values()
                .map(move |v| (v.url.as_str(), (p.key.as_str(), v.lang.as_str())))
        })
        .collect();
    let base_path = base_path(&site.config.base_url);
    for ((key, lang), body) in bodies {
        let whole = scope.from(key);
        let mut links = body
            .local
            .iter()
            .filter(|l| whole || (l.dest.contains('#') && !l.dest.starts_with('#')))
            .peekable();
        if links.peek().is_none() {
            continue;
        }
        let Some(version) = site.pages.get(key).and_then(|p| p.versions.get(lang)) else {
            continue;
        };
        if version.status != Status::Written || version.file.is_empty() {
            continue;
        }
        for link in links {
            let Some(at) = super::body_position(version, link.pos) else {
                continue;
            };
            let found = check_one(
                link,
                version,
                body,
                &base_path,
                files,
                &pages_by_url,
                bodies,
            );
            if let Some((code, message, hint)) = found {
                out.push(Diagnostic::error(&version.file, at, code, message).with_hint(hint));
            }
        }
    }
}

type Problem = (Code, String, String);

fn check_one<T>(
    link: &LocalLink,
    version: &Version,
    body: &Rendered,
    base_path: &str,
    files: &BTreeMap<String, T>,
    pages_by_url: &BTreeMap<&str, (&str, &str)>,
    bodies: &Bodies,
) -> Option<Problem> {
    let (path, anchor) = match link.dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (link.dest.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        let anchor = anchor.filter(|a| !a.is_empty())?;
        return missing_anchor(&link.dest, anchor, body);
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let Some(target) = resolve(&version.url, &decoded, base_path) else {
        return Some((
            Code::LinkUnresolved,
            format!("the link `{}` leaves the site", link.dest),
            "a site path starts at the site's root: /en/policies/".to_string(),
        ));
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else {
        target.clone()
    };
    let exists = files.contains_key(&file) || files.contains_key(&format!("{target}/index.html"));
    if !exists {
        let what = if link.image { "image" } else { "link" };
        return Some((
            Code::LinkUnresolved,
            format!(
                "the {what} `{}` leads to nothing the site publishes (/{target})",
                link.dest
            ),
            if link.image {
                "put the file beside the page (content/<section>/<slug>/index.md with the image in that folder) or in static/, and check the name".to_string()
            } else {
                "link to pages with content paths, which work in every language: [text](@/communities/wangjing.md)".to_string()
            },
        ));
    }
    let anchor = anchor.filter(|a| !a.is_empty())?;
    let url = format!("/{}", file.strip_suffix("index.html").unwrap_or(&file));
    let (key, lang) = pages_by_url.get(url.as_str())?;
    let target_body = bodies.get(&(key.to_string(), lang.to_string()))?;
    missing_anchor(&link.dest, anchor, target_body)
}

fn missing_anchor(written: &str, anchor: &str, body: &Rendered) -> Option<Problem> {
    let anchor = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
    let footnote = anchor.starts_with("fn-") || anchor.starts_with("fnref-");
    if footnote || body.headings.iter().any(|h| h.id == anchor) {
        return None;
    }
    let known = body.headings.iter().map(|h| h.id.as_str());
    let hint = crate::diagnostics::Suggestion::nearest(&anchor, known)
        .anchor()
        .otherwise(format!("give a heading that id: `## Title {{#{anchor}}}`"))
        .hint()
        .unwrap_or_default();
    Some((
        Code::LinkAnchor,
        format!("`{written}`: the page has no heading `#{anchor}`"),
        hint,
    ))
}

/// The path part of the base URL, without slashes at either end (`guide` for
/// `https://example.org/guide/`).
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.split_once('/').map_or("", |(_, path)| path);
    path.trim_matches('/').to_string()
}

/// Resolves `dest` against the page URL `from` (`/en/policies/x/`) to an
/// output path without leading `/` (`en/communities/`); `None` when it
/// climbs above the root. A site path may carry the base URL's path.
fn resolve(from: &str, dest: &str, base_path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let rest = if let Some(absolute) = dest.strip_prefix('/') {
        match absolute
            .strip_prefix(base_path)
            .filter(|_| !base_path.is_empty())
        {
            Some(inside) if inside.is_empty() || inside.starts_with('/') => inside,
            _ => absolute,
        }
    } else {
        parts.extend(from.split('/').filter(|s| !s.is_empty()));
        dest
    };
    let segments: Vec<&str> = rest.split('/').collect();
    for segment in &segments {
        match *segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    let mut path = parts.join("/");
    let is_folder = matches!(segments.last(), Some(&("" | "." | "..")));
    if is_folder && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// Warns about each Hugo shortcode (`{{< … >}}`, `{{% … %}}`) left in a body
/// outside code: signpost prints it as it is.
pub(crate) fn shortcodes(file: &str, body: &str, first_line: usize, out: &mut Vec<Diagnostic>) {
    let mut in_code = false;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        for opener in ["{{<", "{{%"] {
            for (offset, _) in line.match_indices(opener) {
                if line[..offset].matches('`').count() % 2 == 1 {
                    continue; // inside inline code
                }
                let closer = if opener == "{{<" { ">}}" } else { "%}}" };
                let after = &line[offset + 3..];
                let end = after
                    .find(closer)
                    .map_or(line.len(), |e| offset + 3 + e + 3);
                let written = &line[offset..end];
                let name: String = after
                    .trim_start()
                    .trim_start_matches('/')
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                let column = line[..offset].chars().count() + 1;
                let hint = if name == "ref" || name == "relref" {
                    "write the link as a content path: [text](@/communities/wangjing.md)"
                } else {
                    "signpost has no shortcodes: write the Markdown (or HTML) the shortcode stood for"
                };
                out.push(
                    Diagnostic::warning(
                        file,
                        Position::new(first_line + i, column),
                        Code::TextShortcode,
                        format!("the Hugo shortcode `{name}` (`{written}`) is printed as it is"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_a_browser() {
        let from = "/en/communities/wangjing/";
        assert_eq!(
            resolve(from, "../shunyi/", "").as_deref(),
            Some("en/communities/shunyi/")
        );
        assert_eq!(
            resolve(from, "map.png", "").as_deref(),
            Some("en/communities/wangjing/map.png")
        );
        assert_eq!(
            resolve(from, "/en/policies/nope/", "").as_deref(),
            Some("en/policies/nope/")
        );
        assert_eq!(resolve(from, "/guide/en/", "guide").as_deref(), Some("en/"));
        assert_eq!(resolve(from, "/", "").as_deref(), Some(""));
        assert_eq!(resolve(from, "../..", "").as_deref(), Some("en/"));
        assert_eq!(resolve(from, "../../../../x", ""), None);
    }

    #[test]
    fn shortcodes_are_named_once_each_outside_code() {
        let mut out = Vec::new();
        let body = "See {{< ref \"wangjing\" >}} and {{% notice %}}.\n\n```\n{{< ref x >}}\n```\n`{{< ref y >}}`\n";
        shortcodes("content/a.md", body, 5, &mut out);
        let found: Vec<(usize, usize, &str)> = out
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    5,
                    5,
                    "the Hugo shortcode `ref` (`{{< ref \"wangjing\" >}}`) is printed as it is"
                ),
                (
                    5,
                    32,
                    "the Hugo shortcode `notice` (`{{% notice %}}`) is printed as it is"
                ),
            ]
        );
    }
}
