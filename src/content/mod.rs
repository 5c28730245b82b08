//! Content: the `content/` tree in, an immutable [`Site`] model out (SPEC §4).
//!
//! Steps:
//! 1. walk `content/` and group files by page key: the path without language
//!    suffix and extension (`communities/wangjing`), so translations meet;
//! 2. parse every file in parallel (front matter, facility YAML);
//! 3. per page, take the default-language file's non-text keys as the shared
//!    ones and let each translation inherit what it does not set;
//! 4. give every page a [`Version`] in every site language: written, derived
//!    (machine-converted by `derive`) or fallback (along `fallback`);
//! 5. compute URLs and check references, slugs, aliases and URL clashes.
//!
//! Everything is loaded before anything is rendered: links, listings and
//! language switchers need the whole site.

pub mod facility;
pub mod front_matter;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Position, display_path};
use crate::i18n::convert::{self, Direction};
pub use front_matter::{FrontMatter, Located, SCENARIOS, Source};

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A language's home page (`content/_index.<lang>.md`).
    Home,
    /// A section's own page (`content/<section>/_index.<lang>.md`).
    Section,
    /// A Markdown page.
    Page,
    /// A facility from `content/facilities/<slug>.yaml`.
    Facility,
}

/// Where a language version's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written by an editor in this language.
    Written,
    /// Machine-converted from another script (`derive`).
    Derived,
    /// Shown in another language, because this one has no text.
    Fallback,
}

/// A piece of text and the language it is really in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalText {
    /// The text.
    pub text: String,
    /// The language the text is in.
    pub lang: String,
    /// How it got here.
    pub status: Status,
}

/// One language version of a page.
#[derive(Debug, Clone)]
pub struct Version {
    /// The reader's language.
    pub lang: String,
    /// Written, derived or fallback.
    pub status: Status,
    /// The language the text is really in.
    pub text_lang: String,
    /// The file the text comes from, for messages.
    pub file: String,
    /// The title, in `text_lang`.
    pub title: String,
    /// The one-line summary.
    pub summary: Option<String>,
    /// The Markdown body (for facilities, the description).
    pub body: String,
    /// The line of `file` the body starts on.
    pub body_line: usize,
    /// The site path, e.g. `/en/communities/wangjing/`.
    pub url: String,
    /// Front matter after inheritance from the default-language file.
    pub meta: FrontMatter,
    /// Aliases declared by this version's own file.
    pub aliases: Vec<Located<String>>,
    /// A facility's localized fields, resolved for this language.
    pub fields: BTreeMap<String, LocalText>,
}

/// The non-localized data of a facility.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityInfo {
    /// Its kind (`hospital`, `school`…).
    pub kind: String,
    /// Latitude and longitude.
    pub location: Option<facility::Location>,
    /// Phone number.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Languages spoken there.
    pub languages: Vec<String>,
}

/// A page in all its languages.
#[derive(Debug, Clone)]
pub struct Page {
    /// The content path without language and extension: `communities/wangjing`;
    /// `""` for the home page, `communities` for that section's page.
    pub key: String,
    /// Home, section, page or facility.
    pub kind: PageKind,
    /// The top-level section (`communities`), `None` for the home page.
    pub section: Option<String>,
    /// The key of the section page that lists this page.
    pub parent: Option<String>,
    /// The page's main file (default language when present), for messages.
    pub file: String,
    /// One version per site language.
    pub versions: BTreeMap<String, Version>,
    /// Co-located files of a page bundle: (absolute path, path relative to the bundle).
    pub assets: Vec<(PathBuf, String)>,
    /// Facility data, for facilities.
    pub facility: Option<FacilityInfo>,
    /// Whether the section page exists only because the section has pages.
    pub implicit: bool,
}

impl Page {
    /// The version in `lang` (every page has one in every site language).
    pub fn version(&self, lang: &str) -> Option<&Version> {
        self.versions.get(lang)
    }

    /// The shared metadata: the default-language version's (or the first one's).
    pub fn meta<'a>(&'a self, config: &Config) -> &'a FrontMatter {
        self.versions
            .get(&config.default_language)
            .or_else(|| self.versions.values().next())
            .map(|v| &v.meta)
            .expect("a page always has versions")
    }

    /// The community slugs the page belongs to.
    pub fn communities<'a>(&'a self, config: &Config) -> impl Iterator<Item = &'a str> {
        self.meta(config)
            .communities
            .iter()
            .flatten()
            .map(|c| c.value.as_str())
    }
}

/// The loaded site: configuration and every page, keyed by page key.
#[derive(Debug, Clone)]
pub struct Site {
    /// The validated `site.yaml`.
    pub config: Config,
    /// Every page, by key.
    pub pages: BTreeMap<String, Page>,
    /// Files of `content/` that are not pages nor bundle assets, copied as they are:
    /// (absolute path, path relative to `content/`).
    pub content_files: Vec<(PathBuf, String)>,
}

/// Options for loading content.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

/// A file found under `content/`, before parsing.
#[derive(Debug)]
enum Found {
    Markdown {
        key: String,
        lang: String,
        kind: PageKind,
        bundle: Option<PathBuf>,
    },
    Facility {
        key: String,
    },
}

/// Walks `content/`, parses every file and builds the [`Site`].
pub fn load(root: &Path, config: Config, options: LoadOptions, out: &mut Vec<Diagnostic>) -> Site {
    let content_dir = root.join("content");
    let mut files: Vec<(PathBuf, Found)> = Vec::new();
    let mut others: Vec<PathBuf> = Vec::new();
    if content_dir.is_dir() {
        discover(root, &content_dir, &config, &mut files, &mut others, out);
    } else {
        out.push(
            Diagnostic::error(
                "content",
                Position::FILE,
                "content/missing",
                "there is no content/ folder",
            )
            .with_hint("create content/_index.md for the home page"),
        );
    }

    // Parse in parallel; collect results in discovery order.
    let parsed: Vec<(PathBuf, Found, Parsed, Vec<Diagnostic>)> = files
        .into_par_iter()
        .map(|(path, found)| {
            let display = display_path(root, &path);
            let mut diagnostics = Vec::new();
            let parsed = match crate::source::read_text(&path, &display, "content") {
                Ok(text) => parse_file(&display, &text, &found, &config, &mut diagnostics),
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    Parsed::Failed
                }
            };
            (path, found, parsed, diagnostics)
        })
        .collect();

    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (path, found, parsed, diagnostics) in parsed {
        out.extend(diagnostics);
        let display = display_path(root, &path);
        match (found, parsed) {
            (
                Found::Markdown {
                    key,
                    lang,
                    kind,
                    bundle,
                },
                Parsed::Markdown(file),
            ) => {
                let group = groups
                    .entry(key.clone())
                    .or_insert_with(|| Group::new(kind));
                if group.kind != kind {
                    out.push(clash(&display, &key));
                    continue;
                }
                if let Some(dir) = bundle {
                    group.bundle = Some(dir);
                }
                if let Some((earlier, _)) = group.markdown.get(&lang) {
                    out.push(
                        Diagnostic::error(&display, Position::FILE, "content/duplicate-page", format!("`{key}` in `{lang}` is also written in {earlier}"))
                            .with_hint("keep one file per page and language (a file without suffix is the default language)"),
                    );
                    continue;
                }
                group.markdown.insert(lang, (display, *file));
            }
            (Found::Facility { key }, Parsed::Facility(raw)) => {
                let group = groups
                    .entry(key.clone())
                    .or_insert_with(|| Group::new(PageKind::Facility));
                if group.kind != PageKind::Facility || group.facility.is_some() {
                    out.push(clash(&display, &key));
                    continue;
                }
                group.facility = Some((display, *raw));
            }
            _ => {}
        }
    }

    let mut pages = BTreeMap::new();
    for (key, group) in groups {
        if let Some(page) = build_page(root, &key, group, &config, options, out) {
            pages.insert(key, page);
        }
    }
    add_implicit_sections(&mut pages, &config);
    let mut site = Site {
        config,
        pages,
        content_files: others
            .into_iter()
            .map(|p| {
                let rel = display_path(&content_dir, &p);
                (p, rel)
            })
            .collect(),
    };
    assign_urls(&mut site, out);
    validate_references(&site, out);
    site
}

fn clash(display: &str, key: &str) -> Diagnostic {
    Diagnostic::error(
        display,
        Position::FILE,
        "content/duplicate-page",
        format!("`{key}` is claimed by a Markdown page and a facility file"),
    )
    .with_hint("rename one of them")
}

/// What one file parsed into.
enum Parsed {
    Markdown(Box<front_matter::Parsed>),
    Facility(Box<facility::RawFacility>),
    Failed,
}

fn parse_file(
    display: &str,
    text: &str,
    found: &Found,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Parsed {
    match found {
        Found::Markdown { .. } => match front_matter::parse(display, text, out) {
            Some(parsed) => {
                if parsed
                    .front_matter
                    .title
                    .as_deref()
                    .is_none_or(|t| t.trim().is_empty())
                {
                    out.push(
                        Diagnostic::error(
                            display,
                            Position::new(2, 1),
                            "front-matter/missing-title",
                            "the front matter has no `title`",
                        )
                        .with_hint("add a line `title: …` between the `---` lines"),
                    );
                }
                Parsed::Markdown(Box::new(parsed))
            }
            None => Parsed::Failed,
        },
        Found::Facility { .. } => match facility::parse(display, text, config, out) {
            Some(raw) => Parsed::Facility(Box::new(raw)),
            None => Parsed::Failed,
        },
    }
}

/// The files of one page, by language.
struct Group {
    kind: PageKind,
    markdown: BTreeMap<String, (String, front_matter::Parsed)>,
    facility: Option<(String, facility::RawFacility)>,
    bundle: Option<PathBuf>,
}

impl Group {
    fn new(kind: PageKind) -> Self {
        Group {
            kind,
            markdown: BTreeMap::new(),
            facility: None,
            bundle: None,
        }
    }
}

/// Walks `content/` and sorts each file into pages, facilities and plain files.
fn discover(
    root: &Path,
    content_dir: &Path,
    config: &Config,
    files: &mut Vec<(PathBuf, Found)>,
    others: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) {
    let mut bundles: BTreeSet<PathBuf> = BTreeSet::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name();
    let mut entries = Vec::new();
    for entry in walker
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::theme::is_hidden(e.path()))
    {
        match entry {
            Ok(entry) if entry.file_type().is_symlink() => {
                let display = display_path(root, entry.path());
                match std::fs::canonicalize(entry.path()) {
                    Ok(target)
                        if target.starts_with(std::fs::canonicalize(root).unwrap_or_default())
                            && target.is_file() =>
                    {
                        entries.push(entry.path().to_path_buf());
                    }
                    _ => out.push(
                        Diagnostic::error(
                            display,
                            Position::FILE,
                            "content/symlink",
                            "this link points outside the site (or nowhere)",
                        )
                        .with_hint("copy the file into content/ instead of linking to it"),
                    ),
                }
            }
            Ok(entry) if entry.file_type().is_file() => entries.push(entry.path().to_path_buf()),
            Ok(_) => {}
            Err(error) => {
                let file = error
                    .path()
                    .map_or_else(|| "content".to_string(), |p| display_path(root, p));
                out.push(Diagnostic::error(
                    file,
                    Position::FILE,
                    "content/unreadable",
                    format!("cannot read: {error}"),
                ));
            }
        }
    }
    for path in &entries {
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            let stem = name.strip_suffix(".md").unwrap_or("");
            let (base, _) = split_language(stem);
            if base == "index"
                && let Some(dir) = path.parent()
            {
                bundles.insert(dir.to_path_buf());
            }
        }
    }
    for path in entries {
        let display = display_path(root, &path);
        let relative = display_path(content_dir, &path);
        if let Some((_, c)) = crate::source::first_hidden_char(&relative) {
            out.push(
                Diagnostic::error(
                    &display,
                    Position::FILE,
                    "content/file-name",
                    format!(
                        "the path holds the invisible or control character U+{:04X}",
                        c as u32
                    ),
                )
                .with_hint("rename the file or folder: paths become URLs, and hidden characters make look-alike URLs"),
            );
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let parent_rel = match relative.rfind('/') {
            Some(i) => relative[..i].to_string(),
            None => String::new(),
        };
        let in_bundle = path.ancestors().skip(1).any(|a| bundles.contains(a));
        if let Some(stem) = name.strip_suffix(".md") {
            let (base, suffix) = split_language(stem);
            let lang = match suffix {
                None => config.default_language.clone(),
                Some(code) if config.has_language(code) => code.to_string(),
                Some(code) => {
                    let mut d = Diagnostic::error(
                        &display,
                        Position::FILE,
                        "content/unknown-language",
                        format!("the file name names language `{code}`, which is not in site.yaml"),
                    );
                    d = match crate::diagnostics::did_you_mean(code, config.codes()) {
                        Some(near) => d.with_hint(format!(
                            "did you mean `{near}`? (codes are case-sensitive)"
                        )),
                        None => d.with_hint(format!(
                            "add `{code}` to `languages` in site.yaml, or rename the file"
                        )),
                    };
                    out.push(d);
                    continue;
                }
            };
            let (key, kind, bundle) = match base {
                "_index" if parent_rel.is_empty() => (String::new(), PageKind::Home, None),
                "_index" => (parent_rel.clone(), PageKind::Section, None),
                "index" if !parent_rel.is_empty() => (
                    parent_rel.clone(),
                    PageKind::Page,
                    path.parent().map(Path::to_path_buf),
                ),
                _ if in_bundle => {
                    others.push(path);
                    continue;
                }
                _ => (join_key(&parent_rel, base), PageKind::Page, None),
            };
            files.push((
                path,
                Found::Markdown {
                    key,
                    lang,
                    kind,
                    bundle,
                },
            ));
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && parent_rel == "facilities"
        {
            let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            files.push((
                path.clone(),
                Found::Facility {
                    key: join_key("facilities", stem),
                },
            ));
        } else if !in_bundle {
            others.push(path);
        }
    }
}

fn join_key(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

/// Splits `wangjing.zh-Hans` into (`wangjing`, Some(`zh-Hans`)) when the suffix looks like a language code.
pub fn split_language(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((base, suffix)) if looks_like_language(suffix) => (base, Some(suffix)),
        _ => (stem, None),
    }
}

fn looks_like_language(suffix: &str) -> bool {
    let mut parts = suffix.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && crate::config::parse_language(suffix).is_some()
}

/// Turns any text into a URL segment: `Wang Jing 望京` → `wang-jing-wang-jing`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "page".to_string()
    } else {
        slug
    }
}

/// Builds one page with a version in every language, or `None` if it is a draft.
fn build_page(
    root: &Path,
    key: &str,
    group: Group,
    config: &Config,
    options: LoadOptions,
    out: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let section = key
        .split('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let parent = match group.kind {
        PageKind::Home => None,
        _ => Some(
            key.rsplit_once('/')
                .map_or(String::new(), |(p, _)| p.to_string()),
        ),
    };
    let written: BTreeMap<String, Written> = match &group.facility {
        Some((file, raw)) => facility_texts(file, raw, config),
        None => group
            .markdown
            .iter()
            .filter(|(_, (_, parsed))| options.drafts || parsed.front_matter.draft != Some(true))
            .map(|(lang, (file, parsed))| {
                (
                    lang.clone(),
                    Written {
                        file: file.clone(),
                        title: parsed.front_matter.title.clone().unwrap_or_default(),
                        summary: parsed.front_matter.summary.clone(),
                        body: parsed.body.clone(),
                        body_line: parsed.body_line,
                        meta: parsed.front_matter.clone(),
                    },
                )
            })
            .collect(),
    };
    if written.is_empty() {
        return None; // every file is a draft, or none parsed
    }
    if group
        .facility
        .as_ref()
        .is_some_and(|(_, raw)| raw.front_matter.draft == Some(true) && !options.drafts)
    {
        return None;
    }
    let shared_lang = if written.contains_key(&config.default_language) {
        config.default_language.clone()
    } else {
        config
            .codes()
            .find(|c| written.contains_key(*c))
            .unwrap_or(&config.default_language)
            .to_string()
    };
    let shared = written
        .get(&shared_lang)
        .or_else(|| written.values().next())?
        .meta
        .clone();
    let main_file = written
        .get(&shared_lang)
        .map(|w| w.file.clone())
        .unwrap_or_default();

    let mut versions = BTreeMap::new();
    for lang in config.codes() {
        let Some((status, from)) = resolve(config, lang, |l| written.contains_key(l)) else {
            continue;
        };
        let source = &written[&from];
        let mut version = Version {
            lang: lang.to_string(),
            status,
            text_lang: from.clone(),
            file: source.file.clone(),
            title: source.title.clone(),
            summary: source.summary.clone(),
            body: source.body.clone(),
            body_line: source.body_line,
            url: String::new(),
            meta: inherit(&source.meta, &shared),
            aliases: if status == Status::Written {
                source.meta.aliases.clone().unwrap_or_default()
            } else {
                Vec::new()
            },
            fields: BTreeMap::new(),
        };
        if status == Status::Derived
            && let Some(direction) = Direction::between(&from, lang)
        {
            version.title = convert::convert(direction, &version.title);
            version.summary = version.summary.map(|s| convert::convert(direction, &s));
            version.body = convert::convert(direction, &version.body);
            version.text_lang = lang.to_string();
        }
        if let Some((_, raw)) = &group.facility {
            version.fields = resolve_fields(raw, config, lang);
            if let Some(name) = version.fields.get("name") {
                version.title = name.text.clone();
            }
            version.summary = version.fields.get("summary").map(|s| s.text.clone());
            version.body = version
                .fields
                .get("description")
                .map(|s| s.text.clone())
                .unwrap_or_default();
        }
        versions.insert(lang.to_string(), version);
    }
    let assets = group
        .bundle
        .as_ref()
        .map(|dir| bundle_assets(root, dir))
        .unwrap_or_default();
    let facility = group.facility.as_ref().map(|(_, raw)| FacilityInfo {
        kind: raw.kind.clone(),
        location: raw.location,
        phone: raw.phone.clone(),
        website: raw.website.clone(),
        languages: raw.languages.clone(),
    });
    if facility.is_some() && key.matches('/').count() > 1 {
        out.push(Diagnostic::error(
            &main_file,
            Position::FILE,
            "content/facility-path",
            "facility files belong directly in content/facilities/",
        ));
    }
    Some(Page {
        key: key.to_string(),
        kind: group.kind,
        section,
        parent,
        file: main_file,
        versions,
        assets,
        facility,
        implicit: false,
    })
}

/// The text of one language as written, before derive and fallback.
struct Written {
    file: String,
    title: String,
    summary: Option<String>,
    body: String,
    body_line: usize,
    meta: FrontMatter,
}

/// A facility's per-language texts: one entry per language that has a `name` or `description`.
fn facility_texts(
    file: &str,
    raw: &facility::RawFacility,
    config: &Config,
) -> BTreeMap<String, Written> {
    let mut out = BTreeMap::new();
    for lang in config.codes() {
        let written = ["name", "description", "summary"]
            .iter()
            .any(|f| raw.fields.get(*f).is_some_and(|m| m.contains_key(lang)));
        if written {
            out.insert(
                lang.to_string(),
                Written {
                    file: file.to_string(),
                    title: String::new(),
                    summary: None,
                    body: String::new(),
                    body_line: 1,
                    meta: raw.front_matter.clone(),
                },
            );
        }
    }
    out
}

/// Resolves each localized facility field for `lang`: written, derived or fallback.
fn resolve_fields(
    raw: &facility::RawFacility,
    config: &Config,
    lang: &str,
) -> BTreeMap<String, LocalText> {
    let mut fields = BTreeMap::new();
    for (name, values) in &raw.fields {
        let Some((status, from)) = resolve(config, lang, |l| values.contains_key(l)) else {
            continue;
        };
        let mut text = LocalText {
            text: values[&from].clone(),
            lang: from.clone(),
            status,
        };
        if status == Status::Derived
            && let Some(direction) = Direction::between(&from, lang)
        {
            text.text = convert::convert(direction, &text.text);
            text.lang = lang.to_string();
        }
        fields.insert(name.clone(), text);
    }
    fields
}

/// Where the text for `lang` comes from: itself, a derive source, the fallback
/// chain, the default language, then any language in site order.
pub fn resolve(
    config: &Config,
    lang: &str,
    available: impl Fn(&str) -> bool,
) -> Option<(Status, String)> {
    if available(lang) {
        return Some((Status::Written, lang.to_string()));
    }
    if let Some(source) = config.derive.get(lang)
        && available(source)
    {
        return Some((Status::Derived, source.clone()));
    }
    config
        .fallback
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(config.default_language.as_str()))
        .chain(config.codes())
        .find(|l| *l != lang && available(l))
        .map(|l| (Status::Fallback, l.to_string()))
}

/// A translation's front matter with the shared non-text keys filled in.
fn inherit(own: &FrontMatter, shared: &FrontMatter) -> FrontMatter {
    FrontMatter {
        title: own.title.clone(),
        summary: own.summary.clone(),
        date: own.date.or(shared.date),
        updated: own.updated.or(shared.updated),
        weight: own.weight.or(shared.weight),
        draft: own.draft,
        slug: own.slug.clone().or_else(|| shared.slug.clone()),
        communities: own
            .communities
            .clone()
            .or_else(|| shared.communities.clone()),
        scenarios: own.scenarios.clone().or_else(|| shared.scenarios.clone()),
        sources: own.sources.clone().or_else(|| shared.sources.clone()),
        aliases: own.aliases.clone().or_else(|| shared.aliases.clone()),
        translated_from: own.translated_from.clone(),
        extra: own.extra.clone().or_else(|| shared.extra.clone()),
    }
}

fn bundle_assets(root: &Path, dir: &Path) -> Vec<(PathBuf, String)> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !crate::theme::is_hidden(e.path()))
        .filter(|e| e.path().extension().is_none_or(|ext| ext != "md"))
        .map(|e| {
            let _ = root;
            (e.path().to_path_buf(), display_path(dir, e.path()))
        })
        .collect()
}

/// Gives every folder that holds pages a section page, if it has none.
fn add_implicit_sections(pages: &mut BTreeMap<String, Page>, config: &Config) {
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
                        body: String::new(),
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
            Page {
                key,
                kind,
                section,
                parent,
                file: String::new(),
                versions,
                assets: Vec::new(),
                facility: None,
                implicit: true,
            },
        );
    }
}

/// Computes every version's URL and reports two pages claiming one URL.
fn assign_urls(site: &mut Site, out: &mut Vec<Diagnostic>) {
    let config = &site.config;
    let mut claimed: BTreeMap<String, (String, String)> = BTreeMap::new();
    let default_slugs: BTreeMap<String, Option<String>> = site
        .pages
        .iter()
        .map(|(key, page)| {
            (
                key.clone(),
                page.versions
                    .get(&config.default_language)
                    .and_then(|v| v.meta.slug.as_ref().map(|s| s.value.clone())),
            )
        })
        .collect();
    for page in site.pages.values_mut() {
        let dirs: Vec<String> = match page.kind {
            PageKind::Home => Vec::new(),
            PageKind::Section => page.key.split('/').map(slugify).collect(),
            PageKind::Page | PageKind::Facility => {
                let mut parts: Vec<&str> = page.key.split('/').collect();
                parts.pop();
                parts.into_iter().map(slugify).collect()
            }
        };
        let file_slug = slugify(page.key.rsplit('/').next().unwrap_or(""));
        for version in page.versions.values_mut() {
            let mut path = format!("/{}/", config.prefix(&version.lang));
            for dir in &dirs {
                path.push_str(dir);
                path.push('/');
            }
            if matches!(page.kind, PageKind::Page | PageKind::Facility) {
                let slug = version
                    .meta
                    .slug
                    .as_ref()
                    .filter(|_| version.status == Status::Written)
                    .map(|s| s.value.clone())
                    .or_else(|| default_slugs.get(&page.key).cloned().flatten())
                    .unwrap_or_else(|| file_slug.clone());
                path.push_str(&slug);
                path.push('/');
            }
            let folded = path.to_lowercase();
            if let Some((other_key, other_file)) = claimed.get(&folded) {
                if other_key != &page.key {
                    out.push(
                        Diagnostic::error(
                            &version.file,
                            Position::FILE,
                            "content/duplicate-url",
                            format!("`{}` and `{other_key}` both claim the URL {path}", page.key),
                        )
                        .with_hint(format!(
                            "the other page is {other_file}; change one `slug` or rename a file"
                        )),
                    );
                }
            } else {
                claimed.insert(folded, (page.key.clone(), version.file.clone()));
            }
            version.url = path;
        }
    }
}

/// Reports communities and scenarios that do not exist, and aliases that try to leave the site.
fn validate_references(site: &Site, out: &mut Vec<Diagnostic>) {
    let communities: BTreeSet<&str> = site
        .pages
        .keys()
        .filter_map(|k| k.strip_prefix("communities/"))
        .filter(|k| !k.contains('/'))
        .collect();
    for page in site.pages.values() {
        for version in page
            .versions
            .values()
            .filter(|v| v.status == Status::Written)
        {
            let own = |v: &Version| v.file.clone();
            if let Some(list) = &version.meta.communities {
                for community in list {
                    if !communities.contains(community.value.as_str()) {
                        let mut d = Diagnostic::error(
                            own(version),
                            community.pos,
                            "content/unknown-community",
                            format!("there is no community `{}`", community.value),
                        );
                        d = match crate::diagnostics::did_you_mean(&community.value, communities.iter().copied()) {
                            Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                            None => d.with_hint("a community is a page content/communities/<slug>.md; name its slug"),
                        };
                        out.push(d);
                    }
                }
            }
            if let Some(list) = &version.meta.scenarios {
                for scenario in list {
                    if !SCENARIOS.contains(&scenario.value.as_str()) {
                        let mut d = Diagnostic::error(
                            own(version),
                            scenario.pos,
                            "content/unknown-scenario",
                            format!("there is no scenario `{}`", scenario.value),
                        );
                        d = match crate::diagnostics::did_you_mean(
                            &scenario.value,
                            SCENARIOS.iter().copied(),
                        ) {
                            Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                            None => d.with_hint(format!("scenarios: {}", SCENARIOS.join(", "))),
                        };
                        out.push(d);
                    }
                }
            }
            for alias in &version.aliases {
                if !is_safe_site_path(&alias.value) {
                    out.push(
                        Diagnostic::error(
                            own(version),
                            alias.pos,
                            "content/alias-path",
                            format!("alias `{}` is not a path inside the site", alias.value),
                        )
                        .with_hint(
                            "write an absolute site path such as /en/old-page/, without `..`",
                        ),
                    );
                }
            }
        }
    }
}

/// Whether `path` is an absolute site path that stays inside the output folder.
pub fn is_safe_site_path(path: &str) -> bool {
    let lowered = path.to_ascii_lowercase();
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && crate::source::first_hidden_char(path).is_none()
        && !lowered.contains("%2e")
        && !lowered.contains("%2f")
        && !lowered.contains("%5c")
        && path
            .split('/')
            .all(|segment| segment != ".." && segment != ".")
}

/// Counts, per language, how many pages fall back to another language.
pub fn missing_translations(site: &Site) -> BTreeMap<String, Vec<&Page>> {
    let mut out: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
    for page in site.pages.values().filter(|p| !p.implicit) {
        for version in page
            .versions
            .values()
            .filter(|v| v.status == Status::Fallback)
        {
            out.entry(version.lang.clone()).or_default().push(page);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffixes() {
        assert_eq!(
            split_language("wangjing.zh-Hans"),
            ("wangjing", Some("zh-Hans"))
        );
        assert_eq!(split_language("wangjing.en"), ("wangjing", Some("en")));
        assert_eq!(split_language("wangjing"), ("wangjing", None));
        assert_eq!(split_language("v1.2"), ("v1.2", None));
        assert_eq!(split_language("_index.ru"), ("_index", Some("ru")));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Wangjing Street"), "wangjing-street");
        assert_eq!(slugify("望京 SOHO"), "wang-jing-soho");
        assert_eq!(slugify("Москва — столица"), "moskva-stolitsa");
        assert_eq!(slugify("///"), "page");
    }

    #[test]
    fn site_paths_that_leave_are_refused() {
        assert!(is_safe_site_path("/en/old/"));
        for bad in [
            "../x",
            "/en/../../etc",
            "/%2e%2e/x",
            "//evil.example/",
            "relative/",
        ] {
            assert!(!is_safe_site_path(bad), "{bad}");
        }
    }

    #[test]
    fn resolution_order() {
        let config = Config::parse("languages: [zh-Hans, zh-Hant, en, ru]\ndefault_language: zh-Hans\nfallback: [en, zh-Hans]\nderive: {zh-Hant: zh-Hans}\n").unwrap();
        let has = |langs: &'static [&'static str]| move |l: &str| langs.contains(&l);
        assert_eq!(
            resolve(&config, "zh-Hant", has(&["zh-Hans", "en"])),
            Some((Status::Derived, "zh-Hans".into()))
        );
        assert_eq!(
            resolve(&config, "ru", has(&["zh-Hans", "en"])),
            Some((Status::Fallback, "en".into()))
        );
        assert_eq!(
            resolve(&config, "ru", has(&["zh-Hans"])),
            Some((Status::Fallback, "zh-Hans".into()))
        );
        assert_eq!(
            resolve(&config, "en", has(&["en"])),
            Some((Status::Written, "en".into()))
        );
        assert_eq!(
            resolve(&config, "zh-Hant", has(&["ru"])),
            Some((Status::Fallback, "ru".into()))
        );
    }
}

/// What an edit to one page changed, for the dev server's quick path.
#[derive(Debug)]
pub enum Reloaded {
    /// Only text that no other page shows (the bodies): the new page replaces the old.
    BodiesOnly(Box<Page>),
    /// Something other pages show (a title, a date, a list of communities…),
    /// or the page could not be reloaded alone: rebuild everything.
    Everything,
}

/// Reloads page `key` from its files after an edit, keeping its URLs.
pub fn reload_page(root: &Path, site: &Site, key: &str, options: LoadOptions) -> Reloaded {
    let Some(old) = site.pages.get(key) else {
        return Reloaded::Everything;
    };
    if old.kind == PageKind::Facility || old.implicit {
        return Reloaded::Everything;
    }
    let mut group = Group::new(old.kind);
    let mut files: Vec<&str> = old
        .versions
        .values()
        .filter(|v| v.status == Status::Written)
        .map(|v| v.file.as_str())
        .collect();
    files.sort_unstable();
    files.dedup();
    for file in files {
        let Some(name) = file.rsplit('/').next().and_then(|n| n.strip_suffix(".md")) else {
            return Reloaded::Everything;
        };
        let lang = split_language(name)
            .1
            .unwrap_or(&site.config.default_language)
            .to_string();
        let Ok(text) = crate::source::read_text(&root.join(file), file, "content") else {
            return Reloaded::Everything;
        };
        let mut problems = Vec::new();
        let Some(parsed) = front_matter::parse(file, &text, &mut problems) else {
            return Reloaded::Everything;
        };
        if !problems.is_empty() {
            return Reloaded::Everything;
        }
        group.markdown.insert(lang, (file.to_string(), parsed));
    }
    let mut problems = Vec::new();
    let Some(mut page) = build_page(root, key, group, &site.config, options, &mut problems) else {
        return Reloaded::Everything;
    };
    if !problems.is_empty() || page.versions.len() != old.versions.len() {
        return Reloaded::Everything;
    }
    for (lang, version) in page.versions.iter_mut() {
        let Some(previous) = old.versions.get(lang) else {
            return Reloaded::Everything;
        };
        let shown_elsewhere = |v: &Version| {
            let mut meta = v.meta.clone();
            meta.translated_from = None;
            (
                v.status,
                v.text_lang.clone(),
                v.title.clone(),
                v.summary.clone(),
                v.file.clone(),
                meta,
                v.aliases.clone(),
            )
        };
        if shown_elsewhere(version) != shown_elsewhere(previous) {
            return Reloaded::Everything;
        }
        version.url = previous.url.clone();
    }
    page.assets = old.assets.clone();
    Reloaded::BodiesOnly(Box::new(page))
}
