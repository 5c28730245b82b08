//! Render: the site model and rendered bodies in, HTML pages out.
//!
//! Steps: load the layered templates into Tera and register signpost's
//! functions; build per-language list entries ([`PageRef`]) once; then render
//! every page in every language in parallel — home, sections, pages,
//! facilities, scenario pages — plus the language chooser, the 404 page and
//! alias redirects. Template lookup: `<section>/page.html` before `page.html`,
//! `<section>/section.html` before `section.html`.

pub mod context;
pub mod functions;
pub mod graphics;
mod listings;
pub mod notes;
mod tags;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::content::{Page, PageKind, Site, Status, Version};
use crate::diagnostics::{Diagnostic, Position};
use crate::theme::{TemplateSource, Theme};
use context::{AlternateData, FacilityData, PageData, PageRef, ScenarioData, TranslationData};
pub use functions::{FunctionData, UrlMap};
pub use listings::Listings;
use listings::page_ref;

pub use crate::markdown::Bodies;

/// One output file: its path relative to the output root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputPage {
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
pub struct PageRecord {
    /// Path such as `en/communities/wangjing/index.html`.
    pub path: String,
    /// The content file the page was rendered from; `None` for generated pages.
    pub source: Option<String>,
}

/// Keeps one error per template and cause: a mistake in a template that every
/// page uses is one error, saying how many pages it broke.
fn once_per_cause(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type Cause = (String, usize, usize, String);
    let mut by_cause: BTreeMap<Cause, (Diagnostic, usize)> = BTreeMap::new();
    for error in errors {
        let cause = error
            .message
            .split_once(" failed: ")
            .map_or_else(|| error.message.clone(), |(_, cause)| cause.to_string());
        by_cause
            .entry((error.file.clone(), error.line, error.column, cause))
            .and_modify(|(_, count)| *count += 1)
            .or_insert((error, 1));
    }
    by_cause
        .into_values()
        .map(|(mut error, count)| {
            if count > 1 {
                error.message = format!("{} (and {} more pages)", error.message, count - 1);
            }
            error
        })
        .collect()
}

/// Loads the theme's templates into Tera with signpost's functions registered.
pub fn load_templates(theme: &Theme, data: &FunctionData) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    functions::register(&mut tera, data);
    let templates: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), source.text.as_str()))
        .collect();
    match tera.add_raw_templates(templates) {
        Ok(()) => Ok(tera),
        Err(error) => {
            let chain = error_chain(&error);
            let (mut cause, place) = tera_place(&chain);
            let mut hint = "fix the template; Tera's syntax is like Jinja2's".to_string();
            let (origin, pos) = match place {
                Some((name, pos)) => {
                    // A tag left open is reported where it opens, not where
                    // Tera noticed it (often a later line).
                    let opened = theme
                        .templates
                        .get(name)
                        .and_then(|source| tags::unterminated_before(&source.text, pos));
                    if let Some((_, closer)) = opened {
                        cause = format!("the tag that opens here is never closed ({cause})");
                        hint = format!("close the tag with `{closer}`");
                    }
                    let pos = opened.map_or(pos, |(opened, _)| opened);
                    (origin_of(&theme.templates, name), pos)
                }
                None => {
                    let named = theme
                        .templates
                        .iter()
                        .find(|(name, _)| cause.contains(&format!("'{name}'")));
                    let origin = named.map(|(_, source)| source.origin.clone());
                    (
                        origin.unwrap_or_else(|| "templates".to_string()),
                        Position::FILE,
                    )
                }
            };
            Err(vec![
                Diagnostic::error(
                    origin,
                    pos,
                    "template/syntax",
                    format!("template error: {cause}"),
                )
                .with_hint(hint),
            ])
        }
    }
}

/// Tera's message split into what is wrong (without Tera's `error: ` and its
/// excerpt of the source) and the template, line and column it points at
/// (` --> page.html:7:27`, 1-based, in characters), when it names one.
fn tera_place(message: &str) -> (String, Option<(&str, Position)>) {
    let cause: Vec<&str> = message
        .lines()
        .take_while(|line| !line.trim_start().starts_with("--> "))
        .collect();
    let cause = cause.join("\n").replacen("error: ", "", 1);
    let place = message
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .and_then(|place| {
            let mut parts = place.trim_end().rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some((parts.next()?, Position::new(line, column)))
        })
        .filter(|(_, pos)| pos.line >= 1 && pos.column >= 1);
    (cause, place)
}

/// The file a template was read from (`themes/x/templates/page.html`), by its name.
fn origin_of(templates: &BTreeMap<String, TemplateSource>, name: &str) -> String {
    templates.get(name).map_or_else(
        || format!("templates/{name}"),
        |source| source.origin.clone(),
    )
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Everything rendering needs, borrowed from the build.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    bodies: &'a Bodies,
    listings: &'a Listings,
    stale: std::collections::BTreeSet<(String, String)>,
    /// Where each template was read from, to name it in errors.
    templates: Option<&'a BTreeMap<String, TemplateSource>>,
}

/// One row of the translation status page: a page and its state in every language.
#[derive(Debug, Clone, serde::Serialize)]
struct StatusRow {
    key: String,
    title: String,
    file: String,
    cells: Vec<StatusCell>,
}

#[derive(Debug, Clone, serde::Serialize)]
struct StatusCell {
    lang: String,
    url: String,
    state: &'static str,
}

impl<'a> Renderer<'a> {
    /// Marks (page key, language) pairs as stale, for the translation status page.
    pub fn set_stale(&mut self, stale: std::collections::BTreeSet<(String, String)>) {
        self.stale = stale;
    }

    /// Names the files the templates were read from, for errors (else
    /// `templates/<name>`).
    pub fn set_template_files(&mut self, templates: &'a BTreeMap<String, TemplateSource>) {
        self.templates = Some(templates);
    }

    fn status_rows(&self) -> Vec<StatusRow> {
        self.site
            .pages
            .values()
            .filter(|p| !p.implicit)
            .map(|page| StatusRow {
                key: page.key.clone(),
                title: page
                    .version(&self.site.config.default_language)
                    .map(|v| v.title.clone())
                    .unwrap_or_default(),
                file: page.file.clone(),
                cells: self
                    .site
                    .config
                    .codes()
                    .filter_map(|lang| page.version(lang))
                    .map(|v| StatusCell {
                        lang: v.lang.clone(),
                        url: v.url.clone(),
                        state: if self.stale.contains(&(page.key.clone(), v.lang.clone())) {
                            "stale"
                        } else {
                            match v.status {
                                Status::Written => "written",
                                Status::Derived => "derived",
                                Status::Fallback => "fallback",
                            }
                        },
                    })
                    .collect(),
            })
            .collect()
    }

    /// A renderer over the site, its rendered bodies and its listings.
    pub fn new(site: &'a Site, tera: &'a Tera, bodies: &'a Bodies, listings: &'a Listings) -> Self {
        Renderer {
            site,
            tera,
            bodies,
            listings,
            stale: Default::default(),
            templates: None,
        }
    }

    /// Renders every page in every language, in parallel, handing each
    /// finished page to `emit` at once (nothing is held). Returns every
    /// page's path and source file, sorted by path, and the template errors,
    /// one per template and cause however many pages it broke.
    pub fn render_all(
        &self,
        emit: &(dyn Fn(OutputPage) + Sync),
    ) -> (Vec<PageRecord>, Vec<Diagnostic>) {
        let jobs = jobs(self.site);
        let results: Vec<Result<PageRecord, Diagnostic>> = jobs
            .par_iter()
            .map(|job| {
                let page = self.render_job(job)?;
                let record = PageRecord {
                    path: page.path.clone(),
                    source: page.source.clone(),
                };
                emit(page);
                Ok(record)
            })
            .collect();
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(record) => records.push(record),
                Err(error) => errors.push(error),
            }
        }
        records.sort_by(|a, b| a.path.cmp(&b.path));
        (records, once_per_cause(errors))
    }

    /// Renders the pages with these keys, in every language (the dev server's quick path).
    pub fn render_pages(&self, keys: &[&str]) -> (Vec<OutputPage>, Vec<Diagnostic>) {
        let mut pages = Vec::new();
        let mut errors = Vec::new();
        for key in keys {
            let Some(page) = self.site.pages.get(*key) else {
                continue;
            };
            for lang in self.site.config.codes() {
                match self.render_page(page, lang) {
                    Ok(output) => pages.push(output),
                    Err(error) => errors.push(error),
                }
            }
        }
        (pages, errors)
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
                "render/missing-version",
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
                html,
                source: None,
            }),
            Err(error) => {
                // At the place Tera names (it may be in a template this one
                // extends or includes), else at the template rendered.
                let chain = error_chain(&error);
                let (cause, place) = tera_place(&chain);
                let (name, pos) = place.unwrap_or((template, Position::FILE));
                let file = match self.templates {
                    Some(templates) => origin_of(templates, name),
                    None => format!("templates/{name}"),
                };
                Err(Diagnostic::error(
                    file,
                    pos,
                    "template/render",
                    format!("rendering {path} failed: {cause}"),
                )
                .with_hint("check the variables and functions the template uses (see README: template context)"))
            }
        }
    }

    fn template_for(&self, page: &Page) -> String {
        let specific = |name: &str| {
            page.section
                .as_ref()
                .map(|s| format!("{s}/{name}"))
                .filter(|t| self.tera.contains_template(t))
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

    /// Page data for pages that have no content file (scenario pages, chooser, 404).
    fn synthetic_page(&self, lang: &str, url: &str) -> PageData {
        let config = &self.site.config;
        let own_prefix = format!("/{}/", config.prefix(lang));
        let translations = config
            .codes()
            .map(|code| TranslationData {
                lang: code.to_string(),
                url: url.replacen(&own_prefix, &format!("/{}/", config.prefix(code)), 1),
                status: Status::Written,
                current: code == lang,
            })
            .collect::<Vec<_>>();
        let localized = url.starts_with(&own_prefix);
        let alternates = if localized {
            let mut list: Vec<AlternateData> = translations
                .iter()
                .map(|t| AlternateData {
                    hreflang: t.lang.clone(),
                    href: config.permalink(&t.url),
                })
                .collect();
            let default_url = url.replacen(
                &own_prefix,
                &format!("/{}/", config.prefix(&config.default_language)),
                1,
            );
            list.push(AlternateData {
                hreflang: "x-default".to_string(),
                href: config.permalink(&default_url),
            });
            list
        } else {
            Vec::new()
        };
        PageData {
            summary: PageRef {
                key: String::new(),
                kind: PageKind::Section,
                section: None,
                title: String::new(),
                title_lang: lang.to_string(),
                default_title: String::new(),
                sign_label: None,
                colour: None,
                summary: None,
                url: url.to_string(),
                date: None,
                updated: None,
                weight: 0,
                status: Status::Written,
                communities: Vec::new(),
                city_wide: false,
                scenarios: Vec::new(),
                facility_kind: None,
                extra: serde_json::Value::Null,
            },
            content: String::new(),
            toc: Vec::new(),
            text_lang: lang.to_string(),
            permalink: config.permalink(url),
            canonical: config.permalink(url),
            noindex: false,
            translations: if localized { translations } else { Vec::new() },
            alternates,
            sources: Vec::new(),
            facility: None,
            community_pages: Vec::new(),
            implicit: true,
        }
    }

    fn page_data(&self, page: &Page, version: &Version) -> PageData {
        let config = &self.site.config;
        // The page's own list entry: it already has the implicit title and the colour.
        let summary = self
            .listings
            .refs
            .get(&version.lang)
            .and_then(|r| r.get(&page.key))
            .cloned()
            .unwrap_or_else(|| page_ref(self.site, page, version));
        let body = self.bodies.get(&(page.key.clone(), version.lang.clone()));
        let permalink = config.permalink(&version.url);
        let canonical = match version.status {
            Status::Fallback => page
                .version(&version.text_lang)
                .map_or_else(|| permalink.clone(), |v| config.permalink(&v.url)),
            _ => permalink.clone(),
        };
        let translations = page
            .versions
            .values()
            .map(|v| TranslationData {
                lang: v.lang.clone(),
                url: v.url.clone(),
                status: v.status,
                current: v.lang == version.lang,
            })
            .collect::<Vec<_>>();
        let mut ordered = Vec::new();
        for code in config.codes() {
            if let Some(t) = translations.iter().find(|t| t.lang == code) {
                ordered.push(t.clone());
            }
        }
        let mut alternates: Vec<AlternateData> = ordered
            .iter()
            .filter(|t| t.status != Status::Fallback)
            .map(|t| AlternateData {
                hreflang: t.lang.clone(),
                href: config.permalink(&t.url),
            })
            .collect();
        let x_default = page
            .version(&config.default_language)
            .filter(|v| v.status != Status::Fallback)
            .or_else(|| {
                page.versions
                    .values()
                    .find(|v| v.status != Status::Fallback)
            });
        if let Some(v) = x_default {
            alternates.push(AlternateData {
                hreflang: "x-default".to_string(),
                href: config.permalink(&v.url),
            });
        }
        PageData {
            summary,
            content: body.map(|b| b.html.clone()).unwrap_or_default(),
            toc: body.map(|b| b.headings.clone()).unwrap_or_default(),
            text_lang: version.text_lang.clone(),
            permalink,
            canonical,
            noindex: version.status == Status::Fallback,
            translations: ordered,
            alternates,
            sources: version.meta.sources.clone().unwrap_or_default(),
            facility: page.facility.as_ref().map(|info| FacilityData {
                info: info.clone(),
                fields: version.fields.clone(),
            }),
            community_pages: page
                .communities(config)
                .filter_map(|slug| {
                    self.listings
                        .refs
                        .get(&version.lang)?
                        .get(&config.domain.community_key(slug))
                        .cloned()
                })
                .collect(),
            implicit: page.implicit,
        }
    }
}

/// The output path of a page's version (`en/communities/wangjing/index.html`).
fn page_path(version: &Version) -> String {
    format!("{}index.html", version.url.trim_start_matches('/'))
}

/// Every page the renderer writes, with its source file, sorted by path;
/// read from the site alone, so it is known even when the templates are
/// broken (the checks of links and clashing paths use it).
pub fn planned_pages(site: &Site) -> Vec<PageRecord> {
    let mut records: Vec<PageRecord> = jobs(site)
        .iter()
        .filter(|job| !matches!(job, Job::Page(page, lang) if page.version(lang).is_none()))
        .map(|job| PageRecord {
            path: job.path(site),
            source: match job {
                Job::Page(page, lang) => page.version(lang).map(|v| v.file.clone()),
                _ => None,
            },
        })
        .collect();
    records.sort_by(|a, b| a.path.cmp(&b.path));
    records
}

/// Every page to render: each page in each language, the generated pages, the aliases.
fn jobs(site: &Site) -> Vec<Job<'_>> {
    let config = &site.config;
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for page in site.pages.values() {
        for lang in config.codes() {
            jobs.push(Job::Page(page, lang));
        }
    }
    for lang in config.codes() {
        jobs.push(Job::Search(lang));
        jobs.push(Job::Feed(lang));
        jobs.push(Job::ScenarioIndex(lang));
        for scenario in &config.domain.scenarios {
            jobs.push(Job::Scenario(scenario, lang));
        }
    }
    jobs.push(Job::Chooser);
    jobs.push(Job::Status);
    jobs.push(Job::NotFound);
    for (path, target) in aliases(site) {
        jobs.push(Job::Alias(path, target));
    }
    jobs
}

/// Alias path → target site path, deduplicated, in path order.
fn aliases(site: &Site) -> Vec<(String, String)> {
    let config = &site.config;
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for page in site.pages.values() {
        for version in page.versions.values() {
            for alias in &version.aliases {
                if !crate::content::is_safe_site_path(&alias.value) {
                    continue;
                }
                let language_of_alias = config
                    .languages
                    .iter()
                    .find(|l| alias.value.starts_with(&format!("/{}/", l.prefix)));
                let target_lang =
                    language_of_alias.map_or(config.default_language.as_str(), |l| l.code.as_str());
                if let Some(target) = page.version(target_lang) {
                    out.entry(alias.value.clone())
                        .or_insert_with(|| target.url.clone());
                }
            }
        }
    }
    out.into_iter().collect()
}

/// A rendering job.
enum Job<'p> {
    Page(&'p Page, &'p str),
    Scenario(&'p str, &'p str),
    ScenarioIndex(&'p str),
    Search(&'p str),
    Feed(&'p str),
    Chooser,
    Status,
    NotFound,
    Alias(String, String),
}

impl Job<'_> {
    /// The path the job writes, relative to the output root.
    fn path(&self, site: &Site) -> String {
        let config = &site.config;
        match self {
            Job::Page(page, lang) => page.version(lang).map(page_path).unwrap_or_default(),
            Job::Scenario(key, lang) => {
                format!("{}/scenarios/{key}/index.html", config.prefix(lang))
            }
            Job::ScenarioIndex(lang) => format!("{}/scenarios/index.html", config.prefix(lang)),
            Job::Search(lang) => format!("{}/search/index.html", config.prefix(lang)),
            Job::Feed(lang) => format!("{}/feed/index.html", config.prefix(lang)),
            Job::Chooser => "index.html".to_string(),
            Job::Status => "translation-status/index.html".to_string(),
            Job::NotFound => "404.html".to_string(),
            Job::Alias(path, _) => format!("{}/index.html", path.trim_matches('/'))
                .trim_start_matches('/')
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teras_place_is_read_from_its_message() {
        let message = "error: Unknown filter `lenght`\n  --> partials/tags.html:15:20\n   |\n15 |   {% if x | lenght %}\n   |             ^^^^^^";
        let (cause, place) = tera_place(message);
        assert_eq!(cause, "Unknown filter `lenght`");
        assert_eq!(place, Some(("partials/tags.html", Position::new(15, 20))));
        let (cause, place) = tera_place("Template 'page.html' is inheriting from 'base.html'");
        assert_eq!(cause, "Template 'page.html' is inheriting from 'base.html'");
        assert_eq!(place, None);
    }
}
