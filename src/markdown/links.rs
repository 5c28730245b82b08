//! Links in a body: content paths (`@/communities/wangjing.md#pilots`)
//! resolved to the target page's URL in the reader's language, and the links
//! that stay on the site collected for the checks after the build.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Position;

use super::Rendered;

/// An internal link found in a body, for checking once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InternalLink {
    /// The target page key (`communities/wangjing`).
    pub key: String,
    /// The language the link points to.
    pub lang: String,
    /// The `#anchor`, if any.
    pub anchor: Option<String>,
    /// Where the link is written, relative to the body.
    pub pos: Position,
    /// The link as written.
    pub written: String,
}

/// A link or image written as a site path, a relative path or a `#anchor`
/// (not a content path, and not to another site), for checking after the build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LocalLink {
    /// The destination as written (`/en/policies/`, `../wangjing/`, `map.png`, `#top`).
    pub dest: String,
    /// Whether it is an image (`![](…)`).
    pub image: bool,
    /// Where the link is written, relative to the body.
    pub pos: Position,
}

/// Whether a link destination stays on this site: no scheme (`https:`,
/// `mailto:`…) and no `//host`.
pub(crate) fn is_local(dest: &str) -> bool {
    if dest.starts_with("//") || dest.starts_with("@/") || dest.is_empty() {
        return false;
    }
    let scheme_end = dest.find(':');
    let path_start = dest.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(slash)) => colon > slash,
        (Some(_), None) => false,
        _ => true,
    }
}

/// What resolving an internal link needs from the site.
pub(crate) trait LinkResolver {
    /// The URL of page `key` in `lang`, if the page exists.
    fn url(&self, key: &str, lang: &str) -> Option<String>;
}

/// Splits `@/communities/wangjing.en.md#pilots` into key, explicit language and anchor.
pub(crate) fn parse_content_path(dest: &str) -> Option<(String, Option<String>, Option<String>)> {
    let rest = dest.strip_prefix("@/")?;
    let (path, anchor) = match rest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (rest, None),
    };
    let stem = path
        .strip_suffix(".md")
        .or_else(|| path.strip_suffix(".yaml"))
        .or_else(|| path.strip_suffix(".yml"))
        .unwrap_or(path);
    let (base, lang) = crate::content::split_language(stem);
    let key = if base == "_index" {
        String::new()
    } else if let Some(parent) = base
        .strip_suffix("/_index")
        .or_else(|| base.strip_suffix("/index"))
    {
        parent.to_string()
    } else {
        base.trim_end_matches('/').to_string()
    };
    Some((
        key,
        lang.map(str::to_string),
        anchor.filter(|a| !a.is_empty()),
    ))
}

/// The URL of a content-path link in the reader's language (`#` when the page
/// does not exist), recording the link in `rendered` for the checks.
pub(super) fn resolve_link(
    dest: &str,
    lang: &str,
    pos: Position,
    resolver: &dyn LinkResolver,
    rendered: &mut Rendered,
) -> String {
    let Some((key, explicit_lang, anchor)) = parse_content_path(dest) else {
        return dest.to_string();
    };
    let target_lang = explicit_lang.unwrap_or_else(|| lang.to_string());
    let link = InternalLink {
        key: key.clone(),
        lang: target_lang.clone(),
        anchor: anchor.clone(),
        pos,
        written: dest.to_string(),
    };
    match resolver.url(&key, &target_lang) {
        Some(url) => {
            rendered.links.push(link);
            match anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url,
            }
        }
        None => {
            rendered.broken.push(link);
            "#".to_string()
        }
    }
}
