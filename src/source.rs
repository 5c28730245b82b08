//! Source files: the guards every file an editor writes goes through before parsing.
//!
//! In: a path (or bytes already read) and the diagnostic area (`content`,
//! `config`, `i18n`). Out: the text, or one located diagnostic saying why it
//! cannot be read as text.
//!
//! Steps: refuse files over [`MAX_SOURCE_BYTES`] before reading them (a page
//! pasted by mistake must not stall every build); decode as UTF-8, naming the
//! line and column of the first bad byte (`<area>/encoding`); refuse NUL bytes
//! (`<area>/nul-byte`), which no text editor writes on purpose; drop a leading
//! byte-order mark; turn CRLF and lone CR line ends into LF, so that every
//! stage counts lines the same way (YAML and CommonMark take a lone CR as a
//! line end; a line index that did not would point past the end of the file,
//! as fuzzing found).
//!
//! It also classifies the characters that make text look unlike what it is:
//! bidirectional controls ([`is_bidi_control`], the "Trojan Source" trick) and
//! invisible characters ([`is_invisible`]), so that file names, slugs, aliases
//! and titles can refuse or flag them.

use std::path::Path;

use crate::diagnostics::{Area, Code, Diagnostic, LineIndex, Position};

/// The largest Markdown or YAML file signpost reads: 10 MiB. The guide's
/// longest page is a few kilobytes; anything this large is a mistake.
pub(crate) const MAX_SOURCE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads `path` as text for file `display`, with every guard of this module.
pub(crate) fn read_text(path: &Path, display: &str, area: Area) -> Result<String, Diagnostic> {
    let unreadable = |error: std::io::Error| {
        Diagnostic::error(
            display,
            Position::FILE,
            area.unreadable(),
            format!("cannot read: {error}"),
        )
        .with_hint("check that the file exists and that signpost may read it")
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            display,
            Position::FILE,
            area.too_large(),
            format!(
                "the file is {:.1} MB; source files are limited to {} MB",
                size as f64 / 1_048_576.0,
                MAX_SOURCE_BYTES / 1_048_576
            ),
        )
        .with_hint("split the page, or move large data out of content/"));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    decode(display, bytes, area)
}

/// Decodes bytes as UTF-8 text, refusing NUL bytes, dropping a byte-order
/// mark and turning every line end into `\n`.
pub(crate) fn decode(display: &str, bytes: Vec<u8>, area: Area) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => unify_line_ends(text),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let valid = unify_line_ends(String::from_utf8_lossy(&bytes[..at]).into_owned());
            let pos = LineIndex::new(&valid).position(&valid, valid.len());
            return Err(Diagnostic::error(
                display,
                pos,
                area.encoding(),
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02x} at offset {at})",
                    bytes[at]
                ),
            )
            .with_hint("save the file as UTF-8 (most editors have an \"encoding\" menu)"));
        }
    };
    if let Some(at) = text.find('\0') {
        let pos = LineIndex::new(&text).position(&text, at);
        return Err(Diagnostic::error(
            display,
            pos,
            area.nul_byte(),
            "the file contains a NUL byte",
        )
        .with_hint("remove it: it is not text (was a binary file saved under this name?)"));
    }
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// `\r\n` and a lone `\r` become `\n`.
fn unify_line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Bidirectional formatting controls (embeddings, overrides, isolates), which
/// reorder how text is shown: `abc\u{202e}txt.exe` displays as `abcexe.txt`.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no visible space: zero-width space and joiners, word
/// joiner, invisible operators, a byte-order mark inside text, direction marks.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{180e}'
    )
}

/// The first character of `text` that is a control character, a bidi control
/// or invisible: what a file name, slug or path must never hold.
pub(crate) fn first_hidden_char(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|(_, c)| c.is_control() || is_bidi_control(*c) || is_invisible(*c))
}

/// Diagnostics for bidi controls (errors) and invisible characters (warnings)
/// in a text field such as a title; `pos` is where the value is written.
pub(crate) fn check_text_field(
    file: &str,
    pos: Position,
    field: &str,
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(c) = text.chars().find(|c| is_bidi_control(*c)) {
        out.push(
            Diagnostic::error(
                file,
                pos,
                Code::ContentBidiControl,
                format!(
                    "`{field}` holds the bidirectional control U+{:04X}, which reorders how the text is shown",
                    c as u32
                ),
            )
            .with_hint("delete it; if it came from a copy and paste, retype the text"),
        );
    } else if let Some(c) = text
        .chars()
        .find(|c| is_invisible(*c) || (c.is_control() && !matches!(c, '\n' | '\t')))
    {
        out.push(
            Diagnostic::warning(
                file,
                pos,
                Code::ContentInvisibleChar,
                format!("`{field}` holds the invisible character U+{:04X}", c as u32),
            )
            .with_hint("delete it unless it is meant to be there; readers cannot see it and search cannot match it"),
        );
    }
}

/// Whether a file should be skipped: hidden files and editors' temporary files.
pub(crate) fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| {
            name.starts_with('.')
                || name.ends_with('~')
                || name.ends_with(".swp")
                || name.ends_with(".tmp")
                || name.starts_with('#')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bytes_are_located() {
        let error = decode("a.md", b"ok\nbad \xff".to_vec(), Area::Content).unwrap_err();
        assert_eq!(
            (error.code, error.line, error.column),
            (Code::ContentEncoding, 2, 5)
        );
        let error = decode("a.md", b"a\n\nx\x00".to_vec(), Area::Content).unwrap_err();
        assert_eq!(
            (error.code, error.line, error.column),
            (Code::ContentNulByte, 3, 2)
        );
    }

    #[test]
    fn every_line_end_becomes_lf() {
        let text = decode("a", b"a\r\nb\rc\n".to_vec(), Area::Content).unwrap();
        assert_eq!(text, "a\nb\nc\n");
        let error = decode("a", b"a\r\rb\xff".to_vec(), Area::Content).unwrap_err();
        assert_eq!((error.line, error.column), (3, 2));
    }

    #[test]
    fn a_bom_is_dropped() {
        assert_eq!(
            decode("a", "\u{feff}x".as_bytes().to_vec(), Area::Content).unwrap(),
            "x"
        );
    }

    #[test]
    fn hidden_characters() {
        assert_eq!(first_hidden_char("a\u{200b}b"), Some((1, '\u{200b}')));
        assert_eq!(first_hidden_char("r\u{202e}l"), Some((1, '\u{202e}')));
        assert_eq!(first_hidden_char("wangjing-望京"), None);
        let mut out = Vec::new();
        check_text_field("a", Position::new(2, 8), "title", "x\u{2067}y", &mut out);
        check_text_field("a", Position::new(2, 8), "title", "x\u{200d}y", &mut out);
        check_text_field("a", Position::new(2, 8), "title", "望京 SOHO", &mut out);
        let codes: Vec<_> = out.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [Code::ContentBidiControl, Code::ContentInvisibleChar]
        );
    }
}
