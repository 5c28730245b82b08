//! Diagnostics: every problem a run finds, with file, line, column and a hint.
//!
//! In: byte offsets (or YAML line/column pairs) found while parsing.
//! Out: [`Diagnostic`] values collected in one list per run, [`sorted`], then
//! rendered once at the end as human text or as the JSON array of SPEC §2.
//!
//! Stages never stop at the first problem: they push a diagnostic, skip the
//! bad item and go on, and the exit code says what happened.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

/// How bad a problem is: errors stop a publish, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be published as it is.
    Error,
    /// Worth fixing, but the site still builds.
    Warning,
}

/// One problem, located in a file of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when the problem concerns the whole file.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `front-matter/unknown-key`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a position of a file.
    pub fn error(
        file: impl Into<String>,
        pos: Position,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, file, pos, code, message)
    }

    /// A warning at a position of a file.
    pub fn warning(
        file: impl Into<String>,
        pos: Position,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file, pos, code, message)
    }

    fn new(
        severity: Severity,
        file: impl Into<String>,
        pos: Position,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: pos.line,
            column: pos.column,
            severity,
            code: code.to_string(),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A 1-based line and column; `Position::FILE` stands for the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Position {
    /// The whole file, when no finer place can be named.
    pub const FILE: Position = Position { line: 0, column: 0 };

    /// A line and column, both 1-based.
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// Maps byte offsets of one text to line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The position of byte `offset` in `text` (the text this index was made from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        Position::new(line, column)
    }
}

/// Sorts diagnostics by file, line, column and code, and drops exact repeats
/// (a check that runs once per language can find the same thing twice).
pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
    });
    diagnostics.dedup();
    diagnostics
}

/// Makes `path` relative to `root`, with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, part) in relative.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// Renders diagnostics as human-readable text, with the offending source line.
pub fn render_human(root: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut cached: Option<(String, Option<String>)> = None;
    for d in diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}[{}]: {}", d.code, d.message);
        if d.line == 0 {
            let _ = writeln!(out, "  --> {}", d.file);
        } else {
            let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column);
            if cached.as_ref().is_none_or(|(file, _)| file != &d.file) {
                let text = std::fs::read_to_string(root.join(&d.file)).ok();
                cached = Some((d.file.clone(), text));
            }
            if let Some(line) = cached
                .as_ref()
                .and_then(|(_, text)| text.as_ref())
                .and_then(|text| text.lines().nth(d.line - 1))
            {
                let number = d.line.to_string();
                let pad = " ".repeat(number.len());
                let shown: String = line.chars().take(160).collect();
                let caret_at: String = shown
                    .chars()
                    .take(d.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{number} | {shown}");
                let _ = writeln!(out, "{pad} | {caret_at}^");
            }
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out.push('\n');
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
    out
}

/// Renders diagnostics as the JSON array of SPEC §2.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string())
}

/// The nearest of `candidates` to `word`, when it is close enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\n望京 x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position::new(1, 1));
        assert_eq!(index.position(text, 3), Position::new(2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position::new(2, 4));
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(did_you_mean("titel", ["title", "summary"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "summary"]), None);
    }
}
