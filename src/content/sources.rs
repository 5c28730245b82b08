//! `sources`: where a page's or facility's facts come from, as a list of
//! `{title, publisher, date, url?}` in front matter.
//!
//! In: the `sources` entry of a front matter or facility mapping. Out: the
//! sources that are complete; a diagnostic for each one that is not.

use crate::diagnostics::Code;
use serde_json::Value;

use super::front_matter::is_web_url;
use crate::diagnostics::{Diagnostic, Position, Suggestion};
use crate::yaml::Entry;

/// Where a page's facts come from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Source {
    /// The document's title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// When: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where to read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The keys of one entry of `sources`.
const SOURCE_KEYS: &[&str] = &["title", "publisher", "date", "url"];

/// Reads `sources`: a list of `{title, publisher, date, url?}`; a source
/// with a problem is reported and left out, the others are kept.
pub(crate) fn read_sources(
    file: &str,
    entry: &Entry,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Source>> {
    let Value::Array(items) = &entry.value else {
        out.push(
            entry.wrong_type(file, "a list").with_hint(
                "write each source as `- {title: …, publisher: …, date: \"2022-09-16\"}`",
            ),
        );
        return None;
    };
    let sources = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let source = SourceItem {
                file,
                pos: entry.value_pos,
                n: i + 1,
            };
            source.read(item, out)
        })
        .collect();
    Some(sources)
}

/// Source #`n` of a `sources` list, for its diagnostics.
struct SourceItem<'a> {
    file: &'a str,
    pos: Position,
    n: usize,
}

impl SourceItem<'_> {
    /// Reads the source: a mapping with known keys, a title and a publisher,
    /// a partial date and a web address, each checked in turn.
    fn read(&self, item: &Value, out: &mut Vec<Diagnostic>) -> Option<Source> {
        let n = self.n;
        let Value::Object(map) = item else {
            out.push(self.error(
                Code::FrontMatterSource,
                format!("source #{n} must be a mapping with title and publisher"),
            ));
            return None;
        };
        for key in map.keys().filter(|k| !SOURCE_KEYS.contains(&k.as_str())) {
            out.push(
                self.error(
                    Code::FrontMatterUnknownKey,
                    format!("unknown key `{key}` in source #{n}"),
                )
                .suggest(Suggestion::nearest(key, SOURCE_KEYS.iter().copied())),
            );
        }
        let text = |key: &str| match map.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let (Some(title), Some(publisher)) = (text("title"), text("publisher")) else {
            out.push(
                self.error(
                    Code::FrontMatterSource,
                    format!("source #{n} needs a `title` and a `publisher`"),
                )
                .with_hint("name the document and who published it"),
            );
            return None;
        };
        let date = text("date");
        self.check_date(date.as_deref(), out);
        let url = text("url");
        if !self.url_is_web(url.as_deref(), out) {
            return None;
        }
        Some(Source {
            title,
            publisher,
            date,
            url,
        })
    }

    /// A date, if any, is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (reported, but kept).
    fn check_date(&self, date: Option<&str>, out: &mut Vec<Diagnostic>) {
        if let Some(date) = date
            && !is_partial_date(date)
        {
            out.push(
                self.error(
                    Code::FrontMatterDate,
                    format!("source #{} has an invalid date `{date}`", self.n),
                )
                .with_hint("write YYYY, YYYY-MM or YYYY-MM-DD"),
            );
        }
    }

    /// Whether the url, if any, is a web address; reports it when not.
    fn url_is_web(&self, url: Option<&str>, out: &mut Vec<Diagnostic>) -> bool {
        let Some(url) = url.filter(|url| !is_web_url(url)) else {
            return true;
        };
        out.push(
            self.error(
                Code::FrontMatterSourceUrl,
                format!(
                    "source #{} has a `url` that is not a web address: `{url}`",
                    self.n
                ),
            )
            .with_hint("write a full https:// (or http://) address"),
        );
        false
    }

    fn error(&self, code: Code, message: String) -> Diagnostic {
        Diagnostic::error(self.file, self.pos, code, message)
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each part in range.
fn is_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let numeric = |s: &str, len: usize| s.len() == len && s.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => numeric(y, 4),
        [y, m] => {
            numeric(y, 4) && numeric(m, 2) && (1..=12).contains(&m.parse::<u8>().unwrap_or(0))
        }
        [_, _, _] => text.parse::<jiff::civil::Date>().is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_in_sources() {
        assert!(is_partial_date("2022"));
        assert!(is_partial_date("2022-03"));
        assert!(is_partial_date("2022-09-16"));
        assert!(!is_partial_date("2022-13"));
        assert!(!is_partial_date("22-09-16"));
    }
}
