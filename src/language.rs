//! Languages: BCP 47 codes as the site names them, and the Chinese scripts.
//!
//! The lowest layer above diagnostics: `config` validates `site.yaml`'s codes
//! with it, `i18n` picks its converters by it. In: a code (`zh-Hans`). Out: a
//! [`Language`] with its URL prefix and locale, and the [`Direction`] that
//! derives one Chinese script from the other.

use icu_locale::Locale;

/// A site language: its BCP 47 code and the URL prefix made from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Language {
    /// The code exactly as written in `site.yaml`, e.g. `zh-Hans`.
    pub code: String,
    /// The code in lower case, used in URLs: `zh-hans`.
    pub prefix: String,
    /// The parsed locale, for CLDR data.
    pub locale: Locale,
}

/// Parses a BCP 47 code into a [`Language`], refusing anything that is not one.
pub(crate) fn parse_language(code: &str) -> Option<Language> {
    let valid_chars =
        !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid_chars {
        return None;
    }
    let locale = Locale::try_from_str(code).ok()?;
    Some(Language {
        code: code.to_string(),
        prefix: code.to_ascii_lowercase(),
        locale,
    })
}

/// Which way to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Simplified → Traditional (Taiwan standard characters, phrase-aware).
    HansToHant,
    /// Traditional → Simplified.
    HantToHans,
}

impl Direction {
    /// The direction that derives `target` from `source`, if signpost has one.
    pub fn between(source: &str, target: &str) -> Option<Direction> {
        match (script_of(source)?, script_of(target)?) {
            (Script::Hans, Script::Hant) => Some(Direction::HansToHant),
            (Script::Hant, Script::Hans) => Some(Direction::HantToHans),
            _ => None,
        }
    }
}

#[derive(PartialEq)]
enum Script {
    Hans,
    Hant,
}

/// The Chinese script a language code names, if any (`zh-Hans`, `zh-Hant`, `zh-TW`…).
fn script_of(code: &str) -> Option<Script> {
    let language = parse_language(code)?;
    if language.locale.id.language.as_str() != "zh" {
        return None;
    }
    match language.locale.id.script.map(|s| s.to_string()) {
        Some(s) if s == "Hans" => Some(Script::Hans),
        Some(s) if s == "Hant" => Some(Script::Hant),
        _ => match language.locale.id.region.map(|r| r.to_string()).as_deref() {
            Some("TW" | "HK" | "MO") => Some(Script::Hant),
            Some(_) => Some(Script::Hans),
            None => None,
        },
    }
}
