//! Heading anchors and footnote ids: every heading gets a stable id (an
//! explicit `{#id}` first, then a Unicode slug of its text, deduplicated), and
//! footnotes get `fn-`/`fnref-` ids that cannot clash with headings.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag};
use serde::{Deserialize, Serialize};

use super::escape;

/// A heading of a page, for tables of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// The ids given so far on one page, and the explicit `{#id}`s reserved
/// before any automatic id is made (so an earlier automatic id never takes one).
#[derive(Debug, Default)]
pub(super) struct HeadingIds {
    used: BTreeSet<String>,
    reserved: BTreeSet<String>,
}

impl HeadingIds {
    /// Reserves the explicit `{#id}`s of `markdown`.
    pub(super) fn reserve(markdown: &str, options: Options) -> Self {
        let reserved = if markdown.contains("{#") {
            Parser::new_ext(markdown, options)
                .filter_map(|event| match event {
                    Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                    _ => None,
                })
                .collect()
        } else {
            BTreeSet::new()
        };
        HeadingIds {
            used: BTreeSet::new(),
            reserved,
        }
    }
}

/// Gives the heading that starts at `events[start]` its id, and records it.
pub(super) fn finish_heading(
    events: &mut [Event<'_>],
    start: usize,
    ids: &mut HeadingIds,
    headings: &mut Vec<Heading>,
) {
    let HeadingIds { used, reserved } = ids;
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
pub(crate) fn anchor_slug(text: &str) -> String {
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

/// A footnote reference (`[^1]`) as a superscript link to its note.
pub(super) fn footnote_reference(label: &str) -> Event<'static> {
    let id = footnote_id(label);
    let html = format!(
        "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"fnref-{id}\">{}</a></sup>",
        escape(label)
    );
    Event::InlineHtml(html.into())
}

/// The opening of a footnote's definition (`[^1]: …`), closed by `</div>`.
pub(super) fn footnote_definition(label: &str) -> Event<'static> {
    let id = footnote_id(label);
    let html = format!(
        "<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\">{}</span>",
        escape(label)
    );
    Event::Html(html.into())
}
