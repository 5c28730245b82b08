//! Versions: one page's files in, its [`Version`] in every language out.
//!
//! The default language's file gives the non-text keys the translations
//! inherit; every site language then gets its written text, a machine
//! conversion (`derive`) or a fallback along `fallback`, and localized
//! facility fields resolve the same way, each keeping its real language.

use super::*;
use crate::content::facility::RawFacility;
use crate::diagnostics::Code;

/// Builds one page with a version in every language, or `None` if it is a
/// draft (its default-language file, or every file, is marked `draft: true`).
pub(super) fn build_page(
    root: &Path,
    key: &str,
    group: Group,
    config: &Config,
    options: LoadOptions,
    out: &mut Vec<Diagnostic>,
) -> Option<Page> {
    // A draft default-language file hides the page in every language; a
    // draft translation hides only itself (the fallback takes its place).
    if !options.drafts
        && group
            .markdown
            .get(&config.default_language)
            .is_some_and(|(_, parsed)| parsed.front_matter.draft == Some(true))
    {
        return None;
    }
    let written = written_texts(&group, config, options);
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
    let shared_lang = shared_language(&written, config);
    let shared = written
        .get(&shared_lang)
        .or_else(|| written.values().next())?
        .meta
        .clone();
    let main_file = written
        .get(&shared_lang)
        .map(|w| w.file.clone())
        .unwrap_or_default();
    let raw = group.facility.as_ref().map(|(_, raw)| raw);
    let versions = config
        .codes()
        .filter_map(|lang| {
            let version = version_in(lang, &written, &shared, raw, config)?;
            Some((lang.to_string(), version))
        })
        .collect();
    let assets = group
        .bundle
        .as_ref()
        .map(|dir| bundle_assets(root, dir, out))
        .unwrap_or_default();
    let facility = raw.map(|raw| FacilityInfo {
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
            Code::ContentFacilityPath,
            "facility files belong directly in content/facilities/",
        ));
    }
    Some(Page {
        key: key.to_string(),
        kind: group.kind,
        section: key
            .split('/')
            .next()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        parent: match group.kind {
            PageKind::Home => None,
            _ => Some(
                key.rsplit_once('/')
                    .map_or(String::new(), |(p, _)| p.to_string()),
            ),
        },
        file: main_file,
        versions,
        assets,
        facility,
        implicit: false,
    })
}

/// The texts written for a page, by language: a facility's, or each Markdown
/// file's that is not a draft (unless drafts are built).
fn written_texts(
    group: &Group,
    config: &Config,
    options: LoadOptions,
) -> BTreeMap<String, Written> {
    match &group.facility {
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
                        body: parsed.body.as_str().into(),
                        body_line: parsed.body_line,
                        meta: parsed.front_matter.clone(),
                    },
                )
            })
            .collect(),
    }
}

/// The language whose keys the translations inherit: the default language if
/// it is written, else the first written language in site order.
fn shared_language(written: &BTreeMap<String, Written>, config: &Config) -> String {
    if written.contains_key(&config.default_language) {
        config.default_language.clone()
    } else {
        config
            .codes()
            .find(|c| written.contains_key(*c))
            .unwrap_or(&config.default_language)
            .to_string()
    }
}

/// The page's version in `lang`: its written text, a conversion (`derive`)
/// or a fallback; a facility's fields resolved for `lang`. `None` when no
/// language along the fallback has a text.
fn version_in(
    lang: &str,
    written: &BTreeMap<String, Written>,
    shared: &FrontMatter,
    facility: Option<&RawFacility>,
    config: &Config,
) -> Option<Version> {
    let (status, from) = resolve(config, lang, |l| written.contains_key(l))?;
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
        meta: inherit(&source.meta, shared),
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
        version.body = convert::convert(direction, &version.body).into();
        version.text_lang = lang.to_string();
    }
    if let Some(raw) = facility {
        version.fields = resolve_fields(raw, config, lang);
        if let Some(name) = version.fields.get("name") {
            version.title = name.text.clone();
        }
        version.summary = version.fields.get("summary").map(|s| s.text.clone());
        version.body = version
            .fields
            .get("description")
            .map_or_else(|| "".into(), |s| s.text.as_str().into());
    }
    Some(version)
}

/// The text of one language as written, before derive and fallback.
pub(super) struct Written {
    file: String,
    title: String,
    summary: Option<String>,
    body: std::sync::Arc<str>,
    body_line: usize,
    meta: FrontMatter,
}

/// A facility's per-language texts: one entry per language that has a `name` or `description`.
pub(super) fn facility_texts(
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
                    body: "".into(),
                    body_line: 1,
                    meta: raw.front_matter.clone(),
                },
            );
        }
    }
    out
}

/// Resolves each localized facility field for `lang`: written, derived or fallback.
pub(super) fn resolve_fields(
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
            pos: raw.positions.get(&(name.clone(), from.clone())).copied(),
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
pub(crate) fn resolve(
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
pub(super) fn inherit(own: &FrontMatter, shared: &FrontMatter) -> FrontMatter {
    FrontMatter {
        title: own.title.clone(),
        summary: own.summary.clone(),
        title_pos: own.title_pos,
        summary_pos: own.summary_pos,
        date: own.date.or(shared.date),
        updated: own.updated.or(shared.updated),
        weight: own.weight.or(shared.weight),
        draft: own.draft,
        slug: own.slug.clone().or_else(|| shared.slug.clone()),
        communities: own
            .communities
            .clone()
            .or_else(|| shared.communities.clone()),
        city_wide: false, // set when `all` is expanded, once the site is loaded
        scenarios: own.scenarios.clone().or_else(|| shared.scenarios.clone()),
        sources: own.sources.clone().or_else(|| shared.sources.clone()),
        aliases: own.aliases.clone().or_else(|| shared.aliases.clone()),
        translated_from: own.translated_from.clone(),
        extra: own.extra.clone().or_else(|| shared.extra.clone()),
    }
}
