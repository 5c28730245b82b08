//! Where a template tag that is never closed begins.
//!
//! Tera reports an unterminated tag (`{% if x %` without its `}`) where it
//! noticed the problem, often on a later line. [`unterminated_before`] reads
//! the template's text and finds the tag's opening `{%`, `{{` or `{#`, so the
//! error points at the mistake.

use crate::diagnostics::Position;

/// The opening of the first tag before `noticed` that is never closed: the
/// text after it reaches another tag's opening, or the end, before its own
/// closing (`%}`, `}}`, `#}`; quoted strings inside `{% %}` and `{{ }}` are
/// skipped, and `{% raw %}` blocks are not looked into). `None` when every
/// tag before `noticed` is closed. With the position, the closing the tag lacks.
pub(crate) fn unterminated_before(
    text: &str,
    noticed: Position,
) -> Option<(Position, &'static str)> {
    let limit = offset_of(text, noticed)?;
    let mut at = 0;
    while let Some(open) = next_opener(text, at) {
        if open >= limit {
            return None;
        }
        let Some(end) = closing(text, open) else {
            let closer = match text.as_bytes()[open + 1] {
                b'%' => "%}",
                b'{' => "}}",
                _ => "#}",
            };
            return Some((position_of(text, open), closer));
        };
        at = end;
        if is_raw_start(&text[open..end]) {
            // Everything up to `{% endraw %}` is text, not tags.
            let rest = &text[end..];
            at = end + find_endraw(rest)?;
        }
    }
    None
}

/// The byte offset of the first `{%`, `{{` or `{#` at or after `from`.
fn next_opener(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (from..bytes.len().saturating_sub(1))
        .find(|&i| bytes[i] == b'{' && matches!(bytes[i + 1], b'%' | b'{' | b'#'))
}

/// The byte offset just after the closing of the tag opened at `open`;
/// `None` when another tag opens, or the text ends, first.
fn closing(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let kind = bytes[open + 1];
    let close = match kind {
        b'%' => b'%',
        b'{' => b'}',
        _ => b'#',
    };
    let mut quote: Option<u8> = None;
    let mut i = open + 2;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if kind != b'#' && matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            None if b == close && bytes.get(i + 1) == Some(&b'}') => return Some(i + 2),
            None if kind != b'#'
                && b == b'{'
                && matches!(bytes.get(i + 1), Some(b'%' | b'{' | b'#')) =>
            {
                return None;
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// Whether a closed tag is `{% raw %}` (with or without `-`).
fn is_raw_start(tag: &str) -> bool {
    let inner = tag[2..tag.len() - 2].trim_matches('-').trim();
    inner == "raw"
}

/// The byte offset just after the `{% endraw %}` that closes a raw block.
fn find_endraw(text: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(found) = text[at..].find("{%") {
        let open = at + found;
        let end = text[open..].find("%}")? + open + 2;
        if text[open + 2..end - 2].trim_matches('-').trim() == "endraw" {
            return Some(end);
        }
        at = open + 2;
    }
    None
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, position: Position) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..position.line {
        line_start += text[line_start..].find('\n')? + 1;
    }
    let line = &text[line_start..];
    let within = line
        .char_indices()
        .nth(position.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    Some(line_start + within)
}

/// The 1-based line and column (in characters) of a byte offset.
fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position::new(line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line and a column.
    type At = (usize, usize);

    /// (template, where Tera noticed, where the unterminated tag begins)
    const CASES: &[(&str, At, Option<At>)] = &[
        (
            "{% extends \"base.html\" %}\n{% if x %\n{% block main %}{% endblock main %}\n",
            (3, 2),
            Some((2, 1)),
        ),
        (
            "<p>望京 {{ page.title </p>\n<p>{{ y }}</p>\n",
            (2, 4),
            Some((1, 7)),
        ),
        ("<p>\n  {% if page.summary \n", (3, 1), Some((2, 3))),
        ("{# a note\n<p>{{ x }}</p>\n", (3, 1), Some((1, 1))),
        // Every tag is closed: the mistake is where Tera says.
        ("{% if x | | %}{% endif %}\n", (1, 11), None),
        ("{% set a = \"{{ %}\" %}\n{% if %}\n", (2, 7), None),
        ("{# {{ not a tag #}\n{% if %}\n", (2, 7), None),
        ("{% raw %}{{ {% {% endraw %}\n{% if %}\n", (2, 7), None),
        // A tag left open after the place Tera names is not the cause.
        ("{% if %}\n{{ x\n", (1, 7), None),
    ];

    #[test]
    fn the_closing_it_lacks_is_named() {
        let found = unterminated_before("{{ x\n{% if %}", Position::new(2, 7));
        assert_eq!(found, Some((Position::new(1, 1), "}}")));
    }

    #[test]
    fn the_tag_that_is_never_closed_is_found_where_it_opens() {
        for (text, (line, column), expected) in CASES {
            let found = unterminated_before(text, Position::new(*line, *column)).map(|(p, _)| p);
            let expected = expected.map(|(l, c)| Position::new(l, c));
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
