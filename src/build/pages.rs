//! Pages: Markdown bodies rendered in parallel, then the templates, every
//! page and the search index side by side, each file put into the sink as it
//! is made.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::stale::Staleness;
use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::i18n::I18n;
use crate::markdown::{self, LinkResolver};
use crate::output::{self, Sink};
use crate::render::{
    self, Bodies, FunctionData, Listings, OutputPage, PageRecord, Reads, Renderer, TemplateGraph,
    UrlMap,
};
use crate::search::KeptIndex;
use crate::theme::Theme;

use super::cache::{Cache, render_pages_cached};
use super::progress::timed;
use crate::render::fingerprint::Inputs;
use crate::search::CountCache;

/// What [`render_site`] made besides the files it put into the sink.
pub(super) struct Rendered {
    /// The templates; `None` when they could not be loaded (their errors are
    /// in `diagnostics`, and no page was rendered).
    pub(super) tera: Option<tera::Tera>,
    /// List entries and site data.
    pub(super) listings: Listings,
    /// Pages rendered per language.
    pub(super) pages_per_language: BTreeMap<String, usize>,
    /// Template errors and search index errors.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// What each page read, by path, when recording.
    pub(super) reads: BTreeMap<String, Reads>,
    /// The templates' closures (empty unless recording).
    pub(super) graph: TemplateGraph,
    /// The search index's documents and counts, when recording.
    pub(super) search: Option<KeptIndex>,
}

/// Loads the templates, then renders every page and builds the search index
/// side by side, putting their files into `sink`. When the templates cannot
/// be loaded, their errors are reported and no page is rendered, but the
/// theme's files and the search index still go into the sink, so links to
/// them are checked as in a good build. With `record`, what each page
/// reads is recorded for the dev server.
#[expect(
    clippy::too_many_arguments,
    reason = "the build's stages, each borrowed; a struct would only rename them"
)]
pub(super) fn render_site(
    site: &Site,
    theme: &Theme,
    i18n: &Arc<I18n>,
    urls: &Arc<UrlMap>,
    bodies: &Bodies,
    stale: &BTreeMap<(String, String), Staleness>,
    sink: &Sink,
    (record, cache): (bool, Option<&Cache>),
) -> Rendered {
    let mut diagnostics = Vec::new();
    let tera = load_templates(theme, i18n, urls, sink);
    let graph = if record || cache.is_some() {
        TemplateGraph::new(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.text.as_str())),
        )
    } else {
        TemplateGraph::default()
    };
    let mut reads = BTreeMap::new();
    let listings = Listings::new(site, i18n, theme.settings.community_colours);
    diagnostics.extend(crate::render::notes::colour_collisions(
        site,
        theme.settings.community_colours,
    ));
    let index = || {
        timed("  of which building the search index", || {
            let put = |path, bytes: Vec<u8>| sink.put(path, bytes);
            if record {
                KeptIndex::write(site, bodies, &put).map(Some)
            } else {
                let counts = cache.map(|c| &c.search as &dyn CountCache);
                crate::search::write_indexes(site, bodies, counts, &put).map(|()| None)
            }
        })
    };
    let mut pages_per_language = BTreeMap::new();
    let (tera, index) = match tera {
        Ok(tera) => {
            let mut renderer = Renderer::new(site, &tera, bodies, &listings);
            let stale: BTreeSet<(String, String)> = stale.keys().cloned().collect();
            renderer.set_stale(stale.clone());
            renderer.set_template_files(&theme.templates);
            let pages = || match cache {
                Some(cache) => {
                    let inputs = Inputs {
                        site,
                        listings: &listings,
                        bodies,
                        stale: &stale,
                        i18n,
                        urls,
                        graph: &graph,
                        templates: &theme.templates,
                    };
                    render_pages_cached(&renderer, inputs, &cache.pages, sink)
                }
                None => render_all(&renderer, record.then_some(&graph), sink),
            };
            let (done, index) = rayon::join(
                || timed("  of which rendering and writing pages", pages),
                index,
            );
            diagnostics.extend(done.errors);
            reads = done.reads;
            pages_per_language = count_per_language(site, &done.records);
            drop(renderer);
            (Some(tera), index)
        }
        Err(errors) => {
            diagnostics.extend(errors);
            (None, index())
        }
    };
    let search = index.unwrap_or_else(|error| {
        diagnostics.push(error);
        None
    });
    Rendered {
        search,
        tera,
        listings,
        pages_per_language,
        diagnostics,
        reads,
        graph,
    }
}

/// Renders every output file into `sink`; with a graph, records what each read.
fn render_all(
    renderer: &Renderer<'_>,
    graph: Option<&TemplateGraph>,
    sink: &Sink,
) -> crate::render::RenderedFiles {
    let emit = |page: OutputPage| sink.put(page.path, page.html.into_bytes());
    renderer.render_where(&|_| true, graph, &emit)
}

/// Fingerprints the theme's static files into `sink` and loads the
/// templates with signpost's functions reading `i18n`, `urls` and the files'
/// fingerprinted paths.
pub(super) fn load_templates(
    theme: &Theme,
    i18n: &Arc<I18n>,
    urls: &Arc<UrlMap>,
    sink: &Sink,
) -> Result<tera::Tera, Vec<Diagnostic>> {
    let assets = output::fingerprint(&theme.static_files);
    let data = FunctionData {
        i18n: i18n.clone(),
        urls: urls.clone(),
        assets: Arc::new(assets.paths),
        pictograms: Arc::new(theme.pictograms.clone()),
    };
    let tera = render::load_templates(theme, &data);
    for (path, bytes) in assets.files {
        sink.put(path, bytes);
    }
    tera
}

/// Every page's URL in every language.
pub(super) fn url_map(site: &Site) -> UrlMap {
    site.pages
        .iter()
        .map(|(key, page)| {
            let urls = page.versions.iter();
            let urls = urls.map(|(lang, v)| (lang.clone(), v.url.clone()));
            (key.clone(), urls.collect())
        })
        .collect()
}

/// Pages written per language, by the language folder of their path.
pub(super) fn count_per_language(site: &Site, pages: &[PageRecord]) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages {
        let folder = page.path.split('/').next().unwrap_or_default();
        if let Some(language) = site.config.languages.iter().find(|l| l.prefix == folder) {
            *counts.entry(language.code.clone()).or_default() += 1;
        }
    }
    counts
}

/// Resolves `@/` links from the URL map.
pub(super) struct Resolver<'a>(pub(super) &'a UrlMap);

impl LinkResolver for Resolver<'_> {
    fn url(&self, key: &str, lang: &str) -> Option<String> {
        self.0.get(key)?.get(lang).cloned()
    }
}

/// Renders every version's Markdown in parallel.
pub(super) fn render_bodies(site: &Site, urls: &UrlMap) -> Bodies {
    let resolver = Resolver(urls);
    let jobs: Vec<(&str, &str, &str)> = site
        .pages
        .values()
        .flat_map(|page| {
            page.versions
                .values()
                .map(move |v| (page.key.as_str(), v.lang.as_str(), &*v.body))
        })
        .collect();
    jobs.par_iter()
        .map(|(key, lang, body)| {
            (
                ((*key).to_string(), (*lang).to_string()),
                markdown::render(body, lang, &resolver),
            )
        })
        .collect()
}
