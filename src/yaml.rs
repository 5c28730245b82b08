//! YAML with positions: the one place that turns YAML text into located values.
//!
//! In: YAML text (a whole file, or front matter cut from a Markdown file, with
//! the number of lines before it). Out: a [`Mapping`] of top-level keys, each
//! with the line and column of its key and of its value, or a diagnostic.
//!
//! Steps: parse with serde-saphyr into spanned keys and values (it rejects
//! duplicate keys, and our budgets — [`MAX_DEPTH`], [`MAX_NODES`],
//! [`MAX_ALIASES`] — refuse deep nesting and alias bombs), sort by position, then let each stage read
//! the keys it knows through [`Mapping::take`] and report the rest with a
//! "did you mean" hint through [`Mapping::report_unknown`].

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, LineIndex, Position, Suggestion};

/// One top-level `key: value` pair with the positions of both.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The key as written.
    pub key: String,
    /// Where the key starts.
    pub key_pos: Position,
    /// The value, as untyped data.
    pub value: Value,
    /// Where the value starts.
    pub value_pos: Position,
    /// Where each item of a list of plain values starts (empty for other values).
    pub items: Vec<Position>,
}

/// The top-level mapping of a YAML document, in source order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mapping {
    /// The file the mapping came from, relative to the site root.
    pub file: String,
    entries: Vec<Entry>,
    /// Where the document starts, for problems about missing keys.
    pub start: Position,
}

/// The key of a `key: value` line (1-based `line` of `text`), as written.
fn key_written_at(text: &str, line: usize) -> Option<String> {
    let written = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = written.split_once(':')?;
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.starts_with('#')).then(|| key.to_string())
}

/// Where each item of a list of plain values (`[a, b]` or `- a` lines) is
/// written, found in `text` from the list's start (`line`:`column`, 1-based):
/// each item is looked for after the previous one, as a whole word, quoted or
/// not. Empty for other values, or when an item cannot be found as written
/// (an escape sequence), so the caller falls back to the list's position.
fn item_positions(
    text: &str,
    index: &LineIndex,
    line: usize,
    column: usize,
    value: &Value,
) -> Vec<Position> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    let line_start = if line <= 1 {
        Some(0)
    } else {
        text.match_indices('\n').map(|(i, _)| i + 1).nth(line - 2)
    };
    let Some(line_start) = line_start else {
        return Vec::new();
    };
    let mut cursor = text[line_start..]
        .char_indices()
        .nth(column - 1)
        .map_or(text.len(), |(i, _)| line_start + i);
    let mut found = Vec::new();
    for item in items {
        let written = match item {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Vec::new(),
        };
        if written.is_empty() {
            return Vec::new();
        }
        let bounded = |at: usize| {
            let before = text[..at].chars().next_back();
            let after = text[at + written.len()..].chars().next();
            before.is_none_or(|c| "[ ,-\t\n\"'".contains(c))
                && after.is_none_or(|c| "] ,\t\r\n\"'#".contains(c))
        };
        let Some(at) = text[cursor..]
            .match_indices(written.as_str())
            .map(|(i, _)| cursor + i)
            .find(|&at| bounded(at))
        else {
            return Vec::new();
        };
        found.push(index.position(text, at));
        cursor = at + written.len();
    }
    found
}

/// Parses `text` as a YAML mapping. `line_offset` is the number of lines of the
/// file before `text` (front matter starts after its `---` line).
pub(crate) fn parse_mapping(
    file: &str,
    text: &str,
    line_offset: usize,
) -> Result<Mapping, Diagnostic> {
    let start = Position::new(line_offset + 1, 1);
    if text.trim().is_empty() {
        return Ok(Mapping {
            file: file.to_string(),
            entries: Vec::new(),
            start,
        });
    }
    let parsed: Result<Option<HashMap<Spanned<String>, Spanned<Value>>>, _> =
        serde_saphyr::from_str_with_options(text, options());
    let map = match parsed {
        Ok(map) => map.unwrap_or_default(),
        Err(error) => return Err(yaml_error(file, text, &error, line_offset)),
    };
    let shift = |line: u64, column: u64| {
        Position::new(line as usize + line_offset, (column as usize).max(1))
    };
    let index = LineIndex::new(text);
    let mut entries: Vec<Entry> = map
        .into_iter()
        .map(|(key, value)| {
            let line = value.referenced.line() as usize;
            let column = (value.referenced.column() as usize).max(1);
            let items = item_positions(text, &index, line, column, &value.value);
            Entry {
                key_pos: shift(key.referenced.line(), key.referenced.column()),
                key: key.value,
                value_pos: shift(line as u64, column as u64),
                items: items
                    .into_iter()
                    .map(|p| Position::new(p.line + line_offset, p.column))
                    .collect(),
                value: value.value,
            }
        })
        .collect();
    entries.sort_by_key(|e| (e.key_pos.line, e.key_pos.column));
    Ok(Mapping {
        file: file.to_string(),
        entries,
        start,
    })
}

/// Parses a whole YAML document into `T`, reporting the first problem with its position.
pub(crate) fn parse_typed<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(text, options())
        .map_err(|error| yaml_error(file, text, &error, 0))
}

/// Nesting deeper than this is refused: the guide's deepest value is 3 levels.
pub(crate) const MAX_DEPTH: usize = 64;
/// At most this many nodes (scalars, lists, mappings) per document.
pub(crate) const MAX_NODES: usize = 100_000;
/// At most this many alias uses (`*name`) per document.
pub(crate) const MAX_ALIASES: usize = 1_000;

/// serde-saphyr's options with our budgets set explicitly, so alias bombs and
/// deep nesting fail fast with a located error instead of eating memory or stack.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_aliases = MAX_ALIASES;
    budget.max_events = 4 * MAX_NODES;
    serde_saphyr::options! { budget: Some(budget) }
}

/// A YAML error in plain words, at its place in the file. `text` is what was
/// parsed (it starts `line_offset` lines into the file).
fn yaml_error(
    file: &str,
    text: &str,
    error: &serde_saphyr::Error,
    line_offset: usize,
) -> Diagnostic {
    let pos = error
        .location()
        .map(|loc| {
            Position::new(
                loc.line() as usize + line_offset,
                (loc.column() as usize).max(1),
            )
        })
        .unwrap_or(Position::new(line_offset + 1, 1));
    let mut message = clean_message(&error.without_snippet().to_string());
    if message.contains("Depth") || message.contains("recursion limit") {
        message = format!("it is nested more than {MAX_DEPTH} levels deep");
    } else if message.contains("budget breached") {
        message = format!(
            "it expands to too much data (more than {MAX_NODES} values or {MAX_ALIASES} aliases: an alias bomb?)"
        );
    }
    if message.to_lowercase().contains("duplicate") {
        // The parser's wording names its own settings; say it plainly.
        let key = message
            .split('`')
            .nth(1)
            .or_else(|| message.split('"').nth(1))
            .map(str::to_string)
            .or_else(|| key_written_at(text, pos.line.saturating_sub(line_offset)));
        message = match key {
            Some(key) => format!("invalid YAML: the key `{key}` appears twice"),
            None => "invalid YAML: a key appears twice".to_string(),
        };
        return Diagnostic::error(file, pos, Code::YamlSyntax, message)
            .with_hint("each key may appear once; remove or merge the repeated one");
    }
    let hint = if message.contains("duplicate") {
        "each key may appear once; remove or merge the repeated one"
    } else if message.contains("nested") || message.contains("alias") {
        "simplify the YAML: deep nesting and alias bombs are refused"
    } else {
        "check the indentation, the `key: value` form and the quotes around text with `:` or `#`"
    };
    Diagnostic::error(
        file,
        pos,
        Code::YamlSyntax,
        format!("invalid YAML: {message}"),
    )
    .with_hint(hint)
}

/// Drops the position suffix serde-saphyr appends: ours is in the diagnostic.
fn clean_message(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message);
    match first_line.rfind(" at line ") {
        Some(i) => first_line[..i].to_string(),
        None => first_line.to_string(),
    }
}

impl Mapping {
    /// Removes and returns the entry for `key`, if present.
    pub(crate) fn take(&mut self, key: &str) -> Option<Entry> {
        let i = self.entries.iter().position(|e| e.key == key)?;
        Some(self.entries.remove(i))
    }

    /// Takes `key` and converts its value to `T`; a wrong type is reported and gives `None`.
    pub(crate) fn take_as<T: DeserializeOwned>(
        &mut self,
        key: &str,
        expected: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        let entry = self.take(key)?;
        entry.to(&self.file, expected, out)
    }

    /// Reports every key not taken yet as unknown, suggesting the nearest of `known`.
    pub(crate) fn report_unknown(
        self,
        code: Code,
        what: &str,
        known: &[&str],
        out: &mut Vec<Diagnostic>,
    ) {
        for entry in self.entries {
            out.push(
                Diagnostic::error(
                    &self.file,
                    entry.key_pos,
                    code,
                    format!("unknown key `{}` in {what}", entry.key),
                )
                .suggest(
                    Suggestion::nearest(&entry.key, known.iter().copied())
                        .otherwise(format!("known keys: {}", known.join(", "))),
                ),
            );
        }
    }
}

impl Entry {
    /// A "wrong type" error at the value: "`key` must be {expected}, found …".
    pub(crate) fn wrong_type(&self, file: &str, expected: &str) -> Diagnostic {
        Diagnostic::error(
            file,
            self.value_pos,
            Code::YamlWrongType,
            format!(
                "`{}` must be {expected}, found {}",
                self.key,
                describe(&self.value)
            ),
        )
    }

    /// Converts the value to `T`, reporting a type error at the value's position.
    pub(crate) fn to<T: DeserializeOwned>(
        &self,
        file: &str,
        expected: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        match serde_json::from_value::<T>(self.value.clone()) {
            Ok(value) => Some(value),
            Err(error) => {
                out.push(
                    self.wrong_type(file, expected)
                        .with_hint(type_hint(&error.to_string(), expected)),
                );
                None
            }
        }
    }
}

/// A short description of a YAML value for messages: "a list", "the number 3".
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".to_string(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            format!("the text \"{short}\"")
        }
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

/// A hint in plain words for a value of the wrong type (never the
/// deserializer's own wording, which names Rust types such as `i64`).
fn type_hint(serde_message: &str, expected: &str) -> String {
    if let Some(rest) = serde_message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let known: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return if known.is_empty() {
            format!("`{field}` does not belong here")
        } else {
            format!("`{field}` does not belong here; write {}", known.join(", "))
        };
    }
    if let Some(rest) = serde_message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return format!("add `{field}`");
    }
    format!("write {expected} here")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_lines_after_an_offset() {
        let mapping = parse_mapping("x.md", "title: Hi\nweight: 3\n", 1).unwrap();
        let entries = mapping.entries;
        assert_eq!(entries[0].key, "title");
        assert_eq!(entries[0].key_pos, Position::new(2, 1));
        assert_eq!(entries[1].value_pos.line, 3);
    }

    #[test]
    fn list_items_are_located_one_by_one() {
        let text = "communities: [wangjing, wangjng]\nscenarios:\n  - livable\n  - \"health\"\ntitle: wangjng\n";
        let mapping = parse_mapping("x.md", text, 1).unwrap();
        let items = |key: &str| {
            let entry = mapping.entries.iter().find(|e| e.key == key).unwrap();
            entry.items.clone()
        };
        assert_eq!(
            items("communities"),
            [Position::new(2, 15), Position::new(2, 25)]
        );
        assert_eq!(
            items("scenarios"),
            [Position::new(4, 5), Position::new(5, 6)]
        );
        assert_eq!(items("title"), []);
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = parse_mapping("x.md", "title: [unclosed\nweight: 3\n", 1).unwrap_err();
        assert_eq!(error.code, Code::YamlSyntax);
        assert!(error.line >= 2, "{error:?}");
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let error = parse_mapping("x.md", "title: a\ntitle: b\n", 0).unwrap_err();
        assert_eq!(
            error.message, "invalid YAML: the key `title` appears twice",
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (2, 1));
    }
}
