//! Languages: head tags, the language switcher, fallback and derived pages, links.

use crate::support::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    site
}

#[test]
fn every_page_has_lang_canonical_alternates_and_description() {
    let site = site();
    for (path, lang) in [
        ("zh-hans/communities/wangjing/index.html", "zh-Hans"),
        ("zh-hant/communities/wangjing/index.html", "zh-Hant"),
        ("en/communities/wangjing/index.html", "en"),
        ("ru/communities/wangjing/index.html", "ru"),
    ] {
        let page = site.page(path);
        assert_eq!(page.attr("html", "lang"), lang, "{path}");
        assert!(
            page.attr("link[rel=canonical]", "href")
                .starts_with("https://example.org/guide/"),
            "{path}"
        );
        assert!(
            !page.attr("meta[name=description]", "content").is_empty(),
            "{path}"
        );
        let alternates = page.alternates();
        assert!(
            alternates.iter().any(|(l, _)| l == "x-default"),
            "{path}: {alternates:?}"
        );
    }
}

#[test]
fn alternates_list_each_language_that_has_its_own_text() {
    let site = site();
    let alternates = site.page("en/communities/wangjing/index.html").alternates();
    let langs: Vec<&str> = alternates.iter().map(|(l, _)| l.as_str()).collect();
    // ru falls back, so it is not an alternate; zh-Hant is derived, so it is.
    assert_eq!(langs, ["zh-Hans", "zh-Hant", "en", "x-default"]);
    assert!(alternates.contains(&(
        "en".into(),
        "https://example.org/guide/en/communities/wangjing/".into()
    )));
    assert!(alternates.contains(&(
        "x-default".into(),
        "https://example.org/guide/zh-hans/communities/wangjing/".into()
    )));
}

#[test]
fn the_language_switcher_leads_to_the_same_page() {
    let site = site();
    let page = site.page("ru/policies/service-system/index.html");
    let links: Vec<(String, String)> = page
        .all("nav.languages a")
        .iter()
        .map(|a| {
            (
                a.value().attr("hreflang").unwrap().to_string(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                "zh-Hans".to_string(),
                "/zh-hans/policies/service-system/".to_string()
            ),
            (
                "zh-Hant".to_string(),
                "/zh-hant/policies/service-system/".to_string()
            ),
            ("en".to_string(), "/en/policies/service-system/".to_string()),
            ("ru".to_string(), "/ru/policies/service-system/".to_string()),
        ]
    );
    assert_eq!(
        page.one("nav.languages a[aria-current=page]")
            .value()
            .attr("hreflang"),
        Some("ru")
    );
}

#[test]
fn a_fallback_page_says_so_and_is_not_indexed() {
    let site = site();
    let page = site.page("ru/communities/wangjing/index.html");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://example.org/guide/en/communities/wangjing/"
    );
    // The English text sits in an element marked as English, under a Russian
    // notice naming English the way a Russian reader says it.
    let prose = page.one(".prose");
    assert_eq!(prose.value().attr("lang"), Some("en"));
    assert!(
        prose
            .text()
            .collect::<String>()
            .contains("Wangjing joined in 2017")
    );
    let notice = page.one(".notice-fallback").text().collect::<String>();
    assert!(
        notice.contains("русский") && notice.contains("английский"),
        "{notice}"
    );
}

#[test]
fn a_written_page_has_no_noindex() {
    let site = site();
    assert!(
        site.page("en/communities/wangjing/index.html")
            .all("meta[name=robots]")
            .is_empty()
    );
}

#[test]
fn derived_traditional_pages_are_converted_by_phrase() {
    let site = site();
    let page = site.page("zh-hant/communities/wangjing/index.html");
    let text = page.text();
    assert!(text.contains("望京的發展與頭髮、幹部無關"), "{text}");
    assert!(
        page.all("meta[name=robots]").is_empty(),
        "derived pages are indexed"
    );
    assert!(
        !page.all(".notice-derived").is_empty(),
        "derived pages say they were converted"
    );
    assert_eq!(page.attr(".prose", "lang"), "zh-Hant");
}

#[test]
fn content_links_resolve_in_each_language() {
    let site = site();
    let en = site.page("en/policies/service-system/index.html");
    assert!(
        !en.all(".prose a[href='/en/communities/wangjing/#pilots']")
            .is_empty()
    );
    let zh = site.page("zh-hans/policies/service-system/index.html");
    assert!(
        !zh.all(".prose a[href='/zh-hans/communities/wangjing/#pilots']")
            .is_empty()
    );
    let zh_hant = site.page("zh-hant/communities/wangjing/index.html");
    assert!(
        !zh_hant
            .all(".prose a[href='/zh-hant/facilities/station/']")
            .is_empty()
    );
    // The explicit {#pilots} id is the same in every language.
    for lang in ["zh-hans", "en"] {
        assert_eq!(
            site.page(&format!("{lang}/communities/wangjing/index.html"))
                .all("h2#pilots")
                .len(),
            1,
            "{lang}"
        );
    }
}

#[test]
fn community_pages_list_their_facilities_and_policies() {
    let site = site();
    let page = site.page("en/communities/wangjing/index.html");
    let hrefs: Vec<&str> = page
        .all("article a.card-link")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/en/facilities/station/"), "{hrefs:?}");
    assert!(hrefs.contains(&"/en/policies/service-system/"), "{hrefs:?}");
}

#[test]
fn facility_fields_fall_back_with_their_real_language() {
    let site = site();
    // zh-Hans has a name but no description: the English description is marked as English.
    let page = site.page("zh-hans/facilities/station/index.html");
    assert_eq!(
        page.one("h1 span").text().collect::<String>(),
        "望京外国人服务站"
    );
    assert_eq!(page.attr(".prose", "lang"), "en");
    assert!(
        page.one(".prose")
            .inner_html()
            .contains("<strong>permits</strong>")
    );
    // Russian has nothing: the name falls back to English, inside lang=en.
    let ru = site.page("ru/facilities/station/index.html");
    assert_eq!(ru.attr("h1 span:first-child", "lang"), "en");
    assert_eq!(ru.attr("h1 .sign-label", "lang"), "zh-Hans");
    assert_eq!(ru.attr("meta[name=robots]", "content"), "noindex");
}

#[test]
fn ui_strings_use_cldr_plurals_and_local_dates() {
    let site = site();
    let en = site.page("en/policies/index.html");
    assert!(en.text().contains("1 page"), "{}", en.text());
    let ru = site.page("ru/policies/index.html");
    assert!(ru.text().contains("1 страница"), "{}", ru.text());
    let ru_community = site.page("ru/communities/wangjing/index.html");
    assert!(
        ru_community.text().contains("1 объект"),
        "{}",
        ru_community.text()
    );
    let date = site
        .page("en/policies/service-system/index.html")
        .one("time")
        .text()
        .collect::<String>();
    assert_eq!(date, "September 16, 2022");
    let date = site
        .page("zh-hans/policies/service-system/index.html")
        .one("time")
        .text()
        .collect::<String>();
    assert_eq!(date, "2022年9月16日");
    let date = site
        .page("ru/policies/service-system/index.html")
        .one("time")
        .text()
        .collect::<String>();
    assert!(date.starts_with("16 сентября 2022"), "{date}");
}

#[test]
fn sections_without_an_index_file_get_a_readable_title() {
    let site = site();
    let page = site.page("ru/index.html");
    let titles: Vec<String> = page
        .all("nav.sections a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert!(titles.contains(&"News".to_string()), "{titles:?}");
    assert!(
        titles.contains(&"Объекты".to_string()),
        "the theme's UI string names the facilities section: {titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("section.")),
        "{titles:?}"
    );
    // A title shown in a fallback language is marked with that language.
    let communities = page.one("nav.sections a[href='/ru/communities/']");
    assert_eq!(communities.value().attr("lang"), Some("zh-Hans"));
}
