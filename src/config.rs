//! `site.yaml`: raw keys in, a validated [`Config`] out (SPEC §3).
//!
//! Steps: parse the mapping with positions, read each known key with its type,
//! validate language codes and the references between them (default, fallback,
//! derive), read the guide's own lists (`domain.rs`), and report unknown
//! keys with the nearest known one.

use std::collections::BTreeMap;
use std::path::Path;

mod domain;

use crate::diagnostics::{Code, Diagnostic, Position, Suggestion};
pub(crate) use crate::language::{Language, parse_language};
use crate::yaml::{self, Mapping};
pub(crate) use domain::Domain;

/// The name of the configuration file at the site root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

const KNOWN_KEYS: &[&str] = &[
    "base_url",
    "languages",
    "default_language",
    "fallback",
    "derive",
    "theme",
    "title",
    "description",
    "scenarios",
    "facility_kinds",
    "communities_section",
    "extra",
];

/// The validated site configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The site's languages, in the order of `site.yaml`.
    pub languages: Vec<Language>,
    /// The language of files without a language suffix, and the source of inherited keys.
    pub default_language: String,
    /// Where to look, in order, when a page lacks a language.
    pub fallback: Vec<String>,
    /// Machine conversion: target language → source language.
    pub derive: BTreeMap<String, String>,
    /// The theme's name (a folder of `themes/`, or the built-in `signage`).
    pub theme: String,
    /// The site title per language.
    pub title: BTreeMap<String, String>,
    /// An optional site description per language.
    pub description: BTreeMap<String, String>,
    /// The scenario keys, facility kinds and communities section.
    pub domain: Domain,
    /// Free data for templates.
    pub extra: serde_json::Value,
}

impl Config {
    /// Reads and validates `site.yaml` in `root`. On failure, the diagnostics say why.
    pub(crate) fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    Position::FILE,
                    Code::ConfigUnreadable,
                    format!("cannot read {}: there is no such file", path.display()),
                )
                .with_hint("run signpost in the folder that holds site.yaml, or pass --root DIR"),
            ]);
        }
        let text = crate::source::read_text(&path, CONFIG_FILE, crate::diagnostics::Area::Config)
            .map_err(|d| vec![d])?;
        Config::parse(&text)
    }

    /// Validates the text of a `site.yaml`: each key is read by its own step,
    /// every problem is collected, and what is left over is an unknown key.
    pub(crate) fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut mapping = yaml::parse_mapping(CONFIG_FILE, text, 0).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let base_url = read_base_url(&mut mapping, &mut errors);
        let languages = read_languages(&mut mapping, &mut errors);
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        let default_language = read_default_language(&mut mapping, &codes, &mut errors);
        let fallback = read_fallback(&mut mapping, &codes, &mut errors);
        let derive = read_derive(&mut mapping, &codes, &mut errors);
        let theme = mapping
            .take_as::<String>("theme", "a theme name", &mut errors)
            .unwrap_or_else(|| "signage".to_string());
        let title = read_localized(&mut mapping, "title", &codes, &mut errors);
        let description = read_localized(&mut mapping, "description", &codes, &mut errors);
        let domain = domain::read(&mut mapping, &mut errors);
        let extra = mapping
            .take("extra")
            .map(|e| e.value)
            .unwrap_or(serde_json::Value::Null);
        mapping.report_unknown(Code::ConfigUnknownKey, "site.yaml", KNOWN_KEYS, &mut errors);

        match (base_url, default_language) {
            (Some(base_url), Some(default_language))
                if errors.is_empty() && !languages.is_empty() =>
            {
                Ok(Config {
                    base_url,
                    languages,
                    default_language,
                    fallback,
                    derive,
                    theme,
                    title,
                    description,
                    domain,
                    extra,
                })
            }
            _ => Err(errors),
        }
    }

    /// The language with this exact code.
    pub(crate) fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// Whether `code` is one of the site's languages.
    pub(crate) fn has_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    /// The URL prefix of a language (`zh-hans`), or the code itself if unknown.
    pub(crate) fn prefix<'a>(&'a self, code: &'a str) -> &'a str {
        self.language(code).map_or(code, |l| l.prefix.as_str())
    }

    /// The codes of the site's languages, in order.
    pub(crate) fn codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// The absolute URL of a site path such as `/en/`.
    pub(crate) fn permalink(&self, path: &str) -> String {
        let base = self.base_url.trim_end_matches('/');
        format!("{base}{path}")
    }
}

/// `base_url`: an absolute URL (or `/`), always ending in `/`; `/` when absent.
fn read_base_url(mapping: &mut Mapping, errors: &mut Vec<Diagnostic>) -> Option<String> {
    let file = CONFIG_FILE;
    let Some(entry) = mapping.take("base_url") else {
        return Some("/".to_string());
    };
    let url = entry.to::<String>(file, "a URL such as https://guide.example.org/", errors)?;
    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/') {
        return Some(if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        });
    }
    errors.push(
        Diagnostic::error(
            file,
            entry.value_pos,
            Code::ConfigBaseUrl,
            format!("`base_url` must be an absolute URL, found `{url}`"),
        )
        .with_hint("write it as https://your.host/ (or / for a site served at the root)"),
    );
    None
}

/// `default_language`: one of `codes`; the first language when absent.
fn read_default_language(
    mapping: &mut Mapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let file = CONFIG_FILE;
    match mapping.take("default_language") {
        Some(entry) => entry
            .to::<String>(file, "a language code", errors)
            .filter(|code| {
                check_known(
                    file,
                    entry.value_pos,
                    "default_language",
                    code,
                    codes,
                    errors,
                )
            }),
        None => codes.first().map(|c| c.to_string()),
    }
}

/// `fallback`: the languages to look in, in order; each one of `codes`.
fn read_fallback(
    mapping: &mut Mapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let file = CONFIG_FILE;
    let Some(entry) = mapping.take("fallback") else {
        return Vec::new();
    };
    entry
        .to::<Vec<String>>(file, "a list of language codes", errors)
        .unwrap_or_default()
        .into_iter()
        .filter(|code| check_known(file, entry.value_pos, "fallback", code, codes, errors))
        .collect()
}

/// `derive`: target → source pairs of site languages that a converter links.
fn read_derive(
    mapping: &mut Mapping,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let file = CONFIG_FILE;
    let mut derive = BTreeMap::new();
    let Some(entry) = mapping.take("derive") else {
        return derive;
    };
    let pairs = entry.to::<BTreeMap<String, String>>(file, "a mapping `target: source`", errors);
    for (target, source) in pairs.unwrap_or_default() {
        let known = check_known(file, entry.value_pos, "derive", &target, codes, errors)
            & check_known(file, entry.value_pos, "derive", &source, codes, errors);
        if !known {
            continue;
        }
        if crate::language::Direction::between(&source, &target).is_none() {
            errors.push(
                Diagnostic::error(
                    file,
                    entry.value_pos,
                    Code::ConfigDerive,
                    format!("no converter derives `{target}` from `{source}`"),
                )
                .with_hint("signpost converts between zh-Hans and zh-Hant only"),
            );
            continue;
        }
        derive.insert(target, source);
    }
    derive
}

fn read_languages(
    mapping: &mut Mapping,
    errors: &mut Vec<Diagnostic>,
) -> Vec<super::config::Language> {
    let file = CONFIG_FILE;
    let Some(entry) = mapping.take("languages") else {
        errors.push(
            Diagnostic::error(
                file,
                mapping.start,
                Code::ConfigMissingKey,
                "`languages` is required",
            )
            .with_hint("list the site's languages, e.g. `languages: [zh-Hans, en]`"),
        );
        return Vec::new();
    };
    let Some(codes) = entry.to::<Vec<String>>(file, "a list of BCP 47 language codes", errors)
    else {
        return Vec::new();
    };
    if codes.is_empty() {
        errors.push(Diagnostic::error(
            file,
            entry.value_pos,
            Code::ConfigLanguages,
            "`languages` must name at least one language",
        ));
    }
    let mut languages: Vec<Language> = Vec::new();
    for code in codes {
        match parse_language(&code) {
            Some(language) if languages.iter().any(|l| l.prefix == language.prefix) => {
                errors.push(Diagnostic::error(
                    file,
                    entry.value_pos,
                    Code::ConfigLanguages,
                    format!("language `{code}` is listed twice"),
                ))
            }
            Some(language) => languages.push(language),
            None => errors.push(
                Diagnostic::error(
                    file,
                    entry.value_pos,
                    Code::ConfigLanguages,
                    format!("`{code}` is not a BCP 47 language code"),
                )
                .with_hint("write codes such as en, ru, zh-Hans, zh-Hant, pt-BR"),
            ),
        }
    }
    languages
}

fn check_known(
    file: &str,
    pos: Position,
    key: &str,
    code: &str,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> bool {
    if codes.contains(&code) {
        return true;
    }
    errors.push(
        Diagnostic::error(
            file,
            pos,
            Code::ConfigUnknownLanguage,
            format!("`{key}` names `{code}`, which is not in `languages`"),
        )
        .suggest(
            Suggestion::nearest(code, codes.iter().copied())
                .otherwise(format!("the site's languages are: {}", codes.join(", "))),
        ),
    );
    false
}

fn read_localized(
    mapping: &mut Mapping,
    key: &str,
    codes: &[&str],
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let Some(entry) = mapping.take(key) else {
        return BTreeMap::new();
    };
    if let serde_json::Value::String(text) = &entry.value {
        return codes
            .iter()
            .map(|c| (c.to_string(), text.clone()))
            .collect();
    }
    let map = entry
        .to::<BTreeMap<String, String>>(
            CONFIG_FILE,
            "text, or a mapping from language code to text",
            errors,
        )
        .unwrap_or_default();
    map.into_iter()
        .filter(|(code, _)| check_known(CONFIG_FILE, entry.value_pos, key, code, codes, errors))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "base_url: https://guide.example.org\nlanguages: [zh-Hans, zh-Hant, en, ru]\ndefault_language: zh-Hans\nfallback: [en, zh-Hans]\nderive:\n  zh-Hant: zh-Hans\ntitle:\n  en: Guide\n";

    #[test]
    fn reads_the_spec_example() {
        let config = Config::parse(GUIDE).unwrap();
        assert_eq!(config.base_url, "https://guide.example.org/");
        assert_eq!(config.prefix("zh-Hans"), "zh-hans");
        assert_eq!(
            config.derive.get("zh-Hant").map(String::as_str),
            Some("zh-Hans")
        );
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let errors = Config::parse(&format!("{GUIDE}defualt_language: en\n")).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Code::ConfigUnknownKey);
        assert_eq!(errors[0].line, 9);
        assert_eq!(
            errors[0].hint.as_deref(),
            Some("did you mean `default_language`?")
        );
    }

    #[test]
    fn fallback_must_name_site_languages() {
        let text = GUIDE.replace("fallback: [en, zh-Hans]", "fallback: [de]");
        let errors = Config::parse(&text).unwrap_err();
        assert_eq!(errors[0].code, Code::ConfigUnknownLanguage);
        assert_eq!(errors[0].line, 4);
    }
}
