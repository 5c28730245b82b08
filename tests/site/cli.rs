//! The command line: exit codes, usage errors, scaffolding.

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
fn new_scaffolds_every_language_and_the_site_still_builds() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let run = site.run(&["new", "community", "shunyi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for lang in ["zh-Hans", "zh-Hant", "en", "ru"] {
        assert!(
            site.root()
                .join(format!("content/communities/shunyi.{lang}.md"))
                .is_file(),
            "{lang}"
        );
    }
    let run = site.run(&["new", "facility", "shunyi-station"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site.write(
        "content/facilities/shunyi-station.yaml",
        &std::fs::read_to_string(site.root().join("content/facilities/shunyi-station.yaml"))
            .unwrap()
            .replace("community: TODO", "community: shunyi"),
    );
    site.build();
    assert!(
        site.output_path("ru/communities/shunyi/index.html")
            .is_file()
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
