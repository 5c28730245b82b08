//! Safe output: hostile text comes out escaped wherever it lands (HTML text,
//! attributes, Atom, the sitemap, the search index), and the built guide
//! works under the strict Content-Security-Policy the README gives.

use scraper::{Html, Selector};

use crate::support::{SiteTest, snapshot};

const TITLE: &str =
    "Tom & Jerry's \"<script>alert(1)</script>\" ]]> </script><img src=x onerror=alert(2)>";
const SUMMARY: &str =
    "Summary <b onmouseover=alert(3)>bold</b> & ]]> \"quoted\" 'single' </script>";
const SOURCE_URL: &str = "https://example.org/?a=1&b=\"><script>alert(6)</script>";

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// No script runs but the theme's own files, and no markup came from the text.
fn assert_no_injected_markup(path: &str, html: &Html) {
    for script in select(html, "script") {
        let kind = script.value().attr("type").unwrap_or("");
        assert!(
            script.value().attr("src").is_some() || kind.contains("json"),
            "{path}: an inline script: {}",
            script.html()
        );
    }
    for element in html
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, _) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{path}: an event handler attribute: {}",
                element.html()
            );
        }
    }
    for css in ["iframe", "img[src=x]", "svg[onload]", "b[onmouseover]"] {
        assert!(select(html, css).is_empty(), "{path}: injected `{css}`");
    }
}

#[test]
fn hostile_text_is_escaped_wherever_it_lands() {
    let site = SiteTest::from_fixture("hostile/escaping");
    site.build();
    let files = snapshot(&site.root().join("public"));
    let mut seen_json_title = false;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            // Parsed as a browser would: `<script>` inside a quoted attribute
            // value is harmless text, an element or handler is not.
            assert_no_injected_markup(path, &Html::parse_document(&text));
        } else if path.ends_with(".xml") {
            assert!(!text.contains("<script"), "{path}: raw markup");
            assert!(!text.contains("]]>"), "{path}: raw `]]>`");
            let mut reader = quick_xml::Reader::from_str(&text);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(error) => panic!("{path} is not well-formed XML: {error}"),
                }
            }
        } else if path.ends_with(".json") {
            let value: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
            seen_json_title |= value.to_string().contains("Tom & Jerry's");
        }
    }
    assert!(seen_json_title, "the title is in the search index");

    // Round trips: the reader sees exactly what the editor wrote.
    let page = site.page("en/policies/first/index.html");
    assert_eq!(page.one("h1").text().collect::<String>(), TITLE);
    assert!(page.one("title").text().collect::<String>().contains(TITLE));
    assert_eq!(page.attr("meta[name=description]", "content"), SUMMARY);
    assert_eq!(page.attr(".sources a", "href"), SOURCE_URL);
    let feed = site.file("en/feed.xml");
    assert!(feed.contains("Tom &amp; Jerry"), "{feed}");
    let station = site.page("en/facilities/station/index.html");
    assert!(
        station
            .one("h1")
            .text()
            .collect::<String>()
            .contains("Station <script>alert(9)</script> & ]]>")
    );
}

#[test]
fn links_that_could_run_code_are_refused() {
    let site = SiteTest::from_fixture("hostile/base");
    site.write(
        "content/policies/js.en.md",
        "---\ntitle: JS\nsources:\n  - {title: T, publisher: P, url: \"javascript:alert(1)\"}\n---\n",
    );
    site.write(
        "content/facilities/js.yaml",
        "kind: school\ncommunity: wangjing\nname: {en: JS}\nwebsite: \"javascript:alert(1)//https://\"\n",
    );
    let (code, list) = crate::support::json(&site, &["check"]);
    assert_eq!(code, 1);
    crate::support::find(
        &list,
        "front-matter/source-url",
        "content/policies/js.en.md",
    );
    crate::support::find(&list, "facility/website", "content/facilities/js.yaml");
}

/// The policy the README tells deployers to send.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[test]
fn the_guide_needs_nothing_a_strict_csp_forbids() {
    assert!(CSP.contains("script-src 'self'") && !CSP.contains("unsafe"));
    let site = SiteTest::from_guide();
    site.build();
    let mut problems = Vec::new();
    for (path, bytes) in snapshot(&site.root().join("public")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&bytes));
        for script in select(&html, "script") {
            let kind = script.value().attr("type").unwrap_or("");
            if script.value().attr("src").is_none() && !kind.contains("json") {
                problems.push(format!("{path}: inline <script> (script-src 'self')"));
            }
        }
        if !select(&html, "style").is_empty() {
            problems.push(format!("{path}: <style> element (style-src 'self')"));
        }
        for element in html
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            for (name, value) in element.value().attrs() {
                if name == "style" {
                    problems.push(format!(
                        "{path}: style attribute on <{}>",
                        element.value().name()
                    ));
                }
                if name.starts_with("on") {
                    problems.push(format!("{path}: {name} handler (script-src 'self')"));
                }
                if matches!(name, "href" | "src" | "action")
                    && value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:")
                {
                    problems.push(format!("{path}: javascript: URL"));
                }
                if matches!(name, "src" | "srcset" | "action")
                    && (value.starts_with("http://")
                        || value.starts_with("https://")
                        || value.starts_with("//"))
                {
                    problems.push(format!("{path}: loads {value} from another origin"));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
