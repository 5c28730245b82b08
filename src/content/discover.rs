//! Discovery: the files under `content/`, found and parsed.
//!
//! In: the site root and its configuration. Out: every Markdown and facility
//! file with its page key (the path without language suffix and extension,
//! `communities/wangjing`) and language, grouped so translations meet, then
//! parsed; and the co-located files of page bundles. Names that cannot be
//! URLs, symlinks that leave the site and unreadable files become diagnostics.

use super::*;
use crate::diagnostics::Code;
use crate::diagnostics::Suggestion;

/// A file found under `content/`, before parsing.
#[derive(Debug, Clone)]
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

impl Found {
    /// The page key of the file.
    pub(super) fn key(&self) -> &str {
        match self {
            Found::Markdown { key, .. } | Found::Facility { key } => key,
        }
    }
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
                            Code::FrontMatterMissingTitle,
                            "the front matter has no `title`",
                        )
                        .with_hint("add a line `title: …` between the `---` lines"),
                    );
                }
                Parsed::Markdown(Box::new(parsed))
            }
            None => Parsed::Failed,
        },
        Found::Facility { .. } => {
            let before = out.len();
            match facility::parse(display, text, config, out) {
                // Without a name there is nothing to title the page with: the
                // error is reported, and the page is left out.
                Some(_)
                    if out[before..]
                        .iter()
                        .any(|d| d.code == Code::FacilityMissingName) =>
                {
                    Parsed::Failed
                }
                Some(raw) => Parsed::Facility(Box::new(raw)),
                None => Parsed::Failed,
            }
        }
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

/// What the walk of `content/` found: pages and facilities, plain files, and
/// the folders it could not read (relative to `content/`).
pub(super) type Discovered<'a> = (
    &'a mut Vec<(PathBuf, Found)>,
    &'a mut Vec<PathBuf>,
    &'a mut Vec<String>,
);

/// Walks `content/` and sorts each file into pages, facilities and plain
/// files; a folder it cannot read is an error, and noted as unreadable.
pub(super) fn discover(
    root: &Path,
    content_dir: &Path,
    config: &Config,
    (files, others, unreadable): Discovered<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let entries = walk(root, content_dir, unreadable, out);
    let sorter = Sorter {
        root,
        content_dir,
        config,
        bundles: bundle_dirs(&entries),
    };
    for path in entries {
        match sorter.sort(&path, out) {
            Sorted::Page(found) => files.push((path, found)),
            Sorted::Other => others.push(path),
            Sorted::Skipped => {}
        }
    }
}

/// Every file under `content/` in name order, hidden ones left out: a
/// symlink only if it leads to a file inside the site (else an error); a
/// folder that cannot be read is an error and noted in `unreadable`.
fn walk(
    root: &Path,
    content_dir: &Path,
    unreadable: &mut Vec<String>,
    out: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name();
    let mut entries = Vec::new();
    // If the root cannot be resolved, no symlink can be shown to stay inside:
    // every one is refused (the guard fails closed).
    let canonical_root = std::fs::canonicalize(root).ok();
    for entry in walker
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::source::is_hidden(e.path()))
    {
        match entry {
            Ok(entry) if entry.file_type().is_symlink() => {
                let display = display_path(root, entry.path());
                match std::fs::canonicalize(entry.path()) {
                    Ok(target) if stays_inside(canonical_root.as_deref(), &target) => {
                        entries.push(entry.path().to_path_buf());
                    }
                    _ => out.push(
                        Diagnostic::error(
                            display,
                            Position::FILE,
                            Code::ContentSymlink,
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
                if let Some(path) = error.path() {
                    unreadable.push(display_path(content_dir, path));
                }
                out.push(
                    Diagnostic::error(
                        file,
                        Position::FILE,
                        Code::ContentUnreadable,
                        format!("cannot read: {}", plain_io_error(&error)),
                    )
                    .with_hint(
                        "check the permissions: what cannot be read is missing from the site",
                    ),
                );
            }
        }
    }
    entries
}

/// The folders that are page bundles: those holding an `index.<lang>.md`.
fn bundle_dirs(entries: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut bundles = BTreeSet::new();
    for path in entries {
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
    bundles
}

/// What one file of `content/` is.
enum Sorted {
    /// A page's Markdown file or a facility file.
    Page(Found),
    /// A plain file, copied as it is (a bundle's files are copied with their page).
    Other,
    /// Neither: a file reported as an error, or one of a bundle.
    Skipped,
}

/// Sorts the files of one walk of `content/`.
struct Sorter<'a> {
    root: &'a Path,
    content_dir: &'a Path,
    config: &'a Config,
    bundles: BTreeSet<PathBuf>,
}

impl Sorter<'_> {
    /// Sorts `path`: a name with hidden characters or that looks like a page
    /// but is not one is an error; then Markdown, facility or plain file.
    fn sort(&self, path: &Path, out: &mut Vec<Diagnostic>) -> Sorted {
        let display = display_path(self.root, path);
        let relative = display_path(self.content_dir, path);
        if let Some((_, c)) = crate::source::first_hidden_char(&relative) {
            out.push(
                Diagnostic::error(
                    &display,
                    Position::FILE,
                    Code::ContentFileName,
                    format!(
                        "the path holds the invisible or control character U+{:04X}",
                        c as u32
                    ),
                )
                .with_hint("rename the file or folder: paths become URLs, and hidden characters make look-alike URLs"),
            );
            return Sorted::Skipped;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let parent_rel = match relative.rfind('/') {
            Some(i) => &relative[..i],
            None => "",
        };
        let in_bundle = path.ancestors().skip(1).any(|a| self.bundles.contains(a));
        if let Some(diagnostic) = misnamed(&display, name, self.config) {
            out.push(diagnostic);
            return Sorted::Skipped;
        }
        if let Some(stem) = name.strip_suffix(".md") {
            self.markdown(path, &display, stem, parent_rel, in_bundle, out)
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && parent_rel == "facilities"
        {
            let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            Sorted::Page(Found::Facility {
                key: join_key("facilities", stem),
            })
        } else if !in_bundle {
            Sorted::Other
        } else {
            Sorted::Skipped
        }
    }

    /// A Markdown file: its language from the suffix (one not in site.yaml is
    /// an error), its page key and kind from its name and folder.
    fn markdown(
        &self,
        path: &Path,
        display: &str,
        stem: &str,
        parent_rel: &str,
        in_bundle: bool,
        out: &mut Vec<Diagnostic>,
    ) -> Sorted {
        let config = self.config;
        let (base, suffix) = split_language(stem);
        let lang = match suffix {
            None => config.default_language.clone(),
            Some(code) if config.has_language(code) => code.to_string(),
            Some(code) => {
                out.push(
                    Diagnostic::error(
                        display,
                        Position::FILE,
                        Code::ContentUnknownLanguage,
                        format!("the file name names language `{code}`, which is not in site.yaml"),
                    )
                    .suggest(
                        Suggestion::nearest(code, config.codes())
                            .note("(codes are case-sensitive)")
                            .otherwise(format!(
                                "add `{code}` to `languages` in site.yaml, or rename the file"
                            )),
                    ),
                );
                return Sorted::Skipped;
            }
        };
        let (key, kind, bundle) = match base {
            "_index" if parent_rel.is_empty() => (String::new(), PageKind::Home, None),
            "_index" => (parent_rel.to_string(), PageKind::Section, None),
            "index" if !parent_rel.is_empty() => (
                parent_rel.to_string(),
                PageKind::Page,
                path.parent().map(Path::to_path_buf),
            ),
            _ if in_bundle => return Sorted::Other,
            _ => (join_key(parent_rel, base), PageKind::Page, None),
        };
        Sorted::Page(Found::Markdown {
            key,
            lang,
            kind,
            bundle,
        })
    }
}

/// Extensions of Markdown files that signpost does not read as pages.
const OTHER_MARKDOWN: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn"];

/// A file name that looks like a page or a translation but is not one:
/// `page.MD`, `page.markdown`, `page.zh_Hant.md`, `page.EN.md`. Such a file
/// would be copied as it is or become a page of its own, so it is an error
/// with the name it should have.
fn misnamed(display: &str, name: &str, config: &Config) -> Option<Diagnostic> {
    let (stem, extension) = name.rsplit_once('.')?;
    let wrong_extension =
        extension != "md" && OTHER_MARKDOWN.contains(&extension.to_ascii_lowercase().as_str());
    if extension != "md" && !wrong_extension {
        return None;
    }
    let (base, suffix) = match stem.rsplit_once('.') {
        Some((base, suffix)) => (base, Some(suffix)),
        None => (stem, None),
    };
    let fixed_suffix = suffix.and_then(|s| {
        let normal = s.replace('_', "-");
        config
            .codes()
            .find(|code| *code != s && code.eq_ignore_ascii_case(&normal))
    });
    if !wrong_extension && fixed_suffix.is_none() {
        return None;
    }
    let suggestion = match (fixed_suffix, suffix) {
        (Some(code), _) => format!("{base}.{code}.md"),
        (None, Some(suffix)) => format!("{base}.{suffix}.md"),
        (None, None) => format!("{base}.md"),
    };
    let why = if fixed_suffix.is_some() {
        "language codes are written exactly as in site.yaml"
    } else {
        "signpost reads pages from `.md` files only (lower case)"
    };
    Some(
        Diagnostic::error(
            display,
            Position::FILE,
            Code::ContentFileName,
            format!("`{name}` looks like a page but is not named like one"),
        )
        .suggest(Suggestion::of(&suggestion).note(format!("({why})"))),
    )
}

/// Whether a symlink's resolved `target` is a file inside the resolved site
/// root; `false` when the root could not be resolved (fail closed).
fn stays_inside(canonical_root: Option<&Path>, target: &Path) -> bool {
    canonical_root.is_some_and(|root| !root.as_os_str().is_empty() && target.starts_with(root))
        && target.is_file()
}

pub(super) fn join_key(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

/// Splits `wangjing.zh-Hans` into (`wangjing`, Some(`zh-Hans`)) when the suffix looks like a language code.
pub(crate) fn split_language(stem: &str) -> (&str, Option<&str>) {
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
pub(crate) fn slugify(text: &str) -> String {
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

/// The co-located files of a page bundle: (absolute path, path relative to
/// the bundle). A part of the folder that cannot be read is an error.
pub(super) fn bundle_assets(
    root: &Path,
    dir: &Path,
    out: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let mut assets = Vec::new();
    // Hidden folders (`.thumbs/`, `.git/`) are skipped whole, like hidden files.
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::source::is_hidden(e.path()));
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if e.path().extension().is_none_or(|ext| ext != "md") {
                    assets.push((e.path().to_path_buf(), display_path(dir, e.path())));
                }
            }
            Ok(_) => {}
            Err(error) => {
                let file = error
                    .path()
                    .map_or_else(|| display_path(root, dir), |p| display_path(root, p));
                out.push(
                    Diagnostic::error(
                        file,
                        Position::FILE,
                        Code::ContentUnreadable,
                        format!("cannot read the page's folder: {}", plain_io_error(&error)),
                    )
                    .with_hint(
                        "check the folder's permissions; its files would be missing from the site",
                    ),
                );
            }
        }
    }
    assets
}

/// A walk error in plain words (the OS's message, without the library's wrapping).
pub(crate) fn plain_io_error(error: &walkdir::Error) -> String {
    error
        .io_error()
        .map_or_else(|| error.to_string(), std::string::ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_symlink_guard_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "x").unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let target = std::fs::canonicalize(&file).unwrap();
        assert!(stays_inside(Some(&root), &target));
        assert!(
            !stays_inside(None, &target),
            "an unresolved root lets nothing through"
        );
        assert!(!stays_inside(Some(Path::new("")), &target));
        assert!(!stays_inside(Some(Path::new("/nonexistent")), &target));
    }

    #[test]
    fn misnamed_translations_get_a_did_you_mean() {
        let config = Config::parse("languages: [zh-Hans, zh-Hant, en]\n").unwrap();
        let hint = |name: &str| misnamed("content/x", name, &config).and_then(|d| d.hint);
        assert!(
            hint("page.zh_Hant.md")
                .unwrap()
                .contains("`page.zh-Hant.md`")
        );
        assert!(hint("page.EN.md").unwrap().contains("`page.en.md`"));
        assert!(hint("page.MD").unwrap().contains("`page.md`"));
        assert!(hint("page.en.markdown").unwrap().contains("`page.en.md`"));
        assert_eq!(hint("page.en.md"), None);
        assert_eq!(hint("notes.v1.md"), None);
        assert_eq!(hint("map.png"), None);
    }
}
