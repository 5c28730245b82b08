//! The deeper checks of SPEC §8: a site with one planted mistake of each kind.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::support::SiteTest;

fn diagnostics(site: &SiteTest) -> (i32, BTreeSet<(String, String, u64)>) {
    let run = site.run(&["check", "--format", "json"]);
    let list: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let set = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (run.code, set)
}

fn set(items: &[(&str, &str, u64)]) -> BTreeSet<(String, String, u64)> {
    items
        .iter()
        .map(|(c, f, l)| (c.to_string(), f.to_string(), *l))
        .collect()
}

#[test]
fn every_planted_mistake_is_found_and_nothing_else() {
    let site = SiteTest::from_fixture("checks/planted");
    let (code, found) = diagnostics(&site);
    assert_eq!(code, 1, "mojibake is an error");
    let expected = set(&[
        ("translation/numbers", "content/policies/figures.en.md", 4),
        ("translation/numbers", "content/policies/figures.en.md", 0),
        (
            "text/repeated-paragraph",
            "content/policies/repeat.en.md",
            9,
        ),
        ("text/wrong-script", "content/policies/script.zh-Hans.md", 5),
        ("text/wrong-language", "content/policies/script.ru.md", 5),
        ("text/mojibake", "content/policies/mojibake.en.md", 4),
        ("translation/stale", "content/policies/stale.en.md", 0),
        ("translation/stale", "content/policies/stale.ru.md", 0),
    ]);
    assert_eq!(found, expected);
}

#[test]
fn stamping_records_the_source_hash_and_clears_staleness() {
    let site = SiteTest::from_fixture("checks/planted");
    let run = site.run(&["check", "--stamp"]);
    assert!(
        run.stderr.contains("stamped content/policies/stale.en.md"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(site.root().join("content/policies/stale.ru.md")).unwrap();
    assert!(text.contains("translated_from: \""), "{text}");
    let (_, found) = diagnostics(&site);
    assert!(
        !found.iter().any(|(code, _, _)| code == "translation/stale"),
        "{found:?}"
    );
    // Editing the source after stamping makes its translations stale again.
    site.write(
        "content/policies/stale.zh-Hans.md",
        "---\ntitle: 更新\nupdated: 2023-05-01\n---\n改过的内容。\n",
    );
    let (_, found) = diagnostics(&site);
    let stale: Vec<&String> = found
        .iter()
        .filter(|(c, _, _)| c == "translation/stale")
        .map(|(_, f, _)| f)
        .collect();
    assert_eq!(
        stale,
        [
            "content/policies/stale.en.md",
            "content/policies/stale.ru.md"
        ]
    );
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
