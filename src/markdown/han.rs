//! Han runs on pages not written in Chinese: each run of Han characters goes
//! into a `<span lang>` naming its script (`zh-Hans` or `zh-Hant`, told apart
//! by conversion), so browsers draw it with Chinese glyph forms.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::escape;
use crate::i18n::convert::{han_lang, is_han};

/// Whether `lang` is written with Han characters itself (Chinese, Japanese,
/// Korean), so a Han run in its text needs no marking.
pub(crate) fn writes_han(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or(lang).to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "zh" | "ja" | "ko" | "yue" | "cmn" | "wuu" | "hak" | "nan"
    )
}

/// Puts every run of Han characters in a text event into a `<span lang>` naming
/// its script, so browsers draw it with Chinese (not Japanese) glyph forms.
/// Image alt text is left alone (an attribute cannot hold markup).
pub(super) fn mark_han_events(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
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
pub(crate) fn mark_han(text: &str) -> String {
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
