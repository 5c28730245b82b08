//! The deeper checks of SPEC §8: a site with one planted mistake of each kind.

use std::collections::BTreeSet;
use std::process::Command;

use crate::support::{SiteTest, json};

fn diagnostics(site: &SiteTest) -> (i32, BTreeSet<(String, String, u64)>) {
    let (code, list) = json(site, &["check"]);
    let set = list
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (code, set)
}

/// (code, file, line, column, severity) of one diagnostic.
type Planted = (&'static str, &'static str, u64, u64, &'static str);

/// The mistakes planted in `checks/planted`, where each is reported.
const PLANTED: [Planted; 8] = [
    (
        "translation/numbers",
        "content/policies/figures.en.md",
        2,
        8,
        "warning",
    ),
    (
        "translation/numbers",
        "content/policies/figures.en.md",
        4,
        1,
        "warning",
    ),
    (
        "text/repeated-paragraph",
        "content/policies/repeat.en.md",
        9,
        1,
        "warning",
    ),
    (
        "text/wrong-script",
        "content/policies/script.zh-Hans.md",
        5,
        4,
        "warning",
    ),
    (
        "text/wrong-language",
        "content/policies/script.ru.md",
        5,
        1,
        "warning",
    ),
    (
        "text/mojibake",
        "content/policies/mojibake.en.md",
        4,
        6,
        "error",
    ),
    (
        "translation/stale",
        "content/policies/stale.en.md",
        2,
        8,
        "warning",
    ),
    (
        "translation/stale",
        "content/policies/stale.ru.md",
        2,
        8,
        "warning",
    ),
];

/// Each planted mistake is found where it is, and the checks of its family
/// (`translation/…`, `text/…`) find nothing else: no false alarm on the
/// fixture's correct pages and no second report of a planted one. A check of
/// another family added later may report what it finds here without breaking
/// this test; the clean site of `mistakes.rs` keeps every check quiet on
/// correct content.
#[test]
fn every_planted_mistake_is_found_and_no_other_of_its_family() {
    let site = SiteTest::from_fixture("checks/planted");
    let (code, list) = json(&site, &["check"]);
    assert_eq!(code, 1, "mojibake is an error");
    let found: Vec<(String, String, u64, u64, String)> = list
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String, u64, u64, String)> = PLANTED
        .iter()
        .map(|(c, f, l, col, s)| (c.to_string(), f.to_string(), *l, *col, s.to_string()))
        .collect();
    let all = serde_json::to_string_pretty(&list).unwrap();
    for planted in &expected {
        let times = found.iter().filter(|d| *d == planted).count();
        assert_eq!(times, 1, "{planted:?} reported {times} times:\n{all}");
    }
    let families: BTreeSet<&str> = PLANTED.iter().map(|p| family(p.0)).collect();
    let unexpected: Vec<_> = found
        .iter()
        .filter(|d| families.contains(family(&d.0)) && !expected.contains(d))
        .collect();
    assert!(unexpected.is_empty(), "unexpected: {unexpected:?}\n{all}");
}

/// `text/mojibake` → `text`.
fn family(code: &str) -> &str {
    code.split_once('/').map_or(code, |(family, _)| family)
}

fn stale_files(site: &SiteTest) -> Vec<String> {
    let (_, found) = diagnostics(site);
    found
        .into_iter()
        .filter(|(c, _, _)| c == "translation/stale")
        .map(|(_, f, _)| f)
        .collect()
}

#[test]
fn stamping_without_files_leaves_stale_translations_and_names_them() {
    let site = SiteTest::from_fixture("checks/planted");
    let run = site.run(&["check", "--stamp"]);
    assert!(
        run.stderr
            .contains("stamped content/policies/figures.ru.md"),
        "{}",
        run.stderr
    );
    for file in ["stale.en.md", "stale.ru.md"] {
        assert!(
            run.stderr
                .contains(&format!("left stale content/policies/{file}")),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr
                .contains(&format!("stamped content/policies/{file}")),
            "{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("left 2 stale"), "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("content/policies/figures.en.md")).unwrap();
    assert!(text.contains("translated_from: \""), "{text}");
    let text = std::fs::read_to_string(site.root().join("content/policies/stale.ru.md")).unwrap();
    assert!(!text.contains("translated_from"), "{text}");
    assert_eq!(
        stale_files(&site),
        [
            "content/policies/stale.en.md",
            "content/policies/stale.ru.md"
        ]
    );
}

#[test]
fn stamping_named_files_stamps_only_those() {
    let site = SiteTest::from_fixture("checks/planted");
    let run = site.run(&["check", "--stamp", "content/policies/stale.ru.md"]);
    assert_eq!(run.code, 1, "the planted mojibake is still an error");
    assert!(
        run.stderr.contains("stamped content/policies/stale.ru.md")
            && run.stderr.contains("stamped 1 translation(s)"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(site.root().join("content/policies/stale.ru.md")).unwrap();
    assert!(text.contains("translated_from: \""), "{text}");
    let untouched =
        std::fs::read_to_string(site.root().join("content/policies/figures.ru.md")).unwrap();
    assert!(!untouched.contains("translated_from"), "{untouched}");
    assert_eq!(stale_files(&site), ["content/policies/stale.en.md"]);
    // Editing the source after stamping makes the stamped translation stale again.
    site.write(
        "content/policies/stale.zh-Hans.md",
        "---\ntitle: 更新\nupdated: 2023-05-01\n---\n改过的内容。\n",
    );
    assert_eq!(
        stale_files(&site),
        [
            "content/policies/stale.en.md",
            "content/policies/stale.ru.md"
        ]
    );
    // A file that is no translation is a usage error, and nothing is stamped.
    for wrong in [
        "content/policies/stale.zh-Hans.md",
        "content/policies/nope.en.md",
    ] {
        let run = site.run(&["check", "--stamp", "content/policies/stale.en.md", wrong]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(wrong), "{}", run.stderr);
    }
    let text = std::fs::read_to_string(site.root().join("content/policies/stale.en.md")).unwrap();
    assert!(text.contains("0000000000000000"), "{text}");
}

#[test]
fn git_history_finds_stale_translations_without_stamps() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let git = |args: &[&str], date: &str| {
        let status = Command::new("git")
            .args(args)
            .current_dir(site.root())
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"], "2024-01-01T00:00:00Z");
    git(&["add", "."], "2024-01-01T00:00:00Z");
    git(&["commit", "-qm", "first"], "2024-01-01T00:00:00Z");
    let (_, before) = diagnostics(&site);
    assert!(
        !before.iter().any(|(c, _, _)| c == "translation/stale"),
        "{before:?}"
    );
    site.write("content/policies/service-system.zh-Hans.md", "---\ntitle: 服务体系\nsummary: 落地即办\ndate: 2022-09-16\ncommunities: [wangjing]\n---\n改写了。\n");
    git(
        &["commit", "-qam", "source changed"],
        "2024-02-01T00:00:00Z",
    );
    let (_, after) = diagnostics(&site);
    let stale: Vec<&String> = after
        .iter()
        .filter(|(c, _, _)| c == "translation/stale")
        .map(|(_, f, _)| f)
        .collect();
    assert_eq!(stale, ["content/policies/service-system.en.md"]);
}

#[test]
fn translation_status_on_the_command_line_and_as_a_page() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let run = site.run(&["check"]);
    assert!(run.stderr.contains("translation status"), "{}", run.stderr);
    assert!(
        run.stderr
            .lines()
            .any(|l| l.trim_start().starts_with("ru") && l.contains("fallback")),
        "{}",
        run.stderr
    );
    site.build();
    let page = site.page("translation-status/index.html");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(
        page.all("td.state-fallback a[href='/ru/communities/wangjing/']")
            .len(),
        1
    );
    assert_eq!(
        page.all("td.state-derived a[href='/zh-hant/communities/wangjing/']")
            .len(),
        1
    );
    assert_eq!(
        page.all("td.state-written a[href='/en/communities/wangjing/']")
            .len(),
        1
    );
}

#[test]
fn a_draft_source_hides_the_page_in_every_language() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.write(
        "content/policies/visa.zh-Hans.md",
        "---\ntitle: 签证草稿\ndraft: true\n---\n尚未完成。\n",
    );
    site.write(
        "content/policies/visa.en.md",
        "---\ntitle: Visa help\n---\nFinished in English.\n",
    );
    site.build();
    for prefix in ["zh-hans", "zh-hant", "en", "ru"] {
        assert!(
            !site
                .output_path(&format!("{prefix}/policies/visa/index.html"))
                .exists(),
            "{prefix}: a draft source publishes nothing"
        );
    }
    assert!(!site.file("sitemap.xml").contains("/policies/visa/"));
    assert!(!site.file("en/feed.xml").contains("Visa help"));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.output_path("ru/policies/visa/index.html").is_file());
}

#[test]
fn a_draft_translation_hides_only_itself() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.write(
        "content/policies/visa.zh-Hans.md",
        "---\ntitle: 签证服务\n---\n已经完成。\n",
    );
    site.write(
        "content/policies/visa.en.md",
        "---\ntitle: Unfinished English\ndraft: true\n---\nHalf a sentence.\n",
    );
    site.build();
    let page = site.page("en/policies/visa/index.html");
    assert_eq!(
        page.attr("meta[name=robots]", "content"),
        "noindex",
        "the English page is a fallback"
    );
    let text = page.text();
    assert!(text.contains("已经完成"), "the fallback text shows");
    assert!(!text.contains("Half a sentence"), "the draft does not");
    assert!(!text.contains("Unfinished English"));
    assert!(
        site.output_path("zh-hans/policies/visa/index.html")
            .is_file()
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.file("en/policies/visa/index.html")
            .contains("Half a sentence")
    );
}
