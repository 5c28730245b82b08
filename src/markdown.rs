//! Markdown: a page body in, HTML with anchors and resolved links out.
//!
//! Steps: parse with pulldown-cmark (tables, footnotes, strikethrough,
//! `{#id}` heading attributes; smart punctuation off, as it mangles Chinese
//! quotes), give every heading a stable id (explicit `{#id}` first, then a
//! Unicode slug of its text, deduplicated), rewrite footnotes so their ids
//! cannot clash with headings, and resolve internal links written as content
//! paths (`@/communities/wangjing.md#pilots`) to the URL of the target page in
//! the reader's language, mark list items that are one link and nothing else
//! (`class="link-item"`, a list the theme draws as a menu), and on pages not
//! written in Chinese put Han runs in `<span lang>`. Links that lead nowhere
//! are returned for reporting.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::{LineIndex, Position};
use crate::i18n::convert::{han_lang, is_han};

/// A heading of a page, for tables of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// An internal link found in a body, for checking once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// The destination as written (`/en/policies/`, `../wangjing/`, `map.png`, `#top`).
    pub dest: String,
    /// Whether it is an image (`![](…)`).
    pub image: bool,
    /// Where the link is written, relative to the body.
    pub pos: Position,
}

/// Whether a link destination stays on this site: no scheme (`https:`,
/// `mailto:`…) and no `//host`.
pub fn is_local(dest: &str) -> bool {
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
pub trait LinkResolver {
    /// The URL of page `key` in `lang`, if the page exists.
    fn url(&self, key: &str, lang: &str) -> Option<String>;
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Internal links (resolved or not), for checks.
    pub links: Vec<InternalLink>,
    /// Internal links whose page does not exist.
    pub broken: Vec<InternalLink>,
    /// Site paths, relative paths and `#anchors`, for checks.
    pub local: Vec<LocalLink>,
}

/// Rendered Markdown bodies, by (page key, language).
pub type Bodies = std::collections::BTreeMap<(String, String), Rendered>;

/// Renders `markdown` for a reader of `lang`; `@/…` links go through `resolver`.
pub fn render(markdown: &str, lang: &str, resolver: &dyn LinkResolver) -> Rendered {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let index = LineIndex::new(markdown);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut rendered = Rendered::default();
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    // Explicit `{#id}`s are reserved first, so an earlier automatic id never takes one.
    let reserved: BTreeSet<String> = if markdown.contains("{#") {
        Parser::new_ext(markdown, options)
            .filter_map(|event| match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect()
    } else {
        BTreeSet::new()
    };
    let mut heading_start: Option<usize> = None;

    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading_start.take() {
                    let ids = (&mut used_ids, &reserved);
                    finish_heading(&mut events, start, ids, &mut rendered.headings);
                }
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let pos = index.position(markdown, range.start);
                let dest = resolve_link(&dest_url, lang, pos, resolver, &mut rendered);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::Start(
                Tag::Link {
                    link_type,
                    ref dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    ref dest_url,
                    ..
                },
            ) if link_type != LinkType::Email && is_local(dest_url) => {
                rendered.local.push(LocalLink {
                    dest: dest_url.to_string(),
                    image: matches!(event, Event::Start(Tag::Image { .. })),
                    pos: index.position(markdown, range.start),
                });
                events.push(event);
            }
            Event::FootnoteReference(label) => {
                let id = footnote_id(&label);
                let html = format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"fnref-{id}\">{}</a></sup>",
                    escape(&label)
                );
                events.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = footnote_id(&label);
                let html = format!(
                    "<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\">{}</span>",
                    escape(&label)
                );
                events.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::FootnoteDefinition) => events.push(Event::Html("</div>".into())),
            other => events.push(other),
        }
    }
    mark_link_items(&mut events);
    if !writes_han(lang) {
        events = mark_han_events(events);
    }
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter());
    rendered
}

/// Opens a list item that holds one link and nothing else
/// (`- [History](@/about/history.md)`) as `<li class="link-item">`: such a
/// list is a menu, and the theme gives each of its links a row a finger can hit.
fn mark_link_items(events: &mut [Event<'_>]) {
    for i in 0..events.len() {
        if matches!(events[i], Event::Start(Tag::Item)) && holds_one_link(&events[i + 1..]) {
            events[i] = Event::Html("<li class=\"link-item\">".into());
        }
    }
}

/// Whether `rest`, the events after an item's start, are one link (in a
/// paragraph of its own in a loose list) and then the item's end.
fn holds_one_link(rest: &[Event<'_>]) -> bool {
    let paragraph = matches!(rest.first(), Some(Event::Start(Tag::Paragraph)));
    let rest = &rest[usize::from(paragraph)..];
    if !matches!(rest.first(), Some(Event::Start(Tag::Link { .. }))) {
        return false;
    }
    let Some(end) = rest
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Link)))
    else {
        return false;
    };
    let mut after = rest[end + 1..].iter();
    if paragraph && !matches!(after.next(), Some(Event::End(TagEnd::Paragraph))) {
        return false;
    }
    matches!(after.next(), Some(Event::End(TagEnd::Item)))
}

/// Whether `lang` is written with Han characters itself (Chinese, Japanese,
/// Korean), so a Han run in its text needs no marking.
pub fn writes_han(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "zh" | "ja" | "ko" | "yue" | "cmn" | "wuu" | "hak" | "nan"
    )
}

/// Puts every run of Han characters in a text event into a `<span lang>` naming
/// its script, so browsers draw it with Chinese (not Japanese) glyph forms.
/// Image alt text is left alone (an attribute cannot hold markup).
fn mark_han_events(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut in_image = 0usize;
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Image { .. }) => {
                in_image += 1;
                event
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                event
            }
            Event::Text(text) if in_image == 0 && text.chars().any(is_han) => {
                Event::InlineHtml(mark_han(&text).into())
            }
            other => other,
        })
        .collect()
}

/// Escapes `text` for HTML and puts each run of Han characters (with the CJK
/// punctuation inside or right after it) in `<span lang="zh-Hans">` or
/// `<span lang="zh-Hant">`, told apart by conversion.
pub fn mark_han(text: &str) -> String {
    let punctuation = |c: char| {
        matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0x201C | 0x201D)
            || c == '·'
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = rest.find(is_han) {
        out.push_str(&escape(&rest[..start]));
        let run = &rest[start..];
        let end = run
            .char_indices()
            .find(|&(_, c)| !(is_han(c) || punctuation(c)))
            .map_or(run.len(), |(i, _)| i);
        let (han, after) = run.split_at(end);
        out.push_str(&format!(
            "<span lang=\"{}\">{}</span>",
            han_lang(han),
            escape(han)
        ));
        rest = after;
    }
    out.push_str(&escape(rest));
    out
}

/// Gives the heading that starts at `events[start]` its id, and records it.
fn finish_heading(
    events: &mut [Event<'_>],
    start: usize,
    (used, reserved): (&mut BTreeSet<String>, &BTreeSet<String>),
    headings: &mut Vec<Heading>,
) {
    let text: String = events[start + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading {
        level,
        id,
        classes,
        attrs,
    }) = &events[start]
    {
        let base = match id {
            Some(id) => id.to_string(),
            None => anchor_slug(&text),
        };
        // Ids stay unique even when `{#id}` repeats one: the first keeps it.
        let taken = |candidate: &String| {
            used.contains(candidate) || (id.is_none() && reserved.contains(candidate))
        };
        let mut unique = base.clone();
        let mut n = 1;
        while taken(&unique) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        used.insert(unique.clone());
        headings.push(Heading {
            level: heading_level(*level),
            id: unique.clone(),
            text: text.trim().to_string(),
        });
        events[start] = Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(unique)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        });
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A stable anchor for heading text: letters and digits of any script kept,
/// lower-cased, everything else folded into single `-`: `The 9 scenarios` →
/// `the-9-scenarios`, `九大场景` → `九大场景`, `Школы и больницы` → `школы-и-больницы`.
pub fn anchor_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn footnote_id(label: &str) -> String {
    anchor_slug(label)
}

/// Splits `@/communities/wangjing.en.md#pilots` into key, explicit language and anchor.
pub fn parse_content_path(dest: &str) -> Option<(String, Option<String>, Option<String>)> {
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

fn resolve_link(
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

fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The plain text of a Markdown body, for search and summaries: blocks and
/// table cells are separated by spaces, markup is dropped.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES,
    ) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition,
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pages;
    impl LinkResolver for Pages {
        fn url(&self, key: &str, lang: &str) -> Option<String> {
            match key {
                "communities/wangjing" => {
                    Some(format!("/{}/communities/wangjing/", lang.to_lowercase()))
                }
                "" => Some(format!("/{}/", lang.to_lowercase())),
                _ => None,
            }
        }
    }

    #[test]
    fn headings_get_stable_unicode_anchors() {
        let out = render(
            "## 九大场景\n\n## The 9 Scenarios\n\n## Школы и больницы\n\n## Same\n\n## Same\n",
            "en",
            &Pages,
        );
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "九大场景",
                "the-9-scenarios",
                "школы-и-больницы",
                "same",
                "same-1"
            ]
        );
        assert!(out.html.contains("<h2 id=\"九大场景\">"), "{}", out.html);
    }

    #[test]
    fn heading_ids_stay_unique_and_explicit_ones_win() {
        let out = render(
            "## Pilots\n\n## First {#pilots}\n\n## Again {#pilots}\n",
            "en",
            &Pages,
        );
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["pilots-1", "pilots", "pilots-2"]);
    }

    #[test]
    fn explicit_ids_win() {
        let out = render("## 九大场景 {#scenarios}\n", "zh-Hans", &Pages);
        assert_eq!(out.headings[0].id, "scenarios");
        assert_eq!(out.headings[0].text, "九大场景");
        assert!(out.html.contains("id=\"scenarios\""));
    }

    #[test]
    fn content_paths_resolve_in_the_readers_language() {
        let out = render(
            "See [Wangjing](@/communities/wangjing.md#pilots) and [home](@/_index.md).\n\n[x](@/nowhere.md)\n",
            "ru",
            &Pages,
        );
        assert!(
            out.html
                .contains("href=\"/ru/communities/wangjing/#pilots\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("href=\"/ru/\""));
        assert_eq!(out.broken.len(), 1);
        assert_eq!(out.broken[0].pos, Position::new(3, 1));
    }

    #[test]
    fn local_links_are_collected_for_checks() {
        let out = render(
            "[a](#top) [b](/en/x/) ![c](map.png)\n\n[d](https://example.org/) [e](mailto:a@b.c) [f](//cdn/x) <a@b.c> [g](../y/?q=a:b)\n",
            "en",
            &Pages,
        );
        let found: Vec<(&str, bool, Position)> = out
            .local
            .iter()
            .map(|l| (l.dest.as_str(), l.image, l.pos))
            .collect();
        assert_eq!(
            found,
            [
                ("#top", false, Position::new(1, 1)),
                ("/en/x/", false, Position::new(1, 11)),
                ("map.png", true, Position::new(1, 23)),
                ("../y/?q=a:b", false, Position::new(3, 66)),
            ]
        );
    }

    #[test]
    fn explicit_language_links() {
        let out = render("[en](@/communities/wangjing.en.md)", "ru", &Pages);
        assert!(out.html.contains("href=\"/en/communities/wangjing/\""));
    }

    #[test]
    fn footnotes_do_not_clash_with_headings() {
        let out = render("## 1\n\nText[^1].\n\n[^1]: Note.\n", "en", &Pages);
        assert!(out.html.contains("id=\"fn-1\""), "{}", out.html);
        assert!(out.html.contains("href=\"#fn-1\""));
        assert!(out.html.contains("<h2 id=\"1\">"));
    }

    #[test]
    fn plain_text_separates_blocks_and_cells() {
        let text = plain_text(
            "# Title {#t}\n\n| What | How many |\n|---|---|\n| Hospitals | 8 |\n\nOne *two*.\n",
        );
        assert_eq!(text, "Title What How many Hospitals 8 One two.");
    }

    #[test]
    fn han_runs_in_english_and_russian_text_are_marked() {
        let out = render(
            "Вангцзин (望京) и **國際學校**: «A & B»\n\n![望京](a.png)",
            "ru",
            &Pages,
        );
        assert!(
            out.html.contains("(<span lang=\"zh-Hans\">望京</span>)"),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains("<strong><span lang=\"zh-Hant\">國際學校</span></strong>")
        );
        assert!(out.html.contains("A &amp; B"), "{}", out.html);
        assert!(out.html.contains("alt=\"望京\""), "{}", out.html);
        let zh = render("望京 (Wangjing)", "zh-Hans", &Pages);
        assert!(!zh.html.contains("<span lang"), "{}", zh.html);
        let heading = render("## 望京小街\n", "en", &Pages);
        assert_eq!(heading.headings[0].id, "望京小街");
        assert_eq!(
            mark_han("a“两证”。b"),
            "a“<span lang=\"zh-Hans\">两证”。</span>b"
        );
    }

    #[test]
    fn items_that_are_one_link_are_marked() {
        let tight = render(
            "- [A](/a/)\n- [B](/b/): and more\n- text [C](/c/)\n",
            "en",
            &Pages,
        );
        assert_eq!(
            tight.html.matches("<li class=\"link-item\">").count(),
            1,
            "{}",
            tight.html
        );
        assert!(
            tight
                .html
                .contains("<li class=\"link-item\"><a href=\"/a/\">A</a></li>")
        );
        let loose = render("- [望京](/a/)\n\n- [B](/b/)\n", "en", &Pages);
        assert_eq!(
            loose.html.matches("<li class=\"link-item\">").count(),
            2,
            "{}",
            loose.html
        );
        assert!(loose.html.contains("<span lang=\"zh-Hans\">望京</span>"));
        let nested = render("- [A](/a/)\n  - [B](/b/)\n", "en", &Pages);
        assert_eq!(
            nested.html.matches("link-item").count(),
            1,
            "{}",
            nested.html
        );
    }

    #[test]
    fn chinese_quotes_survive() {
        let out = render("中文\"引号\"", "zh-Hans", &Pages);
        assert!(
            out.html.contains("中文&quot;引号&quot;") || out.html.contains("中文\"引号\""),
            "{}",
            out.html
        );
    }
}
