//! Output: rendered pages, assets and generated files in; a published folder out.
//!
//! Steps: fingerprint the theme's CSS and JS (`signage.<hash>.css`) and
//! minify the CSS (pages come minified out of their compacted templates), add
//! the sitemap, Atom feeds, robots.txt, bundle assets, static files and the
//! offline files ([`offline`]) into one in-memory [`Output`] (sorted, so bytes
//! are deterministic), then [`Output::publish`] writes it into a sibling staging
//! folder and swaps it in only when everything was written: a failed build
//! never harms the last good output.
//!
//! The swap is one atomic `renameat2(RENAME_EXCHANGE)` on Linux, so a build
//! killed at any moment leaves either the old or the new output whole at the
//! output path. Elsewhere (or on a file system without it) the old folder is
//! renamed aside and the new one into place; a build killed between those two
//! renames leaves the old folder aside, and the next publish puts it back
//! before doing anything else.

pub(crate) mod feeds;
pub(crate) mod offline;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use xxhash_rust::xxh3::xxh3_64;

use crate::diagnostics::{Code, Diagnostic, Position};

/// Every file of the built site, by path relative to the output root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Output {
    /// Path (`en/index.html`) → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Adds (or replaces) a file.
    pub(crate) fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// Writes every file under `dir`, atomically replacing what was there.
    #[cfg(test)]
    pub(crate) fn publish(&self, dir: &Path) -> Result<(), Diagnostic> {
        let staging = Staging::begin(dir)?;
        let sink = Sink::folder(staging);
        use rayon::prelude::*;
        self.files
            .par_iter()
            .for_each(|(path, bytes)| sink.put(path.clone(), bytes.clone()));
        sink.finish().publish()
    }
}

/// Where finished files go as soon as they are made: kept in memory (the dev
/// server), written into a staging folder (a build), or only counted (a check).
/// `put` may be called from many threads at once.
#[derive(Debug)]
pub(crate) struct Sink {
    destination: Destination,
    /// Every path put so far, with a hash of its bytes (for the offline
    /// list's version) and its length.
    written: Mutex<BTreeMap<String, (u64, usize)>>,
    /// In memory: the files themselves.
    memory: Mutex<Output>,
    /// The first write that failed.
    failure: Mutex<Option<(String, std::io::Error)>>,
}

#[derive(Debug)]
enum Destination {
    Memory,
    Folder(Staging),
    Nowhere,
}

/// What a [`Sink`] holds when the build is over.
#[derive(Debug)]
pub(crate) struct Finished {
    /// Every path written, with a hash of its bytes and its length.
    pub written: BTreeMap<String, (u64, usize)>,
    /// The files, when they were kept in memory.
    pub output: Output,
    staging: Option<Staging>,
    failure: Option<Diagnostic>,
}

impl Sink {
    /// Keeps every file in memory.
    pub(crate) fn memory() -> Self {
        Self::with(Destination::Memory)
    }

    /// Writes every file into `staging` as it comes.
    pub(crate) fn folder(staging: Staging) -> Self {
        Self::with(Destination::Folder(staging))
    }

    /// Writes nothing, only records the paths (for `check`).
    pub(crate) fn nowhere() -> Self {
        Self::with(Destination::Nowhere)
    }

    fn with(destination: Destination) -> Self {
        Sink {
            destination,
            written: Mutex::default(),
            memory: Mutex::default(),
            failure: Mutex::default(),
        }
    }

    /// Adds (or replaces) a file.
    pub(crate) fn put(&self, path: String, bytes: impl Into<Vec<u8>>) {
        let bytes = bytes.into();
        let hash = (xxh3_64(&bytes), bytes.len());
        match &self.destination {
            Destination::Memory => {
                lock(&self.memory).add(path.clone(), bytes);
            }
            Destination::Folder(staging) => {
                if let Err(error) = staging.write(&path, &bytes) {
                    lock(&self.failure).get_or_insert((path.clone(), error));
                }
            }
            Destination::Nowhere => {}
        }
        lock(&self.written).insert(path, hash);
    }

    /// Puts a file unless its bytes are those of `earlier` (its hash and
    /// length in an earlier build): then it is only counted, as [`Sink::keep`]
    /// does, so that the dev server sends only files whose bytes changed.
    pub(crate) fn put_changed(&self, path: String, bytes: Vec<u8>, earlier: Option<&(u64, usize)>) {
        let hash = (xxh3_64(&bytes), bytes.len());
        if earlier == Some(&hash) {
            self.keep(path, hash);
        } else {
            self.put(path, bytes);
        }
    }

    /// Counts a file kept from an earlier build without putting it again (the
    /// dev server's incremental path), so that the offline lists and the
    /// checks of links see it.
    pub(crate) fn keep(&self, path: String, hash: (u64, usize)) {
        lock(&self.written).insert(path, hash);
    }

    /// Every path put so far, with a hash of its bytes and its length, in path order.
    pub(crate) fn written(&self) -> BTreeMap<String, (u64, usize)> {
        lock(&self.written).clone()
    }

    /// Ends the writing.
    pub(crate) fn finish(self) -> Finished {
        let failure = self.failure.into_inner().unwrap_or_else(|e| e.into_inner());
        let (staging, failure) = match self.destination {
            Destination::Folder(staging) => {
                let failure = failure
                    .map(|(path, error)| staging.failure(format!("cannot write {path}"), error));
                (Some(staging), failure)
            }
            _ => (None, None),
        };
        Finished {
            written: self.written.into_inner().unwrap_or_else(|e| e.into_inner()),
            output: self.memory.into_inner().unwrap_or_else(|e| e.into_inner()),
            staging,
            failure,
        }
    }
}

impl Finished {
    /// Swaps the staging folder in place of the output folder; with nothing
    /// staged (memory, check) there is nothing to do. A failed write removes
    /// the staging folder and leaves the old output whole.
    pub(crate) fn publish(mut self) -> Result<(), Diagnostic> {
        let Some(staging) = self.staging.take() else {
            return Ok(());
        };
        match self.failure.take() {
            Some(failure) => {
                staging.abandon();
                Err(failure)
            }
            None => staging.commit(),
        }
    }

    /// Removes the staging folder, if any: the old output stays as it was.
    pub(crate) fn abandon(mut self) {
        if let Some(staging) = self.staging.take() {
            staging.abandon();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A staging folder beside the output folder: filled during the build, then
/// swapped in whole ([`Staging::commit`]) or removed ([`Staging::abandon`]).
#[derive(Debug)]
pub(crate) struct Staging {
    /// The output folder.
    dir: PathBuf,
    /// `.<name>.signpost-new` beside it.
    staging: PathBuf,
    /// `.<name>.signpost-old` beside it (the fallback swap's parking place).
    previous: PathBuf,
}

impl Staging {
    /// Prepares an empty staging folder beside `dir`, first repairing a swap
    /// that an earlier, killed build left half done.
    pub(crate) fn begin(dir: &Path) -> Result<Self, Diagnostic> {
        if dir.exists() && !dir.is_dir() {
            return Err(failure(
                dir,
                "the output path is a file, not a folder".to_string(),
                std::io::ErrorKind::AlreadyExists.into(),
            ));
        }
        let name = dir.file_name().map_or_else(
            || "public".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let fail = |what: String, error| failure(dir, what, error);
        std::fs::create_dir_all(&parent)
            .map_err(|e| fail(format!("cannot create {}", parent.display()), e))?;
        let staging = parent.join(format!(".{name}.signpost-new"));
        let previous = parent.join(format!(".{name}.signpost-old"));
        if !dir.exists() && previous.is_dir() {
            // An earlier publish was stopped between its two renames: restore.
            std::fs::rename(&previous, dir)
                .map_err(|e| fail(format!("cannot restore {}", previous.display()), e))?;
        }
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .map_err(|e| fail(format!("cannot clear {}", staging.display()), e))?;
        }
        std::fs::create_dir_all(&staging)
            .map_err(|e| fail(format!("cannot create {}", staging.display()), e))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            staging,
            previous,
        })
    }

    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let target = self.staging.join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(&target, bytes)
    }

    fn failure(&self, what: String, error: std::io::Error) -> Diagnostic {
        failure(&self.dir, what, error)
    }

    /// Removes the staging folder.
    pub(crate) fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }

    /// Swaps the staging folder in place of the output folder.
    pub(crate) fn commit(self) -> Result<(), Diagnostic> {
        let Staging {
            dir,
            staging,
            previous,
        } = self;
        let fail = |what: String, error| failure(&dir, what, error);
        if dir.is_dir() {
            match exchange(&staging, &dir) {
                Ok(()) => {
                    let _ = std::fs::remove_dir_all(&staging);
                    return Ok(());
                }
                Err(error) if error.kind() == std::io::ErrorKind::Unsupported => {}
                Err(error) => {
                    let _ = std::fs::remove_dir_all(&staging);
                    return Err(fail(
                        "cannot swap the new output into place".to_string(),
                        error,
                    ));
                }
            }
        }
        if dir.exists() {
            if previous.exists() {
                std::fs::remove_dir_all(&previous)
                    .map_err(|e| fail(format!("cannot clear {}", previous.display()), e))?;
            }
            std::fs::rename(&dir, &previous).map_err(|e| {
                fail(
                    format!("cannot move the old output aside to {}", previous.display()),
                    e,
                )
            })?;
        }
        if let Err(error) = std::fs::rename(&staging, &dir) {
            let _ = std::fs::rename(&previous, &dir);
            return Err(fail(
                "cannot move the new output into place".to_string(),
                error,
            ));
        }
        let _ = std::fs::remove_dir_all(&previous);
        Ok(())
    }
}

/// An `output/write` error about the output folder `dir`.
fn failure(dir: &Path, what: String, error: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        dir.display().to_string(),
        Position::FILE,
        Code::OutputWrite,
        format!("{what}: {error}"),
    )
    .with_hint("check that the output folder's parent exists, is writable and has free space")
}

/// Swaps two folders in one atomic step; `Unsupported` where that cannot be done.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {
            Err(std::io::ErrorKind::Unsupported.into())
        }
        Err(errno) => Err(errno.into()),
    }
}

/// Swaps two folders in one atomic step; `Unsupported` where that cannot be done.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Theme static files after fingerprinting.
#[derive(Debug, Clone, Default)]
pub(crate) struct Assets {
    /// Asset name (`signage.css`) → site path (`/signage.1a2b3c4d.css`).
    pub paths: BTreeMap<String, String>,
    /// The files to write: (path in the output, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Names CSS and JS files by their content (`signage.css` → `signage.1a2b3c4d.css`).
pub(crate) fn fingerprint(static_files: &BTreeMap<String, Vec<u8>>) -> Assets {
    let mut map = BTreeMap::new();
    let mut files = Vec::new();
    for (name, bytes) in static_files {
        let path = match name.rsplit_once('.') {
            Some((stem, ext)) if ext == "css" || ext == "js" => {
                format!("{stem}.{:08x}.{ext}", xxh3_64(bytes) as u32)
            }
            _ => name.clone(),
        };
        let bytes = match std::str::from_utf8(bytes) {
            Ok(css) if name.ends_with(".css") => minify_css(css).into_bytes(),
            _ => bytes.clone(),
        };
        map.insert(name.clone(), format!("/{path}"));
        files.push((path, bytes));
    }
    Assets { paths: map, files }
}

/// Minifies a style sheet without parsing it: drops comments, folds each run
/// of white space into one space and drops the spaces beside `{`, `}`, `;`
/// and `,`. Strings are kept as written; a space that may mean something
/// (`a :hover`, `calc(1rem - 2px)`) stays.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    let tight = |c: char| matches!(c, '{' | '}' | ';' | ',');
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            '"' | '\'' => {
                if pending_space && !out.is_empty() && !out.ends_with(tight) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
                let mut escaped = false;
                for inner in chars.by_ref() {
                    out.push(inner);
                    if escaped {
                        escaped = false;
                    } else if inner == '\\' {
                        escaped = true;
                    } else if inner == c {
                        break;
                    }
                }
            }
            c => {
                if pending_space && !out.is_empty() && !out.ends_with(tight) && !tight(c) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// The text of robots.txt: everything allowed, and where the sitemap is.
pub(crate) fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

/// Escapes text for XML.
pub(crate) fn xml_escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_the_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let mut first = Output::default();
        first.add("a/index.html", "one");
        first.add("old.txt", "old");
        first.publish(&public).unwrap();
        let mut second = Output::default();
        second.add("a/index.html", "two");
        second.publish(&public).unwrap();
        assert_eq!(
            std::fs::read_to_string(public.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!public.join("old.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let mut first = Output::default();
        first.add("index.html", "good");
        first.publish(&public).unwrap();
        let mut bad = Output::default();
        bad.add("index.html", "new");
        bad.add("index.html/child", "cannot write under a file");
        assert!(bad.publish(&public).is_err());
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "good"
        );
    }

    #[test]
    fn an_interrupted_swap_is_repaired_by_the_next_publish() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let mut first = Output::default();
        first.add("index.html", "good");
        first.publish(&public).unwrap();
        // As if killed between "move the old aside" and "move the new in".
        std::fs::rename(&public, dir.path().join(".public.signpost-old")).unwrap();
        let mut broken = Output::default();
        broken.add("index.html/child", "cannot write under a file");
        broken.add("index.html", "x");
        assert!(broken.publish(&public).is_err());
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "good"
        );
    }

    #[test]
    fn style_sheets_lose_comments_and_spare_space_only() {
        let css = "/* the look */\n:root {\n  --ink: #14213d; /* text */\n}\n\n.a :hover, .b  >  .c {\n  content: \"› /* no comment */\" / \"\";\n  width: calc(100vw - 1rem);\n}\n";
        assert_eq!(
            minify_css(css),
            ":root{--ink: #14213d;}.a :hover,.b > .c{content: \"› /* no comment */\" / \"\";width: calc(100vw - 1rem);}"
        );
    }

    #[test]
    fn fingerprints_follow_content() {
        let mut files = BTreeMap::new();
        files.insert("signage.css".to_string(), b"body{}".to_vec());
        files.insert("logo.svg".to_string(), b"<svg/>".to_vec());
        let map = fingerprint(&files).paths;
        assert!(
            map["signage.css"].starts_with("/signage.") && map["signage.css"].ends_with(".css")
        );
        assert_eq!(map["logo.svg"], "/logo.svg");
    }
}
