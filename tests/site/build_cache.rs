//! The build cache (`signpost build --cache DIR`): after every kind of edit a
//! build that restores the cache publishes exactly what a cold build of the
//! same files publishes, with the same diagnostics; an unchanged site reuses
//! every entry; a damaged, foreign or unwritable cache is noted and ignored;
//! a failed build leaves the cache as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use signpost::{BuildOptions, BuildReport, Severity};

use crate::incremental::Editor;
use crate::support::{SiteTest, snapshot};

/// The fixture the edits are made to (the dev server's incremental tests use it too).
const FIXTURE: &str = "serve/incremental";

/// Builds `site` into `output`, with the cache in `cache` if given.
fn build(site: &SiteTest, output: &Path, cache: Option<&Path>) -> BuildReport {
    let options = BuildOptions {
        output: Some(output.to_path_buf()),
        cache: cache.map(Path::to_path_buf),
        ..BuildOptions::new(site.root())
    };
    signpost::build(&options)
}

/// A folder beside the site (in its temporary folder) for outputs and caches.
fn beside(site: &SiteTest, name: &str) -> PathBuf {
    site.root().join(".test").join(name)
}

/// Builds with the cache and cold, and fails when the published files or
/// the diagnostics differ. Returns the cached build's report.
fn assert_cached_equals_cold(site: &SiteTest, at: &str) -> BuildReport {
    let cached_dir = beside(site, "cached");
    let cold_dir = beside(site, "cold");
    let cached = build(site, &cached_dir, Some(&beside(site, "cache")));
    let _ = std::fs::remove_dir_all(&cold_dir);
    let cold = build(site, &cold_dir, None);
    assert_eq!(
        cached.diagnostics, cold.diagnostics,
        "{at}: diagnostics differ"
    );
    assert_eq!(cached.published, cold.published, "{at}");
    if cold.published {
        assert_same_files(&snapshot(&cached_dir), &snapshot(&cold_dir), at);
    }
    cached
}

/// Fails with the paths that differ between two output folders.
fn assert_same_files(cached: &[(String, Vec<u8>)], cold: &[(String, Vec<u8>)], at: &str) {
    let cached: BTreeMap<&String, &Vec<u8>> = cached.iter().map(|(p, b)| (p, b)).collect();
    let cold: BTreeMap<&String, &Vec<u8>> = cold.iter().map(|(p, b)| (p, b)).collect();
    let differ: std::collections::BTreeSet<&&String> = cached
        .keys()
        .chain(cold.keys())
        .filter(|p| cached.get(*p) != cold.get(*p))
        .collect();
    assert!(
        differ.is_empty(),
        "{at}: cached build differs from a cold build in {differ:?}"
    );
}

/// Every file of the cache with its bytes.
fn cache_files(site: &SiteTest) -> Vec<(String, Vec<u8>)> {
    snapshot(&beside(site, "cache"))
}

/// Replaces `from` with `to` in a file.
fn edit(site: &SiteTest, file: &str, from: &str, to: &str) {
    let path = site.root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// One edit of the site's files.
enum Change {
    /// Replaces the first occurrence of a text in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Writes a file.
    Write(&'static str, &'static str),
    /// Appends to a file.
    Append(&'static str, &'static str),
    /// Removes a file.
    Remove(&'static str),
}

/// Makes `change` in `site`.
fn apply(site: &SiteTest, change: &Change) {
    match *change {
        Change::Replace(file, from, to) => edit(site, file, from, to),
        Change::Write(file, text) => {
            site.write(file, text);
        }
        Change::Append(file, text) => {
            let path = site.root().join(file);
            let old = std::fs::read_to_string(&path).unwrap();
            std::fs::write(path, format!("{old}{text}")).unwrap();
        }
        Change::Remove(file) => std::fs::remove_file(site.root().join(file)).unwrap(),
    }
}

/// The named edits, in order: each kind of change issue 13 names.
const CHANGES: [(&str, Change); 8] = [
    (
        "a page's body",
        Change::Replace(HOUSING, "人才公寓面向", "人才公寓主要面向"),
    ),
    (
        "a title seen in its section's list",
        Change::Replace(HOUSING, "title: 人才公寓", "title: 国际人才公寓"),
    ),
    (
        "a new page",
        Change::Write(
            "content/policies/permits.en.md",
            "---\ntitle: Work permits\ncommunities: [wangjing]\nscenarios: [services]\n---\nHow to apply.\n",
        ),
    ),
    (
        "a deleted page",
        Change::Remove("content/policies/permits.en.md"),
    ),
    (
        "a facility's name",
        Change::Replace(
            "content/facilities/station.yaml",
            "name: {",
            "name: {ru: Станция, ",
        ),
    ),
    (
        "a UI string",
        Change::Append("i18n/en.yaml", "\nnav:\n  search: Look it up\n"),
    ),
    (
        "a template",
        Change::Replace(
            "templates/partials/as_of.html",
            "class=\"meta as-of\"",
            "class=\"meta as-of\" data-edited",
        ),
    ),
    (
        "site.yaml",
        Change::Replace("site.yaml", "en: Test Guide", "en: The Test Guide"),
    ),
];

/// The page most tests edit.
const HOUSING: &str = "content/policies/housing.zh-Hans.md";

#[test]
fn each_kind_of_edit_gives_a_cold_builds_output() {
    let site = SiteTest::from_fixture(FIXTURE);
    let first = assert_cached_equals_cold(&site, "first build");
    assert!(first.published);
    for (what, change) in &CHANGES {
        apply(&site, change);
        let report = assert_cached_equals_cold(&site, what);
        assert!(report.published, "{what}: {:?}", report.diagnostics);
    }
}

#[test]
fn an_unchanged_site_reuses_every_entry() {
    let site = SiteTest::from_fixture(FIXTURE);
    let cold = assert_cached_equals_cold(&site, "first build");
    assert!(
        cold.notes.iter().any(|n| n.contains("not there yet")),
        "{:?}",
        cold.notes
    );
    let before = cache_files(&site);
    assert!(!before.is_empty(), "the build wrote no cache");
    let again = assert_cached_equals_cold(&site, "second build");
    assert!(again.notes.is_empty(), "{:?}", again.notes);
    // An entry not reused would have been made again and its shard rewritten.
    assert_eq!(
        cache_files(&site),
        before,
        "an unchanged site rewrote its cache"
    );
}

#[test]
fn random_edits_leave_a_cached_build_equal_to_a_cold_one() {
    for seed in [0xcace_0001, 0xcace_0002] {
        let site = SiteTest::from_fixture(FIXTURE);
        assert_cached_equals_cold(&site, "first build");
        let mut editor = Editor::new(site.root(), seed);
        let mut log = Vec::new();
        for _ in 0..12 {
            log.push(editor.edit().0);
            let at = format!("seed {seed:#x}, edits:\n  {}", log.join("\n  "));
            assert_cached_equals_cold(&site, &at);
        }
    }
}

/// Builds once with the cache, harms its files with `harm`, and checks the
/// next cached build equals a cold one and notes `note`.
fn harmed_cache_is_ignored(mut harm: impl FnMut(&str, &mut Vec<u8>), note: &str) {
    let site = SiteTest::from_fixture(FIXTURE);
    assert_cached_equals_cold(&site, "first build");
    edit(&site, HOUSING, "人才公寓面向", "人才公寓主要面向");
    for (path, mut bytes) in cache_files(&site) {
        harm(&path, &mut bytes);
        std::fs::write(beside(&site, "cache").join(&path), bytes).unwrap();
    }
    let report = assert_cached_equals_cold(&site, note);
    assert!(report.published);
    assert!(
        report.notes.iter().any(|n| n.contains(note)),
        "no note {note:?} in {:?}",
        report.notes
    );
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    );
}

#[test]
fn a_damaged_cache_is_noted_and_ignored() {
    let mut n = 0;
    harmed_cache_is_ignored(
        |_, bytes| {
            n += 1;
            match n % 3 {
                0 => bytes.truncate(bytes.len() / 2),
                1 => bytes.iter_mut().rev().take(16).for_each(|b| *b ^= 0x5a),
                _ => *bytes = b"garbage".to_vec(),
            }
        },
        "damaged",
    );
}

#[test]
fn a_cache_of_another_signpost_version_is_noted_and_ignored() {
    harmed_cache_is_ignored(
        |path, bytes| {
            let version = env!("CARGO_PKG_VERSION").as_bytes();
            let at = bytes
                .windows(version.len())
                .position(|w| w == version)
                .unwrap_or_else(|| panic!("no version marker in {path}"));
            bytes[at] = b'9';
        },
        "another signpost version",
    );
}

#[test]
fn a_cache_for_another_configuration_is_not_used() {
    let site = SiteTest::from_fixture(FIXTURE);
    assert_cached_equals_cold(&site, "first build");
    edit(
        &site,
        "site.yaml",
        "base_url: https://example.org/guide/",
        "base_url: https://example.net/",
    );
    let report = assert_cached_equals_cold(&site, "another base_url");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("another configuration")),
        "{:?}",
        report.notes
    );
}

#[test]
fn an_unwritable_cache_is_noted_and_the_output_is_complete() {
    let site = SiteTest::from_fixture(FIXTURE);
    let cache = beside(&site, "cache");
    // A file where the cache's folder should be: no user, root included,
    // can write a cache there.
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(&cache, "not a folder").unwrap();
    let report = assert_cached_equals_cold(&site, "cache path is a file");
    assert!(report.published);
    assert!(
        report.notes.iter().any(|n| n.contains("cannot write")),
        "{:?}",
        report.notes
    );
    // A read-only folder (where permissions apply: not for root).
    std::fs::remove_file(&cache).unwrap();
    assert_cached_equals_cold(&site, "filling the cache");
    set_read_only(&cache, true);
    edit(&site, HOUSING, "人才公寓面向", "人才公寓主要面向");
    let probe = cache.join("probe");
    let enforced = std::fs::write(&probe, "").is_err();
    let _ = std::fs::remove_file(&probe);
    let report = assert_cached_equals_cold(&site, "read-only cache");
    set_read_only(&cache, false);
    assert!(report.published);
    if enforced {
        assert!(
            report.notes.iter().any(|n| n.contains("cannot write")),
            "{:?}",
            report.notes
        );
    }
}

/// Makes a folder and its subfolders read-only, or writable again.
fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir() {
            let mode = if read_only { 0o555 } else { 0o755 };
            let permissions = std::fs::Permissions::from_mode(mode);
            std::fs::set_permissions(entry.path(), permissions).unwrap();
        }
    }
}

#[test]
fn a_failed_build_leaves_the_cache_as_it_was() {
    let site = SiteTest::from_fixture(FIXTURE);
    assert_cached_equals_cold(&site, "first build");
    let before = cache_files(&site);
    edit(&site, HOUSING, "title: 人才公寓", "titel: 人才公寓");
    let report = assert_cached_equals_cold(&site, "an unknown key");
    assert!(report.has_errors() && !report.published);
    assert_eq!(cache_files(&site), before, "a failed build wrote the cache");
    edit(&site, HOUSING, "titel: 人才公寓", "title: 人才公寓");
    assert_cached_equals_cold(&site, "fixed again");
}

#[test]
fn the_command_line_takes_cache_and_prints_its_notes() {
    let site = SiteTest::from_fixture(FIXTURE);
    let help = site.run(&["build", "--help"]);
    assert!(help.stdout.contains("--cache <DIR>"), "{}", help.stdout);
    let cache = beside(&site, "cli-cache");
    let cache = cache.to_str().unwrap();
    let run = site.run(&["build", "--cache", cache]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("note: build cache"), "{}", run.stderr);
    let run = site.run(&["build", "--cache", cache]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}
