//! The signage theme on the guide: community colours, pictograms, sign labels,
//! the overview map, the chart, offline files, and pages that stay within a
//! strict Content-Security-Policy and one stylesheet.

use std::collections::BTreeSet;

use crate::support::{SiteTest, snapshot};

const PREFIXES: [&str; 4] = ["zh-hans", "zh-hant", "en", "ru"];

#[test]
fn the_guide_looks_like_its_signs() {
    let site = SiteTest::from_guide();
    site.build();

    for prefix in PREFIXES {
        // The overview map: eight stops in two lines (2017, 2019), each a link
        // to its community in the reader's language, eight different colours.
        let home = site.page(&format!("{prefix}/index.html"));
        assert_eq!(home.all(".community-map .map-group").len(), 2, "{prefix}");
        let stops = home.all(".community-map a");
        assert_eq!(stops.len(), 8, "{prefix}");
        let mut colours = BTreeSet::new();
        for stop in &stops {
            let href = stop.value().attr("href").unwrap();
            assert!(
                href.starts_with(&format!("/{prefix}/communities/")),
                "{href}"
            );
            let circle = stop
                .children()
                .filter_map(scraper::ElementRef::wrap)
                .find(|e| e.value().name() == "circle")
                .expect("a stop circle");
            colours.insert(circle.value().attr("class").unwrap().to_string());
        }
        assert_eq!(colours.len(), 8, "{prefix}: {colours:?}");
        let groups = home.all(".map-group figcaption");
        assert!(groups[0].text().collect::<String>().contains("2017"));
        assert!(groups[1].text().collect::<String>().contains("2019"));

        // A community page wears its own colour; the same colour marks it on the map.
        let wangjing = site.page(&format!("{prefix}/communities/wangjing/index.html"));
        let class = wangjing.attr("article.community", "class");
        let own = class
            .split_whitespace()
            .find(|c| c.starts_with("community-"))
            .expect("a community colour class")
            .to_string();
        let on_map = home.all(&format!(
            ".community-map a[href='/{prefix}/communities/wangjing/'] circle.{own}"
        ));
        assert_eq!(
            on_map.len(),
            1,
            "{prefix}: wangjing is {own} on its page and on the map"
        );

        // A facility shows its kind's pictogram, hidden from screen readers
        // (the badge beside it names the kind), and its community's colour.
        let street = site.page(&format!("{prefix}/facilities/wangjing-street/index.html"));
        assert_eq!(
            street.attr(".facility-kind svg.pictogram", "aria-hidden"),
            "true"
        );
        assert_eq!(street.all(&format!(".community-chips .{own}")).len(), 1);
    }

    // Sign labels pair the reader's language with the Chinese name, but not
    // Traditional with Simplified Chinese.
    let en = site.page("en/communities/wangjing/index.html");
    assert_eq!(en.attr("h1 .sign-label", "lang"), "zh-Hans");
    assert_eq!(
        en.one("h1 .sign-label").text().collect::<String>(),
        "朝阳望京"
    );
    let ru = site.page("ru/facilities/index.html");
    assert!(!ru.all(".card .sign-label").is_empty());
    let hant = site.page("zh-hant/communities/wangjing/index.html");
    assert!(hant.all(".sign-label").is_empty());

    // The figures page charts the four totals: 11 symbols of 1,000 apartments,
    // 23 schools, 8 hospitals, 18 service stations, labelled in the language.
    let figures = site.page("en/about/figures/index.html");
    let rows = figures.all(".chart-row");
    assert_eq!(rows.len(), 4);
    let label = |i: usize| {
        rows[i]
            .select(&scraper::Selector::parse(".chart-label").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>()
    };
    assert_eq!(label(0), "11,000 apartments");
    assert_eq!(label(1), "23 schools");
    let symbols = |i: usize| {
        rows[i]
            .select(&scraper::Selector::parse(".chart-symbols > svg").unwrap())
            .count()
    };
    assert_eq!(
        (symbols(0), symbols(1), symbols(2), symbols(3)),
        (11, 23, 8, 18)
    );
    let ru_figures = site.page("ru/about/figures/index.html");
    assert!(
        ru_figures.text().contains("11\u{a0}000 квартир"),
        "Russian plural and digits"
    );
}

#[test]
fn pages_need_no_inline_code_and_one_stylesheet() {
    let site = SiteTest::from_guide();
    site.build();
    let mut checked = 0;
    for (name, bytes) in snapshot(&site.root().join("public")) {
        if !name.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let page = scraper::Html::parse_document(&html);
        let select = |css: &str| {
            page.select(&scraper::Selector::parse(css).unwrap())
                .collect::<Vec<_>>()
        };
        assert!(select("[style], style").is_empty(), "{name}: inline style");
        for script in select("script") {
            let attrs = script.value();
            assert!(attrs.attr("src").is_some(), "{name}: inline script");
            assert!(
                attrs.attr("defer").is_some() || attrs.attr("type") == Some("module"),
                "{name}: a render-blocking script"
            );
        }
        let on_attributes = select("*")
            .iter()
            .flat_map(|e| e.value().attrs().map(|(k, _)| k.to_string()))
            .filter(|k| k.starts_with("on"))
            .collect::<Vec<_>>();
        assert!(on_attributes.is_empty(), "{name}: {on_attributes:?}");
        if !html.contains("http-equiv=refresh") {
            assert_eq!(select("link[rel=stylesheet]").len(), 1, "{name}");
        }
        checked += 1;
    }
    assert!(checked > 150, "only {checked} pages checked");
}

#[test]
fn each_language_can_be_kept_offline() {
    let site = SiteTest::from_guide();
    site.build();
    let worker = site.file("sw.js");
    assert!(worker.contains("addEventListener(\"fetch\""));
    let script_path = site.page("en/index.html").attr("script[defer]", "src");
    let script = site.file(script_path.trim_start_matches('/'));
    assert!(script.contains("serviceWorker.register(\"/sw.js\")"));
    for prefix in PREFIXES {
        let list: serde_json::Value =
            serde_json::from_str(&site.file(&format!("{prefix}/offline.json"))).unwrap();
        let urls: Vec<&str> = list["urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        assert!(urls.contains(&format!("/{prefix}/").as_str()));
        assert!(urls.contains(&format!("/{prefix}/communities/wangjing/").as_str()));
        assert!(urls.iter().any(|u| u.ends_with(".css")));
        let index = format!("/search/{prefix}/manifest.json");
        assert!(
            urls.contains(&index.as_str()),
            "{prefix} keeps its search index"
        );
        for url in &urls {
            assert!(
                url.starts_with(&format!("/{prefix}/"))
                    || !url[1..].contains('/')
                    // The search module and its shared tables, and this language's index.
                    || url.starts_with("/search/") && url.matches('/').count() == 2
                    || url.starts_with(&format!("/search/{prefix}/")),
                "{prefix} keeps {url}, which belongs to another language"
            );
            assert!(
                site.output_path(&format!("{url}index.html")).exists()
                    || site.output_path(url).is_file(),
                "{url} is listed but not built"
            );
        }
    }
}

#[test]
fn a_theme_setting_out_of_range_is_an_error() {
    let site = SiteTest::from_fixture("theme/override");
    site.write(
        "themes/signage/theme.yaml",
        "name: signage\ncommunity_colours: 0\n",
    );
    let run = site.run(&["build", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("theme/settings"), "{}", run.stdout);
    assert!(
        run.stdout.contains("themes/signage/theme.yaml"),
        "{}",
        run.stdout
    );
}

/// Bytes over the wire: `bytes` compressed with gzip at the default level.
fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

#[test]
fn every_page_weighs_under_60_kb_over_the_wire() {
    let site = SiteTest::from_guide();
    site.build();
    let public = site.root().join("public");
    let mut heaviest = (0, String::new());
    for (name, html) in snapshot(&public) {
        if !name.ends_with(".html") {
            continue;
        }
        let page = scraper::Html::parse_document(&String::from_utf8_lossy(&html));
        // The page and everything it loads before it is usable: stylesheet and scripts.
        let mut total = gzipped(&html);
        for css in ["link[rel=stylesheet]", "script[src]"] {
            for element in page.select(&scraper::Selector::parse(css).unwrap()) {
                let url = element
                    .value()
                    .attr("href")
                    .or_else(|| element.value().attr("src"))
                    .unwrap();
                total += gzipped(&std::fs::read(public.join(url.trim_start_matches('/'))).unwrap());
            }
        }
        if total > heaviest.0 {
            heaviest = (total, name);
        }
    }
    assert!(heaviest.0 > 5_000, "nothing measured");
    assert!(
        heaviest.0 < 60_000,
        "{} weighs {} bytes gzipped",
        heaviest.1,
        heaviest.0
    );
}
