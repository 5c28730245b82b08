//! Diagnostics: every problem a run finds, with file, line, column and a hint.
//!
//! In: byte offsets (or YAML line/column pairs) found while parsing.
//! Out: [`Diagnostic`] values collected in one list per run, [`sorted`], then
//! rendered once at the end as human text or as the JSON array of SPEC §2.
//!
//! Stages never stop at the first problem: they push a diagnostic, skip the
//! bad item and go on, and the exit code says what happened.

mod codes;

pub(crate) use codes::Area;
pub use codes::Code;

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Runs `work` inside a `tracing` span named `stage`, so `--verbose` logs
/// how long it took (the build's stages, and the steps inside them).
pub(crate) fn timed<T>(stage: &str, work: impl FnOnce() -> T) -> T {
    tracing::info_span!("stage", name = %stage).in_scope(work)
}

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
    /// 1-based line (1 when the problem concerns the whole file).
    pub line: usize,
    /// 1-based column in characters (1 when the problem concerns the whole file).
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `front-matter/unknown-key`.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Whether it concerns the whole file (no source line to show).
    #[serde(skip)]
    whole_file: bool,
}

impl Diagnostic {
    /// An error at a position of a file.
    pub fn error(
        file: impl Into<String>,
        pos: Position,
        code: Code,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, file, pos, code, message)
    }

    /// A warning at a position of a file.
    pub fn warning(
        file: impl Into<String>,
        pos: Position,
        code: Code,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file, pos, code, message)
    }

    fn new(
        severity: Severity,
        file: impl Into<String>,
        pos: Position,
        code: Code,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line: pos.line,
            column: pos.column,
            severity,
            code,
            message: message.into(),
            hint: None,
            whole_file: pos.whole_file,
        }
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the hint a `Suggestion` writes ("did you mean `x`?", or its
    /// fallback); leaves the diagnostic as it is when there is none.
    pub(crate) fn suggest(self, suggestion: Suggestion<'_>) -> Self {
        match suggestion.hint() {
            Some(hint) => self.with_hint(hint),
            None => self,
        }
    }
}

/// A "did you mean `x`?" hint: the one place that words it. Built from the
/// nearest of the known words to what was written ([`Suggestion::nearest`]),
/// optionally as an `#anchor`, with a note after the question, and with a
/// fallback hint for when nothing is near.
#[derive(Debug, Clone, Default)]
pub(crate) struct Suggestion<'a> {
    near: Option<&'a str>,
    anchor: bool,
    note: Option<String>,
    otherwise: Option<String>,
}

impl<'a> Suggestion<'a> {
    /// Suggests the nearest of `candidates` to `word`, when one is close enough.
    pub(crate) fn nearest(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        Suggestion {
            near: did_you_mean(word, candidates),
            ..Suggestion::default()
        }
    }

    /// Suggests `fix`, found some other way than by nearness.
    pub(crate) fn of(fix: &'a str) -> Self {
        Suggestion {
            near: Some(fix),
            ..Suggestion::default()
        }
    }

    /// Writes the suggestion as a link anchor: "did you mean `#x`?".
    pub(crate) fn anchor(mut self) -> Self {
        self.anchor = true;
        self
    }

    /// Adds `note` after the question (only when there is a suggestion).
    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// The hint to give when nothing is near enough to suggest.
    pub(crate) fn otherwise(mut self, hint: impl Into<String>) -> Self {
        self.otherwise = Some(hint.into());
        self
    }

    /// The hint's text: the question (and its note), else the fallback, else nothing.
    pub(crate) fn hint(self) -> Option<String> {
        let Some(near) = self.near else {
            return self.otherwise;
        };
        let mark = if self.anchor { "#" } else { "" };
        Some(match self.note {
            Some(note) => format!("did you mean `{mark}{near}`? {note}"),
            None => format!("did you mean `{mark}{near}`?"),
        })
    }
}

/// A 1-based line and column; `Position::FILE` (1:1) stands for the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Whether this stands for the whole file ([`Position::FILE`]).
    whole_file: bool,
}

impl Position {
    /// The whole file, when no finer place can be named: its start, so every
    /// diagnostic has a line and column of at least 1 (as CI annotations need).
    /// Human output shows no source line for it.
    pub const FILE: Position = Position {
        line: 1,
        column: 1,
        whole_file: true,
    };

    /// A line and column, both 1-based.
    pub fn new(line: usize, column: usize) -> Self {
        Position {
            line,
            column,
            whole_file: false,
        }
    }
}

/// Maps byte offsets of one text to line and column.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub(crate) fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The position of byte `offset` in `text` (the text this index was made from).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
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
pub(crate) fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
    });
    diagnostics.dedup();
    diagnostics
}

/// Makes `path` relative to `root`, with `/` separators, for messages.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
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
pub(crate) fn render_human(root: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut cached: Option<(String, Option<String>)> = None;
    for d in diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}[{}]: {}", d.code, d.message);
        let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column);
        if !d.whole_file {
            if cached.as_ref().is_none_or(|(file, _)| file != &d.file) {
                cached = Some((d.file.clone(), read_excerpt_source(&root.join(&d.file))));
            }
            if let Some(line) = cached
                .as_ref()
                .and_then(|(_, text)| text.as_ref())
                .and_then(|text| text.lines().nth(d.line - 1))
            {
                let number = d.line.to_string();
                let pad = " ".repeat(number.len());
                let (shown, caret_at) = excerpt(line, d.column);
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

/// The text of a file whose lines a diagnostic shows: only a regular file
/// (never through a symlink, which may lead out of the site) of a size that
/// signpost reads at all.
fn read_excerpt_source(path: &Path) -> Option<String> {
    const LARGEST: u64 = 10 * 1024 * 1024;
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > LARGEST {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// At most this many columns of a source line are shown.
const SHOWN_WIDTH: usize = 100;

/// The part of `line` to show around 1-based `column`, and the blanks that put a
/// caret under that column: measured in display columns (a CJK character takes
/// two), tabs kept as tabs, a long line cut to a window with `…` at the cuts.
fn excerpt(line: &str, column: usize) -> (String, String) {
    use unicode_width::UnicodeWidthChar;
    let chars: Vec<char> = line.chars().collect();
    let target = column.saturating_sub(1).min(chars.len());
    let width = |c: char| if c == '\t' { 4 } else { c.width().unwrap_or(0) };
    // Start far enough left that the caret sits within the window.
    let mut start = 0;
    let mut before: usize = chars[..target].iter().map(|c| width(*c)).sum();
    while before > SHOWN_WIDTH * 2 / 3 && start < target {
        before -= width(chars[start]);
        start += 1;
    }
    let mut shown = String::new();
    let mut caret = String::new();
    if start > 0 {
        shown.push('…');
        caret.push(' ');
    }
    let mut used = 0;
    for (i, &c) in chars.iter().enumerate().skip(start) {
        if used + width(c) > SHOWN_WIDTH && i > target {
            shown.push('…');
            break;
        }
        used += width(c);
        shown.push(c);
        if i < target {
            match c {
                '\t' => caret.push('\t'),
                c => caret.push_str(&" ".repeat(width(c))),
            }
        }
    }
    (shown, caret)
}

/// Renders diagnostics as the JSON array of SPEC §2. Should serde_json fail,
/// the array holds one `output/serialise` error instead, never an empty array
/// that reads as "no problems".
pub(crate) fn render_json(diagnostics: &[Diagnostic]) -> String {
    json_or_failure(serde_json::to_string_pretty(diagnostics))
}

fn json_or_failure(rendered: serde_json::Result<String>) -> String {
    rendered.unwrap_or_else(|error| {
        let failure = unserialisable("(the list of diagnostics)", &error);
        // A `Value` prints without a way to fail.
        serde_json::json!([{
            "file": failure.file,
            "line": failure.line,
            "column": failure.column,
            "severity": "error",
            "code": failure.code,
            "message": failure.message,
        }])
        .to_string()
    })
}

/// `value` as the JSON bytes of the output file `path`. A value serde_json
/// cannot write (a custom `Serialize` that fails, a map with keys that are
/// not strings) is an `output/serialise` error naming the file: the file is
/// never written empty.
pub(crate) fn to_json<T: Serialize + ?Sized>(path: &str, value: &T) -> Result<Vec<u8>, Diagnostic> {
    serde_json::to_vec(value).map_err(|error| unserialisable(path, &error))
}

/// The `output/serialise` error for the output file `path`.
fn unserialisable(path: &str, error: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        Position::FILE,
        Code::OutputSerialise,
        format!("this output file could not be written as JSON: {error}"),
    )
    .with_hint("this is a fault in signpost, not in the site: please report it with this message")
}

/// The nearest of `candidates` to `word`, when it is close enough to suggest.
fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A value whose serialiser always fails, the way a custom `Serialize` can:
/// the tests' stand-in for a serialisation failure.
/// A diagnostic as the build cache keeps it: every field, the code as its
/// text (so a code that no longer exists makes the entry unusable).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredDiagnostic {
    file: String,
    position: Position,
    error: bool,
    code: String,
    message: String,
    hint: Option<String>,
}

impl From<&Diagnostic> for StoredDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        StoredDiagnostic {
            file: d.file.clone(),
            position: Position {
                line: d.line,
                column: d.column,
                whole_file: d.whole_file,
            },
            error: d.severity == Severity::Error,
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

impl StoredDiagnostic {
    /// The diagnostic again; `None` when its code is not known.
    pub(crate) fn restore(self) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.as_str() == self.code)?;
        let severity = if self.error {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut diagnostic =
            Diagnostic::new(severity, self.file, self.position, code, self.message);
        diagnostic.hint = self.hint;
        Some(diagnostic)
    }
}

#[cfg(test)]
pub(crate) struct Unserialisable;

#[cfg(test)]
impl Serialize for Unserialisable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("simulated failure"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_serialiser_is_an_error_not_an_empty_file() {
        assert_eq!(to_json("a.json", &[1, 2]).unwrap(), b"[1,2]");
        let error = to_json("search/en/manifest.json", &Unserialisable).unwrap_err();
        assert_eq!(error.code, Code::OutputSerialise);
        assert_eq!(error.severity, Severity::Error);
        assert_eq!(error.file, "search/en/manifest.json");
        assert_eq!((error.line, error.column), (1, 1));
        assert!(
            error.message.contains("simulated failure"),
            "{}",
            error.message
        );
        // serde_json's own refusal: a map whose keys are not strings.
        let map = std::collections::BTreeMap::from([((1, 2), 3)]);
        assert_eq!(
            to_json("m.json", &map).unwrap_err().code,
            Code::OutputSerialise
        );
    }

    #[test]
    fn json_diagnostics_that_cannot_be_written_say_so() {
        let failed = serde_json::to_string(&Unserialisable);
        let shown: serde_json::Value = serde_json::from_str(&json_or_failure(failed)).unwrap();
        assert_eq!(shown[0]["code"], Code::OutputSerialise.as_str());
        assert_eq!(shown[0]["severity"], "error");
        assert_eq!(shown[0]["line"], 1);
        let ok = render_json(&[]);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&ok).unwrap(),
            serde_json::json!([])
        );
    }

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
    fn the_caret_counts_display_columns() {
        let (shown, caret) = excerpt("title: 望京 SOHO", 11);
        assert_eq!(shown, "title: 望京 SOHO");
        assert_eq!(
            caret,
            " ".repeat(12),
            "7 columns, two CJK characters of 2, one space"
        );
        let (_, caret) = excerpt("\tx", 2);
        assert_eq!(caret, "\t");
        let long = format!("{}target{}", "长".repeat(200), "x".repeat(300));
        let (shown, caret) = excerpt(&long, 201);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        // The character whose display column the caret reaches is the `t` of `target`.
        let mut width = 0;
        let under = shown.chars().find(|c| {
            let here = width;
            width += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            here == caret.len()
        });
        assert_eq!(under, Some('t'), "{shown}\n{caret}^");
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(did_you_mean("titel", ["title", "summary"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "summary"]), None);
        let hint = |s: Suggestion<'_>| s.hint();
        assert_eq!(
            hint(Suggestion::nearest("titel", ["title"])).as_deref(),
            Some("did you mean `title`?")
        );
        assert_eq!(
            hint(
                Suggestion::nearest("pilot", ["pilots"])
                    .anchor()
                    .note("(ids)")
            )
            .as_deref(),
            Some("did you mean `#pilots`? (ids)")
        );
        assert_eq!(
            hint(Suggestion::nearest("zzz", ["title"]).otherwise("keys: title")).as_deref(),
            Some("keys: title")
        );
        assert_eq!(hint(Suggestion::nearest("zzz", ["title"])), None);
    }
}
