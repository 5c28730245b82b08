//! Facility files: `content/facilities/<slug>.yaml`, every language in one file.
//!
//! In: the YAML text of a facility. Out: a [`RawFacility`] whose localized
//! fields are maps from language code to text (the content stage resolves
//! them per language with derive and fallback), plus the shared front-matter
//! keys; or diagnostics for each problem.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::config::Config;
use crate::content::front_matter::{self, FrontMatter, Located};
use crate::content::{Page, PageKind};
use crate::diagnostics::{Code, Diagnostic, Position, Suggestion};
use crate::yaml::{self, Entry, Mapping};

/// The word that stands for every community: `communities: all` (or
/// `community: all`) puts a city-wide facility, or page, on every community's
/// page without naming each one.
pub(crate) const ALL_COMMUNITIES: &str = "all";

/// The slugs of the site's communities (the pages `communities/<slug>`), in
/// list order: by `weight`, then slug.
pub(crate) fn community_slugs(pages: &BTreeMap<String, Arc<Page>>, config: &Config) -> Vec<String> {
    let mut communities: Vec<(i64, &str)> = pages
        .values()
        .filter(|page| page.kind == PageKind::Page)
        .filter_map(|page| {
            let slug = config.domain.community_slug(&page.key)?;
            Some((page.meta(config).weight.unwrap_or(i64::MAX), slug))
        })
        .collect();
    communities.sort_unstable();
    communities
        .into_iter()
        .map(|(_, slug)| slug.to_string())
        .collect()
}

/// Replaces `all` in a page's communities by every community's slug and marks
/// the page city-wide. Slugs written beside `all` add nothing (it holds them all).
pub(crate) fn expand_all_communities(meta: &mut FrontMatter, slugs: &[String]) {
    let Some(list) = &mut meta.communities else {
        return;
    };
    let Some(pos) = list
        .iter()
        .find(|c| c.value == ALL_COMMUNITIES)
        .map(|c| c.pos)
    else {
        return;
    };
    // A slug beside `all` that names no community stays, so the reference
    // check reports it (a typo is not absorbed by `all`).
    let strays: Vec<Located<String>> = list
        .iter()
        .filter(|c| c.value != ALL_COMMUNITIES && !slugs.contains(&c.value))
        .cloned()
        .collect();
    *list = slugs
        .iter()
        .map(|slug| Located {
            value: slug.clone(),
            pos,
        })
        .chain(strays)
        .collect();
    meta.city_wide = true;
}

/// The localized fields of a facility file.
pub(crate) const LOCALIZED_FIELDS: &[&str] =
    &["name", "address", "hours", "summary", "description"];

/// The keys only a facility file has; it also takes the front-matter keys
/// it shares with pages ([`front_matter::shared_keys`]).
const FACILITY_KEYS: &[&str] = &[
    "kind",
    "name",
    "address",
    "location",
    "phone",
    "website",
    "hours",
    "languages",
    "description",
];

/// A map of language code → text, as written.
pub(crate) type Localized = BTreeMap<String, String>;

/// A geographic point.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub(crate) struct Location {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

/// A facility as written, before per-language resolution.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawFacility {
    /// One of the site's facility kinds (`facility_kinds` in site.yaml).
    pub kind: String,
    /// Localized fields by name (`name`, `address`, `hours`, `summary`, `description`).
    pub fields: BTreeMap<String, Localized>,
    /// Latitude and longitude.
    pub location: Option<Location>,
    /// Phone number as written.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Languages spoken there (any BCP 47 codes).
    pub languages: Vec<String>,
    /// The keys shared with Markdown pages (date, weight, communities, scenarios…).
    pub front_matter: FrontMatter,
    /// Where each localized text starts: (field, language) → position.
    pub positions: BTreeMap<(String, String), Position>,
}

/// Parses and validates a facility file: the kind, the localized fields, the
/// contact details, then the keys shared with pages; what is left is unknown.
pub(crate) fn parse(
    file: &str,
    text: &str,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<RawFacility> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut mapping = match yaml::parse_mapping(file, text, 0) {
        Ok(mapping) => mapping,
        Err(diagnostic) => {
            out.push(diagnostic);
            return None;
        }
    };
    let mut facility = RawFacility {
        kind: read_kind(&mut mapping, config, out).unwrap_or_default(),
        ..RawFacility::default()
    };
    read_localized_fields(&mut mapping, text, config, &mut facility, out);
    require_default_name(&mapping, &facility, config, out);
    read_contact(&mut mapping, &mut facility, out);
    facility.front_matter = front_matter::read(&mut mapping, out);
    require_community(&mapping, &facility, out);
    let known: Vec<&str> = FACILITY_KEYS
        .iter()
        .copied()
        .chain(front_matter::shared_keys())
        .collect();
    mapping.report_unknown(Code::FacilityUnknownKey, "a facility file", &known, out);
    Some(facility)
}

/// `kind`: required, one of the site's facility kinds.
fn read_kind(mapping: &mut Mapping, config: &Config, out: &mut Vec<Diagnostic>) -> Option<String> {
    let file = mapping.file.clone();
    let kinds = &config.domain.facility_kinds;
    let Some(entry) = mapping.take("kind") else {
        out.push(
            Diagnostic::error(
                &file,
                mapping.start,
                Code::FacilityMissingKey,
                "a facility needs a `kind`",
            )
            .with_hint(format!("one of: {}", kinds.join(", "))),
        );
        return None;
    };
    let kind = entry.to::<String>(&file, "a facility kind", out)?;
    if config.domain.is_facility_kind(&kind) {
        return Some(kind);
    }
    out.push(
        Diagnostic::error(
            &file,
            entry.value_pos,
            Code::FacilityKind,
            format!("unknown facility kind `{kind}`"),
        )
        .suggest(
            Suggestion::nearest(&kind, kinds.iter().map(String::as_str))
                .otherwise(format!("kinds: {}", kinds.join(", "))),
        ),
    );
    None
}

/// The localized fields (`name`, `address`, …), with where each text starts.
fn read_localized_fields(
    mapping: &mut Mapping,
    text: &str,
    config: &Config,
    facility: &mut RawFacility,
    out: &mut Vec<Diagnostic>,
) {
    for field in LOCALIZED_FIELDS {
        if let Some(entry) = mapping.take(field)
            && let Some(map) = read_localized(&mapping.file, &entry, config, out)
        {
            for code in map.keys() {
                let pos = localized_position(text, &entry, code, config);
                facility
                    .positions
                    .insert((field.to_string(), code.clone()), pos);
            }
            facility.fields.insert(field.to_string(), map);
        }
    }
}

/// A facility needs a `name` in the default language.
fn require_default_name(
    mapping: &Mapping,
    facility: &RawFacility,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) {
    let has_default_name = facility
        .fields
        .get("name")
        .is_some_and(|names| names.contains_key(&config.default_language));
    if !has_default_name {
        out.push(
            Diagnostic::error(
                &mapping.file,
                mapping.start,
                Code::FacilityMissingName,
                format!(
                    "a facility needs a `name` in `{}`, the default language",
                    config.default_language
                ),
            )
            .with_hint(format!("add `name: {{{}: …}}`", config.default_language)),
        );
    }
}

/// `location`, `phone`, `website` (an http(s) address) and `languages` (BCP 47 codes).
fn read_contact(mapping: &mut Mapping, facility: &mut RawFacility, out: &mut Vec<Diagnostic>) {
    let file = mapping.file.clone();
    let file = file.as_str();
    facility.location = mapping
        .take("location")
        .and_then(|entry| read_location(file, &entry, out));
    facility.phone = mapping.take_as("phone", "text (quote phone numbers)", out);
    let website = mapping.take("website");
    facility.website = website
        .as_ref()
        .and_then(|entry| entry.to(file, "a URL", out));
    if let (Some(website), Some(entry)) = (&facility.website, &website)
        && (!front_matter::is_web_url(website) || website.starts_with('/'))
    {
        out.push(Diagnostic::error(
            file,
            entry.value_pos,
            Code::FacilityWebsite,
            format!("`website` must start with https:// or http://, found `{website}`"),
        ));
    }
    if let Some(entry) = mapping.take("languages") {
        for code in entry
            .to::<Vec<String>>(file, "a list of language codes", out)
            .unwrap_or_default()
        {
            if crate::config::parse_language(&code).is_some() {
                facility.languages.push(code);
            } else {
                out.push(Diagnostic::error(
                    file,
                    entry.value_pos,
                    Code::FacilityLanguage,
                    format!("`{code}` is not a BCP 47 language code"),
                ));
            }
        }
    }
}

/// A facility needs at least one community (or `communities: all`).
fn require_community(mapping: &Mapping, facility: &RawFacility, out: &mut Vec<Diagnostic>) {
    if facility
        .front_matter
        .communities
        .as_ref()
        .is_none_or(Vec::is_empty)
    {
        out.push(
            Diagnostic::error(
                &mapping.file,
                mapping.start,
                Code::FacilityMissingCommunity,
                "a facility needs a `community`",
            )
            .with_hint("name the community's slug, e.g. `community: wangjing`, or `communities: all` for one that serves the whole city"),
        );
    }
}

/// Where the text of `entry.<code>` starts in `text`: after `code:` (and
/// its quote), or on the next line for a `|` or `>` block; the entry's value
/// itself for a plain text in the default language.
fn localized_position(text: &str, entry: &Entry, code: &str, config: &Config) -> Position {
    let offset = offset_of(text, entry.value_pos);
    let value_start = if matches!(entry.value, Value::String(_)) && code == config.default_language
    {
        Some(offset)
    } else {
        text[offset..]
            .match_indices(code)
            .map(|(i, _)| offset + i)
            .find(|&i| {
                let before = text[..i].chars().next_back();
                let after = text[i + code.len()..].trim_start_matches([' ', '\t']);
                before.is_none_or(|c| c.is_whitespace() || c == '{' || c == ',')
                    && after.starts_with(':')
            })
            .map(|i| {
                let colon = i + code.len() + text[i + code.len()..].find(':').unwrap_or(0) + 1;
                colon + (text[colon..].len() - text[colon..].trim_start_matches([' ', '\t']).len())
            })
    };
    let Some(mut start) = value_start else {
        return entry.value_pos;
    };
    match text[start..].chars().next() {
        Some('"' | '\'') => start += 1,
        Some('|' | '>') => {
            if let Some(newline) = text[start..].find('\n') {
                let next = start + newline + 1;
                start = next + (text[next..].len() - text[next..].trim_start_matches(' ').len());
            }
        }
        _ => {}
    }
    if offset >= text.len() {
        return crate::diagnostics::LineIndex::new(text).position(text, start);
    }
    // Counted on from the entry's own place (a facility holds many fields:
    // indexing the whole file for each was most of its loading time).
    let between = &text[offset..start];
    match between.rfind('\n') {
        None => Position::new(
            entry.value_pos.line,
            entry.value_pos.column + between.chars().count(),
        ),
        Some(last) => Position::new(
            entry.value_pos.line + between.matches('\n').count(),
            between[last + 1..].chars().count() + 1,
        ),
    }
}

/// The byte offset of a 1-based line and column (in characters) of `text`.
fn offset_of(text: &str, pos: Position) -> usize {
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == pos.line {
            return offset
                + line
                    .char_indices()
                    .nth(pos.column.saturating_sub(1))
                    .map_or(line.len(), |(i, _)| i);
        }
        offset += line.len();
    }
    text.len()
}

/// Reads a localized field: text (in the default language) or a map of language → text.
fn read_localized(
    file: &str,
    entry: &Entry,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<Localized> {
    match &entry.value {
        Value::String(text) => Some(BTreeMap::from([(
            config.default_language.clone(),
            text.clone(),
        )])),
        Value::Object(map) => {
            let mut localized = BTreeMap::new();
            for (code, value) in map {
                if !config.has_language(code) {
                    out.push(
                        Diagnostic::error(
                            file,
                            entry.value_pos,
                            Code::ContentUnknownLanguage,
                            format!(
                                "`{}.{code}`: `{code}` is not one of the site's languages",
                                entry.key
                            ),
                        )
                        .suggest(
                            Suggestion::nearest(code, config.codes()).otherwise(format!(
                                "the site's languages are: {}",
                                config.codes().collect::<Vec<_>>().join(", ")
                            )),
                        ),
                    );
                    continue;
                }
                match value {
                    Value::String(text) => {
                        if entry.key == "name" || entry.key == "summary" {
                            let field = format!("{}.{code}", entry.key);
                            crate::source::check_text_field(
                                file,
                                entry.value_pos,
                                &field,
                                text,
                                out,
                            );
                        }
                        localized.insert(code.clone(), text.clone());
                    }
                    other => out.push(Diagnostic::error(
                        file,
                        entry.value_pos,
                        Code::YamlWrongType,
                        format!(
                            "`{}.{code}` must be text, found {}",
                            entry.key,
                            yaml::describe(other)
                        ),
                    )),
                }
            }
            Some(localized)
        }
        _ => {
            out.push(
                entry
                    .wrong_type(file, "text or a mapping of language → text")
                    .with_hint(format!("write `{}: {{en: …, ru: …}}`", entry.key)),
            );
            None
        }
    }
}

fn read_location(file: &str, entry: &Entry, out: &mut Vec<Diagnostic>) -> Option<Location> {
    let map: BTreeMap<String, f64> =
        entry.to(file, "a mapping `{lat: …, lon: …}` of numbers", out)?;
    let (Some(&lat), Some(&lon)) = (map.get("lat"), map.get("lon")) else {
        out.push(Diagnostic::error(
            file,
            entry.value_pos,
            Code::FacilityLocation,
            "`location` needs both `lat` and `lon`",
        ));
        return None;
    };
    if let Some(extra) = map.keys().find(|k| *k != "lat" && *k != "lon") {
        out.push(
            Diagnostic::error(
                file,
                entry.value_pos,
                Code::FacilityLocation,
                format!("unknown key `{extra}` in `location`"),
            )
            .with_hint("use `lat` and `lon`"),
        );
    }
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        out.push(
            Diagnostic::error(
                file,
                entry.value_pos,
                Code::FacilityLocation,
                format!("location {lat}, {lon} is out of range"),
            )
            .with_hint(
                "latitude is −90…90 and longitude −180…180 (Beijing is about lat 39.9, lon 116.4)",
            ),
        );
        return None;
    }
    Some(Location { lat, lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse("languages: [zh-Hans, en, ru]\ndefault_language: zh-Hans\n").unwrap()
    }

    #[test]
    fn reads_a_facility() {
        let text = "kind: street\ncommunity: wangjing\nname: {zh-Hans: 望京小街, en: Wangjing Street}\nlocation: {lat: 39.99, lon: 116.47}\n";
        let mut out = Vec::new();
        let facility = parse("f.yaml", text, &config(), &mut out).unwrap();
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(facility.kind, "street");
        assert_eq!(facility.fields["name"]["en"], "Wangjing Street");
        assert_eq!(
            facility.front_matter.communities.unwrap()[0].value,
            "wangjing"
        );
    }

    #[test]
    fn reports_every_problem() {
        let text = "kind: hospitel\nname: {en: X, de: Y}\nlocation: {lat: 139.9, lon: 116.4}\nphone: 12345\nopening: 9-5\n";
        let mut out = Vec::new();
        parse("f.yaml", text, &config(), &mut out);
        let codes: Vec<Code> = out.iter().map(|d| d.code).collect();
        for code in [
            Code::FacilityKind,
            Code::ContentUnknownLanguage,
            Code::FacilityMissingName,
            Code::FacilityLocation,
            Code::YamlWrongType,
            Code::FacilityUnknownKey,
            Code::FacilityMissingCommunity,
        ] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        let kind = out.iter().find(|d| d.code == Code::FacilityKind).unwrap();
        assert_eq!(kind.hint.as_deref(), Some("did you mean `hospital`?"));
    }
}
