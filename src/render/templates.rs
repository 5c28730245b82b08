//! Templates: the theme's layered templates loaded into Tera, and Tera's
//! errors turned into diagnostics at the template file, line and column.

use std::collections::BTreeMap;

use tera::Tera;

use super::compact;
use super::functions::{self, FunctionData};
use super::tags;
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::theme::{TemplateSource, Theme};

/// Keeps one error per template and cause: a mistake in a template that every
/// page uses is one error, saying how many pages it broke.
pub(super) fn once_per_cause(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type Cause = (String, usize, usize, String);
    let mut by_cause: BTreeMap<Cause, (Diagnostic, usize)> = BTreeMap::new();
    for error in errors {
        let cause = error
            .message
            .split_once(" failed: ")
            .map_or_else(|| error.message.clone(), |(_, cause)| cause.to_string());
        by_cause
            .entry((error.file.clone(), error.line, error.column, cause))
            .and_modify(|(_, count)| *count += 1)
            .or_insert((error, 1));
    }
    by_cause
        .into_values()
        .map(|(mut error, count)| {
            if count > 1 {
                error.message = format!("{} (and {} more pages)", error.message, count - 1);
            }
            error
        })
        .collect()
}

/// Loads the theme's templates into Tera with signpost's functions registered.
pub(crate) fn load_templates(theme: &Theme, data: &FunctionData) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    functions::register(&mut tera, data);
    let compacted: Vec<(&str, String)> = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), compact_html(name, &source.text)))
        .collect();
    match tera.add_raw_templates(compacted.iter().map(|(name, text)| (*name, text.as_str()))) {
        Ok(()) => Ok(tera),
        Err(error) => {
            let chain = error_chain(&error);
            let (mut cause, place) = tera_place(&chain);
            let mut hint = "fix the template; Tera's syntax is like Jinja2's".to_string();
            let (origin, pos) = match place {
                Some((name, pos)) => {
                    let pos = template_position(&theme.templates, name, pos);
                    // A tag left open is reported where it opens, not where
                    // Tera noticed it (often a later line).
                    let opened = theme
                        .templates
                        .get(name)
                        .and_then(|source| tags::unterminated_before(&source.text, pos));
                    if let Some((_, closer)) = opened {
                        cause = format!("the tag that opens here is never closed ({cause})");
                        hint = format!("close the tag with `{closer}`");
                    }
                    let pos = opened.map_or(pos, |(opened, _)| opened);
                    (origin_of(&theme.templates, name), pos)
                }
                None => {
                    let named = theme
                        .templates
                        .iter()
                        .find(|(name, _)| cause.contains(&format!("'{name}'")));
                    let origin = named.map(|(_, source)| source.origin.clone());
                    (
                        origin.unwrap_or_else(|| "templates".to_string()),
                        Position::FILE,
                    )
                }
            };
            Err(vec![
                Diagnostic::error(
                    origin,
                    pos,
                    Code::TemplateSyntax,
                    format!("template error: {cause}"),
                )
                .with_hint(hint),
            ])
        }
    }
}

/// The text given to Tera for a template: HTML templates made compact.
fn compact_html(name: &str, text: &str) -> String {
    if name.ends_with(".html") {
        compact::compact(text).text
    } else {
        text.to_string()
    }
}

/// The place in a template's file of a place Tera names in the text it was
/// given (see [`compact_html`]).
pub(super) fn template_position(
    templates: &BTreeMap<String, TemplateSource>,
    name: &str,
    pos: Position,
) -> Position {
    match templates.get(name) {
        Some(source) if name.ends_with(".html") => compact::source_position(&source.text, pos),
        _ => pos,
    }
}

/// Tera's message split into what is wrong (without Tera's `error: ` and its
/// excerpt of the source) and the template, line and column it points at
/// (` --> page.html:7:27`, 1-based, in characters), when it names one.
pub(super) fn tera_place(message: &str) -> (String, Option<(&str, Position)>) {
    let cause: Vec<&str> = message
        .lines()
        .take_while(|line| !line.trim_start().starts_with("--> "))
        .collect();
    let cause = cause.join("\n").replacen("error: ", "", 1);
    let place = message
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .and_then(|place| {
            let mut parts = place.trim_end().rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?, Position::new(line, column)))
        })
        .filter(|(_, pos)| pos.line >= 1 && pos.column >= 1);
    (cause, place)
}

/// The file a template was read from (`themes/x/templates/page.html`), by its name.
pub(super) fn origin_of(templates: &BTreeMap<String, TemplateSource>, name: &str) -> String {
    templates.get(name).map_or_else(
        || format!("templates/{name}"),
        |source| source.origin.clone(),
    )
}

/// An error with its causes, joined by `: `.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teras_place_is_read_from_its_message() {
        let message = "error: Unknown filter `lenght`\n  --> partials/tags.html:15:20\n   |\n15 |   {% if x | lenght %}\n   |             ^^^^^^";
        let (cause, place) = tera_place(message);
        assert_eq!(cause, "Unknown filter `lenght`");
        assert_eq!(place, Some(("partials/tags.html", Position::new(15, 20))));
        let (cause, place) = tera_place("Template 'page.html' is inheriting from 'base.html'");
        assert_eq!(cause, "Template 'page.html' is inheriting from 'base.html'");
        assert_eq!(place, None);
    }
}
