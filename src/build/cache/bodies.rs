//! Rendered Markdown from the cache: a version's body is reused when its
//! Markdown and language are those it was rendered from and every `@/` link
//! in it still resolves to the same URL.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::store::{Reader, Table, put_bytes};
use crate::build::pages::Resolver;
use crate::content::Site;
use crate::fingerprint::Fingerprint;
use crate::markdown::{self, Bodies, LinkResolver, Rendered};
use crate::render::UrlMap;

/// A cached body: what it was rendered into, and the URL each of its
/// internal links (resolved, then broken) resolved to.
#[derive(Serialize, Deserialize)]
struct Entry {
    rendered: Rendered,
    resolved: Vec<Option<String>>,
}

/// The URLs the links of `rendered` resolve to now.
fn resolved(rendered: &Rendered, resolver: &dyn LinkResolver) -> Vec<Option<String>> {
    let links = rendered.links.iter().chain(&rendered.broken);
    links.map(|l| resolver.url(&l.key, &l.lang)).collect()
}

/// Every version's Markdown rendered, or taken from `table` where it is
/// still what rendering would give; the rendered ones go into `table`.
pub(in crate::build) fn render_bodies_cached(site: &Site, urls: &UrlMap, table: &Table) -> Bodies {
    let resolver = Resolver(urls);
    let jobs: Vec<(&str, &str, &str)> = site
        .pages
        .values()
        .flat_map(|page| {
            let versions = page.versions.values();
            versions.map(move |v| (page.key.as_str(), v.lang.as_str(), &*v.body))
        })
        .collect();
    jobs.par_iter()
        .map(|(key, lang, body)| {
            let id = format!("{lang}\n{key}");
            let hash = Fingerprint::default()
                .value(lang)
                .bytes(body.as_bytes())
                .finish();
            let cached = table.take(&id).and_then(|bytes| {
                let mut reader = Reader(&bytes);
                (reader.u64()? == hash).then_some(())?;
                let entry: Entry = serde_json::from_slice(reader.bytes()?).ok()?;
                (resolved(&entry.rendered, &resolver) == entry.resolved).then_some(entry.rendered)
            });
            let rendered = cached.unwrap_or_else(|| {
                let rendered = markdown::render(body, lang, &resolver);
                let entry = Entry {
                    resolved: resolved(&rendered, &resolver),
                    rendered,
                };
                let mut value = hash.to_le_bytes().to_vec();
                if let Ok(json) = serde_json::to_vec(&entry) {
                    put_bytes(&mut value, &json);
                    table.put(id, value);
                }
                entry.rendered
            });
            (((*key).to_string(), (*lang).to_string()), rendered)
        })
        .collect()
}
