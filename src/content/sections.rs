//! Implicit sections: a folder that holds pages gets a section page in every
//! language even when no `_index.md` is written for it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{FrontMatter, Page, PageKind, Status, Version};
use crate::config::Config;

/// Gives every folder that holds pages a section page, if it has none.
pub(super) fn add_implicit_sections(pages: &mut BTreeMap<String, Arc<Page>>, config: &Config) {
    let mut needed: BTreeSet<String> = BTreeSet::new();
    for page in pages.values() {
        let mut key = page.parent.clone();
        while let Some(k) = key {
            needed.insert(k.clone());
            key = k
                .rsplit_once('/')
                .map(|(p, _)| p.to_string())
                .or(if k.is_empty() {
                    None
                } else {
                    Some(String::new())
                });
        }
    }
    needed.insert(String::new());
    for key in needed {
        if pages.contains_key(&key) {
            continue;
        }
        let kind = if key.is_empty() {
            PageKind::Home
        } else {
            PageKind::Section
        };
        let versions = config
            .codes()
            .map(|lang| {
                (
                    lang.to_string(),
                    Version {
                        lang: lang.to_string(),
                        status: Status::Written,
                        text_lang: lang.to_string(),
                        file: String::new(),
                        title: String::new(),
                        summary: None,
                        body: "".into(),
                        body_line: 1,
                        url: String::new(),
                        meta: FrontMatter::default(),
                        aliases: Vec::new(),
                        fields: BTreeMap::new(),
                    },
                )
            })
            .collect();
        let section = key
            .split('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let parent = if key.is_empty() {
            None
        } else {
            Some(
                key.rsplit_once('/')
                    .map_or(String::new(), |(p, _)| p.to_string()),
            )
        };
        pages.insert(
            key.clone(),
            Arc::new(Page {
                key,
                kind,
                section,
                parent,
                file: String::new(),
                versions,
                assets: Vec::new(),
                facility: None,
                implicit: true,
            }),
        );
    }
}
