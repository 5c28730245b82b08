//! The dev server's search index: what the index needs of each document,
//! kept between edits, so an edit recounts only the documents of the pages
//! it changed and lays out again only the languages whose documents differ.
//!
//! In: the site and its rendered bodies (once whole, then the keys of the
//! pages an edit added, removed or changed). Out: the same files as
//! [`super::write_indexes`], byte for byte: a language whose documents are
//! all as before keeps its files; one whose documents differ is scored and
//! laid out again from every document's kept counts (scores depend on the
//! average length of all of them).
//!
//! Steps: count every document as the build does, grouped as it groups them
//! (the Chinese languages share one table of strings and their Han words'
//! regional forms; every other language has its own table); keep each
//! document with its counts, by page key. On an edit, count the changed
//! pages' documents again in every language, give new Han words their
//! regional forms (a word's forms do not depend on the others), compare
//! with the kept ones, and score, lay out and hand to `put` only the
//! languages where one differs, with their manifests.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::documents::count_page;
use super::index::{self, Counted, Variants};
use super::interner::Interner;
use super::tokenize::Tokenizer;
use super::{Document, MODULE, MODULE_PATH, chinese_and_others, manifest_file, shared_tables};
use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::language::Language;
use crate::markdown::Bodies;

/// Every language's documents and counts, grouped by table of strings.
pub(crate) struct KeptIndex {
    groups: Vec<Group>,
    /// The path of the Traditional → Simplified table, as manifests name it.
    t2s: String,
}

impl std::fmt::Debug for KeptIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptIndex")
            .field(
                "languages",
                &self.groups.iter().map(|g| g.languages.len()).sum::<usize>(),
            )
            .finish()
    }
}

/// Languages that share one table of strings.
struct Group {
    interner: Interner,
    /// For the Chinese languages: their Han words' regional forms, and
    /// every Han word already looked up.
    regional: Option<(Variants, FxHashSet<u32>)>,
    languages: Vec<Kept>,
}

/// A page's document counted again (`None`: it has none in that language).
type Recounted = (String, Option<(Document, Counted)>);

/// One language's documents by page key (the index numbers them in key order).
struct Kept {
    language: Language,
    documents: BTreeMap<String, (Document, Counted)>,
}

impl KeptIndex {
    /// Counts every document and hands every file of the search to `put`,
    /// as [`super::write_indexes`] does, keeping what the next edit needs.
    pub(crate) fn write(
        site: &Site,
        bodies: &Bodies,
        put: &(dyn Fn(String, Vec<u8>) + Sync),
    ) -> Result<KeptIndex, Diagnostic> {
        let tokenizer = Tokenizer::shared();
        let (chinese, others) = chinese_and_others(site);
        let mut groups: Vec<Group> = others
            .into_iter()
            .map(|language| Group::new(vec![language], false))
            .collect();
        if !chinese.is_empty() {
            groups.push(Group::new(chinese, true));
        }
        let keys: BTreeSet<String> = site.pages.keys().cloned().collect();
        groups.par_iter_mut().for_each(|group| {
            group.recount(site, bodies, tokenizer, &keys);
        });
        let (t2s, shared) = shared_tables()?;
        let kept = KeptIndex { groups, t2s };
        kept.write_languages(None, put)?;
        for (path, bytes) in shared {
            put(path, bytes);
        }
        put(MODULE_PATH.to_string(), MODULE.as_bytes().to_vec());
        Ok(kept)
    }

    /// Counts again the documents of the pages `keys` (added, removed or
    /// changed) and hands to `put` the files of every language whose
    /// documents differ, with its manifest. Returns those languages'
    /// prefixes (their folder `search/<prefix>/` is theirs alone).
    pub(crate) fn update(
        &mut self,
        site: &Site,
        bodies: &Bodies,
        keys: &BTreeSet<String>,
        put: &(dyn Fn(String, Vec<u8>) + Sync),
    ) -> Result<Vec<String>, Diagnostic> {
        let tokenizer = Tokenizer::shared();
        let changed: Vec<String> = self
            .groups
            .par_iter_mut()
            .flat_map(|group| group.recount(site, bodies, tokenizer, keys))
            .collect();
        self.write_languages(Some(&changed), put)?;
        Ok(self
            .groups
            .iter()
            .flat_map(|g| &g.languages)
            .filter(|kept| changed.contains(&kept.language.code))
            .map(|kept| kept.language.prefix.clone())
            .collect())
    }

    /// Scores, lays out and hands to `put` each language (or those of
    /// `only`) with its manifest.
    fn write_languages(
        &self,
        only: Option<&[String]>,
        put: &(dyn Fn(String, Vec<u8>) + Sync),
    ) -> Result<(), Diagnostic> {
        let jobs: Vec<(&Group, &Kept)> = self
            .groups
            .iter()
            .flat_map(|group| group.languages.iter().map(move |kept| (group, kept)))
            .filter(|(_, kept)| only.is_none_or(|codes| codes.contains(&kept.language.code)))
            .collect();
        jobs.par_iter()
            .map(|(group, kept)| {
                let counted: Vec<&Counted> = kept.documents.values().map(|(_, c)| c).collect();
                let documents: Vec<&Document> = kept.documents.values().map(|(d, _)| d).collect();
                let index = group
                    .interner
                    .with_strings(|strings| index::score(counted, strings));
                let (prefix, manifest) =
                    super::write_language(&kept.language, &documents, index, put)?;
                let (path, json) = manifest_file(&prefix, manifest, &self.t2s)?;
                put(path, json);
                Ok(())
            })
            .collect()
    }
}

impl Group {
    fn new(languages: Vec<&Language>, chinese: bool) -> Self {
        Group {
            interner: Interner::default(),
            regional: chinese.then(Default::default),
            languages: languages
                .into_iter()
                .map(|language| Kept {
                    language: language.clone(),
                    documents: BTreeMap::new(),
                })
                .collect(),
        }
    }

    /// Counts the documents of the pages `keys` in each language of the
    /// group (with their regional forms), keeps those that differ from the
    /// kept ones and returns the codes of the languages where one did.
    fn recount(
        &mut self,
        site: &Site,
        bodies: &Bodies,
        tokenizer: &Tokenizer,
        keys: &BTreeSet<String>,
    ) -> Vec<String> {
        let interner = &self.interner;
        let keys: Vec<&String> = keys.iter().collect();
        let mut fresh: Vec<Vec<Recounted>> = self
            .languages
            .iter()
            .map(|kept| {
                keys.par_iter()
                    .map(|key| {
                        let counted = site.pages.get(*key).and_then(|page| {
                            count_page(site, bodies, page, &kept.language.code, tokenizer, interner)
                        });
                        ((*key).clone(), counted)
                    })
                    .collect()
            })
            .collect();
        if let Some((variants, looked_up)) = &mut self.regional {
            let wanted: FxHashSet<u32> = fresh
                .iter()
                .flatten()
                .filter_map(|(_, counted)| counted.as_ref())
                .flat_map(|(_, counted)| index::han_words(counted))
                .filter(|id| !looked_up.contains(id))
                .collect();
            variants.extend(index::variants_of_ids(interner, &wanted));
            looked_up.extend(wanted);
            let variants = &*variants;
            fresh.par_iter_mut().flatten().for_each(|(_, counted)| {
                if let Some((_, counted)) = counted {
                    index::add_variants(counted, variants);
                }
            });
        }
        let mut changed = Vec::new();
        for (kept, fresh) in self.languages.iter_mut().zip(fresh) {
            let mut differs = false;
            for (key, counted) in fresh {
                if kept.documents.get(&key) == counted.as_ref() {
                    continue;
                }
                differs = true;
                match counted {
                    Some(counted) => kept.documents.insert(key, counted),
                    None => kept.documents.remove(&key),
                };
            }
            if differs {
                changed.push(kept.language.code.clone());
            }
        }
        changed
    }
}
