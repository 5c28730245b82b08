//! UI strings, CLDR plural rules, localized dates and numbers (SPEC §6).
//!
//! In: the theme's `i18n/<code>.yaml` files (defaults) and the site's
//! `i18n/<code>.yaml` files (overrides), one per language. Out: an [`I18n`]
//! that templates call through `t(key=…, count=…)`, `format_date` and
//! `format_number`.
//!
//! A UI file is a YAML mapping; nested mappings are namespaces joined with dots
//! (`nav: {home: …}` is `nav.home`). A mapping whose keys are CLDR plural
//! categories (`zero one two few many other`) is one plural string. `{count}`
//! and other `{name}` placeholders are filled in at render time.

mod check;
pub(crate) mod convert;
pub(crate) mod reads;

use crate::diagnostics::Code;
use check::category_name;
pub(crate) use check::key_position;

use std::collections::{BTreeMap, BTreeSet};

use fixed_decimal::Decimal;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_datetime::input::Date;
use icu_decimal::DecimalFormatter;
use icu_plurals::{PluralCategory, PluralRules};
use serde_json::Value;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Position};

const PLURAL_KEYS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One UI string: plain text, or one text per plural category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UiString {
    /// The same text whatever the count.
    Text(String),
    /// Texts keyed by CLDR plural category (`one`, `few`, `many`, `other`…).
    Plural(BTreeMap<String, String>),
}

/// A UI strings file to load: the theme's defaults come before the site's own.
#[derive(Debug, Clone)]
pub(crate) struct UiSource {
    /// The language code the file is for.
    pub lang: String,
    /// Where it came from, for messages (`i18n/ru.yaml`).
    pub file: String,
    /// The YAML text.
    pub text: String,
}

struct Formats {
    plurals: PluralRules,
    dates: Option<FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, YMD>>,
    numbers: Option<DecimalFormatter>,
}

struct LanguageStrings {
    /// The site's file for this language (where missing keys belong).
    file: String,
    strings: BTreeMap<String, UiString>,
    /// Where each key was last set: the index of its source in `I18n::sources`.
    origins: BTreeMap<String, usize>,
    /// Keys set to something that is not text, and whether a file of the
    /// language could not be read: already reported, so not "missing" too.
    wrong: BTreeSet<String>,
    unread: bool,
    formats: Formats,
}

impl LanguageStrings {
    /// Whether a missing `key` follows from an error already reported: its
    /// file could not be read, or the key (or one above it) is not text.
    fn reported(&self, key: &str) -> bool {
        self.unread
            || self.wrong.iter().any(|wrong| {
                key.strip_prefix(wrong.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
    }
}

/// Every language's UI strings and CLDR formatters.
pub(crate) struct I18n {
    languages: BTreeMap<String, LanguageStrings>,
    /// The files loaded, in language order, for locating keys in diagnostics.
    sources: Vec<UiSource>,
    /// The labels site.yaml's lists need (`scenario.<key>`,
    /// `facility.kind.<kind>`), each with what needs it.
    required: Vec<(String, String)>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n")
            .field("languages", &self.languages.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl I18n {
    /// Loads the UI strings of every site language from `sources`, later sources overriding earlier ones.
    pub(crate) fn load(
        config: &Config,
        sources: &[UiSource],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> I18n {
        let mut languages = BTreeMap::new();
        let mut kept = Vec::new();
        for language in &config.languages {
            let prefs = (&language.locale).into();
            let plurals = PluralRules::try_new(prefs, Default::default())
                .or_else(|_| PluralRules::try_new(Default::default(), Default::default()))
                .expect("the root locale always has plural rules");
            let formats = Formats {
                plurals,
                dates: FixedCalendarDateTimeFormatter::try_new(
                    (&language.locale).into(),
                    YMD::long(),
                )
                .ok(),
                numbers: DecimalFormatter::try_new((&language.locale).into(), Default::default())
                    .ok(),
            };
            let mut strings = BTreeMap::new();
            let mut origins = BTreeMap::new();
            let mut wrong = BTreeSet::new();
            let mut unread = false;
            for source in sources.iter().filter(|s| s.lang == language.code) {
                match crate::yaml::parse_typed::<Option<Value>>(&source.file, &source.text) {
                    Ok(Some(Value::Object(map))) => {
                        let mut found = BTreeMap::new();
                        let mut flat = Flat {
                            out: &mut found,
                            wrong: &mut wrong,
                            diagnostics,
                        };
                        flatten(source, "", &map, &mut flat);
                        for key in found.keys() {
                            origins.insert(key.clone(), kept.len());
                        }
                        strings.extend(found);
                        kept.push(source.clone());
                    }
                    Ok(None) => {}
                    Ok(Some(_)) => {
                        unread = true;
                        diagnostics.push(
                            Diagnostic::error(
                                &source.file,
                                Position::new(1, 1),
                                Code::I18nNotAMapping,
                                "a UI strings file must be a mapping of keys to texts",
                            )
                            .with_hint("write `key: text` lines, e.g. `nav.home: Home`"),
                        );
                    }
                    Err(diagnostic) => {
                        unread = true;
                        diagnostics.push(diagnostic);
                    }
                }
            }
            languages.insert(
                language.code.clone(),
                LanguageStrings {
                    file: format!("i18n/{}.yaml", language.code),
                    strings,
                    origins,
                    wrong,
                    unread,
                    formats,
                },
            );
        }
        I18n {
            languages,
            sources: kept,
            required: check::required_labels(config),
        }
    }

    /// The UI string `key` in `lang`, with `{count}` and other placeholders filled in.
    pub(crate) fn t(
        &self,
        lang: &str,
        key: &str,
        count: Option<f64>,
        args: &[(String, String)],
    ) -> Option<String> {
        reads::note(lang, key);
        let language = self.languages.get(lang)?;
        let text = match language.strings.get(key)? {
            UiString::Text(text) => text.as_str(),
            UiString::Plural(forms) => {
                let category = count.map_or(PluralCategory::Other, |n| {
                    plural_category(&language.formats.plurals, n)
                });
                forms
                    .get(category_name(category))
                    .or_else(|| forms.get("other"))?
                    .as_str()
            }
        };
        let mut out = text.to_string();
        if let Some(n) = count {
            out = out.replace("{count}", &self.format_number(lang, n));
        }
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        Some(out)
    }

    /// The name of the language `code` as a reader of `lang` says it
    /// (`languages.<code>`: 英语 for `en` on a zh-Hans page), else the
    /// language's own name (`language.name` in `code`), else the code.
    pub(crate) fn language_name(&self, lang: &str, code: &str) -> String {
        self.t(lang, &format!("languages.{code}"), None, &[])
            .or_else(|| self.t(code, "language.name", None, &[]))
            .unwrap_or_else(|| code.to_string())
    }

    /// A date written the way `lang` writes it: 2022年9月16日, 16 сентября 2022 г., September 16, 2022.
    pub(crate) fn format_date(&self, lang: &str, date: jiff::civil::Date) -> String {
        let iso = date.to_string();
        let Some(formatter) = self
            .languages
            .get(lang)
            .and_then(|l| l.formats.dates.as_ref())
        else {
            return iso;
        };
        match Date::try_new_gregorian(i32::from(date.year()), date.month() as u8, date.day() as u8)
        {
            Ok(gregorian) => formatter.format(&gregorian).to_string(),
            Err(_) => iso,
        }
    }

    /// A number with `lang`'s grouping and decimal marks: 11,000 / 11 000.
    pub(crate) fn format_number(&self, lang: &str, n: f64) -> String {
        let plain = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        };
        let Some(formatter) = self
            .languages
            .get(lang)
            .and_then(|l| l.formats.numbers.as_ref())
        else {
            return plain;
        };
        match plain.parse::<Decimal>() {
            Ok(decimal) => formatter.format(&decimal).to_string(),
            Err(_) => plain,
        }
    }

    /// The plural forms of `key` in `lang` (category → text with `{count}` kept), for scripts
    /// that count in the browser with `Intl.PluralRules`. A plain string counts as `other`.
    pub(crate) fn plural_forms(&self, lang: &str, key: &str) -> Option<BTreeMap<String, String>> {
        reads::note(lang, key);
        match self.languages.get(lang)?.strings.get(key)? {
            UiString::Plural(forms) => Some(forms.clone()),
            UiString::Text(text) => Some(BTreeMap::from([("other".to_string(), text.clone())])),
        }
    }
}

/// Where [`flatten`] puts what it finds.
struct Flat<'a> {
    out: &'a mut BTreeMap<String, UiString>,
    wrong: &'a mut BTreeSet<String>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

fn flatten(
    source: &UiSource,
    prefix: &str,
    map: &serde_json::Map<String, Value>,
    flat: &mut Flat<'_>,
) {
    for (key, value) in map {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::String(text) => {
                flat.out.insert(full, UiString::Text(text.clone()));
            }
            Value::Number(n) => {
                flat.out.insert(full, UiString::Text(n.to_string()));
            }
            Value::Object(inner) if is_plural(inner) => {
                let forms = inner
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect();
                flat.out.insert(full, UiString::Plural(forms));
            }
            Value::Object(inner) => flatten(source, &full, inner, flat),
            other => {
                flat.diagnostics.push(
                    Diagnostic::error(
                        &source.file,
                        key_position(&source.text, &full).unwrap_or(Position::new(1, 1)),
                        Code::I18nWrongType,
                        format!(
                            "UI string `{full}` must be text, found {}",
                            crate::yaml::describe(other)
                        ),
                    )
                    .with_hint("write the text in quotes, or plural forms as `one: …`, `other: …`"),
                );
                flat.wrong.insert(full);
            }
        }
    }
}

fn is_plural(map: &serde_json::Map<String, Value>) -> bool {
    map.contains_key("other")
        && map.keys().all(|k| PLURAL_KEYS.contains(&k.as_str()))
        && map.values().all(Value::is_string)
}

fn plural_category(rules: &PluralRules, n: f64) -> PluralCategory {
    if n.fract() == 0.0 && n >= 0.0 && n < u64::MAX as f64 {
        rules.category_for(n as u64)
    } else {
        match n.to_string().parse::<Decimal>() {
            Ok(decimal) => rules.category_for(&decimal),
            Err(_) => PluralCategory::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n(ru: &str) -> (I18n, Vec<Diagnostic>) {
        let config = Config::parse("languages: [en, ru, zh-Hans]\n").unwrap();
        let sources = vec![
            UiSource {
                lang: "en".into(),
                file: "i18n/en.yaml".into(),
                text: "schools: {one: '{count} school', other: '{count} schools'}\n".into(),
            },
            UiSource {
                lang: "ru".into(),
                file: "i18n/ru.yaml".into(),
                text: ru.into(),
            },
            UiSource {
                lang: "zh-Hans".into(),
                file: "i18n/zh-Hans.yaml".into(),
                text: "schools: {other: '{count} 所学校'}\n".into(),
            },
        ];
        let mut diagnostics = Vec::new();
        let mut i18n = I18n::load(&config, &sources, &mut diagnostics);
        // These sources hold none of the theme's strings: the labels of the
        // default scenarios and kinds are not asked for here (tests/site/domain.rs).
        i18n.required.clear();
        (i18n, diagnostics)
    }

    #[test]
    fn russian_plurals_follow_cldr() {
        let (i18n, diagnostics) = i18n(
            "schools:\n  one: '{count} школа'\n  few: '{count} школы'\n  many: '{count} школ'\n  other: '{count} школы'\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let cases = [
            (1.0, "1 школа"),
            (3.0, "3 школы"),
            (5.0, "5 школ"),
            (21.0, "21 школа"),
            (23.0, "23 школы"),
            (11.0, "11 школ"),
        ];
        for (n, expected) in cases {
            assert_eq!(i18n.t("ru", "schools", Some(n), &[]).unwrap(), expected);
        }
        assert_eq!(i18n.t("en", "schools", Some(1.0), &[]).unwrap(), "1 school");
        assert_eq!(
            i18n.t("en", "schools", Some(23.0), &[]).unwrap(),
            "23 schools"
        );
        assert!(i18n.check().is_empty());
    }

    #[test]
    fn a_missing_plural_form_is_an_error() {
        let (i18n, _) = i18n("schools:\n  one: '{count} школа'\n  other: '{count} школы'\n");
        let problems = i18n.check();
        let forms: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert!(forms.iter().any(|m| m.contains("`few`")), "{forms:?}");
        assert!(forms.iter().any(|m| m.contains("`many`")), "{forms:?}");
    }

    #[test]
    fn a_key_missing_in_one_language_is_reported_where_another_has_it() {
        let (i18n, _) = i18n("other_key: x\nnav:\n  skip: Skip\n");
        let problems = i18n.check();
        let found: Vec<(&str, usize, usize, &str)> = problems
            .iter()
            .map(|d| {
                (
                    d.file.as_str(),
                    d.line,
                    d.column,
                    d.hint.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("i18n/ru.yaml", 3, 3, "add `nav.skip` to i18n/en.yaml"),
                ("i18n/ru.yaml", 1, 1, "add `other_key` to i18n/en.yaml"),
                ("i18n/en.yaml", 1, 1, "add `schools` to i18n/ru.yaml"),
                ("i18n/ru.yaml", 3, 3, "add `nav.skip` to i18n/zh-Hans.yaml"),
                ("i18n/ru.yaml", 1, 1, "add `other_key` to i18n/zh-Hans.yaml"),
            ]
        );
        assert!(
            problems[2]
                .message
                .contains("`schools` is missing for `ru`")
        );
    }

    #[test]
    fn keys_are_located_in_block_yaml() {
        let text = "# c\nnav:\n  home: Home\n  skip: \"Skip\"\nlist:\n  count:\n    one: a\n    other: b\nflow: {a: b}\n";
        assert_eq!(key_position(text, "nav.skip"), Some(Position::new(4, 3)));
        assert_eq!(key_position(text, "list.count"), Some(Position::new(6, 3)));
        assert_eq!(key_position(text, "flow.a"), Some(Position::new(9, 1)));
        assert_eq!(key_position(text, "nope"), None);
    }

    #[test]
    fn dates_and_numbers_are_localized() {
        let (i18n, _) = i18n("");
        let date = jiff::civil::date(2022, 9, 16);
        assert_eq!(i18n.format_date("en", date), "September 16, 2022");
        assert_eq!(i18n.format_date("zh-Hans", date), "2022年9月16日");
        assert!(i18n.format_date("ru", date).starts_with("16 сентября 2022"));
        assert_eq!(i18n.format_number("en", 11000.0), "11,000");
        assert_eq!(i18n.format_number("ru", 11000.0), "11\u{a0}000");
    }
}
