//! One planted mistake at a time in a site on which `check` reports nothing:
//! each must come out as exactly one diagnostic, at its file, line and column.

use serde_json::Value;

use crate::support::{SiteTest, json};

/// (code, file, line, column) of one diagnostic.
type Found = (String, String, u64, u64);

fn check(site: &SiteTest) -> (i32, Vec<Value>) {
    json(site, &["check"])
}

/// `check` exits 0 and reports nothing, not even a warning.
fn assert_nothing_reported(site: &SiteTest) {
    let (code, list) = check(site);
    assert_eq!(code, 0);
    assert!(
        list.is_empty(),
        "{}",
        serde_json::to_string_pretty(&list).unwrap()
    );
}

fn located(list: &[Value]) -> Vec<Found> {
    list.iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Plants `text` at `path` in a copy of the clean site and returns the one
/// diagnostic `check` reports; fails if there is not exactly one.
fn plant(path: &str, text: &str) -> (i32, Value) {
    let site = SiteTest::from_fixture("checks/clean");
    site.write(path, text);
    let (code, list) = check(&site);
    assert_eq!(
        list.len(),
        1,
        "expected one diagnostic, got:\n{}",
        serde_json::to_string_pretty(&list).unwrap()
    );
    (code, list[0].clone())
}

fn expect(path: &str, text: &str, code: &str, file: &str, line: u64, column: u64) -> Value {
    let (exit, d) = plant(path, text);
    assert_eq!(
        located(std::slice::from_ref(&d)),
        [(code.to_string(), file.to_string(), line, column)],
        "{d}"
    );
    let severity = if exit == 0 { "warning" } else { "error" };
    assert_eq!(d["severity"], severity, "{d}");
    d
}

const EN_PAGE: &str = "content/communities/wangjing.en.md";

fn en_page(body: &str) -> String {
    format!(
        "---\ntitle: Wangjing\nsummary: A community in the north-east of Beijing\n---\n## History {{#history}}\n\n{body}\n\n## Transport {{#transport}}\n\nThe subway reaches the [station](@/facilities/station.yaml).\n"
    )
}

#[test]
fn the_clean_site_has_nothing_to_report() {
    let site = SiteTest::from_fixture("checks/clean");
    assert_nothing_reported(&site);
}

#[test]
fn a_missing_heading_on_the_same_page() {
    let d = expect(
        EN_PAGE,
        &en_page("Read [the story](#histroy) first."),
        "link/anchor",
        EN_PAGE,
        7,
        6,
    );
    assert!(d["hint"].as_str().unwrap().contains("#history"), "{d}");
}

#[test]
fn a_site_path_to_a_page_that_does_not_exist() {
    expect(
        EN_PAGE,
        &en_page("See [the rules](/en/policies/nope/)."),
        "link/unresolved",
        EN_PAGE,
        7,
        5,
    );
}

#[test]
fn site_paths_relative_paths_and_anchors_that_exist_pass() {
    let site = SiteTest::from_fixture("checks/clean");
    site.write(
        EN_PAGE,
        &en_page(
            "[a](/en/policies/visa/) [b](../../policies/visa/#top) [c](#transport) [d](/guide/en/) [e](/sitemap.xml) [f](../../policies/visa/map.svg) [g](https://example.org/nope/)",
        ),
    );
    let (code, list) = check(&site);
    // `#top` is no heading of the visa page: the one error.
    assert_eq!(code, 1);
    assert_eq!(
        located(&list),
        [("link/anchor".to_string(), EN_PAGE.to_string(), 7, 25)]
    );
}

#[test]
fn a_relative_link_that_leads_nowhere() {
    expect(
        EN_PAGE,
        &en_page("Next door: [Shunyi](../shunyi/)."),
        "link/unresolved",
        EN_PAGE,
        7,
        12,
    );
}

#[test]
fn a_missing_image() {
    let d = expect(
        "content/policies/visa/index.en.md",
        "---\ntitle: Visa services\nsummary: Where foreign residents apply for visas\n---\nHow to apply for visa services.\n\n![Map](missing.png)\n",
        "link/unresolved",
        "content/policies/visa/index.en.md",
        7,
        1,
    );
    assert!(d["message"].as_str().unwrap().contains("image"), "{d}");
}

#[test]
fn a_hugo_shortcode_left_in_the_text() {
    let d = expect(
        EN_PAGE,
        &en_page("See {{< ref \"wangjing\" >}} for more."),
        "text/shortcode",
        EN_PAGE,
        7,
        5,
    );
    assert!(d["message"].as_str().unwrap().contains("`ref`"), "{d}");
}

#[test]
fn a_ui_string_missing_in_one_language() {
    let site = SiteTest::from_fixture("checks/clean");
    for lang in ["zh-Hans", "zh-Hant", "en"] {
        site.write(
            &format!("i18n/{lang}.yaml"),
            "# the guide's own strings\nguide:\n  motto: Find your way\n",
        );
    }
    site.write("i18n/ru.yaml", "# nothing yet\n");
    let (code, list) = check(&site);
    assert_eq!(code, 1);
    assert_eq!(
        located(&list),
        [(
            "i18n/missing-key".to_string(),
            "i18n/en.yaml".to_string(),
            3,
            3
        )]
    );
    let hint = list[0]["hint"].as_str().unwrap();
    assert!(
        hint.contains("guide.motto") && hint.contains("i18n/ru.yaml"),
        "{hint}"
    );
}

/// The clean site with the guide's own UI string in every language, and
/// `ru` written as `ru_yaml`.
fn with_ui_strings(ru_yaml: &str) -> SiteTest {
    let site = SiteTest::from_fixture("checks/clean");
    for lang in ["zh-Hans", "zh-Hant", "en"] {
        site.write(
            &format!("i18n/{lang}.yaml"),
            "# the guide's own strings\nguide:\n  motto: Find your way\n",
        );
    }
    site.write("i18n/ru.yaml", ru_yaml);
    site
}

/// Regression: a UI string of the wrong type, or a file that does not
/// parse, was also reported as missing in that language (two errors).
#[test]
fn a_ui_string_that_is_not_text_is_one_error() {
    let cases = [
        (
            "# the guide's own strings\nguide:\n  motto: [Find, your, way]\n",
            "i18n/wrong-type",
            (3, 3),
        ),
        (
            "# the guide's own strings\nguide: [Find, your, way]\n",
            "i18n/wrong-type",
            (2, 1),
        ),
        (
            "# the guide's own strings\nguide:\n  motto: \"Find your way\n",
            "yaml/syntax",
            (3, 10),
        ),
    ];
    for (ru, code, (line, column)) in cases {
        let site = with_ui_strings(ru);
        let (exit, list) = check(&site);
        assert_eq!(exit, 1);
        assert_eq!(
            located(&list),
            [(code.to_string(), "i18n/ru.yaml".to_string(), line, column)],
            "{ru}\n{}",
            serde_json::to_string_pretty(&list).unwrap()
        );
    }
}

#[test]
fn german_in_a_russian_title() {
    expect(
        "content/communities/wangjing.ru.md",
        "---\ntitle: Die Stadtverwaltung hilft allen\nsummary: Район на северо-востоке Пекина\n---\n## История {#history}\n\n[Политика](@/policies/visa/index.md) описывает улицу.\n\n## Транспорт {#transport}\n\nДо [станции](@/facilities/station.yaml) ходит метро.\n",
        "text/wrong-language",
        "content/communities/wangjing.ru.md",
        2,
        8,
    );
}

#[test]
fn traditional_characters_in_a_simplified_title() {
    let d = expect(
        "content/communities/wangjing.zh-Hans.md",
        "---\ntitle: \"望京國際社區\"\nsummary: 北京东北部的社区\n---\n## 历史 {#history}\n\n望京街道的介绍见[政策](@/policies/visa/index.md)。\n\n## 交通 {#transport}\n\n地铁可以到达[服务站](@/facilities/station.yaml)。\n",
        "text/wrong-script",
        "content/communities/wangjing.zh-Hans.md",
        2,
        11,
    );
    assert!(
        d["message"].as_str().unwrap().contains("`國際`, `區`"),
        "{d}"
    );
}

#[test]
fn english_in_a_facilitys_russian_description() {
    expect(
        "content/facilities/station.yaml",
        "kind: service-station\ncommunity: wangjing\nname: {zh-Hans: 望京服务站, en: Wangjing service station, ru: Сервисная станция Ванцзин}\nsummary: {zh-Hans: 为外国居民服务, en: Help for foreign residents, ru: Помощь иностранным жителям}\ndescription:\n  zh-Hans: 办理居留许可。\n  en: Help with residence permits.\n  ru: Help with residence permits and visas.\n",
        "text/wrong-language",
        "content/facilities/station.yaml",
        8,
        7,
    );
}

#[test]
fn a_link_in_a_facility_description_is_found_where_it_is_written() {
    expect(
        "content/facilities/station.yaml",
        "kind: service-station\ncommunity: wangjing\nname: {zh-Hans: 望京服务站, en: Wangjing service station, ru: Сервисная станция Ванцзин}\nsummary: {zh-Hans: 为外国居民服务, en: Help for foreign residents, ru: Помощь иностранным жителям}\ndescription: {zh-Hans: 办理居留许可。, en: \"Help with [permits](@/policies/permits.md).\", ru: Помощь с видом на жительство.}\n",
        "link/unresolved",
        "content/facilities/station.yaml",
        5,
        48,
    );
}

#[test]
fn file_names_that_look_like_translations() {
    let text = "---\ntitle: Visa\n---\nText.\n";
    for (name, suggestion) in [
        ("visa.zh_Hant.md", "visa.zh-Hant.md"),
        ("visa.EN.md", "visa.en.md"),
        ("visa.MD", "visa.md"),
        ("visa.en.markdown", "visa.en.md"),
    ] {
        let file = format!("content/policies/{name}");
        let d = expect(&file, text, "content/file-name", &file, 1, 1);
        assert!(
            d["hint"].as_str().unwrap().contains(suggestion),
            "{name}: {d}"
        );
    }
}

/// Regression: a translation whose file could not be read was also
/// reported as missing (a warning at the source, one more at site.yaml).
#[test]
fn a_translation_that_cannot_be_read_is_not_also_missing() {
    expect(
        "content/policies/visa/index.en.md",
        "---\ntitle: Visa services\ntitle: Visa\nsummary: Where foreign residents apply for visas\n---\nHow to apply for visa services.\n\n![Map](map.svg)\n",
        "yaml/syntax",
        "content/policies/visa/index.en.md",
        3,
        1,
    );
}

#[test]
fn an_inherited_typo_is_reported_once_at_its_source() {
    expect(
        "content/policies/visa/index.zh-Hans.md",
        "---\ntitle: 签证服务\nsummary: 外国人办理签证的地方\ncommunities: [wangjng]\n---\n签证服务的办理方法。\n\n![地图](map.svg)\n",
        "content/unknown-community",
        "content/policies/visa/index.zh-Hans.md",
        4,
        15,
    );
}

#[test]
fn a_facility_without_a_name_is_one_error() {
    expect(
        "content/facilities/station.yaml",
        "kind: service-station\ncommunity: wangjing\nsummary: {en: Help for foreign residents}\n",
        "facility/missing-name",
        "content/facilities/station.yaml",
        1,
        1,
    );
}

#[test]
fn a_tab_in_a_facility_file_is_one_error() {
    let (_, d) = plant(
        "content/facilities/station.yaml",
        "kind: service-station\ncommunity: wangjing\nname:\n\tzh-Hans: 望京服务站\n",
    );
    assert_eq!(d["code"], "yaml/syntax", "{d}");
    assert_eq!(d["file"], "content/facilities/station.yaml", "{d}");
}

#[test]
fn a_website_that_is_no_web_address_is_found_at_its_value() {
    expect(
        "content/facilities/station.yaml",
        "kind: service-station\ncommunity: wangjing\nname: {zh-Hans: 望京服务站, en: Wangjing service station, ru: Сервисная станция Ванцзин}\nsummary: {zh-Hans: 为外国居民服务, en: Help for foreign residents, ru: Помощь иностранным жителям}\ndescription: {zh-Hans: 办理居留许可。, en: Help with residence permits., ru: Помощь с видом на жительство.}\nwebsite: javascript:alert(1)\n",
        "facility/website",
        "content/facilities/station.yaml",
        6,
        10,
    );
}

#[test]
fn an_impossible_date_is_not_told_to_use_the_form_it_has() {
    let d = expect(
        "content/policies/visa/index.zh-Hans.md",
        "---\ntitle: 签证服务\nsummary: 外国人办理签证的地方\ndate: 2024-02-30\n---\n签证服务的办理方法。\n\n![地图](map.svg)\n",
        "front-matter/date",
        "content/policies/visa/index.zh-Hans.md",
        4,
        7,
    );
    let hint = d["hint"].as_str().unwrap();
    assert!(!hint.contains("YYYY-MM-DD"), "{hint}");
}

#[test]
fn figures_agree_with_decimal_commas_and_chinese_numerals() {
    let site = SiteTest::from_fixture("checks/clean");
    site.write(
        "content/policies/visa/index.zh-Hans.md",
        "---\ntitle: 签证服务\nsummary: 外国人办理签证的地方\n---\n每年办理150万件，已有一万一千套公寓。\n\n![地图](map.svg)\n",
    );
    site.write(
        "content/policies/visa/index.en.md",
        "---\ntitle: Visa services\nsummary: Where foreign residents apply for visas\n---\n1.5 million cases a year; 11,000 apartments.\n\n![Map](map.svg)\n",
    );
    site.write(
        "content/policies/visa/index.ru.md",
        "---\ntitle: Визовые услуги\nsummary: Где иностранцы оформляют визы\n---\n1,5 млн дел в год; 11 тыс. апартаментов.\n\n![Карта](map.svg)\n",
    );
    assert_nothing_reported(&site);
}

#[test]
fn human_output_puts_the_caret_under_the_mistake() {
    let site = SiteTest::from_fixture("checks/clean");
    site.write(
        "content/communities/wangjing.zh-Hans.md",
        "---\ntitle: 望京\nsummary: 北京东北部的社区\n---\n## 历史 {#history}\n\n望京街道的介绍见[政策](#没有)。\n\n## 交通 {#transport}\n\n地铁可以到达[服务站](@/facilities/station.yaml)。\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "error[link/anchor]: `#没有`: the page has no heading `#没有`\n  --> content/communities/wangjing.zh-Hans.md:7:9\n  |\n7 | 望京街道的介绍见[政策](#没有)。\n  | {}^\n",
        " ".repeat(16)
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(
        run.stderr.contains("a build would publish nothing")
            && !run.stderr.contains("nothing was published"),
        "check never publishes: {}",
        run.stderr
    );
}

/// The built-in theme's `page.html` with `typo` put in place of `correct`,
/// as the site's copy of the theme on disk, and where the typo starts (line,
/// column, 1-based, in characters).
fn theme_with_typo(correct: &str, typo: &str) -> (&'static str, String, (u64, u64)) {
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/signage/templates/page.html"),
    )
    .unwrap();
    let at = original
        .find(correct)
        .expect("the theme still has the text");
    let before = &original[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() as u64 + 1;
    let text = original.replacen(correct, typo, 1);
    ("themes/signage/templates/page.html", text, (line, column))
}

/// Regression: a template mistake was reported once per page that uses the
/// template (64 for the guide), at line 0 or 1:1 of no file the editor wrote.
#[test]
fn one_template_typo_is_exactly_one_error() {
    // A syntax error: an `if` tag that is never closed with `%}`.
    let (path, text, (line, column)) =
        theme_with_typo("{% if page.summary %}", "{% if page.summary ");
    let (exit, d) = plant(path, &text);
    assert_eq!(exit, 1);
    assert_eq!(
        (d["code"].as_str(), d["file"].as_str()),
        (Some("template/syntax"), Some(path)),
        "{d}"
    );
    // Where the tag opens, not where Tera noticed it (the next tag).
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line), Some(column)),
        "{d}"
    );
    assert!(d["hint"].as_str().unwrap().contains("`%}`"), "{d}");
    assert!(
        !d["message"].as_str().unwrap().contains("-->"),
        "no second excerpt: {d}"
    );

    // A misspelt variable, found only when pages are rendered: one error
    // for every page the template renders, at the variable.
    let (path, text, (line, column)) = theme_with_typo("{{ page.summary }}", "{{ page.sumary }}");
    let (exit, d) = plant(path, &text);
    assert_eq!(exit, 1);
    assert_eq!(
        (d["code"].as_str(), d["file"].as_str()),
        (Some("template/render"), Some(path)),
        "{d}"
    );
    assert_eq!(d["line"], line, "{d}");
    let found = d["column"].as_u64().unwrap();
    assert!(
        (column..column + "{{ page.sumary }}".len() as u64).contains(&found),
        "on the variable: {d}"
    );
    assert!(d["message"].as_str().unwrap().contains("sumary"), "{d}");
}

/// A site template whose line 2 opens an `if` tag it never closes.
const BROKEN_PAGE_TEMPLATE: &str = "{% extends \"base.html\" %}\n{% if page.summary %\n{% block main %}<p>{{ page.title }}</p>{% endblock main %}\n";

/// Links that lead somewhere even when no page could be rendered: pages,
/// anchors, generated pages, the search module, bundle files, the sitemap.
const GOOD_LINKS: &str = "[a](/en/policies/visa/) [b](#transport) [c](/en/scenarios/health/) [d](/search/signpost-search.js) [e](../../policies/visa/map.svg) [f](/sitemap.xml) [g](/en/feed.xml)";

/// Regression: with a template that does not parse, the links were not
/// checked at all (they were checked against the rendered pages), so a
/// broken link came out only once the template was fixed.
#[test]
fn a_template_syntax_error_does_not_hide_a_broken_link() {
    let site = SiteTest::from_fixture("checks/clean");
    site.write("templates/page.html", BROKEN_PAGE_TEMPLATE);
    site.write(
        EN_PAGE,
        &en_page(&format!(
            "See [the rules](/en/policies/visa/#nope). {GOOD_LINKS}"
        )),
    );
    let (code, list) = check(&site);
    assert_eq!(code, 1);
    assert_eq!(
        located(&list),
        [
            ("link/anchor".to_string(), EN_PAGE.to_string(), 7, 5),
            (
                "template/syntax".to_string(),
                "templates/page.html".to_string(),
                2,
                1
            ),
        ],
        "{}",
        serde_json::to_string_pretty(&list).unwrap()
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    for place in [
        "  --> content/communities/wangjing.en.md:7:5\n",
        "  --> templates/page.html:2:1\n  |\n2 | {% if page.summary %\n  | ^\n",
    ] {
        assert!(run.stderr.contains(place), "{place}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("2 error(s), 0 warning(s)"),
        "{}",
        run.stderr
    );

    // `build` reports the same two and publishes nothing.
    let run = site.run(&["build", "--format", "json"]);
    assert_eq!(run.code, 1);
    let built: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(located(&built), located(&list));
    assert!(!site.output_path("index.html").exists());
}

/// The same for a template that parses but fails on every page it renders.
#[test]
fn a_template_that_fails_to_render_does_not_hide_a_broken_link() {
    let (path, text, (line, _)) = theme_with_typo("{{ page.summary }}", "{{ page.sumary }}");
    let site = SiteTest::from_fixture("checks/clean");
    site.write(path, &text);
    site.write(
        EN_PAGE,
        &en_page(&format!(
            "See [the rules](/en/policies/nope/). {GOOD_LINKS}"
        )),
    );
    let (code, list) = check(&site);
    assert_eq!(code, 1);
    let found: Vec<(String, String, u64)> = located(&list)
        .into_iter()
        .map(|(code, file, line, _)| (code, file, line))
        .collect();
    assert_eq!(
        found,
        [
            ("link/unresolved".to_string(), EN_PAGE.to_string(), 7),
            ("template/render".to_string(), path.to_string(), line),
        ],
        "{}",
        serde_json::to_string_pretty(&list).unwrap()
    );
    assert_eq!(list[0]["column"], 5);
}
