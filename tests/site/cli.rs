//! The command line: exit codes, usage errors, scaffolding.

use serde_json::Value;

use crate::support::SiteTest;

#[test]
fn usage_errors_exit_with_2() {
    let site = SiteTest::from_fixture("theme/override");
    assert_eq!(site.run(&["build", "--format", "yaml"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    std::fs::remove_file(site.root().join("site.yaml")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no site.yaml"), "{}", run.stderr);
}

#[test]
fn new_scaffolds_the_written_languages_as_drafts_that_check_reports() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let run = site.run(&["new", "community", "shunyi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for lang in ["zh-Hans", "en", "ru"] {
        let path = format!("content/communities/shunyi.{lang}.md");
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        assert!(text.contains("draft: true"), "{path}: {text}");
    }
    assert!(
        !site
            .root()
            .join("content/communities/shunyi.zh-Hant.md")
            .exists(),
        "derive fills zh-Hant: no file for it"
    );
    let run = site.run(&["new", "facility", "shunyi-station"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let facility =
        std::fs::read_to_string(site.root().join("content/facilities/shunyi-station.yaml"))
            .unwrap();
    assert!(!facility.contains("zh-Hant"), "{facility}");

    // Untouched, each scaffold file is one error at its first placeholder, and nothing else.
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<(String, String, u64, u64)> = list
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let placeholder = |file: &str, line: u64, column: u64| {
        (
            "content/placeholder".to_string(),
            file.to_string(),
            line,
            column,
        )
    };
    assert_eq!(
        errors,
        [
            placeholder("content/communities/shunyi.en.md", 2, 9),
            placeholder("content/communities/shunyi.ru.md", 2, 9),
            placeholder("content/communities/shunyi.zh-Hans.md", 2, 9),
            placeholder("content/facilities/shunyi-station.yaml", 2, 12),
        ],
        "{}",
        run.stdout
    );
    let human = site.run(&["check"]);
    assert!(
        human.stderr.contains("error[content/placeholder]")
            && human
                .stderr
                .contains("--> content/communities/shunyi.en.md:2:9"),
        "{}",
        human.stderr
    );

    // `build` publishes nothing: no TODO title reaches a page, the sitemap or a feed.
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for file in crate::support::snapshot(&site.root().join("public")) {
        let text = String::from_utf8_lossy(&file.1);
        assert!(!text.contains("TODO"), "{} holds a placeholder", file.0);
    }

    // Filled in and no longer drafts, the pages publish (zh-Hant converted).
    for (lang, title) in [("zh-Hans", "顺义"), ("en", "Shunyi"), ("ru", "Шуньи")] {
        site.write(
            &format!("content/communities/shunyi.{lang}.md"),
            &format!("---\ntitle: {title}\n---\n{title}.\n"),
        );
    }
    site.write(
        "content/facilities/shunyi-station.yaml",
        "kind: other\ncommunity: shunyi\nname: {zh-Hans: 顺义站, en: Shunyi station}\n",
    );
    site.build();
    assert!(
        site.output_path("ru/communities/shunyi/index.html")
            .is_file()
    );
    assert!(
        site.file("zh-hant/communities/shunyi/index.html")
            .contains("順義")
    );
    assert!(
        site.output_path("en/facilities/shunyi-station/index.html")
            .is_file()
    );
    let again = site.run(&["new", "community", "shunyi"]);
    assert_eq!(again.code, 2, "existing files are never overwritten");
    assert_eq!(site.run(&["new", "policy", "Bad Slug"]).code, 2);
}

#[test]
fn a_sites_own_archetypes_override_the_themes() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.write(
        "archetypes/policy.md",
        "---\ntitle: \"New policy ({{ lang }})\"\n---\nWrite about {{ slug }} here.\n",
    );
    let run = site.run(&["new", "policy", "visa-help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text =
        std::fs::read_to_string(site.root().join("content/policies/visa-help.ru.md")).unwrap();
    assert_eq!(
        text,
        "---\ntitle: \"New policy (ru)\"\n---\nWrite about visa-help here.\n"
    );
}

#[test]
fn quiet_prints_only_diagnostics_and_verbose_times_each_stage() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let quiet = site.run(&["--quiet", "check"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    // The diagnostics still come; the status lines and the summary do not.
    assert!(
        quiet.stderr.contains("warning[translation/missing]"),
        "{}",
        quiet.stderr
    );
    assert!(
        !quiet.stderr.contains("translation status"),
        "{}",
        quiet.stderr
    );
    assert!(!quiet.stderr.contains("checked"), "{}", quiet.stderr);
    let normal = site.run(&["check"]);
    assert!(
        normal.stderr.contains("translation status"),
        "{}",
        normal.stderr
    );
    assert!(normal.stderr.contains("checked"), "{}", normal.stderr);

    let verbose = site.run(&["--verbose", "build"]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    for stage in ["loading content", "rendering Markdown", "publishing"] {
        let line = verbose
            .stderr
            .lines()
            .find(|l| l.contains(&format!("stage{{name={stage}}}")))
            .unwrap_or_else(|| panic!("no span for {stage}: {}", verbose.stderr));
        assert!(line.contains("time.busy="), "{line}");
    }
    // Both together are a usage error.
    assert_eq!(site.run(&["--quiet", "--verbose", "check"]).code, 2);
}
