//! Hostile content: every bad input gives a clear diagnostic (code, file, line),
//! never a panic, and a build that fails leaves the last published output whole.
//!
//! The inputs that cannot sensibly be committed (invalid UTF-8, NUL bytes, a
//! 50 MB page, 10 000-deep nesting, alias bombs, symlinks) are written into a
//! temporary copy of `hostile/base` by the test itself.

use std::path::Path;

use crate::support::{SiteTest, fails_and_keeps_output, find, indent, json, snapshot};

const PAGE: &str = "content/policies/bad.en.md";

#[test]
fn invalid_utf8_names_the_line() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write_bytes(
            PAGE,
            b"---\ntitle: Bad bytes\n---\nfine line\nbroken \xff\xfe here\n",
        );
    });
    let d = find(&list, "content/encoding", PAGE);
    assert_eq!(d["line"], 5, "{d}");
    assert_eq!(d["column"], 8, "{d}");
}

#[test]
fn invalid_utf8_in_a_facility_and_in_site_yaml() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write_bytes(
            "content/facilities/bad.yaml",
            b"kind: school\nname: {en: \"\xc3\x28\"}\n",
        );
        site.write_bytes("i18n/en.yaml", b"guide:\n  motto: \"\xe9t\xe9\"\n");
    });
    assert_eq!(
        find(&list, "content/encoding", "content/facilities/bad.yaml")["line"],
        2
    );
    assert_eq!(find(&list, "i18n/encoding", "i18n/en.yaml")["line"], 2);
    let (_, list) = fails_and_keeps_output(|site| {
        let mut text = std::fs::read(site.root().join("site.yaml")).unwrap();
        text.extend_from_slice(b"description: {en: \"\xe2\x82\"}\n");
        site.write_bytes("site.yaml", &text);
    });
    assert_eq!(find(&list, "config/encoding", "site.yaml")["line"], 8);
}

#[test]
fn nul_bytes_are_refused() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write_bytes(PAGE, b"---\ntitle: Nul\n---\nbody\x00 here\n");
    });
    let d = find(&list, "content/nul-byte", PAGE);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(5))
    );
    let (_, list) = fails_and_keeps_output(|site| {
        site.write_bytes(PAGE, b"---\ntitle: \"Nul \x00\"\n---\nbody\n");
    });
    assert_eq!(find(&list, "content/nul-byte", PAGE)["line"], 2);
}

#[test]
fn a_bom_and_crlf_line_ends_work_like_plain_lf() {
    let site = SiteTest::from_fixture("hostile/base");
    site.write_bytes("content/policies/windows.en.md",
        "\u{feff}---\r\ntitle: Written on Windows\r\nsummary: CRLF and a BOM\r\n---\r\n## Heading {#here}\r\n\r\nSee [here](#here).\r\n"
            .as_bytes(),
    );
    site.write_bytes(
        "content/facilities/windows.yaml",
        "\u{feff}kind: school\r\ncommunity: wangjing\r\nname: {en: Windows School}\r\n".as_bytes(),
    );
    let mut config = b"\xef\xbb\xbf".to_vec();
    config.extend(
        std::fs::read_to_string(site.root().join("site.yaml"))
            .unwrap()
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    site.write_bytes("site.yaml", &config);
    let (code, list) = json(&site, &["build"]);
    assert_eq!(code, 0, "{list:?}");
    assert!(list.iter().all(|d| d["severity"] != "error"), "{list:?}");
    let page = site.page("en/policies/windows/index.html");
    assert_eq!(
        page.one("h1").text().collect::<String>(),
        "Written on Windows"
    );
    assert_eq!(page.attr("main h2", "id"), "here");
    let html = site.file("en/policies/windows/index.html");
    assert!(!html.contains('\u{feff}') && !html.contains('\r'), "{html}");
    let school = site.page("en/facilities/windows/index.html");
    assert_eq!(
        school.one("h1").text().collect::<String>(),
        "Windows School"
    );
}

#[test]
fn front_matter_that_never_closes() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write(
            PAGE,
            "---\ntitle: Open\nsummary: and never closed\n\nBody text.\n",
        );
    });
    let d = find(&list, "front-matter/unclosed", PAGE);
    assert_eq!(d["line"], 1);
    assert!(d["hint"].as_str().unwrap().contains("---"), "{d}");
}

#[test]
fn duplicate_keys_are_errors() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write(PAGE, "---\ntitle: One\nsummary: x\ntitle: Two\n---\nBody\n");
        site.write(
            "content/facilities/twice.yaml",
            "kind: school\ncommunity: wangjing\nname: {en: A, en: B}\n",
        );
    });
    assert_eq!(find(&list, "yaml/syntax", PAGE)["line"], 4);
    assert_eq!(
        find(&list, "yaml/syntax", "content/facilities/twice.yaml")["line"],
        3
    );
}

#[test]
fn ten_thousand_deep_nesting_is_refused() {
    let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    // Block nesting 10 000 deep is 50 MB of indentation (refused as too
    // large); 1 000 deep is half a megabyte and reaches the depth budget.
    let block: String = (0..1_000)
        .map(|depth| format!("{}k{depth}:\n", " ".repeat(depth)))
        .collect();
    let (_, list) = fails_and_keeps_output(|site| {
        site.write(PAGE, &format!("---\ntitle: Deep\nextra: {flow}\n---\n"));
        site.write(
            "content/policies/deeper.en.md",
            &format!("---\ntitle: Deeper\nextra:\n{}---\n", indent(&block)),
        );
        site.write(
            "content/facilities/deep.yaml",
            &format!("kind: school\ncommunity: wangjing\nextra: {flow}\n"),
        );
    });
    for file in [
        PAGE,
        "content/policies/deeper.en.md",
        "content/facilities/deep.yaml",
    ] {
        let d = find(&list, "yaml/syntax", file);
        assert!(d["line"].as_u64().unwrap() >= 2, "{d}");
        assert!(d["message"].as_str().unwrap().contains("nested"), "{d}");
    }
    let (_, list) = fails_and_keeps_output(|site| {
        let text = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write("site.yaml", &format!("{text}extra: {flow}\n"));
    });
    find(&list, "yaml/syntax", "site.yaml");
}

#[test]
fn alias_bombs_are_refused() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let previous = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        let refs = vec![format!("*{previous}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let (_, list) = fails_and_keeps_output(|site| {
        site.write(
            PAGE,
            &format!("---\ntitle: Bomb\nextra:\n{}---\n", indent(&bomb)),
        );
        site.write(
            "content/facilities/bomb.yaml",
            &format!(
                "kind: school\ncommunity: wangjing\nextra:\n{}",
                indent(&bomb)
            ),
        );
    });
    for file in [PAGE, "content/facilities/bomb.yaml"] {
        let d = find(&list, "yaml/syntax", file);
        assert!(d["hint"].as_str().unwrap().contains("alias"), "{d}");
    }
}

#[test]
fn a_fifty_megabyte_page_is_refused_quickly() {
    let started = std::time::Instant::now();
    let (_, list) = fails_and_keeps_output(|site| {
        let mut text = b"---\ntitle: Huge\n---\n".to_vec();
        let line = b"A line of a very long page that someone pasted by mistake.\n";
        while text.len() < 50 * 1024 * 1024 {
            text.extend_from_slice(line);
        }
        site.write_bytes(PAGE, &text);
    });
    let d = find(&list, "content/too-large", PAGE);
    assert!(d["message"].as_str().unwrap().contains("MB"), "{d}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn invisible_and_bidi_characters() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write(PAGE, "---\ntitle: \"Right\u{202e}txt.exe\"\n---\nBody\n");
        site.write(
            "content/policies/zero.en.md",
            "---\ntitle: Zero\nslug: \"ze\u{200b}ro\"\naliases: [\"/en/o\u{2066}ld/\"]\n---\nBody\n",
        );
        site.write(
            "content/policies/sp\u{200b}oof.en.md",
            "---\ntitle: Spoof\n---\nBody\n",
        );
    });
    assert_eq!(find(&list, "content/bidi-control", PAGE)["line"], 2);
    assert_eq!(
        find(&list, "content/slug-chars", "content/policies/zero.en.md")["line"],
        3
    );
    assert_eq!(
        find(&list, "content/alias-path", "content/policies/zero.en.md")["line"],
        4
    );
    find(
        &list,
        "content/file-name",
        "content/policies/sp\u{200b}oof.en.md",
    );

    // A zero-width space in a title is only a warning: the page still builds.
    let site = SiteTest::from_fixture("hostile/base");
    site.write(
        "content/policies/soft.en.md",
        "---\ntitle: \"Soft\u{200b}break\"\n---\nBody\n",
    );
    let (code, list) = json(&site, &["build"]);
    assert_eq!(code, 0, "{list:?}");
    let d = find(
        &list,
        "content/invisible-char",
        "content/policies/soft.en.md",
    );
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(8))
    );
}

#[test]
fn slugs_and_aliases_cannot_leave_the_output_folder() {
    let bad_aliases = [
        "../outside/",
        "/en/../../outside/",
        "/%2e%2e/outside/",
        "/%2E%2E%2Foutside/",
        "//evil.example/",
        "\\\\server\\share",
        "C:/Windows/",
        "en/relative/",
    ];
    let (site, list) = fails_and_keeps_output(|site| {
        let aliases: Vec<String> = bad_aliases.iter().map(|a| format!("{a:?}")).collect();
        site.write(
            PAGE,
            &format!(
                "---\ntitle: Escape\naliases: [{}]\n---\n",
                aliases.join(", ")
            ),
        );
        site.write(
            "content/policies/slug.en.md",
            "---\ntitle: Slug\nslug: ../../outside\n---\n",
        );
        site.write(
            "content/policies/abs.en.md",
            "---\ntitle: Abs\nslug: /etc/passwd\n---\n",
        );
        site.write(
            "content/policies/enc.en.md",
            "---\ntitle: Enc\nslug: \"%2e%2e\"\n---\n",
        );
    });
    let escapes = list
        .iter()
        .filter(|d| d["code"] == "content/alias-path" && d["file"] == PAGE)
        .count();
    assert_eq!(escapes, bad_aliases.len(), "{list:?}");
    find(&list, "content/slug-path", "content/policies/slug.en.md");
    find(&list, "content/slug-path", "content/policies/abs.en.md");
    find(&list, "content/slug-chars", "content/policies/enc.en.md");
    let parent = site.root().parent().unwrap();
    assert!(!parent.join("outside").exists() && !site.root().join("outside").exists());
}

#[test]
fn two_files_claiming_one_url_by_case_only() {
    let (_, list) = fails_and_keeps_output(|site| {
        site.write(
            "content/policies/First.en.md",
            "---\ntitle: Shouting\n---\n",
        );
    });
    let d = list
        .iter()
        .find(|d| d["code"] == "content/duplicate-url" && d["file"] != "content")
        .expect("a URL clash, reported at one of the files");
    let text = format!("{} {} {}", d["file"], d["message"], d["hint"]);
    assert!(
        text.contains("first.en.md") && text.contains("First.en.md"),
        "names both files: {d}"
    );
    // Reported at the files, not again as a generic clash in the output.
    assert!(
        !list
            .iter()
            .any(|d| d["code"] == "content/duplicate-url" && d["file"] == "content"),
        "{list:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_that_leave_the_site_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.en.md"),
        "---\ntitle: SECRET\n---\nSECRET\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    let (site, list) = fails_and_keeps_output(|site| {
        let link = |target: &Path, at: &str| {
            let at = site.root().join(at);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(target, at).unwrap();
        };
        link(
            &outside.path().join("secret.en.md"),
            "content/policies/secret.en.md",
        );
        link(outside.path(), "content/linked");
        link(&outside.path().join("secret.txt"), "static/secret.txt");
        link(outside.path(), "static/folder");
    });
    for file in ["content/policies/secret.en.md", "content/linked"] {
        find(&list, "content/symlink", file);
    }
    for file in ["static/secret.txt", "static/folder"] {
        find(&list, "static/symlink", file);
    }
    let public = site.root().join("public");
    for (path, bytes) in snapshot(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET"),
            "{path} holds the outside file"
        );
    }
}
