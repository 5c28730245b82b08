//! The guide's domain lists come from site.yaml: a site with its own
//! `scenarios`, `facility_kinds` and `communities_section` builds with them,
//! and its checks and hints use them instead of the Beijing guide's.

use serde_json::Value;

use crate::support::{SiteTest, find, json};

/// `check --format json`: the exit code and the diagnostics.
/// `check --format json`: the exit code and the diagnostics.
fn check(site: &SiteTest) -> (i32, Vec<Value>) {
    json(site, &["check"])
}

#[test]
fn a_site_s_own_scenarios_kinds_and_communities_section_build() {
    let site = SiteTest::from_fixture("content/own-domain");
    site.build();

    let parks = site.page("en/scenarios/parks/index.html");
    assert_eq!(
        parks.one("h1").text().collect::<String>(),
        "Parks and gardens"
    );
    assert_eq!(parks.links("main .cards a"), ["/en/news/park-day/"]);
    let markets = site.page("en/scenarios/markets/index.html");
    assert_eq!(
        markets.links("main .cards a"),
        ["/en/facilities/fish-market/", "/en/districts/old-town/"]
    );
    // Only the configured scenarios get pages.
    assert!(!site.output_path("en/scenarios/health/index.html").exists());
    let index = site.page("en/scenarios/index.html");
    assert_eq!(
        index.links("main .card-link"),
        ["/en/scenarios/parks/", "/en/scenarios/markets/"]
    );
    // The theme's default wording counts the site's own scenarios.
    assert_eq!(
        index.one("h1").text().collect::<String>(),
        "Scenarios of life and work"
    );
    let lead = index.one("main .lead").text().collect::<String>();
    assert!(
        lead.starts_with("The guide sorts its pages into 2 scenarios "),
        "{lead}"
    );
    assert_eq!(
        parks.one(".all-scenarios a").text().collect::<String>(),
        "All scenarios"
    );

    // The communities section is `districts`: its pages list their facilities,
    // and a facility's community links there.
    let old_town = site.page("en/districts/old-town/index.html");
    assert_eq!(
        old_town.links("section[aria-labelledby=facilities-heading] li a"),
        ["/en/facilities/fish-market/"]
    );
    let market = site.page("en/facilities/fish-market/index.html");
    assert_eq!(
        market.links(".community-chips a"),
        ["/en/districts/old-town/"]
    );
    assert_eq!(
        market
            .one(".facility-kind .badge")
            .text()
            .collect::<String>(),
        "Market"
    );
    assert!(site.file("sitemap.xml").contains("/en/scenarios/parks/"));

    // A town-wide facility links to the configured section, and a district's
    // card in its section takes the district's colour (the theme reads
    // `communities_section`, never the word `communities`).
    let ferry = site.page("en/facilities/ferry/index.html");
    assert_eq!(ferry.links(".facility dd a"), ["/en/districts/"]);
    let districts = site.page("en/districts/index.html");
    let card = districts.one("main li.card");
    let class = card.value().attr("class").unwrap();
    assert!(class.contains("community-1"), "{class}");
}

#[test]
fn unknown_scenarios_and_kinds_name_the_configured_lists() {
    let site = SiteTest::from_fixture("content/own-domain");
    site.write(
        "content/news/park-day.md",
        "---\ntitle: Park Day\ncommunity: old-town\nscenarios: [health, park]\n---\nText.\n",
    );
    site.write(
        "content/facilities/clinic.yaml",
        "kind: hospital\ncommunity: old-twn\nname: {en: Clinic}\n",
    );
    let (code, list) = check(&site);
    assert_eq!(code, 1);

    let file = "content/news/park-day.md";
    let unknown: Vec<&Value> = list
        .iter()
        .filter(|d| d["code"] == "content/unknown-scenario" && d["file"] == file)
        .collect();
    assert_eq!(unknown.len(), 2, "{list:#?}");
    // `health` is one of the guide's nine, not of this site: the hint names this site's list.
    assert_eq!(unknown[0]["message"], "there is no scenario `health`");
    assert_eq!(unknown[0]["hint"], "scenarios: parks, markets");
    assert_eq!(
        (&unknown[0]["line"], &unknown[0]["column"]),
        (&4.into(), &13.into())
    );
    assert_eq!(unknown[1]["hint"], "did you mean `parks`?");

    let kind = find(&list, "facility/kind", "content/facilities/clinic.yaml");
    assert_eq!(kind["hint"], "kinds: market, other");
    assert_eq!((&kind["line"], &kind["column"]), (&1.into(), &7.into()));
    let community = find(
        &list,
        "content/unknown-community",
        "content/facilities/clinic.yaml",
    );
    assert_eq!(community["hint"], "did you mean `old-town`?");
}

#[test]
fn a_configured_scenario_needs_its_label() {
    let site = SiteTest::from_fixture("content/own-domain");
    site.write(
        "i18n/en.yaml",
        "scenario:\n  parks: Parks and gardens\nfacility:\n  kind:\n    market: Market\n",
    );
    let (code, list) = check(&site);
    assert_eq!(code, 1);
    let missing = find(&list, "i18n/missing-key", "i18n/en.yaml");
    assert_eq!(
        missing["message"],
        "UI string `scenario.markets` is missing for `en`; the scenario `markets` of site.yaml needs a label in every language"
    );
    assert_eq!(missing["hint"], "add `scenario.markets` to i18n/en.yaml");
}

#[test]
fn bad_domain_lists_in_site_yaml_are_located() {
    let site = SiteTest::from_fixture("content/own-domain");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml
            .replace(
                "scenarios: [parks, markets]",
                "scenarios: [parks, Markets, parks]",
            )
            .replace(
                "facility_kinds: [market, other]",
                "facility_kinds: [market, \"\"]",
            )
            .replace(
                "communities_section: districts",
                "communities_sections: districts",
            ),
    );
    let (code, list) = check(&site);
    assert_ne!(code, 0);
    let at = |d: &Value| {
        (
            d["code"].as_str().unwrap().to_string(),
            d["line"].as_u64().unwrap(),
            d["column"].as_u64().unwrap(),
            d["hint"].as_str().unwrap_or("").to_string(),
        )
    };
    let found: Vec<_> = list.iter().map(at).collect();
    let shape = "a key names a URL segment and a UI string: lower-case letters, digits and `-`";
    for expected in [
        ("config/scenarios", 7, 20, shape),
        ("config/scenarios", 7, 29, "remove one of them"),
        // An empty entry cannot be found as written: the list's position.
        (
            "config/facility-kinds",
            8,
            17,
            "write a key or remove the entry",
        ),
        (
            "config/unknown-key",
            9,
            1,
            "did you mean `communities_section`?",
        ),
    ] {
        let expected = (
            expected.0.to_string(),
            expected.1,
            expected.2,
            expected.3.to_string(),
        );
        assert!(found.contains(&expected), "{expected:?} not in {found:#?}");
    }
}
