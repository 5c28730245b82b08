//! The helpers of every test module, and only helpers: `SiteTest` copies a
//! fixture site to a temporary folder, runs the real `signpost` binary on it
//! and inspects what it wrote; the functions below read its diagnostics
//! (`json`, `find`), check a run did not panic, and compare output folders.

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};
use serde_json::Value;

/// A fixture site copied into its own temporary folder.
pub(crate) struct SiteTest {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub(crate) fn from_fixture(name: &str) -> SiteTest {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        assert!(source.is_dir(), "no fixture {}", source.display());
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&source, dir.path());
        SiteTest { dir }
    }

    /// Copies the guide itself (site.yaml, content/, i18n/…) into a fresh temporary folder.
    pub(crate) fn from_guide() -> SiteTest {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        for folder in ["content", "i18n", "templates", "static", "themes"] {
            if repo.join(folder).is_dir() {
                std::fs::create_dir_all(dir.path().join(folder)).unwrap();
                copy_dir(&repo.join(folder), &dir.path().join(folder));
            }
        }
        SiteTest { dir }
    }

    /// The site's folder.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `signpost <args> --root <site>`.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("CI", "true")
            .output()
            .unwrap()
            .into()
    }

    /// Builds and asserts success.
    pub(crate) fn build(&self) -> &Self {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        self
    }

    /// Writes (or replaces) a file of the site.
    pub(crate) fn write(&self, path: &str, text: &str) -> &Self {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
        self
    }

    /// Writes (or replaces) a file of the site with raw bytes, which need not
    /// be UTF-8.
    pub(crate) fn write_bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
        self
    }

    /// The path of an output file.
    pub(crate) fn output_path(&self, path: &str) -> PathBuf {
        self.root()
            .join("public")
            .join(path.trim_start_matches('/'))
    }

    /// An output file's text; fails the test if it is missing.
    pub(crate) fn file(&self, path: &str) -> String {
        let target = self.output_path(path);
        std::fs::read_to_string(&target).unwrap_or_else(|e| panic!("{}: {e}", target.display()))
    }

    /// An output page parsed as HTML.
    pub(crate) fn page(&self, path: &str) -> Page {
        Page {
            html: Html::parse_document(&self.file(path)),
        }
    }
}

/// A parsed HTML page.
pub(crate) struct Page {
    pub html: Html,
}

impl Page {
    /// Every element matching `css`.
    pub(crate) fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html.select(&selector).collect()
    }

    /// The `href` of every element matching `css`, in document order.
    pub(crate) fn links(&self, css: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    }

    /// The one element matching `css`.
    pub(crate) fn one(&self, css: &str) -> scraper::ElementRef<'_> {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}",
            found.len()
        );
        found[0]
    }

    /// An attribute of the one element matching `css`.
    pub(crate) fn attr(&self, css: &str, name: &str) -> String {
        self.one(css)
            .value()
            .attr(name)
            .unwrap_or_else(|| panic!("`{css}` has no `{name}`"))
            .to_string()
    }

    /// The text of the whole page.
    pub(crate) fn text(&self) -> String {
        self.html.root_element().text().collect::<Vec<_>>().join("")
    }

    /// `hreflang` → `href` of every `<link rel=alternate hreflang>`.
    pub(crate) fn alternates(&self) -> Vec<(String, String)> {
        self.all("link[rel=alternate][hreflang]")
            .iter()
            .map(|e| {
                (
                    e.value().attr("hreflang").unwrap().to_string(),
                    e.value().attr("href").unwrap().to_string(),
                )
            })
            .collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            out.push((
                path.strip_prefix(root).unwrap().display().to_string(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
}

/// The diagnostic with `code` about `file`; fails the test, listing all, if there is none.
pub(crate) fn find<'a>(list: &'a [Value], code: &str, file: &str) -> &'a Value {
    list.iter()
        .find(|d| d["code"] == code && d["file"] == file)
        .unwrap_or_else(|| {
            panic!(
                "no {code} in {file}; got:\n{}",
                serde_json::to_string_pretty(list).unwrap()
            )
        })
}

/// Fails on any sign of a panic: exit code 101 or panic text on stderr.
pub(crate) fn assert_no_panic(run: &Run) {
    assert_ne!(run.code, 101, "signpost panicked:\n{}", run.stderr);
    for sign in ["panicked", "RUST_BACKTRACE", "stack overflow"] {
        assert!(
            !run.stderr.contains(sign),
            "`{sign}` on stderr:\n{}",
            run.stderr
        );
    }
}

/// Runs `command --format json`, checks it did not panic, and parses the
/// diagnostics: (exit code, the list).
pub(crate) fn json(site: &SiteTest, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = site.run(&all);
    assert_no_panic(&run);
    let parsed: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        )
    });
    (run.code, parsed.as_array().unwrap().clone())
}

/// Builds the good `hostile/base` site, lets `harm` damage it, builds again
/// and checks that the build failed with exit code 1 and the published output
/// is byte-for-byte what the good build wrote. Returns the site and the failed
/// build's diagnostics.
pub(crate) fn fails_and_keeps_output(harm: impl FnOnce(&SiteTest)) -> (SiteTest, Vec<Value>) {
    let site = SiteTest::from_fixture("hostile/base");
    site.build();
    let before = snapshot(&site.root().join("public"));
    assert!(before.len() > 10, "the good build wrote a site");
    harm(&site);
    let (code, list) = json(&site, &["build"]);
    assert_eq!(
        code,
        1,
        "a content error: {}",
        serde_json::to_string_pretty(&list).unwrap()
    );
    assert!(
        list.iter().any(|d| d["severity"] == "error"),
        "an error is reported"
    );
    let after = snapshot(&site.root().join("public"));
    assert!(before == after, "the previous output was changed");
    assert_no_staging_left(site.root());
    (site, list)
}

/// No staging or backup folder of the publish step is left beside `public/`.
pub(crate) fn assert_no_staging_left(root: &Path) {
    for entry in std::fs::read_dir(root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains(".signpost-"), "left behind: {name}");
    }
}

/// Every line of `text` indented by two spaces (to nest YAML under a key).
pub(crate) fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}
