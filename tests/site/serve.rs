//! `signpost serve`: pages served, edits picked up, reloads sent, errors overlaid and cleared.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::SiteTest;

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(site: &SiteTest) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(site.root().join("serve.log")).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let server = Server { child, port };
    wait_for(
        || {
            get(&server, "/")
                .map(|(status, _)| status == 200)
                .unwrap_or(false)
        },
        "the server to start",
    );
    server
}

/// GET `path`: (status, body).
pub(crate) fn get(server: &Server, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Polls `ready` until it holds. The deadline is generous: on a loaded 2-core
/// CI machine (other tests build sites and flood servers at the same time) a
/// debug-build rebuild can take many seconds; normally this returns in well
/// under one.
pub(crate) fn wait_for(mut ready: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serve_rebuilds_reloads_and_overlays_errors() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let server = start(&site);
    let (status, body) = get(&server, "/en/communities/wangjing/").unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("Wangjing joined in 2017"));
    assert!(
        body.contains("/__signpost/reload.js"),
        "pages get the live-reload script"
    );
    assert!(
        !site.output_path("index.html").exists(),
        "serve builds in memory, not into public/"
    );

    // Listen for reload events.
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        events,
        "GET /__signpost/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    site.write(
        "content/communities/wangjing.en.md",
        "---\ntitle: Wangjing\nsummary: Edited\n---\n## Pilots {#pilots}\n\nWangjing was edited live.\n",
    );
    wait_for(
        || {
            get(&server, "/en/communities/wangjing/")
                .is_some_and(|(_, b)| b.contains("edited live"))
        },
        "the edit to show",
    );
    let mut received = String::new();
    wait_for(
        || {
            let mut buffer = [0u8; 1024];
            if let Ok(n) = events.read(&mut buffer) {
                received.push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
            received.contains("data: ")
        },
        "a reload event",
    );

    // A broken file: the last good page stays, with the error over it.
    site.write("content/policies/broken.md", "---\ntitle: [broken\n---\n");
    wait_for(
        || get(&server, "/en/").is_some_and(|(_, b)| b.contains("signpost-errors")),
        "the error overlay",
    );
    let (status, body) = get(&server, "/en/communities/wangjing/").unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("edited live"),
        "the last good version is still served"
    );
    assert!(
        body.contains("content/policies/broken.md:2:8"),
        "the overlay names file, line and column"
    );

    // The fix clears it.
    std::fs::remove_file(site.root().join("content/policies/broken.md")).unwrap();
    wait_for(
        || get(&server, "/en/").is_some_and(|(_, b)| !b.contains("signpost-errors")),
        "the overlay to clear",
    );
}

#[test]
fn serve_never_leaves_the_output() {
    let site = SiteTest::from_fixture("theme/override");
    let server = start(&site);
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/en/..%2f..%2fsite.yaml",
        "/content/about.md",
    ] {
        let (status, body) = get(&server, path).unwrap();
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("languages: [en]"), "{path}");
    }
    let (status, _) = get(&server, "/en").unwrap();
    assert_eq!(status, 301);
}

#[test]
fn body_edits_re_render_the_page_and_title_edits_reach_every_list() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let server = start(&site);
    let log = || match std::fs::read(site.root().join("serve.log")) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => format!("(cannot read the log: {error})"),
    };

    // Only the body changes: the page is re-rendered in every language,
    // nothing else (the translation status page shows no body: it stays).
    site.write(
        "content/policies/service-system.en.md",
        "---\ntitle: Service system\nsummary: Handled on arrival\n---\nSee [Wangjing's pilots](@/communities/wangjing.md#pilots). Now quicker.\n",
    );
    wait_for(
        || {
            get(&server, "/en/policies/service-system/")
                .is_some_and(|(_, b)| b.contains("Now quicker"))
        },
        "the body edit",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let line =
        "signpost: text of content/policies/service-system.en.md changed: re-rendered 4 pages";
    while !log().contains(line) {
        assert!(
            Instant::now() < deadline,
            "the incremental path was not taken:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // The title changes: the lists that show it must change too.
    site.write(
        "content/policies/service-system.en.md",
        "---\ntitle: Services on arrival\nsummary: Handled on arrival\n---\nSee [Wangjing's pilots](@/communities/wangjing.md#pilots).\n",
    );
    wait_for(
        || get(&server, "/en/policies/").is_some_and(|(_, b)| b.contains("Services on arrival")),
        "the new title in the section list",
    );
    let (_, community) = get(&server, "/en/communities/wangjing/").unwrap();
    assert!(
        community.contains("Services on arrival"),
        "the community page lists the policy under its new title"
    );
    assert!(
        log().contains(
            "signpost: title, text of content/policies/service-system.en.md changed: re-rendered"
        ),
        "the title edit is re-rendered where it is shown, not rebuilt:\n{}",
        log()
    );
}

/// Regression: the quick path (a body-only edit) skipped the site-wide
/// checks, so removing a heading that another page links to showed nothing.
#[test]
fn a_body_edit_that_breaks_another_pages_anchor_is_overlaid() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    site.write(
        "content/policies/transport.en.md",
        "---\ntitle: Transport\n---\nSee [the pilots](/en/communities/wangjing/#pilots).\n",
    );
    let server = start(&site);
    let wangjing = "content/communities/wangjing.en.md";
    let original = std::fs::read_to_string(site.root().join(wangjing)).unwrap();

    // Only the body changes (the quick path's case), but two pages link to
    // `#pilots`: one with a content path, one with a site path.
    site.write(
        wangjing,
        "---\ntitle: Wangjing\nsummary: Home of the first model street\n---\nWangjing joined in 2017; the heading is gone.\n",
    );
    wait_for(
        || get(&server, "/en/").is_some_and(|(_, b)| b.contains("signpost-errors")),
        "the broken anchor in the overlay",
    );
    let (_, body) = get(&server, "/en/policies/service-system/").unwrap();
    assert!(
        body.contains("content/policies/service-system.en.md:5:5")
            && body.contains("content/policies/transport.en.md:4:5")
            && body.contains("link/anchor"),
        "the overlay names each link's file, line and column:\n{body}"
    );
    let (_, body) = get(&server, "/en/communities/wangjing/").unwrap();
    assert!(
        body.contains("<h2 id=\"pilots\">The first pilots"),
        "the last good version is still served:\n{body}"
    );

    // Putting the heading back clears it.
    site.write(wangjing, &original);
    wait_for(
        || get(&server, "/en/").is_some_and(|(_, b)| !b.contains("signpost-errors")),
        "the overlay to clear",
    );

    // A site path that leads nowhere, written in a body-only edit.
    site.write(
        "content/policies/service-system.en.md",
        "---\ntitle: Service system\nsummary: Handled on arrival\n---\nSee [Wangjing's pilots](@/communities/wangjing.md#pilots) and [the rest](/en/policies/nope/).\n",
    );
    wait_for(
        || {
            get(&server, "/en/").is_some_and(|(_, b)| {
                b.contains("signpost-errors") && b.contains("/en/policies/nope/")
            })
        },
        "the unresolved site path in the overlay",
    );
}

/// The warnings `signpost check` finds in the site as it is now.
fn warnings_of(site: &SiteTest) -> usize {
    let (code, list) = crate::support::json(site, &["check"]);
    assert_eq!(code, 0, "{list:#?}");
    list.len()
}

/// Writes `text` to `path` (a body-only edit) and waits for the incremental
/// path's log line; returns the warning count it gives (0 when it names none).
fn quick_edit(site: &SiteTest, server: &Server, path: &str, text: &str, shown: &str) -> usize {
    let log = || std::fs::read_to_string(site.root().join("serve.log")).unwrap_or_default();
    let updates = || log().matches(": re-rendered ").count();
    let before = updates();
    site.write(path, text);
    wait_for(
        || updates() > before && get(server, "/en/").is_some(),
        "the quick update",
    );
    let (_, page) = get(server, shown).unwrap();
    assert!(
        !page.contains("signpost-errors"),
        "warnings are not errors:\n{page}"
    );
    let line = log()
        .lines()
        .rfind(|l| l.contains(": re-rendered "))
        .unwrap()
        .to_string();
    line.split_once(" (")
        .and_then(|(_, note)| note.split_once(" warnings"))
        .map_or(0, |(n, _)| n.parse().unwrap())
}

/// Regression: the quick path (a body-only edit) must keep the warning count
/// it prints as `check` would give it: a warning added, then fixed, and a
/// warning the first build found, fixed.
#[test]
fn a_body_edit_keeps_the_warning_count_right() {
    let site = SiteTest::from_fixture("i18n/four-languages");
    let initial = warnings_of(&site);
    assert!(initial > 0, "the fixture has warnings to keep count of");
    let server = start(&site);
    let policy = "content/policies/service-system.en.md";
    let original = std::fs::read_to_string(site.root().join(policy)).unwrap();

    // A Hugo shortcode left in the text: one more warning.
    let with_shortcode = original.replace(").", "). {{< ref \"visa.md\" >}}");
    assert_ne!(with_shortcode, original);
    let shown = quick_edit(
        &site,
        &server,
        policy,
        &with_shortcode,
        "/en/policies/service-system/",
    );
    assert_eq!(shown, initial + 1);
    assert_eq!(shown, warnings_of(&site));

    // Fixed again.
    let shown = quick_edit(
        &site,
        &server,
        policy,
        &original,
        "/en/policies/service-system/",
    );
    assert_eq!(shown, initial);
    assert_eq!(shown, warnings_of(&site));

    // A warning of the first build (2017 is not in the zh-Hans text) fixed by a body edit.
    let chinese = "content/communities/wangjing.zh-Hans.md";
    let text = std::fs::read_to_string(site.root().join(chinese)).unwrap();
    let fixed = text.replace("无关。", "无关。2017 年加入。");
    assert_ne!(fixed, text);
    let shown = quick_edit(
        &site,
        &server,
        chinese,
        &fixed,
        "/zh-hans/communities/wangjing/",
    );
    assert_eq!(shown, initial - 1);
    assert_eq!(shown, warnings_of(&site));
}
