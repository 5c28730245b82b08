//! `communities: all`: a facility (or page) that serves the whole city is
//! listed on every community's page, apart from the community's own
//! facilities, without naming each community; one slug works as before.

use crate::support::{SiteTest, find, json};

#[test]
fn city_wide_facilities_are_listed_apart_on_every_community() {
    let site = SiteTest::from_fixture("content/city-wide");
    site.build();

    let north = site.page("en/communities/north/index.html");
    assert_eq!(
        north.links("section[aria-labelledby=facilities-heading] li a"),
        [
            "/en/facilities/north-library/",
            "/en/facilities/shared-clinic/"
        ]
    );
    assert_eq!(
        north.links("section[aria-labelledby=city-wide-heading] li a"),
        ["/en/facilities/city-app/"]
    );
    assert!(
        north
            .one("#city-wide-heading")
            .text()
            .collect::<String>()
            .contains("1 city-wide facility")
    );
    assert!(
        north
            .links("section[aria-labelledby=policies-heading] li a")
            .contains(&"/en/policies/city-rule/".to_string())
    );

    let south = site.page("en/communities/south/index.html");
    assert_eq!(
        south.links("section[aria-labelledby=facilities-heading] li a"),
        ["/en/facilities/shared-clinic/"]
    );
    assert_eq!(
        south.links("section[aria-labelledby=city-wide-heading] li a"),
        ["/en/facilities/city-app/"]
    );
    // `community: all` works for a page too.
    assert!(
        south
            .links("section[aria-labelledby=policies-heading] li a")
            .contains(&"/en/policies/city-rule/".to_string())
    );
}

#[test]
fn a_city_wide_facility_names_the_city_and_one_slug_works_as_before() {
    let site = SiteTest::from_fixture("content/city-wide");
    site.build();

    let app = site.page("en/facilities/city-app/index.html");
    assert!(app.all(".community-chips").is_empty());
    let city = app.one(".facts a[href='/en/communities/']");
    assert!(city.text().collect::<String>().contains("The whole city"));

    let library = site.page("en/facilities/north-library/index.html");
    assert_eq!(
        library.links(".community-chips a"),
        ["/en/communities/north/"]
    );
    let clinic = site.page("en/facilities/shared-clinic/index.html");
    assert_eq!(
        clinic.links(".community-chips a"),
        ["/en/communities/north/", "/en/communities/south/"]
    );
}

#[test]
fn a_community_with_no_city_wide_facility_has_no_empty_list() {
    let site = SiteTest::from_fixture("content/city-wide");
    std::fs::remove_file(site.root().join("content/facilities/city-app.yaml")).unwrap();
    site.build();
    let north = site.page("en/communities/north/index.html");
    assert!(north.all("#city-wide-heading").is_empty());
}

#[test]
fn a_misspelt_slug_beside_all_is_still_reported() {
    let site = SiteTest::from_fixture("content/city-wide");
    site.write(
        "content/facilities/city-app.yaml",
        "kind: platform\ncommunities: [all, nroth]\nname: {en: City App}\n",
    );
    let (code, list) = json(&site, &["check"]);
    assert_eq!(code, 1, "{list:?}");
    let d = find(
        &list,
        "content/unknown-community",
        "content/facilities/city-app.yaml",
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(20)),
        "at `nroth`: {d}"
    );
    assert_eq!(d["hint"], "did you mean `north`?", "{d}");
    // `all` beside it is no unknown community, and no other content error
    // comes from the list.
    let content: Vec<_> = list
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("content/"))
        .collect();
    assert_eq!(content, [d], "{list:?}");
}
