//! The guide's own vocabulary in `site.yaml`: the scenario keys pages are
//! tagged with (`scenarios`), the kinds of facility (`facility_kinds`) and the
//! section whose pages are the communities (`communities_section`).
//!
//! In: the keys, each optional. Out: a [`Domain`] holding the guide's lists
//! where a key is absent, or diagnostics for a list that is empty, an entry
//! that is empty, cannot be a URL segment or is written twice.

use crate::diagnostics::Code;
use crate::diagnostics::{Diagnostic, Position};
use crate::yaml::{Entry, Mapping};

use super::CONFIG_FILE;

/// The nine scenario keys of the "1+3+9" design: the default of `scenarios`.
pub(crate) const DEFAULT_SCENARIOS: &[&str] = &[
    "livable",
    "neighborhood",
    "education-culture",
    "innovation",
    "health",
    "transport",
    "low-carbon",
    "services",
    "governance",
];

/// The facility kinds the built-in theme has pictograms for: the default of
/// `facility_kinds`.
pub(crate) const DEFAULT_FACILITY_KINDS: &[&str] = &[
    "apartment",
    "school",
    "hospital",
    "service-station",
    "street",
    "building",
    "platform",
    "other",
];

/// The default of `communities_section`.
pub(crate) const DEFAULT_COMMUNITIES_SECTION: &str = "communities";

/// The site's scenario keys, facility kinds and communities section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Domain {
    /// The scenario keys a page or facility may list under `scenarios`, in
    /// the order the scenario pages list them.
    pub scenarios: Vec<String>,
    /// The kinds a facility's `kind` may name.
    pub facility_kinds: Vec<String>,
    /// The section (a folder of `content/`) whose pages are the communities.
    pub communities_section: String,
}

impl Default for Domain {
    fn default() -> Self {
        Domain {
            scenarios: owned(DEFAULT_SCENARIOS),
            facility_kinds: owned(DEFAULT_FACILITY_KINDS),
            communities_section: DEFAULT_COMMUNITIES_SECTION.to_string(),
        }
    }
}

impl Domain {
    /// Whether `key` is one of the site's scenarios.
    pub(crate) fn is_scenario(&self, key: &str) -> bool {
        self.scenarios.iter().any(|s| s == key)
    }

    /// Whether `kind` is one of the site's facility kinds.
    pub(crate) fn is_facility_kind(&self, kind: &str) -> bool {
        self.facility_kinds.iter().any(|k| k == kind)
    }

    /// The community slug of a page key (`communities/wangjing` → `wangjing`);
    /// `None` for a key outside the communities section or deeper in it.
    pub(crate) fn community_slug<'a>(&self, key: &'a str) -> Option<&'a str> {
        let slug = key
            .strip_prefix(self.communities_section.as_str())?
            .strip_prefix('/')?;
        (!slug.contains('/')).then_some(slug)
    }

    /// The page key of a community (`wangjing` → `communities/wangjing`).
    pub(crate) fn community_key(&self, slug: &str) -> String {
        format!("{}/{slug}", self.communities_section)
    }
}

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// Reads the three keys from `site.yaml`, each falling back to its default.
pub(super) fn read(mapping: &mut Mapping, errors: &mut Vec<Diagnostic>) -> Domain {
    let mut domain = Domain::default();
    if let Some(entry) = mapping.take("scenarios") {
        domain.scenarios = read_list(&entry, Code::ConfigScenarios, "scenario keys", errors);
    }
    if let Some(entry) = mapping.take("facility_kinds") {
        domain.facility_kinds =
            read_list(&entry, Code::ConfigFacilityKinds, "facility kinds", errors);
    }
    if let Some(entry) = mapping.take("communities_section") {
        domain.communities_section = read_section(&entry, errors);
    }
    domain
}

/// A list of keys: at least one, each a URL segment (`a-z`, `0-9`, `-`), none twice.
fn read_list(entry: &Entry, code: Code, what: &str, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let file = CONFIG_FILE;
    let Some(values) = entry.to::<Vec<String>>(file, &format!("a list of {what}"), errors) else {
        return Vec::new();
    };
    if values.is_empty() {
        errors.push(
            Diagnostic::error(
                file,
                entry.value_pos,
                code,
                format!("`{}` must name at least one entry", entry.key),
            )
            .with_hint(format!(
                "leave `{}` out to use the built-in list",
                entry.key
            )),
        );
    }
    let mut list: Vec<String> = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let pos = entry.items.get(i).copied().unwrap_or(entry.value_pos);
        if let Some(problem) = segment_problem(&value) {
            errors.push(entry_error(entry, pos, code, i, &value, problem));
        } else if list.contains(&value) {
            errors.push(
                Diagnostic::error(
                    file,
                    pos,
                    code,
                    format!("`{value}` is listed twice in `{}`", entry.key),
                )
                .with_hint("remove one of them"),
            );
        } else {
            list.push(value);
        }
    }
    list
}

/// The error for entry `i` of a list, which `problem` rules out.
fn entry_error(
    entry: &Entry,
    pos: Position,
    code: Code,
    i: usize,
    value: &str,
    problem: &str,
) -> Diagnostic {
    let what = if value.is_empty() {
        format!("entry {} of `{}` is empty", i + 1, entry.key)
    } else {
        format!("`{value}` in `{}` {problem}", entry.key)
    };
    let hint = if value.is_empty() {
        "write a key or remove the entry"
    } else {
        "a key names a URL segment and a UI string: lower-case letters, digits and `-`"
    };
    Diagnostic::error(CONFIG_FILE, pos, code, what).with_hint(hint)
}

/// Why `value` cannot be a key that names a URL segment, a UI string and a
/// CSS class; `None` when it can.
fn segment_problem(value: &str) -> Option<&'static str> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!ok).then_some("may only use a-z, 0-9 and `-`")
}

/// `communities_section`: the name of one folder of `content/`.
fn read_section(entry: &Entry, errors: &mut Vec<Diagnostic>) -> String {
    let file = CONFIG_FILE;
    let default = DEFAULT_COMMUNITIES_SECTION.to_string();
    let Some(section) = entry.to::<String>(file, "the name of a folder of content/", errors) else {
        return default;
    };
    let bad = section.is_empty()
        || section == "."
        || section == ".."
        || section.contains(['/', '\\'])
        || section.contains(char::is_whitespace);
    if bad {
        errors.push(
            Diagnostic::error(
                file,
                entry.value_pos,
                Code::ConfigCommunitiesSection,
                format!(
                    "`communities_section` must name one folder of content/, found `{section}`"
                ),
            )
            .with_hint("write the folder's name only, e.g. `communities_section: communities`"),
        );
        return default;
    }
    section
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::Code;

    const SITE: &str = "languages: [en]\n";

    fn errors(extra: &str) -> Vec<(String, usize, usize)> {
        Config::parse(&format!("{SITE}{extra}"))
            .unwrap_err()
            .into_iter()
            .map(|d| (d.code.to_string(), d.line, d.column))
            .collect()
    }

    #[test]
    fn the_guide_s_lists_are_the_defaults() {
        let config = Config::parse(SITE).unwrap();
        assert_eq!(config.domain.scenarios.len(), 9);
        assert!(config.domain.is_facility_kind("service-station"));
        assert_eq!(
            config.domain.community_slug("communities/wangjing"),
            Some("wangjing")
        );
        assert_eq!(config.domain.community_slug("communities/a/b"), None);
        assert_eq!(config.domain.community_slug("communitiesx/a"), None);
    }

    #[test]
    fn a_site_names_its_own_lists() {
        let config = Config::parse(&format!(
            "{SITE}scenarios: [parks, markets]\nfacility_kinds: [market]\ncommunities_section: districts\n"
        ))
        .unwrap();
        assert_eq!(config.domain.scenarios, ["parks", "markets"]);
        assert!(!config.domain.is_scenario("health"));
        assert_eq!(config.domain.facility_kinds, ["market"]);
        assert_eq!(
            config.domain.community_key("old-town"),
            "districts/old-town"
        );
    }

    #[test]
    fn bad_lists_are_located_errors() {
        assert_eq!(
            errors("scenarios: [parks, Parks, parks]\n"),
            [
                (Code::ConfigScenarios.to_string(), 2, 20),
                (Code::ConfigScenarios.to_string(), 2, 27),
            ]
        );
        assert_eq!(
            errors("facility_kinds: []\n"),
            [(Code::ConfigFacilityKinds.to_string(), 2, 17)]
        );
        assert_eq!(
            errors("facility_kinds: [a, \"\"]\n"),
            [(Code::ConfigFacilityKinds.to_string(), 2, 17)]
        );
        assert_eq!(
            errors("communities_section: a/b\n"),
            [(Code::ConfigCommunitiesSection.to_string(), 2, 22)]
        );
        let hint = Config::parse(&format!("{SITE}scenario: [a]\n")).unwrap_err()[0]
            .hint
            .clone();
        assert_eq!(hint.as_deref(), Some("did you mean `scenarios`?"));
    }
}
