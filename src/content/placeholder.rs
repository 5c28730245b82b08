//! Placeholders: the `TODO` marks that `signpost new` writes into a scaffold.
//!
//! In: one file's text. Out: at most one error per file, at its first
//! placeholder, counting the others, so an untouched scaffold is one mistake
//! and never publishes "TODO: …" as a title.

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Position};

/// The mark every archetype placeholder starts with.
pub(crate) const MARK: &str = "TODO";

/// Every (line, column) where `MARK` stands as a word of its own.
pub(crate) fn find(text: &str) -> Vec<Position> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for (offset, _) in line.match_indices(MARK) {
            let before = line[..offset].chars().next_back();
            let after = line[offset + MARK.len()..].chars().next();
            let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if !is_word(before) && !is_word(after) {
                let column = line[..offset].chars().count() + 1;
                found.push(Position::new(n + 1, column));
            }
        }
    }
    found
}

/// Reports the placeholders left in `file`, once, at the first.
pub(crate) fn check(file: &str, text: &str, out: &mut Vec<Diagnostic>) {
    let found = find(text);
    let Some(first) = found.first() else {
        return;
    };
    let message = match found.len() {
        1 => format!("a `{MARK}` placeholder is left in this file"),
        n => {
            let lines: Vec<String> = found.iter().map(|p| p.line.to_string()).collect();
            format!(
                "{n} `{MARK}` placeholders are left in this file (lines {})",
                lines.join(", ")
            )
        }
    };
    out.push(
        Diagnostic::error(file, *first, Code::ContentPlaceholder, message).with_hint(
            "replace each TODO with what the sources say (and dates such as 2000-01-01 with real ones), then remove `draft: true`",
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_word_only() {
        let text = "title: \"TODO: name\"\nTODOS are fine, so is MyTODO\n  # TODO\n";
        assert_eq!(find(text), vec![Position::new(1, 9), Position::new(3, 5)]);
    }

    #[test]
    fn one_error_per_file() {
        let mut out = Vec::new();
        check("content/a.md", "x TODO\ny\nTODO z\n", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].line, out[0].column), (1, 3));
        assert!(out[0].message.contains("lines 1, 3"), "{}", out[0].message);
        let mut none = Vec::new();
        check("content/a.md", "done\n", &mut none);
        assert!(none.is_empty());
    }
}
