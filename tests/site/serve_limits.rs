//! The dev server under hostile requests: loopback only by default, raw paths
//! that try to leave the output, correct content types, and bounded memory
//! under many connections and live-reload streams.
//!
//! Requests are written by hand on a `TcpStream`, so no client tidies the
//! path before the server sees it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::serve::{Server, get, start, wait_for};
use crate::support::SiteTest;

/// Sends `request` as is and returns the whole response (head and body).
fn raw(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

fn head_of(response: &str) -> (u16, String) {
    let head = response.split("\r\n\r\n").next().unwrap_or("").to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase())
}

/// Resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

#[test]
fn it_listens_on_loopback_only_by_default() {
    let site = SiteTest::from_fixture("hostile/base");
    let server = start(&site);
    let log = std::fs::read_to_string(site.root().join("serve.log")).unwrap();
    assert!(
        log.contains(&format!("http://127.0.0.1:{}/", server.port)),
        "{log}"
    );
    // Any address of this machine that is not loopback must refuse.
    let output = std::process::Command::new("hostname").arg("-I").output();
    let others: Vec<String> = output
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .filter(|a| !a.starts_with("127.") && !a.contains(':'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    for address in &others {
        let reached = TcpStream::connect_timeout(
            &format!("{address}:{}", server.port).parse().unwrap(),
            Duration::from_secs(2),
        );
        assert!(reached.is_err(), "reachable on {address}");
    }
    if others.is_empty() {
        eprintln!("no non-loopback address on this machine: only the bind address was checked");
    }
}

#[cfg(unix)]
#[test]
fn raw_requests_never_leave_the_output() {
    let site = SiteTest::from_fixture("hostile/base");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    site.write("static/robots-extra.txt", "harmless");
    let server = start(&site);
    // A symlink added while serving: the rebuild refuses it, the last good output stays.
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("static/secret.txt"),
    )
    .unwrap();
    wait_for(
        || get(&server, "/en/").is_some_and(|(_, b)| b.contains("signpost-errors")),
        "the rebuild to refuse the symlink",
    );
    let secret_path = outside.path().join("secret.txt");
    let secret = secret_path.to_str().unwrap();
    let targets = [
        "/secret.txt".to_string(),
        "/../site.yaml".to_string(),
        "/../../../../../../etc/passwd".to_string(),
        "/%2e%2e/site.yaml".to_string(),
        "/%2E%2E%2Fsite.yaml".to_string(),
        "/en/..%2f..%2fsite.yaml".to_string(),
        "/en/%2e%2e/%2e%2e/site.yaml".to_string(),
        "/..\\site.yaml".to_string(),
        "/%5c..%5csite.yaml".to_string(),
        "/site.yaml%00.html".to_string(),
        "/%00/../site.yaml".to_string(),
        "/content/_index.en.md".to_string(),
        "//etc/passwd".to_string(),
        "//en".to_string(),
        "//example.org/%2e%2e/en".to_string(),
        format!("/{secret}"),
        format!("/..{secret}"),
        "../site.yaml".to_string(),
        "http://localhost/../site.yaml".to_string(),
        "/%252e%252e/site.yaml".to_string(),
        "/.%2e/.%2e/site.yaml".to_string(),
    ];
    for target in &targets {
        let response = raw(
            &server,
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        let (status, head) = head_of(&response);
        assert!(
            matches!(status, 400 | 404 | 301),
            "{target}: status {status}\n{head}"
        );
        if status == 301 {
            let location = head
                .lines()
                .find_map(|l| l.strip_prefix("location: "))
                .unwrap_or("");
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{target} redirects off-site to {location}"
            );
        }
        for leak in ["base_url", "root:x:0:0", "TOP-SECRET", "title: Home"] {
            assert!(!response.contains(leak), "{target} leaked `{leak}`");
        }
    }
    // The server is still healthy.
    assert_eq!(get(&server, "/en/").unwrap().0, 200);
}

#[test]
fn content_types_name_their_charset() {
    let site = SiteTest::from_fixture("hostile/base");
    let server = start(&site);
    let index = get(&server, "/en/").unwrap().1;
    let asset = |ext: &str| {
        index
            .match_indices("/signage.")
            .map(|(at, _)| &index[at..])
            .find_map(|rest| {
                let end = rest.find(['"', '\'', '>', ' '])?;
                rest[..end].ends_with(ext).then(|| rest[..end].to_string())
            })
            .unwrap_or_else(|| panic!("no /signage.*{ext} in the page"))
    };
    let (css, js) = (asset(".css"), asset(".js"));
    let cases = [
        ("/en/", "text/html; charset=utf-8"),
        ("/404-nothing-here", "text/html; charset=utf-8"),
        (css.as_str(), "text/css; charset=utf-8"),
        (js.as_str(), "text/javascript; charset=utf-8"),
        (
            "/search/signpost-search.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/search/en/manifest.json",
            "application/json; charset=utf-8",
        ),
        ("/sitemap.xml", "xml; charset=utf-8"),
        ("/en/feed.xml", "xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__signpost/reload.js", "text/javascript; charset=utf-8"),
    ];
    for (path, expected) in cases {
        let response = raw(
            &server,
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        let (_, head) = head_of(&response);
        let content_type = head
            .lines()
            .find_map(|l| l.strip_prefix("content-type: "))
            .unwrap_or_else(|| panic!("{path}: no content-type\n{head}"));
        assert!(content_type.ends_with(expected), "{path}: {content_type}");
        assert!(head.contains("x-content-type-options: nosniff"), "{path}");
    }
}

#[test]
fn many_connections_and_streams_keep_memory_bounded() {
    let site = SiteTest::from_fixture("hostile/base");
    let server = start(&site);
    let pid = server.child.id();
    let before = rss_kib(pid);

    // 300 live-reload streams: 128 are served, the rest are told to retry.
    let mut streams = Vec::new();
    let mut refused = 0;
    for _ in 0..300 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET /__signpost/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut head = [0u8; 64];
        let n = stream.read(&mut head).unwrap();
        let text = String::from_utf8_lossy(&head[..n]).into_owned();
        if text.starts_with("HTTP/1.1 503") {
            refused += 1;
        } else {
            assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        }
        streams.push(stream);
    }
    assert_eq!(refused, 300 - 128, "streams beyond the cap are refused");

    // 2 000 page requests from 20 threads while the streams stay open,
    // plus oversized requests that must not be buffered.
    let port = server.port;
    let workers: Vec<_> = (0..20)
        .map(|worker| {
            std::thread::spawn(move || {
                let mut ok = 0;
                for i in 0..100 {
                    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(30)))
                        .unwrap();
                    let request = if worker == 0 && i % 25 == 0 {
                        // A 4 MB body nobody asked for.
                        let mut r = format!(
                            "POST /en/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
                            4 << 20
                        )
                        .into_bytes();
                        r.extend(std::iter::repeat_n(b'x', 4 << 20));
                        r
                    } else if worker == 1 && i % 25 == 0 {
                        // A 1 MB header.
                        format!(
                            "GET /en/ HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
                            "y".repeat(1 << 20)
                        )
                        .into_bytes()
                    } else {
                        b"GET /en/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".to_vec()
                    };
                    let _ = stream.write_all(&request);
                    let mut response = Vec::new();
                    let _ = stream.read_to_end(&mut response);
                    if response.starts_with(b"HTTP/1.1 200") {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let served: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(served >= 2000 - 8, "only {served} of 2000 requests got 200");

    if let (Some(before), Some(after)) = (before, rss_kib(pid)) {
        eprintln!(
            "server memory: {before} KiB before, {after} KiB after 300 streams and 2000 requests"
        );
        assert!(
            after < before + 150 * 1024,
            "memory grew from {before} KiB to {after} KiB"
        );
    }

    // Closing the streams gives their places back.
    drop(streams);
    wait_for(
        || {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let _ = write!(
                stream,
                "GET /__signpost/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
            );
            let mut head = [0u8; 16];
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let n = stream.read(&mut head).unwrap_or(0);
            head[..n].starts_with(b"HTTP/1.1 200")
        },
        "a stream place to free up",
    );
}
