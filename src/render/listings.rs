//! Listings: what every page's lists are made of, built once per build.
//!
//! In: the loaded [`Site`], the UI strings and the theme's number of community
//! colours. Out: per language, a list entry ([`PageRef`]) of every page with
//! its sign label and community colour, each section's pages in order, the
//! communities for the overview map, and the site data templates see.
//!
//! Everything a template may list is turned into Tera values here, once: a
//! value shares its data (Tera's values are reference-counted), so giving a
//! page the list of a section's pages or every community costs the same on a
//! site of 50 pages and of 50 000. No page's cost grows with the site.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::content::{Page, PageKind, Site, Version, feed_order, in_feed};
use crate::i18n::I18n;

use super::context::{CommunityData, LanguageData, PageRef, SiteData};

/// What every page's lists are made of, per language: list entries of all
/// pages, each section's pages in order, and the site data. Built once per
/// full build; the dev server keeps it while only bodies change.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listings {
    pub(super) refs: BTreeMap<String, BTreeMap<String, PageRef>>,
    pub(super) children: BTreeMap<String, Vec<String>>,
    pub(super) site_data: BTreeMap<String, SiteData>,
    pub(super) communities: BTreeMap<String, Vec<CommunityData>>,
    /// Per language: the values every template sees (`lang`, `prefix`, `site`,
    /// `sections`, `scenario_keys`, `communities_section`, `communities`).
    pub(super) base: BTreeMap<String, Context>,
    /// Per language: the shared lists as template values.
    pub(super) lists: BTreeMap<String, Lists>,
}

/// One language's lists, as template values built once.
#[derive(Debug, Clone)]
pub(super) struct Lists {
    /// Each page's list entry.
    pub(super) entries: BTreeMap<String, Value>,
    /// A parent's child pages, in order.
    pub(super) children: BTreeMap<String, Value>,
    /// A community's (facilities, policies), in order; city-wide facilities
    /// are not among a community's own.
    pub(super) members: BTreeMap<String, (Value, Value)>,
    /// The facilities that serve the whole city (`communities: all`), in order:
    /// every community page lists them apart.
    pub(super) city_wide: Value,
    /// A scenario's tagged pages, in order.
    pub(super) scenarios: BTreeMap<String, Value>,
    /// The entries of the language's Atom feed, newest first: the feed's
    /// landing page lists them.
    pub(super) feed: Value,
}

/// Page key → list entry, per language.
type Refs = BTreeMap<String, BTreeMap<String, PageRef>>;

impl Listings {
    /// Prepares list entries and site data for every language.
    pub(crate) fn new(site: &Site, i18n: &I18n, community_colours: usize) -> Self {
        let config = &site.config;
        let mut refs = list_entries(site, i18n);
        let children = children_in_order(site, &refs[&config.default_language]);
        let community_keys = community_keys(site, &children, &refs[&config.default_language]);
        colour_entries(site, &community_keys, community_colours, &mut refs);
        // Each language's lists are made on their own, in parallel.
        let communities = refs
            .par_iter()
            .map(|(lang, entries)| (lang.clone(), community_data(site, &community_keys, entries)))
            .collect();
        let lists = refs
            .par_iter()
            .map(|(lang, entries)| (lang.clone(), Lists::new(entries, &children)))
            .collect();
        let mut listings = Listings {
            refs,
            children,
            site_data: site_data(site),
            communities,
            base: BTreeMap::new(),
            lists,
        };
        listings.base = config
            .codes()
            .map(|lang| (lang.to_string(), listings.base_context(site, lang)))
            .collect();
        listings
    }

    /// What every template in `lang` sees, built once.
    pub(super) fn base_context(&self, site: &Site, lang: &str) -> Context {
        let mut context = Context::new();
        context.insert("lang", lang);
        context.insert("prefix", site.config.prefix(lang));
        context.insert("site", &self.site_data[lang]);
        let lists = &self.lists[lang];
        let sections: Vec<Value> = self
            .children
            .get("")
            .into_iter()
            .flatten()
            .filter(|k| {
                self.refs[lang]
                    .get(*k)
                    .is_some_and(|r| r.kind == PageKind::Section)
            })
            .filter_map(|k| lists.entries.get(k).cloned())
            .collect();
        context.insert_value("sections", Value::from(sections));
        context.insert("scenario_keys", &site.config.domain.scenarios);
        context.insert(
            "communities_section",
            &site.config.domain.communities_section,
        );
        context.insert("communities", &self.communities[lang]);
        context
    }
}

/// Every page's list entry in every language; an implicit section without
/// a title gets one from the UI strings.
fn list_entries(site: &Site, i18n: &I18n) -> Refs {
    let codes: Vec<&str> = site.config.codes().collect();
    codes
        .par_iter()
        .map(|lang| {
            let lang = *lang;
            let entries = site
                .pages
                .values()
                .filter_map(|page| Some((page.key.clone(), entry_of(site, i18n, page, lang)?)))
                .collect();
            (lang.to_string(), entries)
        })
        .collect()
}

/// The list entry of `page` in `lang` before colouring; `None` when the
/// page has no version in `lang`.
pub(super) fn entry_of(site: &Site, i18n: &I18n, page: &Page, lang: &str) -> Option<PageRef> {
    let mut entry = page_ref(site, page, page.version(lang)?);
    if page.implicit && entry.title.is_empty() {
        entry.title = implicit_title(site, i18n, &page.key, lang);
    }
    Some(entry)
}

/// Whether the listings of `new` equal those of `old` when only the pages
/// `keys` differ between the two sites: each of them is in both sites or in
/// neither, under the same parent, with the same list entry in every
/// language (UI strings that name sections must not have changed: an
/// implicit section's title is one).
pub(crate) fn entries_unchanged(
    (old, old_i18n): (&Site, &I18n),
    (new, new_i18n): (&Site, &I18n),
    keys: &BTreeSet<String>,
) -> bool {
    keys.iter()
        .all(|key| match (old.pages.get(key), new.pages.get(key)) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                a.parent == b.parent
                    && new.config.codes().all(|lang| {
                        entry_of(old, old_i18n, a, lang) == entry_of(new, new_i18n, b, lang)
                    })
            }
            _ => false,
        })
}

/// Each parent's child pages, in the order of the default language's entries.
fn children_in_order(
    site: &Site,
    default_refs: &BTreeMap<String, PageRef>,
) -> BTreeMap<String, Vec<String>> {
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for page in site.pages.values() {
        if let Some(parent) = &page.parent {
            children
                .entry(parent.clone())
                .or_default()
                .push(page.key.clone());
        }
    }
    for keys in children.values_mut() {
        keys.sort_by_cached_key(|k| sort_key(&default_refs[k]));
    }
    children
}

/// The community pages (the communities section's pages), in list order.
pub(super) fn community_keys(
    site: &Site,
    children: &BTreeMap<String, Vec<String>>,
    default_refs: &BTreeMap<String, PageRef>,
) -> Vec<String> {
    children
        .get(site.config.domain.communities_section.as_str())
        .map(|keys| {
            keys.iter()
                .filter(|k| default_refs[k.as_str()].kind == PageKind::Page)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Gives each community a colour in list order (round and round the
/// theme's `community_colours`), and each entry its community's colour: a
/// community page its own, another page its first community's.
fn colour_entries(
    site: &Site,
    community_keys: &[String],
    community_colours: usize,
    refs: &mut Refs,
) {
    let colours = colour_map(site, community_keys, community_colours);
    for entries in refs.values_mut() {
        for entry in entries.values_mut() {
            colour_entry(site, &colours, entry);
        }
    }
}

/// Each community's colour by slug, in list order round and round the
/// theme's `community_colours`.
pub(super) fn colour_map(
    site: &Site,
    community_keys: &[String],
    community_colours: usize,
) -> BTreeMap<String, usize> {
    let community_prefix = format!("{}/", site.config.domain.communities_section);
    community_keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let slug = key
                .trim_start_matches(community_prefix.as_str())
                .to_string();
            (slug, i % community_colours.max(1) + 1)
        })
        .collect()
}

/// Gives `entry` its colour: a community page its own, another page its
/// first community's.
pub(super) fn colour_entry(site: &Site, colours: &BTreeMap<String, usize>, entry: &mut PageRef) {
    let community_prefix = format!("{}/", site.config.domain.communities_section);
    entry.colour = match entry.key.strip_prefix(community_prefix.as_str()) {
        Some(slug) if entry.kind == PageKind::Page => colours.get(slug).copied(),
        _ => entry
            .communities
            .iter()
            .find_map(|c| colours.get(c).copied()),
    };
}

/// One language's communities for the overview map.
fn community_data(
    site: &Site,
    community_keys: &[String],
    entries: &BTreeMap<String, PageRef>,
) -> Vec<CommunityData> {
    let config = &site.config;
    let community_prefix = format!("{}/", config.domain.communities_section);
    community_keys
        .iter()
        .filter_map(|key| entries.get(key))
        .map(|entry| CommunityData {
            slug: entry
                .key
                .trim_start_matches(community_prefix.as_str())
                .to_string(),
            title: entry.title.clone(),
            title_lang: entry.title_lang.clone(),
            sign_label: entry.sign_label.clone(),
            sign_lang: config.default_language.clone(),
            url: entry.url.clone(),
            colour: entry.colour.unwrap_or(1),
            joined: entry
                .extra
                .get("joined")
                .and_then(serde_json::Value::as_i64),
        })
        .collect()
}

/// The site data every template sees, per language.
fn site_data(site: &Site) -> BTreeMap<String, SiteData> {
    let config = &site.config;
    let languages: Vec<LanguageData> = config
        .languages
        .iter()
        .map(|l| LanguageData {
            code: l.code.clone(),
            prefix: l.prefix.clone(),
            home: format!("/{}/", l.prefix),
            title: site_title(site, &l.code),
        })
        .collect();
    config
        .codes()
        .map(|lang| {
            (
                lang.to_string(),
                SiteData {
                    title: site_title(site, lang),
                    description: config.description.get(lang).cloned(),
                    base_url: config.base_url.clone(),
                    default_language: config.default_language.clone(),
                    languages: languages.clone(),
                    extra: config.extra.clone(),
                },
            )
        })
        .collect()
}

impl Lists {
    /// One language's lists from its list entries and the site's parent → children order.
    fn new(refs: &BTreeMap<String, PageRef>, children: &BTreeMap<String, Vec<String>>) -> Self {
        let entries: BTreeMap<String, Value> = refs
            .iter()
            .map(|(key, entry)| (key.clone(), Value::from_serializable(entry)))
            .collect();
        Self::with_entries(entries, refs, children)
    }

    /// [`Lists::new`] with the entries already made as template values.
    pub(super) fn with_entries(
        entries: BTreeMap<String, Value>,
        refs: &BTreeMap<String, PageRef>,
        children: &BTreeMap<String, Vec<String>>,
    ) -> Self {
        let list = |keys: &mut dyn Iterator<Item = &String>| -> Value {
            Value::from(
                keys.filter_map(|k| entries.get(k).cloned())
                    .collect::<Vec<Value>>(),
            )
        };
        let children = children
            .iter()
            .map(|(parent, keys)| (parent.clone(), list(&mut keys.iter())))
            .collect();
        // Every list below is sorted in this language's order.
        let mut ordered: Vec<&PageRef> = refs.values().collect();
        ordered.sort_by_cached_key(|a| sort_key(a));
        let mut facilities: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut policies: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut tagged: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut city_wide: Vec<String> = Vec::new();
        for entry in &ordered {
            let scenarios: std::collections::BTreeSet<&String> = entry.scenarios.iter().collect();
            for scenario in scenarios {
                tagged.entry(scenario).or_default().push(entry.key.clone());
            }
            if entry.kind == PageKind::Section {
                continue;
            }
            let members = match entry.section.as_deref() {
                Some("facilities") if entry.city_wide => {
                    city_wide.push(entry.key.clone());
                    continue;
                }
                Some("facilities") => &mut facilities,
                Some("policies") => &mut policies,
                _ => continue,
            };
            let communities: std::collections::BTreeSet<&String> =
                entry.communities.iter().collect();
            for community in communities {
                members
                    .entry(community)
                    .or_default()
                    .push(entry.key.clone());
            }
        }
        let communities: std::collections::BTreeSet<&str> =
            facilities.keys().chain(policies.keys()).copied().collect();
        let members = communities
            .into_iter()
            .map(|slug| {
                let of = |map: &BTreeMap<&str, Vec<String>>| {
                    list(&mut map.get(slug).into_iter().flatten())
                };
                (slug.to_string(), (of(&facilities), of(&policies)))
            })
            .collect();
        let scenarios = tagged
            .into_iter()
            .map(|(key, keys)| (key.to_string(), list(&mut keys.iter())))
            .collect();
        let city_wide = list(&mut city_wide.iter());
        let mut feed: Vec<(&str, &str, &String)> = refs
            .values()
            .filter(|r| in_feed(r.kind, r.status))
            .filter_map(|r| Some((r.date.as_deref()?, r.url.as_str(), &r.key)))
            .collect();
        // ISO dates order as text as they do as dates.
        feed_order(&mut feed);
        let feed = list(&mut feed.into_iter().map(|(_, _, key)| key));
        Lists {
            entries,
            children,
            members,
            city_wide,
            scenarios,
            feed,
        }
    }
}

/// The title of a section that has no `_index` file: the UI string
/// `section.<key>` when the theme or site has one, else the folder name.
fn implicit_title(site: &Site, i18n: &I18n, key: &str, lang: &str) -> String {
    if key.is_empty() {
        return site_title(site, lang);
    }
    if let Some(title) = i18n.t(lang, &format!("section.{key}"), None, &[]) {
        return title;
    }
    let name = key.rsplit('/').next().unwrap_or(key).replace('-', " ");
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn site_title(site: &Site, lang: &str) -> String {
    let config = &site.config;
    config
        .title
        .get(lang)
        .or_else(|| config.title.get(&config.default_language))
        .or_else(|| config.title.values().next())
        .cloned()
        .unwrap_or_default()
}

/// The list entry of `version`.
pub(super) fn page_ref(site: &Site, page: &Page, version: &Version) -> PageRef {
    let config = &site.config;
    let default_title = page
        .version(&config.default_language)
        .map(|v| v.title.clone())
        .unwrap_or_default();
    let title_lang = match &page.facility {
        Some(_) => version
            .fields
            .get("name")
            .map_or_else(|| version.text_lang.clone(), |n| n.lang.clone()),
        None => version.text_lang.clone(),
    };
    let summary_lang = match &page.facility {
        Some(_) => version
            .fields
            .get("summary")
            .map_or_else(|| version.text_lang.clone(), |s| s.lang.clone()),
        None => version.text_lang.clone(),
    };
    PageRef {
        key: page.key.clone(),
        kind: page.kind,
        section: page.section.clone(),
        title: version.title.clone(),
        title_lang,
        sign_label: sign_label(
            &config.default_language,
            &version.lang,
            &default_title,
            &version.title,
        ),
        default_title,
        colour: None,
        summary: version.summary.clone(),
        summary_lang,
        url: version.url.clone(),
        date: version.meta.date.map(|d| d.to_string()),
        updated: version.meta.updated.map(|d| d.to_string()),
        weight: version.meta.weight.unwrap_or(i64::MAX),
        status: version.status,
        communities: version
            .meta
            .communities
            .iter()
            .flatten()
            .map(|c| c.value.clone())
            .collect(),
        city_wide: version.meta.city_wide,
        scenarios: version
            .meta
            .scenarios
            .iter()
            .flatten()
            .map(|c| c.value.clone())
            .collect(),
        facility_kind: page.facility.as_ref().map(|f| f.kind.clone()),
        extra: version
            .meta
            .extra
            .clone()
            .unwrap_or(serde_json::Value::Null),
    }
}

/// The second line of a bilingual sign: the default language's title, when the
/// reader's language is another language, not only another script of it
/// (`zh-Hant` beside `zh-Hans` gets none).
fn sign_label(default_lang: &str, lang: &str, default_title: &str, title: &str) -> Option<String> {
    let base = |code: &str| code.split('-').next().unwrap_or(code).to_ascii_lowercase();
    (base(default_lang) != base(lang) && !default_title.is_empty() && default_title != title)
        .then(|| default_title.to_string())
}

pub(super) fn sort_key(r: &PageRef) -> (i64, String, String) {
    (r.weight, r.title.to_lowercase(), r.key.clone())
}
