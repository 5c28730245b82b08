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
//!
//! Heading ids and footnotes are in `anchors.rs`, content paths and local
//! links in `links.rs`, Han runs in `han.rs`.

mod anchors;
mod han;
mod links;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diagnostics::LineIndex;
pub(crate) use anchors::Heading;
use anchors::HeadingIds;
pub(crate) use han::{mark_han, writes_han};
pub(crate) use links::{InternalLink, LinkResolver, LocalLink, is_local, parse_content_path};

/// A rendered body.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rendered {
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
pub(crate) type Bodies = std::collections::BTreeMap<(String, String), Rendered>;

/// The Markdown extensions signpost reads (smart punctuation stays off: it
/// mangles Chinese quotes).
fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options
}

/// Renders `markdown` for a reader of `lang`; `@/…` links go through `resolver`.
pub(crate) fn render(markdown: &str, lang: &str, resolver: &dyn LinkResolver) -> Rendered {
    let options = options();
    let mut body = Body {
        markdown,
        lang,
        resolver,
        index: LineIndex::new(markdown),
        ids: HeadingIds::reserve(markdown, options),
        heading_start: None,
        events: Vec::new(),
        rendered: Rendered::default(),
    };
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        body.push(event, range.start);
    }
    body.finish()
}

/// One body being rendered: the events so far and what they found.
struct Body<'a, 'r> {
    markdown: &'a str,
    lang: &'a str,
    resolver: &'r dyn LinkResolver,
    index: LineIndex,
    ids: HeadingIds,
    /// Where the open heading's events start.
    heading_start: Option<usize>,
    events: Vec<Event<'a>>,
    rendered: Rendered,
}

impl<'a> Body<'a, '_> {
    /// Takes one parser event (starting at byte `offset`), rewritten where needed.
    fn push(&mut self, event: Event<'a>, offset: usize) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.heading_start = Some(self.events.len());
                self.events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = self.heading_start.take() {
                    let headings = &mut self.rendered.headings;
                    anchors::finish_heading(&mut self.events, start, &mut self.ids, headings);
                }
                self.events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with("@/") => {
                let pos = self.index.position(self.markdown, offset);
                let dest = links::resolve_link(
                    &dest_url,
                    self.lang,
                    pos,
                    self.resolver,
                    &mut self.rendered,
                );
                self.events.push(Event::Start(Tag::Link {
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
                self.rendered.local.push(LocalLink {
                    dest: dest_url.to_string(),
                    image: matches!(event, Event::Start(Tag::Image { .. })),
                    pos: self.index.position(self.markdown, offset),
                });
                self.events.push(event);
            }
            Event::FootnoteReference(label) => {
                self.events.push(anchors::footnote_reference(&label));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.events.push(anchors::footnote_definition(&label));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.events.push(Event::Html("</div>".into()));
            }
            other => self.events.push(other),
        }
    }

    /// Marks one-link list items and Han runs, then writes the HTML.
    fn finish(mut self) -> Rendered {
        mark_link_items(&mut self.events);
        if !writes_han(self.lang) {
            self.events = han::mark_han_events(self.events);
        }
        pulldown_cmark::html::push_html(&mut self.rendered.html, self.events.into_iter());
        self.rendered
    }
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

/// `text` escaped for HTML.
fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The plain text of a Markdown body, for search and summaries: blocks and
/// table cells are separated by spaces, markup is dropped.
pub(crate) fn plain_text(markdown: &str) -> String {
    let mut text = PlainText::default();
    for event in Parser::new_ext(markdown, options()) {
        text.push(&event);
    }
    text.out
}

/// Plain text gathered event by event: the words of text and code, one
/// space between words, blocks and cells, none at either end.
#[derive(Default)]
struct PlainText {
    out: String,
    /// Whether a space is owed before the next word.
    space: bool,
}

impl PlainText {
    fn push(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.words(t),
            Event::SoftBreak | Event::HardBreak => self.space = true,
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
            ) => self.space = true,
            _ => {}
        }
    }

    /// Appends `text` with its runs of white space made one space.
    fn words(&mut self, text: &str) {
        let mut rest = text;
        loop {
            let word = rest.trim_start();
            if word.len() != rest.len() {
                self.space = true;
            }
            if word.is_empty() {
                return;
            }
            let end = word.find(char::is_whitespace).unwrap_or(word.len());
            if self.space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.space = false;
            self.out.push_str(&word[..end]);
            rest = &word[end..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Position;

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
