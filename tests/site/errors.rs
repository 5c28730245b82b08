//! Errors: every kind of mistake reported in one run, with file, line and hint.

use serde_json::Value;

use crate::support::{SiteTest, find, json};

fn diagnostics(site: &SiteTest, command: &str) -> (i32, Vec<Value>) {
    json(site, &[command])
}

#[test]
fn every_mistake_is_reported_in_one_run() {
    let site = SiteTest::from_fixture("errors/every-kind");
    let (code, list) = diagnostics(&site, "check");
    assert_eq!(code, 1);
    let cases = [
        (
            "front-matter/unknown-key",
            "content/policies/unknown-key.md",
            3,
        ),
        ("yaml/wrong-type", "content/policies/unknown-key.md", 4),
        (
            "front-matter/missing-title",
            "content/policies/no-title.md",
            2,
        ),
        (
            "content/unknown-community",
            "content/policies/bad-refs.md",
            3,
        ),
        (
            "content/unknown-scenario",
            "content/policies/bad-refs.md",
            4,
        ),
        (
            "content/unknown-language",
            "content/policies/german.de.md",
            1,
        ),
        ("content/slug-path", "content/policies/escape.md", 3),
        ("yaml/syntax", "content/policies/bad-yaml.md", 3),
        ("front-matter/unclosed", "content/policies/unclosed.md", 1),
        ("link/unresolved", "content/policies/links.md", 6),
        ("link/anchor", "content/policies/links.md", 8),
        ("facility/kind", "content/facilities/station.yaml", 1),
        (
            "content/unknown-community",
            "content/facilities/station.yaml",
            2,
        ),
        // Reported where the key is written, in a language that has it.
        ("i18n/missing-key", "i18n/en.yaml", 3),
    ];
    for (code, file, line) in cases {
        let d = find(&list, code, file);
        assert_eq!(d["line"], line, "{code} in {file}: {d}");
        assert_eq!(d["severity"], "error", "{d}");
        assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let duplicate = list
        .iter()
        .find(|d| d["code"] == "content/duplicate-url")
        .expect("duplicate URL reported");
    assert!(
        duplicate["message"]
            .as_str()
            .unwrap()
            .contains("/en/policies/same-url/"),
        "{duplicate}"
    );
}

#[test]
fn hints_say_how_to_fix() {
    let site = SiteTest::from_fixture("errors/every-kind");
    let (_, list) = diagnostics(&site, "check");
    assert_eq!(
        find(
            &list,
            "front-matter/unknown-key",
            "content/policies/unknown-key.md"
        )["hint"],
        "did you mean `summary`?"
    );
    assert_eq!(
        find(
            &list,
            "content/unknown-community",
            "content/policies/bad-refs.md"
        )["hint"],
        "did you mean `wangjing`?"
    );
    assert_eq!(
        find(
            &list,
            "content/unknown-scenario",
            "content/policies/bad-refs.md"
        )["hint"],
        "did you mean `health`?"
    );
    assert_eq!(
        find(&list, "facility/kind", "content/facilities/station.yaml")["hint"],
        "did you mean `hospital`?"
    );
    assert!(
        find(&list, "link/anchor", "content/policies/links.md")["hint"]
            .as_str()
            .unwrap()
            .contains("#pilots")
    );
    assert!(
        find(
            &list,
            "front-matter/unclosed",
            "content/policies/unclosed.md"
        )["hint"]
            .as_str()
            .unwrap()
            .contains("closing `---`")
    );
    let missing = find(&list, "i18n/missing-key", "i18n/en.yaml");
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("guide.extra_line"),
        "{missing}"
    );
    assert!(
        list.iter().any(|d| d["code"] == "i18n/missing-key"
            && d["hint"]
                .as_str()
                .is_some_and(|h| h.contains("i18n/ru.yaml"))),
        "the hint names the file that lacks the key"
    );
    assert!(
        list.iter()
            .all(|d| d["line"].as_u64() >= Some(1) && d["column"].as_u64() >= Some(1)),
        "every diagnostic has a line and column: {list:?}"
    );
}

#[test]
fn a_build_with_errors_publishes_nothing() {
    let site = SiteTest::from_fixture("errors/every-kind");
    site.write("public/keep.txt", "previous output");
    let (code, list) = diagnostics(&site, "build");
    assert_eq!(code, 1);
    assert!(!list.is_empty());
    assert_eq!(
        std::fs::read_to_string(site.output_path("keep.txt")).unwrap(),
        "previous output"
    );
    assert!(!site.output_path("index.html").exists());
}

#[test]
fn human_output_shows_file_line_and_the_source_line() {
    let site = SiteTest::from_fixture("errors/every-kind");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--> content/policies/unknown-key.md:3:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("3 | sumary: misspelt"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= hint: did you mean `summary`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_errors_suggest_the_nearest_key() {
    let site = SiteTest::from_fixture("errors/config-unknown-key");
    let (code, list) = diagnostics(&site, "build");
    assert_eq!(code, 1);
    let d = find(&list, "config/unknown-key", "site.yaml");
    assert_eq!(d["line"], 3);
    assert_eq!(d["hint"], "did you mean `default_language`?");
}

#[test]
fn a_clean_site_reports_nothing() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let (code, list) = diagnostics(&site, "check");
    assert_eq!(code, 0);
    let errors: Vec<&Value> = list.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:?}");
    // ru has no text for some pages: a warning per page and a per-language count.
    assert!(
        list.iter().any(|d| d["code"] == "translation/summary"
            && d["message"].as_str().unwrap().starts_with("ru:"))
    );
    assert!(
        !site.output_path("index.html").exists(),
        "check writes nothing"
    );
}

#[test]
fn an_alias_over_a_page_is_reported_at_the_page() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.write(
        "content/policies/moved.en.md",
        "---\ntitle: Moved\naliases: [/en/communities/wangjing/]\n---\nMoved here.\n",
    );
    let (code, list) = diagnostics(&site, "build");
    assert_eq!(code, 1);
    let clashes: Vec<&Value> = list
        .iter()
        .filter(|d| d["code"] == "content/duplicate-url")
        .collect();
    assert_eq!(clashes.len(), 1, "{list:?}");
    assert_eq!(clashes[0]["file"], "content/communities/wangjing.en.md");
    assert!(
        clashes[0]["message"]
            .as_str()
            .unwrap()
            .contains("/en/communities/wangjing/index.html"),
        "{}",
        clashes[0]
    );
}

/// Regression: stale translations, `i18n/wrong-type` and a file with an
/// unknown language suffix were reported at line 0, column 0, and
/// `translation/summary` named the folder `content`; CI annotations need a
/// file and a place in it.
#[test]
fn every_diagnostic_points_into_a_file() {
    for fixture in ["errors/every-kind", "checks/planted", "i18n/four-languages"] {
        let site = SiteTest::from_fixture(fixture);
        site.write("i18n/ru.yaml", "# strings\nguide:\n  motto: [a, b]\n");
        let (_, list) = diagnostics(&site, "check");
        assert!(list.len() > 5, "{fixture}: the fixture has mistakes");
        for d in &list {
            let file = d["file"].as_str().unwrap();
            assert!(site.root().join(file).is_file(), "{fixture}: {d}");
            assert!(d["line"].as_u64().unwrap() >= 1, "{fixture}: {d}");
            assert!(d["column"].as_u64().unwrap() >= 1, "{fixture}: {d}");
        }
        let codes: Vec<&str> = list.iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"i18n/wrong-type"), "{fixture}: {codes:?}");
    }
}

/// Every diagnostic code the engine can give is explained in README's table
/// of checks (by name, or by a `family/*` or `*/name` row).
#[test]
fn every_code_is_in_the_readme() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let table = readme
        .split("## Checks")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap();
    let missing: Vec<&str> = signpost::Code::ALL
        .iter()
        .map(|code| code.as_str())
        .filter(|code| {
            let (family, name) = code.split_once('/').unwrap();
            ![
                format!("`{code}`"),
                format!("`{family}/*`"),
                format!("`*/{name}`"),
            ]
            .iter()
            .any(|form| table.contains(form.as_str()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "explain these in README's checks table: {missing:?}"
    );
}
