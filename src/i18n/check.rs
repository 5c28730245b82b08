//! The checks of the UI strings: keys one language has and another lacks,
//! plural strings without a form their language needs, and the labels the
//! domain lists of site.yaml need (`scenario.<key>`, `facility.kind.<kind>`).

use std::collections::BTreeSet;

use icu_plurals::{PluralCategory, PluralRules};

use super::{I18n, LanguageStrings, UiString};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Position};

impl I18n {
    /// Keys present in one language but missing in another, and plural strings
    /// that lack a form their language needs: one error each, at the line of
    /// the key in a file that has it (a site file before a theme's).
    pub(crate) fn check(&self) -> Vec<Diagnostic> {
        let all_keys: BTreeSet<&String> = self
            .languages
            .values()
            .flat_map(|l| l.strings.keys())
            .collect();
        let mut out = Vec::new();
        for (code, language) in &self.languages {
            for key in &all_keys {
                match language.strings.get(*key) {
                    // Reported already, as a wrong type or a file that could not be read.
                    None if language.reported(key) => {}
                    None => out.push(self.missing_key(key, code, language)),
                    Some(UiString::Plural(forms)) => {
                        let (file, pos) = self.locate(language, key);
                        for category in needed_categories(&language.formats.plurals) {
                            let name = category_name(category);
                            if !forms.contains_key(name) {
                                out.push(
                                    Diagnostic::error(
                                        &file,
                                        pos,
                                        Code::I18nMissingPluralForm,
                                        format!("UI string `{key}` lacks the `{name}` plural form that `{code}` needs"),
                                    )
                                    .with_hint(format!("add `{name}:` under `{key}`")),
                                );
                            }
                        }
                    }
                    Some(UiString::Text(_)) => {}
                }
            }
        }
        self.check_required(&all_keys, &mut out);
        out
    }

    /// The labels of site.yaml's scenarios and facility kinds that no
    /// language has: an `i18n/missing-key` error in each language (a label
    /// some language has is reported by [`I18n::check`] where it lacks).
    fn check_required(&self, all_keys: &BTreeSet<&String>, out: &mut Vec<Diagnostic>) {
        for (key, why) in &self.required {
            if all_keys.contains(key) {
                continue;
            }
            for (code, language) in self.languages.iter().filter(|(_, l)| !l.reported(key)) {
                out.push(
                    Diagnostic::error(
                        &language.file,
                        Position::new(1, 1),
                        Code::I18nMissingKey,
                        format!("UI string `{key}` is missing for `{code}`; {why}"),
                    )
                    .with_hint(format!("add `{key}` to {}", language.file)),
                );
            }
        }
    }

    /// The error for `key`, missing in `code`: at the key in a language that has it.
    fn missing_key(&self, key: &str, code: &str, language: &LanguageStrings) -> Diagnostic {
        let have: Vec<&LanguageStrings> = self
            .languages
            .values()
            .filter(|l| l.strings.contains_key(key))
            .collect();
        let names: Vec<&str> = self
            .languages
            .iter()
            .filter(|(_, l)| l.strings.contains_key(key))
            .map(|(c, _)| c.as_str())
            .collect();
        let located: Vec<(String, Position)> = have.iter().map(|l| self.locate(l, key)).collect();
        let (file, pos) = located
            .iter()
            .find(|(file, _)| !is_builtin(file))
            .or(located.first())
            .cloned()
            .unwrap_or((language.file.clone(), Position::new(1, 1)));
        Diagnostic::error(
            file,
            pos,
            Code::I18nMissingKey,
            format!(
                "UI string `{key}` is missing for `{code}`; {} {} it",
                names.join(", "),
                if names.len() == 1 { "has" } else { "have" }
            ),
        )
        .with_hint(format!("add `{key}` to {}", language.file))
    }

    /// The file that sets `key` for `language`, and the line of the key in it.
    fn locate(&self, language: &LanguageStrings, key: &str) -> (String, Position) {
        match language.origins.get(key).and_then(|i| self.sources.get(*i)) {
            Some(source) => (
                source.file.clone(),
                key_position(&source.text, key).unwrap_or(Position::new(1, 1)),
            ),
            None => (language.file.clone(), Position::new(1, 1)),
        }
    }
}

/// Whether a UI strings file is the built-in theme's (not a file of the project).
fn is_builtin(file: &str) -> bool {
    file.starts_with('(')
}

/// The UI strings site.yaml's domain lists need: a label for each scenario
/// (`scenario.<key>`) and each facility kind (`facility.kind.<kind>`).
pub(super) fn required_labels(config: &Config) -> Vec<(String, String)> {
    let domain = &config.domain;
    let scenarios = domain.scenarios.iter().map(|key| {
        (
            format!("scenario.{key}"),
            format!("the scenario `{key}` of site.yaml needs a label in every language"),
        )
    });
    let kinds = domain.facility_kinds.iter().map(|kind| {
        (
            format!("facility.kind.{kind}"),
            format!("the facility kind `{kind}` of site.yaml needs a label in every language"),
        )
    });
    scenarios.chain(kinds).collect()
}

/// Where the dotted `key` (`nav.skip`) is written in block-style YAML: the
/// line and column of its last part, else of the longest written prefix.
pub(crate) fn key_position(text: &str, key: &str) -> Option<Position> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut best: Option<(usize, Position)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('-') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some((name, _)) = trimmed.split_once(':') else {
            continue;
        };
        let name = name.trim().trim_matches(|c: char| c == '"' || c == '\'');
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, name.to_string()));
        let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
        let path = path.join(".");
        let matched = if path == key {
            Some(usize::MAX)
        } else if key.starts_with(&format!("{path}.")) {
            Some(path.len())
        } else {
            None
        };
        if let Some(depth) = matched
            && best.is_none_or(|(d, _)| depth > d)
        {
            let column = line[..indent].chars().count() + 1;
            best = Some((depth, Position::new(n + 1, column)));
        }
    }
    best.map(|(_, pos)| pos)
}

/// The categories whole numbers reach in a language: `ru` needs one, few, many.
fn needed_categories(rules: &PluralRules) -> BTreeSet<PluralCategory> {
    (0u64..=200).map(|n| rules.category_for(n)).collect()
}

pub(super) fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}
