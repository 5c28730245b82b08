//! Discovery: the files under `content/`, found and parsed.
//!
//! In: the site root and its configuration. Out: every Markdown and facility
//! file with its page key (the path without language suffix and extension,
//! `communities/wangjing`) and language, grouped so translations meet, then
//! parsed; and the co-located files of page bundles. Names that cannot be
//! URLs, symlinks that leave the site and unreadable files become diagnostics.

use super::*;

/// A file found under `content/`, before parsing.
#[derive(Debug)]
pub(super) enum Found {
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

/// What one file parsed into.
pub(super) enum Parsed {
    Markdown(Box<front_matter::Parsed>),
    Facility(Box<facility::RawFacility>),
    Failed,
}

pub(super) fn parse_file(
    display: &str,
    text: &str,
    found: &Found,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Parsed {
    super::placeholder::check(display, text, out);
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
pub(super) struct Group {
    pub(super) kind: PageKind,
    pub(super) markdown: BTreeMap<String, (String, front_matter::Parsed)>,
    pub(super) facility: Option<(String, facility::RawFacility)>,
    pub(super) bundle: Option<PathBuf>,
}

impl Group {
    pub(super) fn new(kind: PageKind) -> Self {
        Group {
            kind,
            markdown: BTreeMap::new(),
            facility: None,
            bundle: None,
        }
    }
}

/// Walks `content/` and sorts each file into pages, facilities and plain files.
pub(super) fn discover(
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
        .filter_entry(|e| e.depth() == 0 || !crate::source::is_hidden(e.path()))
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

pub(super) fn join_key(parent: &str, name: &str) -> String {
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

pub(super) fn looks_like_language(suffix: &str) -> bool {
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

pub(super) fn bundle_assets(root: &Path, dir: &Path) -> Vec<(PathBuf, String)> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !crate::source::is_hidden(e.path()))
        .filter(|e| e.path().extension().is_none_or(|ext| ext != "md"))
        .map(|e| {
            let _ = root;
            (e.path().to_path_buf(), display_path(dir, e.path()))
        })
        .collect()
}
