//! Templates made compact once, at load, so that pages come out minified
//! without a second pass over every rendered page.
//!
//! In an HTML template, a run of white space that holds a line break is
//! layout for the template's reader, not for the page's: it is dropped where
//! it touches a block-level tag (white space beside a block boundary is never
//! drawn) and becomes one space elsewhere (which draws the same). Comments
//! that hold no Tera tag are dropped. Left as written: Tera's own tags
//! (`{{ }}`, `{% %}`, `{# #}`, `{% raw %}` blocks), quoted attribute values,
//! runs without a line break, and the content of `pre`, `textarea`, `script`
//! and `style`. What Tera and Markdown put into a page is not touched.
//!
//! Tera reports places in the compacted text; [`source_position`] turns one
//! back into the template file's own line and column.
//!
//! What the templates cannot know — white space left between two tags by
//! Tera's own tags, and the line breaks Markdown puts between blocks — goes
//! in one quick pass over each rendered page ([`page`]): white space alone
//! between two tags, one of them block-level, is dropped.

use crate::diagnostics::Position;

/// Elements around which white space is never drawn: the block-level ones,
/// and those of `head` (where no text is drawn at all). Sorted (searched by
/// halves).
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "blockquote",
    "body",
    "br",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "meta",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Elements whose content is kept byte for byte.
const VERBATIM_ELEMENTS: &[&str] = &["pre", "textarea", "script", "style"];

/// A template's text made compact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Compacted {
    /// The text to give Tera.
    pub text: String,
    /// `(offset in text, offset in the source)` after each place where
    /// something was dropped, in order.
    anchors: Vec<(usize, usize)>,
}

impl Compacted {
    /// The offset in the source of an offset in the compacted text.
    fn source_offset(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).map(|i| self.anchors[i]) {
            Some((at, source)) => source + (offset - at),
            None => offset,
        }
    }
}

/// What the compacted text ends with, as far as white space after it cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// The end of a block-level tag.
    BlockTag,
    /// Anything else (text, an inline tag, a Tera tag, the start).
    Other,
}

/// Makes an HTML template compact (see the module's documentation).
pub(super) fn compact(source: &str) -> Compacted {
    let mut out = Compactor {
        source,
        at: 0,
        text: String::with_capacity(source.len()),
        anchors: Vec::new(),
        before: Before::Other,
    };
    out.run();
    Compacted {
        text: out.text,
        anchors: out.anchors,
    }
}

/// The place in the template file of a place Tera names in the compacted text
/// of `source` (1-based line and column, in characters).
pub(super) fn source_position(source: &str, pos: Position) -> Position {
    let compacted = compact(source);
    let Some(offset) = offset_of(&compacted.text, pos) else {
        return pos;
    };
    let offset = compacted.source_offset(offset).min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position::new(
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The byte offset of a 1-based line and column (in characters) in `text`.
fn offset_of(text: &str, pos: Position) -> Option<usize> {
    let line_start = if pos.line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(pos.line - 2)?.0 + 1
    };
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let within = line
        .char_indices()
        .nth(pos.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    Some(line_start + within)
}

/// The largest char boundary of `text` at or below `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The scan over one template.
struct Compactor<'a> {
    source: &'a str,
    /// Offset of the next unread byte of `source`.
    at: usize,
    text: String,
    anchors: Vec<(usize, usize)>,
    before: Before,
}

impl Compactor<'_> {
    fn rest(&self) -> &str {
        &self.source[self.at..]
    }

    /// Copies `len` bytes of the source as they are.
    fn copy(&mut self, len: usize) {
        self.text.push_str(&self.source[self.at..self.at + len]);
        self.at += len;
    }

    /// Skips `len` bytes of the source, writing `with` in their place.
    fn replace(&mut self, len: usize, with: &str) {
        self.text.push_str(with);
        self.at += len;
        self.anchors.push((self.text.len(), self.at));
    }

    fn run(&mut self) {
        while let Some(c) = self.rest().chars().next() {
            if let Some(len) = tera_tag_len(self.rest()) {
                self.copy(len);
                self.before = Before::Other;
            } else if self.rest().starts_with("<!--") {
                self.comment();
            } else if let Some(name) = tag_name(self.rest()) {
                self.tag(name);
            } else if c.is_ascii_whitespace() {
                self.white_space();
            } else {
                self.copy(c.len_utf8());
                self.before = Before::Other;
            }
        }
    }

    /// A comment: dropped unless it holds a Tera tag (Tera runs those).
    fn comment(&mut self) {
        let rest = self.rest();
        let len = rest.find("-->").map_or(rest.len(), |end| end + 3);
        if ["{{", "{%", "{#"]
            .iter()
            .any(|open| rest[..len].contains(open))
        {
            self.copy(len);
            self.before = Before::Other;
        } else {
            self.replace(len, "");
        }
    }

    /// An HTML tag from `<` to `>`: white space between attributes folded,
    /// quoted values and Tera tags kept; then, for `pre` and its kind, the
    /// element's content as written.
    fn tag(&mut self, name: TagName) {
        let closing = self.rest().starts_with("</");
        let mut quote = None;
        while let Some(c) = self.rest().chars().next() {
            if let Some(len) = tera_tag_len(self.rest()) {
                self.copy(len);
                continue;
            }
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    self.copy(1);
                    break;
                }
                (None, c) if c.is_ascii_whitespace() => {
                    let len = white_space_len(self.rest());
                    if self.rest()[..len].contains('\n') {
                        self.replace(len, " ");
                    } else {
                        self.copy(len);
                    }
                    continue;
                }
                _ => {}
            }
            self.copy(c.len_utf8());
        }
        self.before = if name.is_block() {
            Before::BlockTag
        } else {
            Before::Other
        };
        if !closing && name.is_verbatim() {
            self.copy(closing_tag(self.rest(), name.as_str()).unwrap_or(self.rest().len()));
            self.before = Before::Other;
        }
    }

    /// A run of white space: kept when it holds no line break, else dropped
    /// beside a block-level tag and one space elsewhere.
    fn white_space(&mut self) {
        let len = white_space_len(self.rest());
        if !self.rest()[..len].contains('\n') {
            self.copy(len);
            self.before = Before::Other;
            return;
        }
        let next_is_block = tag_name(&self.rest()[len..]).is_some_and(|name| name.is_block());
        if self.before == Before::BlockTag || next_is_block {
            self.replace(len, "");
        } else {
            self.replace(len, " ");
            self.before = Before::Other;
        }
    }
}

/// A rendered page with the white space dropped that stands alone between
/// two tags, one of them block-level (outside `pre` and its kind).
pub(super) fn page(html: String) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    // Nothing before this is dropped (the end of a `pre` and its kind).
    let mut kept = 0;
    let mut from = 0;
    while let Some(found) = html[from..].find('<') {
        let at = from + found;
        from = at + 1;
        let Some(name) = tag_name(&html[at..]) else {
            continue;
        };
        let run = at - white_space_len_before(&html[..at]);
        if run < at && run >= kept && html[..run].ends_with('>') {
            let previous = html[..run - 1]
                .rfind('<')
                .and_then(|open| tag_name(&html[open..]));
            let beside_block = name.is_block() || previous.is_some_and(|name| name.is_block());
            if beside_block {
                out.push_str(&html[copied..run]);
                copied = at;
                kept = at;
            }
        }
        if name.is_verbatim() && !html[at..].starts_with("</") {
            from = closing_tag(&html[at..], name.as_str()).map_or(html.len(), |end| at + end);
            kept = from;
        }
    }
    if copied == 0 {
        return html;
    }
    out.push_str(&html[copied..]);
    out
}

/// Where the first closing tag of element `name` (lower case) starts in `text`.
fn closing_tag(text: &str, name: &str) -> Option<usize> {
    text.match_indices("</").map(|(at, _)| at).find(|&at| {
        text.get(at + 2..at + 2 + name.len())
            .is_some_and(|found| found.eq_ignore_ascii_case(name))
    })
}

/// The length of the run of ASCII white space `text` ends with.
fn white_space_len_before(text: &str) -> usize {
    text.len()
        - text
            .trim_end_matches(|c: char| c.is_ascii_whitespace())
            .len()
}

/// The length of the run of ASCII white space `text` starts with.
fn white_space_len(text: &str) -> usize {
    text.find(|c: char| !c.is_ascii_whitespace())
        .unwrap_or(text.len())
}

/// The name of an HTML tag, in lower case; a name longer than any element
/// listed here is cut short (it is none of them either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TagName {
    bytes: [u8; 12],
    len: usize,
}

impl TagName {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    /// Whether white space beside this element is never drawn.
    fn is_block(&self) -> bool {
        BLOCK_ELEMENTS.binary_search(&self.as_str()).is_ok()
    }

    /// Whether this element's content is kept byte for byte.
    fn is_verbatim(&self) -> bool {
        VERBATIM_ELEMENTS.contains(&self.as_str())
    }
}

/// The name of the HTML tag `text` starts with (`<div …` or `</div>`), if
/// it starts with one.
fn tag_name(text: &str) -> Option<TagName> {
    let name = text.strip_prefix('<')?;
    let name = name.strip_prefix('/').unwrap_or(name);
    let len = name
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(name.len());
    let name = &name.as_bytes()[..len];
    if !name.first()?.is_ascii_alphabetic() {
        return None;
    }
    let mut tag = TagName {
        bytes: [0; 12],
        len: len.min(12),
    };
    for (to, from) in tag.bytes.iter_mut().zip(name) {
        *to = from.to_ascii_lowercase();
    }
    Some(tag)
}

/// The length of the Tera tag `text` starts with (through its closing
/// delimiter, past quoted strings; a `{% raw %}` block through its
/// `{% endraw %}`), if it starts with one. An unclosed tag runs to the end
/// (Tera reports it).
fn tera_tag_len(text: &str) -> Option<usize> {
    let close = match text.get(..2)? {
        "{{" => "}}",
        "{%" => "%}",
        "{#" => "#}",
        _ => return None,
    };
    let mut quote = None;
    let mut end = None;
    for (i, c) in text.char_indices().skip(2) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') if close != "#}" => quote = Some(c),
            (None, _) if text[i..].starts_with(close) => {
                end = Some(i + 2);
                break;
            }
            _ => {}
        }
    }
    let Some(end) = end else {
        return Some(text.len());
    };
    let inner = text[2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
    if close == "%}" && inner == "raw" {
        let endraw = text[end..]
            .match_indices("{%")
            .find(|(i, _)| {
                let after =
                    text[end + i + 2..].trim_start_matches(|c: char| c == '-' || c.is_whitespace());
                after.starts_with("endraw")
            })
            .and_then(|(i, _)| text[end + i..].find("%}").map(|close| end + i + close + 2));
        return Some(endraw.unwrap_or(text.len()));
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compacted(source: &str) -> String {
        compact(source).text
    }

    #[test]
    fn block_elements_are_sorted_and_known_by_any_case() {
        assert!(BLOCK_ELEMENTS.is_sorted());
        assert!(tag_name("<DIV class=x>").unwrap().is_block());
        assert!(tag_name("</Li>").unwrap().is_block());
        assert!(!tag_name("<span>").unwrap().is_block());
        assert!(!tag_name("<blockquote-extra>").unwrap().is_block());
        assert!(tag_name("<!-- x -->").is_none() && tag_name("< p>").is_none());
    }

    #[test]
    fn drops_line_breaks_beside_block_tags() {
        let source = "<ul>\n  <li><a href=\"/\">x</a></li>\n  {% for i in xs %}<li>{{ i }}</li>\n  {% endfor %}\n</ul>\n";
        assert_eq!(
            compacted(source),
            "<ul><li><a href=\"/\">x</a></li>{% for i in xs %}<li>{{ i }}</li>{% endfor %}</ul>"
        );
    }

    #[test]
    fn keeps_one_space_between_inline_parts() {
        // Two links on separate lines draw a space between them.
        assert_eq!(
            compacted("<a>x</a>\n    <a>y</a>\n{{ z }}\n  text"),
            "<a>x</a> <a>y</a> {{ z }} text"
        );
        // A run without a line break is the author's own spacing.
        assert_eq!(compacted("{{ a }}  ·  {{ b }}"), "{{ a }}  ·  {{ b }}");
    }

    #[test]
    fn keeps_tera_tags_and_quoted_values_as_written() {
        let source = "<p title=\"a\n  b\"\n   class='{{ \"x\n y\" }}'>{# a\n  comment #}\n{% raw %}<p>\n  {{ kept }}\n{% endraw %}</p>";
        assert_eq!(
            compacted(source),
            "<p title=\"a\n  b\" class='{{ \"x\n y\" }}'>{# a\n  comment #} {% raw %}<p>\n  {{ kept }}\n{% endraw %}</p>"
        );
    }

    #[test]
    fn keeps_preformatted_content() {
        let source = "<div>\n<pre>\n  a\n    b\n</pre>\n<script>\n  let x;\n</script>\n</div>";
        assert_eq!(
            compacted(source),
            "<div><pre>\n  a\n    b\n</pre><script>\n  let x;\n</script></div>"
        );
    }

    #[test]
    fn drops_comments_without_tera_tags() {
        assert_eq!(
            compacted("<div>\n<!-- note -->\n<p>x</p><!-- {{ y }} --></div>"),
            "<div><p>x</p><!-- {{ y }} --></div>"
        );
    }

    #[test]
    fn drops_white_space_between_tags_beside_a_block_tag() {
        let html = "<ul><li>a</li> </ul>\n<p>x <b>y</b>\n<i>z</i></p>\n<pre> <b>k</b>\n</pre>\n";
        assert_eq!(
            page(html.to_string()),
            "<ul><li>a</li></ul><p>x <b>y</b>\n<i>z</i></p><pre> <b>k</b>\n</pre>\n"
        );
    }

    #[test]
    fn maps_places_back_to_the_source() {
        let source = "<div>\n    <p>\n      {{ a.b | nope }}\n    </p>\n</div>\n";
        let text = compacted(source);
        let offset = text.find("{{").unwrap();
        let pos = Position::new(1, text[..offset].chars().count() + 1 + 3);
        assert_eq!(source_position(source, pos), Position::new(3, 10));
        // A place before anything was dropped is the same place.
        assert_eq!(
            source_position(source, Position::new(1, 2)),
            Position::new(1, 2)
        );
    }
}
