//! Front matter: the YAML between `---` lines at the top of a Markdown file.
//!
//! In: a Markdown file's text. Out: [`FrontMatter`] (each key optional, so
//! translations can inherit what they do not set), the body, and the line the
//! body starts on; or diagnostics for every problem found in the file.

use crate::diagnostics::Code;
use serde_json::Value;

pub(crate) use crate::content::sources::Source;
pub(crate) use crate::content::sources::read_sources;
use crate::diagnostics::{Diagnostic, LineIndex, Position};
use crate::yaml::{self, Entry, Mapping};

/// Every key of a page's front matter (SPEC §4), in the order hints list
/// them, and whether a facility file takes it too (`true`): the one list of
/// the keys pages and facilities share.
const KEYS: &[(&str, bool)] = &[
    ("title", false),
    ("summary", true),
    ("date", true),
    ("updated", true),
    ("weight", true),
    ("draft", true),
    ("slug", false),
    ("community", true),
    ("communities", true),
    ("scenarios", true),
    ("sources", true),
    ("aliases", true),
    ("translated_from", false),
    ("extra", true),
];

/// The keys a page's front matter may hold.
pub(crate) fn page_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|(key, _)| *key)
}

/// The front-matter keys a facility file shares with pages.
pub(crate) fn shared_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter()
        .filter(|(_, shared)| *shared)
        .map(|(key, _)| *key)
}

/// A value with the position it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Position,
}

/// The front matter of one file; every key is optional so translations can inherit.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FrontMatter {
    /// The page title.
    pub title: Option<String>,
    /// One line for lists, feeds, search and the description meta tag.
    pub summary: Option<String>,
    /// Where this file writes its `title` value (not inherited).
    pub title_pos: Option<Position>,
    /// Where this file writes its `summary` value (not inherited).
    pub summary_pos: Option<Position>,
    /// Publication date.
    pub date: Option<jiff::civil::Date>,
    /// Last update.
    pub updated: Option<jiff::civil::Date>,
    /// Order in lists.
    pub weight: Option<i64>,
    /// Left out unless drafts are built.
    pub draft: Option<bool>,
    /// Overrides the file name in the URL.
    pub slug: Option<Located<String>>,
    /// Community slugs (`community` and `communities` merged); `all` is
    /// replaced by every community's slug when the site is loaded.
    pub communities: Option<Vec<Located<String>>>,
    /// Written as `communities: all`: the page belongs to the whole city, so
    /// every community lists it (set when the site is loaded).
    pub city_wide: bool,
    /// Scenario keys.
    pub scenarios: Option<Vec<Located<String>>>,
    /// Sources of the page's facts.
    pub sources: Option<Vec<Source>>,
    /// Old site paths that redirect here.
    pub aliases: Option<Vec<Located<String>>>,
    /// Hash of the source text this translation was made from.
    pub translated_from: Option<String>,
    /// Free data for templates.
    pub extra: Option<Value>,
}

/// A Markdown file split into front matter and body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// The validated front matter.
    pub front_matter: FrontMatter,
    /// The Markdown after the closing `---`.
    pub body: String,
    /// The 1-based line the body starts on.
    pub body_line: usize,
}

/// Splits and validates a Markdown file. Problems are pushed to `out`; the
/// result is `None` only when the front matter cannot be read at all.
pub(crate) fn parse(file: &str, text: &str, out: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = strip_delimiter_line(text) else {
        out.push(
            Diagnostic::error(
                file,
                Position::new(1, 1),
                Code::FrontMatterMissing,
                "the file does not start with front matter",
            )
            .with_hint(
                "start the file with a `---` line, then `title: …`, then another `---` line",
            ),
        );
        return None;
    };
    let yaml_start = text.len() - after_open.len();
    let Some((yaml_len, body_start)) = find_closing(after_open) else {
        out.push(
            Diagnostic::error(
                file,
                Position::new(1, 1),
                Code::FrontMatterUnclosed,
                "the front matter never closes",
            )
            .with_hint("did you forget the closing `---` line after the front matter?"),
        );
        return None;
    };
    let yaml_text = &after_open[..yaml_len];
    let body_offset = yaml_start + body_start;
    let index = LineIndex::new(text);
    let body_line = index.position(text, body_offset).line;

    let mut mapping = match yaml::parse_mapping(file, yaml_text, 1) {
        Ok(mapping) => mapping,
        Err(diagnostic) => {
            out.push(diagnostic);
            return None;
        }
    };
    let mut front_matter = read(&mut mapping, out);
    for pos in [&mut front_matter.title_pos, &mut front_matter.summary_pos]
        .into_iter()
        .flatten()
    {
        *pos = after_quote(text, *pos);
    }
    let known: Vec<&str> = page_keys().collect();
    mapping.report_unknown(Code::FrontMatterUnknownKey, "front matter", &known, out);
    Some(Parsed {
        front_matter,
        body: text[body_offset..].to_string(),
        body_line,
    })
}

/// The position of a scalar's first character: after its opening quote, if any.
fn after_quote(text: &str, pos: Position) -> Position {
    let quoted = text
        .lines()
        .nth(pos.line.saturating_sub(1))
        .and_then(|line| line.chars().nth(pos.column.saturating_sub(1)))
        .is_some_and(|c| c == '"' || c == '\'');
    if quoted {
        Position::new(pos.line, pos.column + 1)
    } else {
        pos
    }
}

fn strip_delimiter_line(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// Finds the closing `---` line: returns the YAML's length and where the body starts.
fn find_closing(after_open: &str) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for line in after_open.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim_end() == "---" {
            return Some((line_start, line_start + line.len()));
        }
        line_start += line.len();
    }
    None
}

/// Reads every known key from `mapping`, reporting wrong types.
pub(crate) fn read(mapping: &mut Mapping, out: &mut Vec<Diagnostic>) -> FrontMatter {
    let file = mapping.file.clone();
    let title = read_text_field(mapping, "title", "text", out);
    let summary = read_text_field(mapping, "summary", "one line of text", out);
    let mut fm = FrontMatter {
        title_pos: title.as_ref().map(|t| t.pos),
        summary_pos: summary.as_ref().map(|s| s.pos),
        title: title.map(|t| t.value),
        summary: summary.map(|s| s.value),
        ..FrontMatter::default()
    };
    fm.date = mapping.take("date").and_then(|e| read_date(&file, &e, out));
    fm.updated = mapping
        .take("updated")
        .and_then(|e| read_date(&file, &e, out));
    fm.weight = mapping.take_as("weight", "a whole number", out);
    fm.draft = mapping.take_as("draft", "true or false", out);
    fm.slug = mapping.take("slug").and_then(|e| read_slug(&file, &e, out));
    let community = mapping
        .take("community")
        .and_then(|e| read_list(&file, &e, true, out));
    let communities = mapping.take("communities").and_then(|e| match &e.value {
        Value::String(all) if all == crate::content::facility::ALL_COMMUNITIES => {
            Some(vec![Located {
                value: all.clone(),
                pos: e.value_pos,
            }])
        }
        _ => read_list(&file, &e, false, out),
    });
    fm.communities = match (community, communities) {
        (None, None) => None,
        (a, b) => Some(
            a.into_iter()
                .flatten()
                .chain(b.into_iter().flatten())
                .collect(),
        ),
    };
    fm.scenarios = mapping
        .take("scenarios")
        .and_then(|e| read_list(&file, &e, false, out));
    fm.sources = mapping
        .take("sources")
        .and_then(|e| read_sources(&file, &e, out));
    fm.aliases = mapping
        .take("aliases")
        .and_then(|e| read_list(&file, &e, false, out));
    fm.translated_from = mapping.take_as("translated_from", "a hash (text)", out);
    fm.extra = mapping.take("extra").map(|e| e.value);
    fm
}

/// Reads a text key, flagging bidi controls and invisible characters in it.
fn read_text_field(
    mapping: &mut Mapping,
    key: &str,
    expected: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Located<String>> {
    let entry = mapping.take(key)?;
    let text: String = entry.to(&mapping.file, expected, out)?;
    crate::source::check_text_field(&mapping.file, entry.value_pos, key, &text, out);
    Some(Located {
        value: text,
        pos: entry.value_pos,
    })
}

/// Reads a `YYYY-MM-DD` date.
pub(crate) fn read_date(
    file: &str,
    entry: &Entry,
    out: &mut Vec<Diagnostic>,
) -> Option<jiff::civil::Date> {
    let text = match &entry.value {
        Value::String(s) => s.clone(),
        _ => {
            out.push(
                entry
                    .wrong_type(file, "a date")
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2022-09-16"),
            );
            return None;
        }
    };
    let valid_shape = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    let digits_in_place = valid_shape
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    match text.parse::<jiff::civil::Date>() {
        Ok(date) if valid_shape => Some(date),
        _ => {
            let hint = if digits_in_place {
                "the calendar has no such day: check the month and the day"
            } else {
                "write dates as YYYY-MM-DD, e.g. 2022-09-16"
            };
            out.push(
                Diagnostic::error(
                    file,
                    entry.value_pos,
                    Code::FrontMatterDate,
                    format!("`{}` is not a valid date: `{text}`", entry.key),
                )
                .with_hint(hint),
            );
            None
        }
    }
}

fn read_slug(file: &str, entry: &Entry, out: &mut Vec<Diagnostic>) -> Option<Located<String>> {
    let slug: String = entry.to(file, "text", out)?;
    if slug.contains("..") || slug.contains('/') || slug.contains('\\') {
        out.push(
            Diagnostic::error(
                file,
                entry.value_pos,
                Code::ContentSlugPath,
                format!("slug `{slug}` tries to name a path"),
            )
            .with_hint("a slug is one URL segment: lower-case letters, digits and `-`"),
        );
        return None;
    }
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        out.push(
            Diagnostic::error(
                file,
                entry.value_pos,
                Code::ContentSlugChars,
                format!("slug `{slug}` may only use a-z, 0-9 and `-`"),
            )
            .with_hint(format!("try `{}`", crate::content::slugify(&slug))),
        );
        return None;
    }
    Some(Located {
        value: slug,
        pos: entry.value_pos,
    })
}

/// Reads a list of strings; `single` also accepts one string.
pub(crate) fn read_list(
    file: &str,
    entry: &Entry,
    single: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Located<String>>> {
    let values: Vec<String> = match &entry.value {
        Value::String(s) if single => vec![s.clone()],
        _ => entry.to(
            file,
            if single {
                "a slug"
            } else {
                "a list of text values"
            },
            out,
        )?,
    };
    Some(
        values
            .into_iter()
            .enumerate()
            .map(|(i, value)| Located {
                value,
                pos: entry.items.get(i).copied().unwrap_or(entry.value_pos),
            })
            .collect(),
    )
}

/// Whether `url` is an http(s) address or a site path: nothing a link could
/// run (`javascript:`, `data:`) and no hidden characters.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lowered = url.to_ascii_lowercase();
    (lowered.starts_with("https://")
        || lowered.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//")))
        && crate::source::first_hidden_char(url).is_none()
        && !url.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let mut out = Vec::new();
        let parsed = parse("a.md", "---\ntitle: 望京\nweight: 2\n---\n# Hi\n", &mut out).unwrap();
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(parsed.front_matter.title.as_deref(), Some("望京"));
        assert_eq!(parsed.body, "# Hi\n");
        assert_eq!(parsed.body_line, 5);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let mut out = Vec::new();
        let parsed = parse(
            "a.md",
            "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n",
            &mut out,
        )
        .unwrap();
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(parsed.front_matter.title.as_deref(), Some("A"));
        assert_eq!(parsed.body, "Body\r\n");
    }

    #[test]
    fn every_problem_of_a_file_is_reported() {
        let mut out = Vec::new();
        let text = "---\ntitel: A\nweight: heavy\ndate: 2022-13-01\nslug: ../up\n---\n";
        parse("a.md", text, &mut out);
        let codes: Vec<(Code, usize)> = out.iter().map(|d| (d.code, d.line)).collect();
        assert!(
            codes.contains(&(Code::FrontMatterUnknownKey, 2)),
            "{codes:?}"
        );
        assert!(codes.contains(&(Code::YamlWrongType, 3)), "{codes:?}");
        assert!(codes.contains(&(Code::FrontMatterDate, 4)), "{codes:?}");
        assert!(codes.contains(&(Code::ContentSlugPath, 5)), "{codes:?}");
        let unknown = out
            .iter()
            .find(|d| d.code == Code::FrontMatterUnknownKey)
            .unwrap();
        assert_eq!(unknown.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn unclosed_front_matter_says_so() {
        let mut out = Vec::new();
        assert!(parse("a.md", "---\ntitle: A\nno end\n", &mut out).is_none());
        assert_eq!(out[0].code, Code::FrontMatterUnclosed);
        assert!(out[0].hint.as_deref().unwrap().contains("closing `---`"));
    }
}
