//! Search: the index files, and the query side agreeing with the index side.

use std::process::Command;

use serde_json::Value;
use signpost::fuzzing::{fold_spelling, normalize, runs};

use crate::support::SiteTest;

fn json(site: &SiteTest, path: &str) -> Value {
    serde_json::from_str(&site.file(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every document URL of a language's index.
fn indexed_urls(site: &SiteTest, prefix: &str) -> Vec<String> {
    let manifest = json(site, &format!("search/{prefix}/manifest.json"));
    let base = manifest["base"].as_str().unwrap();
    let docs = manifest["docs"].as_u64().unwrap() as usize;
    let chunk = manifest["chunk"].as_u64().unwrap() as usize;
    let mut urls = Vec::new();
    for n in 0..docs.div_ceil(chunk) {
        for row in json(site, &format!("search/{prefix}/{base}/m/{n}.json"))
            .as_array()
            .unwrap()
        {
            urls.push(row[0].as_str().unwrap().to_string());
        }
    }
    urls
}

#[test]
fn every_language_gets_an_index_and_the_module() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    assert!(
        site.file("search/signpost-search.js")
            .contains("export const search")
    );
    for prefix in ["zh-hans", "zh-hant", "en", "ru"] {
        let manifest = json(&site, &format!("search/{prefix}/manifest.json"));
        assert_eq!(manifest["version"], 3);
        assert!(
            site.output_path(&format!("search/{}", manifest["t2s"].as_str().unwrap()))
                .is_file()
        );
        assert!(
            site.output_path(&format!("{prefix}/search/index.html"))
                .is_file()
        );
    }
    let page = site.page("en/search/index.html");
    assert_eq!(page.all("input[data-search-input]").len(), 1);
    assert_eq!(page.all("[data-search-results]").len(), 1);
}

#[test]
fn fallback_pages_are_not_indexed_twice() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.build();
    let ru = indexed_urls(&site, "ru");
    assert!(
        !ru.contains(&"/ru/communities/wangjing/".to_string()),
        "a fallback page is not indexed: {ru:?}"
    );
    let en = indexed_urls(&site, "en");
    assert!(
        en.contains(&"/en/communities/wangjing/".to_string()),
        "{en:?}"
    );
    let zh_hant = indexed_urls(&site, "zh-hant");
    assert!(
        zh_hant.contains(&"/zh-hant/communities/wangjing/".to_string()),
        "derived pages are indexed: {zh_hant:?}"
    );
}

#[test]
fn the_query_side_agrees_with_the_index_over_the_whole_guide() {
    let site = SiteTest::from_guide();
    site.build();
    let mut lines: Vec<String> = Vec::new();
    for entry in walk(&site.root().join("content")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        lines.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    // What readers type that the guide's text does not hold: tones, accents,
    // British and American spellings, mixed scripts, and the fuzz find.
    lines.extend(
        [
            "Shùnyì Huáiróu Wàngjīng Zhōngguāncūn lǜ",
            "Zürich café NAÏVE Ångström",
            "ЁЛКА мо́жно жильё",
            "centre centres neighbourhood organisation recognised analyse catalogue programme",
            "顺义醫院 望京SOHO parkПарк2024",
            "\u{130}stanbul j\u{64c}\u{130}\u{64c}",
        ]
        .map(str::to_string),
    );
    let texts: Vec<Value> = lines
        .iter()
        .map(|line| {
            let normalized = normalize(line);
            let line_runs: Vec<(String, bool)> = runs(&normalized);
            let folded: Vec<String> = line_runs.iter().map(|(run, _)| fold_spelling(run)).collect();
            serde_json::json!({"text": line, "normalized": normalized, "runs": line_runs, "folded": folded})
        })
        .collect();
    let vectors = serde_json::json!({ "texts": texts });
    let vectors_file = site.root().join("vectors.json");
    std::fs::write(&vectors_file, serde_json::to_vec(&vectors).unwrap()).unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/agreement.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(site.root().join("public"))
        .arg(&vectors_file)
        .output()
        .expect("node is needed for this test (scripts/test.sh installs what the tests need)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(" 0 disagreements"), "{stdout}");
}

#[test]
fn reader_queries_find_the_pages_that_answer_them() {
    // tests/relevance/queries.tsv through the shipped module over the built
    // guide; benches/relevance.mjs prints the table (and Pagefind's with --pagefind).
    let site = SiteTest::from_guide();
    site.build();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new("node")
        .arg(repo.join("benches/relevance.mjs"))
        .arg(site.root().join("public"))
        .arg(repo.join("tests/relevance/queries.tsv"))
        .args(["--min-success", "0.95"])
        .output()
        .expect("node is needed for this test (scripts/test.sh installs what the tests need)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("success@3"), "{stdout}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md" || e == "yaml") {
            out.push(path);
        }
    }
    out.sort();
    out
}
