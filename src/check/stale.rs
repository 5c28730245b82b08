//! Stale translations, and `check --stamp`.
//!
//! A translation is stale when its source (the default-language file) changed
//! since it was translated. Three ways to tell, first match wins:
//! 1. `translated_from` (stamped by `signpost check --stamp`): the hash of the
//!    source text it was made from differs from the source's hash now — works
//!    in a shallow clone;
//! 2. the source's `updated` date is newer than the translation's `updated`
//!    (or `date`);
//! 3. git history, where there is one: the source's last commit is newer than
//!    the translation's.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use xxhash_rust::xxh3::xxh3_64;

use crate::content::{Page, PageKind, Site, Status, Version};
use crate::diagnostics::{Code, Diagnostic, Position};

/// The hash a translation records in `translated_from`: the source's title, summary and body.
pub(crate) fn source_hash(source: &Version) -> String {
    let text = format!(
        "{}\n{}\n{}",
        source.title.trim(),
        source.summary.as_deref().unwrap_or("").trim(),
        source.body.trim()
    );
    format!("{:016x}", xxh3_64(text.as_bytes()))
}

/// Why a translation is stale, if it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Staleness {
    /// `translated_from` names another version of the source.
    Hash {
        /// What the translation records.
        recorded: String,
        /// The source's hash now.
        current: String,
    },
    /// The source's `updated` is newer.
    Updated {
        /// The source's date.
        source: jiff::civil::Date,
        /// The translation's date.
        translation: jiff::civil::Date,
    },
    /// The source was committed after the translation.
    Git,
}

/// Every written translation with its written default-language source.
fn translations(site: &Site) -> impl Iterator<Item = (&Page, &Version, &Version)> {
    let default = site.config.default_language.as_str();
    site.pages
        .values()
        .filter(|p| p.kind != PageKind::Facility && !p.implicit)
        .flat_map(move |page| {
            let page: &Page = page;
            let source = page
                .version(default)
                .filter(|v| v.status == Status::Written);
            page.versions
                .values()
                .filter(move |v| v.status == Status::Written && v.lang != default)
                .filter_map(move |version| Some((page, source?, version)))
        })
}

/// Every stale translation: (page key, language) → why.
pub(crate) fn find(site: &Site, root: &Path) -> BTreeMap<(String, String), Staleness> {
    find_among(site, &last_commits(root), &|_| true)
}

/// The stale translations of the pages whose key `wanted` accepts, with the
/// last commit time of each file (from [`last_commits`]).
pub(crate) fn find_among(
    site: &Site,
    commits: &BTreeMap<String, i64>,
    wanted: &dyn Fn(&str) -> bool,
) -> BTreeMap<(String, String), Staleness> {
    let mut stale = BTreeMap::new();
    for (page, source, version) in translations(site).filter(|(p, _, _)| wanted(&p.key)) {
        let current = source_hash(source);
        let why = if let Some(recorded) = &version.meta.translated_from {
            (recorded != &current).then(|| Staleness::Hash {
                recorded: recorded.clone(),
                current: current.clone(),
            })
        } else if let (Some(source_date), Some(own)) =
            (source_own_updated(source), own_date(version))
        {
            (source_date > own).then_some(Staleness::Updated {
                source: source_date,
                translation: own,
            })
        } else {
            match (commits.get(&source.file), commits.get(&version.file)) {
                (Some(source_time), Some(own_time)) if source_time > own_time => {
                    Some(Staleness::Git)
                }
                _ => None,
            }
        };
        if let Some(why) = why {
            stale.insert((page.key.clone(), version.lang.clone()), why);
        }
    }
    stale
}

fn source_own_updated(source: &Version) -> Option<jiff::civil::Date> {
    source.meta.updated
}

/// The translation's own `updated`, else its `date` (inherited values do not count).
fn own_date(version: &Version) -> Option<jiff::civil::Date> {
    version.meta.updated.or(version.meta.date)
}

/// Warnings for stale translations, at the translation's file.
pub(crate) fn report(
    site: &Site,
    stale: &BTreeMap<(String, String), Staleness>,
    out: &mut Vec<Diagnostic>,
) {
    let config = &site.config;
    for ((key, lang), why) in stale {
        let Some(page) = site.pages.get(key) else {
            continue;
        };
        let (Some(version), Some(source)) =
            (page.version(lang), page.version(&config.default_language))
        else {
            continue;
        };
        let message = match why {
            Staleness::Hash { recorded, current } => format!(
                "the {} source ({}) changed since this translation was made (translated_from {recorded}, now {current})",
                config.default_language, source.file
            ),
            Staleness::Updated {
                source: s,
                translation: t,
            } => {
                format!(
                    "the {} source ({}) was updated on {s}, after this translation ({t})",
                    config.default_language, source.file
                )
            }
            Staleness::Git => format!(
                "the {} source ({}) was committed after this translation",
                config.default_language, source.file
            ),
        };
        out.push(
            Diagnostic::warning(
                &version.file,
                version.meta.title_pos.unwrap_or(Position::new(1, 1)),
                Code::TranslationStale,
                message,
            )
            .with_hint("bring the translation up to date, then run `signpost check --stamp`"),
        );
    }
}

/// The last commit time of every file under `content/`, by site-relative path; empty without git.
pub(crate) fn last_commits(root: &Path) -> BTreeMap<String, i64> {
    let mut times = BTreeMap::new();
    let Ok(prefix) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-prefix"])
        .output()
    else {
        return times;
    };
    if !prefix.status.success() {
        return times;
    }
    let prefix = String::from_utf8_lossy(&prefix.stdout).trim().to_string();
    let Ok(log) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--format=%x00%ct",
            "--name-only",
            "--no-renames",
            "--",
            "content",
        ])
        .output()
    else {
        return times;
    };
    let mut current: i64 = 0;
    for line in String::from_utf8_lossy(&log.stdout).lines() {
        if let Some(stamp) = line.strip_prefix('\0') {
            current = stamp.trim().parse().unwrap_or(0);
        } else if !line.is_empty() {
            let path = line.strip_prefix(&prefix).unwrap_or(line).to_string();
            times.entry(path).or_insert(current);
        }
    }
    times
}

/// What `check --stamp` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stamped {
    /// The translations whose `translated_from` was written.
    pub stamped: Vec<String>,
    /// Stale translations left alone (only when no file was named).
    pub left_stale: Vec<String>,
}

/// Why `check --stamp` could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StampError {
    /// The site has errors, or a file could not be read or written.
    Content(Vec<Diagnostic>),
    /// A named file is not a translation of the site (a usage error).
    Usage(String),
}

/// Writes `translated_from: <hash of the source now>` into translations.
///
/// With `files` (site-relative paths), exactly those translations are
/// stamped, stale or not: the editor says they are up to date. Without, every
/// translation that is not stale is stamped and the stale ones are left, so a
/// stamp never hides a translation that still needs work.
pub(crate) fn stamp(site: &Site, root: &Path, files: &[String]) -> Result<Stamped, StampError> {
    let all: Vec<(&Page, &Version, &Version)> = translations(site).collect();
    for file in files {
        if !all.iter().any(|(_, _, v)| &v.file == file) {
            let is_source = all.iter().any(|(_, s, _)| &s.file == file);
            return Err(StampError::Usage(if is_source {
                format!(
                    "{file} is the {} source, not a translation; name its translations",
                    site.config.default_language
                )
            } else {
                format!(
                    "{file} is not a written translation of a page (name files as content/<section>/<slug>.<lang>.md)"
                )
            }));
        }
    }
    let stale = if files.is_empty() {
        find(site, root)
    } else {
        BTreeMap::new()
    };
    let mut done = Stamped::default();
    for (page, source, version) in all {
        if !files.is_empty() && !files.contains(&version.file) {
            continue;
        }
        if stale.contains_key(&(page.key.clone(), version.lang.clone())) {
            done.left_stale.push(version.file.clone());
            continue;
        }
        let hash = source_hash(source);
        if version.meta.translated_from.as_deref() == Some(hash.as_str()) {
            continue;
        }
        write_stamp(root, &version.file, &hash).map_err(|e| StampError::Content(vec![e]))?;
        done.stamped.push(version.file.clone());
    }
    Ok(done)
}

fn write_stamp(root: &Path, file: &str, hash: &str) -> Result<(), Diagnostic> {
    let fail = |message: String| {
        Diagnostic::error(file, Position::new(1, 1), Code::TranslationStamp, message)
    };
    let path = root.join(file);
    let text =
        std::fs::read_to_string(&path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let stamped = set_translated_from(&text, hash)
        .ok_or_else(|| fail("the file has no front matter to stamp".to_string()))?;
    std::fs::write(&path, stamped).map_err(|e| fail(format!("cannot write the file: {e}")))
}

/// Sets (or replaces) the `translated_from` line of a Markdown file's front matter.
pub(crate) fn set_translated_from(text: &str, hash: &str) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let first = lines.first()?.trim_start_matches('\u{feff}').trim_end();
    if first != "---" {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| l.trim_end() == "---")? + 1;
    let entry = format!("translated_from: \"{hash}\"{newline}");
    match lines[1..close]
        .iter()
        .position(|l| l.starts_with("translated_from:"))
    {
        Some(i) => lines[i + 1] = &entry,
        None => lines.insert(close, &entry),
    }
    Some(lines.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamping_inserts_or_replaces() {
        let text = "---\ntitle: A\n---\nBody\n";
        let once = set_translated_from(text, "abc").unwrap();
        assert_eq!(once, "---\ntitle: A\ntranslated_from: \"abc\"\n---\nBody\n");
        let twice = set_translated_from(&once, "def").unwrap();
        assert_eq!(
            twice,
            "---\ntitle: A\ntranslated_from: \"def\"\n---\nBody\n"
        );
        assert!(set_translated_from("no front matter", "x").is_none());
    }
}
