//! Listings brought up to date after an edit (the dev server's): when only
//! some pages changed, none of them a community page, their list entries
//! are made again, the lists that hold them ordered again, and every other
//! entry's template value kept; the parts that differ are found on the way.
//!
//! In: the last build's [`Listings`], the new site and the changed pages'
//! keys. Out: the listings equal to [`Listings::new`]'s for the new site, and
//! the parts whose value differs ([`Part`]).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::content::Site;
use crate::i18n::I18n;

use super::Part;
use super::deps::Touched;
use super::listings::{
    Listings, Lists, colour_entry, colour_map, community_keys, entry_of, sort_key,
};

impl Listings {
    /// Brings the listings of the last build up to date with `site`, where
    /// only the pages `keys` changed, none of them is a community page and
    /// no UI string naming a section changed (the callers' guard: community
    /// colours and implicit titles are then the same): the changed pages'
    /// entries are made again, the lists that hold them ordered again, and
    /// every other entry's template value kept. Returns the parts that differ
    /// from the last build's (as [`super::changed_parts`] would find them).
    pub(crate) fn update(
        &mut self,
        site: &Site,
        i18n: &I18n,
        community_colours: usize,
        keys: &BTreeSet<String>,
    ) -> BTreeSet<Part> {
        let config = &site.config;
        let default = &self.refs[&config.default_language];
        let community_keys = community_keys(site, &self.children, default);
        let colours = colour_map(site, &community_keys, community_colours);
        let counts: BTreeMap<String, _> = config
            .codes()
            .map(|lang| (lang.to_string(), self.scenario_counts(site, lang)))
            .collect();
        let mut touched = self.update_entries(site, i18n, &colours, keys);
        let parents = self.update_children(site, keys);
        let old_base = std::mem::take(&mut self.base);
        let old_lists = std::mem::take(&mut self.lists);
        let (refs, children) = (&self.refs, &self.children);
        self.lists = old_lists
            .par_iter()
            .map(|(lang, old)| {
                let mut entries = old.entries.clone();
                for key in keys {
                    entries.remove(key);
                    if let Some(entry) = refs[lang].get(key) {
                        entries.insert(key.clone(), Value::from_serializable(entry));
                    }
                }
                (
                    lang.clone(),
                    Lists::with_entries(entries, &refs[lang], children),
                )
            })
            .collect();
        self.base = config
            .codes()
            .map(|lang| (lang.to_string(), self.base_context(site, lang)))
            .collect();
        let mut changed = BTreeSet::new();
        for (lang, touched) in &mut touched {
            touched.parents.extend(parents.iter().cloned());
            let (Some(a), Some(b)) = (old_lists.get(lang), self.lists.get(lang)) else {
                continue;
            };
            changed.extend(touched.compare(lang, keys, (a, b)));
            let section = |base: &BTreeMap<String, Context>| {
                base.get(lang).and_then(|c| c.get("sections").cloned())
            };
            if section(&old_base) != section(&self.base) {
                changed.insert(Part::Sections(lang.clone()));
            }
            if counts.get(lang) != Some(&self.scenario_counts(site, lang)) {
                changed.insert(Part::ScenarioCounts(lang.clone()));
            }
        }
        changed
    }

    /// Makes the list entries of the pages `keys` again in every language:
    /// the lists each of them was and is in, per language.
    fn update_entries(
        &mut self,
        site: &Site,
        i18n: &I18n,
        colours: &BTreeMap<String, usize>,
        keys: &BTreeSet<String>,
    ) -> BTreeMap<String, Touched> {
        let mut touched: BTreeMap<String, Touched> = BTreeMap::new();
        for (lang, entries) in &mut self.refs {
            let touched = touched.entry(lang.clone()).or_default();
            for key in keys {
                if let Some(entry) = entries.remove(key) {
                    touched.note(&entry);
                }
                if let Some(page) = site.pages.get(key)
                    && let Some(mut entry) = entry_of(site, i18n, page, lang)
                {
                    colour_entry(site, colours, &mut entry);
                    touched.note(&entry);
                    entries.insert(key.clone(), entry);
                }
            }
        }
        touched
    }

    /// Puts the pages `keys` under their parents again and orders those
    /// lists again: the parents whose children may differ.
    fn update_children(&mut self, site: &Site, keys: &BTreeSet<String>) -> BTreeSet<String> {
        let mut parents: BTreeSet<String> = keys.clone();
        for (parent, list) in &mut self.children {
            if list.iter().any(|k| keys.contains(k)) {
                parents.insert(parent.clone());
                list.retain(|k| !keys.contains(k));
            }
        }
        let default = &self.refs[&site.config.default_language];
        for key in keys {
            if let Some(parent) = site.pages.get(key).and_then(|p| p.parent.clone()) {
                self.children
                    .entry(parent.clone())
                    .or_default()
                    .push(key.clone());
                parents.insert(parent);
            }
        }
        for (parent, list) in &mut self.children {
            if parents.contains(parent) {
                list.sort_by_cached_key(|k| sort_key(&default[k]));
            }
        }
        self.children.retain(|_, list| !list.is_empty());
        parents
    }
}
