//! Publishing under stress: a build killed at any moment, an output folder
//! that cannot be written or runs out of space. The previous output is always
//! whole, and the error names the path.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{
    Run, SiteTest, assert_no_panic, assert_no_staging_left, find, json, snapshot,
};

/// Adds `count` policy pages to the site, with `marker` in every body.
fn grow(site: &SiteTest, count: usize, marker: &str) {
    for i in 0..count {
        site.write(
            &format!("content/policies/p{i:04}.en.md"),
            &format!(
                "---\ntitle: Policy {i}\nsummary: About policy {i}\ndate: 2022-01-01\n---\n## Part {{#part}}\n\n{marker} policy {i} text, linking [home](@/_index.md).\n"
            ),
        );
    }
}

fn signpost() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signpost"));
    command.env("CI", "true");
    command
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output() {
    let site = SiteTest::from_fixture("hostile/base");
    grow(&site, 150, "Old");
    site.build();
    let public = site.root().join("public");
    let old = snapshot(&public);
    grow(&site, 150, "New");

    // A complete build of the new content elsewhere: what "new" looks like,
    // how long a build takes, and how long its publishing step takes (from
    // the staging folder's appearance to the exit).
    let elsewhere = tempfile::tempdir().unwrap();
    let (full, publishing) = {
        let target = elsewhere.path().join("public");
        let mut child = start_build(&site, Some(&target));
        let started = Instant::now();
        let appeared = wait_for(&mut child, &elsewhere.path().join(".public.signpost-new"));
        assert!(child.wait().unwrap().success());
        (started.elapsed(), appeared.elapsed())
    };
    let new = snapshot(&elsewhere.path().join("public"));
    assert_ne!(old, new);

    // Kill while rendering, then at moments of publishing: while files are
    // written, around the swap, while the old folder is removed.
    let mut moments: Vec<(&str, Duration)> =
        vec![("rendering", full / 10), ("rendering", full / 2)];
    for millis in [0u64, 4, 10, 20, 40, 70, 100, 150, 220] {
        moments.push(("publishing", Duration::from_millis(millis)));
    }
    moments.push(("publishing", publishing));
    moments.push(("publishing", publishing * 2));
    let staging = site.root().join(".public.signpost-new");
    let mut outcomes = Vec::new();
    for (when, delay) in moments {
        restore(&public, &old);
        // A killed build may leave its staging folder; the next build clears
        // it, but it must not be mistaken here for this build's.
        if staging.exists() {
            std::fs::remove_dir_all(&staging).unwrap();
        }
        let mut child = start_build(&site, None);
        if when == "publishing" {
            wait_for(&mut child, &staging);
        }
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snapshot(&public);
        let whole = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            panic!("killed {delay:?} into {when}: public/ is neither the old nor the new output")
        };
        outcomes.push(format!("{when}+{delay:?}: {whole} ({status})"));
    }
    eprintln!(
        "kills during a {full:?} build ({publishing:?} publishing): {}",
        outcomes.join(", ")
    );
    assert!(outcomes.iter().any(|o| o.contains(": old")));

    // The next build finishes and tidies up what the killed ones left.
    site.build();
    assert_eq!(snapshot(&public), new);
    assert_no_staging_left(site.root());
}

fn start_build(site: &SiteTest, output: Option<&Path>) -> std::process::Child {
    let mut command = signpost();
    command.args(["build", "--root"]).arg(site.root());
    if let Some(output) = output {
        command.arg("--output").arg(output);
    }
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `path` exists (or the build ends); returns when that was.
fn wait_for(child: &mut std::process::Child, path: &Path) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !path.exists() && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    Instant::now()
}

/// Puts `files` back as the whole content of `dir`.
fn restore(dir: &Path, files: &[(String, Vec<u8>)]) {
    if snapshot(dir) == files {
        return;
    }
    std::fs::remove_dir_all(dir).unwrap();
    for (path, bytes) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

#[test]
fn an_output_path_under_a_file_is_a_clear_error() {
    let site = SiteTest::from_fixture("hostile/base");
    site.build();
    let before = snapshot(&site.root().join("public"));
    site.write("blocker", "a file where a folder should be");
    let target = site.root().join("blocker/public");
    let (code, list) = json(&site, &["build", "--output", target.to_str().unwrap()]);
    assert_eq!(code, 1);
    let d = list
        .iter()
        .find(|d| d["code"] == "output/write")
        .unwrap_or_else(|| panic!("no output/write: {list:?}"));
    assert!(d["message"].as_str().unwrap().contains("blocker"), "{d}");
    assert!(d["hint"].as_str().is_some(), "{d}");
    assert_eq!(snapshot(&site.root().join("public")), before);

    // An output path that is itself a file is refused, and the file kept.
    let (code, list) = json(
        &site,
        &[
            "build",
            "--output",
            site.root().join("blocker").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    find(
        &list,
        "output/write",
        site.root().join("blocker").to_str().unwrap(),
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("blocker")).unwrap(),
        "a file where a folder should be"
    );
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The binary, run as a user whom permissions bind: `nobody` through
/// `setpriv` when the tests run as root (permissions do not bind root).
fn unprivileged_signpost() -> Command {
    let mut command = if running_as_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_signpost"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_signpost"))
    };
    command.env("CI", "true");
    command
}

/// Lets `nobody` reach the site's folder when the tests run as root; false,
/// with a `skipped: …` line printed, when the binary cannot run as `nobody`
/// (the caller then returns without testing anything).
///
/// The line goes straight to the process's stderr, not through `eprintln!`,
/// which the test harness captures and shows only for failing tests: a
/// skipped test still says "ok", so the skip must show in every run.
#[cfg(unix)]
fn unprivileged_can_run(site: &SiteTest) -> bool {
    use std::os::unix::fs::PermissionsExt;
    if !running_as_root() {
        return true;
    }
    let mut dir = Some(site.root());
    while let Some(d) = dir {
        if d.starts_with(std::env::temp_dir()) && d != std::env::temp_dir() {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        dir = d.parent();
    }
    let probe = unprivileged_signpost().arg("--help").output().unwrap();
    if !probe.status.success() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {}: running as root and cannot run the binary as `nobody` through setpriv ({})",
            std::thread::current().name().unwrap_or("a test"),
            String::from_utf8_lossy(&probe.stderr).trim()
        );
        return false;
    }
    true
}

/// Gives `path` (recursively) to `nobody` when the tests run as root.
fn give_to_unprivileged(path: &Path) {
    if running_as_root() {
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// Permissions do not bind root, so as root the builds run as `nobody`
/// (uid 65534) through `setpriv`, with the output's parent given to it. Where
/// that is impossible (no `setpriv`, or a system that refuses the switch) the
/// test prints `skipped: …` and passes without testing anything.
#[cfg(unix)]
#[test]
fn a_read_only_output_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::from_fixture("hostile/base");
    let parent = site.root().join("out");
    let output = parent.join("public");
    std::fs::create_dir_all(&parent).unwrap();
    let build = |extra: &[&str]| {
        unprivileged_signpost()
            .args(["build", "--format", "json", "--output"])
            .arg(&output)
            .args(extra)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap()
    };
    // `nobody` must reach the site and the binary, and own the output's parent.
    if !unprivileged_can_run(&site) {
        return;
    }
    give_to_unprivileged(&parent);
    let first = build(&[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let before = snapshot(&output);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    site.write(
        "content/policies/new.en.md",
        "---\ntitle: New\n---\nNew page.\n",
    );
    let second = build(&[]);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(second.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&second.stdout);
    let list: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let d = list
        .iter()
        .find(|d| d["code"] == "output/write")
        .unwrap_or_else(|| panic!("{stdout}"));
    eprintln!("read-only: {d}");
    assert!(
        d["message"].as_str().unwrap().contains("ermission denied"),
        "{d}"
    );
    assert!(d["file"].as_str().unwrap().ends_with("public"), "{d}");
    assert_eq!(snapshot(&output), before, "the previous output is intact");
}

/// Each folder that cannot be read, with the code of its error.
const UNREADABLE: [(&str, &str); 6] = [
    ("content", "content/unreadable"),
    ("content/policies", "content/unreadable"),
    ("content/communities/shunyi/photos", "content/unreadable"),
    ("static", "static/unreadable"),
    ("static/images", "static/unreadable"),
    ("i18n", "i18n/unreadable"),
];

/// As root the builds run as `nobody` through `setpriv`, owning the site, so
/// that mode 000 binds them; where that is impossible the test prints
/// `skipped: …` and passes without testing anything (see
/// [`unprivileged_can_run`]).
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_one_error_at_the_folder_and_nothing_is_published() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::from_fixture("hostile/base");
    site.write(
        "content/communities/shunyi/index.en.md",
        "---\ntitle: Shunyi\n---\n![A street](photos/street.svg)\n\nSee [the map](/images/map.svg) and [a policy](@/policies/first.md).\n",
    )
    .write("content/communities/shunyi/photos/street.svg", "<svg/>")
    .write("static/notes.txt", "Notes.\n")
    .write("static/images/map.svg", "<svg/>")
    .write("i18n/en.yaml", "footer:\n  note: About this guide.\n")
    .write("i18n/zh-Hans.yaml", "footer:\n  note: 关于本指南。\n");
    if !unprivileged_can_run(&site) {
        return;
    }
    // Owned by `nobody`, so that mode 000 binds the build.
    give_to_unprivileged(site.root());
    let build = || {
        unprivileged_signpost()
            .args(["build", "--format", "json", "--root"])
            .arg(site.root())
            .output()
            .unwrap()
    };
    let first = build();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let public = site.root().join("public");
    let before = snapshot(&public);
    assert!(before.iter().any(|(path, _)| path == "images/map.svg"));
    for (folder, code) in UNREADABLE {
        let path = site.root().join(folder);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        let run = build();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert_no_panic(&Run::from(run.clone()));
        assert_eq!(run.status.code(), Some(1), "{folder}: {stderr}");
        let list: Vec<serde_json::Value> = serde_json::from_slice(&run.stdout).unwrap();
        let errors: Vec<&serde_json::Value> =
            list.iter().filter(|d| d["severity"] == "error").collect();
        // Links into what could not be read are not reported again.
        assert_eq!(errors.len(), 1, "{folder}: one error, got {errors:#?}");
        let d = find(&list, code, folder);
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(1), Some(1))
        );
        assert!(
            d["message"].as_str().unwrap().contains("ermission denied"),
            "{d}"
        );
        assert!(
            d["hint"].is_string(),
            "{folder}: a hint says what to do: {d}"
        );
        assert_eq!(
            snapshot(&public),
            before,
            "{folder}: the last good output stays"
        );
        assert_no_staging_left(site.root());
    }
}

#[cfg(unix)]
#[test]
fn a_full_disk_is_a_clear_error() {
    // A file-size limit makes writes fail like a full disk does (EFBIG instead
    // of ENOSPC), without mounting anything; SIGXFSZ is ignored so the write
    // returns the error instead of killing the process.
    let site = SiteTest::from_fixture("hostile/base");
    site.build();
    let before = snapshot(&site.root().join("public"));
    site.write(
        "content/policies/long.en.md",
        &format!("---\ntitle: Long\n---\n{}\n", "Long text. ".repeat(2000)),
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" build --format json --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_signpost"))
        .arg(site.root())
        .env("CI", "true")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_no_panic(&Run::from(output.clone()));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let list: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let d = list
        .iter()
        .find(|d| d["code"] == "output/write")
        .unwrap_or_else(|| panic!("{stdout}"));
    eprintln!("full disk: {d}");
    assert!(
        d["message"].as_str().unwrap().contains("cannot write"),
        "{d}"
    );
    assert_eq!(snapshot(&site.root().join("public")), before);
    assert_no_staging_left(site.root());
}

#[test]
fn two_builds_of_hostile_content_give_identical_bytes() {
    let site = SiteTest::from_fixture("hostile/escaping");
    site.build();
    let first = snapshot(&site.root().join("public"));
    std::thread::sleep(Duration::from_millis(20));
    site.build();
    assert_eq!(first, snapshot(&site.root().join("public")));
    assert!(Path::new(&site.root().join("public")).is_dir());
}
