//! Render: the site model and rendered bodies in, HTML pages out.
//!
//! Steps: load the layered templates into Tera and register signpost's
//! functions; build per-language list entries ([`PageRef`]) once; then render
//! every page in every language in parallel — home, sections, pages,
//! facilities, scenario pages — plus the language chooser, the 404 page and
//! alias redirects. Template lookup: `<section>/page.html` before `page.html`,
//! `<section>/section.html` before `section.html`.

mod compact;
pub(crate) mod context;
pub(crate) mod deps;
pub(crate) mod fingerprint;
pub(crate) mod functions;
pub(crate) mod graphics;
mod jobs;
mod listings;
pub(crate) mod notes;
mod page_data;
mod relist;
mod status;
mod tags;
mod templates;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::content::{Page, PageKind, Site};
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::theme::TemplateSource;
use context::ScenarioData;
pub(crate) use deps::{Part, Reads, TemplateGraph, changed_parts};
pub(crate) use functions::{FunctionData, UrlMap};
use jobs::{Job, jobs, page_path};
pub(crate) use jobs::{aliases, planned_pages};
pub(crate) use listings::{Listings, entries_unchanged};
pub(crate) use status::{StateCounts, count_states};
pub(crate) use templates::load_templates;
use templates::{error_chain, once_per_cause, origin_of, template_position, tera_place};

pub(crate) use crate::markdown::Bodies;

/// One output file: its path relative to the output root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputPage {
    /// Path such as `en/communities/wangjing/index.html`.
    pub path: String,
    /// The HTML.
    pub html: String,
    /// The content file the page was rendered from; `None` for generated
    /// pages (scenarios, search, chooser, 404, aliases).
    pub source: Option<String>,
}

/// A rendered page's record, kept after its HTML went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageRecord {
    /// Path such as `en/communities/wangjing/index.html`.
    pub path: String,
    /// The content file the page was rendered from; `None` for generated pages.
    pub source: Option<String>,
}

/// What [`Renderer::render_where`] rendered.
#[derive(Debug, Default)]
pub(crate) struct RenderedFiles {
    /// Every file's path and source, sorted by path.
    pub records: Vec<PageRecord>,
    /// What each file read, by path, when recording.
    pub reads: BTreeMap<String, Reads>,
    /// The template errors, one per template and cause.
    pub errors: Vec<Diagnostic>,
}

/// Everything rendering needs, borrowed from the build.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    bodies: &'a Bodies,
    listings: &'a Listings,
    stale: std::collections::BTreeSet<(String, String)>,
    /// Where each template was read from, to name it in errors.
    templates: Option<&'a BTreeMap<String, TemplateSource>>,
}

impl<'a> Renderer<'a> {
    /// Marks (page key, language) pairs as stale, for the translation status page.
    pub(crate) fn set_stale(&mut self, stale: std::collections::BTreeSet<(String, String)>) {
        self.stale = stale;
    }

    /// Names the files the templates were read from, for errors (else
    /// `templates/<name>`).
    pub(crate) fn set_template_files(&mut self, templates: &'a BTreeMap<String, TemplateSource>) {
        self.templates = Some(templates);
    }

    /// A renderer over the site, its rendered bodies and its listings.
    pub(crate) fn new(
        site: &'a Site,
        tera: &'a Tera,
        bodies: &'a Bodies,
        listings: &'a Listings,
    ) -> Self {
        Renderer {
            site,
            tera,
            bodies,
            listings,
            stale: Default::default(),
            templates: None,
        }
    }

    /// Renders the output files whose path `wanted` accepts, in parallel,
    /// handing each to `emit`; with a template graph, records what each read.
    pub(crate) fn render_where(
        &self,
        wanted: &(dyn Fn(&str) -> bool + Sync),
        graph: Option<&TemplateGraph>,
        emit: &(dyn Fn(OutputPage) + Sync),
    ) -> RenderedFiles {
        let jobs: Vec<(String, Job<'_>)> = jobs(self.site)
            .into_iter()
            .map(|job| (job.path(self.site), job))
            .filter(|(path, _)| wanted(path))
            .collect();
        type Done = (PageRecord, Option<Reads>);
        let results: Vec<Result<Done, Diagnostic>> = jobs
            .par_iter()
            .map(|(_, job)| {
                let (page, reads) = match graph {
                    Some(graph) => {
                        let (page, reads) = self.render_recorded(job, graph)?;
                        (page, Some(reads))
                    }
                    None => (self.render_job(job)?, None),
                };
                let record = PageRecord {
                    path: page.path.clone(),
                    source: page.source.clone(),
                };
                emit(page);
                Ok((record, reads))
            })
            .collect();
        let mut done = RenderedFiles::default();
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok((record, reads)) => {
                    if let Some(reads) = reads {
                        done.reads.insert(record.path.clone(), reads);
                    }
                    done.records.push(record);
                }
                Err(error) => errors.push(error),
            }
        }
        done.records.sort_by(|a, b| a.path.cmp(&b.path));
        done.errors = once_per_cause(errors);
        done
    }

    /// Renders `job` while recording what it reads.
    fn render_recorded(
        &self,
        job: &Job<'_>,
        graph: &TemplateGraph,
    ) -> Result<(OutputPage, Reads), Diagnostic> {
        deps::start();
        let page = self.render_job(job);
        let (strings, urls) = deps::finish();
        let page = page?;
        let template = self.job_template(job);
        let parts = deps::job_parts(self.site, job, &template, graph);
        let reads = Reads {
            template,
            parts,
            strings,
            urls,
        };
        Ok((page, reads))
    }

    /// The template a job renders.
    fn job_template(&self, job: &Job<'_>) -> String {
        match job {
            Job::Page(page, _) => self.template_for(page),
            Job::Scenario(..) => "scenario.html".to_string(),
            Job::ScenarioIndex(_) => "scenarios.html".to_string(),
            Job::Search(_) => "search.html".to_string(),
            Job::Feed(_) => "feed.html".to_string(),
            Job::Chooser => "chooser.html".to_string(),
            Job::Status => "status.html".to_string(),
            Job::NotFound => "404.html".to_string(),
            Job::Alias(..) => "alias.html".to_string(),
        }
    }

    fn render_job(&self, job: &Job<'_>) -> Result<OutputPage, Diagnostic> {
        let config = &self.site.config;
        let path = job.path(self.site);
        match job {
            Job::Page(page, lang) => self.render_page(page, lang),
            Job::Scenario(key, lang) => self.render_scenario(key, lang, &path),
            Job::ScenarioIndex(lang) => {
                let mut context = self.base_context(lang);
                let scenarios = self.scenario_list(lang);
                context.insert("scenarios", &scenarios);
                let counts = notes::scenario_counts(
                    &self.site.config.domain.scenarios,
                    self.listings.refs[*lang].values(),
                );
                context.insert("scenario_counts", &counts);
                context.insert(
                    "page",
                    &self.synthetic_page(lang, &format!("/{}/scenarios/", config.prefix(lang))),
                );
                self.render_template("scenarios.html", &context, &path)
            }
            Job::Search(lang) => {
                let mut context = self.base_context(lang);
                context.insert(
                    "page",
                    &self.synthetic_page(lang, &format!("/{}/search/", config.prefix(lang))),
                );
                self.render_template("search.html", &context, &path)
            }
            Job::Feed(lang) => {
                let prefix = config.prefix(lang);
                let mut context = self.base_context(lang);
                context.insert(
                    "page",
                    &self.synthetic_page(lang, &format!("/{prefix}/feed/")),
                );
                context.insert(
                    "feed_url",
                    &config.permalink(&format!("/{prefix}/feed.xml")),
                );
                context.insert_value("pages", self.listings.lists[*lang].feed.clone());
                self.render_template("feed.html", &context, &path)
            }
            Job::Chooser => {
                let lang = &config.default_language;
                let mut context = self.base_context(lang);
                context.insert("page", &self.synthetic_page(lang, "/"));
                self.render_template("chooser.html", &context, &path)
            }
            Job::Status => {
                let lang = &config.default_language;
                let mut context = self.base_context(lang);
                let mut page = self.synthetic_page(lang, "/translation-status/");
                page.noindex = true;
                context.insert("page", &page);
                context.insert("rows", &self.status_rows());
                self.render_template("status.html", &context, &path)
            }
            Job::NotFound => {
                let lang = &config.default_language;
                let mut context = self.base_context(lang);
                context.insert("page", &self.synthetic_page(lang, "/404.html"));
                self.render_template("404.html", &context, &path)
            }
            Job::Alias(_, target) => {
                let mut context = Context::new();
                context.insert("target", &config.permalink(target));
                context.insert("lang", &config.default_language);
                self.render_template("alias.html", &context, &path)
            }
        }
    }

    fn render_page(&self, page: &Page, lang: &str) -> Result<OutputPage, Diagnostic> {
        let Some(version) = page.version(lang) else {
            return Err(Diagnostic::error(
                &page.file,
                Position::FILE,
                Code::RenderMissingVersion,
                format!("`{}` has no version in `{lang}`", page.key),
            ));
        };
        let mut context = self.base_context(lang);
        context.insert("page", &self.page_data(page, version));
        let default = &self.site.config.default_language;
        let notes = notes::page_notes(page, version, default, &self.stale);
        context.insert("notes", &notes);
        let lists = &self.listings.lists[lang];
        let empty = || Value::from(Vec::<Value>::new());
        context.insert_value(
            "pages",
            lists.children.get(&page.key).cloned().unwrap_or_else(empty),
        );
        let domain = &self.site.config.domain;
        if page.section.as_deref() == Some(domain.communities_section.as_str())
            && page.kind == PageKind::Page
        {
            let prefix = format!("{}/", domain.communities_section);
            let slug = page.key.trim_start_matches(prefix.as_str());
            let (facilities, policies) = lists
                .members
                .get(slug)
                .cloned()
                .unwrap_or_else(|| (empty(), empty()));
            context.insert_value("facilities", facilities);
            context.insert_value("policies", policies);
            context.insert_value("city_wide_facilities", lists.city_wide.clone());
        }
        let template = self.template_for(page);
        let mut output = self.render_template(&template, &context, &page_path(version))?;
        output.source = Some(version.file.clone());
        Ok(output)
    }

    fn render_scenario(&self, key: &str, lang: &str, path: &str) -> Result<OutputPage, Diagnostic> {
        let prefix = self.site.config.prefix(lang);
        let url = format!("/{prefix}/scenarios/{key}/");
        let tagged = self.listings.lists[lang]
            .scenarios
            .get(key)
            .cloned()
            .unwrap_or_else(|| Value::from(Vec::<Value>::new()));
        let mut context = self.base_context(lang);
        context.insert(
            "scenario",
            &ScenarioData {
                key: key.to_string(),
                url: url.clone(),
            },
        );
        context.insert_value("pages", tagged);
        context.insert("page", &self.synthetic_page(lang, &url));
        self.render_template("scenario.html", &context, path)
    }

    fn render_template(
        &self,
        template: &str,
        context: &Context,
        path: &str,
    ) -> Result<OutputPage, Diagnostic> {
        match self.tera.render(template, context) {
            Ok(html) => Ok(OutputPage {
                path: path.to_string(),
                html: compact::page(html),
                source: None,
            }),
            Err(error) => {
                // At the place Tera names (it may be in a template this one
                // extends or includes), else at the template rendered.
                let chain = error_chain(&error);
                let (cause, place) = tera_place(&chain);
                let (name, pos) = place.unwrap_or((template, Position::FILE));
                let (file, pos) = match self.templates {
                    Some(templates) if place.is_some() => (
                        origin_of(templates, name),
                        template_position(templates, name, pos),
                    ),
                    Some(templates) => (origin_of(templates, name), pos),
                    None => (format!("templates/{name}"), pos),
                };
                Err(Diagnostic::error(
                    file,
                    pos,
                    Code::TemplateRender,
                    format!("rendering {path} failed: {cause}"),
                )
                .with_hint("check the variables and functions the template uses (see README: template context)"))
            }
        }
    }

    /// The template of a page: its section's own (`<section>/page.html`),
    /// for the communities section under whatever name site.yaml gives it
    /// the theme's `communities/…`, else the general one.
    fn template_for(&self, page: &Page) -> String {
        let communities = &self.site.config.domain.communities_section;
        let specific = |name: &str| {
            let section = page.section.as_ref()?;
            let own = format!("{section}/{name}");
            let shared = (section == communities).then(|| format!("communities/{name}"));
            std::iter::once(own)
                .chain(shared)
                .find(|t| self.tera.contains_template(t))
        };
        match page.kind {
            PageKind::Home => "index.html".to_string(),
            PageKind::Section => {
                specific("section.html").unwrap_or_else(|| "section.html".to_string())
            }
            PageKind::Page => specific("page.html").unwrap_or_else(|| "page.html".to_string()),
            PageKind::Facility => "facility.html".to_string(),
        }
    }

    /// What every template in `lang` sees: built once per language by [`Listings`].
    fn base_context(&self, lang: &str) -> Context {
        self.listings.base.get(lang).cloned().unwrap_or_default()
    }

    fn scenario_list(&self, lang: &str) -> Vec<ScenarioData> {
        let prefix = self.site.config.prefix(lang);
        self.site
            .config
            .domain
            .scenarios
            .iter()
            .map(|key| ScenarioData {
                key: key.to_string(),
                url: format!("/{prefix}/scenarios/{key}/"),
            })
            .collect()
    }
}
