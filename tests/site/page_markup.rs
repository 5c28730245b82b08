//! Snapshots of the `<main>` element of every kind of page, in English, in
//! Chinese and, where the page is built differently, in Russian: a template
//! change that alters the markup fails here until its snapshot is reviewed.
//!
//! The pages come from one build of `i18n/four-languages`, which has every
//! kind: home, sections, a community, a policy, a facility, a plain section
//! with a bundle, the scenarios, search, fallback and derived pages, and 404.
//! Each `<main>` is printed one element per line (see [`pretty`]) and
//! fingerprinted asset names (`name.<hex>.ext`) become `name.HASH.ext`, so the
//! snapshots are about markup, not about the theme's CSS and JS bytes.
//!
//! Snapshots live in `tests/site/snapshots/site__page_markup__*.snap`. To
//! accept a change on purpose: `cargo insta review` (after a failing run has
//! written `.snap.new` files), or `INSTA_UPDATE=always cargo test --test site
//! page_markup`, then read the diff before committing it.

use std::collections::BTreeSet;
use std::path::Path;

use scraper::{ElementRef, Node};

use crate::support::SiteTest;

/// (snapshot name, output page) — one row per kind and language.
const PAGES: &[(&str, &str)] = &[
    // Home.
    ("home-en", "en/index.html"),
    ("home-zh-hans", "zh-hans/index.html"),
    // Sections: communities (its own text in zh-Hans, a fallback in en and ru),
    // policies and facilities (listings only), a plain section.
    ("section-communities-en", "en/communities/index.html"),
    (
        "section-communities-zh-hans",
        "zh-hans/communities/index.html",
    ),
    ("section-communities-ru", "ru/communities/index.html"),
    ("section-policies-en", "en/policies/index.html"),
    ("section-policies-zh-hans", "zh-hans/policies/index.html"),
    ("section-facilities-en", "en/facilities/index.html"),
    (
        "section-facilities-zh-hans",
        "zh-hans/facilities/index.html",
    ),
    ("section-facilities-ru", "ru/facilities/index.html"),
    ("section-news-en", "en/news/index.html"),
    // Pages.
    ("community-en", "en/communities/wangjing/index.html"),
    (
        "community-zh-hans",
        "zh-hans/communities/wangjing/index.html",
    ),
    ("policy-en", "en/policies/service-system/index.html"),
    (
        "policy-zh-hans",
        "zh-hans/policies/service-system/index.html",
    ),
    ("facility-en", "en/facilities/station/index.html"),
    ("facility-zh-hans", "zh-hans/facilities/station/index.html"),
    ("facility-ru", "ru/facilities/station/index.html"),
    ("bundle-page-en", "en/news/opening/index.html"),
    // Scenarios.
    ("scenario-en", "en/scenarios/services/index.html"),
    ("scenario-zh-hans", "zh-hans/scenarios/services/index.html"),
    ("scenario-ru", "ru/scenarios/services/index.html"),
    ("scenarios-index-en", "en/scenarios/index.html"),
    ("scenarios-index-zh-hans", "zh-hans/scenarios/index.html"),
    // Search.
    ("search-en", "en/search/index.html"),
    ("search-zh-hans", "zh-hans/search/index.html"),
    ("search-ru", "ru/search/index.html"),
    // Fallbacks: ru has no text (en shown), zh-Hans has none for the news
    // page (en shown), the ru home falls back too.
    (
        "fallback-policy-ru",
        "ru/policies/service-system/index.html",
    ),
    (
        "fallback-community-ru",
        "ru/communities/wangjing/index.html",
    ),
    (
        "fallback-bundle-page-zh-hans",
        "zh-hans/news/opening/index.html",
    ),
    ("fallback-home-ru", "ru/index.html"),
    // Derived zh-Hant pages (converted from zh-Hans).
    (
        "derived-policy-zh-hant",
        "zh-hant/policies/service-system/index.html",
    ),
    (
        "derived-community-zh-hant",
        "zh-hant/communities/wangjing/index.html",
    ),
    ("derived-home-zh-hant", "zh-hant/index.html"),
    // 404: one page holding every language.
    ("not-found", "404.html"),
];

/// Every kind of page's `<main>`, compared with its committed snapshot. All
/// pages are compared before the test fails, so one run lists (and, outside
/// CI, writes `.snap.new` for) every page that changed.
#[test]
fn every_page_kind_main_matches_its_snapshot() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let mut failed = Vec::new();
    for (name, path) in PAGES {
        let page = site.page(path);
        let main = redact_fingerprints(&pretty(page.one("main")));
        let outcome = std::panic::catch_unwind(|| {
            insta::with_settings!({
                description => *path,
                omit_expression => true,
                prepend_module_to_snapshot => true,
            }, {
                insta::assert_snapshot!(*name, main);
            });
        });
        if outcome.is_err() {
            failed.push(format!("{name} ({path})"));
        }
    }
    assert!(
        failed.is_empty(),
        "the <main> of these pages differs from its snapshot in tests/site/snapshots/ \
         (review with `cargo insta review`):\n  {}",
        failed.join("\n  ")
    );
}

/// No snapshot is left behind by a page kind that was removed from [`PAGES`]:
/// every committed `site__page_markup__*.snap` has its row.
#[test]
fn every_snapshot_file_has_its_page() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/site/snapshots");
    let expected: BTreeSet<String> = PAGES
        .iter()
        .map(|(name, _)| format!("site__page_markup__{name}.snap"))
        .collect();
    let found: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("site__page_markup__") && f.ends_with(".snap"))
        .collect();
    let stale: Vec<&String> = found.difference(&expected).collect();
    assert!(stale.is_empty(), "snapshots with no page: {stale:?}");
    let missing: Vec<&String> = expected.difference(&found).collect();
    assert!(missing.is_empty(), "pages with no snapshot: {missing:?}");
}

/// Elements that have no closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// `element` printed one node per line, children indented by two spaces:
/// attributes in name order (as the parser keeps them), an element that is
/// empty or whose only child is text on one line, text that starts or ends with white space quoted
/// so that the space shows. Deterministic: the same markup gives the same text.
fn pretty(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    write_element(element, 0, &mut out);
    out
}

fn write_element(element: ElementRef<'_>, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let name = element.value().name();
    let mut open = format!("<{name}");
    for (attr, value) in element.value().attrs() {
        if value.is_empty() {
            open.push_str(&format!(" {attr}"));
        } else {
            open.push_str(&format!(" {attr}=\"{}\"", escape(value, true)));
        }
    }
    open.push('>');
    // Their text is not markup (`noscript` is parsed as text with scripting on).
    let raw = matches!(name, "script" | "style" | "noscript");
    let mut children = element.children().peekable();
    let only_text = element.children().count() == 1;
    if children.peek().is_none() {
        let close = if VOID.contains(&name) {
            String::new()
        } else {
            format!("</{name}>")
        };
        out.push_str(&format!("{indent}{open}{close}\n"));
        return;
    }
    if only_text
        && let Some(Node::Text(text)) = children.peek().map(|c| c.value())
        && !text.contains('\n')
    {
        let text = if raw {
            text.to_string()
        } else {
            escape(text, false)
        };
        out.push_str(&format!("{indent}{open}{text}</{name}>\n"));
        return;
    }
    out.push_str(&format!("{indent}{open}\n"));
    let inner = "  ".repeat(depth + 1);
    for child in children {
        if let Some(child) = ElementRef::wrap(child) {
            write_element(child, depth + 1, out);
            continue;
        }
        match child.value() {
            Node::Text(text) => {
                let text: &str = text;
                let text = if raw {
                    text.to_string()
                } else {
                    escape(text, false)
                };
                let shown = if text.trim() != text || text.contains('\n') {
                    format!("{text:?}")
                } else {
                    text
                };
                out.push_str(&format!("{inner}{shown}\n"));
            }
            Node::Comment(comment) => {
                out.push_str(&format!("{inner}<!--{}-->\n", &**comment));
            }
            _ => {}
        }
    }
    out.push_str(&format!("{indent}</{name}>\n"));
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if !attribute => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

/// `name.<hex>.ext` (a fingerprinted asset, 8 or more hex digits) becomes
/// `name.HASH.ext`; nothing else changes.
fn redact_fingerprints(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(dot) = rest.find('.') {
        out.push_str(&rest[..=dot]);
        rest = &rest[dot + 1..];
        let hex = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        let after = &rest[hex..];
        let preceded_by_name = out[..out.len() - 1]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let extension = after
            .strip_prefix('.')
            .is_some_and(|e| e.starts_with(|c: char| c.is_ascii_lowercase()));
        if hex >= 8 && preceded_by_name && extension {
            out.push_str("HASH");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn fingerprints_are_redacted_and_nothing_else() {
    for (input, expected) in [
        (
            "<script src=/search-page.47014074.js>",
            "<script src=/search-page.HASH.js>",
        ),
        (
            "href=/signage.0a98aadf.css x signage.438994a1c0ffee12.js",
            "href=/signage.HASH.css x signage.HASH.js",
        ),
        // Too short, not hex, no extension, no name: kept.
        (
            "a.beef.js v1.2.3 x.0a98aadz.css .0a98aadf.css",
            "a.beef.js v1.2.3 x.0a98aadz.css .0a98aadf.css",
        ),
        ("photo.0a98aadf. end", "photo.0a98aadf. end"),
    ] {
        assert_eq!(redact_fingerprints(input), expected, "{input}");
    }
}
