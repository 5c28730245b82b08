//! Output: every URL of SPEC §5, feeds, sitemap, assets, determinism, atomic publish.

use crate::support::{SiteTest, snapshot};

#[test]
fn every_spec_url_is_written() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    for path in [
        "index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "zh-hans/index.html",
        "zh-hant/index.html",
        "en/index.html",
        "ru/index.html",
        "en/communities/index.html",
        "en/communities/wangjing/index.html",
        "en/policies/service-system/index.html",
        "en/facilities/index.html",
        "en/facilities/station/index.html",
        "en/scenarios/index.html",
        "en/scenarios/services/index.html",
        "ru/scenarios/low-carbon/index.html",
        "en/feed.xml",
        "zh-hans/feed.xml",
        "en/news/opening/index.html",
    ] {
        assert!(site.output_path(path).is_file(), "missing {path}");
    }
}

#[test]
fn the_root_is_a_language_chooser_without_javascript() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let page = site.page("index.html");
    let homes: Vec<&str> = page
        .all("main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(homes, ["/zh-hans/", "/zh-hant/", "/en/", "/ru/"]);
    assert!(
        page.all("script:not([src])").is_empty(),
        "no inline script (CSP script-src 'self')"
    );
}

#[test]
fn scenario_pages_list_what_is_tagged() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let page = site.page("en/scenarios/services/index.html");
    let hrefs: Vec<&str> = page
        .all("main a.card-link")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        ["/en/policies/service-system/", "/en/facilities/station/"]
    );
}

#[test]
fn feeds_hold_dated_pages_newest_first() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let feed = site.file("en/feed.xml");
    let opening = feed
        .find("https://example.org/guide/en/news/opening/")
        .expect("2023 page in feed");
    let policy = feed
        .find("https://example.org/guide/en/policies/service-system/")
        .expect("2022 page in feed");
    let station = feed
        .find("https://example.org/guide/en/facilities/station/")
        .expect("2021 facility in feed");
    assert!(opening < policy && policy < station, "newest first");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    // ru has no text of its own for the opening: fallback pages stay out of its feed.
    assert!(!site.file("ru/feed.xml").contains("/ru/news/opening/"));
}

#[test]
fn a_feed_opened_in_a_browser_is_a_page_listing_its_entries() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    for prefix in ["zh-hans", "zh-hant", "en", "ru"] {
        let page = site.page(&format!("{prefix}/feed/index.html"));
        // People follow the footer to the page; feed readers still find the XML.
        assert_eq!(
            page.attr(".footer a[href$='/feed/']", "href"),
            format!("/{prefix}/feed/")
        );
        assert_eq!(
            page.attr("link[rel=alternate][type='application/atom+xml']", "href"),
            format!("/{prefix}/feed.xml")
        );
        assert!(!page.one("h1").text().collect::<String>().trim().is_empty());
        let address = page.one("main a.feed-url");
        assert_eq!(
            address.value().attr("href"),
            Some(format!("/{prefix}/feed.xml").as_str())
        );
        assert_eq!(
            address.text().collect::<String>(),
            format!("https://example.org/guide/{prefix}/feed.xml"),
            "the address to copy is absolute"
        );
        // The same entries as the feed, in the same order.
        let listed: Vec<String> = page
            .all("main .card-link")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(|href| format!("https://example.org/guide{href}"))
            .collect();
        let feed = site.file(&format!("{prefix}/feed.xml"));
        let entries: Vec<String> = feed
            .split("<entry>")
            .skip(1)
            .filter_map(|entry| entry.split("<id>").nth(1)?.split("</id>").next())
            .map(str::to_string)
            .collect();
        assert_eq!(
            listed, entries,
            "{prefix}: the page lists the feed's entries"
        );
        if entries.is_empty() {
            // ru has no dated text of its own in the fixture: the page says so.
            assert_eq!(
                page.all("main .empty").len(),
                1,
                "{prefix}: an empty feed says so"
            );
        }
    }
    assert!(
        site.file("en/feed/index.html")
            .contains("/en/news/opening/")
    );
    assert!(
        !site
            .file("ru/feed/index.html")
            .contains("/ru/news/opening/")
    );
}

#[test]
fn the_sitemap_has_alternates_and_leaves_out_fallbacks() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let sitemap = site.file("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<loc>https://example.org/guide/en/communities/wangjing/</loc>"));
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/guide/zh-hans/communities/wangjing/\"/>"
    ));
    assert!(
        !sitemap.contains("<loc>https://example.org/guide/ru/communities/wangjing/</loc>"),
        "fallback pages are not listed"
    );
    assert!(
        site.file("robots.txt")
            .contains("Sitemap: https://example.org/guide/sitemap.xml")
    );
}

#[test]
fn bundles_aliases_and_drafts() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.write("content/news/opening/.thumbs/photo.svg", "<svg/>")
        .write("content/news/opening/.notes.txt", "editor's notes");
    site.build();
    assert!(
        site.output_path("en/news/opening/photo.svg").is_file(),
        "co-located files are copied beside the page"
    );
    assert!(
        !site.output_path("en/news/opening/.thumbs").exists()
            && !site.output_path("en/news/opening/.notes.txt").exists(),
        "hidden files and folders of a bundle are not published"
    );
    let alias = site.page("en/old-opening/index.html");
    assert_eq!(
        alias.attr("link[rel=canonical]", "href"),
        "https://example.org/guide/en/news/opening/"
    );
    assert!(
        !site
            .output_path("en/policies/old-draft/index.html")
            .exists(),
        "drafts are left out"
    );
    let with_drafts = site.run(&["build", "--drafts"]);
    assert_eq!(with_drafts.code, 0, "{}", with_drafts.stderr);
    assert!(
        site.output_path("en/policies/old-draft/index.html")
            .is_file()
    );
}

#[test]
fn theme_assets_are_fingerprinted() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let css = site
        .page("en/index.html")
        .attr("link[rel=stylesheet]", "href");
    assert!(
        css.starts_with("/signage.")
            && css.ends_with(".css")
            && css.len() > "/signage..css".len() + 4,
        "{css}"
    );
    assert!(site.output_path(&css).is_file());
}

#[test]
fn two_builds_give_identical_bytes() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let first = snapshot(&site.root().join("public"));
    site.build();
    let second = snapshot(&site.root().join("public"));
    assert_eq!(first.len(), second.len());
    for ((path_a, bytes_a), (path_b, bytes_b)) in first.iter().zip(&second) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{path_a} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_whole() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let before = snapshot(&site.root().join("public"));
    site.write("content/policies/broken.md", "---\ntitle: [broken\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(snapshot(&site.root().join("public")), before);
}

#[test]
fn base_url_and_output_can_be_overridden() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let out = site.root().join("elsewhere");
    let run = site.run(&[
        "build",
        "--base-url",
        "https://other.example/",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(out.join("en/index.html")).unwrap();
    assert!(html.contains("https://other.example/en/"), "{html}");
    assert!(!site.output_path("index.html").exists());
}
